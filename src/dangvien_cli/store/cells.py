"""Organizations: look-ups by code or name, subtrees, codes for new organizations."""

from __future__ import annotations

from dangvien_cli.errors import InvalidValue, NotFound
from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store import audit
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
        # the CAST types the parameter, which PostgreSQL otherwise guesses too small for the recursive term
        "WITH RECURSIVE sub(id) AS (SELECT CAST(? AS INTEGER) UNION SELECT c.id FROM cells c "
        "JOIN sub ON c.parent_id = sub.id) "
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


# --- the organizations aggregate (services/cells.py) --------------------------------------------------------

def label(cell: Record | None) -> str | None:
    """How history names an organization: its code and the name it had at that moment."""
    return None if cell is None else f"{cell.code} — {cell.name}"


def id_of_code(conn: Connection, code: str) -> int | None:
    return conn.value("SELECT id FROM cells WHERE code = ?", (code,))


def insert(conn: Connection, values: dict) -> int:
    return conn.insert("cells", values)


def update(conn: Connection, cell_id: int, values: dict, *, version: int | None = None) -> None:
    """Change an organization and raise its row version; with ``version`` (the one read) refuse, saying who and
    when, if another clerk changed it since."""
    if not conn.update_versioned("cells", cell_id, values, version):
        audit.refuse_stale(conn, "cell", cell_id)


def listing(conn: Connection) -> list[Record]:
    """Every organization with all its columns, dissolved ones included, by code."""
    return conn.records("SELECT * FROM cells ORDER BY code")


def children(conn: Connection, cell_id: int, *, active_only: bool = False) -> list[Record]:
    return conn.records("SELECT id, code, name, kind, valid_to FROM cells WHERE parent_id = ?"
                        + (" AND valid_to IS NULL" if active_only else "") + " ORDER BY code", (cell_id,))


def members_on_roll_by_cell(conn: Connection) -> dict[int, int]:
    """cell id → members on the roll whose home cell it is."""
    return dict(conn.rows(f"SELECT cell_id, count(*) FROM members WHERE status IN {ON_ROLL_SQL} GROUP BY cell_id"))


def members_on_roll_by_membership(conn: Connection, cell_id: int) -> dict[str, int]:
    return dict(conn.rows(f"SELECT membership, count(*) FROM members WHERE cell_id = ? AND status IN "
                          f"{ON_ROLL_SQL} GROUP BY membership", (cell_id,)))


def member_ids_on_roll(conn: Connection, cell_id: int) -> list[int]:
    return conn.column(f"SELECT id FROM members WHERE cell_id = ? AND status IN {ON_ROLL_SQL} ORDER BY id",
                       (cell_id,))


def move_members(conn: Connection, member_ids: list[int], target_id: int, stamp: str) -> None:
    """Give members a new home cell (a dissolve moves tens of thousands at once: one statement per batch)."""
    conn.executemany("UPDATE members SET cell_id = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                     ((target_id, stamp, mid) for mid in member_ids))


def events(conn: Connection, cell_id: int) -> list[Record]:
    """The organization's history, oldest first."""
    return conn.records("SELECT event, field, old_value, new_value, effective_date, reference, source, created_at "
                        "FROM cell_events WHERE cell_id = ? ORDER BY id", (cell_id,))
