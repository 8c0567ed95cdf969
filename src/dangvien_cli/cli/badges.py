"""dangvien badges: Huy hiệu Đảng due at an occasion, and awards (domain.md §3)."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli import vocab
from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format
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
    output.emit_rows(rows, DUE_COLUMNS, fmt, title=f"Huy hiệu Đảng đến hạn ({number_vi(len(rows))})")


DUE_COLUMNS = [Col("member_id", "Mã", rank=0), Col("full_name", "Họ và tên", rank=0),
               Col("card_number", "Số thẻ", rank=3), Col("cell_name", "Chi bộ", rank=4),
               Col("milestone", "Huy hiệu (năm)", rank=0), Col("party_age_years", "Tuổi đảng", rank=2),
               Col("ground", "Căn cứ", codes=vocab.BADGE_GROUND, rank=1), Col("occasion", "Dịp trao", rank=5)]
LIST_COLUMNS = [Col("member_id", "Mã", rank=0), Col("full_name", "Họ và tên", rank=0),
                Col("cell_name", "Chi bộ", rank=3), Col("milestone", "Huy hiệu", rank=0, show=lambda r: f"{r['milestone']} năm"),
                Col("awarded_date", "Ngày trao", rank=0), Col("reference", "Số quyết định", rank=2),
                Col("posthumous", "Truy tặng", rank=1, show=lambda r: "Truy tặng" if r["posthumous"] else "")]


@app.command("list")
def list_awards(
    cell: Annotated[str | None, Opt("--cell", help="Chỉ tổ chức này (kể cả các chi bộ trực thuộc).")] = None,
    year: Annotated[int | None, Opt("--year", help="Chỉ các huy hiệu trao trong năm này.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Các Huy hiệu Đảng đã trao (mới nhất trước): ai, mốc nào, ngày trao, số quyết định, truy tặng.

    Ví dụ: dangvien badges list --cell TL --year 2026
    """
    from dangvien_cli.services import badges as svc

    with database().read() as conn:
        rows = svc.list_awards(conn, cell=cell, year=year)
    title = f"Huy hiệu Đảng đã trao{f' năm {year}' if year else ''} ({number_vi(len(rows))})"
    output.emit_rows(rows, LIST_COLUMNS, fmt, title=title)


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
