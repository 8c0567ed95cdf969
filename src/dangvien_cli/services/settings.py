"""Settings a committee may change, stored in the database (domain.md: unsourced figures are settings)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from dangvien_cli.rules import settings as registry
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import now_iso

if TYPE_CHECKING:
    from sqlmodel import Session


def effective(session: Session | sqlite3.Connection | Connection) -> dict:
    """Every setting with its effective typed value (stored override, else the documented default).

    Takes a session, a plain sqlite3 connection or the store's Connection (the bulk commands run without
    SQLAlchemy)."""
    sql = "SELECT key, value FROM settings"
    if isinstance(session, (sqlite3.Connection, Connection)):
        rows = session.execute(sql).fetchall()
    else:
        rows = session.connection().exec_driver_sql(sql).fetchall()
    return registry.resolve(dict(rows))


def listing(session: Session) -> list[dict]:
    from sqlmodel import select

    from dangvien_cli.store.models import Setting

    stored = {s.key: s for s in session.exec(select(Setting)).all()}
    values = registry.resolve({k: s.value for k, s in stored.items()})
    return [
        {"key": key, "value": values[key], "default": setting.default, "changed": key in stored,
         "section": setting.section, "description": setting.description_vi,
         "updated_at": stored[key].updated_at if key in stored else None}
        for key, setting in sorted(registry.REGISTRY.items())
    ]


def set_value(session: Session, key: str, text: str) -> dict:
    from dangvien_cli.store.models import Setting

    value = registry.parse_value(key, text)
    row = session.get(Setting, key)
    stored = registry.format_value(key, value)
    if row is None:
        row = Setting(key=key, value=stored, updated_at=now_iso())
    else:
        row.value, row.updated_at = stored, now_iso()
    session.add(row)
    return {"key": key, "value": value}


def reset(session: Session, key: str) -> dict:
    from dangvien_cli.store.models import Setting

    registry.get_setting(key)
    row = session.get(Setting, key)
    if row is not None:
        session.delete(row)
    return {"key": key, "value": registry.REGISTRY[key].default}
