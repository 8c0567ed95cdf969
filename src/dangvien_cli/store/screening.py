"""The screening's statements: the candidates each rule looks at, and the stored runs and their findings.

Speed (400,000 members in a few seconds): every candidate query is one set-based statement that returns only
the members a rule may flag (or a small superset the rule refines in Python); marks are counted with
``length(marks) - length(replace(marks, 'k', ''))``, never a function call per month; lists of ids go in as one
parameter. The KHTNV query walks the ``(year, level)`` index then the ``(member_id, year)`` primary key.

Stored runs: each finding has an ``item_no``, the number the clerk reads and ``screening resolve`` takes. It
is kept for the same finding (same member or organization, same ground) in every run of a year, so a
re-run keeps the numbers already written down; a decision recorded on a run also holds for the same item of
the later runs of that year.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from dangvien_cli.rules.membership import ON_ROLL, ON_ROLL_SQL
from dangvien_cli.store.connection import Connection, Record

# A letter not presented concerns the member who left with it too.
LETTER_HOLDERS = "(" + ", ".join(f"'{s}'" for s in (*ON_ROLL, "transferred_out")) + ")"
MEMBER_CELL_KINDS = "('cell', 'grassroots_cell')"


def _ids(ids: Iterable[int]) -> str:
    """A list of ids as one parameter, read back by the dialect's ``ids_table`` (one bound value however many
    ids, where an IN list would hit the variable limit)."""
    return json.dumps(list(ids))


def _marks(column: str, mark: str) -> str:
    """How many months of a 12-character marks string carry ``mark``, without a function call per month."""
    return f"(length({column}) - length(replace({column}, '{mark}', '')))"


# --- candidates ---------------------------------------------------------------------------------------------

def _on_roll(conn: Connection, rows: list[tuple]) -> list[tuple]:
    """Keep the rows (member_id first) of members on the roll: a look-up per candidate, not a join over every
    book row."""
    if not rows:
        return rows
    # CROSS JOIN keeps the id list outside (SQLite planner hint): left to itself the planner walks
    # ix_members_status over every member.
    keep = set(conn.column(
        f"SELECT m.id FROM {conn.dialect.ids_table} j {conn.dialect.ordered_join} members m ON m.id = j.value "
        f"WHERE m.status IN {ON_ROLL_SQL}",
        (_ids(r[0] for r in rows),)))
    return [r for r in rows if r[0] in keep]


def marked_months(conn: Connection, book: str, year: int, mark: str, at_least: int) -> list[tuple[int, str]]:
    """(member_id, marks) of members on the roll whose ``book`` ('attendance' or 'dues') for ``year`` has
    ``mark`` in at least ``at_least`` months."""
    table = {"attendance": "attendance_books", "dues": "dues_books"}[book]
    return _on_roll(conn, conn.rows(
        f"SELECT b.member_id, b.marks FROM {table} b WHERE b.year = ? AND {_marks('b.marks', mark)} >= ?",
        (year, at_least)))


def exemption_periods(conn: Connection, year: int, kinds: Sequence[str]) -> dict[int, list[tuple[str, str | None]]]:
    """Exemptions of the given kinds overlapping ``year``, per member: (start, stop), stop being the earlier of
    the planned end and the day the member came back."""
    marks = ",".join("?" * len(kinds))
    periods: dict[int, list[tuple[str, str | None]]] = {}
    for member_id, start, stop in conn.rows(
            "SELECT member_id, start_date, CASE WHEN ended_date IS NOT NULL AND (end_date IS NULL OR ended_date < "
            "end_date) THEN ended_date ELSE end_date END AS stop FROM exemptions "
            f"WHERE kind IN ({marks}) AND start_date <= ? AND (coalesce(ended_date, end_date) IS NULL "
            "OR coalesce(ended_date, end_date) >= ?)", (*kinds, f"{year}-12-31", f"{year}-01-01")):
        periods.setdefault(member_id, []).append((start, stop))
    return periods


def party_age_inputs(conn: Connection, member_ids: list[int]) -> dict[int, tuple]:
    """id → (decision_date, admission_date, [gaps as (start, end)]) for the members named (§1.4)."""
    if not member_ids:
        return {}
    ids = _ids(member_ids)
    result = {mid: (dec, adm, []) for mid, dec, adm in conn.rows(
        f"SELECT id, decision_date, admission_date FROM members WHERE id IN (SELECT j.value FROM "
        f"{conn.dialect.ids_table} j)",
        (ids,))}
    for member_id, start, end in conn.rows(
            "SELECT member_id, start_date, end_date FROM member_gaps WHERE member_id IN "
            f"(SELECT j.value FROM {conn.dialect.ids_table} j)", (ids,)):
        result[member_id][2].append((start, end))
    return result


def rated_in_a_row(conn: Connection, year: int, level: str, years: int) -> list[int]:
    """Members on the roll rated ``level`` in ``year`` and each of the ``years - 1`` years before, through the
    (year, level) index then the primary key."""
    return conn.column(
        f"SELECT r.member_id FROM member_ratings r JOIN members m ON m.id = r.member_id "
        f"WHERE r.year = ? AND r.level = ? AND m.status IN {ON_ROLL_SQL} "
        f"AND (SELECT count(*) FROM member_ratings p WHERE p.member_id = r.member_id "
        f"AND p.year >= ? AND p.year < ? AND p.level = ?) = ?",
        (year, level, year - years + 1, year, level, years - 1))


def probationary_admitted_by(conn: Connection, ceremony_by: str) -> list[tuple[int, str]]:
    """(id, admission_date) of probationary members on the roll, not recognised, admitted on or before the day."""
    return conn.rows(
        f"SELECT id, admission_date FROM members WHERE status IN {ON_ROLL_SQL} AND membership = 'probationary' "
        "AND official_date IS NULL AND admission_date IS NOT NULL AND admission_date <= ?", (ceremony_by,))


def temporary_transfers_ended(conn: Connection, before: str) -> list[tuple[int, str, str | None]]:
    """(member_id, end_date, host) of temporary transfers still running that ended before the day."""
    return conn.rows(
        "SELECT t.member_id, t.end_date, coalesce(c.name, t.destination) FROM transfers t "
        "JOIN members m ON m.id = t.member_id LEFT JOIN cells c ON c.id = t.to_cell_id "
        "WHERE t.kind = 'temporary' AND t.status IN ('pending', 'arrived') AND t.end_date < ? "
        f"AND m.status IN {ON_ROLL_SQL}", (before,))


def letters_pending(conn: Connection, issued_from: str, issued_before: str) -> list[tuple]:
    """(member_id, issued, letter_number, destination) of transfer letters not yet presented, issued (full
    dates only) on or after ``issued_from`` and before ``issued_before``."""
    return conn.rows(
        "SELECT t.member_id, coalesce(t.issued_date, t.start_date), t.letter_number, "
        "coalesce(c.name, t.destination) FROM transfers t JOIN members m ON m.id = t.member_id "
        "LEFT JOIN cells c ON c.id = t.to_cell_id "
        "WHERE t.status = 'pending' AND t.arrived_date IS NULL "
        "AND coalesce(t.issued_date, t.start_date) >= ? AND coalesce(t.issued_date, t.start_date) < ? "
        "AND length(coalesce(t.issued_date, t.start_date)) = 10 "
        f"AND m.status IN {LETTER_HOLDERS}", (issued_from, issued_before))


def exemptions_ended(conn: Connection, before: str) -> list[tuple[int, str, str | None]]:
    """(member_id, end_date, reason) of exemptions of members on the roll whose end is before the day and that
    were not ended."""
    return conn.rows(
        f"SELECT e.member_id, e.end_date, e.reason FROM exemptions e {conn.dialect.ordered_join} members m "
        "ON m.id = e.member_id "
        f"WHERE e.ended_date IS NULL AND e.end_date IS NOT NULL AND e.end_date < ? AND m.status IN {ON_ROLL_SQL}",
        (before,))


def rated_cells(conn: Connection, year: int) -> set[int]:
    """Cells where at least one member has a rating for ``year``: one index probe per cell, stopping at the
    first rated member (ix_members_cell_id, then the (member_id, year) primary key)."""
    # PostgreSQL would gather each cell's members into a bitmap before reading the first (50 ms on 400,000
    # members, where walking the index stops at once: 2 ms).
    with conn.dialect.planned_without(conn, "bitmapscan"):
        return set(conn.column(
            "SELECT c.id FROM cells c WHERE EXISTS (SELECT 1 FROM members m JOIN member_ratings r "
            "ON r.member_id = m.id AND r.year = ? WHERE m.cell_id = c.id)", (year,)))


def unrated_members(conn: Connection, cell_ids: Iterable[int], admitted_by: str, year: int) -> list[int]:
    """Active members of the cells admitted on or before ``admitted_by`` who have no rating for ``year``."""
    # PostgreSQL would hash a whole year of ratings to anti-join the roll against it (0.24 s on 400,000
    # members) where merging the two primary keys in order takes half.
    with conn.dialect.planned_without(conn, "hashjoin"):
        return conn.column(
            "SELECT m.id FROM members m WHERE m.status = 'active' "
            f"AND m.cell_id IN (SELECT j.value FROM {conn.dialect.ids_table} j) "
            "AND (m.admission_date IS NULL OR m.admission_date <= ?) "
            "AND NOT EXISTS (SELECT 1 FROM member_ratings r WHERE r.member_id = m.id AND r.year = ?)",
            (_ids(sorted(cell_ids)), admitted_by, year))


def organization_kinds(conn: Connection) -> dict[int, tuple[str, int | None]]:
    """id → (kind, parent_id) of every organization."""
    return {cid: (kind, parent) for cid, kind, parent in conn.rows("SELECT id, kind, parent_id FROM cells")}


def roll_counts(conn: Connection) -> list[tuple[int, int, int]]:
    """(cell_id, official members, members) on the roll, per organization that has any."""
    return conn.rows(
        f"SELECT cell_id, sum(CASE WHEN membership = 'official' THEN 1 ELSE 0 END), count(*) FROM members "
        f"WHERE status IN {ON_ROLL_SQL} GROUP BY cell_id")


def member_cells(conn: Connection) -> list[tuple[int, str, int]]:
    """(id, kind, has_committee) of the cells and grassroots cells in being, by code."""
    return conn.rows(f"SELECT id, kind, has_committee FROM cells WHERE kind IN {MEMBER_CELL_KINDS} "
                     "AND valid_to IS NULL ORDER BY code")


def ratings_due(conn: Connection, cell_ids: Iterable[int], admitted_by: str) -> list[tuple[int, int]]:
    """(cell_id, members due a rating) for the cells named: active members admitted on or before the day."""
    # INDEXED BY (SQLite's hint) keeps one index probe per cell, where the planner may pick ix_members_status.
    return conn.rows(
        f"SELECT m.cell_id, count(*) FROM members m{conn.dialect.index_hint('ix_members_cell_id')} "
        f"WHERE m.cell_id IN (SELECT j.value FROM {conn.dialect.ids_table} j) AND m.status = 'active' "
        "AND (m.admission_date IS NULL OR m.admission_date <= ?) GROUP BY m.cell_id ORDER BY m.cell_id",
        (_ids(cell_ids), admitted_by))


def input_marks(conn: Connection) -> tuple:
    """The high-water mark of every table the rules read (see services.screening.fingerprint)."""
    # the dialect's table mark for the books and ratings, which have no id column of their own
    mark = conn.dialect.table_mark
    return conn.row(
        "SELECT (SELECT max(id) FROM member_events), (SELECT max(id) FROM imports), (SELECT max(id) FROM "
        f"cell_events), {mark('attendance_books')}, {mark('dues_books')}, "
        f"{mark('member_ratings')}, (SELECT max(id) FROM members), (SELECT max(id) FROM cells), "
        "(SELECT max(id) FROM exemptions), (SELECT max(id) FROM transfers), (SELECT max(id) FROM member_gaps), "
        "(SELECT max(id) FROM screening_findings WHERE resolution = 'removed')")


def members_info(conn: Connection, member_ids: Iterable[int]) -> dict[int, tuple]:
    """id → (card_number, full_name, cell_code, cell_name, sort_key) for the members named."""
    return {row[0]: row[1:] for row in conn.rows(
        "SELECT m.id, m.card_number, m.full_name, c.code, c.name, m.sort_key FROM members m "
        f"JOIN cells c ON c.id = m.cell_id WHERE m.id IN (SELECT j.value FROM {conn.dialect.ids_table} j)",
        (_ids(member_ids),))}


def cells_info(conn: Connection, cell_ids: Iterable[int]) -> dict[int, tuple]:
    """id → (code, name) for the organizations named."""
    return {row[0]: row[1:] for row in conn.rows(
        f"SELECT id, code, name FROM cells WHERE id IN (SELECT j.value FROM {conn.dialect.ids_table} j)",
        (_ids(cell_ids),))}


# --- stored runs --------------------------------------------------------------------------------------------

_RUN = "id, year, as_of, fingerprint, previous_run_id, finding_count, created_at"


def get_run(conn: Connection, run_id: int) -> Record | None:
    return conn.record(f"SELECT {_RUN} FROM screening_runs WHERE id = ?", (run_id,))


def latest_run(conn: Connection, year: int | None = None) -> Record | None:
    """The newest run (of ``year``, when given)."""
    if year is None:
        return conn.record(f"SELECT {_RUN} FROM screening_runs ORDER BY id DESC LIMIT 1")
    return conn.record(f"SELECT {_RUN} FROM screening_runs WHERE year = ? ORDER BY id DESC LIMIT 1", (year,))


def runs(conn: Connection, year: int | None = None) -> list[Record]:
    """Every run (of ``year``, when given), newest first, with how many of its findings are decided."""
    sql = (f"SELECT r.{_RUN.replace(', ', ', r.')}, (SELECT count(*) FROM screening_findings f "
           "WHERE f.run_id = r.id AND f.resolution IS NOT NULL) AS resolved FROM screening_runs r")
    params: tuple = ()
    if year is not None:
        sql += " WHERE r.year = ?"
        params = (year,)
    return conn.records(sql + " ORDER BY r.id DESC", params)


def year_findings(conn: Connection, year: int) -> list[Record]:
    """Every stored finding of the runs of ``year``, oldest run first and in each run in the order it was
    stored: run_id, member_id, cell_id, rule, item_no, detail, facts (JSON text), resolution,
    resolution_reference, resolved_at."""
    return conn.records(
        "SELECT f.run_id, f.member_id, f.cell_id, f.rule, f.item_no, f.detail, f.facts, f.resolution, "
        "f.resolution_reference, f.resolved_at FROM screening_runs r JOIN screening_findings f ON f.run_id = r.id "
        "WHERE r.year = ? ORDER BY f.run_id, f.id", (year,))


def add_run(conn: Connection, *, year: int, as_of: str, fingerprint: str, previous_run_id: int | None,
            finding_count: int, created_at: str) -> int:
    return conn.insert("screening_runs", {"year": year, "as_of": as_of, "fingerprint": fingerprint,
                                          "previous_run_id": previous_run_id, "finding_count": finding_count,
                                          "created_at": created_at})


def add_findings(conn: Connection, run_id: int, rows: Sequence[tuple]) -> Sequence[int]:
    """Store the findings of a run, each row (item_no, member_id, cell_id, rule, detail, suggested_action, facts
    as JSON text, resolution, resolution_reference, resolved_at); returns their ids, in the order of ``rows``.

    The ids are the engine's next ones, taken first, so the rows go in with them: on a server, in the background
    (Connection.in_background), while the command prepares what it prints; the commit waits for them."""
    ids = conn.dialect.next_ids(conn, "screening_findings", len(rows))
    # the engine's bulk path: one prepared INSERT on SQLite, COPY on PostgreSQL (thousands of findings)
    conn.in_background(conn.stage_rows(
        "screening_findings", ("id", "run_id", "item_no", "member_id", "cell_id", "rule", "detail",
                               "suggested_action", "facts", "resolution", "resolution_reference", "resolved_at"),
        [(i, run_id, *row) for i, row in zip(ids, rows, strict=True)]))
    return ids


def findings(conn: Connection, run_id: int) -> list[tuple]:
    """The stored findings of a run in stored order: (id, item_no, member_id, cell_id, rule, detail,
    suggested_action, facts, resolution, resolution_reference, resolved_at, card_number, full_name, cell_code,
    cell_name); the member's cell is in the facts (as it was at the run), the organization's in the last two."""
    return conn.rows(
        "SELECT f.id, f.item_no, f.member_id, f.cell_id, f.rule, f.detail, f.suggested_action, f.facts, "
        "f.resolution, f.resolution_reference, f.resolved_at, m.card_number, m.full_name, c.code, c.name "
        "FROM screening_findings f LEFT JOIN members m ON m.id = f.member_id "
        "LEFT JOIN cells c ON c.id = f.cell_id WHERE f.run_id = ? ORDER BY f.id", (run_id,))


def finding(conn: Connection, run_id: int, item_no: int) -> Record | None:
    return conn.record("SELECT id, item_no, member_id, cell_id, rule, detail, resolution FROM screening_findings "
                       "WHERE run_id = ? AND item_no = ?", (run_id, item_no))


def record_decision(conn: Connection, run_id: int, item_no: int, decision: str, reference: str | None,
                    date: str) -> None:
    """The committee's decision on an item of a run, and on the same item of the later runs of that year that
    have none yet."""
    # One probe of ux_screening_findings_run_item per run of the year from this one on.
    conn.execute(
        "UPDATE screening_findings SET resolution = ?, resolution_reference = ?, resolved_at = ? "
        "WHERE run_id IN (SELECT id FROM screening_runs WHERE id >= ? "
        "AND year = (SELECT year FROM screening_runs WHERE id = ?)) "
        "AND item_no = ? AND (run_id = ? OR resolution IS NULL)",
        (decision, reference, date, run_id, run_id, item_no, run_id))
