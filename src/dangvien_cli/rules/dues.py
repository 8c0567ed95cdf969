"""Party dues due each month and the check of the dues book against them (domain.md §4, §9; issue 14).

Which regulation a month is judged by is the one in force on the month's first day (rules/regulations.py):
Quyết định 342-QĐ/TW until 31/1/2026, Quy định 01-QĐ/TW from 1/2/2026. Under each, by the member's dues
category (vocab.DUES_CATEGORY, recorded with dates in ``dues_categories``):

============================  ==========================================  =======================================
category                      342-QĐ/TW (§4 "Old rules")                  01-QĐ/TW (§4 "New rules", §9)
============================  ==========================================  =======================================
insured                       1 % of the month's salary (``base``)        1 % of the previous month's social-
                                                                          insurance salary (the base in force on
                                                                          the last day of that month)
pension                       0.5 % of the pension                        0.5 % of the pension
uninsured                     the amount the committee fixed within       0.3 % of the regional minimum wage
                              2,000–30,000 đ (setting                     (2026–2027), 0.5 % from 2028 — §9
                              ``dues.old_other_amount``)                  "medium-low": settings
uninsured_retired             50 % of that                                0.2 % / 0.3 % — settings
student                       as uninsured                                5,000 đ — setting
social_pension                50 % of the fixed amount (past working age)  exempt
hardship                      not stated: the due is unknown              exempt (on application)
============================  ==========================================  =======================================

Under 01-QĐ/TW a member with ``dues.exempt_party_age_years`` (50) years of party age pays nothing from the month
the age is reached, and a reduction decision (30, 50 or 70 %, at most 12 months) lowers the amount. The minimum
wage a member outside insurance pays on is the member's own ``base`` when recorded (a member living in another
region), else the committee's setting ``dues.regional_minimum_wage`` (0 = not set: the due is unknown and the
check says how to set it). Amounts are whole đồng, halves rounded up.

The check of one month (:func:`check`) compares the book's mark and amount with the due: ``short`` (đóng thiếu)
and ``over`` (đóng thừa) beyond the tolerance ``dues.tolerance``; ``unpaid`` is left to the screening ground
``dues_unpaid_3_months``; a month the book marks exempt is the clerk's record of an exemption and is not a
discrepancy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from dangvien_cli.formats import money_vi, number_vi

from . import regulations
from .dates import add_months, earliest

NEW_RULE = regulations.REGULATIONS["01-QĐ/TW"].in_force  # 1/2/2026
RAISED_FROM_YEAR = 2028  # the rates outside insurance rise from 2028 (§9)
EXEMPT_CATEGORIES = ("social_pension", "hardship")
BASE_REQUIRED = ("insured", "pension")
BASE_ALLOWED = ("insured", "pension", "uninsured", "uninsured_retired")
REDUCTIONS = (30, 50, 70)
MAX_REDUCTION_MONTHS = 12


@dataclass(frozen=True)
class Period:
    """A dues category held from ``valid_from`` to ``valid_to`` (ISO, None = still held), with its base."""

    category: str
    base: int | None
    valid_from: str
    valid_to: str | None = None

    def covers(self, day: date) -> bool:
        return earliest(self.valid_from) <= day and (self.valid_to is None or earliest(self.valid_to) >= day)

    def touches(self, first: date, last: date) -> bool:
        return earliest(self.valid_from) <= last and (self.valid_to is None or earliest(self.valid_to) >= first)


@dataclass(frozen=True)
class Reduction:
    percent: int
    valid_from: str
    valid_to: str

    def touches(self, first: date, last: date) -> bool:
        return earliest(self.valid_from) <= last and earliest(self.valid_to) >= first


class Due(NamedTuple):
    """What a member owes for one month: ``amount`` (None when it cannot be computed, ``why`` says so; 0 when
    exempt), how it was reached (``basis``, Vietnamese) and the regulation it follows (``regulation`` code,
    ``citation`` as a clerk cites it)."""

    year: int
    month: int
    amount: int | None
    exempt: bool
    category: str | None
    base: int | None
    reduction: int | None
    regulation: str
    citation: str
    basis: str
    why: str | None = None


def month_range(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, add_months(first, 1) - timedelta(days=1)


def _money(base: int | float, percent: float) -> int:
    value = Decimal(base) * Decimal(str(percent)) / Decimal(100)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _pct(percent: float) -> str:
    return f"{number_vi(percent)} %"


def _rule_key(category: str | None) -> str:
    return {"insured": "dues.insured", "pension": "dues.pension", "uninsured": "dues.uninsured",
            "uninsured_retired": "dues.uninsured_retired", "student": "dues.student"}.get(category or "",
                                                                                         "dues.rates")


def category_in(periods: Sequence[Period], first: date, last: date) -> Period | None:
    """The category of a month: the latest one held at any time in it."""
    held = [p for p in periods if p.touches(first, last)]
    return max(held, key=lambda p: p.valid_from) if held else None


def due(year: int, month: int, periods: Sequence[Period], reductions: Sequence[Reduction],
        exempt_from: date | None, cfg: Mapping) -> Due:
    """The amount due for ``month`` of ``year`` (see the module's table)."""
    first, last = month_range(year, month)
    period = category_in(periods, first, last)
    category = period.category if period else None
    key = _rule_key(category)
    new = first >= NEW_RULE

    def result(amount: int | None, basis: str, *, base: int | None = None, why: str | None = None,
               exempt: bool = False, reduction: int | None = None, key_: str = key) -> Due:
        v = regulations.rule(key_).on(first)
        return Due(year, month, amount, exempt, category, base, reduction, v.regulation, v.cite(), basis, why)

    if new and exempt_from is not None and exempt_from <= last:
        years = cfg["dues.exempt_party_age_years"]
        return result(0, f"miễn: đủ {years} năm tuổi Đảng", exempt=True, key_="dues.exempt")
    if period is None:
        return result(None, "", why="chưa ghi diện đóng đảng phí của đảng viên")
    if new and category in EXEMPT_CATEGORIES:
        from dangvien_cli.vocab import DUES_CATEGORY

        return result(0, f"miễn: {DUES_CATEGORY.label(category).lower()}", exempt=True, key_="dues.exempt")
    if category == "hardship":  # 342-QĐ/TW as domain.md quotes it says nothing of hardship
        return result(None, "", why="Quyết định 342-QĐ/TW không quy định mức cho diện này; ghi theo quyết định "
                                    "của cấp ủy")
    amount, basis, base = _base_due(category, period, periods, first, new, year, cfg)
    if amount is None:
        return result(None, "", why=basis)
    reduction = None
    if new:
        for r in reductions:
            if r.touches(first, last):
                reduction = r.percent
        if reduction:
            amount = _money(amount, 100 - reduction)
            basis += f", giảm {reduction} %"
    return result(amount, basis, base=base, reduction=reduction)


def _base_due(category: str, period: Period, periods: Sequence[Period], first: date, new: bool, year: int,
              cfg: Mapping) -> tuple[int | None, str, int | None]:
    """(amount before any reduction, how it was reached; or None and why, the base used)."""
    if category in ("insured", "pension"):
        base = period.base
        if category == "insured" and new:
            # 01-QĐ/TW: 1 % of the previous month's social-insurance salary.
            previous_last = first - timedelta(days=1)
            before = [p for p in periods if p.covers(previous_last) and p.category == "insured"]
            if before:
                base = before[-1].base
        if base is None:
            return None, "chưa ghi tiền lương / lương hưu làm căn cứ (--base)", None
        percent = 1 if category == "insured" else 0.5
        what = ("lương đóng BHXH tháng trước" if new else "tiền lương") if category == "insured" \
            else "lương hưu"
        return _money(base, percent), f"{_pct(percent)} {what} {money_vi(base)}", base
    if not new:
        fixed = cfg["dues.old_other_amount"]
        if category in ("uninsured_retired", "social_pension"):
            return _money(fixed, 50), f"50 % mức cấp ủy định {money_vi(fixed)} (hết tuổi lao động)", None
        return fixed, f"mức cấp ủy định {money_vi(fixed)}", None
    if category == "student":
        amount = cfg["dues.student_amount"]
        return amount, f"học sinh, sinh viên {money_vi(amount)}", None
    raised = year >= RAISED_FROM_YEAR
    key = "dues.uninsured_percent" if category == "uninsured" else "dues.uninsured_retired_percent"
    percent = cfg[key + "_2028" if raised else key]
    wage = period.base or cfg["dues.regional_minimum_wage"]
    if not wage:
        return None, ("chưa đặt lương tối thiểu vùng: dangvien settings set dues.regional_minimum_wage SỐ_TIỀN "
                      "(hoặc ghi --base cho đảng viên)"), None
    return _money(wage, percent), f"{_pct(percent)} lương tối thiểu vùng {money_vi(wage)}", wage


class Check(NamedTuple):
    """One month of the book against the due: ``status`` a code of vocab.DUES_CHECK, or None when the book
    records nothing for the month; ``difference`` = paid − due (negative: short)."""

    due: Due
    mark: str
    paid: int | None
    status: str | None
    difference: int | None


def check(d: Due, mark: str, paid: int | None, tolerance: int = 0) -> Check:
    if mark == "-":
        return Check(d, mark, paid, None, None)
    if mark == "e" or (mark == "u" and d.exempt):
        return Check(d, mark, paid, "exempt", None)
    if mark == "u":
        return Check(d, mark, paid, "unpaid", None if d.amount is None else -d.amount)
    if paid is None or d.amount is None:
        return Check(d, mark, paid, "unknown", None)
    diff = paid - d.amount
    status = "short" if diff < -tolerance else "over" if diff > tolerance else "ok"
    return Check(d, mark, paid, status, diff)


def year_checks(year: int, marks: str, amounts: Sequence[int | None], periods: Sequence[Period],
                reductions: Sequence[Reduction], exempt_from: date | None, cfg: Mapping) -> list[Check]:
    """The 12 months of one member's book for ``year`` against the dues due."""
    tolerance = cfg["dues.tolerance"]
    return [check(due(year, m, periods, reductions, exempt_from, cfg), marks[m - 1], amounts[m - 1], tolerance)
            for m in range(1, 13)]


def discrepancy_detail(status: str, checks: Sequence[Check]) -> str:
    """'Đóng thiếu đảng phí: tháng 1/2026 phải đóng 20.000 đ, đã đóng 10.000 đ (Quyết định 342-QĐ/TW); tháng
    3/2026 …, tháng 4/2026 … (Quy định 01-QĐ/TW). Tổng thiếu 30.000 đ' — the months judged by one regulation
    together, each group citing it."""
    from dangvien_cli.vocab import DUES_CHECK

    groups: list[tuple[str, list[str]]] = []
    for c in checks:
        d = c.due
        owed = "được miễn" if d.exempt else f"phải đóng {money_vi(d.amount)}"
        text = f"tháng {d.month}/{d.year} {owed}, đã đóng {money_vi(c.paid)}"
        if groups and groups[-1][0] == d.citation:
            groups[-1][1].append(text)
        else:
            groups.append((d.citation, [text]))
    total = sum(abs(c.difference or 0) for c in checks)
    word = "thiếu" if status == "short" else "thừa"
    body = "; ".join(f"{'; '.join(texts)} ({citation})" for citation, texts in groups)
    return f"{DUES_CHECK.label(status)} đảng phí: {body}. Tổng {word} {money_vi(total)}"


def reduction_end_limit(valid_from: str) -> date:
    """The last day a reduction starting ``valid_from`` may run to (at most 12 months, 01-QĐ/TW)."""
    return add_months(earliest(valid_from), MAX_REDUCTION_MONTHS) - timedelta(days=1)
