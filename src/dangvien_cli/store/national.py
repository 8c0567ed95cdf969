"""Read-only queries of the readiness check for the national database (issue 14, ``check national``).

Four set-based reads over the members on the roll (400,000 in a province): the members with what the
checks need, the names shared with a birth date, and the numbers one person holds that another person
holds too (the card of one is the personal id of another). The per-member checks run in Python on the
first read's rows.
"""

from __future__ import annotations

import json

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.rules.organization import MEMBER_KINDS
from dangvien_cli.store.connection import Connection

MEMBER_COLUMNS = ("id", "full_name", "search_key", "sort_key", "gender", "birth_date", "national_id",
                  "card_number", "admission_date", "cell_id", "cell_code", "cell_name", "cell_kind",
                  "cell_valid_to")


def _scope(cell_ids: list[int] | None) -> tuple[str, tuple]:
    if cell_ids is None:
        return "", ()
    return f" AND m.cell_id IN ({','.join('?' * len(cell_ids))})", tuple(cell_ids)


_SELECT = ("SELECT m.id, m.full_name, m.search_key, m.sort_key, m.gender, m.birth_date, m.national_id, "
           "m.card_number, m.admission_date, m.cell_id, c.code, c.name, c.kind, c.valid_to "
           "FROM members m JOIN cells c ON c.id = m.cell_id ")
_MEMBER_KINDS_SQL = "(" + ", ".join(f"'{k}'" for k in MEMBER_KINDS) + ")"

# Members whose own record may have a problem: a superset of what rules/national_id.py and the service flag,
# so that only these few rows of a province are judged in Python (the rule itself stays in Python).
_MAY_HAVE_A_PROBLEM = (
    "m.national_id IS NULL OR m.gender IS NULL OR m.birth_date IS NULL OR m.admission_date IS NULL "
    f"OR c.valid_to IS NOT NULL OR c.kind NOT IN {_MEMBER_KINDS_SQL} OR m.birth_date < '1900' "
    "OR substr(m.national_id, 1, 3) NOT BETWEEN '001' AND '096' "
    "OR substr(m.national_id, 5, 2) <> substr(m.birth_date, 3, 2) "
    "OR substr(m.national_id, 4, 1) <> CAST(2 * ((CAST(substr(m.birth_date, 1, 4) AS INTEGER) - 1900) / 100) "
    "+ CASE WHEN m.gender = 'female' THEN 1 ELSE 0 END AS TEXT) "
    "OR (? = 1 AND length(m.card_number) = 12 AND m.card_number <> m.national_id)")


def members_to_judge(conn: Connection, cell_ids: list[int] | None, card_equals_id: bool) -> list[tuple]:
    """Members on the roll (of ``cell_ids``, or all) whose own record may have a problem (MEMBER_COLUMNS)."""
    where, params = _scope(cell_ids)
    return conn.rows(f"{_SELECT}WHERE m.status IN {ON_ROLL_SQL}{where} AND ({_MAY_HAVE_A_PROBLEM})",
                     (*params, int(card_equals_id)))


def members_by_id(conn: Connection, ids: list[int], cell_ids: list[int] | None) -> list[tuple]:
    """The given members, if on the roll and in scope (MEMBER_COLUMNS)."""
    if not ids:
        return []
    where, params = _scope(cell_ids)
    return conn.rows(f"{_SELECT}WHERE m.id IN (SELECT j.value FROM {conn.dialect.ids_table} j) "
                     f"AND m.status IN {ON_ROLL_SQL}{where}",
                     (json.dumps(ids), *params))


def same_name_and_birth(conn: Connection) -> list[list[int]]:
    """Groups of members on the roll with the same name key and the same birth date (two or more each)."""
    # the ids of a group joined by commas: each engine has its own aggregate (group_concat, string_agg)
    return [[int(x) for x in ids.split(",")] for (ids,) in conn.execute(
        f"SELECT {conn.dialect.joined_ids('id')} FROM members "
        f"WHERE status IN {ON_ROLL_SQL} AND birth_date IS NOT NULL GROUP BY birth_date, search_key "
        "HAVING count(*) > 1")]


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
