"""Where a member stood on the list on any day, reconstructed from the dated facts of the record (issue 13).

The statistics forms (Biểu 1-BTCTW, 3-BTCTW, …) are reported "as of" a day and for periods, for any
organization and everything under it. A member's history is a sequence of dated changes, each taken from
the record: admitted (ngày vào Đảng), readmitted, arrived from outside the database (chuyển đến), membership
restored (phục hồi đảng tịch), moved to another cell, transferred out of the database, left the list (died,
expelled, removed, resigned). A member whose first change is an arrival was admitted elsewhere: off this
database's list until the day they arrived. A change with no date of its own (a roster import that
moved someone) counts on the day it was recorded.

Rules (they are what keeps every report balanced and stable — A + B − C = D, always):
- Days are whole: "on the list on D" means at the end of D.
- A partial date (``2010``, ``2010-05``) places the member only on days outside its range; on a day inside
  the range the member cannot be placed, and the reports count such members apart (``unplaced``), never
  guessing. A member with no admission date cannot be placed at all.
- The organization tree is the tree of the report's last day, and a move caused by merging or dissolving an
  organization is no move at all: the member counts in the organization that took its members over, before
  and after (the 2025 reform moved whole cells: those are never transfers in or out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dangvien_cli.rules.dates import earliest, latest

LEAVING = ("deceased", "expelled", "removed", "resigned", "transferred_out")
ON_LIST = ("admitted", "readmitted", "arrived", "restored", "moved")


class Unplaced(Exception):
    """The record cannot say where the member stood on that day."""


@dataclass(frozen=True)
class Change:
    """One change of a member's place: ``kind`` one of ON_LIST or LEAVING."""

    day: str  # ISO, full or partial
    kind: str
    cell: int | None = None  # the cell after the change (admitted, readmitted, arrived, restored, moved)
    from_cell: int | None = None  # the cell before a move
    scope: str | None = None  # arrived / transferred_out: 'other_province' | 'same_province' | None (not recorded)


@dataclass
class Timeline:
    member_id: int
    changes: list[Change] = field(default_factory=list)

    def _known(self, day: date) -> list[Change]:
        """The changes on or before ``day``; Unplaced if one of them may or may not be."""
        out = []
        for change in self.changes:
            if latest(change.day) <= day:
                out.append(change)
            elif earliest(change.day) <= day:
                raise Unplaced(self.member_id)
        return out

    def cell_on(self, day: date) -> int | None:
        """The cell the member is on the list of at the end of ``day``, or None when off the list."""
        cell = None
        for change in self._known(day):
            if change.kind in ON_LIST:
                cell = change.cell
            else:
                cell = None
        return cell

    def last_cell_on(self, day: date) -> int | None:
        """The cell of the member's last place on a list on or before ``day`` (on it or not at the end of it)."""
        return next((c.cell for c in reversed(self._known(day)) if c.kind in ON_LIST), None)

    def between(self, start: date, end: date) -> list[Change]:
        """The changes after ``start`` up to and including ``end`` (Unplaced if one may or may not be)."""
        out = []
        for change in self.changes:
            first, last = earliest(change.day), latest(change.day)
            if first > start and last <= end:
                out.append(change)
            elif last > start and first <= end:
                raise Unplaced(self.member_id)
        return out


def build(member_id: int, admission_date: str | None, current_cell: int, status: str, status_date: str | None,
          events: list[tuple]) -> Timeline:
    """A member's timeline from the record.

    ``events`` are the member's history rows in the order recorded, as (kind, day, from_cell, to_cell[, scope]):
    ``moved`` (from → to; restructuring moves are left out by the caller), ``readmitted``, ``arrived``,
    ``restored`` (to), and one of LEAVING. The admission is the first change, unless the member's first change
    is an arrival (admitted elsewhere); the cell it happened in is the cell before the first move.
    A member who left with no leaving event recorded (an import of someone already gone) leaves on the
    status date.
    """
    events = [(*e, None)[:5] for e in events]
    if not admission_date or any(e[1] is None for e in events):
        raise Unplaced(member_id)
    # In the order they happened (a change may be recorded after a later one); the record's order breaks ties.
    events = sorted(events, key=lambda e: earliest(e[1]))
    first_move = next((e for e in events if e[0] == "moved"), None)
    first_cell = first_move[2] if first_move and first_move[2] is not None else current_cell
    changes: list[Change] = []
    cell = first_cell
    left = False
    for kind, day, from_cell, to_cell, scope in events:
        if kind == "moved":
            cell = to_cell if to_cell is not None else cell
            changes.append(Change(day, "moved", cell, from_cell))
        elif kind in ("readmitted", "arrived", "restored"):
            cell = to_cell if to_cell is not None else cell
            changes.append(Change(day, kind, cell, scope=scope))
            left = False
        elif kind in LEAVING:
            changes.append(Change(day, kind, scope=scope))
            left = True
    if status in LEAVING and not left:
        if not status_date:
            raise Unplaced(member_id)
        changes.append(Change(status_date, status))
        changes.sort(key=lambda c: earliest(c.day))
    # The admission comes first. A record saying something happened before it contradicts itself: the member
    # cannot be placed (and with this, the changes known on any day are always the first ones of the list).
    start = earliest(admission_date)
    if any(latest(c.day) < start for c in changes):
        raise Unplaced(member_id)
    if changes and changes[0].kind == "arrived":  # admitted elsewhere, on this list from the arrival
        return Timeline(member_id, changes)
    return Timeline(member_id, [Change(admission_date, "admitted", first_cell), *changes])
