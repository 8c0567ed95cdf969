"""The dates of one member's record in an order that can be true (Điều lệ Đảng, Điều 1 and Điều 5).

    birth < decision ≤ admission ≤ official, and the member at least 18 full years old (counted in months) when
    admitted.

One pure function, :func:`date_problems`, asked by every path that writes or checks a record: ``members add`` and
``update`` (services/members.py), the roster reader (excel/roster.py) and the roster import's comparison with the
stored record (services/roster_import.py), and ``db check`` (services/admin.py). It returns every problem found, each
named (``code``), with the field to correct and a Vietnamese message; callers refuse, flag or report them.

Partial dates (``1968``, ``1968-05``) are compared **safely**: a pair is out of order only when it is so whatever
days the partial dates stand for (:func:`dates.is_after`), and "after the birth" must be sure (a birth in ``1990``
and an admission in ``1990`` cannot be told apart and are refused: the full date is asked for). The age is too
young only when it is so even for the earliest possible birth and the latest possible admission: an age that the
missing days could make 18 is not refused here (``admissions`` checks the candidate's age to the day, §1.1).

The age counts to the decision date when there is one, else to the admission (ceremony) date: the cell considers
the admission before both, so a member under 18 on either day was surely under 18 when considered.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vocab import MEMBER_FIELD
from . import regulations
from .dates import earliest, format_vi, is_after, latest, months_between
from .settings import DEFAULTS

ORDER_RULE = "Điều lệ Đảng, Điều 5"


def _age_rule(day: str) -> str:
    """The Charter, and the implementing regulation in force on the day of admission (rules.regulations)."""
    return f"Điều lệ Đảng, Điều 1; {regulations.cite('admission.age', latest(day))}"




@dataclass(frozen=True, slots=True)
class DateProblem:
    code: str  # official_before_admission, decision_after_admission, not_after_birth, under_age_at_admission
    field: str  # the field to correct
    message: str  # Vietnamese, without a final full stop
    hint: str
    rule: str  # the regulation, as a person reads it


def _after(a: str, b: str) -> bool:
    """``a`` surely after ``b``: plain text comparison for two full ISO dates (the common case), else dates."""
    if len(a) == 10 and len(b) == 10:
        return a > b
    return is_after(a, b)


def _plainly_fine(b: str | None, d: str | None, a: str | None, o: str | None, min_months: int) -> bool:
    """The common case, decided by text comparison alone: every date given is a full ISO date, in order, and the
    member at least ``min_months`` old (whole years) on the decision or admission day. False means "look closer"
    (the general rules below decide), never "wrong"."""
    if min_months % 12 or not ((b is None or len(b) == 10) and (d is None or len(d) == 10)
                               and (a is None or len(a) == 10) and (o is None or len(o) == 10)):
        return False
    if (a is not None and ((o is not None and a > o) or (d is not None and d > a))) or b is None:
        return b is None and not (a is not None and ((o is not None and a > o) or (d is not None and d > a)))
    when = d or a
    if (d is not None and d <= b) or (a is not None and a <= b) or (o is not None and o <= b):
        return False
    if when is None:
        return True
    years = int(when[:4]) - int(b[:4]) - min_months // 12
    return years > 0 or (years == 0 and when[4:] >= b[4:])


def _surely_young(birth: str, when: str, min_months: int) -> bool:
    """A quick "maybe under age" for the common case of two full dates in whole years: the day of the birthday
    as text (29/02 births give 29/02 of a common year, which sorts as months_between counts)."""
    if len(birth) == 10 and len(when) == 10 and min_months % 12 == 0:
        return when < f"{int(birth[:4]) + min_months // 12:04d}{birth[4:]}"
    return True


def _age(months: int) -> str:
    years, rest = divmod(max(months, 0), 12)
    return f"{years} tuổi {rest} tháng" if rest else f"{years} tuổi"


def date_problems(birth_date: str | None = None, decision_date: str | None = None,
                  admission_date: str | None = None, official_date: str | None = None, *,
                  min_age_months: int = int(DEFAULTS["admission.min_age_months"])) -> list[DateProblem]:
    """Every way the ISO dates of one record (any precision, None when unknown) cannot be true."""
    if _plainly_fine(birth_date, decision_date, admission_date, official_date, min_age_months):
        return []
    problems: list[DateProblem] = []
    if official_date and admission_date and _after(admission_date, official_date):
        problems.append(DateProblem(
            "official_before_admission", "official_date",
            f"Ngày chính thức ({format_vi(official_date)}) trước ngày vào Đảng ({format_vi(admission_date)})",
            "Ngày chính thức là ngày hết 12 tháng dự bị, sau ngày kết nạp.", ORDER_RULE))
    if decision_date and admission_date and _after(decision_date, admission_date):
        problems.append(DateProblem(
            "decision_after_admission", "decision_date",
            f"Ngày quyết định kết nạp ({format_vi(decision_date)}) sau ngày vào Đảng ({format_vi(admission_date)})",
            "Lễ kết nạp tổ chức sau khi có quyết định kết nạp.", ORDER_RULE))
    if not birth_date:
        return problems
    for key, value in (("decision_date", decision_date), ("admission_date", admission_date),
                       ("official_date", official_date)):
        if value and not _after(value, birth_date):
            problems.append(DateProblem(
                "not_after_birth", key,
                f"{MEMBER_FIELD.label(key)} ({format_vi(value)}) không sau ngày sinh ({format_vi(birth_date)})",
                "Kiểm tra lại ngày sinh và ngày này; ghi đầy đủ ngày/tháng/năm nếu cùng một năm.", ORDER_RULE))
    when = decision_date or admission_date
    if when and _after(when, birth_date) and _surely_young(birth_date, when, min_age_months):
        oldest = months_between(earliest(birth_date), latest(when))
        if oldest < min_age_months:
            key = "decision_date" if decision_date else "admission_date"
            problems.append(DateProblem(
                "under_age_at_admission", key,
                f"{MEMBER_FIELD.label(key)} {format_vi(when)}: khi đó đảng viên mới {_age(oldest)} (sinh "
                f"{format_vi(birth_date)}), chưa đủ {_age(min_age_months)}",
                "Người vào Đảng phải đủ 18 tuổi (tính theo tháng); kiểm tra lại ngày sinh và ngày vào Đảng.",
                _age_rule(when)))
    return problems


def column_problems(birth: list | None, decision: list | None, admission: list | None, official: list | None,
                    n: int, *, min_age_months: int = int(DEFAULTS["admission.min_age_months"]),
                    ) -> dict[int, list[DateProblem]]:
    """:func:`date_problems` of many records given column-wise (a list per field, None for a column a file does
    not have; ``n`` records): {record position: its problems}, only for records with problems.

    The commonest record of a roster — full birth and admission dates, perhaps a full official date, no decision
    date — is decided here by text comparison without a call per record (100,000 rows an import)."""
    none = [None] * n
    years = min_age_months // 12 if min_age_months % 12 == 0 else None
    found: dict[int, list[DateProblem]] = {}
    for j, (b, d, a, o) in enumerate(zip(*(c if c is not None else none for c in (birth, decision, admission,
                                                                                    official)), strict=True)):
        if (years is not None and d is None and b is not None and a is not None and len(b) == 10 and len(a) == 10
                and a > b and (o is None or (len(o) == 10 and a <= o))):
            older = int(a[:4]) - int(b[:4]) - years
            if older > 0 or (older == 0 and a[4:] >= b[4:]):
                continue
        if (b, d, a, o).count(None) >= 3:
            continue
        problems = date_problems(b, d, a, o, min_age_months=min_age_months)
        if problems:
            found[j] = problems
    return found
