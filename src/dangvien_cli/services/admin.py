"""The database file itself: info, checks, log, backup and restore."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from dangvien_cli.errors import InvalidValue
from dangvien_cli.rules.chronology import date_problems
from dangvien_cli.rules.membership import ON_ROLL
from dangvien_cli.rules.organization import ALLOWED_PARENTS, MEMBER_KINDS
from dangvien_cli.store import admin as store
from dangvien_cli.store import audit
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import BaseDatabase, Database
from dangvien_cli.text import collation_key, search_key
from dangvien_cli.vocab import ORG_KIND


def info(db: BaseDatabase, conn: Connection) -> dict:
    """What ``db info`` says. ``path`` is the file, or the server address (password masked); ``engine`` and
    ``server_version`` say which engine holds the data."""
    size = db.path.stat().st_size if db.path is not None else store.server_size(conn)
    return {"path": db.label, "schema_version": store.schema_version(conn),
            "journal_mode": store.journal_mode(conn), "size_bytes": size,
            "counts": store.counts(conn), "engine": conn.dialect.name,
            "server_version": store.server_version(conn)}


def check(conn: Connection) -> list[dict]:
    """SQLite integrity, foreign keys, and the domain invariants; each problem as {check, where, message}.
    Only reads: run it in a read snapshot, which never waits for a writer."""
    problems: list[dict] = []
    for msg in store.integrity_problems(conn):
        problems.append({"check": "integrity", "where": None, "message": msg,
                         "fix": "Khôi phục bản sao lưu gần nhất: dangvien db restore TỆP_SAO_LƯU."})
    for table, rowid, parent in store.foreign_key_problems(conn):
        problems.append({"check": "foreign_key", "where": f"{table}#{rowid}",
                         "message": f"Dòng {rowid} của bảng {table} trỏ tới {parent} không tồn tại.",
                         "fix": "Khôi phục bản sao lưu gần nhất: dangvien db restore TỆP_SAO_LƯU."})
    cells = store.cells_for_check(conn)
    for cell in cells.values():
        parent = cells.get(cell.parent_id)
        if (parent.kind if parent else None) not in ALLOWED_PARENTS[cell.kind]:
            problems.append({"check": "cell_parent_kind", "where": cell.code,
                             "message": f"{ORG_KIND.label(cell.kind)} '{cell.name}' nằm dưới "
                             f"{'cấp cao nhất' if parent is None else ORG_KIND.label(parent.kind).lower()} "
                             "(Điều lệ Đảng, Điều 21, 24).",
                             "fix": f"dangvien cells move {cell.code} --parent MÃ_CẤP_TRÊN"})
        seen, node = set(), cell
        while node is not None and node.parent_id is not None:
            if node.id in seen:
                problems.append({"check": "cell_cycle", "where": cell.code,
                                 "message": f"Cây tổ chức có vòng lặp ở '{cell.name}'.",
                                 "fix": f"dangvien cells move {cell.code} --parent MÃ_CẤP_TRÊN"})
                break
            seen.add(node.id)
            node = cells.get(node.parent_id)
    for m in store.members_for_check(conn):
        where = f"member#{m.id}"
        cell = cells.get(m.cell_id)
        if m.status in ON_ROLL:
            if cell is not None and cell.valid_to:
                problems.append({"check": "member_in_dissolved_cell", "where": where,
                                 "message": f"Đảng viên mã số {m.id} còn ở tổ chức đã giải thể '{cell.name}'.",
                                 "fix": f"dangvien members transfer {m.id} --to MÃ_CHI_BỘ"})
            if cell is not None and cell.kind not in MEMBER_KINDS:
                problems.append({"check": "member_cell_kind", "where": where,
                                 "message": f"Đảng viên mã số {m.id} sinh hoạt trực tiếp ở "
                                 f"{ORG_KIND.label(cell.kind).lower()} '{cell.name}'.",
                                 "fix": f"dangvien members transfer {m.id} --to MÃ_CHI_BỘ"})
        if m.search_key != search_key(m.full_name) or m.sort_key != collation_key(m.full_name):
            problems.append({"check": "stale_search_key", "where": where,
                             "message": f"Khóa tìm kiếm của đảng viên mã số {m.id} không khớp họ tên.",
                             "fix": f"Ghi lại họ tên: dangvien members update {m.id} --full-name \"Họ và tên\""})
        for p in date_problems(m.birth_date, m.decision_date, m.admission_date, m.official_date):
            problems.append({"check": p.code, "where": where,
                             "message": f"Đảng viên mã số {m.id}: {p.message} ({p.rule}).",
                             "fix": f"{p.hint} (dangvien members update {m.id} --{p.field.replace('_', '-')} …)"})
        if m.membership == "probationary" and m.official_date:
            problems.append({"check": "probationary_with_official_date", "where": where,
                             "message": f"Đảng viên mã số {m.id} là dự bị nhưng có ngày chính thức.",
                             "fix": f"Nếu đã được công nhận: dangvien admissions recognize {m.id} --date dd/mm/yyyy; "
                                    f"nếu ngày ghi nhầm: dangvien members update {m.id} --official-date \"\""})
    for mid in store.members_without_history(conn):
        problems.append({"check": "member_without_history", "where": f"member#{mid}",
                         "message": f"Đảng viên mã số {mid} không có dòng lịch sử nào.",
                         "fix": "Không cần sửa gì: hồ sơ được ghi trước khi có lịch sử; mọi thay đổi từ nay được ghi."})
    return problems


def log(conn: Connection, *, limit: int = 50) -> list[dict]:
    """The latest changes, newest first: member events, organization events, imports and the commands that
    changed only settings, each with the operating-system user and the command line (personal data masked)."""
    return [dict(r) for r in audit.log(conn, limit=limit)]


def backup(db: BaseDatabase, dest: Path) -> dict:
    """A consistent copy (safe while others write), verified, then moved in place: through SQLite's backup API
    for a file, pg_dump's custom format for a server database."""
    dest = dest.expanduser()
    if dest.exists() and dest.is_dir():
        suffix = ".db" if db.path is not None else ".dump"
        dest = dest / f"dangvien-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}{suffix}"
    if db.path is None:
        if not dest.parent.exists():
            raise InvalidValue(f"Thư mục {dest.parent} không tồn tại.", hint="Tạo thư mục trước hoặc chọn nơi khác.")
        version = store.dump_to(db, dest)
        return {"path": str(dest), "schema_version": version, "size_bytes": dest.stat().st_size}
    if dest.resolve() == db.path.resolve():
        raise InvalidValue("Tệp sao lưu trùng với tệp cơ sở dữ liệu đang dùng.", hint="Chọn một đường dẫn khác.")
    if not dest.parent.exists():
        raise InvalidValue(f"Thư mục {dest.parent} không tồn tại.", hint="Tạo thư mục trước hoặc chọn nơi khác.")
    version = store.copy_to(db, dest)
    return {"path": str(dest), "schema_version": version, "size_bytes": dest.stat().st_size}


def note_restore(conn: Connection) -> None:
    """Leave the restore in the restored file's own log (its rows came from the copy, this one did not)."""
    audit.keep_command(conn)


def restore_server(db: BaseDatabase, source: Path) -> dict:
    """A server database given the content of a pg_dump archive (verified first); the current content is
    kept beside the archive as a dump of its own, and the restored one brought to the newest schema."""
    source = source.expanduser()
    if not source.exists():
        raise InvalidValue(f"Không có tệp {source}.")
    store.verify_dump(source)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    kept = source.with_name(f"{source.stem}.before-restore-{stamp}.dump")
    store.check_server_not_busy(db)
    backup(db, kept)
    try:
        version = store.replace_server_content(db, source)
    except BaseException:
        kept.unlink(missing_ok=True)  # nothing was replaced: the copy of the unchanged database is not needed
        raise
    return {"path": db.label, "restored_from": str(source), "kept": str(kept), "schema_version": version}


def restore(path: Path, source: Path) -> dict:
    """Verify ``source``, keep the current file beside it, then replace the database's content."""
    source = source.expanduser()
    if not source.exists():
        raise InvalidValue(f"Không có tệp {source}.")
    store.verify(source)
    kept = None
    if path.exists():
        store.check_not_busy(path)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        kept = path.with_name(f"{path.name}.before-restore-{stamp}")
        current = Database(path)
        try:
            backup(current, kept)
        finally:
            current.close()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    version = store.replace_content(path, source)
    return {"path": str(path), "restored_from": str(source), "kept": str(kept) if kept else None,
            "schema_version": version}


def safety_copy(db: Database, conn: Connection, reason: str) -> str | None:
    """Keep a verified copy before a change that touches many records (a dissolution, removals decided in a
    screening, a re-import that changes many members); returns where it is. A server database (PostgreSQL)
    is backed up by its own administrator: no copy is made there."""
    if conn.dialect.name != "sqlite":
        return None
    from dangvien_cli.services.settings import effective

    keep = int(effective(conn)["backup.keep_copies"])
    return str(store.keep_copy(db, reason, keep))



@contextmanager
def copies_before_change(db: Database) -> Iterator[list[str]]:
    """Around a command that may make safety copies (:func:`safety_copy`, appended to the yielded list): a
    copy made for a change that was then refused or stopped before its commit is removed — nothing changed,
    nothing to keep; once the change is committed, the copy stays whatever happens next."""
    copies: list[str] = []
    try:
        yield copies
    except BaseException:
        if not db.committed:
            for path in filter(None, copies):  # None: no copy (a server database)
                Path(path).unlink(missing_ok=True)
        raise
