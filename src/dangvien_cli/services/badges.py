"""Party badges (Huy hiệu Đảng), domain.md §3: who is due at an occasion, and recording an award.

The choice of milestone is ``rules/badges.py`` (the highest milestone reached and not yet received; party age as
in §1.4 with the gaps of ``member_gaps`` deducted). Only members whose party age could reach 30 years by the
occasion are looked at in Python: one SQL filter first.
"""

from __future__ import annotations

from datetime import date

from dangvien_cli.errors import Conflict, InvalidValue, RuleViolation
from dangvien_cli.rules.badges import (
    ILL_EARLY_MONTHS_UP_TO_65,
    MILESTONES,
    POSTHUMOUS_LOOKBACK_MONTHS,
    badges_due,
    early_months,
    ill_on,
    next_occasion,
)
from dangvien_cli.rules.dates import add_months, check_year, date_value, earliest, format_vi, today
from dangvien_cli.rules.party_age import milestone_date, party_start
from dangvien_cli.store import badges as store
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import members as member_store
from dangvien_cli.store.audit import member_event
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import now_iso


def occasion_day(occasion: str | None) -> date:
    """The day of ``occasion`` as typed (a whole day), or the next award occasion from today."""
    if occasion:
        iso = date_value(occasion, "Dịp trao huy hiệu", allow_future=True)
        if len(iso) != 10:
            raise InvalidValue("Dịp trao phải đủ ngày, tháng, năm.", hint="Ví dụ --occasion 19/05/2026.")
        return earliest(iso)
    return next_occasion(today(), inclusive=True)


def due(conn: Connection, occasion: str | None = None, *, cell: str | None = None) -> list[dict]:
    """Members due a badge at ``occasion`` (default: the next of 3/2, 19/5, 2/9, 7/11 from today): on the roll,
    seriously ill (up to 12 or 24 months early, from the day recorded), and members who died in the
    POSTHUMOUS_LOOKBACK_MONTHS before the occasion whose party age at death reached the milestone less 12 months
    (domain.md §3). ``ground`` says which: regular, seriously_ill, posthumous."""
    day = occasion_day(occasion)
    # The latest start that can reach the first milestone by then: 12 months early at most (a seriously ill member).
    limit = add_months(day, -12 * MILESTONES[0] + ILL_EARLY_MONTHS_UP_TO_65).isoformat()
    cell_ids = cell_store.subtree_ids(conn, cell_store.find(conn, cell).id) if cell else None
    rows = store.candidates(conn, limit, cell_ids, died_from=add_months(day, -POSTHUMOUS_LOOKBACK_MONTHS).isoformat(),
                            died_to=day.isoformat())
    gaps, awarded = store.gaps_and_awards(conn, [r[0] for r in rows])
    result = []
    for mid, card, name, decision, admission, sort_key, code, cell_name, ill_since, status, died, birth in rows:
        found = badges_due(decision, admission, gaps.get(mid, ()), day, awarded.get(mid, ()),
                           ill=ill_on(ill_since, day), died_on=died if status == "deceased" else None)
        for b in found:
            result.append({"member_id": mid, "card_number": card, "full_name": name, "birth_date": birth,
                           "milestone": b.milestone,
                           "party_age_years": b.party_age.years, "party_age_months": b.party_age.months,
                           "occasion": day.isoformat(), "reached_on": b.reached_on.isoformat(), "ground": b.ground,
                           "early": b.early, "decision_date": decision, "admission_date": admission, "died_on": died
                           if status == "deceased" else None, "cell_code": code, "cell_name": cell_name,
                           "bonus_multiple": b.bonus_multiple, "_sort": (code, sort_key)})
    result.sort(key=lambda r: (-r["milestone"], r["_sort"]))
    for r in result:
        del r["_sort"]
    return result


def list_awards(conn: Connection, *, cell: str | None = None, year: int | None = None) -> list[dict]:
    """The badges awarded (of ``cell`` and the cells under it, in ``year``), newest first."""
    if year is not None:
        check_year(year)
    cell_ids = cell_store.subtree_ids(conn, cell_store.find(conn, cell).id) if cell else None
    rows = store.awards(conn, cell_ids=cell_ids, year=year)
    for r in rows:
        r["posthumous"] = bool(r["posthumous"])
    return rows


def award(conn: Connection, ref: str, *, milestone: int, date: str, reference: str | None = None,
          posthumous: bool = False, source: str = "badges award") -> dict:
    """Record a badge awarded (§3). Refused for a milestone that does not exist, one already received, or one
    the member's party age does not reach even with the largest early award allowed."""
    member = member_store.by_ref(conn, ref)
    if milestone not in MILESTONES:
        raise InvalidValue(f"Không có Huy hiệu {milestone} năm tuổi Đảng.",
                           hint="Các mốc: " + ", ".join(map(str, MILESTONES)) + " (không có mốc 35 năm).")
    day = date_value(date, "Ngày trao")
    if day is None or len(day) != 10:
        raise InvalidValue("Thiếu ngày trao đủ ngày, tháng, năm.", hint="Ghi --date dd/mm/yyyy.")
    if store.has_award(conn, member.id, milestone):
        raise Conflict(f"Đảng viên mã số {member.id} đã nhận Huy hiệu {milestone} năm tuổi Đảng.")
    if not (member.decision_date or member.admission_date):
        raise RuleViolation("Chưa có ngày quyết định kết nạp hay ngày vào Đảng để tính tuổi đảng (§1.4).",
                            hint="Ghi ngày vào Đảng bằng 'dangvien members update'.")
    gaps = member_store.gaps(conn, member.id)
    reached = milestone_date(party_start(member.decision_date, member.admission_date), gaps, milestone)
    if posthumous:
        # Truy tặng: party age stopped at death; the badge may be at most 12 months early counted from the death,
        # not from the award (Hướng dẫn 01-HD/TW 2021, mục 18).
        if member.status != "deceased" or not member.status_date:
            raise RuleViolation(
                f"Đảng viên mã số {member.id} chưa được ghi là đã từ trần: không thể truy tặng huy hiệu.",
                hint=f"Ghi từ trần trước: dangvien members leave {member.id} --reason deceased --date dd/mm/yyyy; "
                     "với đảng viên còn sống, bỏ --posthumous.", rule="§3")
        died = earliest(member.status_date)
        allowed = add_months(died, early_months(milestone, deceased=True))
        if reached is None or reached > allowed:
            when = f"ngày {format_vi(reached.isoformat())}" if reached else "không đủ (đang gián đoạn)"
            raise RuleViolation(
                f"Đảng viên mã số {member.id} từ trần ngày {format_vi(member.status_date)}, mốc {milestone} năm tuổi "
                f"đảng là {when}: quá 12 tháng sau ngày từ trần, không thể truy tặng (domain.md §3).",
                hint="Chỉ truy tặng khi tuổi đảng lúc từ trần thiếu mốc không quá 12 tháng; xem tuổi đảng bằng "
                     f"'dangvien members show {member.id}'.", rule="§3")
    else:
        if member.status == "deceased":
            raise RuleViolation(
                f"Đảng viên mã số {member.id} đã từ trần ngày {format_vi(member.status_date)}: huy hiệu trao sau khi "
                "từ trần là truy tặng.", hint=f"Ghi thêm --posthumous: dangvien badges award {member.id} --milestone "
                f"{milestone} --date {format_vi(day)} --posthumous", rule="§3")
        ill = ill_on(member.seriously_ill_since, earliest(day))
        allowed = add_months(earliest(day), early_months(milestone, ill=ill))
        if reached is None or reached > allowed:
            when = f"ngày {format_vi(reached.isoformat())}" if reached else "chưa xác định được (đang gián đoạn)"
            if ill:
                hint = "Đảng viên ốm nặng được trao sớm tối đa 12 tháng (mốc 30–65) hoặc 24 tháng (mốc 70–90)."
            else:
                hint = ("Chỉ đảng viên ốm nặng được trao sớm (12 tháng, mốc 70 năm trở lên 24 tháng): ghi ngày ốm "
                        f"nặng bằng 'dangvien members update {member.id} --seriously-ill dd/mm/yyyy'.")
            raise RuleViolation(
                f"Đảng viên mã số {member.id} đủ {milestone} năm tuổi đảng {when}, chưa thể trao huy hiệu ngày "
                f"{format_vi(day)} (domain.md §3).", hint=hint, rule="§3")
    store.add_award(conn, member.id, milestone, day, reference, posthumous, now_iso())
    member_event(conn, member.id, "badge_awarded", source=source, field="badge", new=milestone, date=day,
                 reference=reference)
    return {"member_id": member.id, "milestone": milestone, "date": day, "early": reached > earliest(day)}
