"""dangvien export: clean standard workbooks for committees."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.context import database

app = typer.Typer(help="Xuất ra Excel theo mẫu in: danh sách, rà soát, biểu thống kê, sổ sinh hoạt, sổ đảng phí, xếp loại, Huy hiệu Đảng, phiếu đảng viên, tiến độ số hóa hồ sơ.", no_args_is_help=True)

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

    with output.progress("Đang ghi tệp"), database().read() as conn:
        result = svc.export_roster(conn, file, cell=cell, as_of=as_of, place=place, full_ids=full_ids)
    output.success(f"Đã ghi {number_vi(result['members'])} đảng viên ({result['sections']} chi bộ) vào "
                   f"{result['path']}.")


# `export report admissions FILE --year Y` lives with the reports (cli/reports.py).
from dangvien_cli.cli.reports import export_report  # noqa: E402

app.command("report")(export_report)

# The 2026 work for the national database: `export dossier-progress FILE`, `export national-check FILE`.
from dangvien_cli.cli.check import export_national  # noqa: E402
from dangvien_cli.cli.dossier import export_progress  # noqa: E402

app.command("dossier-progress")(export_progress)
app.command("national-check")(export_national)


class _RunThenFile(typer.core.TyperCommand):
    """Usage 'export screening [RUN] FILE': both arguments are optional to Click (with one, it is the file),
    but the file is not."""

    def collect_usage_pieces(self, ctx):  # noqa: ANN001, ANN201 - Click's signature
        return [p for p in super().collect_usage_pieces(ctx) if p not in ("[RUN]", "[FILE]")] + ["[RUN] FILE"]


@app.command("screening", cls=_RunThenFile)
def screening(
    # RUN may be left out (the latest run): with one argument Click fills the first, which is then the file.
    run_or_file: Annotated[str | None, typer.Argument(
        metavar="[RUN]", help="Số lần rà soát (mặc định: lần mới nhất; xem 'dangvien screening list').",
        show_default=False)] = None,
    file: Annotated[Path | None, typer.Argument(metavar="FILE", help="Tệp .xlsx sẽ ghi.", dir_okay=False,
                                                show_default=False)] = None,
    committee: Annotated[str | None, typer.Option("--committee", help="Tên cấp ủy ghi ở góc trái.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")] = None,
) -> None:
    """Xuất danh sách đề nghị xem xét của một lần rà soát (mặc định lần mới nhất), theo chi bộ, để trình hội
    nghị cấp ủy. Số mục in trên danh sách là số 'dangvien screening resolve' nhận.

    Ví dụ: dangvien export screening ra-soat-2025.xlsx --committee "Đảng ủy xã Tân Lập"
    (hoặc một lần cụ thể: dangvien export screening 3 ra-soat-2025.xlsx)
    """
    from dangvien_cli.excel.screening_writer import write_screening
    from dangvien_cli.services import screening as svc
    from dangvien_cli.services.exports import heading

    run_id = None
    if run_or_file is None:
        output.error("Thiếu tên tệp sẽ ghi.", "Ví dụ: dangvien export screening ra-soat-2025.xlsx")
        raise typer.Exit(2)
    if file is None:
        file = Path(run_or_file)
    elif run_or_file.strip().isdigit():
        run_id = int(run_or_file)
    else:
        output.error(f"Số lần rà soát '{run_or_file}' không hợp lệ.",
                     "Ghi số lần (xem 'dangvien screening list') rồi tên tệp, ví dụ: "
                     "dangvien export screening 3 ra-soat.xlsx; hoặc chỉ tên tệp để xuất lần mới nhất.")
        raise typer.Exit(2)
    if file.is_dir():
        output.error(f"'{file}' là một thư mục.", "Ghi tên tệp .xlsx sẽ ghi, ví dụ: ra-soat-2025.xlsx.")
        raise typer.Exit(2)
    with database().read() as conn:
        run = svc.show(conn, run_id)
        head = heading(conn, None)
    if committee:
        head["committee"] = committee
    with output.progress("Đang ghi tệp"):
        result = write_screening(file, run, head=head, place=place)
    output.success(f"Đã ghi {result['findings']} mục đảng viên ({result['sections']} chi bộ) và "
                   f"{result['org_findings']} mục tổ chức vào {result['path']}.")


# --- the books sent out to the cells, to be filled in and imported back (services/book_exports.py) ------------

_BOOK_HELP = {
    "attendance": ("Xuất sổ theo dõi sinh hoạt chi bộ một năm theo đúng mẫu 'dangvien import attendance' đọc, để "
                   "chi bộ ghi tiếp rồi gửi lại.", "so-sinh-hoat-2025.xlsx"),
    "dues": ("Xuất sổ thu đảng phí một năm theo đúng mẫu 'dangvien import dues' đọc, để chi bộ ghi tiếp rồi gửi "
             "lại.", "so-dang-phi-2025.xlsx"),
    "ratings": ("Xuất bảng xếp loại chất lượng đảng viên một năm theo đúng mẫu 'dangvien import ratings' đọc, để "
                "chi bộ ghi rồi gửi lại.", "xep-loai-2025.xlsx"),
}
_BOOK_WHAT = {"attendance": "sổ sinh hoạt", "dues": "sổ đảng phí", "ratings": "bảng xếp loại"}


def _book_command(kind: str) -> None:
    text, example = _BOOK_HELP[kind]

    def command(
        file: OutArg,
        year: Annotated[int, typer.Option("--year", help="Năm của sổ.")],
        cell: Annotated[str | None, typer.Option("--cell", help="Đảng bộ/chi bộ (mặc định: tất cả).")] = None,
        place: Annotated[str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")] = None,
    ) -> None:
        from dangvien_cli.formats import number_vi
        from dangvien_cli.services import book_exports as svc

        with output.progress("Đang ghi tệp"), database().read() as conn:
            result = svc.export_book(conn, kind, file, year=year, cell=cell, place=place)
        output.success(f"Đã ghi {_BOOK_WHAT[kind]} năm {year}: {number_vi(result['members'])} đảng viên "
                       f"({result['sections']} chi bộ, {number_vi(result['recorded'])} đã có số liệu) vào "
                       f"{result['path']}. Nhập lại: dangvien import {kind} {file.name} --year {year}")

    command.__doc__ = f"{text}\n\nVí dụ: dangvien export {kind} {example} --year 2025 --cell TL"
    app.command(kind)(command)


for _kind in ("attendance", "dues", "ratings"):
    _book_command(_kind)


@app.command("badges")
def badges(
    file: OutArg,
    occasion: Annotated[str | None, typer.Option("--occasion", help="Ngày của dịp trao (3/2, 19/5, 2/9, 7/11…); "
                                                 "mặc định dịp gần nhất từ hôm nay.")] = None,
    cell: Annotated[str | None, typer.Option("--cell", help="Đảng bộ/chi bộ (mặc định: tất cả).")] = None,
    place: Annotated[str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")] = None,
) -> None:
    """Xuất danh sách đảng viên đề nghị tặng Huy hiệu Đảng vào một dịp trao (theo mốc, cao trước; đủ tuổi đảng,
    ốm nặng xét tặng sớm, truy tặng), để cấp ủy ký gửi cấp trên.

    Ví dụ: dangvien export badges huy-hieu-19-5-2026.xlsx --occasion 19/05/2026 --cell TL
    """
    from dangvien_cli.formats import number_vi
    from dangvien_cli.rules.dates import format_vi
    from dangvien_cli.services import badge_exports as svc

    with output.progress("Đang ghi tệp"), database().read() as conn:
        result = svc.export_ceremony(conn, file, occasion=occasion, cell=cell, place=place)
    output.success(f"Đã ghi {number_vi(result['members'])} đảng viên đề nghị tặng Huy hiệu Đảng dịp "
                   f"{format_vi(result['occasion'])} vào {result['path']}.")


@app.command("member")
def member(
    ref: Annotated[str, typer.Argument(help="Mã số, số thẻ đảng viên hoặc số định danh cá nhân (12 số).")],
    file: OutArg,
    place: Annotated[str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")] = None,
    full_ids: FullIdsOpt = False,
) -> None:
    """Xuất phiếu đảng viên (mẫu 2-HSĐV) của một đảng viên: lý lịch, vào Đảng, quá trình sinh hoạt, chuyển sinh
    hoạt, xếp loại hằng năm, Huy hiệu Đảng; in A4 dọc như mẫu, để đảng viên và cấp ủy ký.

    Ví dụ: dangvien export member 08012345 phieu-dang-vien-08012345.xlsx --place "Tân Lập"
    """
    from dangvien_cli.services import member_sheet as svc

    with output.progress("Đang ghi tệp"), database().read() as conn:
        result = svc.export_member(conn, ref, file, full_ids=full_ids, place=place)
    output.success(f"Đã ghi phiếu đảng viên mã số {result['member_id']} ({result['sections']} phần, "
                   f"{result['lines']} dòng) vào {result['path']}.")
