"""`db grant ROLE --cell CODE`: bind a PostgreSQL role to one committee's subtree (issue 11; store/grants.py)."""

from __future__ import annotations

import re

from dangvien_cli.errors import InvalidValue, RuleViolation
from dangvien_cli.store import audit
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import grants as store
from dangvien_cli.store.connection import Connection

# PostgreSQL's own rule for a name written without quotes: a letter or _, then letters, digits, _ ($ left out).
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant(conn: Connection, role: str, cell_ref: str) -> dict:
    """Bind ``role`` to the organization ``cell_ref`` and everything under it; returns what was done."""
    if conn.dialect.name != "postgresql":
        raise RuleViolation(
            "Lệnh 'db grant' chỉ dùng với cơ sở dữ liệu PostgreSQL trên máy chủ: một tệp SQLite không có vai trò "
            "người dùng để giới hạn.",
            hint="Chạy với --db postgresql://… (hoặc biến DANGVIEN_DB); với một tệp, hãy giao cho mỗi đảng bộ "
                 "tệp của mình (dangvien db export --cell MÃ TỆP.db).")
    name = role.strip()
    if not _ROLE.match(name):
        raise InvalidValue(
            f"Tên vai trò '{role}' không dùng được.",
            hint="Dùng chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ, tối đa 63 ký tự "
                 "(ví dụ: canbo_tanlap).")
    if not store.is_owner(conn):  # before the look-up: a bound clerk does not even see the other committees
        raise RuleViolation(
            "Chỉ người quản trị cơ sở dữ liệu (vai trò sở hữu các bảng) mới giao được phạm vi cho vai trò khác.",
            hint="Chạy lệnh này với vai trò quản trị của cơ sở dữ liệu tỉnh.")
    cell = cell_store.find(conn, cell_ref)
    done = store.grant(conn, name, cell.id)
    audit.keep_command(conn)  # the grant changes the server's rights, not a row the log would otherwise show
    previous = cell_store.get(conn, done["previous_cell_id"]) if done["previous_cell_id"] else None
    return {"role": name, "cell_code": cell.code, "cell_name": cell.name, "created": done["created"],
            "previous_cell_code": previous.code if previous else None,
            "cells_in_scope": store.cells_in_scope(conn, name)}
