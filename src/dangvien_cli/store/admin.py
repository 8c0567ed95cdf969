"""The database file itself: what it holds, whether it is sound, and copies of it.

SQLite's own statements (``PRAGMA``, ``sqlite_master``, the backup API) live here and nowhere else; a server
engine answers these questions with its own tools (issue 11).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from dangvien_cli.errors import DatabaseProblem
from dangvien_cli.store import migrations
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.store.database import Database

#: the tables whose row counts ``db info`` shows
COUNTED_TABLES = ("cells", "members", "member_events", "candidates", "member_ratings", "attendance_books",
                  "dues_books", "imports", "screening_runs", "screening_findings", "commands")


def counts(conn: Connection) -> dict[str, int]:
    return {t: conn.value(f"SELECT count(*) FROM {t}") for t in COUNTED_TABLES}


def schema_version(conn: Connection) -> int:
    return migrations.current_version(conn)


def journal_mode(conn: Connection) -> str | None:
    """SQLite's journal mode (WAL); None on a server, which keeps its own write-ahead log."""
    return conn.value("PRAGMA journal_mode") if conn.dialect.name == "sqlite" else None


def server_version(conn: Connection) -> str:
    """The engine's version: SQLite's library, or the PostgreSQL server's."""
    if conn.dialect.name == "sqlite":
        return conn.value("SELECT sqlite_version()")
    return conn.value("SHOW server_version")


def server_size(conn: Connection) -> int:
    """The size of a server database in bytes."""
    return conn.value("SELECT pg_database_size(current_database())")


def integrity_problems(conn: Connection) -> list[str]:
    """The engine's own check of its storage: every message other than 'ok'. SQLite reads every page
    (integrity_check); on PostgreSQL the catalogue is asked for indexes left invalid or not ready (a failed
    CREATE INDEX CONCURRENTLY, a crash during a build) and constraints not validated."""
    if conn.dialect.name == "sqlite":
        return [msg for msg in conn.column("PRAGMA integrity_check") if msg != "ok"]
    problems = [f"Chỉ mục {name} không dùng được (cần REINDEX)." for name in conn.column(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE c.relnamespace = CAST(current_schema() AS regnamespace) "
        "AND NOT (i.indisvalid AND i.indisready AND i.indislive) ORDER BY 1")]
    problems += [f"Ràng buộc {name} chưa được kiểm tra trên dữ liệu cũ." for name in conn.column(
        "SELECT conname FROM pg_constraint WHERE connamespace = CAST(current_schema() AS regnamespace) "
        "AND NOT convalidated ORDER BY 1")]
    return problems


def foreign_key_problems(conn: Connection) -> list[tuple[str, int, str]]:
    """Rows whose foreign key points nowhere: (table, row id, referenced table). PostgreSQL enforces every
    foreign key on every write (there is no switch to turn them off, as SQLite has), so it has none to list."""
    if conn.dialect.name != "sqlite":
        return []
    return [(table, rowid, parent) for table, rowid, parent, _ in conn.rows("PRAGMA foreign_key_check")]


def cells_for_check(conn: Connection) -> dict[int, Record]:
    return {r.id: r for r in conn.records("SELECT id, code, name, kind, parent_id, valid_to FROM cells")}


def members_for_check(conn: Connection) -> Iterator[Record]:
    """Every member, streamed (a province holds hundreds of thousands), with what the checks compare."""
    cur = conn.execute("SELECT id, full_name, search_key, sort_key, membership, status, cell_id, host_cell_id, "
                       "admission_date, official_date, decision_date, birth_date FROM members")
    names = [d[0] for d in cur.description]
    for row in cur:
        yield Record(zip(names, row, strict=True))


def members_without_history(conn: Connection) -> list[int]:
    return conn.column("SELECT m.id FROM members m WHERE NOT EXISTS "
                       "(SELECT 1 FROM member_events e WHERE e.member_id = m.id)")


# --- copies of the file ---------------------------------------------------------------------------------

def _restorable_version(path: Path, version: int) -> int:
    """The schema version of a copy, refused when it is not dangvien's or newer than this program."""
    if version == 0:
        raise DatabaseProblem(f"Tệp {path.name} không phải là cơ sở dữ liệu của dangvien.")
    if version > migrations.LATEST:
        raise DatabaseProblem(f"Tệp {path.name} có lược đồ phiên bản {version}, mới hơn chương trình này.",
                              hint="Cập nhật dangvien trước khi khôi phục.")
    return version


def verify(path: Path) -> int:
    """Open ``path`` read-only, run the integrity check; return its schema version or raise."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        raise DatabaseProblem(f"Không mở được tệp {path.name}.") from None
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise DatabaseProblem(f"Tệp {path.name} bị hỏng: {result}.")
        version = migrations.current_version(conn)
    except sqlite3.DatabaseError:
        raise DatabaseProblem(f"Tệp {path.name} không phải là cơ sở dữ liệu SQLite hợp lệ.") from None
    finally:
        conn.close()
    return _restorable_version(path, version)


def copy_to(db: Database, dest: Path) -> int:
    """A consistent copy of ``db`` at ``dest`` through SQLite's backup API (safe while others write): written
    beside it as a private ``.partial`` file, verified, then moved in place. Returns its schema version."""
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    src = db.raw_connection()
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
        version = verify(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return version


def copies_folder(path: Path) -> Path:
    """Where the safety copies of the database file ``path`` are kept: a private folder beside it."""
    return path.with_name(f"{path.name}.sao-luu")


def keep_copy(db: Database, reason: str, keep: int) -> Path:
    """A verified copy of the database as it stands (the last commit: a writer's uncommitted work is not in
    it), in :func:`copies_folder`, named by time and reason; only the newest ``keep`` are kept."""
    from datetime import UTC, datetime

    folder = copies_folder(db.path)
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    safe = "".join(ch if ch.isalnum() or ch in "-." else "-" for ch in reason)[:40]
    dest = folder / f"{stamp}-{safe}.db"
    copy_to(db, dest)
    copies = sorted(p for p in folder.glob("*.db") if p.is_file())
    for old in copies[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return dest


# --- copies of a server database (PostgreSQL: pg_dump / pg_restore / psql, store/postgres.py) -----------

def dump_to(db, dest: Path) -> int:
    """A verified pg_dump archive of the server database at ``dest`` (private, written beside it first)."""
    from dangvien_cli.store import postgres

    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        postgres.dump(db.url, tmp)
        version = verify_dump(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return version


def verify_dump(path: Path) -> int:
    """Check that ``path`` is a pg_dump archive of a dangvien database this program understands; its version."""
    from dangvien_cli.store import postgres

    tables = postgres.dump_tables(path)
    if tables is None:
        hint = ("Đây là tệp SQLite: khôi phục nó bằng --db TỆP, không phải vào máy chủ."
                if path.read_bytes()[:16] == b"SQLite format 3\x00" else None)
        raise DatabaseProblem(f"Tệp {path.name} không phải là bản sao lưu PostgreSQL (pg_dump) hợp lệ.", hint=hint)
    version = postgres.dump_version(path) if "schema_migrations" in tables else 0
    return _restorable_version(path, version)


def check_server_not_busy(db) -> None:
    """Refuse, after the usual bounded wait, while another command holds a lock a restore needs."""
    probe = db.connect()
    try:
        with probe.transaction(write=True):
            tables = probe.dialect.table_names(probe)
            probe.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
    finally:
        probe.close()


def replace_server_content(db, source: Path) -> int:
    """Replace every table of the server database by the archive's, in one transaction, then migrate."""
    from dangvien_cli.store import postgres
    from dangvien_cli.store.database import open_database

    conn = db.connect()
    try:
        tables = conn.dialect.table_names(conn)
    finally:
        conn.close()
    postgres.replace_from_dump(db.url, source, tables, postgres.LOCK_TIMEOUT_MS)
    restored = open_database(db.url, create=False)  # migrates an older copy forward
    conn = restored.connect()
    try:
        return migrations.current_version(conn)
    finally:
        conn.close()


def check_not_busy(path: Path) -> None:
    """Refuse, after the usual bounded wait, while another command holds the write lock of ``path``. The
    backup API used by a restore would otherwise wait without end behind an import."""
    probe = Database(path).connect()
    try:
        with probe.transaction(write=True):
            pass
    finally:
        probe.close()


def replace_content(path: Path, source: Path) -> int:
    """Give the database at ``path`` the content of the (verified) file ``source``, through a private copy and
    the backup API, then bring it to the newest schema. Returns the schema version."""
    tmp = path.with_name(path.name + ".restoring")
    tmp.unlink(missing_ok=True)
    shutil.copyfile(source, tmp)
    os.chmod(tmp, 0o600)
    src = sqlite3.connect(tmp)
    try:
        target = sqlite3.connect(path)
        try:
            src.backup(target)
        finally:
            target.close()
    finally:
        src.close()
        tmp.unlink(missing_ok=True)
    restored = Database(path)  # migrates an older copy forward
    try:
        conn = restored.raw_connection()
        try:
            return migrations.current_version(conn)
        finally:
            conn.close()
    finally:
        restored.close()
