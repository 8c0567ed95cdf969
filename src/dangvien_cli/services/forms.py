"""Biểu 2B, 5, 6 and 7-BTCTW (Hướng dẫn 11-HD/BTCTW; domain.md §5; issue 13), for any organization and
everything under it, reconstructed from the dated history exactly as Biểu 1 and 3 are (services/statistics.py,
rules/timeline.py): each member is placed on the day asked by their timeline, their record is read as it stood
that day (corrections written later are rolled back), and members the history cannot place are counted in
``unplaced``, never guessed.

- 2B: the members admitted in a period (ceremony day; readmissions included) by ethnicity and by religion;
- 5: on a day, the party organizations by type of grassroots unit (the unit type recorded on the organization,
  else on the nearest one above it) and the members on their lists. An organization existed on the day when its
  founding and dissolution days say so; with no founding day, when it was entered by then, had members on its
  list that day; else it is counted apart. Members count in the organization they were in that day (an
  organization merged later still holds its members on a day before the merge);
- 6: the rating results of a year, members and organizations by level (members as on the list on 31/12,
  ratings as recorded on the day asked: later rating changes are rolled back);
- 7: the membership procedures of a period: admissions, recognitions, candidates' files closed, transfers
  issued and received, removals and the other ways of leaving, restorations, badges.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from dangvien_cli.rules import timeline as tl
from dangvien_cli.rules.dates import earliest, latest
from dangvien_cli.services import statistics as st
from dangvien_cli.services.reports import MAJORITY_ETHNICITY, NO_RELIGION
from dangvien_cli.store import statistics as store
from dangvien_cli.store.connection import Connection
from dangvien_cli.vocab import NOT_RATED_REASON, RATING_LEVEL, UNIT_TYPE

F = st.FIELDS
NO_RELIGION_LABEL = "Không"


def _percent(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _minority(ethnicity: str | None) -> bool:
    return bool(ethnicity) and ethnicity.strip().casefold() != MAJORITY_ETHNICITY


def _religion(religion: str | None) -> str:
    return NO_RELIGION_LABEL if religion is None or religion.strip().lower() in NO_RELIGION else religion.strip()


def _setting(conn: Connection, cell: str | None, day: date, *,
             real: bool = False) -> tuple[st.World, set[int], str | None, str | None]:
    """The world of ``day`` and the organizations of ``cell``'s subtree. ``real``: members placed in the
    organization they were in that day, merged organizations included (Biểu 5, 6); else, as Biểu 1, in the
    organization that took theirs over."""
    root, code, name = st.organization(conn, cell)
    world = st.build_world(conn, day, every_member=True, restructuring=real)
    return world, world.subtree(root, merged=not real), code, name


def _on_list(world: st.World, scope: set[int], day: date) -> tuple[list[tuple[int, int]], int]:
    """(member, cell) of the members on the list of an organization of ``scope`` at the end of ``day``, and
    how many members the history cannot place that day."""
    placed, unplaced = [], len(world.unplaced)
    for mid, timeline in world.timelines.items():
        try:
            here = timeline.cell_on(day)
        except tl.Unplaced:
            unplaced += 1
            continue
        if here is not None and here in scope:
            placed.append((mid, here))
    return placed, unplaced


# --- Biểu 2B: new members by ethnicity and religion ---------------------------------------------------------
def ethnicity_religion(conn: Connection, start: date, end: date, cell: str | None = None) -> dict:
    """Biểu 2B-BTCTW: members admitted (or readmitted) from ``start`` to ``end`` into ``cell``'s subtree."""
    world, scope, code, name = _setting(conn, cell, end)
    rolled = st.rolled_back(conn, end)
    before = start - timedelta(days=1)
    unplaced = len(world.unplaced)
    by_ethnicity: dict[str, Counter] = {}
    by_religion: dict[str, Counter] = {}
    totals: Counter = Counter()
    for mid, timeline in world.timelines.items():
        try:
            changes = timeline.between(before, end)
        except tl.Unplaced:
            unplaced += 1
            continue
        admitted = sum(1 for c in changes if c.kind in ("admitted", "readmitted") and world.canon(c.cell) in scope)
        if not admitted:
            continue
        row = st.record_on(world, rolled, mid)
        ethnicity, religion = (row[F["ethnicity"]] or "").strip() or st.UNKNOWN, _religion(row[F["religion"]])
        female, minority, religious = row[F["gender"]] == "female", _minority(row[F["ethnicity"]]), \
            religion != NO_RELIGION_LABEL
        for counter in (totals, by_ethnicity.setdefault(ethnicity, Counter()),
                        by_religion.setdefault(religion, Counter())):
            counter.update({"count": admitted, "female": admitted * female, "ethnic_minority": admitted * minority,
                            "religious": admitted * religious})
    total = totals["count"]

    def rows(groups: dict[str, Counter], first: str | None) -> list[dict]:
        order = sorted(groups, key=lambda k: (k == st.UNKNOWN, k != first, -groups[k]["count"], k))
        return [{"key": k, "label": k, "count": groups[k]["count"], "female": groups[k]["female"],
                 "ethnic_minority": groups[k]["ethnic_minority"], "religious": groups[k]["religious"],
                 "percent": _percent(groups[k]["count"], total)} for k in order]

    return {"form": "2B-BTCTW", "from": start.isoformat(), "to": end.isoformat(), "cell_code": code,
            "cell_name": name, "total": total, "female": totals["female"],
            "ethnic_minority": totals["ethnic_minority"], "religious": totals["religious"], "unplaced": unplaced,
            "groups": {"ethnicity": rows(by_ethnicity, "Kinh"), "religion": rows(by_religion, NO_RELIGION_LABEL)}}


# --- Biểu 5: organizations and members by type of grassroots unit ------------------------------------------
ORG_COLUMNS = (("grassroots_committee", "Đảng bộ cơ sở"), ("grassroots_cell", "Chi bộ cơ sở"),
               ("partial_committee", "Đảng bộ bộ phận"), ("cell", "Chi bộ trực thuộc"))
NO_UNIT_TYPE = "Chưa ghi loại đơn vị"


def _unit_type(world: st.World, kinds: dict[int, tuple], cell: int | None) -> str | None:
    """The unit type recorded on the organization, else on the nearest organization above it."""
    seen = set()
    while cell is not None and cell not in seen:
        seen.add(cell)
        unit = kinds[cell][1]
        if unit:
            return unit
        cell = (world.parent or {}).get(cell)
    return None


def _existence(valid_from: str | None, valid_to: str | None, recorded: str, day: date,
               has_members: bool) -> bool | None:
    """Whether an organization existed at the end of ``day``: True, False, or None when the record cannot say
    (no founding day, entered after ``day`` and no member on its list that day; or a partial date around it)."""
    if valid_to:
        if latest(valid_to) <= day:
            return False
        if earliest(valid_to) <= day:
            return None
    if valid_from:
        if latest(valid_from) <= day:
            return True
        return False if earliest(valid_from) > day else None
    if recorded <= day.isoformat() or has_members:
        return True
    return None


def units(conn: Connection, on: date, cell: str | None = None) -> dict:
    """Biểu 5-BTCTW: organizations of ``cell``'s subtree existing on ``on`` and the members on their lists,
    by type of grassroots unit."""
    world, scope, code, name = _setting(conn, cell, on, real=True)
    kinds = {cid: (kind, unit) for cid, _c, _n, _p, _r, kind, unit in store.cells(conn)}
    rows: dict[str | None, Counter] = {}
    members_in: Counter = Counter()
    placed, unplaced = _on_list(world, scope, on)
    for mid, here in placed:
        members_in[here] += 1
        counts = rows.setdefault(_unit_type(world, kinds, here), Counter())
        counts["members"] += 1
        counts["probationary"] += st.probationary_on(tuple(world.members[mid]), on)
    organizations_unplaced = 0
    for cid, valid_from, valid_to, recorded in store.cell_dates(conn):
        kind = kinds[cid][0]
        if cid not in scope or kind not in dict(ORG_COLUMNS):
            continue
        exists = _existence(valid_from, valid_to, recorded, on, members_in[cid] > 0)
        if exists is None:
            organizations_unplaced += 1
        elif exists:
            rows.setdefault(_unit_type(world, kinds, cid), Counter())[kind] += 1
    # Every type of unit is a row of the printed form; "no type recorded" only when there is such a one.
    order = [*UNIT_TYPE.codes, *([None] if None in rows else [])]
    lines = [{"key": key, "label": UNIT_TYPE.label(key) if key else NO_UNIT_TYPE,
              **{k: rows.get(key, Counter())[k] for k, _ in ORG_COLUMNS},
              "members": rows.get(key, Counter())["members"],
              "probationary": rows.get(key, Counter())["probationary"]} for key in order]
    total = {k: sum(line[k] for line in lines) for k in (*dict(ORG_COLUMNS), "members", "probationary")}
    return {"form": "5-BTCTW", "as_of": on.isoformat(), "cell_code": code, "cell_name": name, "rows": lines,
            "total": total, "unplaced": unplaced, "organizations_unplaced": organizations_unplaced}


# --- Biểu 6: rating results ---------------------------------------------------------------------------------
RESULT_KEYS = (*RATING_LEVEL.codes, "not_rated", "no_result")
RESULT_LABELS = {**RATING_LEVEL.labels(), "not_rated": "Không xếp loại", "no_result": "Chưa có kết quả"}
RATED_KINDS = ("grassroots_committee", "grassroots_cell", "partial_committee", "cell")


def _old_rating(value: str | None) -> tuple[str | None, str | None] | None:
    """A rating as the history wrote it before a change ("HTNV", "Không xếp loại (…)", None: none yet)."""
    if value is None:
        return None
    if value in RATING_LEVEL.codes:
        return value, None
    label = value.partition("(")[2].rstrip(")")
    reason = next((code for code, text in NOT_RATED_REASON.labels().items() if text == label), "other")
    return None, reason


def ratings(conn: Connection, year: int, cell: str | None = None, as_of: date | None = None) -> dict:
    """Biểu 6-BTCTW: the year's ratings of the members on the list of ``cell``'s subtree on 31/12 (each in
    the cell of that day) and of its organizations, as recorded at the end of ``as_of`` (default: now)."""
    end = date(year, 12, 31)
    world, scope, code, name = _setting(conn, cell, end, real=True)
    given = {mid: (level, reason) for mid, level, reason in store.member_ratings(conn, year)}
    if as_of is not None:
        for mid, old in store.rating_changes(conn, year, as_of.isoformat()):
            was = _old_rating(old)  # newest first: the last one applied is the value on the day
            if was is None:
                given.pop(mid, None)
            else:
                given[mid] = was
    labels = {cid: (c, n, kind) for cid, c, n, _p, _r, kind, _u in store.cells(conn)}
    per_cell: dict[int, Counter] = {}
    placed, unplaced = _on_list(world, scope, end)
    for mid, here in placed:
        level, reason = given.get(mid, (None, None))
        per_cell.setdefault(here, Counter())[level or ("not_rated" if reason else "no_result")] += 1
    members = Counter()
    for counts in per_cell.values():
        members.update(counts)
    total = sum(members.values())
    org_levels: Counter = Counter()
    four_good = 0
    rated_orgs = {cid: (level, good) for cid, level, good in store.cell_ratings(conn, year)}
    dates = {cid: (vf, vt, rec) for cid, vf, vt, rec in store.cell_dates(conn)}
    for cid in sorted(scope):
        if labels[cid][2] not in RATED_KINDS:
            continue
        if _existence(*dates[cid], end, cid in per_cell) is False:
            continue
        level, good = rated_orgs.get(cid, (None, 0))
        org_levels[level or "no_result"] += 1
        four_good += bool(good)
    organizations = sum(org_levels.values())
    cells = [{"cell_code": labels[cid][0], "cell_name": labels[cid][1],
              **{k: per_cell[cid][k] for k in RESULT_KEYS}, "total": sum(per_cell[cid].values())}
             for cid in sorted(per_cell, key=lambda c: labels[c][0])]
    return {"form": "6-BTCTW", "year": year, "as_of": as_of.isoformat() if as_of else None,
            "cell_code": code, "cell_name": name, "unplaced": unplaced,
            "members": {"total": total, "rows": [{"key": k, "label": RESULT_LABELS[k], "count": members[k],
                                                  "percent": _percent(members[k], total)} for k in RESULT_KEYS]},
            "organizations": {"total": organizations, "four_good": four_good,
                              "rows": [{"key": k, "label": RESULT_LABELS[k], "count": org_levels[k],
                                        "percent": _percent(org_levels[k], organizations)}
                                       for k in (*RATING_LEVEL.codes, "no_result")]},
            "cells": cells}


# --- Biểu 7: membership procedures in a period ---------------------------------------------------------------
PROCEDURE_ROWS = (
    ("admitted", "Kết nạp đảng viên"),
    ("readmitted", "Trong đó: kết nạp lại"),
    ("recognized", "Công nhận đảng viên chính thức"),
    ("removed_probationary", "Xóa tên đảng viên dự bị"),
    ("candidates_withdrawn", "Hồ sơ người vào Đảng thôi theo dõi"),
    ("transfers_issued", "Chuyển sinh hoạt chính thức đi"),
    ("transfers_issued_other_province", "Trong đó: đi tỉnh khác"),
    ("transfers_received", "Nhận sinh hoạt chính thức đến"),
    ("transfers_received_other_province", "Trong đó: từ tỉnh khác"),
    ("temporary_issued", "Giới thiệu sinh hoạt tạm thời đi"),
    ("temporary_received", "Nhận sinh hoạt tạm thời đến"),
    ("removed", "Xóa tên"),
    ("expelled", "Khai trừ"),
    ("resigned", "Xin ra khỏi Đảng"),
    ("deceased", "Từ trần"),
    ("restored", "Phục hồi đảng tịch"),
    ("badges", "Trao Huy hiệu Đảng"),
)


def _in_period(day: str | None, before: date, end: date) -> bool | None:
    """Whether a recorded day falls in the period (after ``before``, up to ``end``); None: it may or may not."""
    if not day:
        return False
    first, last = earliest(day), latest(day)
    if first > before and last <= end:
        return True
    return None if last > before and first <= end else False


def procedures(conn: Connection, start: date, end: date, cell: str | None = None) -> dict:
    """Biểu 7-BTCTW: the procedures of ``cell``'s subtree from ``start`` to ``end``."""
    world, scope, code, name = _setting(conn, cell, end)
    changes, unplaced = st.count_changes(conn, world, scope, start, end)
    before = start - timedelta(days=1)
    counts: Counter = Counter({
        "admitted": changes["B1"], "removed_probationary": changes["C3_probationary"],
        "transfers_issued": changes["C5"], "transfers_issued_other_province": changes["C5a"],
        "transfers_received": changes["B2"], "transfers_received_other_province": changes["B2a"],
        "removed": changes["C3"], "expelled": changes["C2"], "resigned": changes["C4"], "deceased": changes["C1"],
        "restored": changes["B3"]})

    def in_scope_on(mid: int, day: date) -> bool:
        return world.canon(world.timelines[mid].cell_on(day)) in scope

    for mid, timeline in world.timelines.items():
        try:
            counts["readmitted"] += sum(1 for c in timeline.between(before, end)
                                        if c.kind == "readmitted" and world.canon(c.cell) in scope)
            official = world.members[mid][F["official_date"]]  # a dated fact, like the admission: by its day
            when = _in_period(official, before, end)
            if when is None:
                unplaced += 1
            elif when and in_scope_on(mid, latest(official)):
                counts["recognized"] += 1
        except tl.Unplaced:
            continue  # counted in ``unplaced`` by the Biểu 1 count
    for _mid, from_cell, to_cell in store.temporary_transfers(conn, start.isoformat(), end.isoformat()):
        inside_from, inside_to = world.canon(from_cell) in scope, world.canon(to_cell) in scope
        counts["temporary_issued"] += inside_from and not inside_to
        counts["temporary_received"] += inside_to and not inside_from
    for cell_id, n in store.withdrawn_candidates(conn, start.isoformat(), end.isoformat()):
        if world.canon(cell_id) in scope:
            counts["candidates_withdrawn"] += n
    for mid, day in store.badges_awarded(conn, start.isoformat(), end.isoformat()):
        timeline = world.timelines.get(mid)
        try:  # a posthumous award counts where the member last was on the list
            place = timeline.last_cell_on(earliest(day)) if timeline else None
        except tl.Unplaced:
            unplaced += 1
            continue
        counts["badges"] += world.canon(place) in scope
    return {"form": "7-BTCTW", "from": start.isoformat(), "to": end.isoformat(), "cell_code": code,
            "cell_name": name, "unplaced": unplaced, "unclassified": {"B2": changes["B2_unclassified"],
                                                                     "C5": changes["C5_unclassified"]},
            "rows": [{"code": k, "label": label, "count": counts[k]} for k, label in PROCEDURE_ROWS]}
