"""The database file: where it is, how connections are set up, and how work is wrapped in transactions.

Every connection gets ``foreign_keys=ON``, a busy timeout and WAL (style.md idiom 4). SQLAlchemy's pysqlite
driver is told to leave transactions to us and a real ``BEGIN`` is sent at the start of each one, so that a
failed command, DDL included, rolls back whole ("nothing ever half-written").
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from dangvien_cli.errors import DatabaseProblem
from dangvien_cli.store import migrations

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 10_000


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _configure(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    # 64 MiB of page cache: bulk imports update several indexes at once and thrash the 2 MiB default.
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _begin(conn) -> None:  # noqa: ANN001 - SQLAlchemy Connection
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _create_private_file(path: Path) -> None:
    """Create an empty file readable and writable by its owner only (party records are sensitive)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def check_is_database(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head and head != b"SQLite format 3\x00":
        raise DatabaseProblem(
            f"Tệp {path.name} không phải là cơ sở dữ liệu SQLite.",
            hint="Kiểm tra lại đường dẫn --db hoặc biến DANGVIEN_DB.",
        )


class Database:
    """One database file.

    ``transaction()`` yields a SQLModel Session that commits at the end or rolls back. ``raw_transaction()``
    yields a plain sqlite3 connection inside ``BEGIN IMMEDIATE`` … ``COMMIT`` for set-based bulk work
    (screening, imports): commands that only need it never load SQLAlchemy, which costs about a second.
    """

    def __init__(self, path: Path):
        self.path = path
        self._engine: Engine | None = None
        created = not path.exists()
        if created:
            _create_private_file(path)
        else:
            check_is_database(path)
        conn = self.raw_connection()
        try:
            migrations.migrate(conn)
        except Exception:
            conn.close()
            if created:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            raise
        conn.close()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from sqlalchemy import create_engine, event

            self._engine = create_engine(f"sqlite:///{self.path}")
            event.listen(self._engine, "connect", _configure)
            event.listen(self._engine, "begin", _begin)
        return self._engine

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False, autoflush=True) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def raw_transaction(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """``write=False`` reads one consistent snapshot without taking the write lock."""
        conn = self.raw_connection()
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            conn.close()

    def raw_connection(self) -> sqlite3.Connection:
        """A plain sqlite3 connection in autocommit mode with the same PRAGMAs as every other connection."""
        conn = sqlite3.connect(self.path)
        _configure(conn, None)
        return conn

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
