"""dangvien reports: statistics (the yearly admission rate, the profile of new members).

``export_report`` is the ``dangvien export report admissions FILE --year Y`` command; cli/export.py registers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dangvien_cli import vocab
from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, full_day
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format
from dangvien_cli.formats import money_vi, number_vi, percent_vi, ranges

app = typer.Typer(help="Báo cáo thống kê: tỷ lệ kết nạp đảng viên, đặc điểm đảng viên mới.", no_args_is_help=True)

YearOpt = Annotated[int, typer.Option("--year", help="Năm báo cáo, ví dụ 2025.")]
def _target(row: dict) -> str:
    return vocab.TARGET_STATUS.label(row["target_status"])


RATE_COLUMNS = [Col("cell_name", "Tổ chức đảng", rank=0, show=lambda r: "  " * (r["level"] or 0) + r["cell_name"]),
                Col("cell_code", "Mã", rank=3), Col("members_at_start", "Đầu năm", count=True, rank=0),
                Col("admitted", "Kết nạp", count=True, rank=0),
                Col("rate_percent", "Tỷ lệ", rank=0, show=lambda r: percent_vi(r["rate_percent"])),
                Col("target_status", "So với chỉ tiêu", rank=1, show=_target)]
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

    with database().read() as conn:
        report = svc.admissions_rate(conn, year)
    output.emit_rows(report["rows"], RATE_COLUMNS, json_data=report, csv_columns=RATE_CSV,
                     title=f"Tỷ lệ kết nạp năm {year} (chỉ tiêu {number_vi(report['target_min_percent'])}–"
                     f"{percent_vi(report['target_max_percent'], None)})")
    if output.is_table():
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

    with database().read() as conn:
        profile = svc.new_members(conn, year, cell=cell)
    rows = [{"group": "Tổng số", "label": "Đảng viên mới kết nạp", "count": profile["total"]},
            {"group": "Trong đó", "label": "Nữ", "count": profile["female"]},
            {"group": "Trong đó", "label": "Dân tộc thiểu số", "count": profile["ethnic_minority"]},
            {"group": "Trong đó", "label": "Có tôn giáo", "count": profile["religious"]}]
    for group, key in (("Tuổi đời", "age_groups"), ("Dân tộc", "ethnicity"), ("Tôn giáo", "religion"),
                       ("Nghề nghiệp", "occupation"), ("Học vấn", "education")):
        rows += [{"group": group, "label": i.get("label") or i["value"], "count": i["count"]} for i in profile[key]]
    output.emit_rows(rows, [Col("group", "Nhóm"), Col("label", "Chỉ tiêu"), Col("count", "Số lượng", count=True)],
                     title=f"Đảng viên mới kết nạp năm {year}", json_data=profile)


# How the printed form numbers its rows (Biểu 1-BTCTW): A, B 1 2 a b 3, C 1 2 3 (of whom) 4 5 a b, D.
FORM_NUMBERING = {"B1": "1", "B2": "2", "B2a": "a", "B2b": "b", "B3": "3", "C1": "1", "C2": "2", "C3": "3",
                  "C3_probationary": "", "C4": "4", "C5": "5", "C5a": "a", "C5b": "b"}
CHANGE_COLUMNS = [Col("code", "Mục", rank=0), Col("label", "Chỉ tiêu", wrap=True, rank=0),
                  Col("this_period", "Kỳ này", rank=0, count=True),
                  Col("same_period_last_year", "Cùng kỳ năm trước", rank=0, count=True),
                  Col("percent_vi", "%", rank=0)]


@app.command("changes")
def changes(
    start: Annotated[str, typer.Option("--from", help="Ngày đầu kỳ báo cáo (dd/mm/yyyy).")],
    end: Annotated[str, typer.Option("--to", help="Ngày cuối kỳ báo cáo (dd/mm/yyyy).")],
    cell: Annotated[str | None, typer.Option("--cell", help="Tổ chức đảng (mặc định: cả cơ sở dữ liệu).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Biểu 1-BTCTW: tăng, giảm đảng viên trong kỳ, so với cùng kỳ năm trước (A + B − C = D).

    Dựng lại từ lịch sử: ngày vào Đảng, chuyển sinh hoạt, ra khỏi danh sách. Cây tổ chức là cây của ngày cuối
    kỳ; sáp nhập, giải thể, chuyển tổ chức không tính là chuyển đến hay chuyển đi. Đảng viên mà lịch sử không đủ
    để đặt vào ngày đầu hay cuối kỳ (chưa có ngày vào Đảng...) được đếm riêng, không đoán.

    Ví dụ: dangvien reports changes --from 01/01/2025 --to 31/12/2025 --cell TL
    """
    from dangvien_cli.errors import InvalidValue
    from dangvien_cli.services import statistics as svc

    first, last = full_day(start, "--from"), full_day(end, "--to")
    if first > last:
        raise InvalidValue("Ngày đầu kỳ (--from) sau ngày cuối kỳ (--to).", hint="Ghi --from trước --to.")
    with database().read() as conn:
        data = svc.changes(conn, first, last, cell)
    rows = [r | {"code": FORM_NUMBERING.get(r["code"], r["code"]),
                 "percent_vi": "" if r["percent"] is None else f"{r['percent']:.1f}".replace(".", ",")}
            for r in data["rows"]]
    where = data["cell_name"] or "Cả cơ sở dữ liệu"
    output.emit_rows(rows, CHANGE_COLUMNS, json_data=data,
                     title=f"Biểu 1-BTCTW: thống kê tăng, giảm đảng viên\n{where}, từ {start} đến {end}")
    if output.is_table():
        for row, what, option in (("B2", "chuyển đến từ ngoài cơ sở dữ liệu", "members arrive"),
                                  ("C5", "chuyển đi ra ngoài cơ sở dữ liệu", "members transfer")):
            if data["unclassified"][row]:
                output.info(f"{data['unclassified'][row]} đảng viên {what} chưa ghi rõ tỉnh khác hay trong tỉnh: "
                            f"có trong mục {row}, chưa vào {row}a hay {row}b (ghi --other-province hoặc "
                            f"--same-province khi dùng '{option}').")
        if data["unplaced"]:
            output.warn(f"{data['unplaced']} đảng viên không tính được vì lịch sử chưa đủ (chưa có ngày vào Đảng, hoặc "
                        "ngày chỉ có tháng/năm trùng kỳ báo cáo); bổ sung bằng 'dangvien members update'.")


@app.command("profile")
def profile(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Tính đến ngày (dd/mm/yyyy; mặc định hôm nay).")] = None,
    cell: Annotated[str | None, typer.Option("--cell", help="Tổ chức đảng (mặc định: cả cơ sở dữ liệu).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Biểu 3-BTCTW: đội ngũ đảng viên tính đến một ngày: giới tính, tuổi, dân tộc, tôn giáo, học vấn, chuyên
    môn, lý luận chính trị, nghề nghiệp, tuổi đảng, dự bị/chính thức — số lượng và tỷ lệ.

    Hồ sơ được tính như đã ghi vào cuối ngày đó: sửa đổi ghi sau ngày đó không làm đổi số liệu.

    Ví dụ: dangvien reports profile --as-of 31/12/2025 --cell TL
    """
    from dangvien_cli.rules.dates import today
    from dangvien_cli.services import statistics as svc

    day = full_day(as_of, "--as-of", today())
    with database().read() as conn:
        data = svc.profile(conn, day, cell)
    if not output.is_table():
        output.emit_json(data)
        return
    titles = {"gender": "Giới tính", "age_band": "Độ tuổi", "ethnicity": "Dân tộc", "religion": "Tôn giáo",
              "education_general": "Giáo dục phổ thông", "education_professional": "Chuyên môn, nghiệp vụ",
              "political_theory": "Lý luận chính trị", "occupation": "Nghề nghiệp", "party_age_band": "Tuổi đảng",
              "membership": "Dự bị / chính thức"}
    rows = []
    for group, items in data["groups"].items():
        for item in items:
            rows.append({"group": titles[group], "label": item["label"], "count": item["count"],
                         "percent_vi": f"{item['percent']:.1f}".replace(".", ",")})
    where = data["cell_name"] or "Cả cơ sở dữ liệu"
    output.emit_rows(rows, [Col("group", "Nhóm", rank=0), Col("label", "Chỉ tiêu", wrap=True, rank=0),
                            Col("count", "Số lượng", rank=0, count=True), Col("percent_vi", "Tỷ lệ (%)", rank=0)],
                     title=f"Biểu 3-BTCTW: đội ngũ đảng viên\n{where}, đến ngày {day.strftime('%d/%m/%Y')}: "
                     f"{data['total']} đảng viên")
    if data["unplaced"]:
        output.warn(f"{data['unplaced']} đảng viên không tính được vì lịch sử chưa đủ (chưa có ngày vào Đảng...).")


SUMMARY_MEMBER_COLUMNS = [Col("cell_code", "Chi bộ", rank=0), Col("cell_name", "Tên", rank=4),
                          Col("total", "Tổng", rank=0, count=True), Col("official", "Chính thức", rank=1, count=True),
                          Col("probationary", "Dự bị", rank=0, count=True),
                          Col("exempt", "Miễn SH", rank=2, count=True), Col("suspended", "Tạm đình chỉ", rank=3, count=True)]
SUMMARY_DUE_COLUMNS = [Col("due_vi", "Hạn", rank=0), Col("what_vi", "Việc", wrap=True, rank=0),
                       Col("full_name", "Họ và tên", rank=0), Col("cell_code", "Chi bộ", rank=1)]
SUMMARY_SCREENING_COLUMNS = [Col("item_no", "Mục", rank=0), Col("label", "Căn cứ", wrap=True, rank=0),
                             Col("full_name", "Đảng viên", rank=0, show=lambda r: r["full_name"] or "(tổ chức)"),
                             Col("cell_code", "Chi bộ", rank=1)]
SUMMARY_OPEN_ITEMS = 10  # the screening's open items the first screen shows (the rest: screening show)
SUMMARY_BOOK_COLUMNS = [Col("cell_code", "Chi bộ", rank=0), Col("members", "Đảng viên", rank=0, count=True),
                        Col("attendance_missing", "Chưa có sổ sinh hoạt", rank=0, count=True),
                        Col("dues_missing", "Chưa có sổ đảng phí", rank=0, count=True),
                        Col("ratings_missing", "Chưa xếp loại", rank=0, count=True)]
SUMMARY_DOSSIER_COLUMNS = [Col("cell_code", "Chi bộ", rank=0), Col("cell_name", "Tên", rank=2),
                           Col("members", "Đảng viên", rank=1, count=True),
                           Col("priority_1_vi", "Đã scan ưu tiên 1", rank=0), Col("all_vi", "Đã scan tất cả", rank=0)]


def _due_rows(due: dict, month_end: str) -> list[dict]:
    """The month's deadlines of every kind in one list, by date (the table view); the badges when their
    occasion falls in the month."""
    from dangvien_cli.formats import date_vi

    rows = [{"due": a["due_date"], "what_vi": vocab.ADMISSION_DEADLINE.label(a["what"]), "full_name": a["full_name"],
             "cell_code": a["cell_code"], "overdue": a["overdue"]} for a in due["admissions"]]
    if due["badges"]["occasion"] <= month_end:  # a later occasion: one line under the table
        rows += [{"due": b["occasion"], "what_vi": f"{vocab.DUE_KIND.label('badge')} {b['milestone']} năm",
                  "full_name": b["full_name"], "cell_code": b["cell_code"], "overdue": False}
                 for b in due["badges"]["members"]]
    for key, kind in (("exemptions_ending", "exemption_end"), ("temporary_transfers_ending", "temporary_transfer_end")):
        rows += [{"due": e["end_date"], "what_vi": vocab.DUE_KIND.label(kind), "full_name": e["full_name"],
                  "cell_code": e["cell_code"], "overdue": e["overdue"]} for e in due[key]]
    rows.sort(key=lambda r: (r["due"], r["cell_code"] or "", r["full_name"]))
    for r in rows:
        r["due_vi"] = date_vi(r["due"]) + (" (quá hạn)" if r["overdue"] else "")
    return rows


@app.command("summary")
def summary(
    cell: Annotated[str | None, typer.Option("--cell", help="Tổ chức đảng (mặc định: cả cơ sở dữ liệu).")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Năm của sổ sinh hoạt, sổ đảng phí, xếp loại "
                                                            "(mặc định: năm nay).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Màn hình đầu tiên: đảng viên theo chi bộ; việc đến hạn trong tháng (quyết định, lễ kết nạp, công nhận
    chính thức, Huy hiệu Đảng, hết hạn miễn sinh hoạt, hết hạn sinh hoạt tạm thời); lần rà soát gần nhất và
    các mục chưa quyết định; sổ của năm còn thiếu; tiến độ số hóa hồ sơ.

    Ví dụ: dangvien reports summary --cell TL
    """
    from dangvien_cli.formats import date_vi
    from dangvien_cli.services import summary as svc

    with database().read() as conn:
        data = svc.summary(conn, cell, year=year)
    if not output.is_table():
        if fmt is Format.csv:  # one line a cell: its members, the books it lacks, its dossiers
            output.emit_csv(svc.per_cell(data), [(k, k) for k in svc.PER_CELL_COLUMNS])
        else:
            output.emit_json(data)
        return
    where = data["cell_name"] or "cả cơ sở dữ liệu"
    month = f"{data['month'][5:]}/{data['month'][:4]}"
    rows = data["members"]["rows"]
    if len(rows) > 1:  # the whole scope on a line of its own (a title would not fit 80 columns with it)
        rows = [*rows, data["members"]["total"] | {"cell_code": "Cộng", "cell_name": ""}]
    output.emit_rows(rows, SUMMARY_MEMBER_COLUMNS, title=f"Đảng viên — {where}, ngày {date_vi(data['as_of'])}",
                     empty="Chưa có đảng viên nào: nhập danh sách bằng 'dangvien import roster TỆP'.")
    output.gap()
    badges = data["due"]["badges"]
    month_end = f"{data['month']}-31"
    output.emit_rows(_due_rows(data["due"], month_end), SUMMARY_DUE_COLUMNS, title=f"Việc đến hạn tháng {month}",
                     empty="Không có việc nào đến hạn trong tháng.")
    if badges["occasion"] > month_end or not badges["members"]:
        who = f"{number_vi(len(badges['members']))} đảng viên đến hạn" if badges["members"] else "chưa có ai đến hạn"
        output.info(f"Dịp trao Huy hiệu Đảng tới ({date_vi(badges['occasion'])}): {who}"
                    + (" (xem 'dangvien badges due')." if badges["members"] else "."))
    output.gap()
    run = data["screening"]
    if run is None:
        output.info(f"Chưa có lần rà soát nào: chạy 'dangvien screening run --year {data['year']}'.")
    else:
        output.emit_rows(run["open_items"][:SUMMARY_OPEN_ITEMS], SUMMARY_SCREENING_COLUMNS,
                         title=f"Rà soát năm {run['year']} (lần {run['run_id']}, ngày {date_vi(run['as_of'])}): "
                         f"{run['open']}/{run['items']} mục chưa quyết định",
                         empty="Mọi mục đã có quyết định.")
        if run["open"] > SUMMARY_OPEN_ITEMS:
            output.info(f"Còn {number_vi(run['open'] - SUMMARY_OPEN_ITEMS)} mục nữa: xem đủ bằng 'dangvien screening "
                        f"show {run['run_id']}'.")
        if run["open"]:
            output.info(f"Ghi quyết định bằng 'dangvien screening resolve {run['run_id']} MỤC --decision …'.")
    output.gap()
    output.emit_rows(data["books"]["rows"], SUMMARY_BOOK_COLUMNS,
                     title=f"Sổ năm {data['books']['year']} còn thiếu (số đảng viên chưa có)",
                     empty=f"Sổ sinh hoạt, sổ đảng phí, xếp loại năm {data['books']['year']}: đủ cho mọi đảng viên.")
    output.gap()
    d = data["dossier"]
    if not d["members"]:
        return
    rows = [r | {"priority_1_vi": percent_vi(r["priority_1_percent"], 1), "all_vi": percent_vi(r["all_percent"], 1)}
            for r in d["rows"]]
    output.emit_rows(rows, SUMMARY_DOSSIER_COLUMNS,
                     title=f"Số hóa hồ sơ: ưu tiên 1 {percent_vi(d['priority_1_percent'], 1)}, tất cả "
                     f"{percent_vi(d['all_percent'], 1)}")


def _dues_status(r: dict) -> str:
    return f"{'Thiếu' if r['status'] == 'short' else 'Thừa'} {money_vi(abs(r['difference']))}"


DUES_COLUMNS = [Col("full_name", "Họ và tên", wrap=True, rank=0), Col("cell_code", "Chi bộ", rank=3),
                Col("month", "Tháng", rank=0),
                Col("due", "Phải đóng", rank=0, show=lambda r: "miễn" if r["exempt"] else money_vi(r["due"])),
                Col("paid", "Đã đóng", rank=0, show=lambda r: money_vi(r["paid"])),
                Col("status", "Chênh lệch", rank=0, show=_dues_status),
                Col("citation", "Căn cứ", wrap=True, rank=0), Col("basis", "Cách tính", wrap=True, rank=2)]
DUES_CSV = [(k, k) for k in ("member_id", "card_number", "full_name", "cell_code", "month", "due", "paid",
                             "difference", "status", "regulation", "basis")]


@app.command("dues")
def dues(
    year: YearOpt,
    cell: Annotated[str | None, typer.Option("--cell", help="Tổ chức đảng (kể cả cấp dưới; mặc định: cả cơ sở "
                                             "dữ liệu).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Đối chiếu sổ đảng phí với số phải đóng: các tháng đóng thiếu, đóng thừa của từng đảng viên.

    Số phải đóng tính theo diện đóng đảng phí của đảng viên ('dangvien dues category') và quy định có hiệu lực
    tháng đó: Quyết định 342-QĐ/TW đến 31/01/2026, Quy định 01-QĐ/TW từ 01/02/2026. Tháng chưa đóng được rà soát
    riêng (căn cứ 'Không đóng đảng phí'); tháng chưa tính được (chưa ghi diện, chưa đặt lương tối thiểu vùng)
    được đếm riêng.

    Ví dụ: dangvien reports dues --year 2026 --cell TL
    """
    from dangvien_cli.services import dues as svc

    with database().read() as conn:
        data = svc.report(conn, year, cell)
    where = f"chi bộ {data['cell_code']}" if data["cell_code"] else "cả cơ sở dữ liệu"
    title = f"Đối chiếu đảng phí năm {year} — {where} ({number_vi(data['members_checked'])} đảng viên có sổ)"
    output.emit_rows(data["rows"], DUES_COLUMNS, json_data=data, csv_columns=DUES_CSV, title=title,
                     empty="Không có tháng nào đóng thiếu hay đóng thừa.")
    if output.is_table():
        output.info(f"{data['months_short']} tháng đóng thiếu ({money_vi(data['short_total'])}), "
                    f"{data['months_over']} tháng đóng thừa ({money_vi(data['over_total'])}).")
        if data["regulations"]:
            output.info("Căn cứ: " + "; ".join(f"tháng {ranges(r['months'])}/{year} theo {r['citation']}"
                                               for r in data["regulations"]) + ".")
        if data["months_unpaid"]:
            output.info(f"{data['months_unpaid']} tháng chưa đóng: xem 'dangvien screening run --year {year}'.")
        if data["months_unknown"]:
            output.warn(f"{data['months_unknown']} tháng chưa tính được số phải đóng (chưa ghi diện đóng đảng phí "
                        "hoặc chưa đặt lương tối thiểu vùng): xem 'dangvien dues due REF --year "
                        f"{year}'.")


def _export_dues(file: Path, year: int, cell: str | None, place: str | None) -> None:
    """`export report dues FILE --year Y [--cell CELL]`: the dues report (reports dues) as a printed list."""
    from dangvien_cli.excel import dues_writer
    from dangvien_cli.services import dues as svc
    from dangvien_cli.services.exports import heading
    from dangvien_cli.store import cells as cell_store

    with database().read() as conn:
        data = svc.report(conn, year, cell)
        head = heading(conn, cell_store.find(conn, cell) if cell else None)
    with output.progress("Đang ghi tệp"):
        result = dues_writer.write_dues(file, data, head=head, place=place)
    output.success(f"Đã ghi đối chiếu đảng phí năm {year} ({number_vi(result['rows'])} tháng đóng thiếu, đóng "
                   f"thừa) vào {result['path']}.")


# --- Biểu 2B, 5, 6, 7 (services/forms.py) -------------------------------------------------------------------
CellOpt = Annotated[str | None, typer.Option("--cell", help="Tổ chức đảng (mặc định: cả cơ sở dữ liệu), kể cả "
                                                         "các tổ chức trực thuộc.")]
FromOpt = Annotated[str | None, typer.Option("--from", help="Ngày đầu kỳ (dd/mm/yyyy; hoặc dùng --year).")]
ToOpt = Annotated[str | None, typer.Option("--to", help="Ngày cuối kỳ (dd/mm/yyyy; hoặc dùng --year).")]
PeriodYearOpt = Annotated[int | None, typer.Option("--year", help="Cả năm (thay cho --from/--to), ví dụ 2025.")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="Tính đến ngày (dd/mm/yyyy; mặc định hôm nay).")]


def _pct(value: float | None) -> str:
    return "" if value is None else number_vi(value, 1)


def period(year: int | None, start: str | None, end: str | None):  # noqa: ANN201 - (date, date)
    """The report period from --year, or --from and --to (whole days), refused when neither or both."""
    from datetime import date

    from dangvien_cli.errors import InvalidValue
    from dangvien_cli.services.values import check_year

    if year is not None:
        if start or end:
            raise InvalidValue("Ghi --year hoặc --from/--to, không ghi cả hai.", hint="Ví dụ: --year 2025.")
        check_year(year, "Ghi năm dạng 2025.")
        return date(year, 1, 1), date(year, 12, 31)
    if not (start and end):
        raise InvalidValue("Chưa ghi kỳ báo cáo.", hint="Ghi --year 2025, hoặc --from 01/01/2025 --to 31/12/2025.")
    first, last = full_day(start, "--from"), full_day(end, "--to")
    if first > last:
        raise InvalidValue("Ngày đầu kỳ (--from) sau ngày cuối kỳ (--to).", hint="Ghi --from trước --to.")
    return first, last


def _where(data: dict) -> str:
    return data["cell_name"] or "Cả cơ sở dữ liệu"


def _span(data: dict) -> str:
    from dangvien_cli.formats import date_vi

    return f"từ {date_vi(data['from'])} đến {date_vi(data['to'])}"


def _warn_unplaced(data: dict) -> None:
    if data.get("unplaced"):
        output.warn(f"{number_vi(data['unplaced'])} đảng viên không tính được vì lịch sử chưa đủ (chưa có ngày vào "
                    "Đảng, hoặc ngày chỉ có tháng/năm trùng ngày báo cáo); bổ sung bằng 'dangvien members update'.")


@app.command("ethnicity")
def ethnicity(year: PeriodYearOpt = None, start: FromOpt = None, end: ToOpt = None, cell: CellOpt = None,
              fmt: FormatOpt = Format.table) -> None:
    """Biểu 2B-BTCTW: đảng viên mới kết nạp trong kỳ (kể cả kết nạp lại) theo dân tộc và theo tôn giáo, có số
    nữ, người dân tộc thiểu số, người có đạo.

    Dựng lại từ lịch sử: ngày vào Đảng, chi bộ lúc kết nạp; dân tộc và tôn giáo như hồ sơ ghi đến ngày cuối kỳ.

    Ví dụ: dangvien reports ethnicity --year 2025 --cell TL
    """
    from dangvien_cli.services import forms as svc

    first, last = period(year, start, end)
    with database().read() as conn:
        data = svc.ethnicity_religion(conn, first, last, cell)
    rows = [{"group": "Tổng số", "label": "Đảng viên mới kết nạp", "count": data["total"], "female": data["female"],
             "percent": 100.0 if data["total"] else None}]
    for group, key in (("Dân tộc", "ethnicity"), ("Tôn giáo", "religion")):
        rows += [{"group": group, **item} for item in data["groups"][key]]
    output.emit_rows(rows, [Col("group", "Nhóm", rank=1), Col("label", "Chỉ tiêu", wrap=True, rank=0),
                            Col("count", "Số lượng", count=True, rank=0), Col("female", "Nữ", count=True, rank=0),
                            Col("percent", "Tỷ lệ (%)", rank=0, show=lambda r: _pct(r["percent"]))],
                     json_data=data, title=f"Biểu 2B-BTCTW: đảng viên mới kết nạp theo dân tộc, tôn giáo\n"
                     f"{_where(data)}, {_span(data)}")
    if output.is_table():
        output.info(f"Người dân tộc thiểu số: {number_vi(data['ethnic_minority'])}; người có đạo: "
                    f"{number_vi(data['religious'])}.")
        _warn_unplaced(data)


UNIT_COLUMNS = [Col("label", "Loại đơn vị", wrap=True, rank=0),
                Col("grassroots_committee", "ĐBCS", count=True, rank=0),
                Col("grassroots_cell", "CBCS", count=True, rank=0),
                Col("partial_committee", "ĐBBP", count=True, rank=0),
                Col("cell", "CBTT", count=True, rank=0),
                Col("members", "Đảng viên", count=True, rank=0),
                Col("probationary", "Dự bị", count=True, rank=0)]


@app.command("units")
def units(as_of: AsOfOpt = None, cell: CellOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Biểu 5-BTCTW: tổ chức đảng và đảng viên theo loại hình đơn vị cơ sở (thôn, tổ dân phố, cơ quan, trường
    học, doanh nghiệp...), tính đến một ngày.

    Loại đơn vị là loại ghi trên tổ chức, không có thì theo tổ chức cấp trên gần nhất ('dangvien cells update
    --unit-type'). Tổ chức đã giải thể trước ngày đó không tính; tổ chức không ghi ngày thành lập mà lịch sử
    không cho biết đã có vào ngày đó được đếm riêng.

    Ví dụ: dangvien reports units --as-of 31/12/2025 --cell TL
    """
    from dangvien_cli.rules.dates import today
    from dangvien_cli.services import forms as svc

    day = full_day(as_of, "--as-of", today())
    with database().read() as conn:
        data = svc.units(conn, day, cell)
    rows = [*data["rows"], {"label": "Tổng cộng", **data["total"]}] if data["rows"] else []
    output.emit_rows(rows, UNIT_COLUMNS, json_data=data,
                     title=f"Biểu 5-BTCTW: tổ chức đảng, đảng viên theo loại hình cơ sở\n{_where(data)}, đến ngày "
                     f"{day.strftime('%d/%m/%Y')}")
    if output.is_table():
        output.info("ĐBCS: đảng bộ cơ sở; CBCS: chi bộ cơ sở; ĐBBP: đảng bộ bộ phận; CBTT: chi bộ trực thuộc.")
        if data["organizations_unplaced"]:
            output.warn(f"{number_vi(data['organizations_unplaced'])} tổ chức không ghi ngày thành lập, nhập sau ngày "
                        "báo cáo và không có đảng viên vào ngày đó: không biết đã có hay chưa, không tính (ghi ngày "
                        "thành lập bằng 'dangvien cells update').")
        _warn_unplaced(data)


RESULT_SHORT = {"HTXSNV": "HTXSNV", "HTTNV": "HTTNV", "HTNV": "HTNV", "KHTNV": "KHTNV", "not_rated": "KXL",
                "no_result": "Chưa có"}


@app.command("ratings")
def ratings(year: YearOpt, cell: CellOpt = None, as_of: AsOfOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Biểu 6-BTCTW: kết quả đánh giá, xếp loại chất lượng đảng viên và tổ chức đảng trong năm, theo mức.

    Đảng viên: những người trong danh sách ngày 31/12 của năm, ở chi bộ của ngày đó. Với --as-of: xếp loại như
    đã ghi đến ngày đó (sửa đổi ghi sau không tính).

    Ví dụ: dangvien reports ratings --year 2025 --cell TL
    """
    from dangvien_cli.services import forms as svc

    with database().read() as conn:
        data = svc.ratings(conn, year, cell, full_day(as_of, "--as-of"))
    rows = [{"group": "Đảng viên", **r} for r in data["members"]["rows"]]
    rows += [{"group": "Tổ chức đảng", **r} for r in data["organizations"]["rows"]]
    output.emit_rows(rows, [Col("group", "Đối tượng", rank=1), Col("label", "Mức xếp loại", wrap=True, rank=0),
                            Col("count", "Số lượng", count=True, rank=0),
                            Col("percent", "Tỷ lệ (%)", rank=0, show=lambda r: _pct(r["percent"]))],
                     json_data=data, title=f"Biểu 6-BTCTW: kết quả xếp loại chất lượng năm {year}\n"
                     f"{_where(data)}: {number_vi(data['members']['total'])} đảng viên, "
                     f"{number_vi(data['organizations']['total'])} tổ chức")
    if output.is_table():
        output.emit_rows(data["cells"], [Col("cell_name", "Chi bộ", wrap=True, rank=0),
                                         *(Col(k, v, count=True, rank=0) for k, v in RESULT_SHORT.items())],
                         title="Theo chi bộ")
        output.info(f"Tổ chức đạt “chi bộ 4 tốt”/“đảng bộ 4 tốt”: {number_vi(data['organizations']['four_good'])}. "
                    "KXL: không xếp loại (miễn sinh hoạt, mới kết nạp...); Chưa có: chưa ghi kết quả.")
        _warn_unplaced(data)


@app.command("procedures")
def procedures(year: PeriodYearOpt = None, start: FromOpt = None, end: ToOpt = None, cell: CellOpt = None,
               fmt: FormatOpt = Format.table) -> None:
    """Biểu 7-BTCTW: nghiệp vụ công tác đảng viên trong kỳ: kết nạp, công nhận chính thức, hồ sơ thôi theo dõi,
    chuyển sinh hoạt đi và đến, xóa tên, khai trừ, phục hồi đảng tịch, trao Huy hiệu Đảng.

    Dựng lại từ lịch sử, như Biểu 1-BTCTW; sáp nhập, chuyển tổ chức không tính là chuyển sinh hoạt.

    Ví dụ: dangvien reports procedures --from 01/01/2025 --to 30/06/2025 --cell TL
    """
    from dangvien_cli.services import forms as svc

    first, last = period(year, start, end)
    with database().read() as conn:
        data = svc.procedures(conn, first, last, cell)
    output.emit_rows(data["rows"], [Col("label", "Nghiệp vụ", wrap=True, rank=0),
                                    Col("count", "Số lượng", count=True, rank=0)], json_data=data,
                     title=f"Biểu 7-BTCTW: nghiệp vụ công tác đảng viên\n{_where(data)}, {_span(data)}")
    if output.is_table():
        _warn_unplaced(data)


# --- export report FORM FILE ---------------------------------------------------------------------------------
# The forms and the names they are asked by (the form's number works too).
EXPORT_KINDS = {"admissions": "admissions", "new-members": "new-members", "2": "new-members",
                "changes": "changes", "1": "changes", "profile": "profile", "3": "profile",
                "ethnicity": "ethnicity", "2b": "ethnicity", "units": "units", "5": "units",
                "ratings": "ratings", "6": "ratings", "procedures": "procedures", "7": "procedures", "dues": "dues"}
EXPORT_FILES = {"admissions": "bao-cao-ket-nap-2025.xlsx", "new-members": "dang-vien-moi-2025.xlsx",
                "changes": "bieu-1-tang-giam-2025.xlsx", "profile": "bieu-3-doi-ngu.xlsx",
                "ethnicity": "bieu-2b-dan-toc-ton-giao-2025.xlsx", "units": "bieu-5-loai-hinh.xlsx",
                "ratings": "bieu-6-xep-loai-2025.xlsx", "procedures": "bieu-7-nghiep-vu-2025.xlsx",
                "dues": "doi-chieu-dang-phi-2026.xlsx"}

# The options each form reads, and an example of them.
EXPORT_OPTIONS = {"admissions": ("--year",), "new-members": ("--year",), "ratings": ("--year", "--as-of"),
                  "changes": ("--year", "--from", "--to"), "ethnicity": ("--year", "--from", "--to"),
                  "procedures": ("--year", "--from", "--to"), "profile": ("--as-of",), "units": ("--as-of",),
                  "dues": ("--year",)}
EXPORT_EXAMPLES = {"admissions": "--year 2025", "new-members": "--year 2025", "ratings": "--year 2025",
                   "changes": "--from 01/01/2025 --to 31/12/2025", "ethnicity": "--year 2025",
                   "procedures": "--year 2025", "profile": "--as-of 31/12/2025", "units": "--as-of 31/12/2025",
                   "dues": "--year 2026"}


def _five_years(conn, start, end, cell):  # noqa: ANN001, ANN202 - Biểu 1 of each of the last five years
    from dangvien_cli.services import statistics as svc

    whole_years = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year
    years = []
    for back in range(4, -1, -1):
        first, last = _years_before(start, back), _years_before(end, back)
        data = svc.changes(conn, first, last, cell)
        data["label"] = str(last.year) if whole_years else f"{first.strftime('%d/%m/%Y')}–{last.strftime('%d/%m/%Y')}"
        years.append(data)
    return years


def _years_before(day, years: int):  # noqa: ANN001, ANN202 - a date
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def export_report(
    kind: Annotated[str, typer.Argument(help="Biểu: changes (1-BTCTW), new-members (2), ethnicity (2B), profile "
                                              "(3), units (5), ratings (6), procedures (7), admissions (tỷ lệ kết "
                                              "nạp và đảng viên mới), hoặc dues (đối chiếu sổ đảng phí); số biểu cũng "
                                              "được (1, 2, 2B, 3, 5, 6, 7).")],
    file: Annotated[Path, typer.Argument(help="Tệp .xlsx sẽ ghi.", dir_okay=False)],
    year: PeriodYearOpt = None,
    start: FromOpt = None,
    end: ToOpt = None,
    as_of: AsOfOpt = None,
    cell: CellOpt = None,
    place: Annotated[str | None, typer.Option("--place", help="Địa danh ghi ở dòng ngày tháng.")] = None,
) -> None:
    """Xuất một biểu thống kê ra Excel theo mẫu in (khổ A4, tiêu đề, cấp ủy cấp trên, số biểu, chữ ký), kèm biểu
    đồ ở biểu 1 (tăng, giảm 5 năm), 3 (độ tuổi), 6 (xếp loại theo chi bộ), admissions (tỷ lệ kết nạp).

    Kỳ báo cáo: --year, hoặc --from và --to (changes, ethnicity, procedures; admissions, new-members, ratings cần
    --year); ngày tính đến: --as-of (profile, units; ratings: xếp loại như đã ghi đến ngày đó).

    'dues' = đối chiếu sổ đảng phí (--year): các tháng đóng thiếu, đóng thừa của từng đảng viên, kèm văn bản áp dụng.

    Ví dụ: dangvien export report changes bieu-1-2025.xlsx --year 2025 --cell TL --place "Tân Lập"
    """
    from dangvien_cli.excel import forms_writer as fw
    from dangvien_cli.excel import report_writer
    from dangvien_cli.rules.dates import today
    from dangvien_cli.services import forms, statistics
    from dangvien_cli.services import reports as svc
    from dangvien_cli.services.exports import heading
    from dangvien_cli.store import cells as cell_store

    form = EXPORT_KINDS.get(kind.strip().lower())
    if form is None:
        output.error(f"Không có biểu '{kind}'.", "Hiện có: " + ", ".join(sorted(set(EXPORT_KINDS.values()))) +
                     " (hoặc số biểu: 1, 2, 2B, 3, 5, 6, 7).")
        raise typer.Exit(2)
    if form in ("admissions", "new-members", "ratings", "dues") and year is None:
        output.error(f"Biểu '{kind}' cần năm báo cáo.", f"Ví dụ: dangvien export report {kind} "
                     f"{EXPORT_FILES[form]} --year 2025")
        raise typer.Exit(2)
    given = {"--year": year is not None, "--from": bool(start), "--to": bool(end), "--as-of": bool(as_of)}
    unused = [name for name, there in given.items() if there and name not in EXPORT_OPTIONS[form]]
    if unused:  # an option the form does not read would be silently ignored: say so instead
        output.error(f"Biểu '{kind}' không dùng {', '.join(unused)}.",
                     f"Biểu này dùng: {', '.join(EXPORT_OPTIONS[form])}; ví dụ: dangvien export report {kind} "
                     f"{EXPORT_FILES[form]} {EXPORT_EXAMPLES[form]}")
        raise typer.Exit(2)
    if form == "dues":  # the dues book checked (reports dues), not a statistical form
        _export_dues(file, year, cell, place)
        return
    day = full_day(as_of, "--as-of", today())
    on = today()
    with database().read() as conn:
        head = heading(conn, cell_store.find(conn, cell) if cell else None)
        if form == "admissions":
            report, profile_data = svc.admissions_rate(conn, year), svc.new_members(conn, year)
            head = heading(conn, None)
        elif form == "new-members":
            profile_data = svc.new_members(conn, year, cell=cell)
        elif form in ("changes", "ethnicity", "procedures"):
            first, last = period(year, start, end)
            if form == "changes":
                data = statistics.changes(conn, first, last, cell)
                sheet = fw.changes_sheet(data, _five_years(conn, first, last, cell))
            elif form == "ethnicity":
                sheet = fw.ethnicity_sheet(forms.ethnicity_religion(conn, first, last, cell))
            else:
                sheet = fw.procedures_sheet(forms.procedures(conn, first, last, cell))
        elif form == "profile":
            sheet = fw.profile_sheet(statistics.profile(conn, day, cell))
        elif form == "units":
            sheet = fw.units_sheet(forms.units(conn, day, cell))
        else:
            sheet = fw.ratings_sheet(forms.ratings(conn, year, cell, full_day(as_of, "--as-of")))
    with output.progress("Đang ghi tệp"):
        if form == "admissions":
            path = report_writer.write_admissions_report(file, report, profile_data, head=head, place=place)
        elif form == "new-members":
            path = report_writer.write_new_members(file, profile_data, head=head, place=place)
        else:
            path = fw.write_forms(file, [sheet], head=head, place=place, on=on, example=EXPORT_FILES[form])
    if form == "admissions":
        output.success(f"Đã ghi báo cáo kết nạp năm {year} ({number_vi(len(report['rows']))} dòng) vào {path}.")
    elif form == "new-members":
        output.success(f"Đã ghi đặc điểm {number_vi(profile_data['total'])} đảng viên mới kết nạp năm {year} vào "
                       f"{path}.")
    else:
        output.success(f"Đã ghi {sheet.form_number} vào {path}.")
