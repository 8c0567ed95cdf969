"""dangvien check: is the record ready for where it goes next (the national database)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format

app = typer.Typer(help="Kiểm tra hồ sơ trước khi đưa lên cơ sở dữ liệu đảng viên quốc gia.", no_args_is_help=True)

COLUMNS = [Col("cell_code", "Chi bộ", rank=3), Col("member_id", "Mã", rank=0), Col("full_name", "Họ và tên", rank=0),
           Col("problem_label", "Vấn đề", wrap=True, rank=0), Col("detail", "Chi tiết", wrap=True, rank=2),
           Col("fix", "Cách sửa", wrap=True, rank=0)]


@app.command("national")
def national(
    cell: Annotated[str | None, typer.Option("--cell", help="Chỉ kiểm tra tổ chức này và các tổ chức trực thuộc.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Danh sách việc cần làm sạch hồ sơ trước khi chuyển lên cơ sở dữ liệu quốc gia, theo từng chi bộ.

    Tìm: chưa có số định danh; số định danh sai cấu trúc hoặc trái với giới tính, năm sinh (chữ số thứ 4 chỉ
    thế kỷ và giới tính, chữ số 5–6 chỉ năm sinh: Nghị định 137/2015/NĐ-CP); số định danh hoặc số thẻ trùng
    người khác; có thể trùng người (cùng họ tên, ngày sinh); thiếu giới tính, ngày sinh, ngày vào Đảng, chi bộ.
    Chỉ báo cáo, không sửa gì: mỗi dòng ghi lệnh để sửa.

    Ví dụ: dangvien check national --cell TL
    """
    from dangvien_cli.services import national as svc

    with database().read() as conn:
        problems = svc.check(conn, cell)
    rows = [p.as_dict() for p in problems]
    output.emit_rows(rows, COLUMNS, title="Việc cần làm sạch hồ sơ cho cơ sở dữ liệu quốc gia")
    if output.is_table():
        members = len({p.member_id for p in problems})
        if problems:
            cells = len({p.cell_code for p in problems})
            output.warn(f"{len(problems)} việc ở {members} đảng viên của {cells} chi bộ.")
            output.info("In danh sách theo chi bộ để đi sửa: dangvien export national-check lam-sach-ho-so.xlsx"
                        + (f" --cell {cell}" if cell else ""))
        else:
            output.success("Không thấy vấn đề nào: hồ sơ sẵn sàng.")


def export_national(
    file: Annotated[Path, typer.Argument(help="Tệp .xlsx sẽ ghi.", dir_okay=False)],
    cell: Annotated[str | None, typer.Option("--cell", help="Chỉ tổ chức này và các tổ chức trực thuộc.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")] = None,
    full_ids: Annotated[bool, typer.Option("--full-ids", help="In đủ số định danh cá nhân (mặc định chỉ in 4 chữ số "
                                           "cuối).")] = False,
) -> None:
    """Xuất danh sách việc cần làm sạch hồ sơ cho cơ sở dữ liệu quốc gia ra Excel, in vừa khổ A4: mỗi chi bộ một
    mục, mỗi việc một dòng với vấn đề, chi tiết, cách sửa và cột 'Đã sửa' để đánh dấu.

    Ví dụ: dangvien export national-check lam-sach-ho-so.xlsx --cell TL
    """
    from dangvien_cli.excel.national_writer import write_worklist
    from dangvien_cli.formats import number_vi
    from dangvien_cli.rules.dates import today
    from dangvien_cli.services import national as svc
    from dangvien_cli.services.exports import heading
    from dangvien_cli.store import cells as cell_store

    with database().read() as conn:
        rows = svc.worklist(svc.check(conn, cell), full_ids=full_ids)
        head = heading(conn, cell_store.find(conn, cell) if cell else None)
    with output.progress("Đang ghi tệp"):
        result = write_worklist(file, rows, head=head, place=place, on=today(), full_ids=full_ids)
    output.success(f"Đã ghi {number_vi(result['problems'])} việc ở {number_vi(result['members'])} đảng viên "
                   f"({result['sections']} chi bộ) vào {result['path']}.")
