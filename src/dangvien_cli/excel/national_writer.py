"""The two workbooks of the 2026 work for the national database (issue 14), in the standard layout of
``layout.py``:

- the dossier-scanning progress (``export dossier-progress``): one line per organization in the order of the
  tree, committees in bold summing everything under them, a chart of the cells' percentages under the table;
- the clean-up worklist (``export national-check``): one section per cell, one line per problem with what is
  wrong and the command that fixes it, and an empty column to tick when done.

Personal ids inside the worklist's texts are printed masked (last 4 digits) unless the clerk asks for them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dangvien_cli.excel.layout import (
    FONT,
    NUM_VI,
    Column,
    Page,
    SheetWriter,
    fit_columns,
    grouped_by_cell,
    lengths_of,
    open_book,
    place_date_line,
    sign_titles,
)
from dangvien_cli.formats import number_vi
from dangvien_cli.vocab import NATIONAL_PROBLEM

PROGRESS_COLUMNS = [
    Column("seq", "STT", width=5, kind="number", keep=True),
    Column("name_vi", "Tổ chức đảng", width=40, min_width=18, keep=True),
    Column("cell_code", "Mã", width=12),
    Column("members", "Số đảng viên", width=10, kind="number", keep=True),
    Column("members_priority_1_complete", "Đủ tài liệu ưu tiên 1 (người)", width=12, kind="number", keep=True),
    Column("priority_1_percent", "Đã scan ưu tiên 1 (%)", width=11, kind="percent", keep=True),
    Column("all_percent", "Đã scan tất cả (%)", width=11, kind="percent", keep=True),
]
WORKLIST_COLUMNS = [
    Column("seq", "STT", width=5, kind="number", keep=True),
    Column("member_id", "Mã số", width=7, kind="number", keep=True),
    Column("full_name", "Họ và tên", width=36, keep=True),  # a name is never wrapped
    Column("problem_vi", "Vấn đề", width=22, min_width=12, keep=True),
    Column("detail", "Cụ thể", width=46, min_width=18, keep=True),
    Column("fix", "Cách sửa", width=46, min_width=18, keep=True),
    Column("done", "Đã sửa", width=8, keep=True),
]
CHART_PT = 230
MAX_BARS = 20  # the bars of a chart that stay readable on a portrait A4 page
FEW_BARS = 6  # up to this many, upright columns; more, bars across the page with the names beside them
_NO_HEAD = {"committee": None, "superior": None, "sign": sign_titles(None)}


def write_progress(path: Path, data: dict, *, head: dict | None = None, place: str | None = None,
                   on: date | None = None) -> Path:
    """Write ``services.dossier.progress`` to ``path``: the table in tree order, then the chart."""
    head = head or _NO_HEAD
    on = on or date.today()
    lines = [t | {"seq": i, "name_vi": "   " * t["level"] + t["cell_name"]} for i, t in enumerate(data["tree"], 1)]
    if sum(1 for t in data["tree"] if t["level"] == 0) != 1:  # one top organization: its line is the total
        lines.append({"name_vi": "Tổng cộng", "members": data["members"], "total": True,
                      "members_priority_1_complete": data["members_priority_1_complete"],
                      "priority_1_percent": data["priority_1_percent"], "all_percent": data["all_percent"]})
    page = Page(landscape=False)
    columns = fit_columns(PROGRESS_COLUMNS, lengths_of(lines, PROGRESS_COLUMNS), page)
    with open_book(path, "tien-do-so-hoa-ho-so.xlsx", constant_memory=False) as book:
        w = SheetWriter(book, "Tiến độ số hóa", columns, page=page)
        w.title_block(head["committee"], head["superior"], "TIẾN ĐỘ SỐ HÓA HỒ SƠ ĐẢNG VIÊN",
                      f"(Theo Công văn 1361-CV/BTCTW; tính đến ngày {on.strftime('%d/%m/%Y')})",
                      place_date_line(place, on))
        w.header()
        for line in lines:
            w.record(line, strong=bool(line.get("committee") or line.get("total")))
        w.note("Ghi chú: tỷ lệ là số tài liệu đã scan trên số tài liệu hồ sơ của đảng viên phải có (tài liệu ghi "
               "'không áp dụng' không tính); dòng chữ đậm là đảng bộ, cộng mọi tổ chức trực thuộc.")
        if data["rows"]:
            w.skip()
            shown, title = _charted(data)
            w.chart(_progress_chart(book, shown, title), CHART_PT if len(shown) <= FEW_BARS else 24 * len(shown) + 90)
        w.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        w.page_setup()
    return path


def _charted(data: dict) -> tuple[list[dict], str]:
    """What the chart shows, and its title: every cell while the bars can be read; else the committees
    directly under the top; else the cells furthest behind."""
    cells = data["rows"]
    if len(cells) <= MAX_BARS:
        return cells, "Tỷ lệ tài liệu đã scan theo chi bộ"
    below = [t for t in data["tree"] if t["level"] == 1 and t["committee"]]
    if 2 <= len(below) <= MAX_BARS:
        return below, "Tỷ lệ tài liệu đã scan theo đảng bộ trực thuộc"
    behind = sorted(cells, key=lambda r: (r["priority_1_percent"], r["all_percent"], r["cell_code"]))[:MAX_BARS]
    return behind, f"{MAX_BARS} chi bộ có tỷ lệ tài liệu ưu tiên 1 đã scan thấp nhất"


def _progress_chart(book, rows: list[dict], title: str):  # noqa: ANN001, ANN202 - xlsxwriter objects
    """The cells' two percentages side by side; the figures on a hidden sheet (the table has the tree's lines)."""
    sheet = "Số liệu biểu đồ"
    data = book.add_worksheet(sheet)
    data.hide()
    data.write_row(0, 0, ["Chi bộ", "Đã scan ưu tiên 1 (%)", "Đã scan tất cả (%)"])
    for i, r in enumerate(rows, start=1):
        data.write_string(i, 0, r["cell_name"])
        data.write_number(i, 1, r["priority_1_percent"])
        data.write_number(i, 2, r["all_percent"])
    n = len(rows)
    across = n > FEW_BARS  # many: bars across the page, the names down its side, in the table's order
    chart = book.add_chart({"type": "bar" if across else "column"})
    for col, color in ((1, "#C00000"), (2, "#1F4E79")):
        chart.add_series({"name": [sheet, 0, col], "categories": [sheet, 1, 0, n, 0],
                          "values": [sheet, 1, col, n, col], "fill": {"color": color}})
    font = {"name": FONT, "size": 10}
    chart.set_title({"name": title, "name_font": {"name": FONT, "size": 12, "bold": True}})
    categories = {"num_font": font, "reverse": across}  # across: the first in the table at the top
    values = {"name": "%", "min": 0, "max": 100, "num_font": font, "num_format": NUM_VI + "0"}
    # xlsxwriter's x axis is the horizontal one: the values' axis for bars across the page.
    chart.set_x_axis(values if across else categories)
    chart.set_y_axis(categories if across else values)
    chart.set_legend({"position": "bottom", "font": font})
    return chart


def write_worklist(path: Path, problems: list[dict], *, head: dict | None = None, place: str | None = None,
                   on: date | None = None, full_ids: bool = False) -> dict:
    """Write ``check national`` (``services.national.worklist``: rows by cell, ids already masked unless
    ``full_ids``) to ``path``; returns counts."""
    head = head or _NO_HEAD
    on = on or date.today()
    by_cell = grouped_by_cell(problems, lambda p: {
        "member_id": p["member_id"], "full_name": p["full_name"], "problem_vi": NATIONAL_PROBLEM.label(p["problem"]),
        "detail": p["detail"], "fix": p["fix"]})
    lines = [x for items in by_cell.values() for x in items]
    page = Page(landscape=True)
    columns = fit_columns(WORKLIST_COLUMNS, lengths_of(lines, WORKLIST_COLUMNS), page)
    members = len({p["member_id"] for p in problems})
    with open_book(path, "lam-sach-ho-so.xlsx") as book:
        w = SheetWriter(book, "Làm sạch hồ sơ", columns, page=page)
        w.title_block(head["committee"], head["superior"],
                      "DANH SÁCH VIỆC CẦN LÀM SẠCH HỒ SƠ ĐẢNG VIÊN TRƯỚC KHI ĐƯA LÊN CƠ SỞ DỮ LIỆU QUỐC GIA",
                      f"(Tính đến ngày {on.strftime('%d/%m/%Y')}: {number_vi(len(problems))} việc ở "
                      f"{number_vi(members)} đảng viên)", place_date_line(place, on))
        w.header()
        w.cell_sections(by_cell, lambda items: f"{number_vi(len(items))} việc ở "
                        f"{number_vi(len({x['member_id'] for x in items}))} đảng viên", numbered=True)
        if not problems:
            w.section("Không thấy vấn đề nào: hồ sơ sẵn sàng.")
        note = ("Ghi chú: chỉ báo cáo, không tự sửa; đối chiếu căn cước, thẻ đảng viên rồi sửa bằng lệnh ghi ở cột "
                "'Cách sửa'. Chữ số thứ 4 của số định danh chỉ thế kỷ và giới tính, chữ số 5–6 chỉ năm sinh "
                "(Nghị định 137/2015/NĐ-CP).")
        w.note(note + ("" if full_ids else " Số định danh chỉ in 4 chữ số cuối."))
        w.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        w.page_setup()
    return {"path": str(path), "problems": len(problems), "members": members, "sections": len(by_cell)}
