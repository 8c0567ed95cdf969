"""Probationary or official, when a record does not say (domain.md §1.3): probation is the 12 months after
the admission ceremony (rules.admission.probation_end, the one computation of it), so a member whose probation
may not have ended yet, without an official date, is probationary."""

from __future__ import annotations

from datetime import date

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


def roster_membership(official_date: str | None, admission_date: str | None, *, states_official: bool,
                      as_of: date | None = None) -> str:
    """Probationary or official for a roster's row that does not say it in words.

    A roster with an official-date column states the fact: an admission date with no official date there is a
    probationary member, however long ago the admission (the recognition may be overdue: screening shows it).
    Without that column the roster does not say, and the rule of :func:`default_membership` applies on the
    roster's own date ``as_of`` (its "Tính đến ngày …"), else today.
    """
    if official_date:
        return "official"
    if admission_date and states_official:
        return "probationary"
    from .admission import probation_end

    if admission_date and probation_end(admission_date) > min(as_of or today(), today()):
        return "probationary"
    return "official"
