"""Export of member rosters in the standard exchange layout (issue "Excel in and out"), and the heading every
printed form shares: the committee, its superior committee (the organization's parent), who signs."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from dangvien_cli import vocab
from dangvien_cli.excel.layout import (
    Column,
    Page,
    SheetWriter,
    fit_columns,
    open_book,
    place_date_line,
    roman,
    sign_titles,
)
from dangvien_cli.formats import number_vi
from dangvien_cli.rules.dates import as_date, format_vi, today
from dangvien_cli.services.values import date_value
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import exports as store
from dangvien_cli.store.connection import Connection, Record

ROSTER_COLUMNS = [
    Column("seq", "STT", width=5, kind="number", keep=True),
    Column("full_name", "Họ và tên", width=36, keep=True),  # a name is never wrapped
    Column("other_name", "Tên gọi khác", width=14, min_width=8),
    Column("gender", "Giới tính", width=6),
    Column("birth_date", "Ngày sinh", width=11, kind="date"),
    Column("ethnicity", "Dân tộc", width=9, min_width=6),
    Column("religion", "Tôn giáo", width=10, min_width=6),
    Column("hometown", "Quê quán", width=26, min_width=10),
    Column("birthplace", "Nơi sinh", width=20, min_width=10),
    Column("residence", "Nơi ở hiện nay", width=26, min_width=10),
    Column("national_id", "Số định danh cá nhân", width=14),
    Column("old_id_number", "Số CMND cũ", width=11),
    Column("card_number", "Số thẻ đảng viên", width=14),
    Column("decision_date", "Quyết định kết nạp", group="Ngày vào Đảng", width=11, kind="date"),
    Column("admission_date", "Kết nạp", group="Ngày vào Đảng", width=11, kind="date"),
    Column("official_date", "Chính thức", group="Ngày vào Đảng", width=11, kind="date"),
    Column("education_general", "Học vấn", group="Trình độ", width=8, min_width=5),
    Column("education_professional", "Chuyên môn", group="Trình độ", width=16, min_width=8),
    Column("political_theory", "Lý luận chính trị", group="Trình độ", width=12, min_width=7),
    Column("position", "Chức vụ", width=18, min_width=9),
    Column("occupation", "Nghề nghiệp", width=16, min_width=8),
    Column("note", "Ghi chú", width=20, min_width=8),
]
ID_FIELDS = ("national_id", "old_id_number")

def mask_id(value: str | None) -> str | None:
    """A personal id as printed: only its last 4 digits (``********1234``)."""
    if not value:
        return value
    return "*" * max(0, len(value) - 4) + value[-4:]


def by_cell(sheet: SheetWriter, rows: Iterable, counter: dict,
            cell: Callable[[Any], tuple] = itemgetter("cell_id", "cell_name")) -> Iterator[tuple[int, Any]]:
    """The rows (in cell order) with their number within their cell; a section row "I. Chi bộ …" written before
    each cell's first row. ``cell(row)`` is the row's (cell id, cell name); ``counter["sections"]`` counts the
    sections written."""
    current, seq = None, 0
    for row in rows:
        cell_id, cell_name = cell(row)
        if cell_id != current:
            current, seq = cell_id, 0
            counter["sections"] += 1
            sheet.section(f"{roman(counter['sections'])}. {cell_name}")
        seq += 1
        yield seq, row


def heading(conn: Connection, root: Record | None) -> dict:
    """The committee a form is made for, its superior committee and who signs for it.

    ``root`` None means the whole database: its single top organization when there is one.
    """
    if root is None:
        tops = store.top_organizations(conn)
        if len(tops) != 1:
            return {"committee": None, "superior": None, "sign": sign_titles(None)}
        root = tops[0]
    superior, has_committee = store.heading_facts(conn, root.id)
    return {"committee": root.name, "superior": superior, "sign": sign_titles(root.kind, has_committee)}


def _note(note: str | None, membership: str) -> str | None:
    if membership == "probationary" and not (note and "dự bị" in note.lower()):
        return f"Dự bị; {note}" if note else "Dự bị"
    return note


def export_roster(conn: Connection, path: Path, *, cell: str | None = None, as_of: str | None = None,
                  place: str | None = None, full_ids: bool = False) -> dict:
    """Write the members on the roll under ``cell`` (or all), one section per cell, numbering per section.

    Personal ids are printed masked (last 4 digits) unless ``full_ids``.
    """
    on = as_date(date_value(as_of, "Ngày tính đến")) if as_of else today()
    root = cell_store.find(conn, cell) if cell else None
    cell_ids = cell_store.subtree_ids(conn, root.id) if root is not None else None
    data_cols = [c for c in ROSTER_COLUMNS if c.key != "seq"]
    keys = [c.key for c in data_cols]
    # The longest value of each column over the whole list: empty columns are left out, the others sized.
    count, lengths = store.roster_lengths(conn, cell_ids, keys)
    lengths["seq"] = len(str(count))
    page = Page(landscape=True)
    columns = fit_columns(ROSTER_COLUMNS, lengths, page)
    # The row as the sheet prints it: the sheet's columns in order ("seq" first, filled here), each read from
    # its place in the store's tuple (cell id, cell name, membership, then the printed columns).
    printed = [c.key for c in columns]
    selected = [k for k in printed if k != "seq"]
    at = {k: 3 + j for j, k in enumerate(selected)}
    picks = [at.get(k) for k in printed]
    seq_at = printed.index("seq") if "seq" in printed else None
    note_at = printed.index("note") if "note" in printed else None
    gender_at = printed.index("gender") if "gender" in printed else None
    masked = [printed.index(k) for k in ID_FIELDS if k in printed and not full_ids]
    genders = {code: vocab.GENDER.label(code) for code in vocab.GENDER.codes}
    rows = store.roster_rows(conn, cell_ids, selected)
    head = heading(conn, root)
    with open_book(path, "danh-sach-dang-vien.xlsx") as book:
        sheet = SheetWriter(book, "Danh sách đảng viên", columns, page=page)
        sheet.title_block(head["committee"], head["superior"], "DANH SÁCH ĐẢNG VIÊN",
                          f"(Tính đến ngày {format_vi(on.isoformat())})", place_date_line(place, on))
        sheet.header()
        members = 0
        counter = {"sections": 0}
        for seq, row in by_cell(sheet, rows, counter, itemgetter(0, 1)):
            members += 1
            line = [None if j is None else row[j] for j in picks]
            if seq_at is not None:
                line[seq_at] = seq
            if note_at is not None:
                line[note_at] = _note(line[note_at], row[2])
            if gender_at is not None and line[gender_at]:
                line[gender_at] = genders.get(line[gender_at], line[gender_at])
            for j in masked:
                line[j] = mask_id(line[j])
            sheet.row_values(line)
        sheet.note(f"Tổng số: {number_vi(members)} đảng viên"
                   + ("." if full_ids else "; số định danh cá nhân và số CMND chỉ in 4 chữ số cuối."))
        sheet.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        sheet.page_setup()
    return {"path": str(path), "members": members, "sections": counter["sections"]}
