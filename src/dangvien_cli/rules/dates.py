"""Dates as clerks type them, with the precision they were given (contract.md, "Dates").

A date is kept as an ISO string of its own precision: ``1968-05-12``, ``1968-05`` or ``1968``. Such strings sort
correctly as text, which lets SQLite compare them without conversion.
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import date, datetime, timedelta

from dangvien_cli.errors import InvalidValue

_EXCEL_EPOCH = date(1899, 12, 30)

_TIME = r"(?:[ T]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # "00:00:00" after a date, as Excel and exports add it
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})" + _TIME + "$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$")
_DAY_WORD = re.compile(r"^ng[àa]y\s*(?=\d)", re.IGNORECASE)  # "ngày 5/3/1990"
_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_Y = re.compile(r"^(\d{4})$")
# "ngày 12 tháng 5 năm 1968" and "tháng 5/1968", "năm 1968"
_WORDS = re.compile(
    r"^(?:ng[àa]y\s*(\d{1,2})\s*)?(?:th[áa]ng\s*(\d{1,2})\s*)?(?:n[ăa]m\s*)?(\d{4})$", re.IGNORECASE
)


class DateError(ValueError):
    """A value that is not a date. The message is Vietnamese and says what was expected."""


def today() -> date:
    """Today's date; ``DANGVIEN_TODAY`` (ISO) overrides it so tests and rehearsals are reproducible."""
    forced = os.environ.get("DANGVIEN_TODAY")
    if forced:
        return date.fromisoformat(forced)
    return date.today()


def _full(year: int, month: int, day: int, raw: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise DateError(f"'{raw}' không phải là ngày có thật (ngày {day}, tháng {month}, năm {year}).") from None


def _known(year: int, month: int, day: int, raw: str) -> str:
    """The date as far as it is known: old rosters write an unknown day or month as 00 ("00/05/1990" is May
    1990, "00/00/1990" is 1990)."""
    if month == 0:
        if day:
            raise DateError(f"'{raw}': có ngày {day} mà không rõ tháng. Hãy ghi tháng, hoặc chỉ ghi năm.")
        return _year(year, raw)
    if day == 0:
        return _month(year, month, raw)
    return _full(year, month, day, raw)


def _month(year: int, month: int, raw: str) -> str:
    if not 1 <= month <= 12:
        raise DateError(f"'{raw}': tháng {month} không có thật.")
    return f"{year:04d}-{month:02d}"


def _year(year: int, raw: str) -> str:
    if not 1890 <= year <= 2100:
        raise DateError(f"'{raw}': năm {year} không hợp lý.")
    return f"{year:04d}"


def _two_digit_year(yy: int) -> int:
    # 15/06/85 means 1985, 15/06/05 means 2005: the window ends at this year.
    pivot = today().year % 100
    return 2000 + yy if yy <= pivot else 1900 + yy


def excel_serial_to_date(serial: float) -> date:
    if serial < 1 or serial > 2958465:
        raise DateError(f"'{serial}' không phải là số ngày Excel hợp lệ.")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: object, *, allow_serial: bool = False) -> str | None:
    """Any accepted form → ISO string of the same precision; None for blank.

    Accepts ``dd/mm/yyyy``, ``d/m/yyyy``, ``dd.mm.yyyy``, ``dd-mm-yyyy``, ``yyyy-mm-dd``, ``mm/yyyy``, ``yyyy``,
    ``date``/``datetime`` objects, and with ``allow_serial`` an Excel serial number (files only).
    Raises DateError with a Vietnamese message otherwise.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        raise DateError(f"'{value}' không phải là ngày.")
    if isinstance(value, (int, float)):
        if allow_serial and 1 <= value <= 2958465 and not (isinstance(value, int) and 1890 <= value <= 2100):
            return excel_serial_to_date(float(value)).isoformat()
        if float(value).is_integer() and 1890 <= int(value) <= 2100:
            return _year(int(value), str(int(value)))
        raise DateError(f"'{value}' không phải là ngày (cần dạng dd/mm/yyyy).")
    raw = str(value).strip()
    if not raw:
        return None
    text = unicodedata.normalize("NFC", raw).rstrip(".").strip()
    if m := _DMY.match(_DAY_WORD.sub("", text)):
        d, mth, y = int(m[1]), int(m[2]), m[3]
        year = int(y) if len(y) == 4 else _two_digit_year(int(y))
        return _known(year, mth, d, raw)
    if m := _ISO.match(text):
        return _known(int(m[1]), int(m[2]), int(m[3]), raw)
    if m := _MY.match(text):
        if int(m[1]) == 0:  # "00/1990": the month is not known
            return _year(int(m[2]), raw)
        return _month(int(m[2]), int(m[1]), raw)
    if m := _ISO_MONTH.match(text):
        return _month(int(m[1]), int(m[2]), raw)
    if m := _Y.match(text):
        return _year(int(m[1]), raw)
    if m := _WORDS.match(re.sub(r"[,/]", " ", text).strip()):
        d, mth, y = m[1], m[2], int(m[3])
        if d and mth:
            return _known(y, int(mth), int(d), raw)
        if mth:
            return _known(y, int(mth), 0, raw)
        if not d:
            return _year(y, raw)
    if allow_serial and re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return excel_serial_to_date(float(text)).isoformat()
    raise DateError(
        f"'{raw}' không đọc được thành ngày. Hãy ghi dạng dd/mm/yyyy (ví dụ 05/09/1980), "
        "hoặc chỉ tháng/năm (09/1980) hay năm (1980) nếu không rõ ngày."
    )


def precision(iso: str) -> str:
    """'day', 'month' or 'year'."""
    return {10: "day", 7: "month", 4: "year"}[len(iso)]


def earliest(iso: str) -> date:
    """The first day the (possibly partial) date can mean."""
    if len(iso) == 4:
        return date(int(iso), 1, 1)
    if len(iso) == 7:
        return date(int(iso[:4]), int(iso[5:7]), 1)
    return date.fromisoformat(iso)


def latest(iso: str) -> date:
    """The last day the (possibly partial) date can mean."""
    if len(iso) == 4:
        return date(int(iso), 12, 31)
    if len(iso) == 7:
        y, m = int(iso[:4]), int(iso[5:7])
        return (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)
    return date.fromisoformat(iso)


def as_date(iso: str | None) -> date | None:
    """Full date or None; partial dates resolve to their first day (for ages and durations only)."""
    return earliest(iso) if iso else None


def is_after(a: str, b: str) -> bool:
    """True only when ``a`` is surely after ``b`` whatever days the partial dates stand for."""
    return earliest(a) > latest(b)


def format_vi(iso: str | None) -> str:
    """ISO (any precision) → dd/mm/yyyy, mm/yyyy or yyyy for display."""
    if not iso:
        return ""
    if len(iso) == 4:
        return iso
    if len(iso) == 7:
        return f"{iso[5:7]}/{iso[:4]}"
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def add_months(d: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's end (31/1 + 1 month = 28 or 29/2)."""
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    m += 1
    last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1)).day
    return date(y, m, min(d.day, last))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (age in months, §1.1)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def check_not_future(iso: str | None, what: str) -> None:
    if iso and earliest(iso) > today():
        raise DateError(f"{what} ({format_vi(iso)}) nằm ở tương lai.")


def date_value(value: str | None, what: str, *, allow_future: bool = False) -> str | None:
    """Parse a date typed on the command line; ``what`` names the field in the message (InvalidValue)."""
    if value is None:
        return None
    try:
        iso = parse_date(value)
        if not allow_future:
            check_not_future(iso, what)
    except DateError as exc:
        raise InvalidValue(f"{what}: {exc}", hint="Ngày ghi dạng dd/mm/yyyy, ví dụ 05/09/1980.") from None
    return iso


def check_year(year: int, hint: str = "Ghi năm đủ bốn chữ số, ví dụ --year 2025.") -> int:
    """A year of the party's records (from 1930, when the Party was founded, to 2100)."""
    if not 1930 <= year <= 2100:
        raise InvalidValue(f"Năm {year} không hợp lý.", hint=hint)
    return year
