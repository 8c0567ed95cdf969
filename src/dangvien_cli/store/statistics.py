"""Reads of the statistics forms: members, the history rows that move them on and off the list, the
organization tree and its moves. Everything in a few set-based reads; the reconstruction is in Python
(rules/timeline.py), one pass over the members."""

from __future__ import annotations

from dangvien_cli.store.connection import Connection

MEMBER_COLUMNS = ("id", "cell_id", "status", "status_date", "admission_date", "decision_date", "official_date",
                  "membership", "gender", "birth_date", "ethnicity", "religion", "education_general",
                  "education_professional", "political_theory", "occupation")
# Fields of the profile form whose corrections are rolled back for a day before they were made.
PROFILE_FIELDS = ("gender", "birth_date", "ethnicity", "religion", "education_general", "education_professional",
                  "political_theory", "occupation", "membership", "official_date", "admission_date",
                  "decision_date")


def cells(conn: Connection) -> list[tuple]:
    """(id, code, name, parent_id, replaced_by_id, kind, unit_type) of every organization."""
    return conn.rows("SELECT id, code, name, parent_id, replaced_by_id, kind, unit_type FROM cells")


def cell_moves(conn: Connection) -> list[tuple]:
    """(cell id, old parent label, new parent label, day, recorded) of organization moves, oldest first."""
    return conn.rows("SELECT cell_id, old_value, new_value, effective_date, substr(created_at, 1, 10) "
                     "FROM cell_events WHERE event = 'moved' ORDER BY id")


def members(conn: Connection) -> list[tuple]:
    return conn.rows(f"SELECT {', '.join(MEMBER_COLUMNS)} FROM members")


def place_events(conn: Connection) -> list[tuple]:
    """(member, event, field, old, new, day, recorded, source) of the history rows that move a member on or off
    the list or between cells, in the order recorded."""
    return conn.rows(
        "SELECT member_id, event, field, old_value, new_value, effective_date, substr(created_at, 1, 10), source "
        "FROM member_events WHERE (event = 'transferred' AND field = 'cell') "
        "OR (event = 'readmitted' AND field IN ('cell', 'admission_date')) "
        "OR event IN ('left', 'transferred_out', 'transferred_in', 'restored') ORDER BY id")


def corrections(conn: Connection, after: str) -> list[tuple]:
    """(member, field, old value) of changes to profile fields recorded after the day ``after``, newest first:
    rolling them back gives the record as it stood that day."""
    marks = ", ".join("?" * len(PROFILE_FIELDS))
    return conn.rows(
        "SELECT member_id, field, old_value FROM member_events WHERE event = 'updated' "
        f"AND field IN ({marks}) AND substr(created_at, 1, 10) > ? ORDER BY id DESC", (*PROFILE_FIELDS, after))


def gaps(conn: Connection) -> list[tuple]:
    return conn.rows("SELECT member_id, start_date, end_date FROM member_gaps")


# --- the members whose history is their record alone, counted in SQL ------------------------------------
# A member with no history row that moves them (no move, transfer, readmission or leaving event) was on the
# list of their present cell from the admission date until the status date, if they left. Those are most of
# a province; they are counted here, grouped by cell, with exactly the rules of rules/timeline.py.
# Partial dates: earliest and latest day of 'YYYY' and 'YYYY-MM' (the month's last day: the dialect's month_end).
_LO = "CASE length({0}) WHEN 4 THEN {0} || '-01-01' WHEN 7 THEN {0} || '-01' ELSE {0} END"
_LEAVING_SQL = "('deceased', 'expelled', 'removed', 'resigned', 'transferred_out')"


def _hi(conn: Connection, column: str) -> str:
    return (f"CASE length({column}) WHEN 4 THEN {column} || '-12-31' "
            f"WHEN 7 THEN {conn.dialect.month_end(column + ' || ' + repr('-01'))} ELSE {column} END")


def _base(conn: Connection) -> str:
    # the excluded ids: one JSON parameter, ?1, read by the dialect's ids_table
    ids = conn.dialect.ids_table.replace("?", "?1")
    return ("WITH s AS (SELECT m.*, " + _LO.format("m.admission_date") + " AS a_lo, " + _hi(conn, "m.admission_date")
            + " AS a_hi, CASE WHEN m.status IN " + _LEAVING_SQL + " THEN 1 ELSE 0 END AS gone, "
            + _LO.format("m.status_date") + " AS s_lo, " + _hi(conn, "m.status_date") + " AS s_hi "
            f"FROM members m WHERE m.id NOT IN (SELECT j.value FROM {ids} j)), ")


def _simple(conn: Connection) -> str:
    return _base(conn) + ("p AS (SELECT s.*, CASE WHEN a_lo IS NULL OR (gone = 1 AND (s_lo IS NULL OR s_hi < a_lo)) "
                          "{unplaced} THEN 1 ELSE 0 END AS unplaced FROM s{fence}) ")


def _straddles(day: str) -> str:
    return (f"OR (a_lo <= {day} AND {day} < a_hi) OR (gone = 1 AND s_lo <= {day} AND {day} < s_hi)")


def _bands(value: str, limits: tuple[int, ...], op: str) -> str:
    """The band's index of ``value`` (``op`` '<=' or '<' each limit in turn), NULL when the value is."""
    whens = " ".join(f"WHEN {value} {op} {limit:d} THEN {i}" for i, limit in enumerate(limits))
    return f"CASE WHEN {value} IS NULL THEN NULL {whens} ELSE {len(limits)} END"


def _fence(conn: Connection) -> str:
    """Ends the CTE that computes the unplaced flags so that the engine computes them once a row: left to
    itself SQLite inlines the CTE into the sums and computes each flag again at each mention (3× slower on a
    province). SQLite's fence is LIMIT -1 (no limit), PostgreSQL's OFFSET 0."""
    return " LIMIT -1" if conn.dialect.name == "sqlite" else " OFFSET 0"


def _within(conn: Connection, cells: list[int] | None, mark: str) -> str:
    """The condition "in one of ``cells``" (none: every cell)."""
    # the whole id list as one JSON parameter (no limit on the number of ids), read by the dialect's ids_table
    ids = conn.dialect.ids_table.replace("?", mark)
    return "1 = 1" if cells is None else f"cell_id IN (SELECT j.value FROM {ids} j)"


def simple_changes(conn: Connection, periods: list[tuple[str, str]], exclude: list[int],
                   cells: list[int] | None = None) -> list[tuple]:
    """For the members without history rows, for each period (after ``before`` up to ``end``): (A, B1, D,
    deceased, expelled, removed, resigned, transferred_out, removed while probationary) of those in ``cells``
    (None: all), and how many of all the members without history rows cannot be placed. Every period in one
    scan, no grouping (grouping by cell sorts the whole table: seconds on a province)."""
    import json

    within = _within(conn, cells, "?2")
    params: list = [json.dumps(exclude)] + ([] if cells is None else [json.dumps(cells)])
    lost, sums = [], []
    for k, (before, end) in enumerate(periods):
        b, e = f"?{len(params) + 1}", f"?{len(params) + 2}"
        params += [before, end]
        lost.append(f"CASE WHEN a_lo IS NULL OR (gone = 1 AND (s_lo IS NULL OR s_hi < a_lo)) {_straddles(b)} "
                    f"{_straddles(e)} THEN 1 ELSE 0 END AS u{k}")
        ok = f"u{k} = 0 AND {within}"
        sums += [f"sum(CASE WHEN {ok} AND a_hi <= {b} AND NOT (gone = 1 AND s_hi <= {b}) THEN 1 ELSE 0 END)",
                 f"sum(CASE WHEN {ok} AND a_lo > {b} AND a_hi <= {e} THEN 1 ELSE 0 END)",
                 f"sum(CASE WHEN {ok} AND a_hi <= {e} AND NOT (gone = 1 AND s_hi <= {e}) THEN 1 ELSE 0 END)"]
        sums += [f"sum(CASE WHEN {ok} AND status = '{kind}' AND s_lo > {b} AND s_hi <= {e} THEN 1 ELSE 0 END)"
                 for kind in ("deceased", "expelled", "removed", "resigned", "transferred_out")]
        sums += [f"sum(CASE WHEN {ok} AND status = 'removed' AND s_lo > {b} AND s_hi <= {e} AND "
                 "((official_date IS NOT NULL AND " + _hi(conn, "official_date") + " > s_lo) OR "
                 "(official_date IS NULL AND membership = 'probationary')) THEN 1 ELSE 0 END)",
                 f"sum(u{k})"]
    sql = _base(conn) + f"p AS (SELECT s.*, {', '.join(lost)} FROM s{_fence(conn)}) SELECT {', '.join(sums)} FROM p"
    row = [v or 0 for v in conn.row(sql, params)]
    return [tuple(row[10 * k:10 * k + 10]) for k in range(len(periods))]


def simple_profile(conn: Connection, day: str, exclude: list[int], cells: list[int] | None,
                   age_limits: tuple[int, ...], party_limits: tuple[int, ...]) -> list[tuple]:
    """For the members without history rows, corrections after ``day`` or gaps, on the list at the end of
    ``day`` in ``cells`` (None: all): (gender, age band, ethnicity, religion, education_general,
    education_professional, political_theory, occupation, party-age band, probationary, count) — a band is the
    index of the first limit the age is at most (party age: under), NULL when unknown — and an ``unplaced`` flag
    (before the count): the rows flagged count the members that cannot be placed, whatever their cell."""
    import json

    b_lo = _LO.format("birth_date")
    start = _LO.format("coalesce(decision_date, admission_date)")
    months = (f"((CAST(substr(?2, 1, 4) AS INTEGER) - CAST(substr({start}, 1, 4) AS INTEGER)) * 12 "
              f"+ CAST(substr(?2, 6, 2) AS INTEGER) - CAST(substr({start}, 6, 2) AS INTEGER) "
              f"- CASE WHEN substr(?2, 9, 2) < substr({start}, 9, 2) THEN 1 ELSE 0 END)")
    age = (f"(CASE WHEN birth_date IS NULL THEN NULL ELSE CAST(substr(?2, 1, 4) AS INTEGER) - "
           f"CAST(substr({b_lo}, 1, 4) AS INTEGER) - CASE WHEN substr(?2, 6, 5) < substr({b_lo}, 6, 5) THEN 1 ELSE 0 "
           "END END)")
    years = f"(CASE WHEN {start} IS NULL THEN NULL WHEN ?2 <= {start} THEN 0 ELSE {conn.dialect.greatest('0', months)} / 12 END)"
    # The columns are not blanked for the members that cannot be placed (one CASE a column, for nothing): the
    # caller adds the counts of the rows flagged up.
    # No fence here (_fence): ``unplaced`` is mentioned twice only, and a fenced CTE copies every column of
    # every member through (1.6× slower).
    sql = _simple(conn).format(unplaced=_straddles("?2"), fence="") + (
        f"SELECT gender, {_bands(age, age_limits, '<=')} AS a, ethnicity, religion, education_general, "
        f"education_professional, political_theory, occupation, {_bands(years, party_limits, '<')} AS y, "
        "CASE WHEN official_date IS NOT NULL THEN " + _hi(conn, "official_date")
        + " > ?2 ELSE membership = 'probationary' END AS pr, unplaced, count(*) "
        f"FROM p WHERE unplaced = 1 OR (a_hi <= ?2 AND NOT (gone = 1 AND s_hi <= ?2) AND {_within(conn, cells, '?3')}) "
        "GROUP BY unplaced, gender, a, ethnicity, religion, education_general, education_professional, "
        "political_theory, occupation, y, pr")
    params = (json.dumps(exclude), day) + (() if cells is None else (json.dumps(cells),))
    return conn.rows(sql, params)


def members_by_id(conn: Connection, ids: list[int]) -> list[tuple]:
    import json

    return conn.rows(f"SELECT {', '.join(MEMBER_COLUMNS)} FROM members WHERE id IN "
                     f"(SELECT j.value FROM {conn.dialect.ids_table} j)", (json.dumps(ids),))


# --- Biểu 5, 6, 7 -----------------------------------------------------------------------------------------
def cell_dates(conn: Connection) -> list[tuple]:
    """(id, valid_from, valid_to, day recorded) of every organization."""
    return conn.rows("SELECT id, valid_from, valid_to, substr(created_at, 1, 10) FROM cells")


def member_ratings(conn: Connection, year: int) -> list[tuple]:
    """(member, level, not-rated reason) of the year's member ratings as they stand."""
    return conn.rows("SELECT member_id, level, not_rated_reason FROM member_ratings WHERE year = ?", (year,))


def rating_changes(conn: Connection, year: int, after: str) -> list[tuple]:
    """(member, value before) of the year's rating changes recorded after the day ``after``, newest first:
    rolling them back gives the ratings as they stood that day."""
    return conn.rows("SELECT member_id, old_value FROM member_events WHERE event = 'rated' AND field = ? "
                     "AND substr(created_at, 1, 10) > ? ORDER BY id DESC", (f"rating_{year}", after))


def cell_ratings(conn: Connection, year: int) -> list[tuple]:
    """(organization, level, four good) of the year's organization ratings."""
    return conn.rows("SELECT cell_id, level, four_good FROM cell_ratings WHERE year = ?", (year,))


def temporary_transfers(conn: Connection, first: str, last: str) -> list[tuple]:
    """(member, from cell, to cell) of temporary transfers starting from ``first`` to ``last``."""
    return conn.rows("SELECT member_id, from_cell_id, to_cell_id FROM transfers WHERE kind = 'temporary' "
                     "AND start_date >= ? AND start_date <= ?", (first, last))


def withdrawn_candidates(conn: Connection, first: str, last: str) -> list[tuple]:
    """(cell, count) of candidates' files closed from ``first`` to ``last``."""
    return conn.rows("SELECT cell_id, count(*) FROM candidates WHERE status = 'withdrawn' AND withdrawn_date >= ? "
                     "AND withdrawn_date <= ? GROUP BY cell_id", (first, last))


def badges_awarded(conn: Connection, first: str, last: str) -> list[tuple]:
    """(member, award day) of Party badges awarded from ``first`` to ``last``."""
    return conn.rows("SELECT member_id, awarded_date FROM badge_awards WHERE awarded_date >= ? AND awarded_date <= ?",
                     (first, last))
