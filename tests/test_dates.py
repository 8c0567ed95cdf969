"""Dates typed every way (contract.md "Dates"), keeping the precision given."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from dangvien_cli.rules.dates import DateError, add_months, format_vi, is_after, months_between, parse_date


@pytest.mark.parametrize("raw, iso", [
    ("05/09/1980", "1980-09-05"), ("5/9/1980", "1980-09-05"), ("05.09.1980", "1980-09-05"),
    ("05-09-1980", "1980-09-05"), ("1980-09-05", "1980-09-05"), ("09/1980", "1980-09"), ("1980", "1980"),
    ("ngày 5 tháng 9 năm 1980", "1980-09-05"), ("tháng 9 năm 1980", "1980-09"), (" 05/09/1980. ", "1980-09-05"),
    (datetime(1980, 9, 5, 0, 0), "1980-09-05"), (date(1980, 9, 5), "1980-09-05"), (1980, "1980"), ("", None),
    (None, None),
])
def test_accepted_forms(raw, iso):
    assert parse_date(raw) == iso


def test_excel_serials_only_from_files():
    assert parse_date(29469, allow_serial=True) == "1980-09-05"
    assert parse_date(29469.0, allow_serial=True) == "1980-09-05"
    with pytest.raises(DateError):
        parse_date(29469)


@pytest.mark.parametrize("raw", ["31/02/1970", "05/00/1970", "13/1970", "1970-13-01", "abc", "12/05", "ngày"])
def test_refused(raw):
    with pytest.raises(DateError):
        parse_date(raw)


def test_partial_dates_compare_safely():
    assert is_after("1996-05-19", "1995")
    assert not is_after("1995-12-31", "1995")  # could be the same day
    assert format_vi("1968-05") == "05/1968" and format_vi("1968-05-12") == "12/05/1968"


def test_month_arithmetic():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert months_between(date(2000, 5, 12), date(2018, 5, 11)) == 215
    assert months_between(date(2000, 5, 12), date(2018, 5, 12)) == 216


@pytest.mark.parametrize(("raw", "iso"), [
    ("ngày 5/3/1990", "1990-03-05"),
    ("Ngày 05.03.1990", "1990-03-05"),
    ("05/03/1990 00:00:00", "1990-03-05"),  # as "1990-03-05 00:00:00" already was
    ("1990-03-05 00:00:00", "1990-03-05"),
    (unicodedata.normalize("NFD", "ngày 5 tháng 3 năm 1990"), "1990-03-05"),
    ("NGÀY 5 THÁNG 3 NĂM 1990", "1990-03-05"),
    # Old rosters write an unknown day or month as 00: keep what is known.
    ("00/05/1990", "1990-05"),
    ("0/5/1990", "1990-05"),
    ("00/00/1990", "1990"),
    ("00/1990", "1990"),
    ("ngày 00 tháng 05 năm 1990", "1990-05"),
])
def test_dates_a_clerk_writes_are_read(raw, iso):
    assert parse_date(raw) == iso
