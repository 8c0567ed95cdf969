"""Annual ratings: ``member_ratings`` (one row a member a year), ``cell_ratings`` (one row an organization a
year), and the exemptions that decide who may be rated."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dangvien_cli.store.connection import Connection, Record

_MEMBER_RATING = ("level", "not_rated_reason", "score", "proposed_by", "approved_by")


def member_rating(conn: Connection, member_id: int, year: int) -> Record | None:
    return conn.record("SELECT * FROM member_ratings WHERE member_id = ? AND year = ?", (member_id, year))


def put_member_rating(conn: Connection, member_id: int, year: int, values: dict, *, source: str,
                      created_at: str) -> None:
    """Insert the year's rating of a member, or replace its values and source (``created_at`` is kept)."""
    conn.execute(
        "INSERT INTO member_ratings (member_id, year, level, not_rated_reason, score, proposed_by, approved_by, "
        "source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (member_id, year) DO UPDATE SET "
        "level = excluded.level, not_rated_reason = excluded.not_rated_reason, score = excluded.score, "
        "proposed_by = excluded.proposed_by, approved_by = excluded.approved_by, source = excluded.source",
        (member_id, year, *(values[k] for k in _MEMBER_RATING), source, created_at))


def year_ratings(conn: Connection, year: int) -> dict[int, tuple]:
    """{member id: (level, not_rated_reason, score, proposed_by)} of the year."""
    return {mid: (lvl, why, sc, prop) for mid, lvl, why, sc, prop in conn.rows(
        "SELECT member_id, level, not_rated_reason, score, proposed_by FROM member_ratings WHERE year = ?",
        (year,))}


def put_member_ratings(conn: Connection, rows: Iterable[Sequence]) -> None:
    """Bulk upsert of ``(member_id, year, level, not_rated_reason, score, proposed_by, source, created_at)``."""
    conn.executemany(
        "INSERT INTO member_ratings (member_id, year, level, not_rated_reason, score, proposed_by, source, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (member_id, year) DO UPDATE SET "
        "level = excluded.level, not_rated_reason = excluded.not_rated_reason, score = excluded.score, "
        "proposed_by = excluded.proposed_by, source = excluded.source", rows)


def exemptions_of(conn: Connection, member_id: int) -> list[tuple]:
    """``(kind, start_date, end_date, ended_date)`` of a member's exemptions."""
    return conn.rows("SELECT kind, start_date, end_date, ended_date FROM exemptions WHERE member_id = ?",
                     (member_id,))


def all_exemptions(conn: Connection) -> dict[int, list[tuple]]:
    """{member id: [(kind, start_date, end_date, ended_date)]} of every exemption."""
    found: dict[int, list[tuple]] = {}
    for mid, *period in conn.rows("SELECT member_id, kind, start_date, end_date, ended_date FROM exemptions"):
        found.setdefault(mid, []).append(tuple(period))
    return found


def member_facts(conn: Connection) -> dict[int, tuple[str, str | None]]:
    """{member id: (status, admission_date)} of every member."""
    return {mid: (status, admission) for mid, status, admission in
            conn.rows("SELECT id, status, admission_date FROM members")}


def member_list(conn: Connection, year: int, cell_ids: Sequence[int] | None = None) -> list[Record]:
    """The year's member ratings with the member and cell, by cell code and name (optionally within cells)."""
    where, params = "r.year = ?", [year]
    if cell_ids is not None:
        where += f" AND m.cell_id IN ({', '.join('?' * len(cell_ids))})"
        params += list(cell_ids)
    return conn.records(
        "SELECT m.id AS member_id, m.card_number, m.full_name, c.code AS cell_code, c.name AS cell_name, r.year, "
        "r.level, r.not_rated_reason, r.score, r.proposed_by, r.approved_by, r.source FROM member_ratings r "
        "JOIN members m ON m.id = r.member_id JOIN cells c ON c.id = m.cell_id "
        f"WHERE {where} ORDER BY c.code, m.sort_key, m.id", params)


def counts_by_cell(conn: Connection, year: int) -> list[tuple]:
    """``(cell_id, level, not_rated_reason, count)`` of the year's member ratings."""
    return conn.rows(
        "SELECT m.cell_id, r.level, r.not_rated_reason, count(*) FROM member_ratings r "
        "JOIN members m ON m.id = r.member_id WHERE r.year = ? GROUP BY m.cell_id, r.level, r.not_rated_reason",
        (year,))


def cell_rating(conn: Connection, cell_id: int, year: int) -> Record | None:
    return conn.record("SELECT * FROM cell_ratings WHERE cell_id = ? AND year = ?", (cell_id, year))


def put_cell_rating(conn: Connection, cell_id: int, year: int, *, level: str | None, four_good: int,
                    note: str | None, source: str, created_at: str) -> None:
    """Insert an organization's rating of the year, or replace it (``created_at`` is kept)."""
    conn.execute(
        "INSERT INTO cell_ratings (cell_id, year, level, four_good, note, source, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cell_id, year) DO UPDATE SET level = excluded.level, "
        "four_good = excluded.four_good, note = excluded.note, source = excluded.source",
        (cell_id, year, level, four_good, note, source, created_at))


def cell_list(conn: Connection, year: int) -> list[Record]:
    return conn.records(
        "SELECT c.code AS cell_code, c.name AS cell_name, r.year, r.level, r.four_good, r.note FROM cell_ratings r "
        "JOIN cells c ON c.id = r.cell_id WHERE r.year = ? ORDER BY c.code", (year,))
