"""The annual screening run (domain.md §1.3, §1.6–§1.9, §2, §4): find, store, compare, resolve.

The grounds, their sources and the pure judgement of one candidate are in ``rules/screening.py``; the
statements that find the candidates (set-based: 400,000 members in a few seconds) and store the runs are in
``store/screening.py``. This module holds the use case: the list of rules, each a small function returning
named findings; the fingerprint of a run's inputs; and a re-run that remembers — the same finding (same member
or organization, same ground) keeps its item number and the committee's decision in every run of a year, and
the run says what is new and what is gone since the previous one.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, partial
from operator import itemgetter
from queue import Queue

from dangvien_cli import threads
from dangvien_cli.errors import InvalidValue, NotFound, RuleViolation
from dangvien_cli.memory import no_gc
from dangvien_cli.rules import screening as rules
from dangvien_cli.rules.admission import probation_end
from dangvien_cli.rules.dates import earliest, format_vi, today
from dangvien_cli.rules.screening import Finding, OrgFinding
from dangvien_cli.rules.workdays import default_calendar
from dangvien_cli.services.values import check_year, date_value
from dangvien_cli.store import audit
from dangvien_cli.store import screening as store
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.store.database import now_iso
from dangvien_cli.vocab import SCREENING_DECISION, SCREENING_RULE

MEMBER_KINDS = ("cell", "grassroots_cell", "party_group")
# Built once: json.dumps with options builds an encoder per call, a third of the cost on 10^4 findings.
_facts_json = json.JSONEncoder(ensure_ascii=False).encode
_UNDECIDED = {"resolution": None, "resolution_reference": None, "resolved_at": None}


@dataclass(frozen=True)
class Scope:
    """What every rule of one run reads: the year, the day screened, the settings, the cells that recorded
    ratings for the year (empty before the year is over; read once, when a rule first asks)."""

    conn: Connection
    year: int
    as_of: date
    cfg: dict
    rated_cells: Callable[[], set[int]]

    @property
    def rated(self) -> set[int]:
        return self.rated_cells()


# --- the member rules, in the order a list shows them ----------------------------------------------------------

def absent_3_months(s: Scope) -> list[Finding]:
    """§1.9 ground 1: absence without reason; 'p' and exemptions or suspensions covering the month excuse it."""
    need = s.cfg["screening.absent_months"]
    rows = store.marked_months(s.conn, "attendance", s.year, "k", need)
    if not rows:
        return []
    excused = store.exemption_periods(s.conn, s.year, ("exempt", "temporary_suspension"))
    return _kept(rules.absent(mid, marks, excused.get(mid, ()), s.year, need) for mid, marks in rows)


def dues_unpaid_3_months(s: Scope) -> list[Finding]:
    """§1.9 ground 1 and §4: dues; 'e' months, exemptions and 50 years of party age excuse them."""
    need = s.cfg["screening.dues_unpaid_months"]
    rows = store.marked_months(s.conn, "dues", s.year, "u", need)
    if not rows:
        return []
    excused = store.exemption_periods(s.conn, s.year, ("exempt",))
    age = store.party_age_inputs(s.conn, [mid for mid, _ in rows])
    years = s.cfg["dues.exempt_party_age_years"]
    found = []
    for mid, marks in rows:
        decision, admission, gaps = age[mid]
        exempt_from = rules.dues_exempt_from(decision, admission, gaps, years, s.year)
        found.append(rules.dues_unpaid(mid, marks, excused.get(mid, ()), exempt_from, s.year, need))
    return _kept(found)


def rated_khtnv_2_years(s: Scope) -> list[Finding]:
    """§1.9 ground 4: KHTNV in the year and the year(s) before."""
    years_needed = s.cfg["screening.khtnv_years"]
    years = list(range(s.year - years_needed + 1, s.year + 1))
    return [rules.khtnv_years(mid, years) for mid in store.rated_in_a_row(s.conn, s.year, "KHTNV", years_needed)]


def probation_overdue(s: Scope) -> list[Finding]:
    """§1.3: probation ended more than 30 working days ago, no recognition."""
    calendar = default_calendar()
    months = s.cfg["admission.probation_months"]
    end_cutoff = rules.probation_cutoff(s.as_of, calendar, s.cfg["screening.recognition_overdue_workdays"])
    ceremony_by = rules.ceremony_cutoff(end_cutoff, months)
    workdays: dict[date, int] = {}
    found = []
    for mid, ceremony in store.probationary_admitted_by(s.conn, ceremony_by.isoformat()):
        end = probation_end(ceremony, months)
        if end > end_cutoff:
            continue
        if end not in workdays:
            workdays[end] = calendar.working_days_between(end, s.as_of)
        found.append(rules.probation_overdue(mid, ceremony, end, workdays[end]))
    return found


def temporary_transfer_expired(s: Scope) -> list[Finding]:
    """§1.8: temporary transfers past their end."""
    return [rules.temporary_transfer_expired(mid, end, host)
            for mid, end, host in store.temporary_transfers_ended(s.conn, s.as_of.isoformat())]


def transfer_not_presented(s: Scope) -> list[Finding]:
    """§1.8: letters not presented within 30 days (letters issued in the year screened, or later)."""
    days = s.cfg["transfer.letter_days"]
    issued_before = (s.as_of - timedelta(days=days)).isoformat()
    return [rules.transfer_not_presented(mid, issued, letter, dest, days)
            for mid, issued, letter, dest in store.letters_pending(s.conn, f"{s.year}-01-01", issued_before)]


def exemption_expired(s: Scope) -> list[Finding]:
    """§1.7: exemptions past their end."""
    return [rules.exemption_expired(mid, end, reason)
            for mid, end, reason in store.exemptions_ended(s.conn, s.as_of.isoformat())]


def not_rated(s: Scope) -> list[Finding]:
    """§2: members who should have been rated, in cells that recorded ratings for the year."""
    if not rules.rating_deadline_passed(s.year, s.as_of):
        return []
    admitted_by = rules.min_admission_for_rating(s.year, s.cfg["rating.min_months_since_admission"]).isoformat()
    return [rules.not_rated(mid, s.year) for mid in store.unrated_members(s.conn, s.rated, admitted_by, s.year)]


def dues_short_or_over(s: Scope) -> list[Finding]:
    """§4: the months of the year paid short (dues_short, "đóng thiếu") or over (dues_over, "đóng thừa")
    against the amount due by the member's dues category and the regulation in force that month
    (services/dues.py, rules/dues.py); one pass over the book for both grounds."""
    from dangvien_cli.services import dues

    found = []
    for mid, checks in dues.discrepancies(s.conn, s.year, s.cfg).items():
        for status in ("short", "over"):
            months = [c for c in checks if c.status == status]
            if months:
                found.append(rules.dues_checked(mid, status, months))
    return found


MEMBER_RULES: tuple[Callable[[Scope], list[Finding]], ...] = (
    absent_3_months, dues_unpaid_3_months, rated_khtnv_2_years, probation_overdue, temporary_transfer_expired,
    transfer_not_presented, exemption_expired, not_rated, dues_short_or_over)


# --- the organization rules ---------------------------------------------------------------------------------

def organization_size(s: Scope) -> list[OrgFinding]:
    """§1.6: too few official members, a committee missing, a grassroots cell that should be a committee."""
    counts = rules.counted_in_cell(store.organization_kinds(s.conn), store.roll_counts(s.conn))
    cfg = s.cfg
    found = []
    for cid, kind, has_committee in store.member_cells(s.conn):
        official, total = counts.get(cid, (0, 0))
        found += rules.organization_size(
            cid, kind, bool(has_committee), official, total, small=cfg["organization.min_official_members"],
            committee=cfg["organization.committee_threshold"],
            large=cfg["organization.grassroots_committee_threshold"])
    return found


def ratings_missing(s: Scope) -> list[OrgFinding]:
    """§2: cells that recorded no rating for a finished year though members are due one."""
    if not rules.rating_deadline_passed(s.year, s.as_of):
        return []
    admitted_by = rules.min_admission_for_rating(s.year, s.cfg["rating.min_months_since_admission"]).isoformat()
    unrated = sorted(cid for cid, (kind, _) in store.organization_kinds(s.conn).items()
                     if kind in MEMBER_KINDS and cid not in s.rated)
    return [rules.ratings_missing(cid, due, s.year) for cid, due in store.ratings_due(s.conn, unrated, admitted_by)]


ORG_RULES: tuple[Callable[[Scope], list[OrgFinding]], ...] = (organization_size, ratings_missing)

# --- reading on several connections at once -----------------------------------------------------------------

#: More connections a run reads on, beside the command's own, sharing its snapshot (Connection.readers): the
#: rules are independent reads, and each connection's statements run on a core of their own (a server's
#: backend, or SQLite's engine, which lets go of the interpreter while it reads). Two: three connections keep
#: the two cores of an old laptop busy, and a server has more.
READERS = 2


#: The rules that take longest, started first and in this order when the rules run side by side, so that the
#: short ones fill in around them: those that read a whole table (the ratings, the books, the roll), and the
#: probation deadlines, whose working days are counted here for thousands of members.
_LONG_FIRST = ("not_rated", "dues_unpaid_3_months", "absent_3_months", "organization_size", "probation_overdue",
               "rated_khtnv_2_years")


@dataclass
class _Prepared:
    """One rule's findings as the run needs them, prepared where the rule ran (on a worker, while the server
    runs the other rules' statements): the fingerprint's rows, and the findings as listed with their facts as
    stored — members' with the key they are sorted by (cell, name, member, ground), organizations' in the
    rule's order."""

    hashed: list[tuple]
    listed: list


def _prepare(c: Connection, found: list, is_member: bool, actions: dict[str, str]) -> _Prepared:
    if is_member:
        return _Prepared(_hashed(found), _listed_members(found, store.members_info(
            c, sorted({f.member_id for f in found})), actions))
    return _Prepared(_hashed(found), _listed_organizations(found, store.cells_info(
        c, sorted({f.cell_id for f in found})), actions))


_RULE_ORDER = {rule: i for i, rule in enumerate(SCREENING_RULE.codes)}


def _listed_members(found: list[Finding], members: dict[int, tuple], actions: dict[str, str]) -> list[tuple]:
    """(sort key, the finding as listed, its facts as stored JSON) for each member finding."""
    listed = []
    for f in found:
        card, name, cell_code, cell_name, sort_key = members[f.member_id]
        facts = {**f.facts, "cell_code": cell_code, "cell_name": cell_name}
        listed.append(((cell_code, sort_key, f.member_id, _RULE_ORDER[f.rule], f.detail), {
            "id": None, "item_no": None, "member_id": f.member_id, "card_number": card, "full_name": name,
            "cell_code": cell_code, "cell_name": cell_name, "rule": f.rule, "detail": f.detail,
            "suggested_action": actions[f.rule], "facts": facts, **_UNDECIDED}, _facts_json(facts)))
    return listed


def _listed_organizations(found: list[OrgFinding], cells: dict[int, tuple], actions: dict[str, str]
                          ) -> list[tuple]:
    """(the finding as listed, its facts as stored JSON) for each organization finding."""
    listed = []
    for f in found:
        code, name = cells[f.cell_id]
        listed.append(({"id": None, "item_no": None, "cell_id": f.cell_id, "cell_code": code, "cell_name": name,
                        "rule": f.rule, "detail": f.detail, "suggested_action": actions[f.rule], "facts": f.facts,
                        **_UNDECIDED}, _facts_json(f.facts)))
    return listed


def _apply(scope: Scope, readers: list[Connection], read_rated: Callable[[Connection], set[int]],
           actions: dict[str, str]) -> tuple[list[_Prepared], list[_Prepared], tuple]:
    """(the member rules' findings, the organization rules', in rule order; the input marks of the fingerprint).

    With ``readers`` (connections on the same snapshot as ``scope.conn``) the rules run in threads, each on one
    connection at a time; all see the same data, so the findings are those of one reading. Each rule's findings
    are prepared (details read, rows built) on its own worker, while the other rules run."""
    conns = Queue()
    for c in (scope.conn, *readers):
        conns.put(c)

    def on_a_connection(read: Callable[[Connection], object]) -> object:
        c = conns.get()
        try:
            return read(c)
        finally:
            conns.put(c)

    def rule_on(rule: Callable) -> Callable[[Connection], _Prepared]:
        return lambda c: _prepare(c, rule(replace(scope, conn=c)), rule in MEMBER_RULES, actions)

    if not readers:
        member_found = [f for rule in MEMBER_RULES for f in rule(scope)]
        org_found = [f for rule in ORG_RULES for f in rule(scope)]
        return ([_prepare(scope.conn, member_found, True, actions)],
                [_prepare(scope.conn, org_found, False, actions)], store.input_marks(scope.conn))
    with threads.pool(1 + len(readers), "screening") as pool:
        # The whole-table reads first. The rated cells are read by one worker while the rules that need them
        # wait for that (they are submitted after it, so it is already running).
        rated = pool.submit(on_a_connection, read_rated)
        scope = replace(scope, rated_cells=rated.result)
        marks = pool.submit(on_a_connection, store.input_marks)
        started = {}
        first = {name: i for i, name in enumerate(_LONG_FIRST)}
        for rule in sorted((*MEMBER_RULES, *ORG_RULES), key=lambda r: first.get(r.__name__, len(first))):
            started[rule] = pool.submit(on_a_connection, rule_on(rule))
        futures = [rated, *started.values(), marks]
        try:
            return ([started[rule].result() for rule in MEMBER_RULES],
                    [started[rule].result() for rule in ORG_RULES], marks.result())
        except BaseException:  # a rule failed, or Ctrl-C: stop what the server still runs, then go
            for f in futures:
                f.cancel()
            for c in (scope.conn, *readers):
                c.cancel()
            raise


def _kept(found: Iterable[Finding | None]) -> list[Finding]:
    return [f for f in found if f is not None]


def fingerprint(year: int, as_of: date, cfg: dict, marks: tuple, hashed: Iterable[tuple]) -> str:
    """A hash of what the findings rest on: the year, as_of and settings; every row a rule selected, with the
    facts read from it (months, years, dates, counts: ``hashed``, :func:`_hashed` of each rule's findings); and
    the high-water mark of each input table. Every change a command makes to a member leaves a member_events
    row, every file import an imports row, every change of an organization a cell_events row, so the marks
    move whenever the data does (``marks``: store.input_marks). Reading them is a handful of look-ups, where
    hashing every row of a 400,000-member database would cost more than the rules."""
    h = hashlib.sha256()
    h.update(f"{year}|{as_of.isoformat()}|{json.dumps(cfg, sort_keys=True)}".encode())
    h.update(repr(marks).encode())
    # One update of the rows' reprs in order hashes the same bytes as one update per row.
    h.update("".join(map(repr, sorted(hashed))).encode())
    return h.hexdigest()


def _hashed(found: Iterable[Finding | OrgFinding]) -> list[tuple]:
    """The rows of the fingerprint for some findings. The facts dicts are built in a fixed key order by the
    rules, so repr is as stable as a sorted JSON dump and several times cheaper on 10^4 findings."""
    return [(f[0], f[1], f[2], repr(f[3])) for f in found]


# --- the same finding across the runs of a year ------------------------------------------------------------

def _keys(subjects: Iterable[tuple]) -> list[tuple]:
    """(member_id, cell_id, rule, identity facts) per finding, in order → a key per finding that names the same
    finding in another run: the subject, the ground, the facts that tell two findings on one ground apart
    (rules.IDENTITY_FACTS: which letter, which exemption), and — should even those be equal — which of them."""
    seen: dict[tuple, int] = {}
    keys = []
    for subject in subjects:
        n = seen.get(subject, 0)
        seen[subject] = n + 1
        keys.append((*subject, n))
    return keys


@dataclass
class History:
    """What the earlier runs of a year say: the latest stored finding per key, the highest item number given
    (gone findings keep theirs, retired), the previous run and its findings."""

    latest: dict[tuple, Record]
    highest: int
    previous_run: Record | None
    previous: dict[tuple, Record]


def _history(conn: Connection, year: int) -> History:
    rows = store.year_findings(conn, year)
    latest: dict[tuple, Record] = {}
    by_run: dict[int, list[Record]] = {}
    for row in rows:
        by_run.setdefault(row["run_id"], []).append(row)
    keyed: dict[int, dict[tuple, Record]] = {}
    for run_id, run_rows in by_run.items():
        # subscripts, not attributes, in the loops over every finding: Record's attributes cost a call each
        subjects = ((r["member_id"], r["cell_id"], r["rule"], rules.identity(r["rule"], json.loads(r["facts"]))
                     if r["rule"] in rules.IDENTITY_FACTS else ()) for r in run_rows)
        keyed[run_id] = dict(zip(_keys(subjects), run_rows, strict=True))
        latest.update(keyed[run_id])
    previous_run = store.latest_run(conn, year)
    return History(latest=latest, highest=max((r["item_no"] for r in rows), default=0), previous_run=previous_run,
                   previous=keyed.get(previous_run.id, {}) if previous_run else {})


def _gone_briefs(conn: Connection, gone: list[Record]) -> list[dict]:
    """The previous run's findings absent from this run, with just what a change list shows."""
    names = store.members_info(conn, sorted({r.member_id for r in gone if r.member_id is not None}))
    cells = store.cells_info(conn, sorted({r.cell_id for r in gone if r.cell_id is not None}))
    briefs = []
    for r in sorted(gone, key=lambda r: r.item_no):
        if r.member_id is not None:
            name = names[r.member_id][1] if r.member_id in names else None
            cell_code = json.loads(r.facts).get("cell_code") if r.facts else None  # the cell at that run
        else:
            name, cell_code = None, cells[r.cell_id][0] if r.cell_id in cells else None
        briefs.append({"item_no": r.item_no, "member_id": r.member_id, "full_name": name, "cell_code": cell_code,
                       "rule": r.rule, "detail": r.detail, "resolution": r.resolution})
    return briefs


def _carry(history: History, keys: list[tuple], every: list[dict]) -> int:
    """Give each finding the item number and decision of the same finding in an earlier run of the year, or the
    next number after the highest ever given; returns how many decisions were carried."""
    next_no = history.highest
    kept = 0
    for key, f in zip(keys, every, strict=True):
        earlier = history.latest.get(key)
        if earlier is None:
            next_no += 1
            f["item_no"] = next_no
        else:
            f |= {"item_no": earlier["item_no"], "resolution": earlier["resolution"],
                  "resolution_reference": earlier["resolution_reference"], "resolved_at": earlier["resolved_at"]}
            kept += earlier["resolution"] is not None
    return kept


def _brief(f: dict) -> dict:
    return {"item_no": f["item_no"], "member_id": f.get("member_id"), "full_name": f.get("full_name"),
            "cell_code": f["cell_code"], "rule": f["rule"], "detail": f["detail"], "resolution": f["resolution"]}


# --- the use cases ------------------------------------------------------------------------------------------

def run(conn: Connection, year: int, *, as_of: str | None = None, dry_run: bool = False) -> dict:
    """Apply every ground the data can show for ``year`` as of ``as_of`` (default today); store the run
    unless ``dry_run``. A finding already found by an earlier run of the year keeps its item number and the
    decision recorded on it; ``changes`` names what is new and what is gone since the previous run."""
    from dangvien_cli.services.settings import effective

    check_year(year, "Ghi năm rà soát, ví dụ --year 2025.")
    as_of_iso = date_value(as_of, "Ngày rà soát", allow_future=True) if as_of else today().isoformat()
    if len(as_of_iso) != 10:
        raise InvalidValue("Ngày rà soát phải đủ ngày, tháng, năm.", hint="Ghi --as-of dd/mm/yyyy.")
    as_of_day = earliest(as_of_iso)
    if as_of_day < date(year, 1, 1):
        raise InvalidValue(f"Ngày rà soát {format_vi(as_of_iso)} trước năm {year}.",
                           hint="Ghi --as-of là một ngày trong năm --year hoặc sau năm đó.")
    with no_gc():  # tens of thousands of findings, none in a cycle
        return _run(conn, year, as_of_iso, as_of_day, effective(conn), dry_run)


def _run(conn: Connection, year: int, as_of_iso: str, as_of_day: date, cfg: dict, dry_run: bool) -> dict:
    read_rated = (partial(store.rated_cells, year=year) if rules.rating_deadline_passed(year, as_of_day)
                  else lambda c: set())
    scope = Scope(conn, year, as_of_day, cfg, cache(partial(read_rated, conn)))
    actions = rules.suggested_actions(year)
    with conn.readers(READERS) as readers:
        member_parts, org_parts, marks = _apply(scope, readers, read_rated, actions)
    fp = fingerprint(year, as_of_day, cfg, marks, (row for part in member_parts + org_parts for row in part.hashed))
    # In the order of the list: by cell, name, member and ground (a stable sort of the rules' findings in rule
    # order, as one reading gives them), then the organizations in rule order.
    listed = [entry for part in member_parts for entry in part.listed]
    listed.sort(key=itemgetter(0))
    org_listed = [entry for part in org_parts for entry in part.listed]
    findings = [finding for _, finding, _ in listed]
    org_findings = [finding for finding, _ in org_listed]
    every = findings + org_findings
    stored_facts = [facts for _, _, facts in listed] + [facts for _, facts in org_listed]
    history = _history(conn, year)
    previous = history.previous_run
    changes = None
    if previous is None:  # the year's first run: numbered in list order
        for n, f in enumerate(every, start=1):
            f["item_no"] = n
    else:
        keys = _keys((f.get("member_id"), f.get("cell_id"), f["rule"], rules.identity(f["rule"], f["facts"]))
                     for f in every)
        kept = _carry(history, keys, every)
        present = set(keys)
        changes = {"previous_run_id": previous.id, "same_inputs": previous.fingerprint == fp,
                   "new": [_brief(f) for k, f in zip(keys, every, strict=True) if k not in history.previous],
                   "gone": _gone_briefs(conn, [r for k, r in history.previous.items() if k not in present]),
                   "decisions_kept": kept}
    run_id = None
    if not dry_run:
        run_id = store.add_run(conn, year=year, as_of=as_of_iso, fingerprint=fp,
                               previous_run_id=previous.id if previous else None, finding_count=len(every),
                               created_at=now_iso())
        ids = store.add_findings(conn, run_id, [
            (f["item_no"], f.get("member_id"), f.get("cell_id"), f["rule"], f["detail"], f["suggested_action"],
             facts, f["resolution"], f["resolution_reference"], f["resolved_at"])
            for f, facts in zip(every, stored_facts, strict=True)])
        for f, finding_id in zip(every, ids, strict=True):
            f["id"] = finding_id
    for f in org_findings:
        del f["cell_id"]
    return {"run_id": run_id, "year": year, "as_of": as_of_iso, "fingerprint": fp, "dry_run": dry_run,
            "counts": _counts(every), "findings": findings, "org_findings": org_findings, "changes": changes}


def _counts(every: list[dict]) -> dict:
    return dict(Counter(map(itemgetter("rule"), every)))


def _run_or_latest(conn: Connection, run_id: int | None, year: int | None = None):
    if run_id is not None:
        found = store.get_run(conn, run_id)
        if found is None:
            raise NotFound(f"Không có lần rà soát số {run_id}.",
                           hint="Xem các lần rà soát bằng 'dangvien screening list'.")
        return found
    found = store.latest_run(conn, year)
    if found is None:
        where = f" của năm {year}" if year is not None else ""
        raise NotFound(f"Chưa có lần rà soát nào{where}.",
                       hint=f"Chạy rà soát bằng 'dangvien screening run --year {year or 'NĂM'}'.")
    return found


def show(conn: Connection, run_id: int | None = None, *, year: int | None = None) -> dict:
    """A stored run with the decisions recorded on it: the run given, else the latest (of ``year``)."""
    found = _run_or_latest(conn, run_id, year)
    actions = rules.suggested_actions(found.year)
    member_items, org_items = [], []
    for (fid, item_no, member_id, _cell_id, rule, detail, action, facts, resolution, ref, resolved_at, card, name,
         cell_code, cell_name) in store.findings(conn, found.id):
        facts = json.loads(facts) if facts else {}
        # The action follows from the ground alone: today's wording (runs stored before it cited the project's
        # notes where the regulation belongs).
        action = actions.get(rule, action)
        common = {"id": fid, "item_no": item_no, "rule": rule, "detail": detail, "suggested_action": action,
                  "facts": facts, "resolution": resolution, "resolution_reference": ref, "resolved_at": resolved_at}
        if member_id is not None:
            member_items.append({"member_id": member_id, "card_number": card, "full_name": name,
                                 "cell_code": facts.get("cell_code"), "cell_name": facts.get("cell_name")} | common)
        else:
            org_items.append({"cell_code": cell_code, "cell_name": cell_name} | common)
    return {"run_id": found.id, "year": found.year, "as_of": found.as_of, "fingerprint": found.fingerprint,
            "previous_run_id": found.previous_run_id, "created_at": found.created_at,
            "counts": _counts(member_items + org_items), "findings": member_items, "org_findings": org_items}


def list_runs(conn: Connection, year: int | None = None) -> list[dict]:
    return [{"run_id": r.id, "year": r.year, "as_of": r.as_of, "finding_count": r.finding_count,
             "previous_run_id": r.previous_run_id, "created_at": r.created_at, "resolved": r.resolved}
            for r in store.runs(conn, year)]


def resolve(conn: Connection, run_id: int, item_no: int, *, decision: str, reference: str | None = None,
            date: str | None = None) -> dict:
    """Record the committee's decision on item ``item_no`` of a run (and on the same item of the later runs of
    that year not yet decided); 'removed' makes the member leave with status 'removed' through
    services.members.leave (history and party-age gap included, §1.9)."""
    from dangvien_cli.services import members as member_svc

    decision = SCREENING_DECISION.parse(decision)
    _run_or_latest(conn, run_id)
    item = store.finding(conn, run_id, item_no)
    if item is None:
        raise NotFound(f"Lần rà soát số {run_id} không có mục số {item_no}.",
                       hint=f"Xem các mục bằng 'dangvien screening show {run_id}'.")
    if item.resolution is not None:
        raise RuleViolation(f"Mục số {item_no} đã được giải quyết ({SCREENING_DECISION.label(item.resolution)}).",
                            hint="Mỗi mục chỉ ghi một quyết định.")
    if item.member_id is None and decision == "removed":
        raise RuleViolation("Mục này là của tổ chức đảng, không thể xóa tên.",
                            hint="Ghi --decision kept hoặc warned.")
    effective = date_value(date, "Ngày quyết định") or today().isoformat()
    source = f"screening resolve {run_id}"
    if decision == "removed":
        member_svc.leave(conn, str(item.member_id), reason="removed", date=effective, reference=reference,
                         ground=f"{SCREENING_RULE.label(item.rule)}: {item.detail}", source=source)
    elif item.member_id is not None:
        audit.member_event(conn, item.member_id, "screening_decision", source=source, field="screening",
                           new=decision, date=effective, reference=reference)
    store.record_decision(conn, run_id, item_no, decision, reference, effective)
    return {"run_id": run_id, "item_no": item_no, "finding_id": item.id, "member_id": item.member_id,
            "rule": item.rule, "decision": decision, "date": effective, "reference": reference}
