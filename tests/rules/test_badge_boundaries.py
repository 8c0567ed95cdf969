"""Every badge milestone at the edge of its day (domain.md §3, HD 01-HD/TW 2021 mục 18): due on the occasion the
milestone is reached and not the day before; seriously ill members 12 months early up to 65 years and 24 months
from 70; posthumous awards when party age at death reaches the milestone less 12 months; every occasion's day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dangvien_cli.rules.badges import MILESTONES, OCCASIONS, badges_due, ill_on, next_occasion
from dangvien_cli.rules.dates import add_months

OCCASION = date(2026, 5, 19)


def start_for(milestone: int, reached: date) -> str:
    """The decision date whose party age reaches ``milestone`` years exactly on ``reached``."""
    return add_months(reached, -12 * milestone).isoformat()


def below(milestone: int) -> set[int]:
    """Every milestone under ``milestone`` already received (so only ``milestone`` can be due)."""
    return {m for m in MILESTONES if m < milestone}


def milestones_due(start: str, occasion: date = OCCASION, **kw) -> list[int]:
    return [b.milestone for b in badges_due(start, None, [], occasion, kw.pop("awarded", ()), **kw)]


@pytest.mark.parametrize("milestone", MILESTONES)
def test_due_on_the_day_it_is_reached_not_the_day_before(milestone):
    held = below(milestone)
    assert milestones_due(start_for(milestone, OCCASION), awarded=held) == [milestone]
    assert milestones_due(start_for(milestone, OCCASION + timedelta(days=1)), awarded=held) == []
    # Without an illness recorded, the same member is not proposed early.
    assert milestones_due(start_for(milestone, OCCASION + timedelta(days=1)), awarded=held, ill=False) == []


@pytest.mark.parametrize("milestone", MILESTONES)
def test_seriously_ill_early_by_12_months_up_to_65_and_24_from_70(milestone):
    months = 12 if milestone <= 65 else 24
    held = below(milestone)
    edge = add_months(OCCASION, months)
    due = badges_due(start_for(milestone, edge), None, [], OCCASION, held, ill=True)
    assert [(b.milestone, b.ground, b.early, b.reached_on) for b in due] == [(milestone, "seriously_ill", True, edge)]
    assert milestones_due(start_for(milestone, edge + timedelta(days=1)), awarded=held, ill=True) == []


@pytest.mark.parametrize("milestone", MILESTONES)
def test_posthumous_when_age_at_death_reaches_the_milestone_less_12_months(milestone):
    held = below(milestone)
    died = date(2026, 1, 10)
    edge = add_months(died, 12)  # the milestone would have fallen 12 months after the death
    due = badges_due(start_for(milestone, edge), None, [], OCCASION, held, died_on=died.isoformat())
    assert [(b.milestone, b.ground, b.party_age.years, b.party_age.months) for b in due] == \
           [(milestone, "posthumous", milestone - 1, 0)]
    assert milestones_due(start_for(milestone, edge + timedelta(days=1)), awarded=held, died_on=died.isoformat()) == []
    # Posthumous is 12 months for every milestone, ill or not: the 24 months of the ill end with the life.
    if milestone >= 70:
        assert milestones_due(start_for(milestone, add_months(died, 24)), awarded=held, ill=True,
                              died_on=died.isoformat()) == []


def test_posthumous_measures_from_the_death_not_from_the_occasion():
    # Died on 10/01/2026 with 28 years 11 months: 30 years would have come 13 months later. A later occasion
    # (when he would have had 30) does not make him due.
    start = add_months(date(2027, 2, 10), -360).isoformat()
    assert milestones_due(start, date(2027, 5, 19), died_on="2026-01-10") == []


@pytest.mark.parametrize(("month", "day"), OCCASIONS)
def test_every_occasion_is_its_own_day(month, day):
    d = date(2026, month, day)
    assert next_occasion(d, inclusive=True) == d
    assert next_occasion(d - timedelta(days=1)) == d
    assert next_occasion(d) > d


def test_ill_from_the_day_recorded():
    assert ill_on("2026-05-19", OCCASION) and ill_on("2025-01-01", OCCASION)
    assert not ill_on("2026-05-20", OCCASION) and not ill_on(None, OCCASION)
