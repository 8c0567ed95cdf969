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
