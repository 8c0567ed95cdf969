"""The statistics committees send upward (Hướng dẫn 11-HD/BTCTW; issue 13): Biểu 1-BTCTW (increase and
decrease in a period) and Biểu 3-BTCTW (the membership profile on a day), for any organization and everything
under it, reconstructed from the dated history (rules/timeline.py).

Biểu 1 is balanced by construction: every member who could be placed on both days is followed from the day
before the period to its last day, and each step on or off the organization's list is counted in exactly one
row, so A + B − C = D for every organization and period. Members the history cannot place are counted in
``unplaced`` and left out of every row. The organization tree is that of the period's last day; merging and
dissolving organizations moves no one in or out (the 2025 reform moved whole cells).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from dangvien_cli.rules import timeline as tl
from dangvien_cli.rules.dates import earliest, latest
from dangvien_cli.rules.party_age import party_age
from dangvien_cli.services.reports import NO_RELIGION
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import statistics as store
from dangvien_cli.store.connection import Connection
from dangvien_cli.vocab import GENDER

CHANGE_ROWS = (
    ("A", "Tổng số đảng viên cuối kỳ trước chuyển sang"),
    ("B", "Đảng viên tăng trong kỳ"),
    ("B1", "Kết nạp"),
    ("B2", "Chuyển đến"),
    ("B2a", "Tỉnh khác chuyển đến"),
    ("B2b", "Đảng bộ khác trong tỉnh chuyển đến"),
    ("B3", "Phục hồi đảng tịch"),
    ("C", "Đảng viên giảm trong kỳ"),
    ("C1", "Từ trần"),
    ("C2", "Khai trừ"),
    ("C3", "Xóa tên"),
    ("C3_probationary", "Trong đó: đảng viên dự bị"),
    ("C4", "Xin ra khỏi Đảng"),
    ("C5", "Chuyển đi"),
    ("C5a", "Chuyển đi tỉnh khác"),
    ("C5b", "Chuyển đi đảng bộ khác trong tỉnh"),
    ("D", "Đảng viên trong danh sách cuối kỳ báo cáo"),
)
_LEAVING_ROW = {"deceased": "C1", "expelled": "C2", "removed": "C3", "resigned": "C4"}


def _code(label: str | None) -> str | None:
    """The organization code in a history label "CODE — Name"."""
    if not label:
        return None
    return label.split(" — ", 1)[0].strip()


@dataclass
class World:
    """Members' timelines and the organization tree of one day."""

    timelines: dict[int, tl.Timeline]
    unplaced: set[int]
    members: dict[int, tuple]
    canonical: dict[int, int]  # dissolved or merged organization → the one that took its members
    children: dict[int | None, list[int]]
    every_member: bool = False  # all members followed in Python (else those without history are SQL's)
    provinces: dict[int, int] | None = None  # organization → the province committee above it (if any)
    parent: dict[int, int | None] | None = None  # organization → its parent in the tree of the day

    def canon(self, cell_id: int | None) -> int | None:
        seen = set()
        while cell_id in self.canonical and cell_id not in seen:
            seen.add(cell_id)
            cell_id = self.canonical[cell_id]
        return cell_id

    def subtree(self, root: int | None, *, merged: bool = True) -> set[int]:
        """``root`` and everything under it in the tree of the day; with ``merged``, also the organizations
        merged into one of them (whose members count as theirs: the tree of the period's last day)."""
        if root is None:
            return {c for kids in self.children.values() for c in kids}
        out, stack = set(), [root]
        while stack:
            cell = stack.pop()
            out.add(cell)
            stack.extend(self.children.get(cell, ()))
        # organizations merged into the subtree count as the subtree
        if merged:
            out |= {old for old in self.canonical if self.canon(old) in out}
        return out

    def cells_within(self, scope: set[int]) -> list[int] | None:
        """The organizations whose members count in ``scope`` (merged ones with the one that took them), or
        None when that is every organization (the SQL then needs no filter)."""
        every = {c for kids in self.children.values() for c in kids}
        within = sorted(c for c in every if self.canon(c) in scope)
        return None if len(within) == len(every) else within

    def other_province(self, first: int | None, second: int | None) -> bool:
        """A move inside the database between two provinces (a database holding more than one)."""
        a, b = (self.provinces or {}).get(self.canon(first)), (self.provinces or {}).get(self.canon(second))
        return a is not None and b is not None and a != b


def _provinces(parent: dict[int, int | None], kinds: dict[int, str]) -> dict[int, int]:
    out: dict[int, int] = {}
    for cell in parent:
        node, seen = cell, set()
        while node is not None and node not in seen and kinds.get(node) != "province_committee":
            seen.add(node)
            node = parent.get(node)
        if node is not None and kinds.get(node) == "province_committee":
            out[cell] = node
    return out


def build_world(conn: Connection, tree_day: date, every_member: bool = False, restructuring: bool = False) -> World:
    """``restructuring``: keep the moves of members made by merging or dissolving their organization in the
    timelines, so that a member is placed in the organization they really were in on a day (Biểu 5, 6: the
    organizations of the day); without it they count in the organization that took them over, before and after."""
    cells = store.cells(conn)
    by_code = {code: cid for cid, code, *_ in cells}
    parent = {cid: parent_id for cid, _code_, _n, parent_id, *_ in cells}
    canonical = {cid: replaced for cid, _c, _n, _p, replaced, *_ in cells if replaced}
    # The tree of ``tree_day``: undo organization moves that happened after it, newest first.
    for cell_id, old, _new, day, recorded in reversed(store.cell_moves(conn)):
        if earliest(day or recorded) > tree_day:
            parent[cell_id] = by_code.get(_code(old))
    children: dict[int | None, list[int]] = {}
    for cid, p in parent.items():
        children.setdefault(p, []).append(cid)
    events: dict[int, list[tuple]] = {}
    for member_id, event, field, old, new, day, recorded, source in store.place_events(conn):
        events.setdefault(member_id, []).append((event, field, old, new, day or recorded, source or ""))
    # Members with history rows are followed here; the others (most of a province) are counted in SQL by the
    # same rules (store.simple_changes / simple_profile), unless ``every_member`` asks for all in Python.
    members = {r[0]: r for r in (store.members(conn) if every_member else store.members_by_id(conn, sorted(events)))}
    timelines, unplaced = {}, set()
    for mid, row in members.items():
        _id, cell_id, status, status_date, admission = row[:5]
        # steps: (kind, day, from cell, to cell, scope) for rules/timeline.build
        steps, first_admission = [], admission
        for event, field, old, new, day, source in events.get(mid, ()):
            if event == "transferred":
                from_cell, to_cell = by_code.get(_code(old)), by_code.get(_code(new))
                if source.startswith("cells dissolve") and from_cell is not None and to_cell is not None:
                    canonical.setdefault(from_cell, to_cell)  # restructuring: not a move
                    if not restructuring:
                        continue
                steps.append(("moved", day, from_cell, to_cell, None))
            elif event == "readmitted" and field == "admission_date":
                if old and not any(s[0] == "readmitted" for s in steps):
                    first_admission = old  # the first admission: readmission writes the new ceremony's date
                steps.append(("readmitted", new or day, None, None, None))
            elif event == "readmitted" and field == "cell":
                if steps and steps[-1][0] == "readmitted":
                    steps[-1] = (*steps[-1][:3], by_code.get(_code(new)), None)
            elif event == "left" and new in _LEAVING_ROW:
                steps.append((new, day, None, None, None))
            elif event in ("transferred_out", "transferred_in") and field == "scope":
                kind = "arrived" if event == "transferred_in" else "transferred_out"
                if steps and steps[-1][0] == kind:
                    steps[-1] = (*steps[-1][:4], new)
            elif event == "transferred_out":
                steps.append(("transferred_out", day, None, None, None))
            elif event == "transferred_in":
                steps.append(("arrived", day, None, by_code.get(_code(new)), None))
            elif event == "restored":
                steps.append(("restored", day, None, None, None))
        # A readmission's or restoration's cell is the cell before the next move, else the current one.
        filled = []
        for i, step in enumerate(steps):
            if step[0] in ("readmitted", "restored", "arrived") and step[3] is None:
                nxt = next((s for s in steps[i + 1:] if s[0] == "moved"), None)
                step = (*step[:3], nxt[2] if nxt and nxt[2] is not None else cell_id, step[4])
            filled.append(step)
        try:
            timelines[mid] = tl.build(mid, first_admission, cell_id, status, status_date, filled)
        except tl.Unplaced:
            unplaced.add(mid)
    kinds = {cid: kind for cid, _c, _n, _p, _r, kind, *_ in cells}
    return World(timelines, unplaced, members, canonical, children, every_member, _provinces(parent, kinds), parent)


def organization(conn: Connection, cell: str | None) -> tuple[int | None, str | None, str | None]:
    if not cell:
        return None, None, None
    found = cell_store.find(conn, cell)
    return found.id, found.code, found.name


FIELDS = {f: i for i, f in enumerate(store.MEMBER_COLUMNS)}  # member row (store.MEMBER_COLUMNS) → position


def rolled_back(conn: Connection, on: date) -> dict[int, dict[str, str | None]]:
    """Per member, the profile fields corrected after the day ``on`` with the value they had that day."""
    rolled: dict[int, dict[str, str | None]] = {}
    for mid, field, old in store.corrections(conn, on.isoformat()):
        rolled.setdefault(mid, {})[field] = old  # newest first: the last one written is the oldest value
    return rolled


def record_on(world: World, rolled: dict[int, dict[str, str | None]], mid: int) -> list:
    """The member's row (store.MEMBER_COLUMNS) as it stood on the day ``rolled`` was made for."""
    row = list(world.members[mid])
    for field, old in rolled.get(mid, {}).items():
        row[FIELDS[field]] = old
    return row


def probationary_on(row: tuple, day: date) -> bool:
    official_date, membership = row[6], row[7]
    if official_date:
        return latest(official_date) > day
    return membership == "probationary"


def _simple_changes(conn: Connection, world: World, scope: set[int],
                    periods: list[tuple[date, date]]) -> list[tuple | None]:
    """The SQL-counted part of Biểu 1 for each period (None for each when every member is followed here)."""
    if world.every_member:
        return [None] * len(periods)
    return store.simple_changes(conn, [((start - timedelta(days=1)).isoformat(), end.isoformat())
                                       for start, end in periods], sorted(world.members), world.cells_within(scope))


def count_changes(conn: Connection, world: World, scope: set[int], start: date,
                   end: date, simple: tuple | None = None) -> tuple[Counter, int]:
    """Biểu 1's counts for the period; ``simple``: its SQL-counted part, when read already (_simple_changes)."""
    before = start - timedelta(days=1)
    counts: Counter = Counter()
    unplaced = len(world.unplaced)
    if not world.every_member:
        simple = simple or _simple_changes(conn, world, scope, [(start, end)])[0]
        a, b1, d, deceased, expelled, removed, resigned, out, removed_probationary, lost = simple
        unplaced += lost
        counts.update({"A": a, "B1": b1, "D": d, "C1": deceased, "C2": expelled, "C3": removed, "C4": resigned,
                       "C5_unclassified": out, "C3_probationary": removed_probationary})
    for mid, timeline in world.timelines.items():
        try:
            inside = world.canon(timeline.cell_on(before)) in scope
            changes = timeline.between(before, end)
            at_end = world.canon(timeline.cell_on(end)) in scope
        except tl.Unplaced:
            unplaced += 1
            continue
        counts["A"] += inside
        for change in changes:
            now_in = change.kind in tl.ON_LIST and world.canon(change.cell) in scope
            if now_in and not inside:
                counts[_increase_row(world, change)] += 1
            elif inside and not now_in:
                row = _decrease_row(world, change)
                counts[row] += 1
                if row == "C3" and probationary_on(world.members[mid], earliest(change.day)):
                    counts["C3_probationary"] += 1
            inside = now_in
        counts["D"] += at_end
        assert inside == at_end, mid  # every step on or off the list was counted: the form balances
    counts["B2"] = counts["B2a"] + counts["B2b"] + counts["B2_unclassified"]
    counts["B"] = counts["B1"] + counts["B2"] + counts["B3"]
    counts["C5"] = counts["C5a"] + counts["C5b"] + counts["C5_unclassified"]
    counts["C"] = counts["C1"] + counts["C2"] + counts["C3"] + counts["C4"] + counts["C5"]
    return counts, unplaced


_SCOPE_ROW = {"other_province": "a", "same_province": "b", None: "_unclassified"}


def _increase_row(world: World, change: tl.Change) -> str:
    """The row of Biểu 1 a step onto the organization's list counts in (B1, B2a, B2b, B3)."""
    if change.kind in ("admitted", "readmitted"):
        return "B1"
    if change.kind == "restored":
        return "B3"
    if change.kind == "arrived":  # from outside the database: as the transfer record says, or unclassified
        return "B2" + _SCOPE_ROW[change.scope]
    return "B2a" if world.other_province(change.from_cell, change.cell) else "B2b"


def _decrease_row(world: World, change: tl.Change) -> str:
    """The row of Biểu 1 a step off the organization's list counts in (C1…C4, C5a, C5b)."""
    if change.kind == "moved":
        return "C5a" if world.other_province(change.from_cell, change.cell) else "C5b"
    if change.kind == "transferred_out":
        return "C5" + _SCOPE_ROW[change.scope]
    return _LEAVING_ROW[change.kind]


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def changes(conn: Connection, start: date, end: date, cell: str | None = None, *, every_member: bool = False) -> dict:
    """Biểu 1-BTCTW for ``cell`` (or the whole database) over ``start``–``end`` and the same period a year before."""
    root, code, name = organization(conn, cell)
    world = build_world(conn, end, every_member)
    scope = world.subtree(root)
    last_year = (_year_before(start), _year_before(end))
    simple_now, simple_then = _simple_changes(conn, world, scope, [(start, end), last_year])  # one scan
    now, unplaced = count_changes(conn, world, scope, start, end, simple_now)
    then, unplaced_then = count_changes(conn, world, scope, *last_year, simple_then)
    rows = []
    for key, label in CHANGE_ROWS:
        this, last = now[key], then[key]
        rows.append({"code": key, "label": label, "this_period": this, "same_period_last_year": last,
                     "percent": round(100.0 * this / last, 1) if last else None})
    return {"form": "1-BTCTW", "from": start.isoformat(), "to": end.isoformat(), "cell_code": code, "cell_name": name,
            "rows": rows, "unplaced": unplaced, "unplaced_last_year": unplaced_then,
            "unclassified": {"B2": now["B2_unclassified"], "C5": now["C5_unclassified"]},
            "unclassified_last_year": {"B2": then["B2_unclassified"], "C5": then["C5_unclassified"]}}


# --- Biểu 3: the profile on a day ---------------------------------------------------------------------------
AGE_BANDS = ((30, "Đến 30 tuổi"), (40, "Từ 31 đến 40 tuổi"), (50, "Từ 41 đến 50 tuổi"), (60, "Từ 51 đến 60 tuổi"),
             (70, "Từ 61 đến 70 tuổi"), (None, "Trên 70 tuổi"))
PARTY_AGE_BANDS = ((10, "Dưới 10 năm"), (20, "Từ 10 đến dưới 20 năm"), (30, "Từ 20 đến dưới 30 năm"),
                   (40, "Từ 30 đến dưới 40 năm"), (50, "Từ 40 đến dưới 50 năm"), (None, "Từ 50 năm trở lên"))
UNKNOWN = "Không rõ"


def _band(value: int | None, bands: tuple, *, below: bool) -> str:
    if value is None:
        return UNKNOWN
    for limit, label in bands:
        if limit is None or (value < limit if below else value <= limit):
            return label
    return bands[-1][1]


def _age_on(birth: str | None, day: date) -> int | None:
    if not birth:
        return None
    b = earliest(birth)
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def profile(conn: Connection, on: date, cell: str | None = None, *, every_member: bool = False) -> dict:
    """Biểu 3-BTCTW: the members on the list of ``cell`` (or the whole database) at the end of ``on``, by group."""
    root, code, name = organization(conn, cell)
    fields = FIELDS
    rolled = rolled_back(conn, on)
    gaps: dict[int, list] = {}
    for mid, start, stop in store.gaps(conn):
        gaps.setdefault(mid, []).append((start, stop))
    world = build_world(conn, on, every_member)
    if not every_member:  # members with corrections or gaps are followed in Python too
        extra = sorted((set(rolled) | set(gaps)) - set(world.members))
        for row in store.members_by_id(conn, extra):
            world.members[row[0]] = row
            try:
                world.timelines[row[0]] = tl.build(row[0], row[4], row[1], row[2], row[3], [])
            except tl.Unplaced:
                world.unplaced.add(row[0])
    scope = world.subtree(root)
    groups: dict[str, Counter] = {g: Counter() for g in (
        "gender", "age_band", "ethnicity", "religion", "education_general", "education_professional",
        "political_theory", "occupation", "party_age_band", "membership")}
    unplaced = len(world.unplaced)
    total = 0
    for mid, timeline in world.timelines.items():
        try:
            if world.canon(timeline.cell_on(on)) not in scope:
                continue
        except tl.Unplaced:
            unplaced += 1
            continue
        row = record_on(world, rolled, mid)
        total += 1
        value = row.__getitem__
        groups["gender"][GENDER.label(value(fields["gender"])) or UNKNOWN] += 1
        groups["age_band"][_band(_age_on(value(fields["birth_date"]), on), AGE_BANDS, below=False)] += 1
        groups["ethnicity"][value(fields["ethnicity"]) or UNKNOWN] += 1
        religion = value(fields["religion"])
        groups["religion"]["Không" if religion is None or religion.strip().lower() in NO_RELIGION else religion] += 1
        for key in ("education_general", "education_professional", "occupation"):
            groups[key][value(fields[key]) or UNKNOWN] += 1
        groups["political_theory"][value(fields["political_theory"]) or "Chưa qua đào tạo"] += 1
        years = None
        if value(fields["decision_date"]) or value(fields["admission_date"]):
            years = party_age(value(fields["decision_date"]), value(fields["admission_date"]), gaps.get(mid, ()),
                              on).years
        groups["party_age_band"][_band(years, PARTY_AGE_BANDS, below=True)] += 1
        probationary = probationary_on(tuple(row), on)
        groups["membership"]["Dự bị" if probationary else "Chính thức"] += 1

    if not every_member:
        for (gender, age, ethnicity, religion, edu_general, edu_professional, theory, occupation, party_band,
             probationary, lost, count) in store.simple_profile(
                conn, on.isoformat(), sorted(world.members), world.cells_within(scope),
                tuple(limit for limit, _ in AGE_BANDS[:-1]), tuple(limit for limit, _ in PARTY_AGE_BANDS[:-1])):
            if lost:
                unplaced += count
                continue
            total += count
            groups["gender"][GENDER.label(gender) or UNKNOWN] += count
            groups["age_band"][UNKNOWN if age is None else AGE_BANDS[age][1]] += count
            groups["ethnicity"][ethnicity or UNKNOWN] += count
            groups["religion"]["Không" if religion is None or religion.strip().lower() in NO_RELIGION
                               else religion] += count
            groups["education_general"][edu_general or UNKNOWN] += count
            groups["education_professional"][edu_professional or UNKNOWN] += count
            groups["occupation"][occupation or UNKNOWN] += count
            groups["political_theory"][theory or "Chưa qua đào tạo"] += count
            groups["party_age_band"][UNKNOWN if party_band is None else PARTY_AGE_BANDS[party_band][1]] += count
            groups["membership"]["Dự bị" if probationary else "Chính thức"] += count

    def rows(counter: Counter, order: tuple | None = None) -> list[dict]:
        keys = [label for _, label in order if label in counter] + ([UNKNOWN] if UNKNOWN in counter else []) \
            if order else sorted(counter, key=lambda k: (-counter[k], k))
        return [{"key": k, "label": k, "count": counter[k],
                 "percent": round(100.0 * counter[k] / total, 1) if total else 0.0} for k in keys]

    return {"form": "3-BTCTW", "as_of": on.isoformat(), "cell_code": code, "cell_name": name, "total": total,
            "unplaced": unplaced,
            "groups": {g: rows(c, AGE_BANDS if g == "age_band" else PARTY_AGE_BANDS if g == "party_age_band" else None)
                       for g, c in groups.items()}}
