"""Party badges (Huy hiệu Đảng): who could be due, what was received, recording an award."""

from __future__ import annotations

import json

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store.connection import Connection


def candidates(conn: Connection, admitted_by: str, cell_ids: list[int] | None = None, *,
               died_from: str | None = None, died_to: str | None = None) -> list[tuple]:
    """Members on the roll whose party age starts on or before ``admitted_by`` (ISO): the only ones who can
    reach the first milestone; and, with ``died_from``/``died_to``, members who died between those days (a
    posthumous award). Rows: id, card number, name, decision date, admission date, sort key, cell code, cell
    name, seriously ill since, status, status date, birth date."""
    alive = f"m.status IN {ON_ROLL_SQL}"
    params: list = []
    if died_from is not None:
        alive = f"({alive} OR (m.status = 'deceased' AND m.status_date >= ? AND m.status_date <= ?))"
        params += [died_from, died_to]
    sql = ("SELECT m.id, m.card_number, m.full_name, m.decision_date, m.admission_date, m.sort_key, c.code, c.name, "
           f"m.seriously_ill_since, m.status, m.status_date, m.birth_date FROM members m JOIN cells c ON c.id = m.cell_id "
           f"WHERE {alive} AND coalesce(m.decision_date, m.admission_date) IS NOT NULL "
           "AND coalesce(m.decision_date, m.admission_date) <= ?")
    params.append(admitted_by)
    if cell_ids is not None:
        sql += f" AND m.cell_id IN ({', '.join('?' * len(cell_ids))})"
        params += cell_ids
    return conn.rows(sql, params)


def awards(conn: Connection, *, cell_ids: list[int] | None = None, year: int | None = None) -> list[dict]:
    """The badges awarded (of members of ``cell_ids``, in ``year``), newest first, with the member and cell."""
    where, params = [], []
    if cell_ids is not None:
        where.append(f"m.cell_id IN ({', '.join('?' * len(cell_ids))})")
        params += cell_ids
    if year is not None:
        where.append("a.awarded_date >= ? AND a.awarded_date <= ?")
        params += [f"{year}-01-01", f"{year}-12-31"]
    cur = conn.execute(
        "SELECT a.id AS award_id, m.id AS member_id, m.card_number, m.full_name, c.code AS cell_code, "
        "c.name AS cell_name, a.milestone, a.awarded_date, a.reference, a.posthumous FROM badge_awards a "
        "JOIN members m ON m.id = a.member_id JOIN cells c ON c.id = m.cell_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY a.awarded_date DESC, a.milestone DESC, c.code, m.sort_key, m.id", params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def member_awards(conn: Connection, member_id: int) -> list[dict]:
    """One member's badges, oldest first."""
    cur = conn.execute("SELECT milestone, awarded_date, reference, posthumous FROM badge_awards WHERE member_id = ? "
                       "ORDER BY milestone", (member_id,))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def gaps_and_awards(conn: Connection, member_ids: list[int]) -> tuple[dict[int, list], dict[int, list[int]]]:
    """For many members at once: their party-age gaps (start, end) and the milestones already received."""
    gaps: dict[int, list] = {}
    awarded: dict[int, list[int]] = {}
    if not member_ids:
        return gaps, awarded
    # the whole id list as one JSON parameter (no limit on the number of ids), read by the dialect's ids_table
    ids = json.dumps(member_ids)
    listed = f"(SELECT j.value FROM {conn.dialect.ids_table} j)"
    for mid, start, end in conn.rows(f"SELECT member_id, start_date, end_date FROM member_gaps WHERE member_id IN "
                                     f"{listed}", (ids,)):
        gaps.setdefault(mid, []).append((start, end))
    for mid, milestone in conn.rows(f"SELECT member_id, milestone FROM badge_awards WHERE member_id IN {listed}",
                                    (ids,)):
        awarded.setdefault(mid, []).append(milestone)
    return gaps, awarded


def has_award(conn: Connection, member_id: int, milestone: int) -> bool:
    return conn.value("SELECT 1 FROM badge_awards WHERE member_id = ? AND milestone = ?",
                      (member_id, milestone)) is not None


def add_award(conn: Connection, member_id: int, milestone: int, day: str, reference: str | None,
              posthumous: bool, stamp: str) -> int:
    return conn.insert("badge_awards", {"member_id": member_id, "milestone": milestone, "awarded_date": day,
                                        "reference": reference, "posthumous": int(posthumous), "created_at": stamp})
