"""The database: where it is, how connections are set up, and how work is wrapped in transactions.

Two engines behind one interface (:class:`BaseDatabase`): a file (SQLite, :class:`Database`, a commune's
laptop) or a server (PostgreSQL, store/postgres.py, a province); :func:`open_database` picks one from what the
clerk gave (a path, or a ``postgresql://…`` / libpq ``key=value`` address).

Every SQLite connection gets ``foreign_keys=ON``, a busy timeout and WAL (style.md idiom 4). SQLAlchemy's pysqlite
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

from dangvien_cli.errors import DatabaseProblem
from dangvien_cli.store import migrations
from dangvien_cli.store.connection import SQLITE, Connection, engine_error

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


class BaseDatabase:
    """What a command sees of its database, whichever the engine.

    ``write()`` and ``read()`` give the command its one ``Connection`` (store/connection.py) inside one
    transaction: a write commits or rolls back whole, and a lock held too long by another command is the
    "đang bận" message (exit 1); a read is one consistent snapshot that never blocks a writer.
    """

    #: "sqlite" or "postgresql"
    engine = "sqlite"
    #: the file (SQLite); None for a server database
    path: Path | None = None
    #: called with a short Vietnamese note when a writer has to wait for another command's lock
    on_wait = None
    #: returns the command line of this invocation, personal data masked, for the audit row of each write
    #: (set by the CLI: cli/audit.py)
    describe_command = None
    #: True once a write of this command has committed: an interrupt after that is not "nothing written"
    committed = False

    @property
    def label(self) -> str:
        """Which database, as the clerk may be shown it (a server address without its password)."""
        return str(self.path)

    @contextmanager
    def write(self, *, snapshot: bool = False) -> Iterator[Connection]:
        """The command's write transaction. When another command holds the lock, say so and wait (up to the
        busy timeout), then refuse with the busy message. ``snapshot``: the command also reads one consistent
        state of the whole database (a screening run while other clerks import)."""
        conn = self.connect()
        try:
            self._wait_for_lock(conn)
            with conn.transaction(write=True, snapshot=snapshot):
                from dangvien_cli.store import audit

                audit.begin_command(conn, self._command_line())
                yield conn
                audit.end_command(conn)
        finally:
            self.committed = self.committed or conn.committed
            conn.close()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One consistent snapshot for a command that only reads: never takes the write lock."""
        conn = self.connect()
        try:
            with conn.transaction(write=False):
                yield conn
        finally:
            conn.close()

    def _command_line(self) -> str:
        return self.describe_command() if self.describe_command else "(ngoài dòng lệnh)"

    def _wait_for_lock(self, conn: Connection) -> None:
        """Before a write: tell the clerk when another command holds the lock (an engine that has one)."""

    def connect(self) -> Connection:
        raise NotImplementedError

    def close(self) -> None:
        """Connections are closed by the transactions that opened them; nothing is held between them."""


def open_database(target: str | Path, *, create: bool) -> BaseDatabase:
    """The database ``target`` names: a PostgreSQL address (``postgresql://…``, ``host=… dbname=…``) or a file.

    ``create``: a file that does not exist is created, a server database without the schema gets it (``db
    init``); otherwise both are refused with what to do."""
    from dangvien_cli.store import postgres

    if postgres.is_url(str(target)):
        return postgres.PostgresDatabase(str(target), create=create)
    return Database(Path(target), create=create)


class Database(BaseDatabase):
    """One database file (SQLite): a write takes the file's write lock at once, a read is a WAL snapshot."""

    def __init__(self, path: Path, *, create: bool = True):
        self.path = path
        self.committed = False
        created = not path.exists()
        if created and not create:
            raise DatabaseProblem(f"Chưa có cơ sở dữ liệu ở {path}.",
                                  hint=f"Tạo bằng: dangvien --db {path} db init")
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

    def _wait_for_lock(self, conn: Connection) -> None:
        """Try the write lock without waiting; if it is held, tell the clerk once, then wait the usual time."""
        conn.raw.execute("PRAGMA busy_timeout=0")
        try:
            conn.raw.execute("BEGIN IMMEDIATE")
            conn.raw.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            if not SQLITE.is_busy(exc):
                raise engine_error(exc) or exc from None
            if self.on_wait is not None:
                self.on_wait("Cơ sở dữ liệu đang bận (một lệnh khác đang ghi); đang chờ tối đa "
                             f"{BUSY_TIMEOUT_MS // 1000} giây…")
        finally:
            conn.raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def connect(self) -> Connection:
        """A new connection of the store, with the PRAGMAs of every connection."""
        conn = Connection(self.raw_connection(), SQLITE)
        conn.reopen = self.connect
        return conn

    @contextmanager
    def raw_transaction(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """The sqlite3 connection inside the command's transaction, for code not yet moved to the store."""
        with (self.write() if write else self.read()) as conn:
            yield conn.raw

    def raw_connection(self) -> sqlite3.Connection:
        """A plain sqlite3 connection in autocommit mode with the same PRAGMAs as every other connection."""
        # Not bound to the thread that opened it: a screening's rules read on several connections from worker
        # threads (Connection.readers), each connection used by one thread at a time.
        conn = sqlite3.connect(self.path, check_same_thread=False)
        _configure(conn, None)
        return conn
