"""The annual screening run (domain.md §1.3, §1.6–§1.9, §2, §4): find, store, compare, resolve.

The rules and their sources are in ``rules/screening.py``. This module runs them as set-based SQL on the
session's own sqlite3 connection (400,000 members in a few seconds), refines the few flagged rows in Python
(exemptions covering months, 50 years of party age), stores the run with a fingerprint of its inputs, and
compares it with the previous run of the same year.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import date
from typing import TYPE_CHECKING

from dangvien_cli.errors import InvalidValue, NotFound, RuleViolation
from dangvien_cli.rules import screening as rules
from dangvien_cli.rules.admission import probation_end
from dangvien_cli.rules.dates import add_months, earliest, format_vi, today
from dangvien_cli.rules.membership import ON_ROLL as ON_ROLL_STATUSES
from dangvien_cli.rules.membership import ON_ROLL_SQL as ON_ROLL
from dangvien_cli.rules.party_age import milestone_date, party_start
from dangvien_cli.rules.workdays import default_calendar
from dangvien_cli.services.values import check_year, date_value
from dangvien_cli.store.database import now_iso
from dangvien_cli.vocab import SCREENING_DECISION, SCREENING_RULE

if TYPE_CHECKING:
    from sqlmodel import Session

# A letter not presented concerns the member who left with it too.
LETTER_HOLDERS = "(" + ", ".join(f"'{s}'" for s in (*ON_ROLL_STATUSES, "transferred_out")) + ")"
MEMBER_KINDS = ("cell", "grassroots_cell", "party_group")


def raw(session: Session | sqlite3.Connection) -> sqlite3.Connection:
    """The sqlite3 connection: given directly (``Database.raw_transaction``, no SQLAlchemy loaded), or the one
    under a session, inside the session's transaction."""
    if isinstance(session, sqlite3.Connection):
        return session
    return session.connection().connection.driver_connection


def _exemption_periods(conn, year: int, kinds: tuple[str, ...]) -> dict[int, list[tuple[str, str | None]]]:
    """Exemptions overlapping ``year``, per member: (start, end) where end is the earlier of the planned end
    and the day the member came back."""
    marks = ",".join("?" * len(kinds))
    rows = conn.execute(
        "SELECT member_id, start_date, CASE WHEN ended_date IS NOT NULL AND (end_date IS NULL OR ended_date < "
        "end_date) THEN ended_date ELSE end_date END AS stop FROM exemptions "
        f"WHERE kind IN ({marks}) AND start_date <= ? AND (coalesce(ended_date, end_date) IS NULL "
        "OR coalesce(ended_date, end_date) >= ?)", (*kinds, f"{year}-12-31", f"{year}-01-01")).fetchall()
    periods: dict[int, list[tuple[str, str | None]]] = {}
    for member_id, start, stop in rows:
        periods.setdefault(member_id, []).append((start, stop))
    return periods


def _gaps(conn, member_ids: list[int]) -> dict[int, list[tuple[str, str | None]]]:
    gaps: dict[int, list[tuple[str, str | None]]] = {}
    if not member_ids:
        return gaps
    for member_id, start, end in conn.execute(
            "SELECT member_id, start_date, end_date FROM member_gaps WHERE member_id IN "
            "(SELECT value FROM json_each(?))", (json.dumps(member_ids),)):
        gaps.setdefault(member_id, []).append((start, end))
    return gaps


def _on_roll(conn, rows: list) -> list:
    """Keep the candidate rows (member_id first) of members on the roll: a look-up per candidate instead of a
    join over every book row."""
    if not rows:
        return rows
    # CROSS JOIN keeps json_each outside: left to itself the planner walks ix_members_status over every member.
    keep = {mid for (mid,) in conn.execute(
        f"SELECT m.id FROM json_each(?) j CROSS JOIN members m ON m.id = j.value WHERE m.status IN {ON_ROLL}",
        (json.dumps([r[0] for r in rows]),))}
    return [r for r in rows if r[0] in keep]


def rated_cells(conn, year: int) -> set[int]:
    """Cells where at least one member has a rating for ``year``: one index probe per cell, stopping at the
    first rated member (ix_members_cell_id, then the (member_id, year) primary key)."""
    return {cid for (cid,) in conn.execute(
        "SELECT c.id FROM cells c WHERE EXISTS (SELECT 1 FROM members m JOIN member_ratings r "
        "ON r.member_id = m.id AND r.year = ? WHERE m.cell_id = c.id)", (year,))}


def _member_rules(conn, year: int, as_of: date, cfg: dict, rated: set[int]) -> list[tuple[int, str, str, dict]]:
    """Every member finding as (member_id, rule, detail, facts)."""
    found: list[tuple[int, str, str, dict]] = []
    y_first = f"{year}-01-01"
    as_of_iso = as_of.isoformat()

    # §1.9 ground 1: absence without reason; 'p' and exemptions covering the month are valid reasons.
    need = cfg["screening.absent_months"]
    rows = _on_roll(conn, conn.execute(
        f"SELECT a.member_id, a.marks FROM attendance_books a "
        f"WHERE a.year = ? AND {rules.marks_count_sql('a.marks', 'k')} >= ?", (year, need)).fetchall())
    if rows:
        excused = _exemption_periods(conn, year, ("exempt", "temporary_suspension"))
        for member_id, marks in rows:
            cover = rules.covered_months(excused.get(member_id, ()), year)
            months = rules.unexcused(marks, "k", cover)
            if len(months) >= need:
                found.append((member_id, "absent_3_months", rules.absent_detail(months, year),
                              {"months": months, "excused_months": sorted(cover)}))

    # §1.9 ground 1 and §4: dues; 'e' months, exemptions and 50 years of party age are valid reasons.
    need = cfg["screening.dues_unpaid_months"]
    rows = _on_roll(conn, conn.execute(
        f"SELECT d.member_id, d.marks FROM dues_books d "
        f"WHERE d.year = ? AND {rules.marks_count_sql('d.marks', 'u')} >= ?", (year, need)).fetchall())
    if rows:
        excused = _exemption_periods(conn, year, ("exempt",))
        gaps = _gaps(conn, [r[0] for r in rows])
        exempt_years = cfg["dues.exempt_party_age_years"]
        year_end = date(year, 12, 31)
        dates = {mid: (dec, adm) for mid, dec, adm in conn.execute(
            "SELECT id, decision_date, admission_date FROM members WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([r[0] for r in rows]),))}
        for member_id, marks in rows:
            decision, admission = dates[member_id]
            cover = rules.covered_months(excused.get(member_id, ()), year)
            reached = None
            if decision or admission:
                start = party_start(decision, admission)
                if member_id in gaps or add_months(start, 12 * exempt_years) <= year_end:
                    reached = milestone_date(start, gaps.get(member_id, ()), exempt_years)
            cover |= rules.months_from(reached, year)
            months = rules.unexcused(marks, "u", cover)
            if len(months) >= need:
                found.append((member_id, "dues_unpaid_3_months", rules.dues_detail(months, year),
                              {"months": months, "excused_months": sorted(cover)}))

    # §1.9 ground 4: KHTNV in the year and the year(s) before, through the (year, level) index then the PK.
    years_needed = cfg["screening.khtnv_years"]
    first_year = year - years_needed + 1
    for (member_id,) in conn.execute(
            f"SELECT r.member_id FROM member_ratings r JOIN members m ON m.id = r.member_id "
            f"WHERE r.year = ? AND r.level = 'KHTNV' AND m.status IN {ON_ROLL} "
            f"AND (SELECT count(*) FROM member_ratings p WHERE p.member_id = r.member_id "
            f"AND p.year >= ? AND p.year < ? AND p.level = 'KHTNV') = ?",
            (year, first_year, year, years_needed - 1)):
        years = list(range(first_year, year + 1))
        found.append((member_id, "rated_khtnv_2_years", rules.khtnv_detail(years), {"years": years}))

    # §1.3: probation ended more than 30 working days ago, no recognition.
    calendar = default_calendar()
    probation_months = cfg["admission.probation_months"]
    end_cutoff = rules.probation_cutoff(as_of, calendar, cfg["screening.recognition_overdue_workdays"])
    ceremony_cutoff = rules.ceremony_cutoff(end_cutoff, probation_months)
    workdays_cache: dict[date, int] = {}
    for member_id, ceremony in conn.execute(
            f"SELECT id, admission_date FROM members WHERE status IN {ON_ROLL} AND membership = 'probationary' "
            "AND official_date IS NULL AND admission_date IS NOT NULL AND admission_date <= ?",
            (ceremony_cutoff.isoformat(),)):
        end = probation_end(ceremony, probation_months)
        if end > end_cutoff:
            continue
        if end not in workdays_cache:
            workdays_cache[end] = calendar.working_days_between(end, as_of)
        found.append((member_id, "probation_overdue",
                      rules.probation_detail(ceremony, end, workdays_cache[end]),
                      {"ceremony_date": ceremony, "probation_end": end.isoformat(),
                       "working_days_since": workdays_cache[end]}))

    # §1.8: temporary transfers past their end.
    for member_id, end, host in conn.execute(
            f"SELECT t.member_id, t.end_date, coalesce(c.name, t.destination) FROM transfers t "
            f"JOIN members m ON m.id = t.member_id LEFT JOIN cells c ON c.id = t.to_cell_id "
            f"WHERE t.kind = 'temporary' AND t.status IN ('pending', 'arrived') AND t.end_date < ? "
            f"AND m.status IN {ON_ROLL}", (as_of_iso,)):
        where = f" tại {host}" if host else ""
        found.append((member_id, "temporary_transfer_expired",
                      f"Sinh hoạt đảng tạm thời{where} hết hạn ngày {format_vi(end)}", {"end_date": end}))

    # §1.8: letters not presented within 30 days (letters issued in the year screened, or later).
    days = cfg["transfer.letter_days"]
    for member_id, issued, letter, dest in conn.execute(
            "SELECT t.member_id, coalesce(t.issued_date, t.start_date), t.letter_number, "
            "coalesce(c.name, t.destination) FROM transfers t JOIN members m ON m.id = t.member_id "
            "LEFT JOIN cells c ON c.id = t.to_cell_id "
            "WHERE t.status = 'pending' AND t.arrived_date IS NULL "
            "AND coalesce(t.issued_date, t.start_date) >= ? "
            "AND date(coalesce(t.issued_date, t.start_date), '+' || ? || ' days') < ? "
            f"AND m.status IN {LETTER_HOLDERS}", (y_first, days, as_of_iso)):
        letter_text = f" số {letter}" if letter else ""
        dest_text = f" đến {dest}" if dest else ""
        found.append((member_id, "transfer_not_presented",
                      f"Giấy giới thiệu sinh hoạt đảng{letter_text}{dest_text} ký ngày {format_vi(issued)}, "
                      f"quá {days} ngày chưa có xác nhận đã nộp",
                      {"issued_date": issued, "letter_number": letter}))

    # §1.7: exemptions past their end.
    for member_id, end, reason in conn.execute(
            f"SELECT e.member_id, e.end_date, e.reason FROM exemptions e CROSS JOIN members m ON m.id = e.member_id "
            f"WHERE e.ended_date IS NULL AND e.end_date IS NOT NULL AND e.end_date < ? AND m.status IN {ON_ROLL}",
            (as_of_iso,)):
        found.append((member_id, "exemption_expired",
                      f"Miễn công tác và sinh hoạt đảng hết hạn ngày {format_vi(end)}, chưa trở lại sinh hoạt "
                      "hoặc gia hạn", {"end_date": end, "reason": reason}))

    # §2: members who should have been rated, in cells that recorded ratings for the year.
    if rules.rating_deadline_passed(year, as_of):
        admitted_by = rules.min_admission_for_rating(year, cfg["rating.min_months_since_admission"]).isoformat()
        for (member_id,) in conn.execute(
                "SELECT m.id FROM members m WHERE m.status = 'active' "
                "AND m.cell_id IN (SELECT value FROM json_each(?)) "
                "AND (m.admission_date IS NULL OR m.admission_date <= ?) "
                "AND NOT EXISTS (SELECT 1 FROM member_ratings r WHERE r.member_id = m.id AND r.year = ?)",
                (json.dumps(sorted(rated)), admitted_by, year)):
            found.append((member_id, "not_rated", f"Chưa có kết quả xếp loại chất lượng năm {year}",
                          {"year": year}))
    return found


def _org_rules(conn, year: int, as_of: date, cfg: dict, rated: set[int]) -> list[tuple[int, str, str, dict]]:
    """Organization findings (§1.6, §2) as (cell_id, rule, detail, facts)."""
    cells = {cid: (kind, parent) for cid, kind, parent in conn.execute("SELECT id, kind, parent_id FROM cells")}
    counts: dict[int, tuple[int, int]] = {}
    for cid, official, total in conn.execute(
            f"SELECT cell_id, sum(membership = 'official'), count(*) FROM members WHERE status IN {ON_ROLL} "
            "GROUP BY cell_id"):
        kind, parent = cells[cid]
        key = parent if kind == "party_group" and parent is not None else cid  # a party group counts in its cell
        before = counts.get(key, (0, 0))
        counts[key] = (before[0] + official, before[1] + total)
    found: list[tuple[int, str, str, dict]] = []
    small, committee = cfg["organization.min_official_members"], cfg["organization.committee_threshold"]
    large = cfg["organization.grassroots_committee_threshold"]
    for cid, kind, has_committee in conn.execute(
            f"SELECT id, kind, has_committee FROM cells WHERE kind IN {rules.MEMBER_CELL_KINDS_SQL} "
            "AND valid_to IS NULL ORDER BY code"):
        official, total = counts.get(cid, (0, 0))
        facts = {"official_members": official, "members": total}
        if official < small:
            found.append((cid, "cell_too_small", f"Chi bộ có {official} đảng viên chính thức (cần ít nhất {small})",
                          facts))
        if official >= committee and not has_committee:
            found.append((cid, "cell_needs_committee",
                          f"Chi bộ có {official} đảng viên chính thức nhưng chưa có chi ủy", facts))
        if kind == "grassroots_cell" and total >= large:
            found.append((cid, "grassroots_cell_too_large",
                          f"Chi bộ cơ sở có {total} đảng viên (từ {large} đảng viên lập đảng bộ cơ sở)", facts))
    if rules.rating_deadline_passed(year, as_of):
        admitted_by = rules.min_admission_for_rating(year, cfg["rating.min_months_since_admission"]).isoformat()
        unrated = sorted(cid for cid, (kind, _) in cells.items() if kind in MEMBER_KINDS and cid not in rated)
        for cid, due in conn.execute(
                "SELECT m.cell_id, count(*) FROM members m INDEXED BY ix_members_cell_id "
                "WHERE m.cell_id IN (SELECT value FROM json_each(?)) AND m.status = 'active' "
                "AND (m.admission_date IS NULL OR m.admission_date <= ?) GROUP BY m.cell_id ORDER BY m.cell_id",
                (json.dumps(unrated), admitted_by)):
            found.append((cid, "ratings_missing",
                          f"Chưa ghi kết quả xếp loại năm {year} của {due} đảng viên phải xếp loại",
                          {"members_due": due, "year": year}))
    return found


def fingerprint(conn, year: int, as_of: date, cfg: dict, member_found: list, org_found: list) -> str:
    """A hash of what the findings rest on: the year, as_of and settings; every row a rule selected, with the
    facts read from it (months, years, dates, counts); and the high-water mark of each input table. Every change
    a command makes to a member leaves a member_events row, every file import an imports row, every change of
    an organization a cell_events row, so the marks move whenever the data does. Reading them is a handful of
    index look-ups, where hashing every row of a 400,000-member database would cost more than the rules."""
    h = hashlib.sha256()
    h.update(f"{year}|{as_of.isoformat()}|{json.dumps(cfg, sort_keys=True)}".encode())
    marks = conn.execute(
        "SELECT (SELECT max(id) FROM member_events), (SELECT max(id) FROM imports), (SELECT max(id) FROM "
        "cell_events), (SELECT max(rowid) FROM attendance_books), (SELECT max(rowid) FROM dues_books), "
        "(SELECT max(rowid) FROM member_ratings), (SELECT max(id) FROM members), (SELECT max(id) FROM cells), "
        "(SELECT max(id) FROM exemptions), (SELECT max(id) FROM transfers), (SELECT max(id) FROM member_gaps), "
        "(SELECT max(id) FROM screening_findings WHERE resolution = 'removed')").fetchone()
    h.update(repr(marks).encode())
    # The facts dicts are built in a fixed key order by the rules, so repr is as stable as a sorted JSON dump
    # and several times cheaper on 10^4 findings.
    for row in sorted((f[0], f[1], f[2], repr(f[3])) for f in member_found + org_found):
        h.update(repr(row).encode())
    return h.hexdigest()


def _members_info(conn, member_ids: list[int]) -> dict[int, tuple]:
    """id → (card_number, full_name, cell_code, cell_name, sort_key) for the members named."""
    return {row[0]: row[1:] for row in conn.execute(
        "SELECT m.id, m.card_number, m.full_name, c.code, c.name, m.sort_key FROM members m "
        "JOIN cells c ON c.id = m.cell_id WHERE m.id IN (SELECT value FROM json_each(?))",
        (json.dumps(member_ids),))}


def _cells_info(conn, cell_ids: list[int]) -> dict[int, tuple]:
    return {row[0]: row[1:] for row in conn.execute(
        "SELECT id, code, name FROM cells WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(cell_ids),))}


def _key(finding: dict) -> tuple:
    return (finding.get("member_id"), finding.get("cell_code") if finding.get("member_id") is None else None,
            finding["rule"])


def run(session: Session, year: int, *, as_of: str | None = None, dry_run: bool = False) -> dict:
    """Apply every ground the data can show for ``year`` as of ``as_of`` (default today); store the run
    unless ``dry_run``; compare with the previous stored run of the same year."""
    from dangvien_cli.services.settings import effective

    check_year(year, "Ghi năm rà soát, ví dụ --year 2025.")
    as_of_iso = date_value(as_of, "Ngày rà soát", allow_future=True) if as_of else today().isoformat()
    if len(as_of_iso) != 10:
        raise InvalidValue("Ngày rà soát phải đủ ngày, tháng, năm.", hint="Ghi --as-of dd/mm/yyyy.")
    as_of_day = earliest(as_of_iso)
    if as_of_day < date(year, 1, 1):
        raise InvalidValue(f"Ngày rà soát {format_vi(as_of_iso)} trước năm {year}.",
                           hint="Ghi --as-of là một ngày trong năm --year hoặc sau năm đó.")
    cfg = effective(session)
    conn = raw(session)
    rated = rated_cells(conn, year) if rules.rating_deadline_passed(year, as_of_day) else set()
    member_found = _member_rules(conn, year, as_of_day, cfg, rated)
    org_found = _org_rules(conn, year, as_of_day, cfg, rated)
    fp = fingerprint(conn, year, as_of_day, cfg, member_found, org_found)
    members = _members_info(conn, sorted({f[0] for f in member_found}))
    cells = _cells_info(conn, sorted({f[0] for f in org_found}))
    rule_order = list(SCREENING_RULE.codes)
    member_found.sort(key=lambda f: (members[f[0]][2], members[f[0]][4], f[0], rule_order.index(f[1])))

    findings = []
    for member_id, rule, detail, facts in member_found:
        card, name, cell_code, cell_name, _ = members[member_id]
        facts = facts | {"cell_code": cell_code, "cell_name": cell_name}
        findings.append({"id": None, "member_id": member_id, "card_number": card, "full_name": name,
                         "cell_code": cell_code, "cell_name": cell_name, "rule": rule, "detail": detail,
                         "suggested_action": rules.SUGGESTED_ACTIONS[rule], "facts": facts, "resolution": None})
    org_findings = []
    for cell_id, rule, detail, facts in org_found:
        code, name = cells[cell_id]
        org_findings.append({"id": None, "cell_id": cell_id, "cell_code": code, "cell_name": name, "rule": rule,
                             "detail": detail, "suggested_action": rules.ORG_ACTIONS[rule], "facts": facts,
                             "resolution": None})

    previous = conn.execute("SELECT id, fingerprint FROM screening_runs WHERE year = ? ORDER BY id DESC LIMIT 1",
                            (year,)).fetchone()
    changes = None
    if previous is not None:
        old_keys = _previous_briefs(conn, previous[0])
        new_keys = {_key(f): f for f in findings + org_findings}
        changes = {
            "previous_run_id": previous[0], "same_inputs": previous[1] == fp,
            "new": [_brief(f) for k, f in new_keys.items() if k not in old_keys],
            "gone": [f for k, f in old_keys.items() if k not in new_keys],
        }
    run_id = None
    if not dry_run:
        cur = conn.execute(
            "INSERT INTO screening_runs (year, as_of, fingerprint, previous_run_id, finding_count, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (year, as_of_iso, fp, previous[0] if previous else None, len(findings) + len(org_findings), now_iso()))
        run_id = cur.lastrowid
        first = conn.execute("SELECT coalesce(max(id), 0) FROM screening_findings").fetchone()[0] + 1
        rows = [(first + i, run_id, f["member_id"], None, f["rule"], f["detail"], f["suggested_action"],
                 json.dumps(f["facts"], ensure_ascii=False)) for i, f in enumerate(findings)]
        rows += [(first + len(findings) + i, run_id, None, f["cell_id"], f["rule"], f["detail"],
                  f["suggested_action"], json.dumps(f["facts"], ensure_ascii=False))
                 for i, f in enumerate(org_findings)]
        conn.executemany("INSERT INTO screening_findings (id, run_id, member_id, cell_id, rule, detail, "
                         "suggested_action, facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        for i, f in enumerate(findings + org_findings):
            f["id"] = first + i
    for f in org_findings:
        del f["cell_id"]
    return {"run_id": run_id, "year": year, "as_of": as_of_iso, "fingerprint": fp, "dry_run": dry_run,
            "counts": _counts(findings, org_findings), "findings": findings, "org_findings": org_findings,
            "changes": changes}


def _brief(f: dict) -> dict:
    return {"member_id": f.get("member_id"), "full_name": f.get("full_name"), "cell_code": f["cell_code"],
            "rule": f["rule"], "detail": f["detail"]}


def _counts(findings: list[dict], org_findings: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for f in findings + org_findings:
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    return counts


def _previous_briefs(conn, run_id: int) -> dict[tuple, dict]:
    """The findings of an earlier run, keyed like :func:`_key`, with just what a change list shows; the facts
    stay in SQLite (json_extract) instead of being decoded finding by finding."""
    briefs = {}
    for member_id, rule, detail, name, member_cell, cell_code in conn.execute(
            "SELECT f.member_id, f.rule, f.detail, m.full_name, json_extract(f.facts, '$.cell_code'), c.code "
            "FROM screening_findings f LEFT JOIN members m ON m.id = f.member_id "
            "LEFT JOIN cells c ON c.id = f.cell_id WHERE f.run_id = ?", (run_id,)):
        brief = {"member_id": member_id, "full_name": name, "cell_code": member_cell if member_id else cell_code,
                 "rule": rule, "detail": detail}
        briefs[_key(brief)] = brief
    return briefs


def _load_findings(conn, run_id: int) -> dict:
    findings, org = [], []
    for (fid, member_id, _cell_id, rule, detail, action, facts, resolution, ref, resolved_at, card, name,
         cell_code, cell_name) in conn.execute(
            "SELECT f.id, f.member_id, f.cell_id, f.rule, f.detail, f.suggested_action, f.facts, f.resolution, "
            "f.resolution_reference, f.resolved_at, m.card_number, m.full_name, c.code, c.name "
            "FROM screening_findings f LEFT JOIN members m ON m.id = f.member_id "
            "LEFT JOIN cells c ON c.id = f.cell_id WHERE f.run_id = ? ORDER BY f.id", (run_id,)):
        facts = json.loads(facts) if facts else {}
        common = {"id": fid, "rule": rule, "detail": detail, "suggested_action": action, "facts": facts,
                  "resolution": resolution, "resolution_reference": ref, "resolved_at": resolved_at}
        if member_id is not None:
            findings.append({"member_id": member_id, "card_number": card, "full_name": name,
                             "cell_code": facts.get("cell_code"), "cell_name": facts.get("cell_name")} | common)
        else:
            org.append({"cell_code": cell_code, "cell_name": cell_name} | common)
    return {"findings": findings, "org_findings": org}


def _get_run(conn, run_id: int) -> tuple:
    row = conn.execute("SELECT id, year, as_of, fingerprint, previous_run_id, finding_count, created_at "
                       "FROM screening_runs WHERE id = ?", (run_id,)).fetchone()
    if row is None:
        raise NotFound(f"Không có lần rà soát số {run_id}.", hint="Xem các lần rà soát bằng 'dangvien screening list'.")
    return row


def show(session: Session, run_id: int) -> dict:
    conn = raw(session)
    rid, year, as_of, fp, previous, count, created = _get_run(conn, run_id)
    loaded = _load_findings(conn, rid)
    return {"run_id": rid, "year": year, "as_of": as_of, "fingerprint": fp, "previous_run_id": previous,
            "created_at": created, "counts": _counts(loaded["findings"], loaded["org_findings"])} | loaded


def list_runs(session: Session, year: int | None = None) -> list[dict]:
    conn = raw(session)
    sql = ("SELECT r.id, r.year, r.as_of, r.finding_count, r.previous_run_id, r.created_at, "
           "(SELECT count(*) FROM screening_findings f WHERE f.run_id = r.id AND f.resolution IS NOT NULL) "
           "FROM screening_runs r")
    params: tuple = ()
    if year is not None:
        sql += " WHERE r.year = ?"
        params = (year,)
    sql += " ORDER BY r.id DESC"
    return [{"run_id": r[0], "year": r[1], "as_of": r[2], "finding_count": r[3], "previous_run_id": r[4],
             "created_at": r[5], "resolved": r[6]} for r in conn.execute(sql, params)]


def resolve(session: Session, run_id: int, finding_id: int, *, decision: str, reference: str | None = None,
            date: str | None = None) -> dict:
    """Record the committee's decision on a finding; 'removed' makes the member leave with status 'removed'
    through services.members.leave (history and party-age gap included, §1.9)."""
    from dangvien_cli.services import members as member_svc

    decision = SCREENING_DECISION.parse(decision)
    conn = raw(session)
    _get_run(conn, run_id)
    row = conn.execute("SELECT member_id, cell_id, rule, detail, resolution FROM screening_findings "
                       "WHERE id = ? AND run_id = ?", (finding_id, run_id)).fetchone()
    if row is None:
        raise NotFound(f"Lần rà soát số {run_id} không có mục số {finding_id}.",
                       hint=f"Xem các mục bằng 'dangvien screening show {run_id}'.")
    member_id, cell_id, rule, detail, resolution = row
    if resolution is not None:
        raise RuleViolation(f"Mục số {finding_id} đã được giải quyết ({SCREENING_DECISION.label(resolution)}).",
                            hint="Mỗi mục chỉ ghi một quyết định.")
    if member_id is None and decision == "removed":
        raise RuleViolation("Mục này là của tổ chức đảng, không thể xóa tên.",
                            hint="Ghi --decision kept hoặc warned.")
    from dangvien_cli.services.common import member_event

    effective = date_value(date, "Ngày quyết định") or today().isoformat()
    source = f"screening resolve {run_id}"
    if decision == "removed":
        member_svc.leave(session, str(member_id), reason="removed", date=effective, reference=reference,
                         ground=f"{SCREENING_RULE.label(rule)}: {detail}", source=source)
        session.flush()
    elif member_id is not None:
        member_event(session, member_id, "screening_decision", source=source, field="screening", new=decision,
                     date=effective, reference=reference)
        session.flush()
    conn.execute("UPDATE screening_findings SET resolution = ?, resolution_reference = ?, resolved_at = ? "
                 "WHERE id = ?", (decision, reference, effective, finding_id))
    return {"run_id": run_id, "finding_id": finding_id, "member_id": member_id, "rule": rule,
            "decision": decision, "date": effective, "reference": reference}
