"""dangvien import: rosters and books as committees send them. All or nothing; exit 3 when a file is refused."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Format
from dangvien_cli.errors import InputRejected

app = typer.Typer(help="Nhập danh sách đảng viên, xếp loại, sổ sinh hoạt, sổ đảng phí từ Excel (.xlsx, .xls, .ods).",
                  no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(help="Tệp Excel (.xlsx, .xlsm, .xls, .ods).", dir_okay=False)]


@contextmanager
def progress_bar(label: str):
    """A progress bar on stderr in a terminal; nothing when stderr is not one (scripts, tests)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), console=Console(file=sys.stderr),
                  transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda n: bar.update(task, advance=n)


def print_report(report: dict, fmt: Format) -> None:
    """The import report: JSON on stdout for scripts; a summary and the problems on stderr for the clerk."""
    if fmt is Format.json:
        output.emit_json(report)
        return
    from dangvien_cli.services.imports import import_report_label

    for warning in report.get("warnings", [])[:50]:
        output.warn(warning)
    if report.get("errors"):
        output.emit_rows(report["errors"], [("row", "Dòng"), ("column", "Cột"), ("message", "Lỗi")], fmt,
                         title="Các dòng lỗi")
    missing = report.get("missing_members") or []
    if missing:
        output.warn(f"{len(missing)} đảng viên của tổ chức này không có trong tệp (không xóa ai; hãy xem lại):")
        output.emit_rows(missing, [("id", "Mã"), ("full_name", "Họ và tên"), ("card_number", "Số thẻ"),
                                   ("cell_code", "Chi bộ")], fmt)
    if report.get("rejects_file"):
        output.warn(f"Các dòng lỗi đã lưu ra: {report['rejects_file']}")
    prefix = "Kiểm tra (không ghi gì): " if report.get("dry_run") else "Đã nhập: "
    output.success(prefix + import_report_label(report))


def run_import(fmt: Format, action, *, raw: bool = False) -> None:  # noqa: ANN001 - a callable taking a session
    """Run an import in one transaction; on rejection print the report (JSON too) and exit 3. ``raw`` hands the
    action a plain sqlite3 connection instead of a session (the roster import never loads SQLAlchemy)."""
    db = database()
    try:
        with (db.raw_transaction() if raw else db.transaction()) as session:
            report = action(session)
    except InputRejected as exc:
        if exc.report is not None:
            print_report(exc.report, fmt)
        output.error(exc.message, exc.hint)
        raise typer.Exit(3) from None
    print_report(report, fmt)


@app.command("roster")
def roster(
    file: FileArg,
    into: Annotated[str | None, typer.Option("--into", help="Đảng bộ/chi bộ của danh sách: chi bộ trong tệp được "
                                             "tìm (hoặc tạo) dưới tổ chức này.")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Tên trang tính (mặc định: tự chọn).")] = None,
    mapping: Annotated[list[str] | None, typer.Option("--map", help="Chỉ định cột: \"Tên cột=trường\", ví dụ "
                                                      "\"Số thẻ=card_number\". Ghi nhiều lần được.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ kiểm tra và báo cáo, không ghi gì.")] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Nhập các dòng đúng; lưu dòng lỗi ra tệp "
                                               "<tên>-dong-loi.xlsx bên cạnh.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Nhập danh sách đảng viên. Có lỗi thì không ghi gì (mã thoát 3) và nêu từng dòng, từng cột.

    Nhập lại cùng tệp không đổi gì; danh sách mới hơn cập nhật phần thay đổi và ghi vào lịch sử.
    Ví dụ: dangvien import roster danh-sach-2026.xlsx --into TL
    """
    from dangvien_cli.services import imports as svc

    mapping_dict = svc.parse_mapping(mapping)
    with progress_bar("Đang ghi") as advance:
        run_import(fmt, lambda session: svc.import_roster(
            session, file, into=into, sheet=sheet, mapping=mapping_dict, dry_run=dry_run,
            skip_invalid=skip_invalid, progress=advance), raw=True)


YearOpt = Annotated[int, typer.Option("--year", help="Năm của sổ / của kết quả xếp loại.")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Tên trang tính (mặc định: tự chọn).")]


@app.command("ratings")
def ratings(file: FileArg, year: YearOpt, sheet: SheetOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Nhập kết quả xếp loại đảng viên một năm (tên đầy đủ hoặc viết tắt HTXSNV…KHTNV, §2).

    Đảng viên nhận theo số thẻ, nếu không có thì theo họ tên và ngày sinh. Có lỗi thì không ghi gì (mã thoát 3).
    Ví dụ: dangvien import ratings xep-loai-2025.xlsx --year 2025
    """
    from dangvien_cli.services import ratings as svc

    run_import(fmt, lambda session: svc.import_ratings(session, file, year, sheet=sheet))


@app.command("attendance")
def attendance(file: FileArg, year: YearOpt, sheet: SheetOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Nhập sổ sinh hoạt chi bộ một năm: cột T1…T12, x có mặt, p vắng có phép, k vắng không lý do.

    Có lỗi thì không ghi gì (mã thoát 3). Ví dụ: dangvien import attendance so-sinh-hoat-2025.xlsx --year 2025
    """
    from dangvien_cli.services import books as svc

    run_import(fmt, lambda session: svc.import_attendance(session, file, year, sheet=sheet))


@app.command("dues")
def dues(file: FileArg, year: YearOpt, sheet: SheetOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Nhập sổ đảng phí một năm: cột T1…T12, số tiền đã đóng, trống hoặc 0 = chưa đóng, 'miễn' = được miễn.

    Có lỗi thì không ghi gì (mã thoát 3). Ví dụ: dangvien import dues so-dang-phi-2025.xlsx --year 2025
    """
    from dangvien_cli.services import books as svc

    run_import(fmt, lambda session: svc.import_dues(session, file, year, sheet=sheet))
