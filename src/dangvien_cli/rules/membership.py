"""Probationary or official, when a record does not say (domain.md §1.3): probation is the 12 months after
the admission ceremony (rules.admission.probation_end, the one computation of it), so a member whose probation
may not have ended yet, without an official date, is probationary."""

from __future__ import annotations

from .dates import today

# Statuses of a member still on the cell's roll (domain.md §1.7: exempt and suspended members stay members);
# the others have left: transferred out, removed, expelled, resigned, deceased.
ON_ROLL = ("active", "exempt", "suspended")
ON_ROLL_SQL = "(" + ", ".join(f"'{s}'" for s in ON_ROLL) + ")"


def default_membership(official_date: str | None, admission_date: str | None) -> str:
    if official_date:
        return "official"
    from .admission import probation_end

    if admission_date and probation_end(admission_date) > today():
        return "probationary"
    return "official"
