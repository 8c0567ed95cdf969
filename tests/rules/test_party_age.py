"""Party age (domain.md §1.4): from the decision, else the ceremony, minus gaps counted once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dangvien_cli.errors import InvalidValue
from dangvien_cli.rules.party_age import merge_gaps, milestone_date, party_age, party_start


def test_counts_from_the_decision_not_the_ceremony():
    age = party_age("1975-04-30", "1975-05-19", [], date(2025, 4, 30))
    assert (age.years, age.months, age.start) == (50, 0, date(1975, 4, 30))
    assert age.days_total == (date(2025, 4, 30) - date(1975, 4, 30)).days


def test_falls_back_to_the_admission_date():
    age = party_age(None, "1975-05-19", [], date(2025, 4, 30))
    assert age.start == date(1975, 5, 19)
    assert (age.years, age.months) == (49, 11)


def test_the_day_before_the_anniversary_is_not_a_full_year():
    assert party_age("1975-04-30", None, [], date(2025, 4, 29)).years == 49


def test_no_start_date_is_refused():
    with pytest.raises(InvalidValue, match="tuổi đảng"):
        party_start(None, None)


def test_partial_dates_use_their_earliest_day():
    assert party_age("1975", None, [], date(2025, 1, 1)).years == 50
    assert party_age("1975-06", None, [], date(2025, 6, 1)).years == 50
    assert party_age("1975-06", None, [], date(2025, 5, 31)).years == 49
    # a gap 1990 → 1992 deducts exactly two years
    assert party_age("1975-01-01", None, [("1990", "1992")], date(2025, 1, 1)).years == 48


def test_gap_is_deducted():
    age = party_age("1980-03-01", None, [("1990-03-01", "1993-03-01")], date(2025, 3, 1))
    assert age.gap_days == (date(1993, 3, 1) - date(1990, 3, 1)).days
    assert (age.years, age.months) == (42, 0)
    assert age.days_total == (date(2025, 3, 1) - date(1980, 3, 1)).days - age.gap_days


def test_overlapping_gaps_count_once():
    once = party_age("1980-01-01", None, [("1990-01-01", "1993-01-01")], date(2025, 1, 1))
    overlapping = party_age(
        "1980-01-01", None, [("1991-01-01", "1993-01-01"), ("1990-01-01", "1992-01-01")], date(2025, 1, 1)
    )
    assert overlapping == once
    assert once.years == 42


def test_gap_ending_after_the_day_is_truncated_and_open_gap_runs_to_it():
    on = date(2025, 1, 1)
    ending_later = party_age("2000-01-01", None, [("2024-01-01", "2026-01-01")], on)
    still_open = party_age("2000-01-01", None, [("2024-01-01", None)], on)
    assert ending_later.gap_days == still_open.gap_days == 366
    assert ending_later.years == 24


def test_gap_before_the_start_is_ignored():
    age = party_age("2000-01-01", None, [("1995-01-01", "2001-01-01")], date(2025, 1, 1))
    assert age.gap_days == 366
    assert age.years == 24


def test_before_the_start_the_age_is_zero():
    age = party_age("2025-06-01", None, [], date(2025, 1, 1))
    assert (age.years, age.months, age.days_total) == (0, 0, 0)


def test_bad_gap_is_refused():
    with pytest.raises(InvalidValue, match="trước ngày bắt đầu"):
        merge_gaps([("2000-05-01", "2000-01-01")])


def test_merge_gaps():
    merged = merge_gaps([("2010-01-01", None), ("2000-01-01", "2001-01-01"), ("2000-06-01", "2002-01-01")])
    assert merged == [(date(2000, 1, 1), date(2002, 1, 1)), (date(2010, 1, 1), None)]


def test_milestone_without_gaps_is_the_anniversary():
    assert milestone_date("1975-04-30", [], 50) == date(2025, 4, 30)


def test_milestone_is_shifted_by_gap_lengths():
    # two overlapping gaps covering 1/1/1980 – 1/1/1983 (1096 days) → 50 years on 30/4/2028
    gaps = [("1980-01-01", "1982-01-01"), ("1981-01-01", "1983-01-01")]
    d = milestone_date("1975-04-30", gaps, 50)
    assert d == date(2028, 4, 30)
    assert party_age("1975-04-30", None, gaps, d).years == 50
    assert party_age("1975-04-30", None, gaps, d - timedelta(days=1)).years == 49


def test_milestone_blocked_by_an_open_gap_only_if_it_opened_before():
    assert milestone_date("1975-04-30", [("1980-01-01", None)], 50) is None
    assert milestone_date("1975-04-30", [("2030-01-01", None)], 50) == date(2025, 4, 30)


@pytest.mark.parametrize("start", ["2000-02-29", "2000-01-31", "1999-12-31", "2001-03-31", "1968-08-15"])
@pytest.mark.parametrize("gaps", [[], [("2003-02-28", "2003-03-31")], [("2001-05-31", "2004-02-29")]])
def test_milestone_is_the_first_day_the_age_is_reached(start, gaps):
    for years in (1, 5, 30):
        d = milestone_date(start, gaps, years)
        assert party_age(start, None, gaps, d).years >= years
        assert party_age(start, None, gaps, d - timedelta(days=1)).years < years
