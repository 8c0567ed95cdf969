"""Settings a committee may change, stored in the database (domain.md: unsourced figures are settings)."""

from __future__ import annotations

from dangvien_cli.rules import settings as registry
from dangvien_cli.store import settings as store
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import now_iso


def effective(conn: Connection) -> dict:
    """Every setting with its effective typed value (stored override, else the documented default)."""
    return registry.resolve(store.values(conn))


def listing(conn: Connection) -> list[dict]:
    stored = store.stored(conn)
    values = registry.resolve({k: s.value for k, s in stored.items()})
    return [
        {"key": key, "value": values[key], "default": setting.default, "changed": key in stored,
         "section": setting.section, "description": setting.description_vi,
         "updated_at": stored[key].updated_at if key in stored else None}
        for key, setting in sorted(registry.REGISTRY.items())
    ]


def set_value(conn: Connection, key: str, text: str) -> dict:
    value = registry.parse_value(key, text)
    store.put(conn, key, registry.format_value(key, value), now_iso())
    return {"key": key, "value": value}


def reset(conn: Connection, key: str) -> dict:
    registry.get_setting(key)
    store.remove(conn, key)
    return {"key": key, "value": registry.REGISTRY[key].default}
