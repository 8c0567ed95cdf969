"""The one connection type of the store: a DB-API connection and the dialect its statements are written in.

Every statement of the tool is run through a ``Connection`` by a module of ``store/``; services receive one
from the command and hand it to the store, never looking inside. Statements are written with ``?``
placeholders; a dialect that wants another style (psycopg's ``%s``) rewrites them once and caches the result,
so adding an engine is a matter of ``store/`` alone.

Transactions: the command opens one (``Database.write()`` or ``Database.read()``); ``atomic()`` inside it
opens a savepoint, so a step that fails rolls back alone while the command goes on (the model is
sqlite-utils' ``Database.atomic()``). Outside a transaction ``atomic()`` opens one and commits it.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from dangvien_cli import threads
from dangvien_cli.errors import DatabaseBusy, DatabaseProblem, RuleViolation


class Record(dict):
    """A row as a mapping that also reads as attributes: ``row["full_name"]`` or ``row.full_name``."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Dialect:
    """What differs between engines, kept to the store: placeholders, how errors read, how ids come back."""

    name = "sqlite"
    placeholder = "?"

    def sql(self, statement: str) -> str:
        return statement

    def prepare(self, statement: str, params: Sequence | dict) -> tuple[str, Sequence | dict]:
        """The statement as this engine reads it, and its parameters in the order it wants them."""
        return statement, params

    def executemany_rows(self, statement: str, rows: Iterable[Sequence]) -> tuple[str, Iterable[Sequence]]:
        return statement, rows

    def is_busy(self, exc: BaseException) -> bool:
        text = str(exc).lower()
        return "locked" in text or "busy" in text

    def is_engine_error(self, exc: BaseException) -> bool:
        import sqlite3

        return isinstance(exc, sqlite3.Error)

    def is_lost(self, exc: BaseException) -> bool:
        """A connection to a server that went away (a file has none)."""
        return False

    def is_forbidden(self, exc: BaseException) -> bool:
        """The server refused this role the row or the table (row-level security; a file has no roles)."""
        return False

    def executemany(self, raw: Any, sql: str, rows: Iterable[Sequence]) -> None:
        raw.executemany(sql, rows)

    def copy_rows(self, raw: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """Load many rows into a table: one prepared INSERT run for every row (SQLite has no bulk loader);
        a server engine streams them instead (PostgreSQL's COPY)."""
        marks = ", ".join("?" * len(columns))
        raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    def stage_rows(self, raw: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence]
                   ) -> Callable[[], None]:
        """Load many rows in two steps: this call takes the rows; the function it returns puts them into
        ``table``, where every constraint is checked (see Connection.in_background). SQLite does it all now."""
        self.copy_rows(raw, table, columns, rows)
        return lambda: None

    def in_transaction(self, raw: Any) -> bool:
        return bool(raw.in_transaction)

    def actor(self, conn: Connection) -> str | None:
        """Who the engine says is writing, for the audit; None: a file knows no users (the OS user is taken)."""
        return None

    def begin(self, *, write: bool, snapshot: bool = False) -> str:
        """``snapshot``: a writer that must also read one consistent state of the whole database (a screening
        run). On SQLite every writer does: it holds the only write lock from its first statement."""
        # A writer takes SQLite's write lock at once, so it never fails half way for a lock; a reader's
        # deferred transaction reads one snapshot (WAL) and never blocks a writer.
        return "BEGIN IMMEDIATE" if write else "BEGIN"

    #: whether a bulk write is worth handing to a thread (Connection.in_background): on a server the work is the
    #: server's, and the tool is free meanwhile; SQLite does it in this process, under the same interpreter
    background_writes = False

    def next_ids(self, conn: Connection, table: str, count: int) -> Sequence[int]:
        """The ids the next ``count`` rows of ``table`` will take, in order, for rows written with their id.
        SQLite: the next consecutive ids, what SQLite itself would give (max + 1), which nobody else can take
        under the write lock a writer holds from its first statement (``BEGIN IMMEDIATE``)."""
        first = (conn.value(f"SELECT coalesce(max(id), 0) FROM {table}") or 0) + 1
        return range(first, first + count)

    def export_snapshot(self, conn: Connection) -> str | None:
        """An identifier other connections can read this transaction's snapshot by (see
        ``Connection.readers``), or None: the snapshot cannot be shared, and the work stays on ``conn``.

        SQLite: a writer holds the only write lock from its first statement (BEGIN IMMEDIATE), so until it
        commits nobody else can: a new connection's read transaction (WAL) sees the database exactly as the
        writer does, less the writer's own changes. A reader's snapshot is not shared (a writer may commit
        between two readers' first reads)."""
        return "write lock" if conn.writing else None

    def begin_on_snapshot(self, snapshot: str) -> list[tuple[str, tuple]]:
        """The statements that open a read-only transaction on an exported snapshot."""
        return [("BEGIN", ())]

    def cancel(self, raw: Any) -> None:
        """Stop the statement running on ``raw`` (called from another thread)."""
        raw.interrupt()

    def side_by_side(self) -> list[str]:
        """Settings for the transactions of connections that read side by side (Connection.readers)."""
        return []

    # --- what each engine spells its own way (the store calls these; the statements stay one text) ------
    #: a table of integers ``value`` from one parameter holding a JSON array of ids (alias it: ``… j``). SQLite's
    #: json_each takes any number of ids as one bound value, where an IN list would hit the variable limit.
    ids_table = "json_each(?)"

    def index_hint(self, index: str) -> str:
        """``INDEXED BY index`` after a table name where SQLite's planner needs it; nothing elsewhere."""
        return f" INDEXED BY {index}"

    #: an inner join whose left table the planner must read first (SQLite's CROSS JOIN … ON hint)
    ordered_join = "CROSS JOIN"

    def table_mark(self, table: str) -> str:
        """An SQL expression: a number that grows with every row inserted into ``table``, which has no id column
        of its own (the screening's input marks)."""
        return f"(SELECT max(rowid) FROM {table})"

    def planned_without(self, conn: Connection, *methods: str) -> AbstractContextManager:
        """Around one statement whose cheap plan the engine's planner misses: the plan ``methods`` it must not
        use ("hashjoin", "bitmapscan": PostgreSQL's names). SQLite plans by the indexes and the hints in the
        text (ordered_join, index_hint): nothing to do."""
        return nullcontext()

    def month_end(self, month_start: str) -> str:
        """The ISO last day of the month starting on the ISO day ``month_start`` (an SQL expression)."""
        return f"date({month_start}, '+1 month', '-1 day')"

    def greatest(self, *expressions: str) -> str:
        """The largest of several values (SQLite's max() with two or more arguments)."""
        return f"max({', '.join(expressions)})"

    def joined_ids(self, column: str) -> str:
        """An aggregate: the values of an integer ``column`` joined by commas."""
        return f"group_concat({column})"

    def table_names(self, conn: Connection) -> list[str]:
        """The tables of the database (the engine's catalogue), without the engine's own."""
        return conn.column("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                           "ORDER BY name")

    def columns_with_default(self, conn: Connection, table: str) -> set[str]:
        """The columns of ``table`` that have a default other than NULL."""
        return {r[1] for r in conn.rows(f"PRAGMA table_info({table})") if r[4] is not None}

    def total_changes(self, conn: Connection) -> int | None:
        """Rows inserted, changed or deleted through this connection so far (to tell a write that changed
        nothing), or None when the engine cannot say."""
        return conn.raw.total_changes

    def schema_script(self) -> str:
        """The newest schema, as this engine's script (data/schema.sql for SQLite)."""
        from dangvien_cli.store import migrations

        return migrations.schema_sql()

    def column_definition(self, definition: str) -> str:
        """A column definition of data/schema.sql as this engine spells it (ALTER TABLE … ADD COLUMN)."""
        return definition

    def lock_migrations(self, conn: Connection) -> None:
        """Inside a migration's transaction: keep two processes from migrating at once (SQLite's BEGIN
        IMMEDIATE already does)."""


SQLITE = Dialect()


def _dialects(dialect: Dialect | None) -> list[Dialect]:
    if dialect is not None:
        return [dialect]
    found = [SQLITE]
    postgres = sys.modules.get("dangvien_cli.store.postgres")
    if postgres is not None:
        found.append(postgres.POSTGRESQL)
    return found


def engine_error(exc: BaseException, dialect: Dialect | None = None) -> Exception | None:
    """The Vietnamese error for an engine's own error (however wrapped), or None when it is not one."""
    for candidate in _dialects(dialect):
        inner: BaseException | None = exc
        for _ in range(3):  # SQLAlchemy wraps the driver's error in ``orig``; look through a wrapper or two
            if inner is None or candidate.is_engine_error(inner):
                break
            inner = getattr(inner, "orig", None) or inner.__cause__
        if inner is None or not candidate.is_engine_error(inner):
            continue
        if candidate.is_lost(inner):
            return DatabaseProblem(
                "Mất kết nối với máy chủ cơ sở dữ liệu. Không có gì được ghi.",
                hint="Kiểm tra mạng và máy chủ, rồi chạy lại lệnh.")
        if candidate.is_forbidden(inner):
            return RuleViolation(
                "Máy chủ từ chối: vai trò cơ sở dữ liệu của bạn chỉ được làm việc với các tổ chức đảng được giao "
                "(dangvien db grant), và việc này chạm tới dữ liệu ngoài phạm vi đó. Không có gì được ghi.",
                hint="Kiểm tra mã chi bộ, đảng viên trong lệnh; việc của đảng bộ khác do cán bộ ở đó làm.")
        if candidate.is_busy(inner):
            return DatabaseBusy(
                "Cơ sở dữ liệu đang bận: một lệnh khác đang ghi. Không có gì được ghi.",
                hint="Chờ lệnh kia xong rồi chạy lại lệnh này.")
        return DatabaseProblem(
            "Không đọc/ghi được cơ sở dữ liệu. Không có gì được ghi.",
            hint="Kiểm tra tệp, quyền ghi và chỗ trống trên đĩa; chạy 'dangvien db check'.")
    return None


def busy_or_lost(exc: BaseException, dialect: Dialect) -> Exception | None:
    """The Vietnamese error when ``exc`` says the database is busy, the server is gone or refuses this role the
    row; None for anything else (a broken constraint is a bug to see, not a message to hide)."""
    translated = engine_error(exc, dialect) if dialect.is_engine_error(exc) else None
    if translated is not None and (dialect.is_busy(exc) or dialect.is_lost(exc) or dialect.is_forbidden(exc)):
        return translated
    return None


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while the engine commits, so that the tool knows whether the commit happened:
    the signal is delivered right after, as an interrupt of a command whose work is already saved."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    # The threads the tool starts block them (dangvien_cli.threads), so they wait for this thread.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, threads.INTERRUPTS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class Connection:
    """A DB-API connection in autocommit mode whose transactions are opened and closed by the store."""

    #: the ``commands`` row of the write transaction under way (store/audit.py); its events carry it
    command_id: int | None = None
    #: keep the command's row even when it changed nothing else (store/audit.py)
    keep_command: bool = False
    #: opens another connection to the same database (a server engine; None for a file)
    reopen = None

    def __init__(self, raw: Any, dialect: Dialect = SQLITE):
        self.raw = raw
        self.dialect = dialect
        self._depth = 0
        self._savepoints = 0
        #: set once a transaction of this connection has committed (the error seam reads it on Ctrl-C)
        self.committed = False
        self._background: tuple[threading.Thread, list[BaseException]] | None = None
        #: inside a write transaction (a writer's snapshot can be shared: Connection.readers)
        self.writing = False

    # --- statements -------------------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence | dict = ()) -> Any:
        """Run one statement; returns the cursor (iterate it to stream rows)."""
        if self._background is not None:
            self.settle()
        return self.raw.execute(*self.dialect.prepare(sql, params))

    def stage_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> Callable[[], None]:
        """Bulk-load rows in two steps (``in_background(conn.stage_rows(…))``): the rows are taken now, the
        function returned puts them into ``table`` (a server's temporary table, then one INSERT … SELECT that
        the server checks on its own; on SQLite everything is done now and the function does nothing)."""
        self.settle()
        return self.dialect.stage_rows(self.raw, table, columns, rows)

    def in_background(self, work: Callable[[], None]) -> None:
        """Run ``work`` (statements of this transaction) in a thread where the engine does the work on its own
        side (a server), so that the caller goes on with its own meanwhile; elsewhere run it now. The next
        statement on this connection, the commit and the rollback all wait for it first; an error it raised
        is raised there, and the transaction rolls back as with any error."""
        self.settle()
        if not self.dialect.background_writes:
            work()
            return
        errors: list[BaseException] = []

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - handed to the thread that settles
                errors.append(exc)

        self._background = (threads.start(run, "store-background"), errors)

    def settle(self) -> None:
        """Wait for the work :meth:`in_background` started, and raise its error if it failed."""
        if self._background is None:
            return
        thread, errors = self._background
        if thread is threading.current_thread():  # the work's own statements
            return
        thread.join()
        self._background = None
        if errors:
            raise errors[0]

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        self.settle()
        self.dialect.executemany(self.raw, *self.dialect.executemany_rows(sql, rows))

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """Bulk-load rows into ``table`` the engine's fastest way, inside the transaction under way."""
        self.settle()
        self.dialect.copy_rows(self.raw, table, columns, rows)

    def rows(self, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        """Every row as a plain tuple (the fast path for large reads)."""
        return self.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence | dict = ()) -> tuple | None:
        return self.execute(sql, params).fetchone()

    def value(self, sql: str, params: Sequence | dict = ()) -> Any:
        """The first column of the first row, or None."""
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def column(self, sql: str, params: Sequence | dict = ()) -> list:
        """The first column of every row (fetched at once: a server's driver builds the rows in C, where
        iterating the cursor costs a Python call per row)."""
        return [r[0] for r in self.execute(sql, params).fetchall()]

    def records(self, sql: str, params: Sequence | dict = ()) -> list[Record]:
        """Every row as a Record (named columns)."""
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [Record(zip(names, r, strict=True)) for r in cur.fetchall()]

    def record(self, sql: str, params: Sequence | dict = ()) -> Record | None:
        cur = self.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return Record(zip([d[0] for d in cur.description], row, strict=True))

    def insert(self, table: str, values: dict) -> int:
        """Insert one row and return the id the engine gave it (never ``max(id)+1``)."""
        columns = ", ".join(values)
        marks = ", ".join("?" * len(values))
        return self.value(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id", tuple(values.values()))

    def update(self, table: str, row_id: int, values: dict) -> None:
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            self.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*values.values(), row_id))

    def update_versioned(self, table: str, row_id: int, values: dict, version: int | None) -> bool:
        """Update one row of a table that has a row version (members, cells) and raise the version. With
        ``version`` (the one the command read) the row is changed only if it still has it: False when another
        clerk changed it since (on a server the statement waits for that clerk's commit, then finds the newer
        version and changes nothing)."""
        sets = "".join(f"{k} = ?, " for k in values)
        sql = f"UPDATE {table} SET {sets}version = version + 1 WHERE id = ?"
        params: tuple = (*values.values(), row_id)
        if version is not None:
            sql += " AND version = ?"
            params += (version,)
        return self.execute(sql, params).rowcount == 1

    # --- transactions -----------------------------------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return self.dialect.in_transaction(self.raw)

    @contextmanager
    def transaction(self, *, write: bool, snapshot: bool = False) -> Iterator[Connection]:
        """The command's own transaction: ``write`` takes the write lock at once (so a writer never fails half
        way on a lock), a read is a deferred snapshot that never blocks a writer and is never refused.
        ``snapshot``: a writer that reads one consistent state of the whole database throughout."""
        if self._depth:
            raise RuntimeError("a transaction is already open on this connection")
        try:
            self.execute(self.dialect.begin(write=write, snapshot=snapshot))
        except Exception as exc:
            raise (engine_error(exc, self.dialect) or exc) from None
        self._depth = 1
        self.writing = write
        try:
            yield self
        except BaseException as exc:
            self._depth = 0
            self.writing = False
            try:
                self._rollback()
            except Exception as failed:
                # The connection broke with the command (a server gone, or Ctrl-C in the middle of a COPY, which
                # psycopg ends by dropping the connection): the server aborts the transaction with the session,
                # and the clerk is told about what stopped the command, not about the failed ROLLBACK.
                if not self.dialect.is_lost(failed):
                    raise
            waited = busy_or_lost(exc, self.dialect)
            if waited is not None:
                raise waited from None
            raise
        self._depth = 0
        self.writing = False
        self._commit()

    @contextmanager
    def atomic(self) -> Iterator[Connection]:
        """A unit of work: a savepoint inside the command's transaction, or a transaction of its own."""
        if not self._depth:
            with self.transaction(write=True):
                yield self
            return
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield self
        except BaseException:
            self._depth -= 1
            self.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self._depth -= 1
        self.execute(f"RELEASE SAVEPOINT {name}")

    def _commit(self) -> None:
        try:
            self.settle()
            with signals_held():
                self.execute("COMMIT")
                self.committed = True
        except Exception as exc:
            if self.in_transaction:
                self._rollback()
            raise (engine_error(exc, self.dialect) or exc) from None

    def _rollback(self) -> None:
        if self._background is not None:  # whatever it did is rolled back with the rest; its error is moot
            thread, _ = self._background
            self.cancel()
            thread.join()
            self._background = None
        # After an interrupted COMMIT the transaction may be gone already: there is nothing left to undo.
        if self.in_transaction:
            with signals_held():
                self.execute("ROLLBACK")

    @contextmanager
    def readers(self, count: int) -> Iterator[list[Connection]]:
        """Up to ``count`` more connections, read-only, each seeing the database exactly as this connection's
        transaction does (one snapshot shared by all; this transaction's own changes are its own), so that
        independent reads can run at the same time (a server's backends, or SQLite's reads, which let go of the
        interpreter); none where the snapshot cannot be shared (Dialect.export_snapshot), and the caller reads
        on this connection alone. Each is used by one thread at a time. They are rolled back and closed at the
        end, whatever happens."""
        snapshot = self.dialect.export_snapshot(self) if count and self._depth and self.reopen else None
        opened: list[Connection] = []
        try:
            if snapshot is not None:
                for _ in range(count):
                    reader = self.reopen()
                    opened.append(reader)
                    for statement, params in self.dialect.begin_on_snapshot(snapshot):
                        reader.execute(statement, params)
                for each in (self, *opened):
                    for statement in self.dialect.side_by_side():
                        each.execute(statement)
            yield opened
        finally:
            for reader in opened:
                try:
                    reader.close()  # the server ends the read-only transaction with the session
                except Exception:  # noqa: BLE001 - a reader already gone has nothing left to close
                    pass

    def cancel(self) -> None:
        """Ask the engine to stop the statement running on this connection (from another thread)."""
        self.dialect.cancel(self.raw)

    def close(self) -> None:
        self.raw.close()

