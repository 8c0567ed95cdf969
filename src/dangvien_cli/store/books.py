"""The monthly books: one row a member a year in ``attendance_books`` (12 marks) and ``dues_books`` (12 marks and
a JSON list of 12 amounts)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import now_iso

_TABLES = {"attendance": "attendance_books", "dues": "dues_books"}


def attendance(conn: Connection, member_id: int, year: int) -> str | None:
    """The year's 12 attendance marks of a member, or None when the book has no row."""
    return conn.value("SELECT marks FROM attendance_books WHERE member_id = ? AND year = ?", (member_id, year))


def dues(conn: Connection, member_id: int, year: int) -> tuple[str, list] | None:
    """The year's 12 dues marks and 12 amounts of a member, or None when the book has no row."""
    row = conn.row("SELECT marks, amounts FROM dues_books WHERE member_id = ? AND year = ?", (member_id, year))
    return None if row is None else (row[0], json.loads(row[1]))


def put_attendance(conn: Connection, member_id: int, year: int, marks: str, source: str) -> None:
    put_attendance_rows(conn, [(member_id, year, marks, source, now_iso())])


def put_dues(conn: Connection, member_id: int, year: int, marks: str, amounts: list, source: str) -> None:
    put_dues_rows(conn, [(member_id, year, marks, json.dumps(amounts), source, now_iso())])


def put_attendance_rows(conn: Connection, rows: Iterable[Sequence]) -> None:
    """Insert or replace books rows ``(member_id, year, marks, source, updated_at)``."""
    conn.executemany(
        "INSERT INTO attendance_books (member_id, year, marks, source, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (member_id, year) DO UPDATE SET marks = excluded.marks, source = excluded.source, "
        "updated_at = excluded.updated_at", rows)


def put_dues_rows(conn: Connection, rows: Iterable[Sequence]) -> None:
    """Insert or replace books rows ``(member_id, year, marks, amounts JSON, source, updated_at)``."""
    conn.executemany(
        "INSERT INTO dues_books (member_id, year, marks, amounts, source, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (member_id, year) DO UPDATE SET marks = excluded.marks, amounts = excluded.amounts, "
        "source = excluded.source, updated_at = excluded.updated_at", rows)


def year_rows(conn: Connection, kind: str, year: int) -> dict[int, tuple]:
    """{member id: (marks,) for attendance, (marks, amounts JSON) for dues} of every book row of the year."""
    columns = "marks, amounts" if kind == "dues" else "marks"
    return {mid: tuple(rest) for mid, *rest in conn.rows(
        f"SELECT member_id, {columns} FROM {_TABLES[kind]} WHERE year = ?", (year,))}


_BOOK_COLUMNS = {"attendance": "b.marks", "dues": "b.marks, b.amounts",
                 "ratings": "b.level, b.not_rated_reason, b.score"}
_BOOK_TABLES = _TABLES | {"ratings": "member_ratings"}


def _book_where(kind: str, year: int, cell_ids: Sequence[int] | None) -> tuple[str, list]:
    """FROM … WHERE of a book sent out: every member on the roll (of ``cell_ids``) and every member the year's
    book already has a row for."""
    sql = (f"FROM members m JOIN cells c ON c.id = m.cell_id LEFT JOIN {_BOOK_TABLES[kind]} b "
           f"ON b.member_id = m.id AND b.year = ? WHERE (m.status IN {ON_ROLL_SQL} OR b.member_id IS NOT NULL)")
    params: list = [year]
    if cell_ids is not None:
        sql += f" AND m.cell_id IN ({', '.join('?' * len(cell_ids))})"
        params += list(cell_ids)
    return sql, params


def book_lengths(conn: Connection, kind: str, year: int, cell_ids: Sequence[int] | None) -> dict:
    """How many rows the book has, the longest name and card number, whether a member has no card number, and
    for dues the amounts recorded (JSON texts, read one at a time by the caller)."""
    where, params = _book_where(kind, year, cell_ids)
    count, name, card, no_card = conn.row(
        "SELECT count(*), max(length(m.full_name)), max(length(m.card_number)), "
        f"sum(CASE WHEN m.card_number IS NULL THEN 1 ELSE 0 END) {where}", params)
    out = {"count": count, "full_name": name or 0, "card_number": card or 0, "no_card": bool(no_card)}
    if kind == "dues":
        out["amounts"] = (r[0] for r in conn.execute(f"SELECT b.amounts {where} AND b.amounts IS NOT NULL", params))
    return out


def book_rows(conn: Connection, kind: str, year: int, cell_ids: Sequence[int] | None) -> Iterator[dict]:
    """The rows of a book sent out (see :func:`_book_where`) with their cell and what the book holds (None where
    it has no row), by cell code then name, streamed."""
    where, params = _book_where(kind, year, cell_ids)
    cur = conn.execute(
        "SELECT m.id, m.full_name, m.birth_date, m.card_number, c.id AS cell_id, c.code AS cell_code, "
        f"c.name AS cell_name, {_BOOK_COLUMNS[kind]} {where} "
        "ORDER BY c.code, m.sort_key, m.id", params)
    names = [d[0].split(".")[-1] for d in cur.description]
    for values in cur:
        yield dict(zip(names, values, strict=True))
