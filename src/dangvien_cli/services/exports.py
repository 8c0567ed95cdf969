"""Export of member rosters in the standard exchange layout (issue "Excel in and out")."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from dangvien_cli.errors import InvalidValue
from dangvien_cli.excel.layout import Column, SheetWriter, new_book, place_date_line, roman
from dangvien_cli.rules.dates import as_date, format_vi, today
from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.services.lookup import find_cell, subtree_ids
from dangvien_cli.services.values import date_value
from dangvien_cli.vocab import GENDER

ROSTER_COLUMNS = [
    Column("seq", "STT", width=5, kind="number"),
    Column("full_name", "Họ và tên", width=24),
    Column("other_name", "Tên gọi khác", width=12),
    Column("gender", "Giới tính", width=8),
    Column("birth_date", "Ngày sinh", width=11, kind="date"),
    Column("ethnicity", "Dân tộc", width=9),
    Column("religion", "Tôn giáo", width=10),
    Column("hometown", "Quê quán", width=20),
    Column("birthplace", "Nơi sinh", width=16),
    Column("residence", "Nơi ở hiện nay", width=22),
    Column("national_id", "Số định danh cá nhân", width=15),
    Column("old_id_number", "Số CMND cũ", width=12),
    Column("card_number", "Số thẻ đảng viên", width=14),
    Column("decision_date", "Quyết định kết nạp", group="Ngày vào Đảng", width=11, kind="date"),
    Column("admission_date", "Kết nạp", group="Ngày vào Đảng", width=11, kind="date"),
    Column("official_date", "Chính thức", group="Ngày vào Đảng", width=11, kind="date"),
    Column("education_general", "Học vấn", group="Trình độ", width=9),
    Column("education_professional", "Chuyên môn", group="Trình độ", width=14),
    Column("political_theory", "Lý luận chính trị", group="Trình độ", width=11),
    Column("position", "Chức vụ", width=16),
    Column("occupation", "Nghề nghiệp", width=14),
    Column("note", "Ghi chú", width=16),
]


def _note(row: dict) -> str | None:
    note = row["note"]
    if row["membership"] == "probationary" and not (note and "dự bị" in note.lower()):
        return f"Dự bị; {note}" if note else "Dự bị"
    return note


def export_roster(conn: sqlite3.Connection, path: Path, *, cell: str | None = None, as_of: str | None = None,
                  place: str | None = None) -> dict:
    """Write the members on the roll under ``cell`` (or all), one section per cell, numbering per section."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InvalidValue(f"Tệp xuất phải có đuôi .xlsx (đã ghi '{path.name}').")
    if not path.parent.exists():
        raise InvalidValue(f"Thư mục {path.parent} không tồn tại.")
    on = as_date(date_value(as_of, "Ngày tính đến")) if as_of else today()
    where = f"m.status IN {ON_ROLL_SQL}"
    root = find_cell(conn, cell) if cell else None
    if root is not None:
        where += f" AND m.cell_id IN ({','.join(map(str, subtree_ids(conn, root.id)))})"
    cols = ", ".join(f"m.{c.key}" for c in ROSTER_COLUMNS if c.key not in ("seq",))
    result = conn.execute(
        f"SELECT c.id AS cell_id, c.code AS cell_code, c.name AS cell_name, m.membership, {cols} "
        f"FROM members m JOIN cells c ON c.id = m.cell_id WHERE {where} ORDER BY c.code, m.sort_key, m.id")
    names = [d[0] for d in result.description]
    if root is not None:
        parent = conn.execute("SELECT name FROM cells WHERE id = ?", (root.parent_id,)).fetchone()
        parent = parent[0] if parent else None
        left = [parent.upper(), root.name.upper()] if parent else [root.name.upper(), "*"]
        sign_right = ["T/M CHI ỦY" if root.kind in ("cell", "grassroots_cell", "party_group") else "T/M ĐẢNG ỦY",
                      "BÍ THƯ"]
    else:
        tops = [n for (n,) in conn.execute("SELECT name FROM cells WHERE parent_id IS NULL ORDER BY code")]
        left = [tops[0].upper(), "*"] if len(tops) == 1 else ["", ""]
        sign_right = ["T/M ĐẢNG ỦY", "BÍ THƯ"]
    tmp = path.with_name(f".{path.name}.partial")
    book = new_book(str(tmp))
    try:
        sheet = SheetWriter(book, "Danh sách đảng viên", ROSTER_COLUMNS)
        sheet.title_block(left, "DANH SÁCH ĐẢNG VIÊN", f"(Tính đến ngày {format_vi(on.isoformat())})",
                          place_date_line(place, on))
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
            row["gender"] = GENDER.label(row["gender"]) or None
            sheet.record(row)
        sheet.note(f"Tổng số: {members} đảng viên.")
        sheet.signature(["NGƯỜI LẬP BIỂU"], sign_right)
        sheet.page_setup()
        book.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"path": str(path), "members": members, "sections": sections}
