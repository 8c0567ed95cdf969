"""Statistics: the yearly admission rate against the target, and the profile of new members.

domain.md §7 (the 3–4 % target of the Bắc Giang plan, settings ``admission.target_min_percent``/``max``) and
§5 (Biểu số 2-BTCTW, newly admitted members: by age, sex, ethnicity, religion, occupation).

Counting (documented in the command's help):

- members at the start of year Y: admission date (ngày vào Đảng) surely before 1/1/Y, and not left before
  1/1/Y (on the roll now, or left on or after 1/1/Y by their ``status_date``). A member with no recorded
  admission date is counted as a member at the start of the year (old records);
- admitted in Y: admission date (the ceremony) in Y, whatever happened to them later;
- each member is counted in the cell they belong to now; a committee's row adds up everything under it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date as Date

from dangvien_cli.rules.dates import earliest, latest, months_between
from dangvien_cli.rules.membership import ON_ROLL
from dangvien_cli.services.settings import effective
from dangvien_cli.services.values import check_year
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import reports as store
from dangvien_cli.store.connection import Connection
from dangvien_cli.vocab import GENDER

TOTAL_LABEL = "Toàn đảng bộ (cả cơ sở dữ liệu)"
# Age groups of the new-members form (Biểu 2-BTCTW); the exact bands of HD 11-HD/BTCTW were not found
# (domain.md §5), these are the bands committees' reports commonly use.
AGE_GROUPS = (("18_30", "Từ 18 đến 30 tuổi", 18, 30), ("31_40", "Từ 31 đến 40 tuổi", 31, 40),
              ("41_50", "Từ 41 đến 50 tuổi", 41, 50), ("51_60", "Từ 51 đến 60 tuổi", 51, 60),
              ("over_60", "Trên 60 tuổi", 61, 200))
MAJORITY_ETHNICITY = "kinh"
NO_RELIGION = {"", "không", "khong", "không có", "none"}


def _check_year(year: int) -> None:
    check_year(year, "Ghi năm dạng 2025.")


def at_start(member: dict, year: int) -> bool:
    start = Date(year, 1, 1)
    admission = member["admission_date"]
    if admission and latest(admission) >= start:
        return False
    if member["status"] in ON_ROLL:
        return True
    left = member["status_date"]
    return bool(left) and earliest(left) >= start


def admitted_in(member: dict, year: int) -> bool:
    admission = member["admission_date"]
    return bool(admission) and earliest(admission).year == year and latest(admission).year == year


def _target_status(rate: float | None, low: float, high: float) -> str | None:
    if rate is None:
        return None
    return "below" if rate < low else ("above" if rate > high else "within")


def admissions_rate(conn: Connection, year: int) -> dict:
    """contract.md "Admissions report": one row per committee or cell (tree order), then the whole database."""
    _check_year(year)
    settings = effective(conn)
    low, high = float(settings["admission.target_min_percent"]), float(settings["admission.target_max_percent"])
    cells = store.cells(conn)
    start_iso = f"{year:04d}-01-01"
    by_id = {c["id"]: c for c in cells}
    children: dict[int | None, list[dict]] = {}
    for c in cells:
        parent = c["parent_id"] if c["parent_id"] in by_id else None
        children.setdefault(parent, []).append(c)
    for kids in children.values():
        kids.sort(key=lambda c: c["code"])
    own_start: Counter = Counter()
    own_admitted: Counter = Counter()
    for m in store.members(conn):
        if at_start(m, year):
            own_start[m["cell_id"]] += 1
        if admitted_in(m, year):
            own_admitted[m["cell_id"]] += 1
    rows: list[dict] = []

    def rate(start: int, admitted: int) -> float | None:
        return round(admitted * 100 / start, 2) if start else None

    def walk(cell: dict, depth: int) -> tuple[int, int]:
        index = len(rows)
        rows.append({})
        start, admitted = own_start[cell["id"]], own_admitted[cell["id"]]
        for child in children.get(cell["id"], []):
            s, a = walk(child, depth + 1)
            start, admitted = start + s, admitted + a
        dissolved = bool(cell["valid_to"]) and latest(cell["valid_to"]).isoformat() < start_iso
        r = rate(start, admitted)
        rows[index] = {"cell_code": cell["code"], "cell_name": cell["name"], "members_at_start": start,
                       "admitted": admitted, "rate_percent": r, "kind": cell["kind"], "level": depth,
                       "target_status": _target_status(r, low, high), "_hide": dissolved and not (start or admitted)}
        return start, admitted

    total_start = total_admitted = 0
    for root in children.get(None, []):
        s, a = walk(root, 0)
        total_start, total_admitted = total_start + s, total_admitted + a
    rows = [{k: v for k, v in r.items() if k != "_hide"} for r in rows if not r["_hide"]]
    r = rate(total_start, total_admitted)
    rows.append({"cell_code": None, "cell_name": TOTAL_LABEL, "members_at_start": total_start,
                 "admitted": total_admitted, "rate_percent": r, "kind": None, "level": None,
                 "target_status": _target_status(r, low, high)})
    return {"year": year, "target_min_percent": low, "target_max_percent": high, "rows": rows}


def _age_group(member: dict) -> str | None:
    if not member["birth_date"] or not member["admission_date"]:
        return None
    years = months_between(earliest(member["birth_date"]), latest(member["admission_date"])) // 12
    for code, _label, low, high in AGE_GROUPS:
        if low <= years <= high:
            return code
    return None


def _counts(values: list[str | None], unknown: str = "Chưa ghi") -> list[dict]:
    counter = Counter((v or "").strip() or unknown for v in values)
    return [{"value": k, "count": n} for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def new_members(conn: Connection, year: int, cell: str | None = None) -> dict:
    """The profile of the members admitted in ``year`` (Biểu số 2-BTCTW, domain.md §5)."""
    _check_year(year)
    allowed = None
    code = None
    if cell:
        c = cell_store.find(conn, cell)
        allowed, code = set(cell_store.subtree_ids(conn, c.id)), c.code
    people = [m for m in store.members(conn) if admitted_in(m, year) and (allowed is None or m["cell_id"] in allowed)]
    groups = Counter(_age_group(m) for m in people)
    ethnic_minority = sum(1 for m in people
                          if m["ethnicity"] and m["ethnicity"].strip().casefold() != MAJORITY_ETHNICITY)
    religious = sum(1 for m in people if m["religion"] and m["religion"].strip().casefold() not in NO_RELIGION)
    return {
        "year": year, "cell_code": code, "total": len(people),
        "female": sum(1 for m in people if m["gender"] == "female"),
        "ethnic_minority": ethnic_minority, "religious": religious,
        "age_groups": [{"group": g, "label": label, "count": groups.get(g, 0)} for g, label, _lo, _hi in AGE_GROUPS]
        + ([{"group": "unknown", "label": "Chưa rõ tuổi", "count": groups[None]}] if groups.get(None) else []),
        "gender": [{"value": v, "label": label, "count": sum(1 for m in people if m["gender"] == v)}
                   for v, label in GENDER.labels().items()],
        "ethnicity": _counts([m["ethnicity"] for m in people]),
        "religion": _counts([m["religion"] for m in people], unknown="Không"),
        "occupation": _counts([m["occupation"] for m in people]),
        "education": _counts([m["education_general"] for m in people]),
    }
