"""The member record's own use cases (services/members.py), called with the admissions' Connection.

The ceremony adds a member, recognition updates one and a removal makes one leave: those rules belong to the
member service, and stay there; admissions calls them on its own connection, inside its own transaction.
"""

from __future__ import annotations

from typing import Any

from dangvien_cli.store.connection import Connection


def add_member(conn: Connection, data: Any, *, source: str) -> int:
    """A new member record (every check of ``members add``); returns its id."""
    from dangvien_cli.services import members as member_svc

    return member_svc.add_member(conn, data, source=source).id


def update_member(conn: Connection, member_id: int, changes: dict, *, source: str,
                  reference: str | None = None) -> None:
    from dangvien_cli.services import members as member_svc

    member_svc.update_member(conn, str(member_id), changes, source=source, reference=reference)


def leave(conn: Connection, member_id: int, **kwargs: Any) -> dict:
    from dangvien_cli.services import members as member_svc

    return member_svc.leave(conn, str(member_id), **kwargs)
