"""The annual screening (rà soát, sàng lọc): pure rule functions and the SQL that finds candidates.

Grounds and where they come from (domain.md):

- ``absent_3_months`` — abandoning party activity: cell meetings missed without a valid reason in 3 or more
  months of the year (§1.9 ground 1; the count is the setting ``screening.absent_months``). Valid reasons: an
  excused absence ('p' in the book), and an exemption or temporary suspension of activity covering the month
  (§1.7, §1.8).
- ``dues_unpaid_3_months`` — no dues paid in 3 or more months of the year without a good reason (§1.9 ground 1,
  restated by Quy định 01-QĐ/TW 2026, §4; setting ``screening.dues_unpaid_months``). Valid reasons: a month
  marked exempt ('e'), an exemption from work and activity covering the month (§1.7), and months in which the
  member already has 50 or more years of party age (§4, setting ``dues.exempt_party_age_years``). A temporary
  suspension of activity does **not** excuse dues: those members keep paying (§1.8, HD 01 §10.3).
- ``rated_khtnv_2_years`` — "violating membership standards two years in a row", read as KHTNV in the year and
  the year before (§1.9 ground 4; the reading is unsourced, so it is a flag for the cell, not a verdict;
  setting ``screening.khtnv_years``).
- ``probation_overdue`` — 12 months of probation (from the ceremony) ended more than 30 working days before
  ``as_of`` and no recognition recorded (§1.3; settings ``admission.probation_months`` and
  ``screening.recognition_overdue_workdays``). The suggested action follows Charter Art. 5.2: recognise, or
  propose xóa tên.
- ``temporary_transfer_expired`` — a temporary transfer past its end date (§1.8).
- ``transfer_not_presented`` — a transfer letter not presented within 30 days of being issued (§1.8,
  HD 09-HD/BTCTW 2017; setting ``transfer.letter_days``).
- ``exemption_expired`` — an exemption past its end date and not ended (§1.7: at most 12 months at a time for
  illness; the member returns or the cell renews it).
- ``not_rated`` — a member who should have been rated for the year and was not (§2: everyone except exempt
  and suspended members and those admitted less than 6 months before the year's end). Checked only once the
  year is over, and only in cells that recorded ratings for the year; a cell that recorded none gets the
  organization finding ``ratings_missing`` instead of one finding per member.

Organization findings (§1.6): ``cell_too_small`` (fewer than 3 official members), ``cell_needs_committee``
(9 or more official members and no cell committee), ``grassroots_cell_too_large`` (a grassroots cell with 30 or
more members should become a grassroots committee).

Design for speed: every rule is one set-based SQL statement that returns only the members it flags (or a small
superset, refined here in Python); marks are counted with ``length(marks) - length(replace(marks, 'k', ''))``,
and the KHTNV rule walks the ``(year, level)`` index then the ``(member_id, year)`` primary key.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from .dates import add_months, earliest, format_vi
from .workdays import WorkCalendar

MEMBER_CELL_KINDS_SQL = "('cell', 'grassroots_cell')"

SUGGESTED_ACTIONS: dict[str, str] = {
    "absent_3_months": "Chi bộ xem xét, đề nghị cấp ủy có thẩm quyền xóa tên trong danh sách đảng viên "
    "(bỏ sinh hoạt đảng không có lý do chính đáng, QĐ 24 §8.1, domain.md §1.9).",
    "dues_unpaid_3_months": "Chi bộ xem xét, đề nghị xóa tên (không đóng đảng phí 3 tháng trong năm không có lý do "
    "chính đáng, QĐ 24 §8.1; Quy định 01-QĐ/TW 2026, domain.md §1.9, §4).",
    "rated_khtnv_2_years": "Chi bộ xem xét tư cách đảng viên; nếu vi phạm tư cách đảng viên hai năm liền thì đề nghị "
    "xóa tên (QĐ 24 §8.1 điểm 4, domain.md §1.9).",
    "probation_overdue": "Chi bộ họp xét ngay: công nhận đảng viên chính thức, hoặc đề nghị xóa tên trong danh sách "
    "đảng viên dự bị nếu không đủ tư cách (Điều lệ Điều 5.2, domain.md §1.3).",
    "temporary_transfer_expired": "Yêu cầu đảng viên trở về sinh hoạt tại chi bộ chính thức, hoặc làm thủ tục "
    "gia hạn / chuyển sinh hoạt chính thức (QĐ 24 §6.3.2, domain.md §1.8).",
    "transfer_not_presented": "Liên hệ nơi đến và đảng viên; yêu cầu giải trình lý do chậm nộp giấy giới thiệu "
    "(HD 09-HD/BTCTW 2017, domain.md §1.8).",
    "exemption_expired": "Chi bộ xem xét cho đảng viên trở lại sinh hoạt, hoặc ra nghị quyết gia hạn miễn công tác "
    "và sinh hoạt đảng (domain.md §1.7).",
    "not_rated": "Chi bộ bổ sung đánh giá, xếp loại chất lượng cho đảng viên (QĐ 366-QĐ/TW, domain.md §2).",
}

ORG_ACTIONS: dict[str, str] = {
    "cell_too_small": "Cấp ủy cấp trên ghép đảng viên vào tổ chức đảng phù hợp (Điều lệ Điều 21, domain.md §1.6).",
    "cell_needs_committee": "Chi bộ bầu chi ủy, rồi bầu bí thư, phó bí thư trong chi ủy (Điều lệ Điều 24, "
    "domain.md §1.6).",
    "grassroots_cell_too_large": "Đề nghị cấp trên lập đảng bộ cơ sở với các chi bộ trực thuộc (Điều lệ Điều 21, "
    "domain.md §1.6).",
    "ratings_missing": "Chi bộ ghi kết quả đánh giá, xếp loại đảng viên của năm (domain.md §2).",
}


def marks_count_sql(column: str, mark: str) -> str:
    """SQL counting one mark in a 12-character marks string, without a function call per month."""
    return f"(length({column}) - length(replace({column}, '{mark}', '')))"


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
