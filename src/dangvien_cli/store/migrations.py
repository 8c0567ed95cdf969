"""Numbered migrations, recorded in ``schema_migrations``, one transaction each (style.md idiom 5).

``data/schema.sql`` always describes the newest schema. A new database gets it whole and is recorded at the
newest version; an older database runs each missing migration in order. To change the schema: edit
``schema.sql`` *and* append a migration here that brings an existing database to the same state (the schema
test compares a migrated database with a fresh one).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from dangvien_cli.errors import DatabaseProblem
from dangvien_cli.store.connection import SQLITE, Connection


def schema_sql() -> str:
    return resources.files("dangvien_cli").joinpath("schema.sql").read_text(encoding="utf-8")


def split_statements(script: str) -> list[str]:
    """Split an SQL script into complete statements (sqlite3.complete_statement keeps triggers whole)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        if not buffer and line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    for statement in split_statements(conn.dialect.schema_script()):
        conn.execute(statement)


def table_statements(script: str) -> dict[str, str]:
    """name → the CREATE TABLE statement as SQLite stores it in sqlite_master (no trailing semicolon)."""
    tables = {}
    for statement in split_statements(script):
        start = statement.find("CREATE TABLE ")
        if start < 0:
            continue
        text = statement[start:].rstrip().rstrip(";").rstrip()  # comments before the keyword are not stored
        tables[text.split("(", 1)[0].split()[2]] = text
    return tables


def _checks_without_in_lists(conn: Connection) -> None:
    """Same tables and columns; only the CHECK constraints changed (IN lists became OR chains). SQLite documents
    editing sqlite_schema for such changes, which touch no stored row: the new definitions are written there,
    the schema version bumped so every connection re-reads them, and every table read once before the commit,
    so a definition SQLite cannot parse rolls the whole step back. (No integrity check: it reads every page,
    seconds on a province-sized file, and no page changes here.)

    SQLite's alone: a PostgreSQL database is created whole from the newest schema, never older than 8."""
    if conn.dialect.name != "sqlite":
        return
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    definitions = schema_as_of_version_3()
    conn.execute("PRAGMA writable_schema=ON")
    try:
        for name, sql in definitions.items():
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (sql, name))
        conn.execute(f"PRAGMA schema_version={version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema=OFF")
    for name in definitions:
        conn.execute(f"SELECT * FROM {name} LIMIT 0").fetchall()


# Columns added by later migrations with ALTER TABLE ADD COLUMN, each as SQLite writes it into its table's
# definition (", name TYPE …" after the last column): schema.sql holds them exactly so, which keeps a migrated
# database's definitions equal to a new one's, and migration 2 takes them out to write the schema of its day.
ADDED_COLUMNS: dict[str, list[tuple[int, str]]] = {
    "cells": [(4, "national_code TEXT CHECK (national_code IS NULL OR length(national_code) = 18)"),
              (9, "version INTEGER NOT NULL DEFAULT 1")],
    "candidates": [(5, "withdrawn_date TEXT"), (5, "withdrawn_reason TEXT")],
    # DEFAULT 0 only so that SQLite can add a NOT NULL column: migration 6 numbers every row at once.
    "screening_findings": [(6, "item_no INTEGER NOT NULL DEFAULT 0")],
    "member_events": [(7, "command_id INTEGER REFERENCES commands (id)")],
    "cell_events": [(7, "command_id INTEGER REFERENCES commands (id)")],
    "members": [(9, "version INTEGER NOT NULL DEFAULT 1"),
                (10, "seriously_ill_since TEXT CHECK (seriously_ill_since IS NULL OR length(seriously_ill_since) = 10)")],
}
# Migration 12: the copy a row of a merged file came from (issue 11), on every table a merge appends to.
ORIGIN_TABLES = ("imports", "commands", "cell_events", "members", "member_events", "member_gaps", "transfers",
                 "exemptions", "candidates", "candidate_introducers", "screening_runs")
for _table in ORIGIN_TABLES:
    ADDED_COLUMNS.setdefault(_table, []).append((12, "origin TEXT"))
# Tables created by later migrations.
ADDED_TABLES = {"dossier_documents": 4, "commands": 7, "dues_categories": 11, "dues_reductions": 11,
                "replicas": 12, "merge_base": 12}


def schema_as_of_version_3() -> dict[str, str]:
    """The table definitions of schema.sql as they stood at version 3 (what migration 2 must write)."""
    tables = table_statements(schema_sql())
    for table, columns in ADDED_COLUMNS.items():
        for _version, definition in columns:
            tables[table] = tables[table].replace(", " + definition, "", 1)
    return {name: sql for name, sql in tables.items() if name not in ADDED_TABLES}


def _add_columns(conn: Connection, version: int) -> None:
    for table, columns in ADDED_COLUMNS.items():
        for added_in, definition in columns:
            if added_in == version:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {conn.dialect.column_definition(definition)}")


def _add_tables(conn: Connection, version: int) -> None:
    statements = table_statements(conn.dialect.schema_script())
    for table, added_in in ADDED_TABLES.items():
        if added_in == version:
            statement = statements[table]
            for later, definition in ADDED_COLUMNS.get(table, ()):  # a later migration adds these itself
                if later > version:
                    statement = statement.replace(", " + definition, "", 1)
            conn.execute(statement)


def _leaner_member_indexes(conn: Connection) -> None:
    """Drop the members.search_key index (searches match anywhere in the name, LIKE '%…%', which no index
    serves) and keep only the rows that have a host cell in ix_members_host_cell_id: two indexes fewer to
    maintain on every imported member."""
    conn.execute("DROP INDEX IF EXISTS ix_members_search_key")
    conn.execute("DROP INDEX IF EXISTS ix_members_host_cell_id")
    conn.execute("CREATE INDEX ix_members_host_cell_id ON members (host_cell_id) WHERE host_cell_id IS NOT NULL")


def _dossiers(conn: Connection) -> None:
    """The dossier checklist of each member and each organization's code in the national database
    (issue 14): a new table and a new nullable column, so no stored row changes."""
    _add_columns(conn, 4)
    conn.execute("CREATE UNIQUE INDEX ux_cells_national_code ON cells (national_code)")
    _add_tables(conn, 4)


def _candidate_withdrawal(conn: Connection) -> None:
    """A candidate's file closed by `admissions withdraw` keeps the day and the reason: two nullable
    columns, so no stored row changes."""
    _add_columns(conn, 5)


def _screening_item_numbers(conn: Connection) -> None:
    """Each stored finding gets an item number, kept for the same finding across the runs of a year (issue 9).
    Findings stored before keep the number clerks were shown until now: their id."""
    _add_columns(conn, 6)
    conn.execute("UPDATE screening_findings SET item_no = id")
    conn.execute("DROP INDEX IF EXISTS ix_screening_findings_run_id")
    conn.execute("CREATE UNIQUE INDEX ux_screening_findings_run_item ON screening_findings (run_id, item_no)")


def _commands(conn: Connection) -> None:
    """The audit of every write (issue 12): a ``commands`` table and ``command_id`` after the last column of the
    two event tables, nullable (events written before have none; ADD COLUMN touches no stored row, so this is
    instant on any size of file), and a partial index that bulk-imported events, which have no command id,
    do not enter."""
    _add_tables(conn, 7)
    _add_columns(conn, 7)
    conn.execute("CREATE INDEX ix_member_events_command_id ON member_events (command_id) "
                 "WHERE command_id IS NOT NULL")


def _seriously_ill(conn: Connection) -> None:
    """The day a member was recorded seriously ill (badges early, domain.md §3): one nullable column after the
    last, so no stored row changes."""
    _add_columns(conn, 10)


def _dues_categories(conn: Connection) -> None:
    """Each member's dues category and the reductions decided (issue 14, Quy định 01-QĐ/TW): two new tables
    and their indexes, so no stored row changes."""
    _add_tables(conn, 11)
    conn.execute("CREATE INDEX ix_dues_categories_member_id ON dues_categories (member_id, valid_from)")
    conn.execute("CREATE INDEX ix_dues_reductions_member_id ON dues_reductions (member_id, valid_from)")


def _offline_copies(conn: Connection) -> None:
    """Offline committees (issue 11): ``origin`` on the tables a merge appends to, nullable (rows born here have
    none; ADD COLUMN touches no stored row), a partial unique index on each that only merged rows enter, and the
    tables of a database's identity and of an exported file's common base."""
    _add_columns(conn, 12)
    for table in ORIGIN_TABLES:
        conn.execute(f"CREATE UNIQUE INDEX ux_{table}_origin ON {table} (origin) WHERE origin IS NOT NULL")
    _add_tables(conn, 12)
    conn.execute("CREATE UNIQUE INDEX ux_replicas_role ON replicas (role)")


def _sort_keys_without_nul(conn: Connection) -> None:
    """The sort keys of names (members, candidates) lose their U+0000 separator, which PostgreSQL text refuses
    (text.collation_key: U+0001 and U+0002 now, in the same order). Every key is computed again from the name;
    only the keys that change are written."""
    from dangvien_cli.text import collation_key

    for table in ("members", "candidates"):
        changed = [(key, row_id) for row_id, name, old in conn.rows(f"SELECT id, full_name, sort_key FROM {table}")
                   if (key := collation_key(name)) != old]
        conn.executemany(f"UPDATE {table} SET sort_key = ? WHERE id = ?", changed)


def _row_versions(conn: Connection) -> None:
    """A row version on members and organizations (issue 11, many clerks at once): every update raises it and
    checks the one read, so that a second clerk is refused instead of overwriting. ADD COLUMN with a constant
    default touches no stored row; every row starts at version 1."""
    _add_columns(conn, 9)


MIGRATIONS: list[Migration] = [
    Migration(1, "initial schema", _initial),
    Migration(2, "CHECK constraints without IN lists", _checks_without_in_lists),
    Migration(3, "leaner member indexes", _leaner_member_indexes),
    Migration(4, "dossiers and national organization codes", _dossiers),
    Migration(5, "why and when a candidate's file was closed", _candidate_withdrawal),
    Migration(6, "screening item numbers kept across re-runs", _screening_item_numbers),
    Migration(7, "audit of every write command", _commands),
    Migration(8, "name sort keys without NUL characters", _sort_keys_without_nul),
    Migration(9, "row versions of members and organizations", _row_versions),
    Migration(10, "seriously ill members", _seriously_ill),
    Migration(11, "dues categories and reductions", _dues_categories),
    Migration(12, "offline committees: row origins, identity, merge base", _offline_copies),
]
LATEST = MIGRATIONS[-1].version
KNOWN = {m.version for m in MIGRATIONS}


def _connection(conn: Connection | sqlite3.Connection) -> Connection:
    """The store's connection (a plain sqlite3 connection in autocommit mode is taken as SQLite's)."""
    return conn if isinstance(conn, Connection) else Connection(conn, SQLITE)


def applied_versions(conn: Connection | sqlite3.Connection) -> set[int]:
    """The migrations recorded in the database (none for a new one). Numbers are given to branches of work in
    advance and merged in any order (12 reached files before 8 and 11), so a database may hold a higher number
    without a lower one: every migration not recorded is applied, not only those above the highest."""
    conn = _connection(conn)
    if "schema_migrations" not in conn.dialect.table_names(conn):
        return set()
    return set(conn.column("SELECT version FROM schema_migrations"))


def current_version(conn: Connection | sqlite3.Connection) -> int:
    return max(applied_versions(conn), default=0)


def missing(conn: Connection | sqlite3.Connection) -> set[int]:
    """The migrations this database has not had (none when it is up to date)."""
    return KNOWN - applied_versions(conn)


def _record(conn: Connection, migration: Migration) -> None:
    conn.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        (migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")),
    )


def migrate(conn: Connection | sqlite3.Connection, *, create: bool = True) -> int:
    """Bring the database to the newest schema; returns the version. Each step is its own transaction.

    ``conn`` is in autocommit mode (a store connection, or a plain sqlite3 connection with isolation_level
    None): the steps BEGIN and COMMIT themselves, DDL included (both engines roll DDL back). ``create``: an
    empty database gets the whole schema (False: it is refused, for a server database nobody initialised).
    """
    conn = _connection(conn)
    applied = applied_versions(conn)
    version = max(applied, default=0)
    unknown = applied - KNOWN
    if unknown:
        raise DatabaseProblem(
            f"Cơ sở dữ liệu có phiên bản lược đồ {max(unknown)}, mới hơn phiên bản {LATEST} mà chương trình này "
            "hiểu.", hint="Hãy cập nhật dangvien lên bản mới nhất.")
    if applied == KNOWN:
        return version
    if version == 0 and conn.dialect.table_names(conn):
        what = "một cơ sở dữ liệu SQLite" if conn.dialect.name == "sqlite" else "một cơ sở dữ liệu PostgreSQL"
        raise DatabaseProblem(
            f"Đây là {what} nhưng không phải của dangvien.",
            hint="Kiểm tra lại đường dẫn --db hoặc biến DANGVIEN_DB.",
        )
    if version == 0 and not create:
        raise DatabaseProblem(
            "Cơ sở dữ liệu trên máy chủ chưa được khởi tạo cho dangvien.",
            hint="Khởi tạo bằng: dangvien --db ĐỊA_CHỈ db init",
        )
    with conn.transaction(write=True):
        conn.dialect.lock_migrations(conn)
        version = current_version(conn)  # another process may have migrated while this one waited
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        if version == 0:
            # A new database: the schema file is the newest schema, so every migration counts as applied.
            _initial(conn)
            for migration in MIGRATIONS:
                _record(conn, migration)
            return LATEST
    # Every migration not yet recorded, in order (see applied_versions).
    for migration in MIGRATIONS:
        if migration.version in applied:
            continue
        with conn.transaction(write=True):
            conn.dialect.lock_migrations(conn)
            if migration.version in applied_versions(conn):
                continue
            migration.apply(conn)
            _record(conn, migration)
    return LATEST
