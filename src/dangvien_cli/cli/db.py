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
    output.success(f"Cơ sở dữ liệu sẵn sàng: {db.path}")


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
    labels = [Col("path", "Tệp"), Col("schema_version", "Phiên bản lược đồ"),
              Col("size_bytes", "Dung lượng", show=lambda d: f"{number_vi(d['size_bytes'])} byte")]
    labels += [Col(f"count_{k}", TABLES.get(k, f"Số dòng {k}")) for k in data["counts"]]
    output.emit_record(shown, labels, title="Cơ sở dữ liệu", json_data=data,
                       csv_columns=[("path", "path"), ("schema_version", "schema_version"),
                                    ("size_bytes", "size_bytes")])


@app.command("check")
def check(fmt: FormatOpt = Format.table) -> None:
    """Kiểm tra toàn vẹn SQLite, khóa ngoại và các ràng buộc nghiệp vụ; liệt kê từng vấn đề.

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
    """Sao lưu nhất quán (kể cả khi đang có người ghi) và kiểm tra bản sao sau khi ghi.

    Ví dụ: dangvien db backup /media/usb/dangvien-2026.db
    """
    from dangvien_cli.services import admin

    result = admin.backup(database(), dest)
    output.success(f"Đã sao lưu và kiểm tra: {result['path']} ({number_vi(result['size_bytes'])} byte).")


@app.command("restore")
def restore(src: Annotated[Path, typer.Argument(help="Tệp sao lưu để khôi phục.")]) -> None:
    """Khôi phục từ bản sao lưu: kiểm tra bản sao trước, giữ lại tệp cũ bên cạnh rồi mới thay.

    Ví dụ: dangvien db restore /media/usb/dangvien-2026.db
    """
    from dangvien_cli.services import admin

    result = admin.restore(STATE.db_path.expanduser(), src)
    with database().write() as conn:  # the restored file records who restored it, when, from which file
        admin.note_restore(conn)
    if result["kept"]:
        output.info(f"Tệp cũ được giữ tại: {result['kept']}")
    output.success(f"Đã khôi phục {result['path']} từ {result['restored_from']}.")
