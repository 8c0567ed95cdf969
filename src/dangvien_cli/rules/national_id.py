"""What the digits of a personal id (số định danh cá nhân, CCCD) say about its holder.

Nghị định 137/2015/NĐ-CP, Điều 13, and Thông tư 07/2016/TT-BCA (Phụ lục I, III), as quoted in domain.md §9
(high confidence): 12 digits; digits 1–3 the province (or country) where the birth was registered; digit 4
the century and gender (20th century: male 0, female 1; 21st: male 2, female 3; 22nd: 4, 5); digits 5–6 the
last two digits of the birth year; digits 7–12 random.

The checks only report: the record or the id may be the wrong one, and only the clerk can tell which
(issue 14, "reported, never refused").
"""

from __future__ import annotations

from dataclasses import dataclass

from .identity import national_id_problem

CITATION = "Nghị định 137/2015/NĐ-CP, Điều 13; Thông tư 07/2016/TT-BCA"
_FIRST_CENTURY = 1900
# Province codes of the table (Thông tư 07/2016/TT-BCA, Phụ lục I) run from 001 (Hà Nội) to 096 (Cà Mau);
# a code outside that range names no province.
_LAST_PROVINCE = 96


@dataclass(frozen=True)
class IdFacts:
    """What a well-formed personal id says."""

    province_code: str
    gender: str  # "male" | "female"
    century_start: int  # 1900, 2000, 2100
    year_suffix: int  # last two digits of the birth year


def well_formed(national_id: str | None) -> bool:
    """12 ASCII digits: the one personal-id rule of rules.identity."""
    return national_id is not None and national_id_problem(national_id) is None


def format_problem(national_id: str) -> str | None:
    """Why a stored id cannot be a personal id (Vietnamese, for the clerk), or None when its form is sound."""
    if not well_formed(national_id):
        return "không đủ 12 chữ số"
    if not 1 <= int(national_id[:3]) <= _LAST_PROVINCE:
        return f"mã tỉnh {national_id[:3]} (chữ số 1–3) không có trong bảng mã"
    if int(national_id[3]) > 5:
        return f"chữ số thứ 4 ({national_id[3]}) không chỉ thế kỷ và giới tính nào"
    return None


def facts(national_id: str) -> IdFacts | None:
    """The holder's gender, century and birth-year digits, or None when the id's form is not sound."""
    if format_problem(national_id) is not None:
        return None
    code = int(national_id[3])
    return IdFacts(province_code=national_id[:3], gender="male" if code % 2 == 0 else "female",
                   century_start=_FIRST_CENTURY + 100 * (code // 2), year_suffix=int(national_id[4:6]))


def expected_digits(gender: str | None, birth_year: int | None) -> str | None:
    """Digits 4–6 a record's gender and birth year call for (e.g. female born 1968 → "168")."""
    if gender not in ("male", "female") or birth_year is None or not 1900 <= birth_year <= 2199:
        return None
    century = (birth_year - _FIRST_CENTURY) // 100
    return f"{2 * century + (gender == 'female')}{birth_year % 100:02d}"


def contradictions(national_id: str, gender: str | None, birth_year: int | None) -> list[str]:
    """Which facts of the record the id contradicts: "gender", "birth_year" (century or year digits)."""
    found = facts(national_id)
    if found is None:
        return []
    problems = []
    if gender in ("male", "female") and gender != found.gender:
        problems.append("gender")
    if birth_year is not None and (birth_year // 100 * 100 != found.century_start
                                   or birth_year % 100 != found.year_suffix):
        problems.append("birth_year")
    return problems
