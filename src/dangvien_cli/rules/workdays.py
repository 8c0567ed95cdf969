"""Vietnam's working days, for the working-day deadlines of domain.md §1.3 and §1.8.

Public holidays follow the Labour Code 2019 Art. 112, computed for any year by the ``holidays`` package
(``holidays.Vietnam``), which covers, each with its lunar dates converted:

- Tết Dương lịch 1/1;
- Tết Nguyên Đán: five days, the last day of the lunar year and days 1–4 of the new one; a day of them that
  falls on a weekend moves to the nearest working day (Saturday back, Sunday forward), which gives the
  "29 Tết" days the Government announces;
- Giỗ Tổ Hùng Vương, 10/3 lunar;
- 30/4 and 1/5;
- Quốc khánh 2/9 plus the day before or after (from 2021);
- Ngày Văn hóa Việt Nam 24/11 (from 2026, Resolution 80-NQ/TW);
- the compensatory day off (nghỉ bù) on the next working day when a holiday falls on a weekend;
- the swaps the Government decided (e.g. 2/5/2025 off, worked on Saturday 26/4/2025). The package lists the
  day off; the make-up Saturday it was exchanged for is read from the same table and counts as a working day.

Checked by hand against the announced schedules of 2024, 2025 and 2026 (tests/rules/test_workdays.py).
Swaps the Government announces after the package was released go into a small TOML file (see
:func:`load_calendar`), whose entries win over the package.

The package costs about 0.15 s to import (it loads every country it knows). The days it gives are kept in a
small JSON file in the user's cache directory (``DANGVIEN_CACHE_DIR`` overrides), stamped with the package's
files so that an upgrade recomputes them: a command that counts working days then never imports it.

Counting convention, used everywhere: ``add_working_days(start, n)`` is the n-th working day **after**
``start``; ``start`` itself is not counted, whether or not it is a working day. "Within 60 working days of X"
means "on or before ``add_working_days(X, 60)``", and a deadline is overdue from the day after it.
``working_days_between(a, b)`` counts the working days in ``(a, b]``, so that
``working_days_between(a, add_working_days(a, n)) == n``.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from ..errors import InvalidValue
from .dates import DateError, format_vi, parse_date

CALENDAR_ENV = "DANGVIEN_CALENDAR"
CACHE_ENV = "DANGVIEN_CACHE_DIR"
CACHE_FORMAT = 1
_CACHE_SPAN = 10  # years each side of a year asked for, computed together when the package has to be loaded

_ONE_DAY = timedelta(days=1)


def _package_stamp() -> str | None:
    """Sizes and modification times of the package files the days come from, read without importing it."""
    from importlib.util import find_spec

    try:
        spec = find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    root = Path(spec.origin).parent
    parts = [f"{CACHE_FORMAT}"]
    for name in ("version.py", "countries/vietnam.py", "calendars/chinese.py"):
        try:
            st = (root / name).stat()
        except OSError:
            return None
        parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _cache_file() -> Path:
    base = os.environ.get(CACHE_ENV)
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("dangvien", appauthor=False)
    return Path(base) / "vietnam-holidays.json"


@lru_cache(maxsize=1)
def _cache() -> dict:
    """The cached days: {"stamp", "years": {year: [[iso, name], ...]}, "makeup": [iso, ...]}, or a fresh one
    when the file is missing, unreadable or made from other package files."""
    stamp = _package_stamp()
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
        if stamp is not None and data.get("stamp") == stamp and isinstance(data.get("years"), dict):
            return data
    except (OSError, ValueError):
        pass
    return {"stamp": stamp, "years": {}, "makeup": None}


def _save_cache(data: dict) -> None:
    """Write the cache whole (temporary file, then rename); a cache that cannot be written is only slower."""
    if data["stamp"] is None:
        return
    path = _cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass


def _compute_holidays(years: range) -> dict[int, dict[date, str]]:
    import holidays

    days: dict[int, dict[date, str]] = {y: {} for y in years}
    for d, name in holidays.Vietnam(years=years, language="vi").items():
        days[d.year][d] = name
    return days


@lru_cache(maxsize=256)
def public_holidays(year: int) -> dict[date, str]:
    """Days off by law in ``year`` (Vietnamese names), compensatory days and decided swaps included."""
    cache = _cache()
    cached = cache["years"].get(str(year))
    if cached is None:
        computed = _compute_holidays(range(year - _CACHE_SPAN, year + _CACHE_SPAN + 1))
        for y, days in computed.items():
            cache["years"].setdefault(str(y), sorted([d.isoformat(), name] for d, name in days.items()))
        if cache["makeup"] is None:
            cache["makeup"] = sorted(d.isoformat() for d in _compute_makeup_days())
        _save_cache(cache)
        return computed[year]
    return {date.fromisoformat(iso): name for iso, name in cached}


def _compute_makeup_days() -> frozenset[date]:
    """Saturdays worked in exchange for a day off, from the package's table of Government swaps."""
    try:
        from holidays.countries.vietnam import VietnamStaticHolidays

        table = VietnamStaticHolidays.special_public_holidays
    except (ImportError, AttributeError):  # a future package layout: fall back to no make-up days
        return frozenset()
    days: set[date] = set()
    for year, entries in table.items():
        rows = entries if entries and isinstance(entries[0], tuple) else (entries,)
        for row in rows:
            if len(row) >= 4:
                from_year = row[4] if len(row) >= 5 else year
                days.add(date(from_year, row[2], row[3]))
    return frozenset(days)


@lru_cache(maxsize=1)
def _all_makeup_days() -> frozenset[date]:
    cache = _cache()
    if cache["makeup"] is None:
        cache["makeup"] = sorted(d.isoformat() for d in _compute_makeup_days())
        _save_cache(cache)
    return frozenset(date.fromisoformat(iso) for iso in cache["makeup"])


@lru_cache(maxsize=256)
def makeup_working_days(year: int) -> frozenset[date]:
    """Weekend days of ``year`` that are working days because a holiday was moved (ngày làm bù)."""
    return frozenset(d for d in _all_makeup_days() if d.year == year)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: Monday–Friday minus public holidays, plus make-up days, with local corrections.

    ``extra_days_off`` and ``extra_working_days`` come from the calendar file; they win over the package
    (a date in both sets is an error caught by :func:`load_calendar`).
    """

    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    def __init__(self, extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = ()):
        object.__setattr__(self, "extra_days_off", frozenset(extra_days_off))
        object.__setattr__(self, "extra_working_days", frozenset(extra_working_days))

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_working_days:
            return True
        if d in self.extra_days_off:
            return False
        if d in makeup_working_days(d.year):
            return True
        if d.weekday() >= 5:
            return False
        return d not in public_holidays(d.year)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` not counted); n < 0 counts back; 0 → ``start``."""
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        d = start
        while remaining:
            d += step
            if self.is_working_day(d):
                remaining -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``; negative (the count in ``(b, a]``) when ``b`` is before ``a``."""
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        d = a
        while d < b:
            d += _ONE_DAY
            if self.is_working_day(d):
                count += 1
        return count


def _read_dates(path: Path, data: dict, table: str) -> set[date]:
    section = data.get(table, {})
    if not isinstance(section, dict) or not isinstance(section.get("dates", []), list):
        raise InvalidValue(
            f'Tệp lịch {path.name}: mục [{table}] phải có dạng dates = ["2025-05-02", ...].',
            hint=f"Sửa mục [{table}] trong tệp {path}.",
        )
    unknown = set(section) - {"dates"}
    if unknown:
        raise InvalidValue(
            f"Tệp lịch {path.name}: mục [{table}] có khóa lạ '{sorted(unknown)[0]}'; chỉ dùng 'dates'.",
        )
    result: set[date] = set()
    for entry in section.get("dates", []):
        if isinstance(entry, date):
            result.add(entry)
            continue
        try:
            iso = parse_date(entry) if isinstance(entry, str) else None
        except DateError:
            iso = None
        if iso is None or len(iso) != 10:
            raise InvalidValue(
                f"Tệp lịch {path.name}, mục [{table}]: '{entry}' không phải là một ngày đầy đủ.",
                hint='Ghi mỗi ngày dạng "2025-05-02" (năm-tháng-ngày), trong dấu ngoặc kép.',
            )
        result.add(date.fromisoformat(iso))
    return result


def load_calendar(path: Path | str | None = None) -> WorkCalendar:
    """The working calendar with the local corrections of a TOML file.

    The file (``path``, else the environment variable ``DANGVIEN_CALENDAR``; none → the package alone)::

        [days_off]        # extra days off the Government decided
        dates = ["2025-05-02"]
        [working_days]    # make-up working days (ngày làm bù), or a holiday the package has wrong
        dates = ["2025-04-26"]

    A missing or malformed file, an unknown table, a bad date or a date in both lists raises InvalidValue
    naming the file and the entry.
    """
    if path is None:
        env = os.environ.get(CALENDAR_ENV)
        if not env:
            return WorkCalendar()
        path = env
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidValue(
            f"Không tìm thấy tệp lịch ngày nghỉ {path}.",
            hint=f"Kiểm tra đường dẫn, hoặc bỏ biến môi trường {CALENDAR_ENV} nếu không dùng tệp lịch.",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidValue(f"Không đọc được tệp lịch {path}: {exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidValue(
            f"Tệp lịch {path.name} sai cú pháp TOML: {exc}.",
            hint='Mẫu đúng: [days_off] dates = ["2025-05-02"] và [working_days] dates = ["2025-04-26"].',
        ) from None
    unknown = set(data) - {"days_off", "working_days"}
    if unknown:
        raise InvalidValue(
            f"Tệp lịch {path.name} có mục lạ [{sorted(unknown)[0]}].",
            hint="Chỉ dùng hai mục [days_off] (ngày nghỉ thêm) và [working_days] (ngày làm bù).",
        )
    off = _read_dates(path, data, "days_off")
    work = _read_dates(path, data, "working_days")
    both = sorted(off & work)
    if both:
        raise InvalidValue(
            f"Tệp lịch {path.name}: ngày {format_vi(both[0].isoformat())} vừa là ngày nghỉ "
            "vừa là ngày làm bù.",
            hint="Xóa ngày đó khỏi một trong hai mục.",
        )
    return WorkCalendar(extra_days_off=off, extra_working_days=work)


_DEFAULT_CACHE: dict[tuple[str, float], WorkCalendar] = {}


def default_calendar() -> WorkCalendar:
    """:func:`load_calendar` for ``DANGVIEN_CALENDAR``, read again when the variable or the file changes."""
    env = os.environ.get(CALENDAR_ENV)
    if not env:
        return WorkCalendar()
    try:
        key = (env, Path(env).stat().st_mtime)
    except OSError:
        return load_calendar(env)  # raises the Vietnamese error for a missing file
    if key not in _DEFAULT_CACHE:
        _DEFAULT_CACHE.clear()
        _DEFAULT_CACHE[key] = load_calendar(env)
    return _DEFAULT_CACHE[key]
