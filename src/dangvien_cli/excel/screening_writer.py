"""The screening list for the committee meeting (danh sách đề nghị xem xét), in the standard layout of
``layout.py``: superior committee and committee top left, "ĐẢNG CỘNG SẢN VIỆT NAM" top right, the title, one
section row per cell, one row per finding with the facts and the suggested action, organization findings after,
the signature block.

The number on each line is the finding's own item number, the one ``screening resolve RUN ITEM`` takes.
What the form says cites the regulations themselves: references to the project's notes (stored with older runs)
are rewritten or dropped (:func:`sources.cite`).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from dangvien_cli import vocab
from dangvien_cli.excel.layout import (
    Column,
    Page,
    SheetWriter,
    fit_columns,
    grouped_by_cell,
    lengths_of,
    open_book,
    place_date_line,
    roman,
    sign_titles,
)
from dangvien_cli.formats import number_vi
from dangvien_cli.rules.dates import format_vi
from dangvien_cli.sources import cite

COLUMNS = [
    Column("item", "Số mục", width=6, kind="number", keep=True),
    Column("full_name", "Họ và tên", width=36, keep=True),  # a name is never wrapped
    Column("card_number", "Số thẻ đảng viên", width=14),
    Column("rule_vi", "Căn cứ xem xét", width=28, min_width=14),
    Column("detail", "Cụ thể", width=46, min_width=18),
    Column("suggested_action", "Hướng xử lý đề nghị", width=46, min_width=18),
    Column("resolution_vi", "Quyết định", width=14),
]

# Grounds whose regulation changed in 2025–2026: the form cites the version in force on the run's date.
_IN_FORCE = {"absent_3_months": "screening.absent", "dues_unpaid_3_months": "screening.dues_unpaid",
             "rated_khtnv_2_years": "screening.standards_two_years"}
_OLD_QD = re.compile(r"QĐ 24 §8\.1")
_OLD_QD_CITED = re.compile(r"QĐ 24 §8\.1[;,]\s*")


def _action(f: dict, as_of: str | None) -> str | None:
    text = f.get("suggested_action")
    key = _IN_FORCE.get(f["rule"])
    if text and key and as_of:
        from dangvien_cli.rules import regulations

        current = regulations.cite(key, date.fromisoformat(as_of[:10])).replace("Quy định ", "QĐ ")
        code = current.split(",")[0].removeprefix("QĐ ")
        if code in text:  # the text already cites it ("Quy định 01-QĐ/TW 2026"): the old one goes
            text = _OLD_QD_CITED.sub("", text, count=1)
        else:
            text = _OLD_QD.sub(lambda _m: current, text, count=1)
    return cite(text)


def _line(f: dict, name: str | None, card: str | None, as_of: str | None = None) -> dict:
    return {"item": f["item_no"], "full_name": name, "card_number": card,
            "rule_vi": vocab.SCREENING_RULE.label(f["rule"]), "detail": cite(f["detail"]),
            "suggested_action": _action(f, as_of),
            "resolution_vi": vocab.SCREENING_DECISION.short(f.get("resolution"))}


def write_screening(path: Path, run: dict, *, head: dict | None = None, place: str | None = None,
                    on: date | None = None) -> dict:
    """Write the run (``services.screening.show``) to ``path`` (.xlsx); returns counts. ``head`` is
    ``services.exports.heading``: the committee, its superior and who signs."""
    head = head or {"committee": None, "superior": None, "sign": sign_titles(None)}
    by_cell = grouped_by_cell(run["findings"], lambda f: _line(f, f["full_name"], f["card_number"], run["as_of"]))
    org_lines = [_line(f, f["cell_name"], f["cell_code"], run["as_of"]) for f in run["org_findings"]]
    lines = [x for items in by_cell.values() for x in items] + org_lines
    page = Page(landscape=True)
    columns = fit_columns(COLUMNS, lengths_of(lines, COLUMNS), page)
    with open_book(path, f"ra-soat-{run['year']}.xlsx") as book:
        w = SheetWriter(book, f"Rà soát {run['year']}", columns, page=page)
        w.title_block(head["committee"], head["superior"], "DANH SÁCH ĐẢNG VIÊN, TỔ CHỨC ĐẢNG ĐỀ NGHỊ XEM XÉT TRONG RÀ SOÁT, "
                      f"SÀNG LỌC NĂM {run['year']}",
                      f"(Tính đến ngày {format_vi(run['as_of'])}; lần rà soát số {run['run_id']}. Số mục là số "
                      "ghi khi cấp ủy quyết định từng trường hợp.)", place_date_line(place, on or date.today()))
        w.header()
        sections = w.cell_sections(by_cell, lambda items: f"{number_vi(len(items))} mục")
        if org_lines:
            w.section(f"{roman(sections + 1)}. Tổ chức đảng cần củng cố, kiện toàn")
            for line in org_lines:
                w.record(line)
        w.note(f"Tổng cộng: {number_vi(len(run['findings']))} mục về đảng viên, "
               f"{number_vi(len(run['org_findings']))} mục về tổ chức đảng.")
        w.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        w.page_setup()
    return {"path": str(path), "findings": len(run["findings"]), "org_findings": len(run["org_findings"]),
            "sections": len(by_cell)}
