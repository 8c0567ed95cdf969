"""dangvien db: the database file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, history_columns, set_limit
from dangvien_cli.cli.context import STATE, database
from dangvien_cli.cli.output import Col, Format
from dangvien_cli.formats import number_vi

app = typer.Typer(help="Tệp cơ sở dữ liệu: tạo, xem thông tin, kiểm tra, sao lưu, khôi phục.", no_args_is_help=True)


# What each table holds, as `db info` says it.
TABLES = {"cells": "Tổ chức đảng", "members": "Đảng viên", "member_events": "Sự kiện trong lịch sử",
          "candidates": "Hồ sơ kết nạp", "member_ratings": "Kết quả xếp loại", "attendance_books": "Sổ sinh hoạt",
          "dues_books": "Sổ đảng phí", "imports": "Lần nhập tệp", "screening_runs": "Lần rà soát",
          "screening_findings": "Mục rà soát", "commands": "Lệnh đã ghi (nhật ký)"}


@app.command("init")
def init() -> None:
    """Tạo cơ sở dữ liệu (nếu chưa có) và áp dụng lược đồ mới nhất.

    Ví dụ: dangvien --db chibo.db db init
    """
    db = database(create=True)
    output.success(f"Cơ sở dữ liệu sẵn sàng: {db.label}")


@app.command("info")
def info(fmt: FormatOpt = Format.table) -> None:
    """Tệp đang dùng, phiên bản lược đồ và số dòng mỗi bảng.

    Ví dụ: dangvien db info --format json
    """
    from dangvien_cli.services import admin

    db = database()
    with db.read() as conn:
        data = admin.info(db, conn)
    shown = data | {f"count_{k}": number_vi(v) for k, v in data["counts"].items()}
    engine = {"sqlite": "SQLite (một tệp)", "postgresql": "PostgreSQL (máy chủ)"}[data["engine"]]
    shown["engine_label"] = f"{engine} {data['server_version']}"
    labels = [Col("path", "Tệp" if data["engine"] == "sqlite" else "Máy chủ"),
              Col("engine_label", "Hệ quản trị"), Col("schema_version", "Phiên bản lược đồ"),
              Col("size_bytes", "Dung lượng", show=lambda d: f"{number_vi(d['size_bytes'])} byte")]
    labels += [Col(f"count_{k}", TABLES.get(k, f"Số dòng {k}")) for k in data["counts"]]
    output.emit_record(shown, labels, title="Cơ sở dữ liệu", json_data=data,
                       csv_columns=[("path", "path"), ("schema_version", "schema_version"),
                                    ("size_bytes", "size_bytes"), ("engine", "engine"),
                                    ("server_version", "server_version")])


@app.command("check")
def check(fmt: FormatOpt = Format.table) -> None:
    """Kiểm tra toàn vẹn (tệp SQLite: từng trang; máy chủ PostgreSQL: chỉ mục và ràng buộc trong danh mục), khóa
    ngoại và các ràng buộc nghiệp vụ; liệt kê từng vấn đề.

    Thoát mã 1 nếu có vấn đề. Ví dụ: dangvien db check
    """
    from dangvien_cli.services import admin

    with database().read() as conn:  # a reader: never waits for a writer, never mistakes "busy" for a problem
        problems = admin.check(conn)
    if fmt is Format.json:
        output.emit_json({"ok": not problems, "problems": problems})
    elif problems:
        output.emit_rows(problems, [Col("check", "Kiểm tra", rank=2), Col("where", "Ở đâu", rank=0),
                                    Col("message", "Vấn đề", wrap=True, rank=0),
                                    Col("fix", "Cách sửa", wrap=True, rank=1)], fmt)
    if problems:
        output.error(f"Có {len(problems)} vấn đề.", "Sửa từng mục theo cột 'Cách sửa' rồi chạy lại 'dangvien db check'.")
        raise typer.Exit(1)
    if fmt is not Format.json:
        output.success("Không có vấn đề nào.")


@app.command("log")
def log(limit: Annotated[int, typer.Option("--limit", "-n", help="Số dòng tối đa.", min=1, callback=set_limit)] = 50,
        fmt: FormatOpt = Format.table) -> None:
    """Những thay đổi gần nhất (đảng viên, tổ chức, nhập tệp, thiết lập), mới nhất trước, với người dùng máy tính
    và dòng lệnh đã ghi (họ tên, ngày sinh, số thẻ, số định danh… được che bằng ***).

    Ví dụ: dangvien db log -n 20
    """
    from dangvien_cli.services import admin

    with database().read() as conn:
        rows = admin.log(conn, limit=limit)
    output.emit_rows(rows, _log_columns(), title="Những thay đổi gần nhất", csv_columns=[(k, k) for k in LOG_KEYS])


LOG_KEYS = ("created_at", "kind", "subject", "event", "field", "old_value", "new_value", "source", "import_id",
            "command_id", "os_user", "command_line")


def _log_columns() -> list[Col]:
    """db log at 80 columns: when, about whom, what, the new value, then the (masked) command and the user; the
    old value and the field give way first. Rows older than the audit know only their source."""
    from dataclasses import replace

    from dangvien_cli import vocab

    ranks = {"created_at": 0, "event": 0, "new_value": 1, "old_value": 4, "field": 5}
    kept = {c.key: replace(c, rank=ranks[c.key]) for c in history_columns(subject=True) if c.key in ranks}
    about = Col("subject", "Về", rank=0, show=lambda r: f"{vocab.LOG_KIND.label(r.get('kind'))} {r.get('subject')}")
    command = Col("command_line", "Lệnh", wrap=True, rank=2,
                  show=lambda r: r.get("command_line") or r.get("source"))
    return [kept["created_at"], about, kept["event"], kept["field"], kept["old_value"], kept["new_value"], command,
            Col("os_user", "Người dùng", rank=3)]


@app.command("backup")
def backup(dest: Annotated[Path, typer.Argument(help="Tệp (hoặc thư mục) sao lưu.")]) -> None:
    """Sao lưu nhất quán (kể cả khi đang có người ghi) và kiểm tra bản sao sau khi ghi. Trên máy chủ PostgreSQL,
    bản sao lưu là tệp pg_dump (cần gói postgresql-client).

    Ví dụ: dangvien db backup /media/usb/dangvien-2026.db
    """
    from dangvien_cli.services import admin

    result = admin.backup(database(), dest)
    output.success(f"Đã sao lưu và kiểm tra: {result['path']} ({number_vi(result['size_bytes'])} byte).")


@app.command("restore")
def restore(src: Annotated[Path, typer.Argument(help="Tệp sao lưu để khôi phục.")]) -> None:
    """Khôi phục từ bản sao lưu: kiểm tra bản sao trước, giữ lại tệp cũ bên cạnh rồi mới thay. Trên máy chủ
    PostgreSQL: từ tệp pg_dump, trong một giao dịch; bản của dữ liệu cũ được giữ cạnh tệp sao lưu.

    Ví dụ: dangvien db restore /media/usb/dangvien-2026.db
    """
    from dangvien_cli.services import admin

    if STATE.on_server:
        result = admin.restore_server(database(), src)
    else:
        result = admin.restore(STATE.db_path.expanduser(), src)
    with database().write() as conn:  # the restored file records who restored it, when, from which file
        admin.note_restore(conn)
    if result["kept"]:
        output.info(f"Tệp cũ được giữ tại: {result['kept']}")
    output.success(f"Đã khôi phục {result['path']} từ {result['restored_from']}.")


@app.command("export")
def export(cell: Annotated[str, typer.Option("--cell", help="Mã hoặc tên tổ chức (đảng ủy, chi bộ) cần xuất.")],
           dest: Annotated[Path, typer.Argument(help="Tệp .db mới (không ghi đè tệp đã có).")],
           fmt: FormatOpt = Format.table) -> None:
    """Xuất một tổ chức và mọi thứ bên dưới (đảng viên, lịch sử, sổ, xếp loại, kết nạp, rà soát) ra một tệp
    riêng để làm việc không cần mạng: mở bằng --db TỆP, sau đó gộp lại bằng 'dangvien db merge TỆP'.

    Ví dụ: dangvien db export --cell XA.TL /media/usb/tan-lap.db
    """
    from dangvien_cli.services import merge as svc

    with database().write() as conn:
        result = svc.export(conn, cell, dest)
    if fmt is Format.json:
        output.emit_json(result)
        return
    output.success(f"Đã xuất {result['cell_code']} ({result['cell_name']}) ra {result['file']}: "
                   f"{number_vi(result['members'])} đảng viên, {number_vi(result['history_rows'])} dòng lịch sử "
                   f"({number_vi(result['size_bytes'])} byte).")
    output.info(f"Làm việc trên tệp: dangvien --db {result['file']} …; gộp lại: dangvien db merge {result['file']}")


@app.command("merge")
def merge(file: Annotated[Path, typer.Argument(help="Tệp .db cần gộp (do 'db export' tạo, hoặc của tổ chức khác).")],
          dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ báo sẽ làm gì, không ghi gì.")] = False,
          fmt: FormatOpt = Format.table) -> None:
    """Gộp một tệp vào cơ sở dữ liệu này: tổ chức nhận theo mã, đảng viên theo số định danh, số thẻ, họ tên và
    ngày sinh; mỗi dòng lịch sử thêm đúng một lần. Gộp lại cùng tệp không đổi gì. Có chỗ vênh (sửa ở cả hai
    nơi, hai người có thể là một, tổ chức chưa có) thì không ghi gì, liệt kê từng chỗ (mã thoát 3).

    Ví dụ: dangvien db merge /media/usb/tan-lap.db --dry-run
    """
    from dangvien_cli.errors import InputRejected
    from dangvien_cli.services import admin
    from dangvien_cli.services import merge as svc

    db = database()
    try:
        with admin.copies_before_change(db) as copies, (db.read() if dry_run else db.write()) as conn:
            def keep_copy() -> str | None:
                copies.append(admin.safety_copy(db, conn, "gop-tep"))
                return copies[-1]

            report = svc.merge(conn, file, dry_run=dry_run, before_commit=keep_copy)
    except InputRejected as exc:
        if exc.report is not None:
            _merge_report(exc.report, fmt)
        output.error(exc.message, exc.hint)
        raise typer.Exit(3) from None
    _merge_report(report, fmt)
    if fmt is not Format.json:
        n = number_vi
        if not any(c["created"] or c["updated"] for c in report["tables"].values()):
            output.success(f"Không có gì mới trong {report['file']}: cơ sở dữ liệu đã có mọi dòng của nó "
                           f"({n(report['unchanged'])} đảng viên giữ nguyên).")
            return
        prefix = "Kiểm tra (không ghi gì): sẽ gộp" if report["dry_run"] else "Đã gộp"
        output.success(f"{prefix} {report['file']}: {n(report['created'])} đảng viên mới, "
                       f"{n(report['updated'])} cập nhật, {n(report['unchanged'])} giữ nguyên, "
                       f"{n(report['history_rows_added'])} dòng lịch sử thêm.")
        if report.get("safety_copy"):
            output.info(f"Bản sao cơ sở dữ liệu trước khi gộp: {report['safety_copy']}")


def _merge_report(report: dict, fmt: Format) -> None:
    """JSON for scripts; for the clerk, the tables that change (or nothing), then every conflict."""
    from dangvien_cli import vocab

    if fmt is Format.json:
        output.emit_json(report)
        return
    tables = sorted(report["tables"].items(), key=lambda tc: tc[0] != "members")  # people first
    rows = [{"table": t, **c} for t, c in tables if c["created"] or c["updated"]]
    if rows and not report["conflicts"]:
        output.emit_rows(rows, [Col("table", "Bảng", codes=vocab.MERGE_TABLE, rank=0),
                                Col("created", "Thêm mới", count=True, rank=0),
                                Col("updated", "Cập nhật", count=True, rank=0),
                                Col("unchanged", "Giữ nguyên", count=True, rank=1)],
                         fmt, title="Sẽ thay đổi" if report["dry_run"] else "Đã thay đổi")
    if report["conflicts"]:
        output.emit_rows(report["conflicts"], [Col("kind", "Loại", codes=vocab.MERGE_CONFLICT, rank=1),
                                               Col("member_id", "Mã ĐV", rank=2),
                                               Col("detail", "Chỗ vênh", wrap=True, rank=0)],
                         fmt, title="Các chỗ vênh (chưa gộp gì)")


@app.command("grant")
def grant(role: Annotated[str, typer.Argument(help="Tên vai trò (người dùng) PostgreSQL.")],
          cell: Annotated[str, typer.Option("--cell", help="Mã hoặc tên tổ chức đảng được giao.")]) -> None:
    """Giao cho một vai trò PostgreSQL một đảng bộ: vai trò đó chỉ thấy, báo cáo và sửa tổ chức này và các tổ
    chức trực thuộc (máy chủ giữ giới hạn, kể cả khi dùng psql). Chỉ với PostgreSQL.

    Ví dụ: dangvien --db postgresql://quantri@maychu/bacninh db grant canbo_tanlap --cell TL
    """
    from dangvien_cli.services import grants

    with database().write() as conn:
        done = grants.grant(conn, role, cell)
    moved = f" (trước đây: {done['previous_cell_code']})" if done["previous_cell_code"] else ""
    output.success(f"Vai trò {done['role']} từ nay chỉ làm việc với {done['cell_name']} ({done['cell_code']}) "
                   f"và các tổ chức trực thuộc: {number_vi(done['cells_in_scope'])} tổ chức đảng{moved}.")
    if done["created"]:
        output.info(f"Vai trò {done['role']} vừa được tạo, chưa có mật khẩu: người quản trị đặt bằng psql, "
                    f"lệnh \\password {done['role']}.")
