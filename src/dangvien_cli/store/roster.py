"""The roster import's statements: the members and cells it reads to match a file, and the bulk writes.

The new members go in by one ``executemany`` per batch, and their history rows by one ``INSERT … SELECT`` (see
:func:`insert_members`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store import audit
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.text import search_key

_BATCH = 10_000


def member_index(conn: Connection) -> Iterator[tuple]:
    """``(id, national_id, card_number, search_key, birth_date)`` of every member, for matching; streamed (the
    caller builds its own indexes: no list of every row beside them)."""
    return iter(conn.execute("SELECT id, national_id, card_number, search_key, birth_date FROM members"))


def member_cells(conn: Connection) -> dict[int, int]:
    """{member id: cell id} of every member."""
    return dict(conn.rows("SELECT id, cell_id FROM members"))


def member_rows(conn: Connection, columns: Sequence[str]) -> Iterator[tuple]:
    """Every member's ``columns``, streamed in one pass over the table (large rosters: no list of 100,000 rows)."""
    return iter(conn.execute(f"SELECT {', '.join(columns)} FROM members"))


def same_name_and_birth(conn: Connection, key: str, birth_date: str | None, cell_ids: Sequence[int]) -> list[Record]:
    """Members in ``cell_ids`` with this search key and birth date (an unknown birth date matches an unknown one)."""
    if not cell_ids:
        return []
    marks = ", ".join("?" * len(cell_ids))
    return conn.records(
        f"SELECT m.id, m.full_name, m.birth_date, m.card_number, m.national_id, c.code AS cell_code "
        f"FROM members m JOIN cells c ON c.id = m.cell_id WHERE m.search_key = ? AND m.cell_id IN ({marks}) "
        # the CAST types the parameter, which PostgreSQL cannot guess from "? IS NULL" alone
        "AND (m.birth_date = ? OR (m.birth_date IS NULL AND CAST(? AS TEXT) IS NULL)) ORDER BY m.id",
        (key, *cell_ids, birth_date, birth_date))


def create_cell(conn: Connection, *, code: str, name: str, parent_id: int, source: str, stamp: str) -> int:
    """A cell the roster names under its committee, with its 'created' history row."""
    cell_id = conn.insert("cells", {"code": code, "name": name, "search_key": search_key(name), "kind": "cell",
                                    "parent_id": parent_id, "created_at": stamp, "updated_at": stamp})
    audit.cell_event(conn, cell_id, "created", source=source, new=f"{code} — {name}")
    return cell_id


def roll_in(conn: Connection, cell_ids: Sequence[int]) -> Iterator[tuple]:
    """``(id, full_name, card_number, cell code)`` of the members on the roll of these cells, by name; streamed
    (a re-import reads every member of the committee to keep the few the file does not name)."""
    if not cell_ids:
        return iter(())
    marks = ", ".join("?" * len(cell_ids))
    return iter(conn.execute(
        f"SELECT m.id, m.full_name, m.card_number, c.code FROM members m JOIN cells c ON c.id = m.cell_id "
        f"WHERE m.cell_id IN ({marks}) AND m.status IN {ON_ROLL_SQL} ORDER BY m.sort_key", tuple(cell_ids)))


def columns_with_default(conn: Connection, table: str) -> set[str]:
    """The columns of ``table`` that have a default other than NULL (the engine's catalogue)."""
    return conn.dialect.columns_with_default(conn, table)


def new_member_ids(conn: Connection, count: int) -> Sequence[int]:
    """The ids the ``count`` new members of an import take, in file order; they link each staged row to its
    history row (Dialect.next_ids: on SQLite the next consecutive ids, which nobody else can take under the
    write lock the command holds; on PostgreSQL from the identity's sequence, so that a clerk adding a member
    meanwhile gets another one)."""
    return conn.dialect.next_ids(conn, "members", count)


_MAX_RUNS = 1_000  # more statements than that: one temporary table of (id, row) instead


def _runs(excel_rows: list[tuple[int, int]]) -> list[tuple[int, int, int]] | None:
    """``(first id, last id, row - id)`` of each run of ``(id, row)`` pairs whose ids and rows both go up by
    one, in order; None when there are more than _MAX_RUNS (a roster with a blank line under every member)."""
    if not excel_rows:
        return []
    runs: list[tuple[int, int, int]] = []
    first, offset = excel_rows[0]
    offset -= first
    last = first - 1
    for member_id, row in excel_rows:
        if member_id != last + 1 or row - member_id != offset:
            runs.append((first, last, offset))
            if len(runs) > _MAX_RUNS:
                return None
            first, offset = member_id, row - member_id
        last = member_id
    runs.append((first, last, offset))
    return runs


def insert_members(conn: Connection, fields: Sequence[str], rows: Iterable[Sequence],
                   excel_rows: Iterable[tuple[int, int]], *, stamp: str, source_prefix: str, import_id: int,
                   rebuild_indexes: bool, progress: Callable[[int], None] | None = None) -> None:
    """Insert new members and their 'created' history rows.

    ``rows`` are ``(id, search_key, sort_key, cell_id, created_at, updated_at, *fields)`` and go straight into ``members`` by
    ``executemany``, in batches (for the progress bar): the CHECK constraints are OR chains (migration 2), which
    cost nothing to set up per row, so a staging table copied by ``INSERT … SELECT`` (the old way) only wrote
    every row twice. ``excel_rows`` are ``(id, row in the file)``: a two-column temporary table from which the
    history rows are made in SQL, with the cell label and the source ("import roster FILE#dòng N") from the same
    values the update events use.

    ``rebuild_indexes``: a large import into a small table, where the non-unique indexes are cheaper built once at
    the end (a sort) than kept up row by row. Same transaction, same definitions; unique indexes stay live.

    The rows go through the dialect's bulk path (``Connection.copy_rows``): ``executemany`` on SQLite, COPY on
    PostgreSQL (issue 11), in the command's transaction, so an error anywhere leaves nothing.
    """
    columns = ("id", "search_key", "sort_key", "cell_id", "created_at", "updated_at", *fields)
    rebuild = []
    if rebuild_indexes and conn.dialect.name == "sqlite":  # SQLite's catalogue: definitions replayed as they are
        rebuild = conn.rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' "
                            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'")
        for name, _ in rebuild:
            conn.execute(f'DROP INDEX "{name}"')
    rows = iter(rows)
    while batch := list(islice(rows, _BATCH)):
        conn.copy_rows("members", columns, batch)
        if progress:
            progress(len(batch))
    admission = "m.admission_date" if "admission_date" in fields else "NULL"
    events = ("INSERT INTO member_events (member_id, event, field, old_value, new_value, effective_date, source, "
              "import_id, created_at) SELECT {id}, 'created', 'cell', NULL, "
              f"(SELECT c.code || ' — ' || c.name FROM cells c WHERE c.id = m.cell_id), {admission}, "
              "CAST(?1 AS TEXT) || CAST({row} AS TEXT), ?2, ?3 FROM {rows} ORDER BY {id}")
    excel_rows = list(excel_rows)
    runs = _runs(excel_rows)
    if runs is not None:
        # Runs of members with consecutive ids from consecutive rows of the file: the row is the id plus a
        # constant, so each run is one statement over a range of ids (no table of 100,000 pairs to fill).
        for first, last, offset in runs:
            conn.execute(events.format(id="m.id", row="m.id + ?4", rows="members m WHERE m.id BETWEEN ?5 AND ?6"),
                         (source_prefix, import_id, stamp, offset, first, last))
    else:
        # A temporary table: both engines look an unqualified name up among the connection's own temporary
        # tables first (SQLite's "temp." schema is spelt "pg_temp." on PostgreSQL).
        conn.execute("DROP TABLE IF EXISTS import_rows")
        conn.execute("CREATE TEMP TABLE import_rows (id INTEGER PRIMARY KEY, excel_row INTEGER)")
        conn.copy_rows("import_rows", ("id", "excel_row"), excel_rows)
        conn.execute(events.format(id="s.id", row="s.excel_row", rows="import_rows s JOIN members m ON m.id = s.id"),
                     (source_prefix, import_id, stamp))
        conn.execute("DROP TABLE import_rows")
    for _, sql in rebuild:
        conn.execute(sql)
