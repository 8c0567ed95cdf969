"""Each member's dues category over time and the reductions decided (``dues_categories``, ``dues_reductions``,
migration 11), and what the check of a year's dues book reads at once."""

from __future__ import annotations

from collections.abc import Iterable

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.store.database import now_iso

_CATEGORY = "id, member_id, category, base, valid_from, valid_to, reference"
_REDUCTION = "id, member_id, percent, valid_from, valid_to, reference"


def categories(conn: Connection, member_id: int) -> list[Record]:
    """A member's categories, oldest first."""
    return conn.records(f"SELECT {_CATEGORY} FROM dues_categories WHERE member_id = ? ORDER BY valid_from, id",
                        (member_id,))


def reductions(conn: Connection, member_id: int) -> list[Record]:
    return conn.records(f"SELECT {_REDUCTION} FROM dues_reductions WHERE member_id = ? ORDER BY valid_from, id",
                        (member_id,))


def add_category(conn: Connection, member_id: int, category: str, base: int | None, valid_from: str,
                 reference: str | None, source: str) -> int:
    return conn.insert("dues_categories", {
        "member_id": member_id, "category": category, "base": base, "valid_from": valid_from, "valid_to": None,
        "reference": reference, "source": source, "created_at": now_iso()})


def close_category(conn: Connection, category_id: int, valid_to: str) -> None:
    conn.execute("UPDATE dues_categories SET valid_to = ? WHERE id = ?", (valid_to, category_id))


def add_reduction(conn: Connection, member_id: int, percent: int, valid_from: str, valid_to: str,
                  reference: str | None, source: str) -> int:
    return conn.insert("dues_reductions", {
        "member_id": member_id, "percent": percent, "valid_from": valid_from, "valid_to": valid_to,
        "reference": reference, "source": source, "created_at": now_iso()})


def year_periods(conn: Connection, first: str, last: str) -> tuple[dict[int, list[tuple]], dict[int, list[tuple]]]:
    """({member id: [(category, base, valid_from, valid_to)]}, {member id: [(percent, valid_from, valid_to)]})
    of every category and reduction touching [first, last], oldest first."""
    cats: dict[int, list[tuple]] = {}
    for mid, *rest in conn.rows(
            "SELECT member_id, category, base, valid_from, valid_to FROM dues_categories "
            "WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY member_id, valid_from, id",
            (last, first)):
        cats.setdefault(mid, []).append(tuple(rest))
    reds: dict[int, list[tuple]] = {}
    for mid, *rest in conn.rows(
            "SELECT member_id, percent, valid_from, valid_to FROM dues_reductions "
            "WHERE valid_from <= ? AND valid_to >= ? ORDER BY member_id, valid_from, id", (last, first)):
        reds.setdefault(mid, []).append(tuple(rest))
    return cats, reds


def book_members(conn: Connection, year: int, cell_ids: Iterable[int] | None = None) -> list[Record]:
    """Every member with a dues-book row for ``year`` (in the cells given, when given): id, card number, name,
    cell code and name, the book's marks and amounts (JSON), ordered as a list of members is read."""
    rows = conn.records(
        "SELECT m.id, m.card_number, m.full_name, m.cell_id, c.code AS cell_code, c.name AS cell_name, "
        "b.marks, b.amounts FROM dues_books b JOIN members m ON m.id = b.member_id "
        "LEFT JOIN cells c ON c.id = m.cell_id WHERE b.year = ? ORDER BY c.code, m.full_name, m.id", (year,))
    if cell_ids is None:
        return rows
    allowed = set(cell_ids)
    return [r for r in rows if r["cell_id"] in allowed]


def judged_book_rows(conn: Connection, year: int, first: str, last: str, started_by: str | None) -> list[Record]:
    """Book rows of ``year`` (id, marks, amounts) of members on the roll who paid in some month and either hold
    a dues category touching [first, last] or, when ``started_by`` is given, started their party age by that
    day (candidates for the exemption at 50 years: a partial date sorts before every full day of its year, so
    none is missed). The screening judges only these: without a category a month cannot be computed. Driven by
    the few members with a category (and the old members), each book row found by its primary key."""
    age = "UNION SELECT id FROM members WHERE COALESCE(decision_date, admission_date) <= ?" if started_by else ""
    params: list = [last, first] + ([started_by] if started_by else []) + [year]
    # SQLite's planner would scan the whole year's book first; its CROSS JOIN keeps the few members outermost
    # (the dialect's ordered_join: a plain JOIN on PostgreSQL, which plans by its statistics).
    join = conn.dialect.ordered_join
    return conn.records(
        "SELECT b.member_id AS id, b.marks, b.amounts FROM (SELECT c.member_id AS id FROM dues_categories c "
        f"WHERE c.valid_from <= ? AND (c.valid_to IS NULL OR c.valid_to >= ?) {age}) j "
        f"{join} dues_books b ON b.member_id = j.id AND b.year = ? "
        f"JOIN members m ON m.id = b.member_id WHERE b.marks LIKE '%p%' AND m.status IN {ON_ROLL_SQL}", params)


def started_by(conn: Connection, day: str) -> set[int]:
    """Members whose party age started (decision, else admission) by ``day``; a partial date sorts before every
    full day of its year, so none who may qualify is missed."""
    return set(conn.column("SELECT id FROM members WHERE COALESCE(decision_date, admission_date) <= ?", (day,)))
