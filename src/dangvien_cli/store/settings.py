"""Settings a committee has changed (absent keys take the documented default, rules/settings.py)."""

from __future__ import annotations

from dangvien_cli.store.connection import Connection, Record


def stored(conn: Connection) -> dict[str, Record]:
    """key → the stored row (value and updated_at)."""
    return {r.key: r for r in conn.records("SELECT key, value, updated_at FROM settings")}


def values(conn: Connection) -> dict[str, str]:
    """key → the stored text of every changed setting."""
    return dict(conn.rows("SELECT key, value FROM settings"))


def put(conn: Connection, key: str, value: str, stamp: str) -> None:
    """Store a value, replacing the one before (portable upsert: PostgreSQL and SQLite ≥ 3.24 both read it)."""
    conn.execute("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                 (key, value, stamp))


def remove(conn: Connection, key: str) -> None:
    conn.execute("DELETE FROM settings WHERE key = ?", (key,))
