"""Reads of one member's record sheet (Phiếu đảng viên): transfers, ratings, exemptions, gaps, admission and
introducers, and the events that make the history."""

from __future__ import annotations

from collections.abc import Sequence

from dangvien_cli.store.connection import Connection


def _dicts(conn: Connection, sql: str, params: Sequence) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def transfers(conn: Connection, member_id: int) -> list[dict]:
    """The member's transfers, oldest first, with the names of the cells left and joined."""
    return _dicts(conn, "SELECT t.kind, t.start_date, t.end_date, t.arrived_date, t.status, t.letter_number, "
                        "t.destination, f.name AS from_name, o.name AS to_name FROM transfers t "
                        "LEFT JOIN cells f ON f.id = t.from_cell_id LEFT JOIN cells o ON o.id = t.to_cell_id "
                        "WHERE t.member_id = ? ORDER BY t.start_date, t.id", (member_id,))


def ratings(conn: Connection, member_id: int) -> list[dict]:
    return _dicts(conn, "SELECT year, level, not_rated_reason, score FROM member_ratings WHERE member_id = ? "
                        "ORDER BY year", (member_id,))


def exemptions(conn: Connection, member_id: int) -> list[dict]:
    return _dicts(conn, "SELECT kind, reason, start_date, end_date, ended_date, reference FROM exemptions "
                        "WHERE member_id = ? ORDER BY start_date, id", (member_id,))


def gaps(conn: Connection, member_id: int) -> list[dict]:
    return _dicts(conn, "SELECT kind, start_date, end_date, note FROM member_gaps WHERE member_id = ? "
                        "ORDER BY start_date, id", (member_id,))


def admission(conn: Connection, member_id: int) -> tuple[str | None, list[dict]]:
    """The cell the member was admitted in (from the candidate's file, when the admission was followed here) and
    the introducers: ``(cell name, [{kind, full_name, introduced_date}])``."""
    row = conn.row("SELECT k.id, c.name FROM candidates k JOIN cells c ON c.id = k.cell_id WHERE k.member_id = ?",
                   (member_id,))
    if row is None:
        return None, []
    return row[1], _dicts(conn, "SELECT i.kind, m.full_name, i.introduced_date FROM candidate_introducers i "
                                "LEFT JOIN members m ON m.id = i.member_id WHERE i.candidate_id = ? ORDER BY i.id",
                          (row[0],))


def events(conn: Connection, member_id: int, kinds: Sequence[str]) -> list[dict]:
    """The member's events of ``kinds``, oldest first."""
    return _dicts(conn, f"SELECT event, field, old_value, new_value, effective_date, reference, created_at "
                        f"FROM member_events WHERE member_id = ? AND event IN ({', '.join('?' * len(kinds))}) "
                        "ORDER BY coalesce(effective_date, substr(created_at, 1, 10)), id", (member_id, *kinds))
