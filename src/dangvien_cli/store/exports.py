"""Reads of the printed lists: the members of a roster (streamed, a province at a time) and the heading of a
form (the committee, its superior, whether it has a committee)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store.connection import Connection, Record

# A probationary member's note gets "Dự bị; " in front: its printed length counts it.
_NOTE_LENGTH_SQL = ("max(CASE WHEN m.membership = 'probationary' THEN coalesce(length(m.note), 0) + 8 "
                    "ELSE length(m.note) END)")


def _where(cell_ids: list[int] | None) -> tuple[str, tuple]:
    where = f"m.status IN {ON_ROLL_SQL}"
    if cell_ids is None:
        return where, ()
    return where + f" AND m.cell_id IN ({','.join('?' * len(cell_ids))})", tuple(cell_ids)


def roster_lengths(conn: Connection, cell_ids: list[int] | None, keys: Sequence[str]) -> tuple[int, dict[str, int]]:
    """How many members are on the roll (of ``cell_ids``) and the longest printed value of each column."""
    where, params = _where(cell_ids)
    row = conn.row("SELECT count(*), " + ", ".join(
        _NOTE_LENGTH_SQL if key == "note" else f"max(length(m.{key}))" for key in keys)
        + f" FROM members m WHERE {where}", params)
    return row[0], {key: v or 0 for key, v in zip(keys, row[1:], strict=True)}


def roster_rows(conn: Connection, cell_ids: list[int] | None, keys: Sequence[str]) -> Iterator[tuple]:
    """``(cell_id, cell_name, membership, *keys)`` of the members on the roll, in cell then name order (streamed:
    tuples, not dicts — a province's roster is hundreds of thousands of rows)."""
    where, params = _where(cell_ids)
    return iter(conn.execute(
        f"SELECT c.id, c.name, m.membership, {', '.join('m.' + k for k in keys)} FROM members m "
        f"JOIN cells c ON c.id = m.cell_id WHERE {where} ORDER BY c.code, m.sort_key, m.id", params))


def top_organizations(conn: Connection) -> list[Record]:
    return conn.records("SELECT id, code, name, kind, parent_id, valid_to, has_committee FROM cells "
                        "WHERE parent_id IS NULL ORDER BY code")


def heading_facts(conn: Connection, cell_id: int) -> tuple[str | None, bool]:
    """The superior organization's name and whether the organization has a committee (chi ủy)."""
    parent = conn.value("SELECT p.name FROM cells c JOIN cells p ON p.id = c.parent_id WHERE c.id = ?", (cell_id,))
    has_committee = conn.value("SELECT has_committee FROM cells WHERE id = ?", (cell_id,))
    return parent, bool(has_committee)
