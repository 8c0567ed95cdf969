"""The member record's own use cases (services/members.py), called with the admissions' Connection.

The ceremony adds a member, recognition updates one and a removal makes one leave: those rules belong to the
member service, and stay there. While that service still takes a SQLModel Session (its move to the store is
under way), each call runs it on a Session over this same connection and transaction (store/bridge.py);
once its first parameter is a Connection, it is called directly and the bridge is not used.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from dangvien_cli.store.connection import Connection


def _takes_connection(fn: Callable) -> bool:
    first = next(iter(inspect.signature(fn).parameters.values()))
    return "Connection" in str(first.annotation)


def _call(fn: Callable, conn: Connection, *args: Any, **kwargs: Any) -> Any:
    if _takes_connection(fn):
        return fn(conn, *args, **kwargs)
    from dangvien_cli.store.bridge import session_over

    with session_over(conn) as session:
        return fn(session, *args, **kwargs)


def add_member(conn: Connection, data: Any, *, source: str) -> int:
    """A new member record (every check of ``members add``); returns its id."""
    from dangvien_cli.services import members as member_svc

    return _call(member_svc.add_member, conn, data, source=source).id


def update_member(conn: Connection, member_id: int, changes: dict, *, source: str,
                  reference: str | None = None) -> None:
    from dangvien_cli.services import members as member_svc

    _call(member_svc.update_member, conn, str(member_id), changes, source=source, reference=reference)


def leave(conn: Connection, member_id: int, **kwargs: Any) -> dict:
    from dangvien_cli.services import members as member_svc

    return _call(member_svc.leave, conn, str(member_id), **kwargs)
