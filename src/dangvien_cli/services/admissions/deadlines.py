"""The due list (`admissions due`): pending steps with their last day, due soon or overdue (domain.md §1.1
certificate, §1.3 deadlines)."""

from __future__ import annotations

from datetime import date as Date
from datetime import timedelta

from dangvien_cli.rules import admission as rules
from dangvien_cli.rules.dates import today
from dangvien_cli.rules.membership import ON_ROLL
from dangvien_cli.rules.workdays import default_calendar
from dangvien_cli.services.admissions.base import day
from dangvien_cli.services.settings import effective
from dangvien_cli.store import admissions as store
from dangvien_cli.store import cells as store_cells
from dangvien_cli.store.connection import Connection
from dangvien_cli.vocab import ADMISSION_DEADLINE


def due(conn: Connection, *, as_of: str | None = None, within: int = 30, cell: str | None = None) -> list[dict]:
    """Pending steps with their last day (§1.1 certificate, §1.3 deadlines), due soon or overdue.

    ``what``: certificate_expiry, decision, ceremony, probation_end (the twelve months end soon), recognition
    (due 30 working days after the twelve months end; listed from the day they end, whatever the horizon,
    since the cell has to act now). Probationary members without a candidate file
    are included (candidate_id null). A withdrawn file has nothing due.
    """
    on = day(as_of) if as_of else today()
    horizon = on + timedelta(days=within)
    settings = effective(conn)
    calendar = default_calendar()
    allowed = set(store_cells.subtree_ids(conn, store_cells.find(conn, cell).id)) if cell else None
    codes = store.cell_codes(conn)
    items: list[dict] = []

    def add(candidate_id, member_id, name, cell_id, what, when: Date, **extra) -> None:
        if when > horizon and what != "recognition":  # probation over: the recognition is pending now
            return
        items.append(
            {
                "candidate_id": candidate_id,
                "member_id": member_id,
                "full_name": name,
                "cell_code": codes.get(cell_id),
                "what": what,
                "due_date": when.isoformat(),
                "overdue": on > when,
                "days_overdue": (on - when).days if on > when else 0,
                "label": ADMISSION_DEADLINE.label(what),
            }
            | extra
        )

    following = [c for c in store.listing(conn, status="following") if allowed is None or c.cell_id in allowed]
    all_steps = store.steps_of_many(conn, [c.id for c in following])
    for candidate in following:
        steps = all_steps.get(candidate.id, {})
        args = (candidate.id, None, candidate.full_name, candidate.cell_id)
        if "decision" in steps:
            add(*args, "ceremony", rules.ceremony_due(
                steps["decision"].date, calendar, int(settings["admission.ceremony_deadline_workdays"])))
        elif "cell_resolution" in steps:
            add(*args, "decision", rules.decision_due(
                steps["cell_resolution"].date, calendar, int(settings["admission.decision_deadline_workdays"])))
        elif "course" in steps:
            add(*args, "certificate_expiry", rules.certificate_expiry(
                steps["course"].date, int(settings["admission.certificate_valid_years"])))
    months = int(settings["admission.probation_months"])
    workdays = int(settings["admission.recognition_deadline_workdays"])
    by_member = store.member_links(conn)
    for member in store.probationary_on_roll(conn, ON_ROLL):
        if allowed is not None and member.cell_id not in allowed:
            continue
        end = rules.probation_end(member.admission_date, months)
        args = (by_member.get(member.id), member.id, member.full_name, member.cell_id)
        if on < end:
            add(*args, "probation_end", end)
        else:
            add(*args, "recognition", rules.recognition_due(end, calendar, workdays),
                probation_end=end.isoformat())
    items.sort(key=lambda r: (r["due_date"], r["full_name"]))
    return items
