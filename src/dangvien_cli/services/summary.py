"""The first screen a clerk opens (``reports summary``): who is on the roll in each cell, what falls due this
month, where the last screening stands, which books of the year are missing, how far the dossiers are scanned.

Nothing is recomputed here: what is due comes from the services that own each rule (``admissions due``,
``badges due``, the screening's stored runs, the dossier checklists); this module only gathers it for one scope
and one month.
"""

from __future__ import annotations

import calendar
from datetime import date

from dangvien_cli.errors import NotFound
from dangvien_cli.rules.badges import next_occasion
from dangvien_cli.rules.dates import check_year, today
from dangvien_cli.services import badges, dossier, screening
from dangvien_cli.services.admissions.deadlines import due as admissions_due
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import screening as screening_store
from dangvien_cli.store import summary as store
from dangvien_cli.store.connection import Connection
from dangvien_cli.vocab import EXEMPTION_REASON, SCREENING_RULE

STATUSES = ("active", "exempt", "suspended")
MEMBERSHIPS = ("probationary", "official")
BOOKS = ("attendance_missing", "dues_missing", "ratings_missing")


def _month_end(on: date) -> date:
    return on.replace(day=calendar.monthrange(on.year, on.month)[1])


def _roll(conn: Connection, year: int, cell_ids: list[int] | None) -> tuple[list[dict], dict, list[dict]]:
    """Members per cell by status and membership; the whole scope; the books missing per cell."""
    orgs = {c.id: c for c in cell_store.all_cells(conn)}
    cells: dict[str, dict] = {}
    for cell_id, status, membership, n, no_attendance, no_dues, no_rating in sorted(
            store.roll_and_books(conn, year, cell_ids), key=lambda r: orgs[r[0]].code):
        code, name = orgs[cell_id].code, orgs[cell_id].name
        row = cells.setdefault(code, {"cell_code": code, "cell_name": name, "total": 0}
                               | dict.fromkeys(STATUSES + MEMBERSHIPS + BOOKS, 0))
        row["total"] += n
        row[status] += n
        row[membership] += n
        for key, value in zip(BOOKS, (no_attendance, no_dues, no_rating), strict=True):
            row[key] += value
    members = [{k: r[k] for k in ("cell_code", "cell_name", "total", *STATUSES, *MEMBERSHIPS)} for r in cells.values()]
    total = {k: sum(r[k] for r in members) for k in ("total", *STATUSES, *MEMBERSHIPS)}
    books = [{"cell_code": r["cell_code"], "cell_name": r["cell_name"], "members": r["total"]} | {k: r[k] for k in BOOKS}
             for r in cells.values() if any(r[k] for k in BOOKS)]
    return members, total, books


def _ending(conn: Connection, rows: list[tuple], codes: set[str] | None, on: date, detail_key: str) -> list[dict]:
    """Exemptions or temporary transfers ``(member_id, end_date, detail)`` of the members in scope, ending this
    month or already past their end and not closed."""
    info = screening_store.members_info(conn, [r[0] for r in rows])
    out = []
    for member_id, end_date, detail in rows:
        card, name, code, cell_name, sort_key = info[member_id]
        if codes is not None and code not in codes:
            continue
        if detail_key == "reason":
            extra = {"reason": detail, "reason_label": EXEMPTION_REASON.label(detail) if detail else None}
        else:
            extra = {"host": detail}
        out.append({"member_id": member_id, "card_number": card, "full_name": name, "cell_code": code,
                    "cell_name": cell_name, "end_date": end_date, "overdue": end_date < on.isoformat(), "_sort": sort_key}
                   | extra)
    out.sort(key=lambda r: (r["end_date"], r["cell_code"], r["_sort"]))
    for r in out:
        del r["_sort"]
    return out


def _screening(conn: Connection, codes: set[str] | None) -> dict | None:
    """The latest stored screening run and its items still without a decision (in scope)."""
    try:
        run = screening.show(conn)
    except NotFound:
        return None
    items = [f for f in run["findings"] + run["org_findings"] if codes is None or f["cell_code"] in codes]
    open_items = [{"item_no": f["item_no"], "member_id": f.get("member_id"), "full_name": f.get("full_name"),
                   "cell_code": f["cell_code"], "rule": f["rule"], "label": SCREENING_RULE.label(f["rule"]),
                   "detail": f["detail"]}
                  for f in items if f["resolution"] is None]
    return {"run_id": run["run_id"], "year": run["year"], "as_of": run["as_of"], "items": len(items),
            "open": len(open_items), "open_items": open_items}


def summary(conn: Connection, cell: str | None = None, *, on: date | None = None, year: int | None = None) -> dict:
    """Everything the first screen shows, for ``cell`` and everything under it (default: the whole database)."""
    on = on or today()
    year = check_year(year) if year is not None else on.year
    target = cell_store.find(conn, cell) if cell else None
    cell_ids = cell_store.subtree_ids(conn, target.id) if target else None
    scope = None if cell_ids is None else set(cell_ids)
    codes = None if scope is None else {c.code for c in cell_store.all_cells(conn) if c.id in scope}
    end = _month_end(on)
    members, total, books = _roll(conn, year, cell_ids)
    admissions = admissions_due(conn, as_of=on.isoformat(), within=(end - on).days, cell=cell)
    occasion = next_occasion(on, inclusive=True)
    badge_list = badges.due(conn, occasion.isoformat(), cell=cell)
    next_month = date(end.year + (end.month == 12), end.month % 12 + 1, 1).isoformat()
    exemptions = _ending(conn, screening_store.exemptions_ended(conn, next_month), codes, on, "reason")
    transfers = _ending(conn, screening_store.temporary_transfers_ended(conn, next_month), codes, on, "host")
    progress = dossier.progress(conn, cell)
    return {
        "as_of": on.isoformat(), "month": on.strftime("%Y-%m"), "year": year,
        "cell_code": target.code if target else None, "cell_name": target.name if target else None,
        "members": {"rows": members, "total": total},
        "due": {"admissions": admissions,
                "badges": {"occasion": occasion.isoformat(), "members": badge_list},
                "exemptions_ending": exemptions, "temporary_transfers_ending": transfers},
        "screening": _screening(conn, codes),
        "books": {"year": year, "rows": books},
        "dossier": {k: progress[k] for k in ("members", "priority_1_percent", "all_percent", "rows")},
    }


PER_CELL_COLUMNS = ("cell_code", "cell_name", "total", *STATUSES, *MEMBERSHIPS, *BOOKS, "dossier_priority_1_percent",
                    "dossier_all_percent")


def per_cell(data: dict) -> list[dict]:
    """The summary's per-cell figures on one line a cell (the CSV view): members by status and membership, the
    books of the year it lacks, its dossier percentages."""
    books = {r["cell_code"]: r for r in data["books"]["rows"]}
    dossiers = {r["cell_code"]: r for r in data["dossier"]["rows"]}
    out = []
    for row in data["members"]["rows"]:
        b, d = books.get(row["cell_code"], {}), dossiers.get(row["cell_code"], {})
        out.append(row | {k: b.get(k, 0) for k in BOOKS}
                   | {"dossier_priority_1_percent": d.get("priority_1_percent"), "dossier_all_percent": d.get("all_percent")})
    return out
