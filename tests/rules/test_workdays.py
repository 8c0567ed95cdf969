"""Working days (domain.md §1.3 deadlines, §1.8): holidays of the Labour Code 2019 Art. 112 and swaps.

Expected dates were counted by hand on the announced holiday schedules of 2024, 2025 and 2026.
"""

from __future__ import annotations

from datetime import date

import pytest

from dangvien_cli.errors import InvalidValue
from dangvien_cli.rules.workdays import CALENDAR_ENV, WorkCalendar, load_calendar, public_holidays

CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 16), False),  # 29 tháng Chạp Ất Tỵ (last day of the lunar year), Monday
        (date(2026, 2, 17), False),  # Mùng 1 Tết Bính Ngọ
        (date(2026, 2, 20), False),  # Mùng 4
        (date(2026, 2, 13), True),  # Friday before Tết
        (date(2026, 2, 23), True),  # first day back
        (date(2026, 4, 27), False),  # nghỉ bù: Giỗ Tổ 10/3 lunar fell on Sunday 26/4/2026
        (date(2026, 9, 1), False),  # Quốc khánh adjacent day
        (date(2025, 4, 7), False),  # Giỗ Tổ 2025
        (date(2025, 5, 2), False),  # swapped day off 2025
        (date(2025, 4, 26), True),  # Saturday worked in exchange (ngày làm bù)
        (date(2025, 4, 27), False),  # an ordinary Sunday
        (date(2024, 2, 8), False),  # 29 Tết 2024
        (date(2024, 2, 14), False),  # Sunday mùng 2 moved to Wednesday 14/2/2024
        (date(2024, 2, 15), True),
        (date(2024, 4, 29), False),  # swap 2024
        (date(2024, 5, 4), True),  # its make-up Saturday
        (date(2024, 9, 3), False),
        (date(2025, 1, 1), False),
        (date(2025, 1, 2), True),
    ],
)
def test_is_working_day(day, expected):
    assert CAL.is_working_day(day) is expected


def test_tet_2026_is_five_days_from_the_last_day_of_the_lunar_year():
    tet = sorted(d for d, name in public_holidays(2026).items() if "Tết Nguyên Đán" in name)
    assert tet == [date(2026, 2, d) for d in range(16, 21)]


def test_holidays_are_computed_for_years_nobody_typed_in():
    # Tết Đinh Mùi 2027: mùng 1 on Saturday 6/2/2027; 2035 just has to contain 30/4 and a lunar new year
    assert date(2027, 2, 6) in public_holidays(2027)
    assert date(2035, 4, 30) in public_holidays(2035)
    assert len([n for n in public_holidays(2035).values() if "Tết Nguyên Đán" in n]) >= 5


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 23)),  # across Tết Bính Ngọ
        (date(2026, 2, 12), 2, date(2026, 2, 23)),
        (date(2025, 1, 24), 1, date(2025, 2, 3)),  # across Tết 2025
        (date(2024, 2, 7), 1, date(2024, 2, 15)),  # across Tết 2024
        (date(2025, 4, 29), 1, date(2025, 5, 5)),  # 30/4, 1/5 and the swapped 2/5/2025
        (date(2025, 4, 25), 1, date(2025, 4, 26)),  # the make-up Saturday counts
        (date(2026, 4, 24), 1, date(2026, 4, 28)),  # Giỗ Tổ on Sunday, nghỉ bù Monday
        (date(2026, 4, 24), 3, date(2026, 5, 4)),  # then 30/4 and 1/5 (Thu, Fri)
        (date(2025, 8, 29), 1, date(2025, 9, 3)),  # 1/9 and 2/9/2025
        (date(2024, 8, 30), 1, date(2024, 9, 4)),  # 2/9 and 3/9/2024
        (date(2026, 1, 5), 60, date(2026, 4, 6)),  # 60 WD across Tết 2026
        (date(2026, 4, 20), 30, date(2026, 6, 4)),  # 30 WD across 27/4, 30/4, 1/5/2026
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
        (date(2026, 2, 15), 1, date(2026, 2, 23)),  # start on a non-working day: still not counted
    ],
)
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


def test_add_working_days_backwards():
    assert CAL.add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)


def test_working_days_between_is_the_inverse_of_add():
    assert CAL.working_days_between(date(2026, 1, 5), date(2026, 4, 6)) == 60
    assert CAL.working_days_between(date(2026, 4, 6), date(2026, 1, 5)) == -60
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 22)) == 0
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 13)) == 0
    for n in (1, 7, 30, 60, 250):
        start = date(2025, 12, 30)
        assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


def test_extra_days_override_the_package():
    cal = WorkCalendar(
        extra_days_off={date(2026, 1, 2)}, extra_working_days={date(2026, 1, 10), date(2026, 11, 24)}
    )
    assert not cal.is_working_day(date(2026, 1, 2))
    assert cal.is_working_day(date(2026, 1, 10))  # a Saturday
    assert cal.is_working_day(date(2026, 11, 24))  # a holiday cancelled locally
    assert cal.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)
    assert CAL.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)


def test_load_calendar_reads_toml(tmp_path):
    f = tmp_path / "lich.toml"
    f.write_text('[days_off]\ndates = ["2026-01-02"]\n[working_days]\ndates = ["2026-01-10", 2026-01-17]\n')
    cal = load_calendar(f)
    assert cal.extra_days_off == {date(2026, 1, 2)}
    assert cal.extra_working_days == {date(2026, 1, 10), date(2026, 1, 17)}


def test_load_calendar_uses_the_environment(tmp_path, monkeypatch):
    f = tmp_path / "lich.toml"
    f.write_text('[days_off]\ndates = ["02/01/2026"]\n')
    monkeypatch.setenv(CALENDAR_ENV, str(f))
    assert load_calendar().extra_days_off == {date(2026, 1, 2)}
    monkeypatch.delenv(CALENDAR_ENV)
    assert load_calendar() == WorkCalendar()


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('[days_off]\ndates = ["2026-13-02"]\n', "2026-13-02"),
        ('[days_off]\ndates = ["2026-01"]\n', "2026-01"),
        ('[holidays]\ndates = ["2026-01-02"]\n', "holidays"),
        ('[days_off]\ndates = "2026-01-02"\n', "days_off"),
        ("[days_off\n", "TOML"),
        ('[days_off]\ndates = ["2026-01-02"]\n[working_days]\ndates = ["2026-01-02"]\n', "02/01/2026"),
    ],
)
def test_load_calendar_rejects_bad_files_naming_file_and_entry(tmp_path, content, fragment):
    f = tmp_path / "lich.toml"
    f.write_text(content)
    with pytest.raises(InvalidValue) as err:
        load_calendar(f)
    assert "lich.toml" in err.value.message
    assert fragment in err.value.message


def test_load_calendar_missing_file(tmp_path):
    with pytest.raises(InvalidValue, match="Không tìm thấy"):
        load_calendar(tmp_path / "khong-co.toml")


def test_default_calendar_rereads_a_changed_file(tmp_path, monkeypatch):
    import os

    from dangvien_cli.rules.workdays import default_calendar

    f = tmp_path / "lich.toml"
    f.write_text('[days_off]\ndates = ["2026-03-02"]\n')
    monkeypatch.setenv(CALENDAR_ENV, str(f))
    assert default_calendar().extra_days_off == {date(2026, 3, 2)}
    f.write_text('[days_off]\ndates = ["2026-03-03"]\n')
    os.utime(f, (1_900_000_000, 1_900_000_000))
    assert default_calendar().extra_days_off == {date(2026, 3, 3)}
    monkeypatch.delenv(CALENDAR_ENV)
    assert default_calendar() == WorkCalendar()


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test extra
    pass
else:

    @settings(max_examples=150, deadline=None)
    @given(st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)), st.integers(0, 120))
    def test_add_and_between_agree(start, n):
        end = CAL.add_working_days(start, n)
        assert CAL.working_days_between(start, end) == n
        if n > 0:
            assert CAL.is_working_day(end)
            back = CAL.add_working_days(end, -n)
            assert back == start if CAL.is_working_day(start) else back < start


def _fresh_cache(monkeypatch, directory):
    from dangvien_cli.rules import workdays

    monkeypatch.setenv(workdays.CACHE_ENV, str(directory))
    for fn in (workdays._cache, workdays.public_holidays, workdays._all_makeup_days, workdays.makeup_working_days):
        fn.cache_clear()
    return workdays


def test_cached_days_are_the_packages_days(tmp_path, monkeypatch):
    workdays = _fresh_cache(monkeypatch, tmp_path)
    first = workdays.public_holidays(2026)
    cache_file = tmp_path / "vietnam-holidays.json"
    assert cache_file.exists()
    _fresh_cache(monkeypatch, tmp_path)
    assert workdays.public_holidays(2026) == first == workdays._compute_holidays(range(2026, 2027))[2026]
    assert workdays.public_holidays(2031) == workdays._compute_holidays(range(2031, 2032))[2031]
    assert workdays._all_makeup_days() == workdays._compute_makeup_days()
    assert date(2025, 4, 26) in workdays._all_makeup_days()


def test_a_warm_cache_never_imports_the_package(tmp_path, monkeypatch):
    import subprocess
    import sys

    monkeypatch.setenv("DANGVIEN_CACHE_DIR", str(tmp_path))
    code = ("import sys; from datetime import date; from dangvien_cli.rules.workdays import WorkCalendar; "
            "print(WorkCalendar().working_days_between(date(2026, 2, 13), date(2026, 2, 23)), "
            "'holidays' in sys.modules)")
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert cold == ["1", "True"]  # Tết 16–20/2/2026 and the weekends: only Monday 23/2 counts
    assert warm == ["1", "False"]


def test_a_cache_from_other_package_files_or_unreadable_is_recomputed(tmp_path, monkeypatch):
    workdays = _fresh_cache(monkeypatch, tmp_path)
    (tmp_path / "vietnam-holidays.json").write_text(
        '{"stamp": "another version", "years": {"2026": [["2026-03-03", "bịa"]]}, "makeup": []}', encoding="utf-8")
    assert date(2026, 3, 3) not in workdays.public_holidays(2026)
    assert date(2026, 2, 17) in workdays.public_holidays(2026)
    workdays = _fresh_cache(monkeypatch, tmp_path)
    (tmp_path / "vietnam-holidays.json").write_text("{not json", encoding="utf-8")
    assert date(2026, 2, 17) in workdays.public_holidays(2026)


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x", encoding="utf-8")
    workdays = _fresh_cache(monkeypatch, blocked / "cache")
    assert date(2026, 2, 17) in workdays.public_holidays(2026)
    assert date(2025, 4, 26) in workdays._all_makeup_days()
