"""What the database holds, for tests that prove a refused command changed nothing; the engine the suite runs on.

``DANGVIEN_TEST_ENGINE=postgresql`` runs every test that touches the database on PostgreSQL (a throwaway
cluster, tests/pgcluster.py): the ``isolated_db`` fixture is then a libpq address instead of a file, and
:func:`connect` opens either with the same ``execute``/``fetchall`` the tests use.
"""

from __future__ import annotations

import os
import sqlite3

import pytest

ENGINE = os.environ.get("DANGVIEN_TEST_ENGINE", "sqlite").strip().lower() or "sqlite"
if ENGINE not in ("sqlite", "postgresql"):
    raise SystemExit(f"DANGVIEN_TEST_ENGINE must be 'sqlite' or 'postgresql', not {ENGINE!r}")
ON_POSTGRESQL = ENGINE == "postgresql"


def sqlite_only(why: str):
    """Mark a test that is about SQLite's file itself, skipped (with the reason) when the suite runs on
    PostgreSQL."""
    return pytest.mark.skipif(ON_POSTGRESQL, reason=f"SQLite only: {why}")


class _PgRow(tuple):
    """A row read by name or position, as sqlite3.Row."""

    def __new__(cls, names, values):
        row = super().__new__(cls, values)
        row._names = names
        return row

    def keys(self):
        return list(self._names)

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)


class PgTestConnection:
    """A psycopg connection in autocommit mode that reads the tests' SQLite-style ``?`` statements."""

    row_factory = None

    def __init__(self, conninfo: str):
        import psycopg

        self.raw = psycopg.connect(conninfo, autocommit=True)

    def _prepare(self, sql, params):
        from dangvien_cli.store.postgres import POSTGRESQL

        return POSTGRESQL.prepare(sql, params)

    def execute(self, sql, params=()):
        cur = self.raw.execute(*self._prepare(sql, params))
        if self.row_factory is not None and cur.description:
            names = [d.name for d in cur.description]
            return [_PgRow(names, r) for r in cur.fetchall()]
        return cur

    def executemany(self, sql, rows):
        from dangvien_cli.store.postgres import POSTGRESQL

        statement, rows = POSTGRESQL.executemany_rows(sql, rows)
        with self.raw.cursor() as cur:
            cur.executemany(statement, rows)

    def commit(self):
        pass

    def rollback(self):
        self.raw.execute("ROLLBACK")

    def close(self):
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(db):
    """A plain connection to the test's database: sqlite3 for a file, a PgTestConnection for an address."""
    from dangvien_cli.store.postgres import is_url

    if isinstance(db, str) and is_url(db):
        return PgTestConnection(db)
    return sqlite3.connect(db)


def table_contents(db) -> dict:
    """Every row of every table, to prove a refused command left the database exactly as it was."""
    from dangvien_cli.store.connection import SQLITE
    from dangvien_cli.store.postgres import POSTGRESQL

    conn = connect(db)
    try:
        dialect = POSTGRESQL if isinstance(conn, PgTestConnection) else SQLITE
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            ] if dialect is SQLITE else [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_type = 'BASE TABLE' ORDER BY table_name")]
        return {t: [tuple(r) for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()] for t in names}
    finally:
        conn.close()


def version_1_database(path) -> sqlite3.Connection:
    """A database made by the first schema (tests/fixtures/schema_v1.sql), recorded at version 1, open for the
    caller to fill and commit."""
    from pathlib import Path

    conn = sqlite3.connect(path)
    conn.executescript((Path(__file__).parent / "fixtures" / "schema_v1.sql").read_text(encoding="utf-8"))
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'initial schema', '2026-11-26T00:00:00+00:00')")
    return conn


# Indexes created by later migrations (the tables and columns are declared in store/migrations.py).
LATER_INDEXES = {"ux_cells_national_code": 4, "ux_screening_findings_run_item": 6,
                 "ix_member_events_command_id": 7, "ix_dues_categories_member_id": 11,
                 "ix_dues_reductions_member_id": 11, "ux_replicas_role": 12}
LATER_INDEXES.update({f"ux_{table}_origin": 12 for table in ("imports", "commands", "cell_events", "members",
                      "member_events", "member_gaps", "transfers", "exemptions", "candidates",
                      "candidate_introducers", "screening_runs")})
# Indexes a later migration dropped: (statement, version that dropped it).
DROPPED_INDEXES = [("CREATE INDEX ix_screening_findings_run_id ON screening_findings (run_id)", 6)]


def database_at_version(path, version: int) -> sqlite3.Connection:
    """A database file as the schema stood at ``version``: schema.sql without the columns, tables and indexes
    that later migrations add, recorded at that version. Tests of a migration start from it."""
    from dangvien_cli.store import migrations

    script = migrations.schema_sql()
    for columns in migrations.ADDED_COLUMNS.values():
        for added_in, definition in columns:
            if added_in > version:
                script = script.replace(", " + definition, "", 1)
    later = [f"CREATE TABLE {t} (" for t, v in migrations.ADDED_TABLES.items() if v > version]
    later += [f"INDEX {i} ON" for i, v in LATER_INDEXES.items() if v > version]
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in migrations.split_statements(script):
        if not any(mark in statement for mark in later):
            conn.execute(statement)
    for statement, dropped_in in DROPPED_INDEXES:
        if dropped_in > version:
            conn.execute(statement)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                 "applied_at TEXT NOT NULL)")
    conn.executemany("INSERT INTO schema_migrations VALUES (?, ?, 't')",
                     [(m.version, m.name) for m in migrations.MIGRATIONS if m.version <= version])
    return conn


def hold_write_lock(db, monkeypatch, wait_ms: int = 200):
    """Another connection holds what every write needs, as an import in progress would, until the caller
    ROLLBACKs and closes it: SQLite's write lock (BEGIN IMMEDIATE); on PostgreSQL, which has no lock on the
    whole database, EXCLUSIVE locks on every table (writers wait, readers read their snapshot). The tool's
    writers wait ``wait_ms`` on either engine, then refuse."""
    monkeypatch.setattr("dangvien_cli.store.database.BUSY_TIMEOUT_MS", wait_ms)
    monkeypatch.setattr("dangvien_cli.store.postgres.LOCK_TIMEOUT_MS", wait_ms)
    if not ON_POSTGRESQL:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        return other
    other = PgTestConnection(db)
    tables = [r[0] for r in other.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE'")]
    other.execute("BEGIN")
    other.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
    return other


def database(db):
    """The store's Database of the test's database (a file or a PostgreSQL address), already initialised."""
    from dangvien_cli.store.database import open_database

    return open_database(db, create=False)


def postgres_schema(conn, organizations=()) -> None:
    """The newest schema on an empty PostgreSQL database, in the caller's transaction, then ``organizations``:
    (code, name, kind, parent code), parents first."""
    from dangvien_cli.services import cells
    from dangvien_cli.store import migrations, postgres

    for statement in migrations.split_statements(postgres.schema_sql()):
        conn.execute(statement)
    for code, name, kind, parent in organizations:
        cells.add_cell(conn, cells.CellInput(name=name, code=code, kind=kind, parent=parent))
