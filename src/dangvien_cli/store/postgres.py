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
from functools import lru_cache
from typing import Any

from dangvien_cli.errors import DatabaseProblem
from dangvien_cli.store.connection import Connection, Dialect

# PostgreSQL error classes (SQLSTATE) that mean "another session holds what we need": wait and try again later.
_BUSY_STATES = {"55P03", "40001", "40P01", "57014"}
# Lost or refused connections (connection exceptions; the server shut down or ended this session).
_CONNECTION_CLASSES = ("08", "57P01", "57P02", "57P03")

LOCK_TIMEOUT_MS = 10_000


def is_url(text: str | None) -> bool:
    """Whether a ``--db`` value names a PostgreSQL database (URL or libpq key=value string)."""
    if not text:
        return False
    lowered = text.strip().lower()
    return lowered.startswith(("postgresql://", "postgres://")) or bool(
        re.match(r"^(host|dbname|user|port|service)=", lowered))


@lru_cache(maxsize=2048)
def _rewrite(statement: str) -> str:
    """``?`` placeholders → ``%s`` and a literal ``%`` → ``%%``, outside quoted strings and identifiers."""
    out: list[str] = []
    quote: str | None = None
    for ch in statement:
        if quote:
            out.append("%%" if ch == "%" else ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


class PostgresDialect(Dialect):
    name = "postgresql"
    placeholder = "%s"

    def sql(self, statement: str) -> str:
        return _rewrite(statement)

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

    def executemany(self, raw: Any, sql: str, rows) -> None:
        with raw.cursor() as cur:
            cur.executemany(sql, rows)

    def in_transaction(self, raw: Any) -> bool:
        psycopg = _psycopg()
        return raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def begin(self, *, write: bool) -> str:
        # A reader sees one snapshot of the whole database for the whole command (a screening while imports
        # go on); a writer takes row locks as it goes and waits at most LOCK_TIMEOUT_MS for one.
        return "BEGIN" if write else "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"


POSTGRESQL = PostgresDialect()


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


def connect(url: str) -> Connection:
    """A store connection to a PostgreSQL database, in autocommit mode (the store opens transactions)."""
    psycopg = _psycopg()
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error:
        raise DatabaseProblem(
            "Không kết nối được máy chủ PostgreSQL.",
            hint="Kiểm tra địa chỉ trong --db hoặc DANGVIEN_DB, tên người dùng, mật khẩu và máy chủ có đang chạy.",
        ) from None
    raw.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
    raw.execute("SET client_encoding = 'UTF8'")
    return Connection(raw, POSTGRESQL)


# --- the schema -------------------------------------------------------------------------------------------
_IDENTITY = re.compile(r"^(\s*id\s+)INTEGER PRIMARY KEY\b", re.MULTILINE)
_NOT_GLOB = re.compile(r"(\w+) NOT GLOB '\*\[\^([^\]]*)\]\*'")
_REAL = re.compile(r"\bREAL\b")


def translate_schema(sqlite_schema: str) -> str:
    """The PostgreSQL spelling of the SQLite schema: only the spellings differ, never the meaning.

    - ``id INTEGER PRIMARY KEY`` (SQLite's rowid alias) → an identity column: ids come from the engine;
    - ``x NOT GLOB '*[^0-9]*'`` (only these characters) → ``x !~ '[^0-9]'``;
    - ``REAL`` → ``DOUBLE PRECISION`` (SQLite's REAL is 8 bytes).
    """
    text = _IDENTITY.sub(r"\1INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sqlite_schema)
    text = _NOT_GLOB.sub(lambda m: f"{m.group(1)} !~ '[^{m.group(2)}]'", text)
    return _REAL.sub("DOUBLE PRECISION", text)


def schema_sql() -> str:
    from dangvien_cli.store import migrations

    return translate_schema(migrations.schema_sql())
