"""dangvien import: rosters and books as committees send them. All or nothing; exit 3 when a file is refused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Format
from dangvien_cli.errors import InputRejected
from dangvien_cli.formats import MORE_ROWS, number_vi, ranges

app = typer.Typer(help="Nhập danh sách đảng viên, xếp loại, sổ sinh hoạt, sổ đảng phí từ Excel (.xlsx, .xls, .ods).",
                  no_args_is_help=True)

FileArg = Annotated[Path, typer.Argument(help="Tệp Excel (.xlsx, .xlsm, .xls, .ods).", dir_okay=False)]


MISSING_SHOWN = 5  # members missing from the file named in the summary; --show-missing lists them all
GROUPS_SHOWN = 30  # distinct problems printed; the JSON report always has every one
RUNS_SHOWN = 12  # runs of rows named for one problem (2,000 rows of one warning would fill 180 lines)
_ROW_WARNING = re.compile(r"Dòng (\d+), cột '(.*?)': (.*)", re.S)


def problem_lines(errors: list[dict], warnings: list[str]) -> tuple[list[str], list[str]]:
    """The same problem on many rows as one line naming the rows compactly ("Thiếu ngày sinh — cột 'Ngày
    sinh', 44 dòng: 5–48"), in the order first met. The JSON report keeps the full lists (contract.md)."""

    def grouped(items: list[tuple[int | None, str, str]]) -> list[str]:
        groups: dict[tuple[str, str], list[int]] = {}
        loose: list[str] = []
        for row, column, message in items:
            if row is None:
                loose.append(f"Cột '{column}': {message}" if column else message)
            else:
                groups.setdefault((column, message), []).append(int(row))
        lines = []
        for (column, message), rows in groups.items():
            where = f", cột '{column}'" if column else ""
            if len(rows) == 1:
                lines.append(f"Dòng {rows[0]}{where}: {message}")
            else:
                lines.append(f"{message.rstrip('.')} —{where[1:]}{',' if where else ''} {number_vi(len(set(rows)))} "
                             f"dòng: {ranges(rows, RUNS_SHOWN)}")
        return loose + lines

    error_items = [(e.get("row"), e.get("column") or "", e.get("message") or "") for e in errors]
    warning_items: list[tuple[int | None, str, str]] = []
    for text in warnings:
        match = _ROW_WARNING.fullmatch(text)
        warning_items.append((int(match[1]), match[2], match[3]) if match else (None, "", text))
    return grouped(error_items), grouped(warning_items)


def _shown(lines: list[str], say) -> None:  # noqa: ANN001
    for line in lines[:GROUPS_SHOWN]:
        say(line)
    if len(lines) > GROUPS_SHOWN:
        output.info(f"… và {number_vi(len(lines) - GROUPS_SHOWN)} mục khác: xem đủ bằng --format json.")
    elif any(line.endswith(MORE_ROWS) for line in lines):  # a problem's rows were not all named
        output.info("Xem đủ các dòng bằng --format json.")


def print_report(report: dict, fmt: Format, *, refused: bool = False, show_missing: bool = False) -> None:
    """The import report: JSON on stdout for scripts; for the clerk, on stderr, the problems (each kind once,
    with its rows), one summary line, then the members of the committee that the file does not hold (a
    count and the first few; ``--show-missing`` lists them all). A refused file gets no summary: nothing
    was written, and the error line after this says so."""
    if fmt is Format.json:
        output.emit_json(report)
        return
    error_lines, warning_lines = problem_lines(report.get("errors") or [], report.get("warnings") or [])
    _shown(warning_lines, output.warn)
    if error_lines:
        output.info(f"Các dòng lỗi ({number_vi(report.get('rejected') or 0)} dòng):")
        _shown(error_lines, lambda line: output.info("  " + line))
    if refused:
        return
    if report.get("rejects_file"):
        output.warn(f"Các dòng lỗi đã lưu ra: {report['rejects_file']}")
    prefix = "Kiểm tra (không ghi gì): " if report.get("dry_run") else "Đã nhập: "
    output.success(prefix + summary_label(report))
    missing = report.get("missing_members") or []
    if missing:
        names = "; ".join(f"{m['full_name']} (mã {m['id']})" for m in missing[:MISSING_SHOWN])
        more = f" và {number_vi(len(missing) - MISSING_SHOWN)} người khác" if len(missing) > MISSING_SHOWN else ""
        output.warn(f"{number_vi(len(missing))} đảng viên của tổ chức này không có trong tệp (không xóa ai; hãy "
                    f"xem lại): {names}{more}.")
        if show_missing:
            output.emit_table(missing, [("id", "Mã"), ("full_name", "Họ và tên"), ("card_number", "Số thẻ"),
                                        ("cell_code", "Chi bộ")], title="Đảng viên không có trong tệp")
        elif len(missing) > MISSING_SHOWN:
            output.info("Xem cả danh sách: chạy lại với --dry-run --show-missing (hoặc --format json).")


def summary_label(report: dict) -> str:
    """One line: the file, what was read and what became of it, numbers in the Vietnamese way."""
    n = number_vi
    where = ", ".join(part for part in (f"trang '{report['sheet']}'" if report.get("sheet") else "",
                                        f"bảng mã {report['encoding']}" if report.get("encoding") else "") if part)
    cells = f", {n(report['cells_created'])} chi bộ mới" if report.get("cells_created") else ""
    if report.get("national_codes_set"):  # a roster with the organizations' codes in the national database
        cells += f", ghi mã cơ sở dữ liệu quốc gia cho {n(len(report['national_codes_set']))} tổ chức"
    return (f"{report['file']}{f' ({where})' if where else ''}: đọc {n(report['rows_read'])} dòng — "
            f"{n(report['created'])} mới, {n(report['updated'])} cập nhật, {n(report['unchanged'])} giữ nguyên, "
            f"{n(report['rejected'])} bị loại{cells}.")


def run_import(fmt: Format, action, *, dry_run: bool = False, show_missing: bool = False) -> None:  # noqa: ANN001
    """Run an import in one transaction (a read-only one for ``dry_run``); on rejection print the report (JSON
    too) and exit 3. ``action(conn, advance)`` may move the progress bar, which is gone before anything is
    printed."""
    db = database()
    try:
        with output.progress("Đang nhập") as advance, (db.read() if dry_run else db.write()) as conn:
            report = action(conn, advance)
    except InputRejected as exc:
        if exc.report is not None:
            print_report(exc.report, fmt, refused=True)
        output.error(exc.message, exc.hint)
        raise typer.Exit(3) from None
    print_report(report, fmt, show_missing=show_missing)


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
    show_missing: Annotated[bool, typer.Option("--show-missing", help="In đủ danh sách đảng viên của tổ chức "
                                               "không có trong tệp (mặc định: số lượng và vài người đầu).")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Nhập danh sách đảng viên. Có lỗi thì không ghi gì (mã thoát 3) và nêu từng dòng, từng cột.

    Nhập lại cùng tệp không đổi gì; danh sách mới hơn cập nhật phần thay đổi và ghi vào lịch sử.
    Ví dụ: dangvien import roster danh-sach-2026.xlsx --into TL
    """
    from dangvien_cli.services import admin
    from dangvien_cli.services import roster_import as svc

    mapping_dict = svc.parse_mapping(mapping)
    db = database()

    def action(conn, advance):  # noqa: ANN001, ANN202
        def keep_copy(changes: int) -> None:
            copies.append(admin.safety_copy(db, conn, f"nhap-lai-{changes}-dang-vien"))

        return svc.import_roster(conn, file, into=into, sheet=sheet, mapping=mapping_dict, dry_run=dry_run,
                                 skip_invalid=skip_invalid, progress=advance, before_many_changes=keep_copy)

    with admin.copies_before_change(db) as copies:
        run_import(fmt, action, dry_run=dry_run, show_missing=show_missing)
    for path in filter(None, copies):
        output.info(f"Bản sao cơ sở dữ liệu trước khi ghi (nhập lại sửa nhiều đảng viên): {path}")


YearOpt = Annotated[int, typer.Option("--year", help="Năm của sổ / của kết quả xếp loại.")]
SheetOpt = Annotated[str | None, typer.Option("--sheet", help="Tên trang tính (mặc định: tự chọn).")]


@app.command("ratings")
def ratings(file: FileArg, year: YearOpt, sheet: SheetOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Nhập kết quả xếp loại đảng viên một năm (tên đầy đủ hoặc viết tắt HTXSNV…KHTNV, §2).

    Đảng viên nhận theo số thẻ, nếu không có thì theo họ tên và ngày sinh. Có lỗi thì không ghi gì (mã thoát 3).
    Ví dụ: dangvien import ratings xep-loai-2025.xlsx --year 2025
    """
    from dangvien_cli.services import ratings as svc

    run_import(fmt, lambda conn, _advance: svc.import_ratings(conn, file, year, sheet=sheet))


@app.command("attendance")
def attendance(file: FileArg, year: YearOpt, sheet: SheetOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Nhập sổ sinh hoạt chi bộ một năm: cột T1…T12, x có mặt, p vắng có phép, k vắng không lý do.

    Có lỗi thì không ghi gì (mã thoát 3). Ví dụ: dangvien import attendance so-sinh-hoat-2025.xlsx --year 2025
    """
    from dangvien_cli.services import books as svc

    run_import(fmt, lambda conn, _advance: svc.import_attendance(conn, file, year, sheet=sheet))


@app.command("dues")
def dues(file: FileArg, year: YearOpt, sheet: SheetOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Nhập sổ đảng phí một năm: cột T1…T12, số tiền đã đóng, trống hoặc 0 = chưa đóng, 'miễn' = được miễn.

    Có lỗi thì không ghi gì (mã thoát 3). Ví dụ: dangvien import dues so-dang-phi-2025.xlsx --year 2025
    """
    from dangvien_cli.services import books as svc

    run_import(fmt, lambda conn, _advance: svc.import_dues(conn, file, year, sheet=sheet))
