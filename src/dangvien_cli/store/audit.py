"""History rows: what changed, when, and from which command or file (style.md idiom 7: never deleted)."""

from __future__ import annotations

from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import now_iso


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def member_event(conn: Connection, member_id: int, event: str, *, source: str, field: str | None = None,
                 old: object = None, new: object = None, date: str | None = None, reference: str | None = None,
                 import_id: int | None = None) -> None:
    """One row of a member's history (``event`` is a code of ``vocab.EVENT``)."""
    conn.execute(
        "INSERT INTO member_events (member_id, event, field, old_value, new_value, effective_date, reference, "
        "source, import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (member_id, event, field, _text(old), _text(new), date, reference, source, import_id, now_iso()))


def cell_event(conn: Connection, cell_id: int, event: str, *, source: str, field: str | None = None,
               old: object = None, new: object = None, date: str | None = None,
               reference: str | None = None) -> None:
    """One row of an organization's history."""
    conn.execute(
        "INSERT INTO cell_events (cell_id, event, field, old_value, new_value, effective_date, reference, source, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (cell_id, event, field, _text(old), _text(new), date, reference, source, now_iso()))
