"""Values typed on the command line. Light on purpose: the bulk commands import it without SQLAlchemy."""

from __future__ import annotations

from dangvien_cli.errors import InvalidValue
from dangvien_cli.rules.dates import DateError, check_not_future, parse_date


def date_value(value: str | None, what: str, *, allow_future: bool = False) -> str | None:
    """Parse a date typed on the command line; ``what`` names the field in the message."""
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
