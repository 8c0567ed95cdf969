"""Probationary or official, when a record does not say (domain.md §1.3): probation is the 12 months after
the admission ceremony, so a member admitted less than 12 months ago without an official date is probationary."""

from __future__ import annotations

from .dates import add_months, earliest, today

# Statuses of a member still on the cell's roll (domain.md §1.7: exempt and suspended members stay members);
# the others have left: transferred out, removed, expelled, resigned, deceased.
ON_ROLL = ("active", "exempt", "suspended")
ON_ROLL_SQL = "(" + ", ".join(f"'{s}'" for s in ON_ROLL) + ")"


def default_membership(official_date: str | None, admission_date: str | None) -> str:
    if official_date:
        return "official"
    if admission_date and add_months(earliest(admission_date), 12) > today():
        return "probationary"
    return "official"
