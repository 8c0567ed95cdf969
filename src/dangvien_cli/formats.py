"""Vietnamese formats for what a person reads: dates, times, numbers, money, row lists.

Dates dd/mm/yyyy (partial dates mm/yyyy, yyyy); stored times are UTC and shown in Vietnam's time (UTC+7, no
daylight saving since 1975) as dd/mm/yyyy HH:MM; numbers with a decimal comma and a thousands dot (4,76 %;
20.000 đ). JSON never goes through here: it keeps ISO dates and plain numbers (contract.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def date_vi(value: str | date | None) -> str:
    """ISO date of any precision (or a date) → dd/mm/yyyy, mm/yyyy or yyyy; '' for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return time_vi(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if len(text) == 4:
        return text
    if len(text) == 7:
        return f"{text[5:7]}/{text[:4]}"
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}"


def time_vi(value: str | datetime | None) -> str:
    """A stored time (ISO, UTC when it names no zone) → dd/mm/yyyy HH:MM in Vietnam's time."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def number_vi(value: float | int | None, decimals: int | None = None) -> str:
    """4.76 → '4,76'; 20000 → '20.000'; ``decimals`` fixes the digits after the comma."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if decimals is None:
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
        text = text or "0"
    else:
        text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent_vi(value: float | None, decimals: int | None = 2) -> str:
    """4.7619 → '4,76 %' (``decimals=None``: as many as the value needs, 3.0 → '3 %')."""
    return "" if value is None else f"{number_vi(value, decimals)} %"


def money_vi(amount: int | float | None) -> str:
    """20000 → '20.000 đ'."""
    return "" if amount is None else f"{number_vi(round(amount), 0)} đ"


def cell_vi(value: object) -> str:
    """Any stored value as a person reads it: ISO dates and times in the Vietnamese way, numbers with a
    decimal comma, yes/no in words; other text unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        return number_vi(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (date, datetime)):
        return date_vi(value)
    text = str(value)
    if 4 <= len(text) <= 10 and text[:1].isdigit() and _ISO_DATE.fullmatch(text) and len(text) != 4:
        return date_vi(text)
    if len(text) >= 16 and text[:1].isdigit() and _ISO_TIME.fullmatch(text):
        return time_vi(text)
    return text


#: how :func:`ranges` ends when it leaves rows out ("… và 1.997 dòng khác")
MORE_ROWS = " dòng khác"


def ranges(numbers: Iterable[int], most: int | None = None) -> str:
    """[5, 6, 7, 9, 12, 13] → '5–7, 9, 12–13' (rows named compactly). With ``most``, only the first ``most``
    runs are named and the rest counted: '5, 55, 105 và 1.997 dòng khác'."""
    ordered = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        if most is not None and len(parts) == most:
            return ", ".join(parts) + f" và {number_vi(len(ordered) - i)}{MORE_ROWS}"
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}–{ordered[j]}")
        i = j + 1
    return ", ".join(parts)
