"""The books sent out to the cells: the attendance book, the dues book and the ratings sheet of a year, written in
the layout ``import attendance|dues|ratings`` reads (excel/books.py; contract.md "Monthly books"), so that a cell
fills it in and sends it back.

One row a member: every member on the roll of the cell (and of the cells under it), and every member the year's
book already has a row for (a member who left during the year keeps the months recorded). A section row per
cell, as in the roster. The values are written as the import reads them back to the same record:

- attendance: ``x`` / ``p`` / ``k``; a month with nothing recorded is left blank (blank = no meeting recorded);
- dues: the amount paid (20.000), ``miễn``, ``0`` for a month recorded unpaid, blank where nothing is recorded
  (the import reads blank and 0 alike as "not paid"; a row left wholly blank records nothing);
- ratings: the score, the level in full, and for "Không xếp loại" its reason in the reason column.

Exporting and importing the same file leaves the database as it was (tests/test_book_exports.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from dangvien_cli import vocab
from dangvien_cli.excel.layout import Column, Page, SheetWriter, fit_columns, open_book, place_date_line
from dangvien_cli.formats import number_vi
from dangvien_cli.rules.dates import today
from dangvien_cli.services.exports import by_cell, heading
from dangvien_cli.services.values import check_year
from dangvien_cli.store import books as store
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store.connection import Connection

TITLES = {
    "attendance": ("SỔ THEO DÕI SINH HOẠT CHI BỘ NĂM {year}", "so-sinh-hoat-2025.xlsx", "Sổ sinh hoạt"),
    "dues": ("SỔ THU ĐẢNG PHÍ NĂM {year}", "so-dang-phi-2025.xlsx", "Sổ đảng phí"),
    "ratings": ("KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM {year}", "xep-loai-2025.xlsx", "Xếp loại"),
}
# What the cell is asked to write, printed under the table.
HOW_TO_FILL = {
    "attendance": "Ghi mỗi tháng: x có mặt, p vắng có phép, k vắng không lý do; để trống tháng không họp.",
    "dues": "Ghi mỗi tháng số tiền đã đóng (đồng); 0 nếu chưa đóng; \"miễn\" nếu được miễn tháng đó.",
    "ratings": "Xếp loại: Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn "
               "thành nhiệm vụ; hoặc \"Không xếp loại\" và ghi lý do. Điểm theo thang 0–100.",
}
_IDENTITY = [
    Column("seq", "STT", width=5, kind="number", keep=True),
    Column("full_name", "Họ và tên", width=36, keep=True),  # a name is never wrapped (as in the roster)
    # Printed only when a member has no card number: the import then matches the row by name and birth date
    # (twelve amounts, the name, the card number and the birth date do not fit A4 at 10 pt).
    Column("birth_date", "Ngày sinh", width=11, kind="date"),
    Column("card_number", "Số thẻ đảng viên", width=11, keep=True),
]
# Room left in a month's column for the cell to write by hand: a mark, or an amount such as 50.000 (twelve such
# columns and the names still print at 10 pt on A4 landscape).
_MONTH_CHARS = {"attendance": 3, "dues": 6}


def book_columns(kind: str) -> list[Column]:
    if kind == "ratings":
        return [*_IDENTITY, Column("score", "Điểm", width=7, kind="decimal", keep=True),
                Column("rating", "Xếp loại", width=30, min_width=14, keep=True),
                Column("reason", "Lý do", width=24, min_width=10, keep=True)]
    return [*_IDENTITY, *(Column(f"m{m}", str(m), group="Tháng", width=9, kind="mark", keep=True)
                          for m in range(1, 13))]


def _months(kind: str, row: dict) -> dict:
    """The month cells of a member's row: what the import reads back to the same marks (module docstring)."""
    marks = row.get("marks")
    if marks is None:
        return {}
    if kind == "attendance":
        return {f"m{i}": mark for i, mark in enumerate(marks, 1) if mark != "-"}
    amounts = json.loads(row["amounts"]) if row.get("amounts") else [None] * 12
    out = {}
    for i, (mark, amount) in enumerate(zip(marks, amounts, strict=True), 1):
        if mark == "p":
            out[f"m{i}"] = amount if amount else vocab.DUES.label("p")
        elif mark == "e":
            out[f"m{i}"] = vocab.DUES.label("e").lower()
        elif mark == "u":
            out[f"m{i}"] = 0
    return out


def _rating(row: dict) -> dict:
    if row.get("level"):
        return {"score": row["score"], "rating": vocab.RATING_LEVEL.label(row["level"])}
    if row.get("not_rated_reason"):
        return {"score": row["score"], "rating": "Không xếp loại",
                "reason": vocab.NOT_RATED_REASON.label(row["not_rated_reason"])}
    return {}


def export_book(conn: Connection, kind: str, path: Path, *, year: int, cell: str | None = None,
                place: str | None = None) -> dict:
    """Write the ``kind`` book of ``year`` for ``cell`` (default: every cell) in the layout its import reads."""
    check_year(year, "Ghi năm của sổ, ví dụ --year 2025.")
    root = cell_store.find(conn, cell) if cell else None
    cell_ids = cell_store.subtree_ids(conn, root.id) if root is not None else None
    facts = store.book_lengths(conn, kind, year, cell_ids)
    title, example, sheet_name = TITLES[kind]
    lengths = {"seq": len(str(facts["count"])), "full_name": facts["full_name"] or 10,
               "card_number": facts["card_number"] or 8, "birth_date": 10 if facts["no_card"] else 0,
               "rating": 28, "reason": 20, "score": 4}
    month_chars = _MONTH_CHARS.get(kind, 1)
    if kind == "dues":  # the widest amount recorded, when wider than the room left for handwriting
        for text in facts["amounts"]:
            month_chars = max([month_chars] + [len(number_vi(a)) for a in json.loads(text) if a])
    lengths |= {f"m{m}": month_chars for m in range(1, 13)}
    page = Page(landscape=kind == "dues")  # twelve amounts need the width; marks and levels fit upright
    columns = fit_columns(book_columns(kind), lengths, page)
    head = heading(conn, root)
    on = today()
    recorded = 0
    with open_book(path, example) as book:
        sheet = SheetWriter(book, sheet_name, columns, page=page)
        sheet.title_block(head["committee"], head["superior"], title.format(year=year), None,
                          place_date_line(place, on))
        sheet.header()
        counter = {"sections": 0}
        for seq, row in by_cell(sheet, store.book_rows(conn, kind, year, cell_ids), counter):
            values = _rating(row) if kind == "ratings" else _months(kind, row)
            recorded += bool(values)
            sheet.record({"seq": seq, "full_name": row["full_name"], "birth_date": row["birth_date"],
                          "card_number": row["card_number"], **values})
        sheet.note(HOW_TO_FILL[kind] + f" Tổng số: {number_vi(facts['count'])} đảng viên.")
        sheet.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        sheet.page_setup()
    return {"path": str(path), "kind": kind, "year": year, "members": facts["count"], "recorded": recorded,
            "sections": counter["sections"]}
