"""The statistical forms committees send upward, as workbooks laid out like the printed forms (Hướng dẫn
11-HD/BTCTW; domain.md §5): Biểu 1 (increase and decrease), 2B (new members by ethnicity and religion), 3 (the
membership profile), 5 (organizations and members by type of unit), 6 (rating results), 7 (membership
procedures). Biểu 2 is ``report_writer.write_new_members``.

Every sheet prints on A4 portrait in the layout of ``layout.py``: the form's number top right, the superior
committee over the committee's name, the title and its period, the header repeated on every page, page numbers,
the signature block whole on one page. A chart, where a committee would rather look than read (ages in the
profile, rating levels per cell, five years of increase and decrease), is kept whole on the page after the
table; its figures are on a hidden sheet, so that the printed table carries no extra column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dangvien_cli.excel import layout
from dangvien_cli.excel.layout import Column, Page, SheetWriter
from dangvien_cli.formats import date_vi

CHART_PT = 230
FONT = {"name": "Times New Roman", "size": 10}
TITLE_FONT = {"name": "Times New Roman", "size": 12, "bold": True}
DARK = {"#1F4E79", "#2E7D32", "#C00000"}
LEVEL_COLORS = {"HTXSNV": "#1F4E79", "HTTNV": "#2E7D32", "HTNV": "#F9A825", "KHTNV": "#C00000",
                "not_rated": "#7F7F7F", "no_result": "#BFBFBF"}


@dataclass
class Sheet:
    """One printed form: what the title block says, the table's columns and lines, notes, an optional chart."""

    name: str
    form_number: str
    title: str
    subtitle: str | None
    columns: list[Column]
    lines: list[tuple[str, dict | str, bool]] = field(default_factory=list)  # ("section", text) or ("row", …)
    notes: list[str] = field(default_factory=list)
    chart: dict | None = None  # {"type", "title", "categories": [...], "series": [(name, [values], color)], ...}

    def section(self, text: str) -> None:
        self.lines.append(("section", text, True))

    def row(self, values: dict, strong: bool = False) -> None:
        self.lines.append(("row", values, strong))


def write_forms(path: Path, sheets: list[Sheet], *, head: dict, place: str | None, on: date, example: str) -> Path:
    """Write ``sheets`` to one workbook at ``path`` (each a printed form)."""
    with layout.open_book(path, example, constant_memory=False) as book:
        for n, sheet in enumerate(sheets):
            _write_sheet(book, sheet, head, place, on, n)
    return path


def _write_sheet(book, sheet: Sheet, head: dict, place: str | None, on: date, n: int) -> None:  # noqa: ANN001
    page = Page(landscape=False)
    rows = [values for kind, values, _ in sheet.lines if kind == "row"]
    columns = layout.fit_columns(sheet.columns, layout.lengths_of(rows, sheet.columns), page)
    w = SheetWriter(book, sheet.name, columns, page=page)
    w.title_block(head["committee"], head["superior"], sheet.title, sheet.subtitle, layout.place_date_line(place, on),
                  form_number=sheet.form_number)
    w.header()
    for kind, values, strong in sheet.lines:
        if kind == "section":
            w.section(values)
        else:
            w.record(values, strong=strong)
    for note in sheet.notes:
        w.note(note)
    w.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
    w.page_setup()
    if sheet.chart:
        _chart_sheet(book, sheet, head, place, on, n)


def _chart_sheet(book, sheet: Sheet, head: dict, place: str | None, on: date, n: int) -> None:  # noqa: ANN001
    """The chart on a page of its own after the form (under the table it would print beneath a repeated
    header, or be pushed to the next page anyway): the same title block, the chart whole, no table."""
    page = Page(landscape=False)
    half = layout.units_for_pt(page.width_pt / 2) - 0.2
    w = SheetWriter(book, f"Biểu đồ {sheet.name.split()[-1]}", [Column("left", "", width=half),
                                                                 Column("right", "", width=half)], page=page)
    w.title_block(head["committee"], head["superior"], sheet.chart["title"].upper(),
                  f"(Kèm theo {sheet.form_number[0].lower()}{sheet.form_number[1:]}; {sheet.subtitle.strip('()')})"
                  if sheet.subtitle else f"(Kèm theo {sheet.form_number[0].lower()}{sheet.form_number[1:]})",
                  layout.place_date_line(place, on), form_number=sheet.form_number)
    w.chart(_chart(book, sheet.chart, f"Số liệu biểu đồ {n + 1}"), sheet.chart.get("height", CHART_PT))
    w.page_setup()


def _chart(book, spec: dict, data_name: str):  # noqa: ANN001, ANN202 - xlsxwriter objects
    """A chart from ``spec``, its figures on a hidden sheet of their own."""
    data = book.add_worksheet(data_name)
    data.hide()
    categories = spec["categories"]
    data.write_string(0, 0, "")
    for i, label in enumerate(categories, start=1):
        data.write_string(i, 0, label)
    chart = book.add_chart({"type": spec["type"], **({"subtype": spec["subtype"]} if spec.get("subtype") else {})})
    last = len(categories)
    for col, (name, values, color) in enumerate(spec["series"], start=1):
        data.write_string(0, col, name)
        for i, value in enumerate(values, start=1):
            if value or not spec.get("subtype"):  # a stacked bar shows no "0" label on an empty piece
                data.write_number(i, col, value)
        series = {"name": [data_name, 0, col], "categories": [data_name, 1, 0, last, 0],
                  "values": [data_name, 1, col, last, col], "data_labels": {"value": True, "font": FONT}}
        if spec["type"] == "pie":
            series["points"] = [{"fill": {"color": c}} for c in spec.get("colors", [])]
            series["data_labels"] = {"value": True, "category": False, "font": FONT, "position": "outside_end"}
        elif color:
            series["fill"] = {"color": color}
            series["line"] = {"color": color}
            if spec.get("subtype") and color in DARK:  # a label inside a dark piece: white, to be read
                series["data_labels"] = {"value": True, "font": FONT | {"color": "#FFFFFF"}}
        chart.add_series(series)
    chart.set_title({"name": spec["title"], "name_font": TITLE_FONT})
    if spec["type"] != "pie":
        chart.set_x_axis({"num_font": FONT})
        chart.set_y_axis({"num_font": FONT, "num_format": "[$-42A]#,##0", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom", "font": FONT})
    return chart


# --- the forms ----------------------------------------------------------------------------------------------
def _span(start: str, end: str) -> str:
    return f"(Từ ngày {date_vi(start)} đến ngày {date_vi(end)})"


# The label columns keep their width; the counts' columns are the ones widened to the page (min_width set), so
# that the title block's halves balance (layout._widened widens those).
CHANGE_COLUMNS = [Column("mark", "Mục", width=6, keep=True),
                  Column("label", "Chỉ tiêu", width=44, keep=True),
                  Column("this_period", "Kỳ này", width=10, kind="number", min_width=8, keep=True),
                  Column("same_period_last_year", "Cùng kỳ năm trước", width=10, kind="number", min_width=8,
                         keep=True),
                  Column("percent", "Kỳ này so với cùng kỳ năm trước (%)", width=12, kind="percent", min_width=10,
                         keep=True)]
# How the printed form numbers its rows: A, B 1 2 a b 3, C 1 2 3 (of whom) 4 5 a b, D.
CHANGE_MARKS = {"B1": "1", "B2": "2", "B2a": "a", "B2b": "b", "B3": "3", "C1": "1", "C2": "2", "C3": "3",
                "C3_probationary": "", "C4": "4", "C5": "5", "C5a": "a", "C5b": "b"}


def changes_sheet(data: dict, years: list[dict]) -> Sheet:
    """Biểu 1-BTCTW; ``years``: the same form for each of the last five years, oldest first (the chart)."""
    sheet = Sheet("Biểu 1-BTCTW", "Biểu số 1-BTCTW", "THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN",
                  _span(data["from"], data["to"]), CHANGE_COLUMNS)
    for r in data["rows"]:
        code = r["code"]
        indent = "" if len(code) == 1 else "    " if len(code) == 2 else "        "
        sheet.row({"mark": CHANGE_MARKS.get(code, code), "label": indent + r["label"],
                   "this_period": r["this_period"], "same_period_last_year": r["same_period_last_year"],
                   "percent": r["percent"]}, strong=len(code) == 1)
    unclassified = data.get("unclassified", {})
    for row, what in (("B2", "chuyển đến từ ngoài cơ sở dữ liệu"), ("C5", "chuyển đi ra ngoài cơ sở dữ liệu")):
        if unclassified.get(row):
            sheet.notes.append(f"Trong mục {row[0]}{row[1]} có {unclassified[row]} đảng viên {what} chưa ghi rõ tỉnh "
                               f"khác hay trong tỉnh (chưa vào {row}a, {row}b).")
    if data.get("unplaced"):
        sheet.notes.append(f"Không tính được {data['unplaced']} đảng viên vì hồ sơ chưa đủ ngày (chưa có ngày vào "
                           "Đảng, hoặc ngày chỉ có tháng/năm trùng kỳ báo cáo).")
    sheet.notes.append("Số liệu dựng lại từ lịch sử hồ sơ; A + B − C = D. Sáp nhập, giải thể, chuyển tổ chức "
                       "đảng không tính là chuyển đến hay chuyển đi.")
    if years:
        rows = [{r["code"]: r["this_period"] for r in y["rows"]} for y in years]
        sheet.chart = {"type": "column", "title": "Tăng, giảm đảng viên trong 5 năm",
                       "categories": [y["label"] for y in years],
                       "series": [("Tăng (B)", [r["B"] for r in rows], "#2E7D32"),
                                  ("Giảm (C)", [r["C"] for r in rows], "#C00000")]}
    return sheet


PROFILE_COLUMNS = [Column("label", "Chỉ tiêu", width=44, keep=True),
                   Column("count", "Số lượng", width=12, kind="number", min_width=10, keep=True),
                   Column("percent", "Tỷ lệ (%)", width=12, kind="percent", min_width=10, keep=True)]
PROFILE_TITLES = {"gender": "Giới tính", "age_band": "Độ tuổi", "ethnicity": "Dân tộc", "religion": "Tôn giáo",
                  "education_general": "Trình độ giáo dục phổ thông",
                  "education_professional": "Trình độ chuyên môn, nghiệp vụ", "political_theory": "Lý luận chính trị",
                  "occupation": "Nghề nghiệp", "party_age_band": "Tuổi đảng", "membership": "Đảng viên dự bị, chính thức"}
AGE_COLORS = ["#9DC3E6", "#5B9BD5", "#2E75B6", "#1F4E79", "#843C0C", "#C00000", "#BFBFBF"]


def profile_sheet(data: dict) -> Sheet:
    """Biểu 3-BTCTW, with the age bands as a chart."""
    sheet = Sheet("Biểu 3-BTCTW", "Biểu số 3-BTCTW", "THỐNG KÊ ĐỘI NGŨ ĐẢNG VIÊN",
                  f"(Tính đến ngày {date_vi(data['as_of'])})", PROFILE_COLUMNS)
    sheet.row({"label": "Tổng số đảng viên", "count": data["total"], "percent": 100.0 if data["total"] else None},
              strong=True)
    for group, items in data["groups"].items():
        sheet.section(PROFILE_TITLES.get(group, group))
        for item in items:
            sheet.row({"label": "    " + item["label"], "count": item["count"], "percent": item["percent"]})
    if data.get("unplaced"):
        sheet.notes.append(f"Không tính được {data['unplaced']} đảng viên vì hồ sơ chưa đủ ngày.")
    sheet.notes.append("Hồ sơ tính như đã ghi đến cuối ngày báo cáo; tuổi đời, tuổi đảng tính đến ngày đó.")
    ages = data["groups"].get("age_band", [])
    if ages:
        sheet.chart = {"type": "column", "title": "Đảng viên theo độ tuổi",
                       "categories": [a["label"] for a in ages],
                       "series": [("Số đảng viên", [a["count"] for a in ages], "#1F4E79")]}
    return sheet


ETHNICITY_COLUMNS = [Column("label", "Chỉ tiêu", width=40, keep=True),
                     Column("count", "Số lượng", width=10, kind="number", min_width=9, keep=True),
                     Column("female", "Trong đó nữ", width=10, kind="number", min_width=9, keep=True),
                     Column("percent", "Tỷ lệ (%)", width=10, kind="percent", min_width=9, keep=True)]


def ethnicity_sheet(data: dict) -> Sheet:
    """Biểu 2B-BTCTW."""
    sheet = Sheet("Biểu 2B-BTCTW", "Biểu số 2B-BTCTW",
                  "THỐNG KÊ ĐẢNG VIÊN MỚI KẾT NẠP THEO DÂN TỘC, TÔN GIÁO",
                  _span(data["from"], data["to"]), ETHNICITY_COLUMNS)
    total = data["total"]
    sheet.row({"label": "Tổng số đảng viên mới kết nạp", "count": total, "female": data["female"],
               "percent": 100.0 if total else None}, strong=True)
    sheet.row({"label": "    Người dân tộc thiểu số", "count": data["ethnic_minority"],
               "percent": round(100.0 * data["ethnic_minority"] / total, 1) if total else None})
    sheet.row({"label": "    Người có đạo", "count": data["religious"],
               "percent": round(100.0 * data["religious"] / total, 1) if total else None})
    for title, key in (("Chia theo dân tộc", "ethnicity"), ("Chia theo tôn giáo", "religion")):
        sheet.section(title)
        for item in data["groups"][key]:
            sheet.row({"label": "    " + item["label"], "count": item["count"], "female": item["female"],
                       "percent": item["percent"]})
    if data.get("unplaced"):
        sheet.notes.append(f"Không tính được {data['unplaced']} đảng viên vì hồ sơ chưa đủ ngày.")
    sheet.notes.append("Kể cả đảng viên kết nạp lại; dân tộc, tôn giáo như hồ sơ ghi đến ngày cuối kỳ.")
    return sheet


UNIT_COLUMNS = [Column("label", "Loại hình đơn vị cơ sở", width=26, keep=True),
                *(Column(key, label, group="Tổ chức đảng", width=9, kind="number", min_width=8, keep=True)
                  for key, label in (("grassroots_committee", "Đảng bộ cơ sở"), ("grassroots_cell", "Chi bộ cơ sở"),
                                     ("partial_committee", "Đảng bộ bộ phận"), ("cell", "Chi bộ trực thuộc"))),
                Column("members", "Tổng số", group="Đảng viên", width=9, kind="number", min_width=8, keep=True),
                Column("probationary", "Trong đó dự bị", group="Đảng viên", width=9, kind="number", min_width=8,
                       keep=True)]


def units_sheet(data: dict) -> Sheet:
    """Biểu 5-BTCTW."""
    sheet = Sheet("Biểu 5-BTCTW", "Biểu số 5-BTCTW",
                  "THỐNG KÊ TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN THEO LOẠI HÌNH CƠ SỞ",
                  f"(Tính đến ngày {date_vi(data['as_of'])})", UNIT_COLUMNS)
    for r in data["rows"]:
        sheet.row(r)
    sheet.row({"label": "Tổng cộng", **data["total"]}, strong=True)
    if data.get("organizations_unplaced"):
        sheet.notes.append(f"{data['organizations_unplaced']} tổ chức không ghi ngày thành lập, nhập sau ngày báo "
                           "cáo và không có đảng viên vào ngày đó: không tính.")
    if data.get("unplaced"):
        sheet.notes.append(f"Không tính được {data['unplaced']} đảng viên vì hồ sơ chưa đủ ngày.")
    sheet.notes.append("Loại hình: loại đơn vị ghi trên tổ chức, không có thì theo tổ chức cấp trên gần nhất.")
    return sheet


RATING_COLUMNS = PROFILE_COLUMNS


def ratings_sheet(data: dict) -> Sheet:
    """Biểu 6-BTCTW, with the levels per cell as a chart."""
    sheet = Sheet("Biểu 6-BTCTW", "Biểu số 6-BTCTW",
                  f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM {data['year']}",
                  f"(Đảng viên trong danh sách ngày 31/12/{data['year']}"
                  + (f"; xếp loại như đã ghi đến ngày {date_vi(data['as_of'])})" if data.get("as_of") else ")"),
                  RATING_COLUMNS)
    for title, key in (("Đảng viên", "members"), ("Tổ chức đảng", "organizations")):
        part = data[key]
        sheet.row({"label": f"{title}: tổng số", "count": part["total"],
                   "percent": 100.0 if part["total"] else None}, strong=True)
        for item in part["rows"]:
            sheet.row({"label": "    " + item["label"], "count": item["count"], "percent": item["percent"]})
    sheet.row({"label": "    Trong đó đạt “chi bộ 4 tốt”, “đảng bộ 4 tốt”",
               "count": data["organizations"]["four_good"]})
    sheet.notes.append("Đảng viên trong danh sách ngày 31/12, tính ở chi bộ của ngày đó. “Không xếp loại”: miễn "
                       "sinh hoạt, đình chỉ sinh hoạt, mới kết nạp chưa đủ 6 tháng...; “Chưa có kết quả”: chưa ghi.")
    if data.get("unplaced"):
        sheet.notes.append(f"Không tính được {data['unplaced']} đảng viên vì hồ sơ chưa đủ ngày.")
    cells = data.get("cells", [])
    if cells:
        labels = {r["key"]: r["label"] for r in data["members"]["rows"]}
        keys = [k for k in LEVEL_COLORS if any(c[k] for c in cells)]
        ordered = cells[::-1]  # a bar chart draws its first category at the bottom: the first cell on top
        sheet.chart = {"type": "bar", "subtype": "stacked", "title": "Xếp loại đảng viên theo chi bộ",
                       "categories": [c["cell_name"] for c in ordered],
                       "series": [(labels[k], [c[k] for c in ordered], LEVEL_COLORS[k]) for k in keys],
                       "height": max(CHART_PT, 60 + 22 * len(cells))}
    return sheet


PROCEDURE_COLUMNS = [Column("seq", "STT", width=5, kind="number", keep=True),
                     Column("label", "Nghiệp vụ", width=44, keep=True),
                     Column("count", "Số lượng", width=12, kind="number", min_width=10, keep=True)]


def procedures_sheet(data: dict) -> Sheet:
    """Biểu 7-BTCTW."""
    sheet = Sheet("Biểu 7-BTCTW", "Biểu số 7-BTCTW",
                  "THỐNG KÊ NGHIỆP VỤ CÔNG TÁC ĐẢNG VIÊN", _span(data["from"], data["to"]),
                  PROCEDURE_COLUMNS)
    seq = 0
    for r in data["rows"]:
        sub = r["label"].startswith("Trong đó")
        seq += not sub
        sheet.row({"seq": None if sub else seq, "label": ("    " if sub else "") + r["label"], "count": r["count"]})
    if data.get("unplaced"):
        sheet.notes.append(f"Không tính được {data['unplaced']} đảng viên vì hồ sơ chưa đủ ngày.")
    sheet.notes.append("Số liệu dựng lại từ lịch sử hồ sơ; sáp nhập, chuyển tổ chức đảng không tính là chuyển "
                       "sinh hoạt.")
    return sheet
