"""What the database holds, for tests that prove a refused command changed nothing."""

from __future__ import annotations

import sqlite3


def table_contents(db_path) -> dict:
    """Every row of every table, to prove a refused command left the database exactly as it was."""
    conn = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                             "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
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
