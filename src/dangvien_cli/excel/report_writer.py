"""The admissions report workbook: title block in the style of Biểu số 2-BTCTW (HD 11-HD/BTCTW), the rate table
per organization against the yearly target, a chart of the rate against the target band, and a second sheet
with the profile of the new members (also written alone by ``export report new-members``).

Both sheets print on A4 portrait in the layout of ``layout.py``: title block with the superior committee, header
repeated, page numbers, the chart and the signature block each kept whole on one page. The chart reads its
figures from a hidden sheet, so that the printed table needs no column for the target.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dangvien_cli.excel.layout import (
    Column,
    Page,
    SheetWriter,
    fit_columns,
    lengths_of,
    open_book,
    place_date_line,
    sign_titles,
)
from dangvien_cli.formats import number_vi
from dangvien_cli.vocab import TARGET_STATUS

FORM_NUMBER = "Biểu số 2-BTCTW"
RATE_COLUMNS = [
    Column("seq", "STT", width=5, kind="number", keep=True),
    Column("name_vi", "Tổ chức đảng", width=40, min_width=18, keep=True),
    Column("cell_code", "Mã", width=12),
    Column("members_at_start", "Đảng viên đầu năm", width=11, kind="number", keep=True),
    Column("admitted", "Kết nạp trong năm", width=11, kind="number", keep=True),
    Column("rate_percent", "Tỷ lệ kết nạp (%)", width=11, kind="percent", keep=True),
    Column("status_vi", "So với chỉ tiêu", width=14, keep=True),
]
# The counts' columns are the ones widened to the page, so that the title block's halves balance.
PROFILE_COLUMNS = [Column("label", "Chỉ tiêu", width=44, keep=True),
                   Column("count", "Số lượng", width=12, kind="number", min_width=10, keep=True),
                   Column("share", "Tỷ lệ (%)", width=12, kind="percent", min_width=10, keep=True)]
CHART_PT = 210
_NO_HEAD = {"committee": None, "superior": None, "sign": sign_titles(None)}


def write_admissions_report(path: Path, report: dict, profile: dict, *, head: dict | None = None,
                            place: str | None = None, on: date | None = None) -> Path:
    """Write ``report`` (services.reports.admissions_rate) and ``profile`` (new_members) to ``path``.

    ``head`` is ``services.exports.heading``: the committee, its superior and who signs.
    """
    head = head or _NO_HEAD
    on = on or date.today()
    year = report["year"]
    low, high = report["target_min_percent"], report["target_max_percent"]
    lines = []
    for i, r in enumerate(report["rows"], start=1):
        total = r["cell_code"] is None
        lines.append(r | {"seq": None if total else i, "total": total,
                          "name_vi": ("" if total else "   " * (r.get("level") or 0)) + r["cell_name"],
                          "status_vi": TARGET_STATUS.label(r.get("target_status"))})
    page = Page(landscape=False)
    columns = fit_columns(RATE_COLUMNS, lengths_of(lines, RATE_COLUMNS), page)
    with open_book(path, f"bao-cao-ket-nap-{year}.xlsx", constant_memory=False) as book:
        w = SheetWriter(book, "Tỷ lệ kết nạp", columns, page=page)
        w.title_block(head["committee"], head["superior"], f"THỐNG KÊ ĐẢNG VIÊN MỚI KẾT NẠP NĂM {year}",
                      f"(Tỷ lệ kết nạp so với số đảng viên đầu năm; chỉ tiêu từ {number_vi(low)} % "
                      f"đến {number_vi(high)} %)", place_date_line(place, on), form_number=FORM_NUMBER)
        w.header()
        for line in lines:
            w.record(line, strong=line["total"])
        w.note("Ghi chú: đảng viên được tính ở chi bộ đang sinh hoạt hiện nay; đảng viên đầu năm là người vào "
               "Đảng trước 01/01 và chưa ra khỏi danh sách trước ngày đó; đảng bộ cộng tất cả tổ chức trực thuộc.")
        if lines:
            w.skip()
            w.chart(_rate_chart(book, lines, year, low, high), CHART_PT)
        w.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        w.page_setup()
        _profile_sheet(book, profile, head, place, on)
    return path


def write_new_members(path: Path, profile: dict, *, head: dict | None = None, place: str | None = None,
                      on: date | None = None) -> Path:
    """The profile of the new members alone (``services.reports.new_members``)."""
    with open_book(path, f"dang-vien-moi-{profile['year']}.xlsx") as book:
        _profile_sheet(book, profile, head or _NO_HEAD, place, on or date.today())
    return path


def _rate_chart(book, lines: list[dict], year: int, low: float, high: float):  # noqa: ANN001, ANN202 - xlsxwriter
    """Rate per organization as columns, the target band as two dashed lines; figures on a hidden sheet."""
    data = book.add_worksheet("Số liệu biểu đồ")
    data.hide()
    data.write_row(0, 0, ["Tổ chức đảng", "Tỷ lệ kết nạp (%)", "Chỉ tiêu thấp (%)", "Chỉ tiêu cao (%)"])
    for i, r in enumerate(lines, start=1):
        data.write_string(i, 0, r["cell_name"])
        if r["rate_percent"] is not None:
            data.write_number(i, 1, r["rate_percent"])
        data.write_number(i, 2, low)
        data.write_number(i, 3, high)
    n = len(lines)
    sheet = "Số liệu biểu đồ"
    names = [sheet, 1, 0, n, 0]
    chart = book.add_chart({"type": "column"})
    chart.add_series({"name": "Tỷ lệ kết nạp (%)", "categories": names, "values": [sheet, 1, 1, n, 1],
                      "fill": {"color": "#C00000"}})
    band = book.add_chart({"type": "line"})
    for col, label, color in ((2, "Chỉ tiêu thấp (%)", "#1F4E79"), (3, "Chỉ tiêu cao (%)", "#2E7D32")):
        band.add_series({"name": label, "categories": names, "values": [sheet, 1, col, n, col],
                         "line": {"color": color, "dash_type": "dash"}, "marker": {"type": "none"}})
    chart.combine(band)
    font = {"name": "Times New Roman", "size": 10}
    chart.set_title({"name": f"Tỷ lệ kết nạp đảng viên năm {year} so với chỉ tiêu",
                     "name_font": {"name": "Times New Roman", "size": 12, "bold": True}})
    chart.set_x_axis({"num_font": font})
    chart.set_y_axis({"name": "%", "num_font": font, "num_format": '[$-42A]0.0'})
    chart.set_legend({"position": "bottom", "font": font})
    return chart


def _profile_sheet(book, profile: dict, head: dict, place: str | None, on: date) -> None:  # noqa: ANN001
    rows: list[tuple[str, int | None, bool]] = [
        ("Tổng số đảng viên mới kết nạp", profile["total"], True), ("Trong đó: nữ", profile["female"], False),
        ("Người dân tộc thiểu số", profile["ethnic_minority"], False),
        ("Người có tôn giáo", profile["religious"], False)]
    for heading, key in (("Chia theo tuổi đời (khi kết nạp)", "age_groups"), ("Chia theo dân tộc", "ethnicity"),
                         ("Chia theo tôn giáo", "religion"), ("Chia theo nghề nghiệp", "occupation"),
                         ("Chia theo trình độ giáo dục phổ thông", "education")):
        rows.append((heading, None, True))
        rows += [("    " + (item.get("label") or item["value"]), item["count"], False) for item in profile[key]]
    page = Page(landscape=False)
    total = profile["total"]
    lines = [{"label": label, "count": count,
              "share": round(count * 100 / total, 2) if total and count is not None else None}
             for label, count, _ in rows]
    columns = fit_columns(PROFILE_COLUMNS, lengths_of(lines, PROFILE_COLUMNS), page)
    w = SheetWriter(book, "Đảng viên mới", columns, page=page)
    where = f" ({profile['cell_code']})" if profile.get("cell_code") else ""
    w.title_block(head["committee"], head["superior"],
                  f"ĐẶC ĐIỂM ĐẢNG VIÊN MỚI KẾT NẠP NĂM {profile['year']}{where}",
                  "(Tuổi đời tính đến ngày kết nạp)", place_date_line(place, on), form_number=FORM_NUMBER)
    w.header()
    for line, (_, count, strong) in zip(lines, rows, strict=True):
        if count is None:
            w.section(line["label"])
        else:
            w.record(line, strong=strong)
    w.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
    w.page_setup()
