"""The check of the dues book for the committee (đối chiếu sổ đảng phí), in the standard layout of ``layout.py``:
superior committee and committee top left, "ĐẢNG CỘNG SẢN VIỆT NAM" top right, the title, one section row per
cell, one row per month paid short or over with the amount due, the amount paid, the difference and the
regulation that month was judged by, the totals and the regulations in a note, the signature block.

What it prints is ``services.dues.report``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dangvien_cli.excel.layout import (
    Column,
    Page,
    SheetWriter,
    fit_columns,
    grouped_by_cell,
    lengths_of,
    open_book,
    place_date_line,
    sign_titles,
)
from dangvien_cli.formats import money_vi, number_vi, ranges

COLUMNS = [
    Column("seq", "STT", width=5, kind="number", keep=True),
    Column("full_name", "Họ và tên", width=24, keep=True),  # a name is never wrapped
    Column("card_number", "Số thẻ đảng viên", width=11),
    Column("month_vi", "Tháng", width=8, keep=True),
    Column("due_vi", "Phải đóng (đồng)", width=10, keep=True),
    Column("paid", "Đã đóng (đồng)", width=10, kind="number", keep=True),
    Column("status_vi", "Thiếu / thừa (đồng)", width=13, keep=True),
    Column("citation", "Căn cứ", width=20, min_width=11, keep=True),
]


def _line(r: dict, seq: int, year: int) -> dict:
    word = "Thiếu" if r["status"] == "short" else "Thừa"
    return r | {"seq": seq, "month_vi": f"{r['month']}/{year}", "due_vi": "miễn" if r["exempt"] else number_vi(r["due"]),
                "status_vi": f"{word} {number_vi(abs(r['difference']))}"}


def write_dues(path: Path, report: dict, *, head: dict | None = None, place: str | None = None,
               on: date | None = None) -> dict:
    """Write ``report`` (services.dues.report) to ``path`` (.xlsx); returns counts."""
    head = head or {"committee": None, "superior": None, "sign": sign_titles(None)}
    year = report["year"]
    lines_by_cell = {key: [_line(r, i, year) for i, r in enumerate(rows, start=1)]
                     for key, rows in grouped_by_cell(report["rows"]).items()}
    lines = [x for items in lines_by_cell.values() for x in items]
    page = Page(landscape=False)
    lengths = lengths_of(lines, COLUMNS)
    # A short name's estimate (its characters at the average width) falls a letter short in Liberation Serif
    # with Vietnamese capitals and marks ("Dương Hữu Cường" was clipped): two characters of room.
    lengths["full_name"] += 2
    columns = fit_columns(COLUMNS, lengths, page)
    cited = "; ".join(f"tháng {ranges(r['months'])}/{year} theo {r['citation']}" for r in report["regulations"])
    with open_book(path, f"doi-chieu-dang-phi-{year}.xlsx") as book:
        w = SheetWriter(book, f"Đảng phí {year}", columns, page=page)
        w.title_block(head["committee"], head["superior"], f"ĐỐI CHIẾU SỔ ĐẢNG PHÍ NĂM {year}",
                      "(Các tháng đóng thiếu, đóng thừa so với số phải đóng theo diện đóng đảng phí của từng đảng "
                      "viên" + (f"; căn cứ: {cited}" if cited else "") + ")",
                      place_date_line(place, on or date.today()))
        w.header()
        w.cell_sections(lines_by_cell, lambda items: f"{number_vi(len(items))} tháng")
        w.note(f"Tổng cộng: {number_vi(report['members_checked'])} đảng viên có sổ; {report['months_short']} tháng "
               f"đóng thiếu ({money_vi(report['short_total'])}), {report['months_over']} tháng đóng thừa "
               f"({money_vi(report['over_total'])}); {report['months_unpaid']} tháng chưa đóng (xem danh sách rà "
               f"soát); {report['months_unknown']} tháng chưa tính được số phải đóng (chưa ghi diện đóng đảng phí).")
        w.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        w.page_setup()
    return {"path": str(path), "rows": len(lines), "sections": len(lines_by_cell)}
