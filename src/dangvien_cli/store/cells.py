"""Organizations: look-ups by code or name, subtrees, codes for new organizations."""

from __future__ import annotations

from dangvien_cli.errors import InvalidValue, NotFound
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.text import normalize_text, search_key

_COLUMNS = "id, code, name, kind, parent_id, valid_to"


def get(conn: Connection, cell_id: int) -> Record | None:
    """Every column of one organization."""
    return conn.record("SELECT * FROM cells WHERE id = ?", (cell_id,))


def find(conn: Connection, ref: str) -> Record:
    """By code, else exact name, else name without case or diacritics; an ambiguous name lists the codes
    (contract.md: a cell is referred to by its code or its exact name)."""
    text = normalize_text(ref)
    if not text:
        raise InvalidValue("Chưa ghi tổ chức đảng.", hint="Ghi mã hoặc tên đúng của tổ chức đảng.")
    row = conn.record(f"SELECT {_COLUMNS} FROM cells WHERE code = ?", (text,))
    if row:
        return row
    matches = conn.records(f"SELECT {_COLUMNS} FROM cells WHERE name = ?", (text,))
    if not matches:
        matches = conn.records(f"SELECT {_COLUMNS} FROM cells WHERE search_key = ?", (search_key(text),))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        codes = ", ".join(m.code for m in matches)
        raise InvalidValue(f"Có {len(matches)} tổ chức đảng cùng tên '{text}'.",
                           hint=f"Hãy ghi mã thay cho tên: {codes}.")
    raise NotFound(f"Không có tổ chức đảng nào có mã hoặc tên '{text}'.",
                   hint="Xem danh sách bằng 'dangvien cells list' hoặc 'dangvien cells tree'.")


def subtree_ids(conn: Connection, cell_id: int) -> list[int]:
    """The organization and everything under it."""
    return conn.column(
        "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT c.id FROM cells c JOIN sub ON c.parent_id = sub.id) "
        "SELECT id FROM sub", (cell_id,))


def next_child_code(conn: Connection, parent_code: str | None) -> str:
    """A code for an organization created by an import: the parent's code plus the next free 3-digit number."""
    prefix = f"{parent_code}." if parent_code else ""
    existing = set(conn.column("SELECT code FROM cells WHERE code LIKE ?", (prefix + "%",)))
    n = 1
    while f"{prefix}{n:03d}" in existing:
        n += 1
    return f"{prefix}{n:03d}"


def all_cells(conn: Connection) -> list[Record]:
    """Every organization: ``id, code, name, kind, parent_id, valid_to``."""
    return conn.records(f"SELECT {_COLUMNS} FROM cells")
