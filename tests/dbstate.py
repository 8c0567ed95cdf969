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
