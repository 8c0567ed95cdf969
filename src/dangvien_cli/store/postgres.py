"""PostgreSQL behind the same store: the dialect, the schema derived from ``data/schema.sql``, connections.

A province's organization board keeps one database on a server (issue 11); the store's statements are
written once, with ``?`` placeholders, and this dialect rewrites them for psycopg 3 (``%s``). The schema is
not a second copy: ``schema_sql()`` derives it from the SQLite schema, changing only what the engines spell
differently (identity ids, double precision, regular expressions for the digit checks), so both engines
hold the same tables, columns, defaults, CHECKs and indexes.

psycopg is imported only when a PostgreSQL database is opened: a commune's laptop never needs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from dangvien_cli.errors import DatabaseProblem
from dangvien_cli.store.connection import Connection, Dialect

# PostgreSQL error classes (SQLSTATE) that mean "another session holds what we need": wait and try again later.
_BUSY_STATES = {"55P03", "40001", "40P01", "57014"}
# Lost or refused connections (connection exceptions; the server shut down or ended this session).
_CONNECTION_CLASSES = ("08", "57P01", "57P02", "57P03")

# insufficient_privilege: a row outside the role's committee (row-level security), or a table it may not write.
_FORBIDDEN = "42501"

LOCK_TIMEOUT_MS = 10_000


def is_url(text: str | None) -> bool:
    """Whether a ``--db`` value names a PostgreSQL database (URL or libpq key=value string)."""
    if not text:
        return False
    lowered = text.strip().lower()
    return lowered.startswith(("postgresql://", "postgres://")) or bool(
        re.match(r"^(host|dbname|user|port|service)=", lowered))


@lru_cache(maxsize=2048)
def _translate(statement: str) -> tuple[str, tuple[int, ...] | None]:
    """``?`` placeholders → ``%s`` and a literal ``%`` → ``%%``, outside quoted strings and identifiers.

    SQLite's numbered ``?N`` (one value used twice) becomes ``%s`` too, with the order in which the values are
    to be passed (None when the statement has only plain ``?``): a plain ``?`` after ``?N`` is number N+1, as
    in SQLite."""
    out: list[str] = []
    order: list[int] = []
    numbered = False
    quote: str | None = None
    i, n = 0, len(statement)
    while i < n:
        ch = statement[i]
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            j = i + 1
            while j < n and statement[j].isdigit():
                j += 1
            if j > i + 1:
                numbered = True
                order.append(int(statement[i + 1:j]) - 1)
                i = j - 1
            else:
                order.append(max(order, default=-1) + 1)
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
        i += 1
    return "".join(out), tuple(order) if numbered else None


def _rewrite(statement: str) -> str:
    return _translate(statement)[0]


class PostgresDialect(Dialect):
    name = "postgresql"
    placeholder = "%s"

    def sql(self, statement: str) -> str:
        return _rewrite(statement)

    def prepare(self, statement, params):
        sql, order = _translate(statement)
        if order is not None and not isinstance(params, dict):
            params = [params[k] for k in order]
        return sql, params

    def executemany_rows(self, statement, rows):
        sql, order = _translate(statement)
        if order is not None:
            rows = ([row[k] for k in order] for row in rows)
        return sql, rows

    def is_engine_error(self, exc: BaseException) -> bool:
        psycopg = _psycopg(required=False)
        return psycopg is not None and isinstance(exc, psycopg.Error)

    def is_busy(self, exc: BaseException) -> bool:
        return getattr(exc, "sqlstate", None) in _BUSY_STATES

    def is_lost(self, exc: BaseException) -> bool:
        state = getattr(exc, "sqlstate", None) or ""
        psycopg = _psycopg(required=False)
        return state.startswith(_CONNECTION_CLASSES) or (
            psycopg is not None and isinstance(exc, psycopg.OperationalError) and not state)

    def is_forbidden(self, exc: BaseException) -> bool:
        return getattr(exc, "sqlstate", None) == _FORBIDDEN

    def executemany(self, raw: Any, sql: str, rows) -> None:
        with raw.cursor() as cur:
            cur.executemany(sql, rows)

    def copy_rows(self, raw: Any, table: str, columns, rows) -> None:
        # COPY … FROM STDIN streams the rows in one statement: constraints, foreign keys and unique indexes
        # apply as to any insert, and an error anywhere rolls the whole COPY back with the transaction.
        # PostgreSQL refuses COPY into a table whose row-level security binds this role (store/grants.py): then
        # the rows are copied into a temporary table and moved by INSERT … SELECT, which the policies check.
        bound = raw.execute("SELECT row_security_active(%s)", (table,)).fetchone()[0]
        if bound:
            self.stage_rows(raw, table, columns, rows)()
            return
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def stage_rows(self, raw: Any, table: str, columns, rows) -> Callable[[], None]:
        # COPY into a temporary table of the same columns takes a moment (no constraint to check); the one
        # INSERT … SELECT that moves the rows is where the server checks them (foreign keys, CHECKs, unique
        # indexes, row-level policies), all on its side, so the tool can wait for it in a thread.
        names = ", ".join(columns)
        staged = f"copy_{table}"
        raw.execute(f"DROP TABLE IF EXISTS pg_temp.{staged}")
        raw.execute(f"CREATE TEMP TABLE {staged} AS SELECT {names} FROM {table} WITH NO DATA")
        with raw.cursor() as cur, cur.copy(f"COPY pg_temp.{staged} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

        def move() -> None:
            raw.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM pg_temp.{staged}")
            raw.execute(f"DROP TABLE pg_temp.{staged}")
        return move

    def in_transaction(self, raw: Any) -> bool:
        psycopg = _psycopg()
        return raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def actor(self, conn: Connection) -> str | None:
        # On a server the clerk is the database role they logged in as (db grant binds it to a committee); the
        # operating-system user is that of whatever machine the command ran on.
        return conn.value("SELECT current_user")

    def begin(self, *, write: bool, snapshot: bool = False) -> str:
        # A reader sees one snapshot of the whole database for the whole command; a writer takes row locks as
        # it goes and waits at most LOCK_TIMEOUT_MS for one. A writer that reads the whole database to judge
        # it (a screening run while imports go on) reads one snapshot too: REPEATABLE READ. Its own writes
        # are new rows, so another clerk's commit cannot make it fail on a row both changed.
        if not write:
            return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        return "BEGIN ISOLATION LEVEL REPEATABLE READ" if snapshot else "BEGIN"

    background_writes = True

    def next_ids(self, conn: Connection, table: str, count: int) -> list[int]:
        # From the identity's sequence: a clerk adding a row meanwhile gets another id. The sequence is looked
        # up once (behind OFFSET 0), not once per id as an argument of nextval (6 times slower: 0.2 s of
        # 100,000 ids).
        return conn.column("SELECT nextval(q.s) FROM (SELECT CAST(pg_get_serial_sequence(?, 'id') AS regclass) AS s "
                           "OFFSET 0) q CROSS JOIN generate_series(1, ?) ORDER BY 1", (table, count))

    def export_snapshot(self, conn: Connection) -> str | None:
        # Only a REPEATABLE READ transaction keeps one snapshot for all its statements: share nothing else.
        if conn.value("SELECT current_setting('transaction_isolation')") != "repeatable read":
            return None
        return conn.value("SELECT pg_export_snapshot()")

    def cancel(self, raw: Any) -> None:
        raw.cancel()

    def side_by_side(self) -> list[str]:
        # Statements read side by side on several connections already keep the server's cores busy: its own
        # parallel workers for one statement would only compete with them (measured: 0.1 s of a 1.1 s
        # screening of 400,000 members on two cores). For the transaction only.
        return ["SET LOCAL max_parallel_workers_per_gather = 0"]

    def begin_on_snapshot(self, snapshot: str) -> list[tuple[str, tuple]]:
        # SET TRANSACTION SNAPSHOT takes a literal, not a parameter; the identifier comes from the server
        # (pg_export_snapshot: hexadecimal digits and dashes), checked before it is spliced in.
        if not re.fullmatch(r"[0-9A-Fa-f-]+", snapshot):
            raise DatabaseProblem("Máy chủ trả về mã ảnh chụp dữ liệu không hợp lệ. Không có gì được ghi.",
                                  hint="Chạy lại lệnh; nếu vẫn vậy, báo người quản trị máy chủ PostgreSQL.")
        return [("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ()),
                (f"SET TRANSACTION SNAPSHOT '{snapshot}'", ())]

    ids_table = "(SELECT CAST(v AS bigint) AS value FROM json_array_elements_text(CAST(? AS json)) AS t(v))"

    def index_hint(self, index: str) -> str:
        return ""  # the planner chooses from the statistics; there is no hint to give

    ordered_join = "JOIN"  # PostgreSQL's CROSS JOIN takes no ON; its planner orders joins from statistics

    def table_mark(self, table: str) -> str:
        # No mark: the only one a server offers for a table without an id, the newest xmin, has no index and
        # costs a scan of the whole table (0.23 s of a 1 s screening of 400,000 members for the books and the
        # ratings). These tables need none: every write to them leaves an imports row (a file) or a
        # member_events row (by hand; a merge appends the file's own), and those marks are read.
        return "NULL"

    @contextmanager
    def planned_without(self, conn: Connection, *methods: str) -> Iterator[None]:
        # For this statement only; SET LOCAL, so a failure rolls the transaction, and the settings, back.
        settings = [f"enable_{_plan_method(method)}" for method in methods]
        for setting in settings:
            conn.execute(f"SET LOCAL {setting} = off")
        yield
        for setting in settings:
            conn.execute(f"SET LOCAL {setting} TO DEFAULT")

    def month_end(self, month_start: str) -> str:
        return f"to_char(CAST({month_start} AS date) + interval '1 month' - interval '1 day', 'YYYY-MM-DD')"

    def greatest(self, *expressions: str) -> str:
        return f"greatest({', '.join(expressions)})"

    def joined_ids(self, column: str) -> str:
        return f"string_agg(CAST({column} AS text), ',')"

    def table_names(self, conn: Connection) -> list[str]:
        return conn.column("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                           "AND table_type = 'BASE TABLE' ORDER BY table_name")

    def columns_with_default(self, conn: Connection, table: str) -> set[str]:
        return set(conn.column("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                               "current_schema() AND table_name = ? AND column_default IS NOT NULL "
                               "AND upper(column_default) <> 'NULL'", (table,)))

    def total_changes(self, conn: Connection) -> int | None:
        # the current transaction's own counts (a write command is one transaction)
        return conn.value("SELECT CAST(coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) AS bigint) "
                          "FROM pg_stat_xact_user_tables")

    def schema_script(self) -> str:
        return schema_sql()

    def column_definition(self, definition: str) -> str:
        return translate_schema(definition)

    def lock_migrations(self, conn: Connection) -> None:
        # one key for "dangvien migrates this database"; released at the end of the transaction
        conn.execute("SELECT pg_advisory_xact_lock(7166917)")


POSTGRESQL = PostgresDialect()

_PLAN_METHODS = frozenset({"bitmapscan", "hashjoin", "mergejoin", "nestloop", "seqscan", "indexscan", "hashagg",
                           "sort"})


def _plan_method(method: str) -> str:
    """A planner method's name, checked before it is spliced into SET (names come from the store's code)."""
    if method not in _PLAN_METHODS:
        raise ValueError(f"unknown plan method {method!r}")
    return method


def _psycopg(*, required: bool = True):
    try:
        import psycopg
    except ImportError:
        if not required:
            return None
        raise DatabaseProblem(
            "Chưa cài thư viện psycopg để làm việc với máy chủ PostgreSQL.",
            hint="Cài bằng: pip install 'dangvien[postgresql]'.") from None
    return psycopg


def _connection_refused(reason: str) -> DatabaseProblem:
    """What the clerk is told when the server refuses a connection: the cause the server gave, in Vietnamese."""
    missing = re.search(r'database "([^"]+)" does not exist', reason)
    if missing:
        return DatabaseProblem(f"Máy chủ PostgreSQL chưa có cơ sở dữ liệu {missing.group(1)}.",
                               hint=f"Nhờ người quản trị máy chủ tạo (createdb {missing.group(1)}), rồi chạy "
                                    "'dangvien --db ĐỊA_CHỈ db init'.")
    if "password authentication failed" in reason or "no password supplied" in reason:
        return DatabaseProblem("Máy chủ PostgreSQL từ chối tên người dùng hoặc mật khẩu.",
                               hint="Kiểm tra tên người dùng trong địa chỉ và mật khẩu (tệp ~/.pgpass).")
    return DatabaseProblem(
        "Không kết nối được máy chủ PostgreSQL.",
        hint="Kiểm tra địa chỉ trong --db hoặc DANGVIEN_DB, tên người dùng, mật khẩu và máy chủ có đang chạy.")


def connect(url: str) -> Connection:
    """A store connection to a PostgreSQL database, in autocommit mode (the store opens transactions)."""
    psycopg = _psycopg()
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise _connection_refused(str(exc)) from None
    raw.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
    raw.execute("SET client_encoding = 'UTF8'")
    conn = Connection(raw, POSTGRESQL)
    conn.reopen = lambda: connect(url)
    return conn


# --- the schema -------------------------------------------------------------------------------------------
_IDENTITY = re.compile(r"^(\s*id\s+)INTEGER PRIMARY KEY\b", re.MULTILINE)
_NOT_GLOB = re.compile(r"(\w+) NOT GLOB '\*\[\^([^\]]*)\]\*'")
_REAL = re.compile(r"\bREAL\b")
_TEXT_COLUMN = re.compile(r"(?<!\bAS )\bTEXT\b")


def translate_schema(sqlite_schema: str) -> str:
    """The PostgreSQL spelling of the SQLite schema: only the spellings differ, never the meaning.

    - ``id INTEGER PRIMARY KEY`` (SQLite's rowid alias) → an identity column: ids come from the engine;
    - ``x NOT GLOB '*[^0-9]*'`` (only these characters) → ``x !~ '[^0-9]'``;
    - ``REAL`` → ``DOUBLE PRECISION`` (SQLite's REAL is 8 bytes);
    - a ``TEXT`` column → ``TEXT COLLATE "C"``: SQLite compares text by its bytes (BINARY), and so does
      PostgreSQL's "C" collation whatever the server's locale, so ``ORDER BY`` (the names' sort_key above all,
      text.collation_key) and unique codes give the same order and answers on both engines.
    """
    text = _IDENTITY.sub(r"\1INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sqlite_schema)
    text = _NOT_GLOB.sub(lambda m: f"{m.group(1)} !~ '[^{m.group(2)}]'", text)
    text = _REAL.sub("DOUBLE PRECISION", text)
    return _TEXT_COLUMN.sub('TEXT COLLATE "C"', text)


def schema_sql() -> str:
    from dangvien_cli.store import migrations

    return translate_schema(migrations.schema_sql())


# --- the database ----------------------------------------------------------------------------------------
def shown_address(url: str) -> str:
    """The address as a clerk may see it: any password replaced by ***."""
    text = re.sub(r"(://[^/@:]*:)[^@/]*@", r"\1***@", url)
    return re.sub(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", text)


def _database_base():
    from dangvien_cli.store.database import BaseDatabase

    return BaseDatabase


class PostgresDatabase(_database_base()):
    """One database on a PostgreSQL server: each command opens its own connection (autocommit, lock_timeout)
    and one transaction; a reader's is REPEATABLE READ READ ONLY, so a screening sees one snapshot while
    imports go on. Migrations run as on SQLite, under an advisory lock."""

    engine = "postgresql"
    path = None

    def __init__(self, url: str, *, create: bool = False):
        self.url = url
        self.committed = False
        conn = connect(url)
        try:
            from dangvien_cli.store import migrations

            migrations.migrate(conn, create=create)
        except BaseException:
            conn.close()
            raise
        # The connection that checked the schema serves the command's first transaction (one connection
        # set up instead of two at the start of every command).
        self._spare: Connection | None = conn

    @property
    def label(self) -> str:
        return shown_address(self.url)

    def connect(self) -> Connection:
        spare, self._spare = self._spare, None
        return spare if spare is not None else connect(self.url)

    def close(self) -> None:
        spare, self._spare = self._spare, None
        if spare is not None:
            spare.close()

    def _wait_for_lock(self, conn: Connection) -> None:
        """A server has no lock on the whole database, but a restore or an administrator's maintenance may
        hold its tables: probe, without waiting, the lock every write command takes first (a row of the
        audit's ``commands``); if it is held, tell the clerk once, then the command waits LOCK_TIMEOUT_MS."""
        psycopg = _psycopg()
        try:
            conn.execute("BEGIN")
            conn.execute("LOCK TABLE commands IN ROW EXCLUSIVE MODE NOWAIT")
        except psycopg.errors.LockNotAvailable:
            if self.on_wait is not None:
                self.on_wait("Cơ sở dữ liệu đang bận (một lệnh khác đang ghi); đang chờ tối đa "
                             f"{LOCK_TIMEOUT_MS // 1000} giây…")
        finally:
            conn.execute("ROLLBACK")

    def server_version(self, conn: Connection) -> str:
        return conn.value("SHOW server_version")


# --- copies of a server database: pg_dump and psql ---------------------------------------------------------
def client_program(name: str) -> str:
    """The newest installed PostgreSQL client program ``name`` (pg_dump, pg_restore, psql), or a clear refusal:
    a dump must be made by a pg_dump at least as new as the server."""
    import glob
    import shutil

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]),
                   reverse=True) if glob.glob(f"/usr/lib/postgresql/*/bin/{name}") else []
    path = found[0] if found else shutil.which(name)
    if path is None:
        raise DatabaseProblem(
            f"Không tìm thấy chương trình {name} để sao lưu hoặc khôi phục cơ sở dữ liệu trên máy chủ PostgreSQL.",
            hint="Cài gói postgresql-client (cùng phiên bản với máy chủ hoặc mới hơn), rồi chạy lại lệnh.")
    return path


def _run(args: list[str], *, what: str, lock_timeout_ms: int | None = None) -> str:
    import os
    import subprocess

    env = dict(os.environ)
    if lock_timeout_ms is not None:  # never wait without end behind another command's locks
        env["PGOPTIONS"] = f"-c lock_timeout={lock_timeout_ms}"
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        if "lock timeout" in done.stderr or "could not obtain lock" in done.stderr:
            from dangvien_cli.errors import DatabaseBusy

            raise DatabaseBusy("Cơ sở dữ liệu đang bận: một lệnh khác đang ghi. Không có gì được ghi.",
                               hint="Chờ lệnh kia xong rồi chạy lại lệnh này.")
        raise DatabaseProblem(f"{what} không thành công ({os.path.basename(args[0])} báo lỗi).",
                              hint="Kiểm tra địa chỉ máy chủ, quyền của người dùng và chỗ trống trên đĩa.")
    return done.stdout


def dump(url: str, dest) -> None:
    """A consistent copy of the database in pg_dump's custom format (one snapshot: safe while others write)."""
    _run([client_program("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={dest}",
          f"--dbname={url}"], what="Sao lưu")


def dump_tables(path) -> set[str] | None:
    """The tables whose data a pg_dump archive holds, or None when ``path`` is not such an archive."""
    import subprocess

    with open(path, "rb") as fh:
        if fh.read(5) != b"PGDMP":
            return None
    done = subprocess.run([client_program("pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        return None
    return set(re.findall(r"TABLE DATA \S+ (\w+) ", done.stdout))


def dump_version(path) -> int:
    """The schema version recorded in a pg_dump archive (its schema_migrations rows)."""
    script = _run([client_program("pg_restore"), "--data-only", "--table=schema_migrations", "--file=-", str(path)],
                  what="Đọc bản sao lưu")
    rows = re.search(r"COPY \S*schema_migrations \([^)]*\) FROM stdin;\n(.*?)\n\\\.", script, re.S)
    versions = [int(line.split("\t", 1)[0]) for line in rows.group(1).splitlines()] if rows else []
    return max(versions, default=0)


def replace_from_dump(url: str, source, tables: list[str], lock_timeout_ms: int) -> None:
    """Give the database the content of a pg_dump archive in one transaction: the tables of dangvien are
    dropped and the archive's schema and rows restored (psql --single-transaction: all or nothing)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="dangvien-restore-") as folder:
        script = Path(folder) / "restore.sql"
        _run([client_program("pg_restore"), "--no-owner", "--no-privileges", f"--file={script}", str(source)],
             what="Đọc bản sao lưu")
        drop = f"DROP TABLE IF EXISTS {', '.join(tables)} CASCADE" if tables else "SELECT 1"
        _run([client_program("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction",
              "-c", drop, "-f", str(script), f"--dbname={url}"], what="Khôi phục",
             lock_timeout_ms=lock_timeout_ms)
