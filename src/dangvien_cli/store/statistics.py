"""Reads of the statistics forms: members, the history rows that move them on and off the list, the
organization tree and its moves. Everything in a few set-based reads; the reconstruction is in Python
(rules/timeline.py), one pass over the members."""

from __future__ import annotations

from dangvien_cli.store.connection import Connection

MEMBER_COLUMNS = ("id", "cell_id", "status", "status_date", "admission_date", "decision_date", "official_date",
                  "membership", "gender", "birth_date", "ethnicity", "religion", "education_general",
                  "education_professional", "political_theory", "occupation")
# Fields of the profile form whose corrections are rolled back for a day before they were made.
PROFILE_FIELDS = ("gender", "birth_date", "ethnicity", "religion", "education_general", "education_professional",
                  "political_theory", "occupation", "membership", "official_date", "admission_date",
                  "decision_date")


def cells(conn: Connection) -> list[tuple]:
    """(id, code, name, parent_id, replaced_by_id, kind, unit_type) of every organization."""
    return conn.rows("SELECT id, code, name, parent_id, replaced_by_id, kind, unit_type FROM cells")


def cell_moves(conn: Connection) -> list[tuple]:
    """(cell id, old parent label, new parent label, day, recorded) of organization moves, oldest first."""
    return conn.rows("SELECT cell_id, old_value, new_value, effective_date, substr(created_at, 1, 10) "
                     "FROM cell_events WHERE event = 'moved' ORDER BY id")


def members(conn: Connection) -> list[tuple]:
    return conn.rows(f"SELECT {', '.join(MEMBER_COLUMNS)} FROM members")


def place_events(conn: Connection) -> list[tuple]:
    """(member, event, field, old, new, day, recorded, source) of the history rows that move a member on or off
    the list or between cells, in the order recorded."""
    return conn.rows(
        "SELECT member_id, event, field, old_value, new_value, effective_date, substr(created_at, 1, 10), source "
        "FROM member_events WHERE (event = 'transferred' AND field = 'cell') "
        "OR (event = 'readmitted' AND field IN ('cell', 'admission_date')) "
        "OR event IN ('left', 'transferred_out') ORDER BY id")


def corrections(conn: Connection, after: str) -> list[tuple]:
    """(member, field, old value) of changes to profile fields recorded after the day ``after``, newest first:
    rolling them back gives the record as it stood that day."""
    marks = ", ".join("?" * len(PROFILE_FIELDS))
    return conn.rows(
        "SELECT member_id, field, old_value FROM member_events WHERE event = 'updated' "
        f"AND field IN ({marks}) AND substr(created_at, 1, 10) > ? ORDER BY id DESC", (*PROFILE_FIELDS, after))


def gaps(conn: Connection) -> list[tuple]:
    return conn.rows("SELECT member_id, start_date, end_date FROM member_gaps")
