"""What every import of a file leaves behind: its row in ``imports`` and the history rows it writes in bulk."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import now_iso


def record(conn: Connection, *, kind: str, file_name: str, sheet: str | None, sha256: str, encoding: str,
           rows_read: int, created: int, updated: int, unchanged: int, rejected: int, details: dict,
           year: int | None = None, target_cell_id: int | None = None, cells_created: int = 0,
           created_at: str | None = None) -> int:
    """One row of ``imports``; returns its id."""
    return conn.insert("imports", {
        "kind": kind, "file_name": file_name, "sheet": sheet, "sha256": sha256, "encoding": encoding,
        "year": year, "target_cell_id": target_cell_id, "rows_read": rows_read, "created": created,
        "updated": updated, "unchanged": unchanged, "rejected": rejected, "cells_created": cells_created,
        "details": json.dumps(details, ensure_ascii=False), "created_at": created_at or now_iso()})


def set_counts(conn: Connection, import_id: int, *, created: int, updated: int, unchanged: int) -> None:
    """The counts of an import known only once its rows are written."""
    conn.update("imports", import_id, {"created": created, "updated": updated, "unchanged": unchanged})


def member_events(conn: Connection, rows: Iterable[Sequence]) -> None:
    """History rows of an import in bulk: ``(member_id, event, field, old_value, new_value, effective_date, source,
    import_id, created_at)`` each."""
    conn.executemany(
        "INSERT INTO member_events (member_id, event, field, old_value, new_value, effective_date, source, "
        "import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

