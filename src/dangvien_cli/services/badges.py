"""Party badges (Huy hiệu Đảng), domain.md §3: who is due at an occasion, and recording an award.

The choice of milestone is ``rules/badges.py`` (the highest milestone reached and not yet received; party age as
in §1.4 with the gaps of ``member_gaps`` deducted). Only members whose party age could reach 30 years by the
occasion are looked at in Python: one SQL filter first.
"""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlmodel import Session

from dangvien_cli.errors import Conflict, InvalidValue, RuleViolation
from dangvien_cli.rules.badges import MILESTONES, badges_due, early_months, next_occasion
from dangvien_cli.rules.dates import add_months, earliest, format_vi, today
from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.rules.party_age import milestone_date, party_start
from dangvien_cli.services.common import date_value, get_member, member_event
from dangvien_cli.store.database import now_iso


def due(session: Session, occasion: str | None = None, *, cell: str | None = None) -> list[dict]:
    """Members due a badge at ``occasion`` (default: the next of 3/2, 19/5, 2/9, 7/11 from today)."""
    from dangvien_cli.services.cells import descendant_ids
    from dangvien_cli.services.common import get_cell

    if occasion:
        iso = date_value(occasion, "Dịp trao huy hiệu", allow_future=True)
        if len(iso) != 10:
            raise InvalidValue("Dịp trao phải đủ ngày, tháng, năm.", hint="Ví dụ --occasion 19/05/2026.")
        day = earliest(iso)
    else:
        day = next_occasion(today(), inclusive=True)
    limit = add_months(day, -12 * MILESTONES[0]).isoformat()
    conn = session.connection()
    where = ""
    if cell:
        ids = descendant_ids(session, get_cell(session, cell).id)
        where = f" AND m.cell_id IN ({','.join(map(str, ids))})"
    rows = conn.execute(text(
        "SELECT m.id, m.card_number, m.full_name, m.decision_date, m.admission_date, m.sort_key, c.code, c.name "
        f"FROM members m JOIN cells c ON c.id = m.cell_id WHERE m.status IN {ON_ROLL_SQL} "
        "AND coalesce(m.decision_date, m.admission_date) IS NOT NULL "
        f"AND coalesce(m.decision_date, m.admission_date) <= :limit{where}"), {"limit": limit}).all()
    ids = [r[0] for r in rows]
    gaps: dict[int, list] = {}
    awarded: dict[int, list[int]] = {}
    if ids:
        id_json = json.dumps(ids)
        for mid, start, end in conn.execute(text(
                "SELECT member_id, start_date, end_date FROM member_gaps WHERE member_id IN "
                "(SELECT value FROM json_each(:ids))"), {"ids": id_json}):
            gaps.setdefault(mid, []).append((start, end))
        for mid, milestone in conn.execute(text(
                "SELECT member_id, milestone FROM badge_awards WHERE member_id IN (SELECT value FROM json_each(:ids))"),
                {"ids": id_json}):
            awarded.setdefault(mid, []).append(milestone)
    result = []
    for mid, card, name, decision, admission, sort_key, code, cell_name in rows:
        found = badges_due(decision, admission, gaps.get(mid, ()), day, awarded.get(mid, ()))
        for b in found:
            result.append({"member_id": mid, "card_number": card, "full_name": name, "milestone": b.milestone,
                           "party_age_years": b.party_age.years, "occasion": day.isoformat(),
                           "reached_on": b.reached_on.isoformat(), "cell_code": code, "cell_name": cell_name,
                           "bonus_multiple": b.bonus_multiple, "_sort": (code, sort_key)})
    result.sort(key=lambda r: (-r["milestone"], r["_sort"]))
    for r in result:
        del r["_sort"]
    return result


def award(session: Session, ref: str, *, milestone: int, date: str, reference: str | None = None,
          posthumous: bool = False, source: str = "badges award") -> dict:
    """Record a badge awarded (§3). Refused for a milestone that does not exist, one already received, or one
    the member's party age does not reach even with the largest early award allowed."""
    member = get_member(session, ref)
    if milestone not in MILESTONES:
        raise InvalidValue(f"Không có Huy hiệu {milestone} năm tuổi Đảng.",
                           hint="Các mốc: " + ", ".join(map(str, MILESTONES)) + " (không có mốc 35 năm).")
    day = date_value(date, "Ngày trao")
    if day is None or len(day) != 10:
        raise InvalidValue("Thiếu ngày trao đủ ngày, tháng, năm.", hint="Ghi --date dd/mm/yyyy.")
    conn = session.connection()
    if conn.execute(text("SELECT 1 FROM badge_awards WHERE member_id = :m AND milestone = :s"),
                    {"m": member.id, "s": milestone}).first():
        raise Conflict(f"Đảng viên mã số {member.id} đã nhận Huy hiệu {milestone} năm tuổi Đảng.")
    if not (member.decision_date or member.admission_date):
        raise RuleViolation("Chưa có ngày quyết định kết nạp hay ngày vào Đảng để tính tuổi đảng (§1.4).",
                            hint="Ghi ngày vào Đảng bằng 'dangvien members update'.")
    gaps = [tuple(r) for r in conn.execute(text(
        "SELECT start_date, end_date FROM member_gaps WHERE member_id = :m"), {"m": member.id})]
    reached = milestone_date(party_start(member.decision_date, member.admission_date), gaps, milestone)
    allowed = add_months(earliest(day), early_months(milestone, ill=not posthumous, deceased=posthumous))
    if reached is None or reached > allowed:
        when = f"ngày {format_vi(reached.isoformat())}" if reached else "chưa xác định được (đang gián đoạn)"
        raise RuleViolation(
            f"Đảng viên mã số {member.id} đủ {milestone} năm tuổi đảng {when}, chưa thể trao huy hiệu ngày "
            f"{format_vi(day)} (domain.md §3).",
            hint="Trao sớm tối đa 12 tháng (mốc 30–65) hoặc 24 tháng (mốc 70–90) cho đảng viên ốm nặng; "
            "truy tặng sớm tối đa 12 tháng.", rule="§3")
    conn.execute(text("INSERT INTO badge_awards (member_id, milestone, awarded_date, reference, posthumous, "
                      "created_at) VALUES (:m, :s, :d, :r, :p, :c)"),
                 {"m": member.id, "s": milestone, "d": day, "r": reference, "p": int(posthumous), "c": now_iso()})
    member_event(session, member.id, "badge_awarded", source=source, field="badge", new=milestone, date=day,
                 reference=reference)
    return {"member_id": member.id, "milestone": milestone, "date": day, "early": reached > earliest(day)}
