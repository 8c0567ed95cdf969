"""Party badges (Huy hiệu Đảng): who could be due, what was received, recording an award."""

from __future__ import annotations

import json

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store.connection import Connection


def candidates(conn: Connection, admitted_by: str, cell_ids: list[int] | None = None) -> list[tuple]:
    """Members on the roll whose party age starts on or before ``admitted_by`` (ISO): the only ones who can
    reach the first milestone. Rows: id, card number, name, decision date, admission date, sort key, cell code,
    cell name."""
    sql = ("SELECT m.id, m.card_number, m.full_name, m.decision_date, m.admission_date, m.sort_key, c.code, c.name "
           f"FROM members m JOIN cells c ON c.id = m.cell_id WHERE m.status IN {ON_ROLL_SQL} "
           "AND coalesce(m.decision_date, m.admission_date) IS NOT NULL "
           "AND coalesce(m.decision_date, m.admission_date) <= ?")
    params: list = [admitted_by]
    if cell_ids is not None:
        sql += f" AND m.cell_id IN ({', '.join('?' * len(cell_ids))})"
        params += cell_ids
    return conn.rows(sql, params)


def gaps_and_awards(conn: Connection, member_ids: list[int]) -> tuple[dict[int, list], dict[int, list[int]]]:
    """For many members at once: their party-age gaps (start, end) and the milestones already received."""
    gaps: dict[int, list] = {}
    awarded: dict[int, list[int]] = {}
    if not member_ids:
        return gaps, awarded
    # SQLite's json_each takes the whole id list as one parameter (no limit on the number of ids);
    # another engine reads the same JSON array with its own function.
    ids = json.dumps(member_ids)
    for mid, start, end in conn.rows("SELECT member_id, start_date, end_date FROM member_gaps WHERE member_id IN "
                                     "(SELECT value FROM json_each(?))", (ids,)):
        gaps.setdefault(mid, []).append((start, end))
    for mid, milestone in conn.rows("SELECT member_id, milestone FROM badge_awards WHERE member_id IN "
                                    "(SELECT value FROM json_each(?))", (ids,)):
        awarded.setdefault(mid, []).append(milestone)
    return gaps, awarded


def has_award(conn: Connection, member_id: int, milestone: int) -> bool:
    return conn.value("SELECT 1 FROM badge_awards WHERE member_id = ? AND milestone = ?",
                      (member_id, milestone)) is not None


def add_award(conn: Connection, member_id: int, milestone: int, day: str, reference: str | None,
              posthumous: bool, stamp: str) -> int:
    return conn.insert("badge_awards", {"member_id": member_id, "milestone": milestone, "awarded_date": day,
                                        "reference": reference, "posthumous": int(posthumous), "created_at": stamp})
