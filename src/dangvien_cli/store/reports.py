"""Reads of the yearly admissions report and the new-members profile."""

from __future__ import annotations

from dangvien_cli.store.connection import Connection

MEMBER_COLUMNS = ("id", "cell_id", "full_name", "gender", "birth_date", "ethnicity", "religion", "occupation",
                  "education_general", "admission_date", "decision_date", "status", "status_date")


def members(conn: Connection) -> list[dict]:
    return [dict(zip(MEMBER_COLUMNS, r, strict=True))
            for r in conn.rows(f"SELECT {', '.join(MEMBER_COLUMNS)} FROM members")]


def cells(conn: Connection) -> list[dict]:
    return [dict(r) for r in conn.records("SELECT id, code, name, kind, parent_id, valid_to FROM cells")]
