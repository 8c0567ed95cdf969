"""dangvien settings: figures a committee may change (quotas, deadlines, thresholds)."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format
from dangvien_cli.formats import cell_vi, number_vi, percent_vi
from dangvien_cli.sources import cite

app = typer.Typer(help="Các thiết lập cấp ủy có thể đổi: tỷ lệ, thời hạn, ngưỡng (mặc định theo văn bản của Đảng "
                  "đang hiệu lực).", no_args_is_help=True)


def human(key: str, value: object) -> str:
    """A setting's value in the unit a clerk says: 216 months of age → "18 tuổi", 60 → "60 ngày làm việc"."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return cell_vi(value)
    if key.endswith("_percent"):
        return percent_vi(value, 0 if float(value).is_integer() else 2)
    n = number_vi(value)
    if key.endswith("_age_months"):
        years, months = divmod(int(value), 12)
        return f"{years} tuổi" + (f" {months} tháng" if months else "")
    if "_months" in key:
        years, months = divmod(int(value), 12)
        return f"{n} tháng" + (f" ({years} năm)" if years and not months else "")
    for suffix, unit in (("_workdays", "ngày làm việc"), ("_days", "ngày"), ("_years", "năm")):
        if key.endswith(suffix):
            return f"{n} {unit}"
    return n


COLUMNS = [Col("description", "Thiết lập", wrap=True, rank=0),
           Col("value", "Giá trị", rank=0, show=lambda r: human(r["key"], r["value"])),
           Col("default", "Mặc định", rank=2, show=lambda r: human(r["key"], r["default"])),
           Col("section", "Căn cứ", wrap=True, rank=3, show=lambda r: cite(r["section"])),
           Col("key", "Tên (để đổi)", rank=0)]
CSV_COLUMNS = [Col("key", "key"), Col("value", "value"), Col("default", "default"),
               Col("section", "section", show=lambda r: cite(r["section"])), Col("description", "description")]


@app.command("list")
def list_(fmt: FormatOpt = Format.table) -> None:
    """Mọi thiết lập, giá trị đang dùng, mặc định và căn cứ.

    Ví dụ: dangvien settings list
    """
    from dangvien_cli.services import settings as svc

    with database().read() as conn:
        rows = svc.listing(conn)
    output.emit_rows(rows, COLUMNS, title="Thiết lập (đổi bằng: dangvien settings set TÊN GIÁ-TRỊ)",
                     csv_columns=CSV_COLUMNS)


@app.command("set")
def set_(key: Annotated[str, typer.Argument(help="Tên thiết lập, ví dụ rating.excellent_quota_percent.")],
         value: Annotated[str, typer.Argument(help="Giá trị mới.")]) -> None:
    """Đổi một thiết lập.

    Ví dụ: dangvien settings set admission.certificate_valid_years 5
    """
    from dangvien_cli.services import settings as svc

    with database().write() as conn:
        result = svc.set_value(conn, key, value)
    output.success(f"Đã đặt {result['key']} = {human(result['key'], result['value'])}.")


@app.command("reset")
def reset(key: Annotated[str, typer.Argument(help="Tên thiết lập.")]) -> None:
    """Đưa một thiết lập về giá trị mặc định.

    Ví dụ: dangvien settings reset rating.excellent_quota_percent
    """
    from dangvien_cli.services import settings as svc

    with database().write() as conn:
        result = svc.reset(conn, key)
    output.success(f"Đã đưa {result['key']} về mặc định ({human(result['key'], result['value'])}).")
