"""The first screen's counts (``reports summary``): members on the roll per cell, and the books of the year."""

from __future__ import annotations

from collections.abc import Sequence

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store.connection import Connection


def roll_and_books(conn: Connection, year: int, cell_ids: Sequence[int] | None) -> list[tuple]:
    """(cell id, status, membership, members, without attendance book, without dues book, without rating) of the
    year, per home cell, for the members on the roll (of ``cell_ids`` when given)."""
    where = f"m.status IN {ON_ROLL_SQL}"
    params: list = [year, year, year]
    if cell_ids is not None:
        where += f" AND m.cell_id IN ({', '.join('?' * len(cell_ids))})"
        params += list(cell_ids)
    return conn.rows(
        "SELECT m.cell_id, m.status, m.membership, count(*), count(*) - count(a.member_id), "
        "count(*) - count(d.member_id), count(*) - count(r.member_id) FROM members m "
        "LEFT JOIN attendance_books a ON a.member_id = m.id AND a.year = ? "
        "LEFT JOIN dues_books d ON d.member_id = m.id AND d.year = ? "
        "LEFT JOIN member_ratings r ON r.member_id = m.id AND r.year = ? "
        f"WHERE {where} GROUP BY m.cell_id, m.status, m.membership", params)
