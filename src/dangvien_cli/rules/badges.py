"""Party badges (Huy hiệu Đảng), domain.md §3 (HD 01-HD/TW 2021 §18; bonus: HD 56-HD/VPTW 2015).

Which badge is due at an occasion — the choice made here, as a clerk would expect it:

- Only the **highest** milestone the member has reached and not yet received is due. Badges are not handed
  out for tiers a member has passed: a member of 41 years who never got the 30-year badge is proposed for
  the 40-year badge, not for both. A member who already holds a badge at or above that tier is not due.
- A backlog is due: a milestone reached before earlier occasions and never awarded is still proposed.
- Party age is counted as in §1.4 (``party_age.py``), gaps deducted, on the day of the occasion.
- Seriously ill members may receive the 30–65-year badges at most 12 months early and the 70–90-year badges
  at most 24 months early: the milestone must fall no later than that many months after the occasion.
- Deceased members (posthumous award): party age stops on the day of death, and the badge may be at most
  12 months early, so a member who died with 29 full years receives the 30-year badge.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from ..errors import InvalidValue
from .dates import add_months, earliest
from .party_age import Gap, PartyAge, milestone_date, party_age, party_start

MILESTONES: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)  # §3: no 35-year badge
OCCASIONS: tuple[tuple[int, int], ...] = ((2, 3), (5, 19), (9, 2), (11, 7))  # (month, day): 3/2 19/5 2/9 7/11

# Bonus paid with the badge, as multiples of the base salary (HD 56-HD/VPTW 2015, §3). Higher tiers and the
# 45-year tier were not found in the sources: bonus_multiple() returns None for them.
BONUS_MULTIPLES: dict[int, float] = {30: 1.5, 40: 2.0, 50: 3.0, 55: 3.5, 60: 5.0, 65: 6.0}

ILL_EARLY_MONTHS_UP_TO_65 = 12
ILL_EARLY_MONTHS_FROM_70 = 24
POSTHUMOUS_EARLY_MONTHS = 12

Ground = Literal["regular", "seriously_ill", "posthumous"]


@dataclass(frozen=True)
class BadgeDue:
    """A badge proposed at an occasion."""

    milestone: int
    party_age: PartyAge  # on the occasion, or on the day of death for a posthumous award
    reached_on: date  # the day the member reaches (or would reach) the milestone
    occasion: date
    ground: Ground
    early: bool  # reached_on is after the day party age was measured

    @property
    def bonus_multiple(self) -> float | None:
        return bonus_multiple(self.milestone)


def bonus_multiple(milestone: int) -> float | None:
    """Bonus as a multiple of the base salary (HD 56-HD/VPTW 2015), None where no source gives it."""
    return BONUS_MULTIPLES.get(milestone)


def next_occasion(after: date, *, inclusive: bool = False) -> date:
    """The first award occasion (3/2, 19/5, 2/9, 7/11) after ``after`` — or on it, with ``inclusive``."""
    for year in (after.year, after.year + 1):
        for month, day in OCCASIONS:
            d = date(year, month, day)
            if d > after or (inclusive and d == after):
                return d
    raise AssertionError("unreachable: an occasion falls in every year")


def ill_on(seriously_ill_since: str | date | None, day: date) -> bool:
    """Whether a member recorded seriously ill from ``seriously_ill_since`` (ISO or date) is so on ``day``."""
    if not seriously_ill_since:
        return False
    since = seriously_ill_since if isinstance(seriously_ill_since, date) else earliest(seriously_ill_since)
    return since <= day


# How far back from the occasion 'badges due' looks for members who died without the badge they were due: the
# occasions of one year (the tool's choice; a death longer ago is proposed by the committee itself).
POSTHUMOUS_LOOKBACK_MONTHS = 12


def early_months(milestone: int, *, ill: bool = False, deceased: bool = False) -> int:
    """How many months before the milestone the badge may be awarded (§3)."""
    if deceased:
        return POSTHUMOUS_EARLY_MONTHS
    if ill:
        return ILL_EARLY_MONTHS_UP_TO_65 if milestone <= 65 else ILL_EARLY_MONTHS_FROM_70
    return 0


def badges_due(
    decision_date: str | date | None,
    admission_date: str | date | None,
    gaps: Iterable[Gap],
    occasion: date,
    awarded: Iterable[int] = (),
    *,
    ill: bool = False,
    deceased: bool = False,
    died_on: str | date | None = None,
) -> list[BadgeDue]:
    """The badge due at ``occasion``: a list of at most one :class:`BadgeDue` (see the module docstring).

    ``awarded`` holds the milestones already received. ``deceased`` needs ``died_on`` (a partial date stands
    for its earliest day, as in party_age.py).
    """
    gaps = list(gaps)
    if died_on is not None:
        deceased = True
    if deceased and not died_on:
        raise InvalidValue(
            "Cần ngày từ trần để xét tặng Huy hiệu Đảng truy tặng.",
            hint="Ghi ngày từ trần của đảng viên (ít nhất tháng/năm).",
        )
    measured_on = occasion
    if deceased and died_on:
        measured_on = min(occasion, died_on if isinstance(died_on, date) else earliest(died_on))
    start = party_start(decision_date, admission_date)
    held = max((m for m in awarded if m in MILESTONES), default=0)
    ground: Ground = "posthumous" if deceased else ("seriously_ill" if ill else "regular")

    for milestone in sorted(MILESTONES, reverse=True):
        if milestone <= held:
            return []
        reached_on = milestone_date(start, gaps, milestone)
        if reached_on is None:
            continue
        limit = add_months(measured_on, early_months(milestone, ill=ill, deceased=deceased))
        if reached_on <= limit:
            age = party_age(decision_date, admission_date, gaps, measured_on)
            return [BadgeDue(milestone, age, reached_on, occasion, ground, reached_on > measured_on)]
    return []
