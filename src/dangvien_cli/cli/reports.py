"""dangvien reports: statistics (the yearly admission rate, the profile of new members).

``export_report`` is the ``dangvien export report admissions FILE --year Y`` command; cli/export.py registers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Format

app = typer.Typer(help="Báo cáo thống kê: tỷ lệ kết nạp đảng viên, đặc điểm đảng viên mới.", no_args_is_help=True)

YearOpt = Annotated[int, typer.Option("--year", help="Năm báo cáo, ví dụ 2025.")]
RATE_COLUMNS = [("name_vi", "Tổ chức đảng"), ("cell_code", "Mã"), ("members_at_start", "Đảng viên đầu năm"),
                ("admitted", "Kết nạp trong năm"), ("rate_vi", "Tỷ lệ (%)"), ("status_vi", "So với chỉ tiêu")]
RATE_CSV = [(k, k) for k in ("cell_code", "cell_name", "members_at_start", "admitted", "rate_percent",
                             "target_status")]
COUNTING_NOTE = (
    "Đảng viên đầu năm: vào Đảng trước 01/01 của năm và chưa ra khỏi danh sách trước ngày đó (theo ngày ghi khi "
    "ra khỏi danh sách); kết nạp trong năm: ngày vào Đảng (lễ kết nạp) trong năm. Mỗi đảng viên được tính ở chi "
    "bộ đang sinh hoạt hiện nay; đảng bộ cộng tất cả tổ chức trực thuộc."
)


@app.command("admissions")
def admissions(year: YearOpt, fmt: FormatOpt = Format.table) -> None:
    """Tỷ lệ kết nạp đảng viên trong năm của từng đảng bộ, chi bộ và toàn cơ sở dữ liệu, so với chỉ tiêu 3–4% (thiết lập admission.target_min_percent / admission.target_max_percent, domain.md §7).

    Đảng viên đầu năm: vào Đảng trước 01/01 và chưa ra khỏi danh sách trước ngày đó. Kết nạp trong năm: ngày vào Đảng (lễ kết nạp) trong năm. Mỗi đảng viên được tính ở chi bộ đang sinh hoạt hiện nay (không theo chi bộ lúc đầu năm); đảng bộ cộng tất cả tổ chức trực thuộc.

    Ví dụ: dangvien reports admissions --year 2025 --format json
    """
    from dangvien_cli.services import reports as svc

    with database().transaction() as session:
        report = svc.admissions_rate(session, year)
    if fmt is Format.json:
        output.emit_json(report)
    elif fmt is Format.csv:
        output.emit_csv(report["rows"], RATE_CSV)
    else:
        from dangvien_cli.excel.report_writer import STATUS_VI

        shown = [r | {"name_vi": "  " * (r["level"] or 0) + r["cell_name"],
                      "rate_vi": "" if r["rate_percent"] is None else f"{r['rate_percent']:.2f}",
                      "status_vi": STATUS_VI.get(r["target_status"], "")} for r in report["rows"]]
        output.emit_rows(shown, RATE_COLUMNS, fmt,
                         title=f"Tỷ lệ kết nạp năm {year} (chỉ tiêu {report['target_min_percent']:g}–"
                         f"{report['target_max_percent']:g}%)")
        output.info(COUNTING_NOTE)


@app.command("new-members")
def new_members(
    year: YearOpt,
    cell: Annotated[str | None, typer.Option("--cell", help="Chỉ tổ chức này (kể cả cấp dưới).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Đặc điểm đảng viên mới kết nạp trong năm: tuổi đời, giới tính, dân tộc, tôn giáo, nghề nghiệp, học vấn (như Biểu số 2-BTCTW, domain.md §5).

    Ví dụ: dangvien reports new-members --year 2025 --cell TL
    """
    from dangvien_cli.services import reports as svc

    with database().transaction() as session:
        profile = svc.new_members(session, year, cell=cell)
    if fmt is Format.json:
        output.emit_json(profile)
        return
    rows = [{"group": "Tổng số", "label": "Đảng viên mới kết nạp", "count": profile["total"]},
            {"group": "Trong đó", "label": "Nữ", "count": profile["female"]},
            {"group": "Trong đó", "label": "Dân tộc thiểu số", "count": profile["ethnic_minority"]},
            {"group": "Trong đó", "label": "Có tôn giáo", "count": profile["religious"]}]
    for group, key in (("Tuổi đời", "age_groups"), ("Dân tộc", "ethnicity"), ("Tôn giáo", "religion"),
                       ("Nghề nghiệp", "occupation"), ("Học vấn", "education")):
        rows += [{"group": group, "label": i.get("label") or i["value"], "count": i["count"]} for i in profile[key]]
    output.emit_rows(rows, [("group", "Nhóm"), ("label", "Chỉ tiêu"), ("count", "Số lượng")], fmt,
                     title=f"Đảng viên mới kết nạp năm {year}")


def export_report(
    kind: Annotated[str, typer.Argument(help="Loại báo cáo: admissions (tỷ lệ kết nạp và đảng viên mới).")],
    file: Annotated[Path, typer.Argument(help="Tệp .xlsx sẽ ghi.", dir_okay=False)],
    year: YearOpt,
) -> None:
    """Xuất báo cáo ra Excel: 'admissions' = tỷ lệ kết nạp theo tổ chức so với chỉ tiêu (kèm biểu đồ) và đặc điểm đảng viên mới, tiêu đề kiểu Biểu số 2-BTCTW.

    Ví dụ: dangvien export report admissions bao-cao-ket-nap-2025.xlsx --year 2025
    """
    from dangvien_cli.excel.report_writer import write_admissions_report
    from dangvien_cli.services import reports as svc

    if kind != "admissions":
        output.error(f"Không có báo cáo '{kind}'.", "Hiện có: admissions.")
        raise typer.Exit(2)
    with database().transaction() as session:
        report = svc.admissions_rate(session, year)
        profile = svc.new_members(session, year)
    roots = [r for r in report["rows"] if r["level"] == 0]
    organization = roots[0]["cell_name"] if len(roots) == 1 else None
    path = write_admissions_report(file, report, profile, organization=organization)
    output.success(f"Đã ghi báo cáo kết nạp năm {year} ({len(report['rows'])} dòng) vào {path}.")
