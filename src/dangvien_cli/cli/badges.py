"""dangvien badges: Huy hiệu Đảng due at an occasion, and awards (domain.md §3)."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Format
from dangvien_cli.formats import number_vi

app = typer.Typer(help="Huy hiệu Đảng: danh sách đến hạn theo dịp trao, ghi đã trao (§3).", no_args_is_help=True)
Opt = typer.Option


@app.command("due")
def due(
    occasion: Annotated[str | None, Opt("--occasion", help="Ngày của dịp trao (3/2, 19/5, 2/9, 7/11…); mặc định dịp "
                                        "gần nhất từ hôm nay.")] = None,
    cell: Annotated[str | None, Opt("--cell", help="Chỉ tổ chức này (kể cả các chi bộ trực thuộc).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Đảng viên đến hạn nhận Huy hiệu Đảng vào dịp trao (tuổi đảng đã trừ thời gian gián đoạn).

    Ví dụ: dangvien badges due --occasion 19/05/2026 --format json
    """
    from dangvien_cli.services import badges as svc

    with database().read() as conn:
        rows = svc.due(conn, occasion, cell=cell)
    output.emit_rows(rows, [("member_id", "Mã"), ("full_name", "Họ và tên"), ("card_number", "Số thẻ"),
                            ("cell_name", "Chi bộ"), ("milestone", "Huy hiệu (năm)"),
                            ("party_age_years", "Tuổi đảng"), ("occasion", "Dịp trao")], fmt,
                     title=f"Huy hiệu Đảng đến hạn ({number_vi(len(rows))})")


@app.command("award")
def award(
    ref: Annotated[str, typer.Argument(help="Mã số, số thẻ đảng viên hoặc số định danh cá nhân.")],
    milestone: Annotated[int, Opt("--milestone", help="Mốc tuổi đảng: 30, 40, 45, 50, … 90.")],
    date: Annotated[str, Opt("--date", help="Ngày trao.")],
    ref_doc: Annotated[str | None, Opt("--ref", help="Số quyết định tặng huy hiệu.")] = None,
    posthumous: Annotated[bool, Opt("--posthumous", help="Truy tặng.")] = False,
) -> None:
    """Ghi đảng viên đã được trao Huy hiệu Đảng.

    Ví dụ: dangvien badges award 08012345 --milestone 40 --date 19/05/2026 --ref 123-QĐ/TU
    """
    from dangvien_cli.services import badges as svc

    with database().write() as conn:
        result = svc.award(conn, ref, milestone=milestone, date=date, reference=ref_doc, posthumous=posthumous)
    output.success(f"Đã ghi Huy hiệu {result['milestone']} năm tuổi Đảng cho đảng viên mã số {result['member_id']}.")
