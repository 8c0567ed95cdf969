"""A SQLModel Session over the command's own Connection, for a service not yet moved to the store.

While ``services/members.py`` still takes a Session, the admissions (which call it for the ceremony, the
recognition and the removal of a probationary member) run it on a Session whose only connection is the
command's sqlite3 connection: same transaction, so the command still commits once or not at all. SQLAlchemy
is imported only on those paths. Goes away with the last service that takes a Session.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from dangvien_cli.store.connection import Connection

if TYPE_CHECKING:
    from sqlmodel import Session


class _Shared:
    """The command's sqlite3 connection as SQLAlchemy sees it: the transaction stays the command's own."""

    def __init__(self, raw: Any):
        self._raw = raw

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def commit(self) -> None:  # the command commits, once
        pass

    def rollback(self) -> None:  # the command rolls back, whole
        pass

    def close(self) -> None:  # the command closes it
        pass


@contextmanager
def session_over(conn: Connection) -> Iterator[Session]:
    """A Session writing through ``conn`` inside its open transaction; flushed when the block ends."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool
    from sqlmodel import Session

    engine = create_engine("sqlite://", creator=lambda: _Shared(conn.raw), poolclass=StaticPool,
                           pool_reset_on_return=None)
    try:
        with Session(engine, expire_on_commit=False, autoflush=True) as session:
            yield session
            session.flush()
    finally:
        engine.dispose()
