"""Read-only queries of the readiness check for the national database (issue 14, ``check national``).

Four set-based reads over the members on the roll (400,000 in a province): the members with what the
checks need, the names shared with a birth date, and the numbers one person holds that another person
holds too (the card of one is the personal id of another). The per-member checks run in Python on the
first read's rows.
"""

from __future__ import annotations

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store.connection import Connection

MEMBER_COLUMNS = ("id", "full_name", "search_key", "sort_key", "gender", "birth_date", "national_id",
                  "card_number", "admission_date", "cell_id", "cell_code", "cell_name", "cell_kind",
                  "cell_valid_to")


def _scope(cell_ids: list[int] | None) -> tuple[str, tuple]:
    if cell_ids is None:
        return "", ()
    return f" AND m.cell_id IN ({','.join('?' * len(cell_ids))})", tuple(cell_ids)


def members_on_roll(conn: Connection, cell_ids: list[int] | None) -> list[tuple]:
    """Members on the roll (of the organizations ``cell_ids``, or all), columns as MEMBER_COLUMNS."""
    where, params = _scope(cell_ids)
    return conn.rows(
        "SELECT m.id, m.full_name, m.search_key, m.sort_key, m.gender, m.birth_date, m.national_id, "
        "m.card_number, m.admission_date, m.cell_id, c.code, c.name, c.kind, c.valid_to "
        f"FROM members m JOIN cells c ON c.id = m.cell_id WHERE m.status IN {ON_ROLL_SQL}{where} "
        "ORDER BY c.code, m.sort_key, m.id", params)


def same_name_and_birth(conn: Connection) -> list[tuple[int, int]]:
    """Pairs (member, other member) on the roll with the same name key and the same birth date."""
    return conn.rows(
        "WITH keyed AS (SELECT id, search_key, birth_date FROM members "
        f"WHERE status IN {ON_ROLL_SQL} AND birth_date IS NOT NULL), "
        "dup AS (SELECT search_key, birth_date FROM keyed GROUP BY search_key, birth_date HAVING count(*) > 1) "
        "SELECT a.id, b.id FROM dup JOIN keyed a ON a.search_key = dup.search_key AND a.birth_date = dup.birth_date "
        "JOIN keyed b ON b.search_key = a.search_key AND b.birth_date = a.birth_date AND b.id <> a.id "
        "ORDER BY a.id, b.id")


def cards_that_are_ids_of_others(conn: Connection) -> list[tuple[int, int, str]]:
    """(card holder, id holder, number): one member's card number is another member's personal id."""
    return conn.rows(
        "SELECT a.id, b.id, a.card_number FROM members a JOIN members b ON b.national_id = a.card_number "
        f"WHERE b.id <> a.id AND a.status IN {ON_ROLL_SQL} AND b.status IN {ON_ROLL_SQL}")


def ids_held_by_candidates(conn: Connection) -> list[tuple[int, int, str]]:
    """(member, candidate, number): a member's personal id recorded for a candidate who is someone else."""
    return conn.rows(
        "SELECT m.id, k.id, m.national_id FROM members m JOIN candidates k ON k.national_id = m.national_id "
        f"WHERE m.status IN {ON_ROLL_SQL} AND (k.member_id IS NULL OR k.member_id <> m.id) "
        "AND (k.previous_member_id IS NULL OR k.previous_member_id <> m.id) "
        "AND k.status IN ('following', 'probationary', 'official')")


def stored_settings(conn: Connection) -> dict[str, str]:
    return dict(conn.rows("SELECT key, value FROM settings"))
