"""Party age (tuổi đảng), domain.md §1.4.

- It counts from the date the admission decision was signed; when that is unknown, from the admission date
  (the ceremony, "ngày vào Đảng" on the card).
- Periods of non-participation are deducted: expulsion, time after xóa tên, lost contact, transfer gaps.
  A gap is the half-open period ``[start, end)``: the member is active again on ``end``. A gap with no end
  is still open and runs to the day asked about. Overlapping gaps are counted once; the part of a gap before
  the party-age start or after the day asked about is ignored.
- A readmitted member counts from the first decision, with the time outside the Party as a gap (§1.4).

Partial dates (``1975``, ``1975-04``) stand for their **earliest** day (:func:`dates.earliest`), for the start
as for both ends of a gap, so a gap from ``1990`` to ``1992`` deducts exactly two years. Records that old
rarely decide anything to the day; a clerk who needs the exact day records it.

Years and months: the start is moved later by the calendar length of each gap (whole months, then the
remaining days), and the age is the whole calendar months from that shifted start to the day asked about, so
a gap of exactly three years deducts exactly three years. ``days_total`` is the plain count of days outside
the gaps. A member reaches N years (:func:`milestone_date`) on the first day the months reach ``12 N``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InvalidValue
from .dates import add_months, earliest, format_vi, months_between

Gap = tuple[str | date, str | date | None]


@dataclass(frozen=True)
class PartyAge:
    """Party age on a day: whole ``years``, remaining ``months``, ``days_total`` counted, ``start`` used."""

    years: int
    months: int
    days_total: int
    start: date
    gap_days: int = 0

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else earliest(value)


def party_start(decision_date: str | date | None, admission_date: str | date | None) -> date:
    """The day party age counts from: the decision, else the admission (ceremony) date (§1.4)."""
    if decision_date:
        return _day(decision_date)
    if admission_date:
        return _day(admission_date)
    raise InvalidValue(
        "Không tính được tuổi đảng: chưa có ngày quyết định kết nạp lẫn ngày vào Đảng.",
        hint="Ghi ngày quyết định kết nạp (hoặc ít nhất ngày vào Đảng): dangvien members update REF "
        "--decision-date dd/mm/yyyy (hoặc --admission-date).",
    )


def merge_gaps(gaps: Iterable[Gap]) -> list[tuple[date, date | None]]:
    """Gaps as sorted, non-overlapping ``[start, end)`` periods; ``None`` end = still open."""
    periods: list[tuple[date, date | None]] = []
    for raw_start, raw_end in gaps:
        if not raw_start:
            raise InvalidValue("Một khoảng gián đoạn tuổi đảng thiếu ngày bắt đầu.")
        start = _day(raw_start)
        end = _day(raw_end) if raw_end else None
        if end is not None and end < start:
            raise InvalidValue(
                f"Khoảng gián đoạn tuổi đảng từ {format_vi(start.isoformat())} "
                f"đến {format_vi(end.isoformat())}: ngày kết thúc trước ngày bắt đầu.",
                hint="Sửa lại ngày của khoảng gián đoạn này.",
            )
        periods.append((start, end))
    periods.sort(key=lambda p: p[0])
    merged: list[tuple[date, date | None]] = []
    for start, end in periods:
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                continue
            if start <= last_end:
                merged[-1] = (last_start, None if end is None else max(last_end, end))
                continue
        merged.append((start, end))
    return merged


def _gap_days(merged: Sequence[tuple[date, date | None]], start: date, until: date) -> int:
    """Days of the gaps that lie in ``[start, until)``."""
    total = 0
    for gap_start, gap_end in merged:
        lo = max(gap_start, start)
        hi = min(gap_end or until, until)
        if hi > lo:
            total += (hi - lo).days
    return total


def _shifted_start(merged: Sequence[tuple[date, date | None]], start: date, until: date) -> date:
    """``start`` moved later by the calendar length (months, then days) of each gap in ``[start, until)``.

    Calendar lengths, not day counts, so that a gap of exactly three years deducts exactly three years
    whatever leap days it holds.
    """
    shifted = start
    for gap_start, gap_end in merged:
        lo = max(gap_start, start)
        hi = min(gap_end or until, until)
        if hi > lo:
            months = months_between(lo, hi)
            rest = (hi - add_months(lo, months)).days
            shifted = add_months(shifted, months) + timedelta(days=rest)
    return shifted


def _age_months(merged: Sequence[tuple[date, date | None]], start: date, on: date) -> int:
    if on <= start:
        return 0
    shifted = _shifted_start(merged, start, on)
    return max(0, months_between(shifted, on)) if shifted <= on else 0


def party_age(
    decision_date: str | date | None,
    admission_date: str | date | None,
    gaps: Iterable[Gap],
    on: date,
) -> PartyAge:
    """Party age on ``on`` (§1.4). Before the start it is zero."""
    start = party_start(decision_date, admission_date)
    merged = merge_gaps(gaps)
    if on <= start:
        return PartyAge(0, 0, 0, start, 0)
    deducted = _gap_days(merged, start, on)
    months = _age_months(merged, start, on)
    return PartyAge(months // 12, months % 12, (on - start).days - deducted, start, deducted)


def milestone_date(start: str | date, gaps: Iterable[Gap], years: int) -> date | None:
    """The first day party age reaches ``years`` full years, later by the gaps on the way (§1.4, §3).

    None while a gap that opened before that day is still open (lost contact: the day cannot be known).
    """
    begin = _day(start)
    merged = merge_gaps(gaps)
    target = 12 * years

    def blocked(d: date) -> bool:
        return any(end is None and gap_start < d for gap_start, end in merged)

    d = add_months(begin, target)
    for _ in range(1000):
        if blocked(d):
            return None
        nd = add_months(_shifted_start(merged, begin, d), target)
        if nd == d:
            break
        d = nd
    # add_months clamps month ends (29/2, 31st); settle on the first day the count really reaches the target
    while d > begin and _age_months(merged, begin, d - timedelta(days=1)) >= target:
        d -= timedelta(days=1)
    while _age_months(merged, begin, d) < target:
        d += timedelta(days=1)
        if blocked(d):
            return None
    return d
