"""Export of member rosters in the standard exchange layout (issue "Excel in and out"), and the heading every
printed form shares: the committee, its superior committee (the organization's parent), who signs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.services.lookup import CellRow, find_cell, subtree_ids
from dangvien_cli.services.values import date_value

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
_NOTE_LENGTH_SQL = ("CASE WHEN m.membership = 'probationary' THEN coalesce(length(m.note), 0) + 8 "
                    "ELSE length(m.note) END")


def mask_id(value: str | None) -> str | None:
    """A personal id as printed: only its last 4 digits (``********1234``)."""
    if not value:
        return value
    return "*" * max(0, len(value) - 4) + value[-4:]


def heading(conn: sqlite3.Connection, root: CellRow | None) -> dict:
    """The committee a form is made for, its superior committee and who signs for it.

    ``root`` None means the whole database: its single top organization when there is one.
    """
    if root is None:
        tops = conn.execute("SELECT id, code, name, kind, parent_id, valid_to FROM cells WHERE parent_id IS NULL "
                            "ORDER BY code").fetchall()
        if len(tops) != 1:
            return {"committee": None, "superior": None, "sign": sign_titles(None)}
        root = CellRow(*tops[0])
    parent = conn.execute("SELECT name FROM cells WHERE id = ?", (root.parent_id,)).fetchone()
    (has_committee,) = conn.execute("SELECT has_committee FROM cells WHERE id = ?", (root.id,)).fetchone()
    return {"committee": root.name, "superior": parent[0] if parent else None,
            "sign": sign_titles(root.kind, bool(has_committee))}


def _note(row: dict) -> str | None:
    note = row["note"]
    if row["membership"] == "probationary" and not (note and "dự bị" in note.lower()):
        return f"Dự bị; {note}" if note else "Dự bị"
    return note


def export_roster(conn: sqlite3.Connection, path: Path, *, cell: str | None = None, as_of: str | None = None,
                  place: str | None = None, full_ids: bool = False) -> dict:
    """Write the members on the roll under ``cell`` (or all), one section per cell, numbering per section.

    Personal ids are printed masked (last 4 digits) unless ``full_ids``.
    """
    on = as_date(date_value(as_of, "Ngày tính đến")) if as_of else today()
    where = f"m.status IN {ON_ROLL_SQL}"
    root = find_cell(conn, cell) if cell else None
    if root is not None:
        where += f" AND m.cell_id IN ({','.join(map(str, subtree_ids(conn, root.id)))})"
    data_cols = [c for c in ROSTER_COLUMNS if c.key != "seq"]
    # The longest value of each column over the whole list: empty columns are left out, the others sized.
    stats = conn.execute(
        "SELECT count(*), " + ", ".join(
            _NOTE_LENGTH_SQL if c.key == "note" else f"max(length(m.{c.key}))" for c in data_cols)
        + f" FROM members m WHERE {where}").fetchone()
    lengths = {c.key: v or 0 for c, v in zip(data_cols, stats[1:], strict=True)}
    lengths["seq"] = len(str(stats[0]))
    page = Page(landscape=True)
    columns = fit_columns(ROSTER_COLUMNS, lengths, page)
    cols = ", ".join(f"m.{c.key}" for c in data_cols)
    result = conn.execute(
        f"SELECT c.id AS cell_id, c.code AS cell_code, c.name AS cell_name, m.membership, {cols} "
        f"FROM members m JOIN cells c ON c.id = m.cell_id WHERE {where} ORDER BY c.code, m.sort_key, m.id")
    names = [d[0] for d in result.description]
    head = heading(conn, root)
    with open_book(path, "danh-sach-dang-vien.xlsx") as book:
        sheet = SheetWriter(book, "Danh sách đảng viên", columns, page=page)
        sheet.title_block(head["committee"], head["superior"], "DANH SÁCH ĐẢNG VIÊN",
                          f"(Tính đến ngày {format_vi(on.isoformat())})", place_date_line(place, on))
        sheet.header()
        members = sections = 0
        current, seq = None, 0
        for values in result:
            row = dict(zip(names, values, strict=True))
            if row["cell_id"] != current:
                current, seq = row["cell_id"], 0
                sections += 1
                sheet.section(f"{roman(sections)}. {row['cell_name']}")
            seq += 1
            members += 1
            row["note"] = _note(row)
            row["seq"] = seq
            row["gender"] = vocab.GENDER.label(row["gender"]) if row["gender"] else None
            if not full_ids:
                for key in ID_FIELDS:
                    row[key] = mask_id(row[key])
            sheet.record(row)
        sheet.note(f"Tổng số: {number_vi(members)} đảng viên"
                   + ("." if full_ids else "; số định danh cá nhân và số CMND chỉ in 4 chữ số cuối."))
        sheet.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        sheet.page_setup()
    return {"path": str(path), "members": members, "sections": sections}
