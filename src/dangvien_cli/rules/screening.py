"""The annual screening (rà soát, sàng lọc): the grounds, their sources, and pure functions that judge one
candidate each and return a named :class:`Finding` (or nothing).

Grounds and where they come from (domain.md):

- ``absent_3_months`` — abandoning party activity: cell meetings missed without a valid reason in 3 or more
  months of the year (§1.9 ground 1, QĐ 24-QĐ/TW §8.1; the count is the setting ``screening.absent_months``).
  Valid reasons: an excused absence ('p' in the book), and an exemption or temporary suspension of activity
  covering the month (§1.7, §1.8).
- ``dues_unpaid_3_months`` — no dues paid in 3 or more months of the year without a good reason (§1.9 ground 1,
  restated by Quy định 01-QĐ/TW 2026, §4; setting ``screening.dues_unpaid_months``). Valid reasons: a month
  marked exempt ('e'), an exemption from work and activity covering the month (§1.7), and months from 1/2/2026
  in which the member already has 50 or more years of party age (§4, Quy định 01-QĐ/TW; setting
  ``dues.exempt_party_age_years``; the earlier Quyết định 342-QĐ/TW had no such exemption). A temporary
  suspension of activity does **not** excuse dues: those members keep paying (§1.8, HD 01 §10.3).
- ``dues_short`` / ``dues_over`` — months of the year paid less ("đóng thiếu") or more ("đóng thừa") than the
  amount due by the member's dues category and the regulation in force that month (§4, §9: Quyết định
  342-QĐ/TW to 31/1/2026, Quy định 01-QĐ/TW from 1/2/2026; rules/dues.py). Members without a recorded category
  are not judged (the dues report counts their months as not computable).
- ``rated_khtnv_2_years`` — "violating membership standards two years in a row", read as KHTNV in the year and
  the year before (§1.9 ground 4; the reading is unsourced, so it is a flag for the cell, not a verdict;
  setting ``screening.khtnv_years``).
- ``probation_overdue`` — 12 months of probation (from the ceremony) ended more than 30 working days before
  ``as_of`` and no recognition recorded (§1.3; settings ``admission.probation_months`` and
  ``screening.recognition_overdue_workdays``). The suggested action follows Charter Art. 5.2: recognise, or
  propose xóa tên.
- ``temporary_transfer_expired`` — a temporary transfer past its end date (§1.8, QĐ 24-QĐ/TW §6.3.2).
- ``transfer_not_presented`` — a transfer letter not presented within 30 days of being issued (§1.8,
  HD 09-HD/BTCTW 2017; setting ``transfer.letter_days``).
- ``exemption_expired`` — an exemption past its end date and not ended (§1.7, QĐ 24-QĐ/TW §7.1: at most
  12 months at a time for illness; the member returns or the cell renews it).
- ``not_rated`` — a member who should have been rated for the year and was not (§2, QĐ 366-QĐ/TW: everyone
  except exempt and suspended members and those admitted less than 6 months before the year's end). Checked
  only once the year is over, and only in cells that recorded ratings for the year; a cell that recorded none
  gets the organization finding ``ratings_missing`` instead of one finding per member.

Organization findings (§1.6, Charter Art. 21 and 24): ``cell_too_small`` (fewer than 3 official members),
``cell_needs_committee`` (9 or more official members and no cell committee), ``grassroots_cell_too_large`` (a
grassroots cell with 30 or more members should become a grassroots committee).

What a clerk reads (the suggested actions) cites the regulation itself, as domain.md quotes it. The statements
that find the candidates are in ``store/screening.py``; ``services/screening.py`` runs the list of rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from .dates import add_months, earliest, format_vi
from .party_age import milestone_date, party_start
from .workdays import WorkCalendar


class Finding(NamedTuple):
    """One ground found against one member: which rule, the sentence the committee reads, the facts behind it."""

    member_id: int
    rule: str
    detail: str
    facts: dict


class OrgFinding(NamedTuple):
    """One ground found against one party organization (§1.6, §2)."""

    cell_id: int
    rule: str
    detail: str
    facts: dict


# Which facts tell apart two findings of one member on one ground (a member may hold two letters not presented,
# two expired exemptions): a re-run recognises the same finding by its subject, its ground and these facts.
IDENTITY_FACTS: dict[str, tuple[str, ...]] = {
    "transfer_not_presented": ("letter_number", "issued_date"),
    "temporary_transfer_expired": ("end_date",),
    "exemption_expired": ("end_date",),
}


def identity(rule: str, facts: dict) -> tuple:
    """The facts of :data:`IDENTITY_FACTS` for ``rule`` (empty for grounds a member holds at most once)."""
    names = IDENTITY_FACTS.get(rule)
    return tuple([facts.get(name) for name in names]) if names else ()


# Each action cites the regulation domain.md quotes for its ground: the Charter; the regulation implementing it,
# with the section domain.md gives; Quy định 366-QĐ/TW for ratings; HD 09-HD/BTCTW for letters. "{cite}" stands
# for the grounds whose regulation changed over the years (rules/regulations.py): see suggested_action.
SUGGESTED_ACTIONS: dict[str, str] = {
    "absent_3_months": "Chi bộ xem xét, đề nghị cấp ủy có thẩm quyền xóa tên trong danh sách đảng viên "
    "(bỏ sinh hoạt đảng không có lý do chính đáng; {cite}).",
    "dues_unpaid_3_months": "Chi bộ xem xét, đề nghị xóa tên (không đóng đảng phí 3 tháng trong năm không có lý do "
    "chính đáng; {cite}).",
    "rated_khtnv_2_years": "Chi bộ xem xét tư cách đảng viên; nếu vi phạm tư cách đảng viên hai năm liền thì đề nghị "
    "xóa tên ({cite}, điểm 4).",
    "probation_overdue": "Chi bộ họp xét ngay: công nhận đảng viên chính thức, hoặc đề nghị xóa tên trong danh sách "
    "đảng viên dự bị nếu không đủ tư cách (Điều lệ Đảng, Điều 5, khoản 2).",
    "temporary_transfer_expired": "Yêu cầu đảng viên trở về sinh hoạt tại chi bộ chính thức, hoặc làm thủ tục "
    "gia hạn / chuyển sinh hoạt chính thức ({cite}).",
    "transfer_not_presented": "Liên hệ nơi đến và đảng viên; yêu cầu giải trình lý do chậm nộp giấy giới thiệu "
    "(Hướng dẫn 09-HD/BTCTW năm 2017).",
    "exemption_expired": "Chi bộ xem xét cho đảng viên trở lại sinh hoạt, hoặc ra nghị quyết gia hạn miễn công tác "
    "và sinh hoạt đảng ({cite}).",
    "not_rated": "Chi bộ bổ sung đánh giá, xếp loại chất lượng cho đảng viên (Quy định 366-QĐ/TW).",
    "dues_short": "Chi bộ đối chiếu sổ đảng phí với diện đóng của đảng viên; nhắc đảng viên đóng bổ sung số còn "
    "thiếu, hoặc sửa diện, mức căn cứ nếu sổ đúng ({cite}).",
    "dues_over": "Chi bộ đối chiếu sổ đảng phí với diện đóng của đảng viên; đóng cao hơn mức quy định là tự nguyện, "
    "ghi nhận hoặc sửa diện, mức căn cứ nếu sổ đúng ({cite}).",
}

ORG_ACTIONS: dict[str, str] = {
    "cell_too_small": "Cấp ủy cấp trên ghép đảng viên vào tổ chức đảng phù hợp (Điều lệ Đảng, Điều 21).",
    "cell_needs_committee": "Chi bộ bầu chi ủy, rồi bầu bí thư, phó bí thư trong chi ủy (Điều lệ Đảng, Điều 24).",
    "grassroots_cell_too_large": "Đề nghị cấp trên lập đảng bộ cơ sở với các chi bộ trực thuộc "
    "(Điều lệ Đảng, Điều 21).",
    "ratings_missing": "Chi bộ ghi kết quả đánh giá, xếp loại đảng viên của năm (Quy định 366-QĐ/TW).",
}

# Grounds with versions in the registry of regulations (rules/regulations.py).
VERSIONED: dict[str, str] = {
    "absent_3_months": "screening.absent",
    "dues_unpaid_3_months": "screening.dues_unpaid",
    "rated_khtnv_2_years": "screening.standards_two_years",
    "temporary_transfer_expired": "transfer.temporary",
    "exemption_expired": "exemption.activity",
    "dues_short": "dues.rates",
    "dues_over": "dues.rates",
}


def suggested_actions(year: int) -> dict[str, str]:
    """rule → the action a clerk reads for a screening of ``year``, citing the regulation in force at the end
    of that year (a screening is judged by its year, rules/regulations.py)."""
    from .regulations import cite

    end = date(year, 12, 31)
    actions = SUGGESTED_ACTIONS | ORG_ACTIONS
    return {rule: text.format(cite=cite(VERSIONED[rule], end)) if rule in VERSIONED else text
            for rule, text in actions.items()}


def months_with(marks: str, mark: str) -> list[int]:
    """Month numbers (1–12) whose mark is ``mark``."""
    return [i + 1 for i, ch in enumerate(marks) if ch == mark]


def format_months(months: Sequence[int], year: int) -> str:
    """[3, 5, 9], 2025 → '3, 5, 9/2025' (the way clerks write months of a year)."""
    return ", ".join(str(m) for m in months) + f"/{year}"


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, add_months(first, 1) - timedelta(days=1)


Period = tuple[str, str | None]


def covered_months(periods: Iterable[Period], year: int) -> set[int]:
    """Months of ``year`` touched by any of the periods ``(start, end)`` (end None = still running).

    A month counts as covered when the period overlaps it at all: a member exempted from the 20th did not have
    to attend that month's meeting (§1.7).
    """
    covered: set[int] = set()
    for start, end in periods:
        lo = earliest(start)
        hi = earliest(end) if end else date(year, 12, 31)
        for month in range(1, 13):
            first, last = month_bounds(year, month)
            if lo <= last and hi >= first:
                covered.add(month)
    return covered


def months_from(day: date | None, year: int) -> set[int]:
    """Months of ``year`` that end on or after ``day`` (all of them when ``day`` is before the year)."""
    if day is None:
        return set()
    return {m for m in range(1, 13) if month_bounds(year, m)[1] >= day}


def unexcused(marks: str, mark: str, excused: set[int]) -> list[int]:
    return [m for m in months_with(marks, mark) if m not in excused]


def absent_detail(months: Sequence[int], year: int) -> str:
    return f"Vắng sinh hoạt chi bộ không lý do các tháng {format_months(months, year)} ({len(months)} tháng)"


def dues_detail(months: Sequence[int], year: int) -> str:
    return f"Không đóng đảng phí các tháng {format_months(months, year)} ({len(months)} tháng)"


def khtnv_detail(years: Sequence[int]) -> str:
    return "Xếp loại không hoàn thành nhiệm vụ các năm " + ", ".join(str(y) for y in years)


def probation_cutoff(as_of: date, calendar: WorkCalendar, overdue_workdays: int = 30) -> date:
    """The latest probation end that is overdue on ``as_of``: more than ``overdue_workdays`` working days in
    ``(end, as_of]`` (§1.3). Overdue-ness only grows as the end moves earlier, so one date splits all members."""
    d = as_of
    count = 0
    while True:
        if calendar.is_working_day(d):
            count += 1
        d -= timedelta(days=1)
        if count > overdue_workdays:
            return d


def ceremony_cutoff(end_cutoff: date, probation_months: int = 12) -> date:
    """The latest (full) ceremony date whose probation end (rules.admission.probation_end) is on or before
    ``end_cutoff``. A partial date that sorts after it as text ends later still, so the SQL filter
    ``admission_date <= cutoff`` keeps every member who can be overdue."""
    d = add_months(end_cutoff, -probation_months) - timedelta(days=3)
    while add_months(d + timedelta(days=1), probation_months) <= end_cutoff:
        d += timedelta(days=1)
    return d


def probation_detail(ceremony: str, end: date, workdays: int) -> str:
    return (f"Kết nạp ngày {format_vi(ceremony)}, hết 12 tháng dự bị ngày {format_vi(end.isoformat())}, "
            f"đã quá {workdays} ngày làm việc chưa được công nhận chính thức")


def rating_deadline_passed(year: int, as_of: date) -> bool:
    """Members are rated at the end of the year (§2): a missing rating counts only after 31/12."""
    return as_of > date(year, 12, 31)


def min_admission_for_rating(year: int, min_months: int = 6) -> date:
    """Members admitted after this day are not rated for ``year`` (admitted < 6 months before its end, §2)."""
    return add_months(date(year, 12, 31), -min_months)


# --- judging one candidate: each returns a Finding, or None when the candidate has a valid reason ---------------

def absent(member_id: int, marks: str, excused: Iterable[Period], year: int, need: int) -> Finding | None:
    """§1.9 ground 1: ``need`` or more months marked 'k' that no exemption or suspension covers (§1.7, §1.8)."""
    cover = covered_months(excused, year)
    months = unexcused(marks, "k", cover)
    if len(months) < need:
        return None
    return Finding(member_id, "absent_3_months", absent_detail(months, year),
                   {"months": months, "excused_months": sorted(cover)})


def dues_exempt_from(decision: str | None, admission: str | None, gaps: Sequence[Period], years: int,
                     year: int) -> date | None:
    """The first day the member owes no dues for ``years`` of party age (§4), when that is on or before the end
    of ``year``; None otherwise. Party age counts from the decision, less the gaps (§1.4). The exemption came
    with Quy định 01-QĐ/TW (in force 1/2/2026; Quyết định 342-QĐ/TW before it had none, domain.md §4): a
    member who reached the age earlier is exempt from that day, not before (rules/regulations.py 'dues.exempt')."""
    from .regulations import rule

    if not (decision or admission):
        return None
    since = rule("dues.exempt").versions[0].since
    if date(year, 12, 31) < since:
        return None
    start = party_start(decision, admission)
    if gaps or add_months(start, 12 * years) <= date(year, 12, 31):
        reached = milestone_date(start, gaps, years)
        return None if reached is None else max(reached, since)
    return None


def dues_unpaid(member_id: int, marks: str, excused: Iterable[Period], exempt_from: date | None, year: int,
                need: int) -> Finding | None:
    """§1.9 ground 1 and §4: ``need`` or more months marked 'u' that neither an exemption from work and activity
    nor 50 years of party age excuses (Quy định 01-QĐ/TW 2026)."""
    cover = covered_months(excused, year) | months_from(exempt_from, year)
    months = unexcused(marks, "u", cover)
    if len(months) < need:
        return None
    return Finding(member_id, "dues_unpaid_3_months", dues_detail(months, year),
                   {"months": months, "excused_months": sorted(cover)})


def dues_checked(member_id: int, status: str, checks: Sequence) -> Finding:
    """§4: months paid short (``status`` 'short') or over ('over') against the amount due (rules/dues.py); the
    detail names each month with the regulation it was judged by."""
    from .dues import discrepancy_detail

    months = [{"month": c.due.month, "due": c.due.amount, "paid": c.paid, "difference": c.difference,
               "regulation": c.due.regulation} for c in checks]
    return Finding(member_id, f"dues_{status}", discrepancy_detail(status, checks),
                   {"months": months, "total": sum(abs(c.difference or 0) for c in checks)})


def khtnv_years(member_id: int, years: Sequence[int]) -> Finding:
    """§1.9 ground 4, read as KHTNV in each of ``years`` (a flag for the cell: the reading is unsourced)."""
    return Finding(member_id, "rated_khtnv_2_years", khtnv_detail(years), {"years": list(years)})


def probation_overdue(member_id: int, ceremony: str, end: date, workdays: int) -> Finding:
    """§1.3: probation ended ``workdays`` working days ago (more than the allowed 30) and no recognition."""
    return Finding(member_id, "probation_overdue", probation_detail(ceremony, end, workdays),
                   {"ceremony_date": ceremony, "probation_end": end.isoformat(), "working_days_since": workdays})


def temporary_transfer_expired(member_id: int, end: str, host: str | None) -> Finding:
    """§1.8: a temporary transfer past its end date."""
    where = f" tại {host}" if host else ""
    return Finding(member_id, "temporary_transfer_expired",
                   f"Sinh hoạt đảng tạm thời{where} hết hạn ngày {format_vi(end)}", {"end_date": end})


def transfer_not_presented(member_id: int, issued: str, letter: str | None, destination: str | None,
                           days: int) -> Finding:
    """§1.8: a transfer letter not presented within ``days`` days of being issued (HD 09-HD/BTCTW 2017)."""
    letter_text = f" số {letter}" if letter else ""
    dest_text = f" đến {destination}" if destination else ""
    return Finding(member_id, "transfer_not_presented",
                   f"Giấy giới thiệu sinh hoạt đảng{letter_text}{dest_text} ký ngày {format_vi(issued)}, "
                   f"quá {days} ngày chưa có xác nhận đã nộp", {"issued_date": issued, "letter_number": letter})


def exemption_expired(member_id: int, end: str, reason: str | None) -> Finding:
    """§1.7: an exemption past its end and not ended: the member returns or the cell renews it."""
    return Finding(member_id, "exemption_expired",
                   f"Miễn công tác và sinh hoạt đảng hết hạn ngày {format_vi(end)}, chưa trở lại sinh hoạt "
                   "hoặc gia hạn", {"end_date": end, "reason": reason})


def not_rated(member_id: int, year: int) -> Finding:
    """§2: a member due a rating for ``year`` who has none, in a cell that recorded ratings for the year."""
    return Finding(member_id, "not_rated", f"Chưa có kết quả xếp loại chất lượng năm {year}", {"year": year})


def counted_in_cell(kinds: dict[int, tuple[str, int | None]],
                    counts: Iterable[tuple[int, int, int]]) -> dict[int, tuple[int, int]]:
    """(cell_id, official, total) per organization → the same per cell, a party group counting in its cell
    (Charter Art. 24: a cell may be divided into party groups)."""
    result: dict[int, tuple[int, int]] = {}
    for cid, official, total in counts:
        kind, parent = kinds[cid]
        key = parent if kind == "party_group" and parent is not None else cid
        before = result.get(key, (0, 0))
        result[key] = (before[0] + official, before[1] + total)
    return result


def organization_size(cell_id: int, kind: str, has_committee: bool, official: int, total: int, *, small: int,
                      committee: int, large: int) -> list[OrgFinding]:
    """§1.6 (Charter Art. 21, 24): fewer than ``small`` official members; ``committee`` or more official members
    and no cell committee; a grassroots cell of ``large`` or more members."""
    facts = {"official_members": official, "members": total}
    found = []
    if official < small:
        found.append(OrgFinding(cell_id, "cell_too_small",
                                f"Chi bộ có {official} đảng viên chính thức (cần ít nhất {small})", facts))
    if official >= committee and not has_committee:
        found.append(OrgFinding(cell_id, "cell_needs_committee",
                                f"Chi bộ có {official} đảng viên chính thức nhưng chưa có chi ủy", facts))
    if kind == "grassroots_cell" and total >= large:
        found.append(OrgFinding(cell_id, "grassroots_cell_too_large",
                                f"Chi bộ cơ sở có {total} đảng viên (từ {large} đảng viên lập đảng bộ cơ sở)", facts))
    return found


def ratings_missing(cell_id: int, due: int, year: int) -> OrgFinding:
    """§2: a cell that recorded no rating for ``year`` though ``due`` of its members are due one."""
    return OrgFinding(cell_id, "ratings_missing",
                      f"Chưa ghi kết quả xếp loại năm {year} của {due} đảng viên phải xếp loại",
                      {"members_due": due, "year": year})
