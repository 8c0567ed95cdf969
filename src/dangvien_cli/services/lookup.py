"""Organization look-ups on a plain sqlite3 connection, shared by the ORM services and the bulk commands
(imports, screening) that run without SQLAlchemy."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from dangvien_cli.errors import InvalidValue, NotFound
from dangvien_cli.text import normalize_text, search_key


class CellRow(NamedTuple):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    valid_to: str | None


_COLUMNS = "id, code, name, kind, parent_id, valid_to"


def find_cell(conn: sqlite3.Connection, ref: str) -> CellRow:
    """By code, else exact name, else name without case or diacritics; an ambiguous name lists the codes."""
    text = normalize_text(ref)
    if not text:
        raise InvalidValue("Chưa ghi tổ chức đảng.", hint="Ghi mã hoặc tên đúng của tổ chức đảng.")
    row = conn.execute(f"SELECT {_COLUMNS} FROM cells WHERE code = ?", (text,)).fetchone()
    if row:
        return CellRow(*row)
    matches = conn.execute(f"SELECT {_COLUMNS} FROM cells WHERE name = ?", (text,)).fetchall()
    if not matches:
        matches = conn.execute(f"SELECT {_COLUMNS} FROM cells WHERE search_key = ?", (search_key(text),)).fetchall()
    if len(matches) == 1:
        return CellRow(*matches[0])
    if len(matches) > 1:
        codes = ", ".join(m[1] for m in matches)
        raise InvalidValue(f"Có {len(matches)} tổ chức đảng cùng tên '{text}'.",
                           hint=f"Hãy ghi mã thay cho tên: {codes}.")
    raise NotFound(f"Không có tổ chức đảng nào có mã hoặc tên '{text}'.",
                   hint="Xem danh sách bằng 'dangvien cells list' hoặc 'dangvien cells tree'.")


def subtree_ids(conn: sqlite3.Connection, cell_id: int) -> list[int]:
    """The cell and everything under it."""
    return [r[0] for r in conn.execute(
        "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT c.id FROM cells c JOIN sub ON c.parent_id = sub.id) "
        "SELECT id FROM sub", (cell_id,))]


def next_child_code(conn: sqlite3.Connection, parent_code: str | None) -> str:
    """A code for a cell created by an import: the parent's code plus the next free 3-digit number."""
    prefix = f"{parent_code}." if parent_code else ""
    existing = {c for (c,) in conn.execute("SELECT code FROM cells WHERE code LIKE ?", (prefix + "%",))}
    n = 1
    while f"{prefix}{n:03d}" in existing:
        n += 1
    return f"{prefix}{n:03d}"
