"""Party badges (domain.md §3): milestones, occasions, early and posthumous awards, bonus table."""

from __future__ import annotations

from datetime import date

import pytest

from dangvien_cli.errors import InvalidValue
from dangvien_cli.rules.badges import MILESTONES, badges_due, bonus_multiple, early_months, next_occasion


def test_milestones_have_no_35():
    assert MILESTONES == (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (date(2025, 1, 1), date(2025, 2, 3)),
        (date(2025, 2, 3), date(2025, 5, 19)),
        (date(2025, 5, 20), date(2025, 9, 2)),
        (date(2025, 9, 2), date(2025, 11, 7)),
        (date(2025, 11, 7), date(2026, 2, 3)),
        (date(2025, 12, 31), date(2026, 2, 3)),
    ],
)
def test_next_occasion(after, expected):
    assert next_occasion(after) == expected


def test_next_occasion_inclusive():
    assert next_occasion(date(2025, 9, 2), inclusive=True) == date(2025, 9, 2)


def test_bonus_table():
    assert bonus_multiple(30) == 1.5
    assert bonus_multiple(60) == 5.0
    assert bonus_multiple(65) == 6.0
    assert bonus_multiple(70) is None  # not found in the sources


def test_early_months():
    assert early_months(65, ill=True) == 12
    assert early_months(70, ill=True) == 24
    assert early_months(90, deceased=True) == 12
    assert early_months(30) == 0


def test_due_on_the_occasion_the_milestone_is_reached():
    due = badges_due("1995-09-02", None, [], date(2025, 9, 2))
    assert [b.milestone for b in due] == [30]
    assert due[0].party_age.years == 30
    assert due[0].ground == "regular" and not due[0].early


def test_not_due_the_occasion_before():
    assert badges_due("1995-09-03", None, [], date(2025, 9, 2)) == []


def test_awarded_milestone_is_not_due_again():
    assert badges_due("1995-09-02", None, [], date(2026, 2, 3), awarded={30}) == []


def test_only_the_highest_unawarded_milestone_is_due():
    # 41 years, never got the 30-year badge: the 40-year badge only
    due = badges_due("1984-01-01", None, [], date(2025, 2, 3))
    assert [b.milestone for b in due] == [40]


def test_nothing_due_below_a_badge_already_held():
    assert badges_due("1984-01-01", None, [], date(2025, 2, 3), awarded={40}) == []
    assert badges_due("1984-01-01", None, [], date(2025, 2, 3), awarded={30}) != []


def test_gaps_delay_the_badge():
    gaps = [("2000-01-01", "2001-01-01")]
    assert badges_due("1995-09-02", None, gaps, date(2025, 9, 2)) == []
    assert [b.milestone for b in badges_due("1995-09-02", None, gaps, date(2026, 9, 2))] == [30]


def test_seriously_ill_up_to_65_at_most_12_months_early():
    # 65 years on 2/9/2026; occasion 2/9/2025 is exactly 12 months early
    assert [b.milestone for b in badges_due("1961-09-02", None, [], date(2025, 9, 2), {60}, ill=True)] == [65]
    assert badges_due("1961-09-03", None, [], date(2025, 9, 2), {60}, ill=True) == []
    assert badges_due("1961-09-02", None, [], date(2025, 9, 2), {60}) == []


def test_seriously_ill_from_70_at_most_24_months_early():
    due = badges_due("1957-09-02", None, [], date(2025, 9, 2), {65}, ill=True)
    assert [b.milestone for b in due] == [70]
    assert due[0].early and due[0].ground == "seriously_ill"
    assert due[0].reached_on == date(2027, 9, 2)
    assert badges_due("1957-09-03", None, [], date(2025, 9, 2), {65}, ill=True) == []


def test_posthumous_at_most_12_months_early_from_the_day_of_death():
    # died with 29 years and a few months: the 30-year badge, posthumously
    due = badges_due("1995-01-01", None, [], date(2025, 2, 3), died_on="2024-06-01")
    assert [b.milestone for b in due] == [30]
    assert due[0].ground == "posthumous" and due[0].party_age.years == 29
    # died with 28 years: nothing
    assert badges_due("1995-01-01", None, [], date(2025, 2, 3), died_on="2023-06-01") == []


def test_lamdong_example_no_badge_after_death_short_of_the_next_milestone():
    # 60-year badge in 12/2006, died in 2010 short of 64 years: no 65-year badge (domain.md §3)
    assert badges_due("1946-12-01", None, [], date(2010, 9, 2), {60}, died_on="2010-03-01") == []


def test_deceased_needs_the_date_of_death():
    with pytest.raises(InvalidValue, match="ngày từ trần"):
        badges_due("1960-01-01", None, [], date(2025, 2, 3), deceased=True)
