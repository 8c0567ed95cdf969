"""dangvien dossier: scanning members' dossiers for the national database (Công văn 1361-CV/BTCTW)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format
from dangvien_cli.formats import number_vi, percent_vi

app = typer.Typer(help="Hồ sơ đảng viên số hóa cho cơ sở dữ liệu quốc gia: thư mục, danh mục, kiểm tra bản scan.",
                  no_args_is_help=True)

CellOpt = Annotated[str | None, typer.Option("--cell", help="Chỉ tổ chức này và các tổ chức trực thuộc.")]
DOC_COLUMNS = [Col("no", "STT", rank=0), Col("name", "Tài liệu", wrap=True, rank=0), Col("priority", "Ưu tiên", rank=2),
               Col("state_label", "Tình trạng", rank=0), Col("why", "Vì sao cần", wrap=True, rank=3),
               Col("file_name", "Tên tệp", wrap=True, rank=4)]
PROGRESS_COLUMNS = [Col("cell_name", "Tổ chức đảng", rank=0, show=lambda r: "  " * r["level"] + r["cell_name"]),
                    Col("cell_code", "Mã", rank=3), Col("members", "Số đảng viên", rank=1, count=True),
                    Col("members_priority_1_complete", "Đủ ưu tiên 1", rank=2, count=True),
                    Col("priority_1_percent", "Ưu tiên 1", rank=0), Col("all_percent", "Tất cả", rank=0)]


def _percent(value: float) -> str:
    return percent_vi(value, 1)


@app.command("plan")
def plan(
    directory: Annotated[Path, typer.Argument(help="Thư mục gốc để tạo cây thư mục scan.", file_okay=False)],
    cell: CellOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Tạo cây thư mục scan: mỗi tổ chức một thư mục theo mã trên cơ sở dữ liệu quốc gia (M1.M2.M3.M4.M5),
    mỗi đảng viên một thư mục {số định danh}_{TênKhôngDấu}, trong đó có danh mục tài liệu cần scan.

    Tổ chức chưa có mã: ghi bằng 'dangvien cells update MÃ --national-code 38.168.053.000.001'.

    Ví dụ: dangvien dossier plan /media/scan --cell TL
    """
    from dangvien_cli.services import dossier as svc

    with database().read() as conn:
        report = svc.plan(conn, directory, cell)
    if not output.is_table():
        output.emit_json(report)
        return
    output.success(f"Đã lập {report['members_planned']} thư mục đảng viên ({report['folders_created']} thư mục mới) "
                   f"trong {directory}, mỗi thư mục có tệp danh mục '00.Danh muc ho so.csv'.")
    for c in report["cells_without_national_code"]:
        output.warn(f"Tổ chức {c['cell_code']} ({c['cell_name']}) chưa có mã trên cơ sở dữ liệu quốc gia: chưa lập "
                    f"thư mục cho đảng viên của tổ chức này. Ghi mã bằng 'dangvien cells update {c['cell_code']} "
                    "--national-code M1.M2.M3.M4.M5'.")
    if report["members_without_national_id"]:
        ids = ", ".join(str(i) for i in report["members_without_national_id"][:10])
        more = len(report["members_without_national_id"]) - 10
        output.warn(f"{len(report['members_without_national_id'])} đảng viên chưa có số định danh nên chưa có thư mục "
                    f"(mã số {ids}{f' và {more} người khác' if more > 0 else ''}); ghi bằng "
                    "'dangvien members update MÃ --national-id SỐ' (xem 'dangvien check national').")


@app.command("check")
def check(
    directory: Annotated[Path, typer.Argument(help="Thư mục gốc chứa các thư mục tổ chức đã scan.", file_okay=False)],
    cell: CellOpt = None,
    rename: Annotated[bool, typer.Option("--rename", help="Đổi tên các tệp, thư mục đặt sai tên thành tên đúng.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Chỉ xem: không ghi vào cơ sở dữ liệu, không đổi tên.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Đọc thư mục bản scan, đối chiếu với hồ sơ và ghi lại tài liệu đã scan.

    Liệt kê: tệp đặt sai tên (kèm tên đúng), thư mục đảng viên nằm sai tổ chức, tệp trùng phần, đảng viên chưa
    có thư mục, tệp PDF rỗng hoặc hỏng, tệp không nhận ra. Không đổi tên gì trừ khi có --rename; chạy
    '--rename --dry-run' trước để xem sẽ đổi những gì.

    Ví dụ: dangvien dossier check /media/scan --rename --dry-run
    """
    from dangvien_cli.services import dossier as svc

    db = database()
    with (db.read() if dry_run else db.write()) as conn:
        report = svc.check(conn, directory, cell, rename=rename, dry_run=dry_run)
    if not output.is_table():
        output.emit_json(report)
        return
    progress = report["progress"]
    for item in report["misnamed"]:
        output.info(f"Sai tên: {item['path']} → {Path(item['expected']).name}")
    for item in report["misplaced"]:
        output.info(f"Sai chỗ: {item['path']} (đảng viên mã số {item['member_id']}) → {item['expected']}")
    for item in report["duplicates"]:
        output.info(f"Trùng: {item['path']} (đảng viên mã số {item['member_id']})")
    for path in report["unreadable"]:
        output.info(f"Tệp rỗng hoặc không phải PDF: {path}")
    for path in report["unknown"]:
        output.info(f"Không nhận ra: {path}")
    for item in report["renamed"]:
        verb = "Đã đổi tên" if item["done"] else ("Sẽ đổi tên" if "why" not in item else f"Không đổi ({item['why']})")
        output.info(f"{verb}: {item['path']} → {Path(item['expected']).name}")
    if report["members_without_folder"]:
        ids = ", ".join(str(i) for i in report["members_without_folder"][:10])
        more = len(report["members_without_folder"]) - 10
        output.warn(f"{len(report['members_without_folder'])} đảng viên chưa có thư mục (mã số {ids}"
                    f"{f' và {more} người khác' if more > 0 else ''}); lập bằng 'dangvien dossier plan {directory}'.")
    line = (f"Đã xem {report['files_seen']} tệp của {report['members_checked']} đảng viên: {report['matched']} tệp "
            f"khớp tài liệu; {len(report['misnamed'])} sai tên, {len(report['misplaced'])} sai chỗ, "
            f"{len(report['unreadable'])} hỏng. Đã scan: ưu tiên 1 {_percent(progress['priority_1_percent'])}, "
            f"tất cả {_percent(progress['all_percent'])}.")
    output.info(line + (" (Chạy thử: chưa ghi gì.)" if dry_run else ""))


@app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="Mã số, số thẻ đảng viên hoặc số định danh cá nhân.")],
    fmt: FormatOpt = Format.table,
) -> None:
    """Danh mục hồ sơ của một đảng viên: tài liệu cần có, vì sao, đã scan, có bản giấy, còn thiếu, không áp dụng.

    Ví dụ: dangvien dossier show 12
    """
    from dangvien_cli.services import dossier as svc

    with database().read() as conn:
        data = svc.show(conn, ref)
    rows = [item | {"priority": f"{item['priority']}", "why": item["why"] or "—"} for item in data["documents"]]
    output.emit_rows(rows, DOC_COLUMNS, title=f"Hồ sơ của {data['full_name']} — thư mục {data['folder']}",
                     json_data=data)
    if output.is_table():
        p = data["progress"]
        output.info(f"Đã scan {p['scanned']}/{p['required']} tài liệu cần có: ưu tiên 1 {_percent(p['priority_1_percent'])}, "
                    f"tất cả {_percent(p['all_percent'])}.")


@app.command("mark")
def mark(
    ref: Annotated[str, typer.Argument(help="Mã số, số thẻ đảng viên hoặc số định danh cá nhân.")],
    number: Annotated[int, typer.Argument(help="Số thứ tự tài liệu trong danh mục (1–104).")],
    scanned: Annotated[str | None, typer.Option("--scanned", help="Đã scan: ghi tên tệp.")] = None,
    paper: Annotated[bool, typer.Option("--paper", help="Có bản giấy, chưa scan.")] = False,
    missing: Annotated[bool, typer.Option("--missing", help="Còn thiếu.")] = False,
    na: Annotated[bool, typer.Option("--na", help="Không áp dụng cho đảng viên này.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Ghi tình trạng một tài liệu trong hồ sơ của một đảng viên.

    Ví dụ: dangvien dossier mark 12 5 --paper
    """
    from dangvien_cli.errors import InvalidValue
    from dangvien_cli.services import dossier as svc

    chosen = [s for s, on in (("scanned", scanned is not None), ("paper", paper), ("missing", missing), ("na", na)) if on]
    if len(chosen) != 1:
        raise InvalidValue("Cần đúng một tình trạng cho tài liệu.",
                           hint="Ghi một trong --scanned TÊN_TỆP, --paper, --missing, --na.")
    with database().write() as conn:
        data = svc.mark(conn, ref, number, chosen[0], scanned)
    if output.is_table():
        output.success(f"Đã ghi: tài liệu {data['no']} ({data['name']}) của đảng viên mã số {data['member_id']} — "
                       f"{data['state_label'].lower()}.")
    else:
        output.emit_json(data)


@app.command("progress")
def progress(cell: CellOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Tiến độ số hóa hồ sơ theo chi bộ và đảng bộ: số đảng viên, số người đủ tài liệu ưu tiên 1, tỷ lệ tài liệu
    ưu tiên 1 và tất cả tài liệu đã scan. Đảng bộ cộng mọi tổ chức trực thuộc. Ra Excel kèm biểu đồ:
    'dangvien export dossier-progress TỆP'.

    Ví dụ: dangvien dossier progress --cell TL
    """
    from dangvien_cli.services import dossier as svc

    with database().read() as conn:
        data = svc.progress(conn, cell)
    rows = [r | {"priority_1_percent": _percent(r["priority_1_percent"]), "all_percent": _percent(r["all_percent"])}
            for r in data["tree"]]
    output.emit_rows(rows, PROGRESS_COLUMNS, title="Tiến độ số hóa hồ sơ đảng viên", json_data=data,
                     csv_columns=[(k, k) for k in ("cell_code", "cell_name", "level", "committee", "members",
                                                   "members_priority_1_complete", "priority_1_percent", "all_percent")])
    if output.is_table():
        output.info(f"Cả {number_vi(data['members'])} đảng viên: ưu tiên 1 {_percent(data['priority_1_percent'])}, "
                    f"tất cả {_percent(data['all_percent'])}.")


def export_progress(
    file: Annotated[Path, typer.Argument(help="Tệp .xlsx sẽ ghi.", dir_okay=False)],
    cell: CellOpt = None,
    place: Annotated[str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")] = None,
) -> None:
    """Xuất tiến độ số hóa hồ sơ ra Excel, in vừa khổ A4: mỗi tổ chức một dòng theo cây tổ chức (đảng bộ chữ
    đậm, cộng mọi tổ chức trực thuộc), biểu đồ tỷ lệ đã scan của từng chi bộ, chữ ký.

    Ví dụ: dangvien export dossier-progress tien-do-so-hoa.xlsx --cell TL
    """
    from dangvien_cli.errors import NotFound
    from dangvien_cli.excel.national_writer import write_progress
    from dangvien_cli.rules.dates import today
    from dangvien_cli.services import dossier as svc
    from dangvien_cli.services.exports import heading
    from dangvien_cli.store import cells as cell_store

    with database().read() as conn:
        data = svc.progress(conn, cell)
        head = heading(conn, cell_store.find(conn, cell) if cell else None)
    if not data["members"]:
        raise NotFound("Chưa có đảng viên nào" + (f" trong {cell}" if cell else "") + ": không có tiến độ để xuất.",
                       hint="Nhập danh sách bằng 'dangvien import roster TỆP' trước.")
    with output.progress("Đang ghi tệp"):
        path = write_progress(file, data, head=head, place=place, on=today())
    output.success(f"Đã ghi tiến độ số hóa hồ sơ của {number_vi(data['members'])} đảng viên ({len(data['rows'])} chi bộ) "
                   f"vào {path}.")
