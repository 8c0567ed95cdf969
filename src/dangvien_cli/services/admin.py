"""The database file itself: info, checks, log, backup and restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from dangvien_cli.errors import DatabaseProblem, InvalidValue
from dangvien_cli.rules.chronology import date_problems
from dangvien_cli.rules.membership import ON_ROLL
from dangvien_cli.services.cells import ALLOWED_PARENTS
from dangvien_cli.services.common import MEMBER_KINDS
from dangvien_cli.store import migrations
from dangvien_cli.store.database import Database
from dangvien_cli.text import collation_key, search_key
from dangvien_cli.vocab import ORG_KIND

COUNTED_TABLES = ("cells", "members", "member_events", "candidates", "member_ratings", "attendance_books",
                  "dues_books", "imports", "screening_runs", "screening_findings")


def info(db: Database) -> dict:
    conn = db.raw_connection()
    try:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED_TABLES}
        version = migrations.current_version(conn)
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    return {"path": str(db.path), "schema_version": version, "journal_mode": mode,
            "size_bytes": db.path.stat().st_size, "counts": counts}


def check(db: Database) -> list[dict]:
    """SQLite integrity, foreign keys, and the domain invariants; each problem as {check, where, message}."""
    problems: list[dict] = []
    with db.engine.connect() as conn:
        for (msg,) in conn.exec_driver_sql("PRAGMA integrity_check"):
            if msg != "ok":
                problems.append({"check": "integrity", "where": None, "message": msg})
        for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append({"check": "foreign_key", "where": f"{table}#{rowid}",
                             "message": f"Dòng {rowid} của bảng {table} trỏ tới {parent} không tồn tại."})
        cells = {r.id: r for r in conn.execute(text("SELECT id, code, name, kind, parent_id, valid_to FROM cells"))}
        for cell in cells.values():
            parent = cells.get(cell.parent_id)
            if (parent.kind if parent else None) not in ALLOWED_PARENTS[cell.kind]:
                problems.append({"check": "cell_parent_kind", "where": cell.code,
                                 "message": f"{ORG_KIND.label(cell.kind)} '{cell.name}' nằm dưới "
                                 f"{'cấp cao nhất' if parent is None else ORG_KIND.label(parent.kind).lower()} (§1.6)."})
            seen, node = set(), cell
            while node is not None and node.parent_id is not None:
                if node.id in seen:
                    problems.append({"check": "cell_cycle", "where": cell.code,
                                     "message": f"Cây tổ chức có vòng lặp ở '{cell.name}'."})
                    break
                seen.add(node.id)
                node = cells.get(node.parent_id)
        rows = conn.execute(text(
            "SELECT id, full_name, search_key, sort_key, membership, status, cell_id, host_cell_id, "
            "admission_date, official_date, decision_date, birth_date FROM members"))
        for m in rows:
            where = f"member#{m.id}"
            cell = cells.get(m.cell_id)
            if m.status in ON_ROLL:
                if cell is not None and cell.valid_to:
                    problems.append({"check": "member_in_dissolved_cell", "where": where,
                                     "message": f"Đảng viên mã số {m.id} còn ở tổ chức đã giải thể '{cell.name}'."})
                if cell is not None and cell.kind not in MEMBER_KINDS:
                    problems.append({"check": "member_cell_kind", "where": where,
                                     "message": f"Đảng viên mã số {m.id} sinh hoạt trực tiếp ở "
                                     f"{ORG_KIND.label(cell.kind).lower()} '{cell.name}'."})
            if m.search_key != search_key(m.full_name) or m.sort_key != collation_key(m.full_name):
                problems.append({"check": "stale_search_key", "where": where,
                                 "message": f"Khóa tìm kiếm của đảng viên mã số {m.id} không khớp họ tên."})
            for p in date_problems(m.birth_date, m.decision_date, m.admission_date, m.official_date):
                problems.append({"check": p.code, "where": where,
                                 "message": f"Đảng viên mã số {m.id}: {p.message} ({p.rule}). {p.hint}"})
            if m.membership == "probationary" and m.official_date:
                problems.append({"check": "probationary_with_official_date", "where": where,
                                 "message": f"Đảng viên mã số {m.id} là dự bị nhưng có ngày chính thức."})
        for (mid,) in conn.execute(text(
                "SELECT m.id FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_events e WHERE e.member_id = m.id)")):
            problems.append({"check": "member_without_history", "where": f"member#{mid}",
                             "message": f"Đảng viên mã số {mid} không có dòng lịch sử nào."})
    return problems


def log(db: Database, *, limit: int = 50) -> list[dict]:
    """The latest changes, newest first: member events, organization events and imports."""
    sql = (
        "SELECT created_at, 'member' AS kind, member_id AS subject, event, field, old_value, new_value, source "
        "FROM member_events UNION ALL "
        "SELECT created_at, 'cell', cell_id, event, field, old_value, new_value, source FROM cell_events "
        "UNION ALL SELECT created_at, 'import', id, kind, file_name, NULL, "
        "printf('%d mới, %d sửa, %d giữ nguyên', created, updated, unchanged), 'import' FROM imports "
        "ORDER BY created_at DESC LIMIT :limit")
    with db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), {"limit": limit}).mappings()]


def _verify(path: Path) -> int:
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
    if version == 0:
        raise DatabaseProblem(f"Tệp {path.name} không phải là cơ sở dữ liệu của dangvien.")
    if version > migrations.LATEST:
        raise DatabaseProblem(f"Tệp {path.name} có lược đồ phiên bản {version}, mới hơn chương trình này.",
                              hint="Cập nhật dangvien trước khi khôi phục.")
    return version


def backup(db: Database, dest: Path) -> dict:
    """A consistent copy through SQLite's backup API (safe while others write), verified, then moved in place."""
    dest = dest.expanduser()
    if dest.exists() and dest.is_dir():
        dest = dest / f"dangvien-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.db"
    if dest.resolve() == db.path.resolve():
        raise InvalidValue("Tệp sao lưu trùng với tệp cơ sở dữ liệu đang dùng.", hint="Chọn một đường dẫn khác.")
    if not dest.parent.exists():
        raise InvalidValue(f"Thư mục {dest.parent} không tồn tại.", hint="Tạo thư mục trước hoặc chọn nơi khác.")
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
        version = _verify(tmp)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return {"path": str(dest), "schema_version": version, "size_bytes": dest.stat().st_size}


def restore(path: Path, source: Path) -> dict:
    """Verify ``source``, keep the current file beside it, then replace the database's content."""
    source = source.expanduser()
    if not source.exists():
        raise InvalidValue(f"Không có tệp {source}.")
    _verify(source)
    kept = None
    if path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        kept = path.with_name(f"{path.name}.before-restore-{stamp}")
        current = Database(path)
        try:
            backup(current, kept)
        finally:
            current.close()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
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
        version = migrations.current_version(restored.raw_connection())
    finally:
        restored.close()
    return {"path": str(path), "restored_from": str(source), "kept": str(kept) if kept else None,
            "schema_version": version}
