"""Kept only for the modules that still import from here (services/imports.py, services/exports.py,
cli/reports.py): the organization look-ups live in store/cells.py. Each takes the store's ``Connection``
or, until those modules move to the store, the driver's own connection."""

from __future__ import annotations

from typing import Any, NamedTuple

from dangvien_cli.store import cells as store
from dangvien_cli.store.connection import Record, connection_of


class CellRow(NamedTuple):
    """An organization as services/imports.py builds it from its own rows."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    valid_to: str | None


def find_cell(conn: Any, ref: str) -> Record:
    return store.find(connection_of(conn), ref)


def subtree_ids(conn: Any, cell_id: int) -> list[int]:
    return store.subtree_ids(connection_of(conn), cell_id)


def next_child_code(conn: Any, parent_code: str | None) -> str:
    return store.next_child_code(connection_of(conn), parent_code)
