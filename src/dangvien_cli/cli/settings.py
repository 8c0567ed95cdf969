"""dangvien settings: figures a committee may change (quotas, deadlines, thresholds)."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Format

app = typer.Typer(help="Các thiết lập cấp ủy có thể đổi: tỷ lệ, thời hạn, ngưỡng (mặc định theo domain.md).",
                  no_args_is_help=True)


@app.command("list")
def list_(fmt: FormatOpt = Format.table) -> None:
    """Mọi thiết lập, giá trị đang dùng, mặc định và căn cứ.

    Ví dụ: dangvien settings list
    """
    from dangvien_cli.services import settings as svc

    with database().transaction() as session:
        rows = svc.listing(session)
    output.emit_rows(rows, [("key", "Thiết lập"), ("value", "Giá trị"), ("default", "Mặc định"),
                            ("section", "Căn cứ"), ("description", "Ý nghĩa")], fmt, title="Thiết lập")


@app.command("set")
def set_(key: Annotated[str, typer.Argument(help="Tên thiết lập, ví dụ rating.excellent_quota_percent.")],
         value: Annotated[str, typer.Argument(help="Giá trị mới.")]) -> None:
    """Đổi một thiết lập.

    Ví dụ: dangvien settings set admission.certificate_valid_years 5
    """
    from dangvien_cli.services import settings as svc

    with database().transaction() as session:
        result = svc.set_value(session, key, value)
    output.success(f"Đã đặt {result['key']} = {result['value']}.")


@app.command("reset")
def reset(key: Annotated[str, typer.Argument(help="Tên thiết lập.")]) -> None:
    """Đưa một thiết lập về giá trị mặc định.

    Ví dụ: dangvien settings reset rating.excellent_quota_percent
    """
    from dangvien_cli.services import settings as svc

    with database().transaction() as session:
        result = svc.reset(session, key)
    output.success(f"Đã đưa {result['key']} về mặc định ({result['value']}).")
