"""Kept only for the modules that still import from here: both functions now live in rules/dates.py."""

from dangvien_cli.rules.dates import check_year, date_value  # noqa: F401 - re-exported
