"""dangvien export: clean standard workbooks for committees."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.context import database

app = typer.Typer(help="Xuất danh sách, kết quả rà soát và báo cáo ra Excel theo mẫu chuẩn.", no_args_is_help=True)

OutArg = Annotated[Path, typer.Argument(help="Tệp .xlsx sẽ ghi.", dir_okay=False)]
FullIdsOpt = Annotated[bool, typer.Option("--full-ids", help="In đủ số định danh cá nhân, số CMND (mặc định chỉ in "
                                          "4 chữ số cuối).")]


@app.command("roster")
def roster(
    file: OutArg,
    cell: Annotated[str | None, typer.Option("--cell", help="Đảng bộ/chi bộ cần xuất (mặc định: tất cả).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Tính đến ngày (mặc định hôm nay).")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")] = None,
    full_ids: FullIdsOpt = False,
) -> None:
    """Xuất danh sách đảng viên theo mẫu trao đổi: tiêu đề, tiêu đề cột hai dòng, mục theo chi bộ, chữ ký.

    Ví dụ: dangvien export roster danh-sach-TL.xlsx --cell TL
    """
    from dangvien_cli.formats import number_vi
    from dangvien_cli.services import exports as svc

    with output.progress("Đang ghi tệp"), database().raw_transaction(write=False) as conn:  # reads only
        result = svc.export_roster(conn, file, cell=cell, as_of=as_of, place=place, full_ids=full_ids)
    output.success(f"Đã ghi {number_vi(result['members'])} đảng viên ({result['sections']} chi bộ) vào "
                   f"{result['path']}.")


# `export report admissions FILE --year Y` lives with the reports (cli/reports.py).
from dangvien_cli.cli.reports import export_report  # noqa: E402

app.command("report")(export_report)


@app.command("screening")
def screening(
    run_id: Annotated[int, typer.Argument(help="Số lần rà soát (xem 'dangvien screening list').")],
    file: OutArg,
    committee: Annotated[str | None, typer.Option("--committee", help="Tên cấp ủy ghi ở góc trái.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")] = None,
) -> None:
    """Xuất danh sách đề nghị xem xét của một lần rà soát, theo chi bộ, để trình hội nghị cấp ủy.

    Ví dụ: dangvien export screening 3 ra-soat-2025.xlsx --committee "Đảng ủy xã Tân Lập"
    """
    from dangvien_cli.excel.screening_writer import write_screening
    from dangvien_cli.services import screening as svc
    from dangvien_cli.services.exports import heading

    with database().transaction() as session:
        run = svc.show(session, run_id)
        head = heading(svc.raw(session), None)
    if committee:
        head["committee"] = committee
    with output.progress("Đang ghi tệp"):
        result = write_screening(file, run, head=head, place=place)
    output.success(f"Đã ghi {result['findings']} mục đảng viên ({result['sections']} chi bộ) và "
                   f"{result['org_findings']} mục tổ chức vào {result['path']}.")
