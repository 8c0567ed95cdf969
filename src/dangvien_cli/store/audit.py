"""History rows: what changed, when, and from which command or file (style.md idiom 7: never deleted).

Every write command leaves one row in ``commands`` (issue 12, "Audit"): when it started, who (the operating-system
user on a file; on a PostgreSQL server the database role, ``current_user``, issue 11), and its command line with personal data masked (cli/audit.py says what is masked). The events it writes
carry its ``command_id``; an import's own events carry the import batch (``import_id``) and the command row
names that batch, so a bulk insert need not repeat the command id on 100,000 rows.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable

from dangvien_cli.errors import Conflict
from dangvien_cli.formats import time_vi
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.store.database import now_iso


def _text(value: object) -> str | None:
    return None if value is None else str(value)


_MEMBER_EVENT = ("INSERT INTO member_events (member_id, event, field, old_value, new_value, effective_date, "
                 "reference, source, import_id, created_at, command_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


def member_event(conn: Connection, member_id: int, event: str, *, source: str, field: str | None = None,
                 old: object = None, new: object = None, date: str | None = None, reference: str | None = None,
                 import_id: int | None = None) -> None:
    """One row of a member's history (``event`` is a code of ``vocab.EVENT``)."""
    conn.execute(_MEMBER_EVENT, (member_id, event, field, _text(old), _text(new), date, reference, source,
                                 import_id, now_iso(), conn.command_id))


def member_events(conn: Connection, member_ids: Iterable[int], event: str, *, source: str, field: str | None = None,
                  old: object = None, new: object = None, date: str | None = None,
                  reference: str | None = None) -> None:
    """The same event for many members at once (a dissolve moving a whole cell): one ``executemany``."""
    stamp, old, new = now_iso(), _text(old), _text(new)
    conn.executemany(_MEMBER_EVENT, ((mid, event, field, old, new, date, reference, source, None, stamp,
                                      conn.command_id) for mid in member_ids))


def cell_event(conn: Connection, cell_id: int, event: str, *, source: str, field: str | None = None,
               old: object = None, new: object = None, date: str | None = None,
               reference: str | None = None) -> None:
    """One row of an organization's history."""
    conn.execute(
        "INSERT INTO cell_events (cell_id, event, field, old_value, new_value, effective_date, reference, source, "
        "created_at, command_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (cell_id, event, field, _text(old), _text(new), date, reference, source, now_iso(), conn.command_id))


def last_change(conn: Connection, kind: str, row_id: int) -> Record | None:
    """Who changed a member (``kind`` "member") or an organization ("cell") last and when: the newest history row
    with its command (an import's rows name the command through their batch)."""
    table, key = {"member": ("member_events", "member_id"), "cell": ("cell_events", "cell_id")}[kind]
    batch = "OR (e.command_id IS NULL AND c.import_id = e.import_id)" if kind == "member" else ""
    return conn.record(
        f"SELECT e.created_at, e.source, c.os_user, c.command_line FROM {table} e "
        f"LEFT JOIN commands c ON c.id = e.command_id {batch} WHERE e.{key} = ? ORDER BY e.id DESC LIMIT 1",
        (row_id,))


def refuse_stale(conn: Connection, kind: str, row_id: int) -> None:
    """Refuse an update of a member (``kind`` "member") or an organization ("cell") that another clerk changed
    after this command read it: say which, who and when, and how to look at it again."""
    change = last_change(conn, kind, row_id)
    if kind == "member":
        name = conn.value("SELECT full_name FROM members WHERE id = ?", (row_id,))
        what = f"Hồ sơ đảng viên '{name}' (mã {row_id})" if name else f"Hồ sơ đảng viên mã {row_id}"
        show = f"dangvien members show {row_id}"
    else:
        code = conn.value("SELECT code FROM cells WHERE id = ?", (row_id,))
        what, show = f"Tổ chức đảng '{code}'", f"dangvien cells show {code}"
    by = ""
    if change is not None:
        by = f": {change.os_user or 'một người khác'} sửa lúc {time_vi(change.created_at)}"
        if change.command_line:
            by += f" (lệnh: {change.command_line})"
    raise Conflict(f"{what} đã được sửa sau khi lệnh này đọc nó{by}. Không có gì được ghi, để khỏi ghi "
                   "đè lên thay đổi đó.", hint=f"Xem lại bằng '{show}', rồi sửa lại nếu vẫn cần.")


# --- the command of a write transaction ---------------------------------------------------------------------

def os_user() -> str:
    """The operating-system account running the tool (who did it, as the machine knows it)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in the environment and none in the password database
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "?"


def begin_command(conn: Connection, command_line: str) -> int:
    """Record the command that opened this write transaction; its events will carry the id."""
    conn.command_id = None
    conn._audit_start = (conn.value("SELECT coalesce(max(id), 0) FROM imports"),
                         conn.dialect.total_changes(conn))
    who = conn.dialect.actor(conn) or os_user()
    conn.command_id = conn.insert("commands", {"started_at": now_iso(), "os_user": who,
                                               "command_line": command_line})
    return conn.command_id


def end_command(conn: Connection) -> None:
    """Before the commit: name the import batch the command wrote, if any; forget a command that changed
    nothing (a refused or empty update), so that the log lists only real writes."""
    if conn.command_id is None:
        return
    last_import, changes_before = conn._audit_start
    changes = conn.dialect.total_changes(conn)  # None: the engine cannot say, and every command is kept
    if conn.keep_command:
        pass
    elif changes is not None and changes_before is not None and changes - changes_before <= 1:
        conn.execute("DELETE FROM commands WHERE id = ?", (conn.command_id,))
    else:
        conn.execute("UPDATE commands SET import_id = (SELECT max(id) FROM imports WHERE id > ?) WHERE id = ?",
                     (last_import, conn.command_id))
    conn.command_id = None
    conn.keep_command = False


def keep_command(conn: Connection) -> None:
    """Keep this command in the log although it changed no row through this connection (a restore replaces
    the whole file underneath)."""
    conn.keep_command = True


def log(conn: Connection, *, limit: int = 50) -> list[Record]:
    """The latest changes, newest first: member events, organization events, imports and the commands that
    left no event (settings), each with the user and the masked command line that made it."""
    sql = (
        "SELECT e.created_at, 'member' AS kind, e.member_id AS subject, e.event, e.field, e.old_value, "
        "e.new_value, e.source, e.import_id, e.command_id, c.os_user, c.command_line "
        "FROM member_events e LEFT JOIN commands c ON c.id = e.command_id "
        "UNION ALL SELECT e.created_at, 'cell', e.cell_id, e.event, e.field, e.old_value, e.new_value, e.source, "
        "NULL, e.command_id, c.os_user, c.command_line FROM cell_events e LEFT JOIN commands c ON c.id = e.command_id "
        "UNION ALL SELECT i.created_at, 'import', i.id, i.kind, i.file_name, NULL, "
        # the counts as one text: || and CAST are portable where printf is SQLite's own
        "CAST(i.created AS TEXT) || ' mới, ' || CAST(i.updated AS TEXT) || ' sửa, ' || CAST(i.unchanged AS TEXT) "
        "|| ' giữ nguyên', 'import', i.id, c.id, c.os_user, c.command_line "
        "FROM imports i LEFT JOIN commands c ON c.import_id = i.id "
        # a command that left no event and no import (settings set, reset)
        "UNION ALL SELECT c.started_at, 'command', c.id, NULL, NULL, NULL, NULL, NULL, NULL, c.id, c.os_user, "
        "c.command_line FROM commands c WHERE c.import_id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM member_events e WHERE e.command_id = c.id) "
        "AND NOT EXISTS (SELECT 1 FROM cell_events e WHERE e.command_id = c.id) "
        "ORDER BY 1 DESC, 10 DESC NULLS LAST LIMIT ?")
    return conn.records(sql, (limit,))
