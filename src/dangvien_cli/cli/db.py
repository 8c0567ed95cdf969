"""dangvien db: the database file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import STATE, database
from dangvien_cli.cli.output import Format

app = typer.Typer(help="Tệp cơ sở dữ liệu: tạo, xem thông tin, kiểm tra, sao lưu, khôi phục.", no_args_is_help=True)


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

    data = admin.info(database())
    if fmt is Format.table:
        rows = [{"key": "Tệp", "value": data["path"]}, {"key": "Phiên bản lược đồ", "value": data["schema_version"]},
                {"key": "Dung lượng (byte)", "value": data["size_bytes"]}]
        rows += [{"key": f"Số dòng {k}", "value": v} for k, v in data["counts"].items()]
        output.emit_rows(rows, [("key", "Mục"), ("value", "Giá trị")], fmt, title="Cơ sở dữ liệu")
    else:
        output.emit_record(data, [("path", "path"), ("schema_version", "schema_version")], fmt, json_data=data)


@app.command("check")
def check(fmt: FormatOpt = Format.table) -> None:
    """Kiểm tra toàn vẹn SQLite, khóa ngoại và các ràng buộc nghiệp vụ; liệt kê từng vấn đề.

    Thoát mã 1 nếu có vấn đề. Ví dụ: dangvien db check
    """
    from dangvien_cli.services import admin

    problems = admin.check(database())
    if fmt is Format.json:
        output.emit_json({"ok": not problems, "problems": problems})
    elif problems:
        output.emit_rows(problems, [("check", "Kiểm tra"), ("where", "Ở đâu"), ("message", "Vấn đề")], fmt)
    if problems:
        output.error(f"Có {len(problems)} vấn đề.", "Sửa từng mục theo thông báo rồi chạy lại 'dangvien db check'.")
        raise typer.Exit(1)
    if fmt is not Format.json:
        output.success("Không có vấn đề nào.")


@app.command("log")
def log(limit: Annotated[int, typer.Option("--limit", "-n", help="Số dòng tối đa.")] = 50,
        fmt: FormatOpt = Format.table) -> None:
    """Những thay đổi gần nhất (đảng viên, tổ chức, nhập tệp), mới nhất trước.

    Ví dụ: dangvien db log -n 20
    """
    from dangvien_cli.services import admin

    rows = admin.log(database(), limit=limit)
    output.emit_rows(rows, [("created_at", "Lúc"), ("kind", "Loại"), ("subject", "Mã"), ("event", "Sự kiện"),
                            ("field", "Trường"), ("old_value", "Cũ"), ("new_value", "Mới"), ("source", "Nguồn")], fmt)


@app.command("backup")
def backup(dest: Annotated[Path, typer.Argument(help="Tệp (hoặc thư mục) sao lưu.")]) -> None:
    """Sao lưu nhất quán (kể cả khi đang có người ghi) và kiểm tra bản sao sau khi ghi.

    Ví dụ: dangvien db backup /media/usb/dangvien-2026.db
    """
    from dangvien_cli.services import admin

    result = admin.backup(database(), dest)
    output.success(f"Đã sao lưu và kiểm tra: {result['path']} ({result['size_bytes']} byte).")


@app.command("restore")
def restore(src: Annotated[Path, typer.Argument(help="Tệp sao lưu để khôi phục.")]) -> None:
    """Khôi phục từ bản sao lưu: kiểm tra bản sao trước, giữ lại tệp cũ bên cạnh rồi mới thay.

    Ví dụ: dangvien db restore /media/usb/dangvien-2026.db
    """
    from dangvien_cli.services import admin

    result = admin.restore(STATE.db_path.expanduser(), src)
    if result["kept"]:
        output.info(f"Tệp cũ được giữ tại: {result['kept']}")
    output.success(f"Đã khôi phục {result['path']} từ {result['restored_from']}.")
