"""The screening list for the committee meeting (danh sách đề nghị xem xét), in the standard layout of
``layout.py``: committee name top left, "ĐẢNG CỘNG SẢN VIỆT NAM" top right, the title, one section row per cell,
one row per finding with the facts and the suggested action, organization findings after, the signature block.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dangvien_cli.errors import InvalidValue
from dangvien_cli.excel.layout import Column, SheetWriter, new_book, place_date_line, roman
from dangvien_cli.rules.dates import format_vi
from dangvien_cli.vocab import SCREENING_DECISION, SCREENING_RULE

COLUMNS = [
    Column("seq", "STT", width=6, kind="number"),
    Column("full_name", "Họ và tên", width=26),
    Column("card_number", "Số thẻ đảng viên", width=14),
    Column("rule_vi", "Căn cứ xem xét", width=28),
    Column("detail", "Cụ thể", width=46),
    Column("suggested_action", "Hướng xử lý đề nghị", width=46),
    Column("resolution_vi", "Quyết định", width=14),
]


def write_screening(path: Path, run: dict, *, committee: str | None = None, place: str | None = None,
                    on: date | None = None) -> dict:
    """Write the run (``services.screening.show``) to ``path`` (.xlsx); returns counts."""
    if path.suffix.lower() != ".xlsx":
        raise InvalidValue(f"Tệp '{path.name}' phải có đuôi .xlsx.", hint="Ví dụ: ra-soat-2025.xlsx")
    try:
        book = new_book(str(path))
    except OSError as exc:
        raise InvalidValue(f"Không tạo được tệp {path.name}: {exc.strerror}.") from None
    w = SheetWriter(book, f"Rà soát {run['year']}", COLUMNS)
    org = (committee or "Đảng bộ").upper()
    w.title_block([org, "*", ""], "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ XEM XÉT TRONG RÀ SOÁT, SÀNG LỌC "
                  f"NĂM {run['year']}", f"(Tính đến ngày {format_vi(run['as_of'])}; lần rà soát số {run['run_id']})",
                  place_date_line(place, on or date.today()))
    w.header()
    by_cell: dict[tuple, list[dict]] = {}
    for f in run["findings"]:
        by_cell.setdefault((f["cell_code"] or "", f["cell_name"] or ""), []).append(f)
    seq = 0
    for i, ((code, name), items) in enumerate(by_cell.items(), start=1):
        w.section(f"{roman(i)}. {name} ({code}) — {len(items)} mục")
        for f in items:
            seq += 1
            w.record(f | {"seq": seq, "rule_vi": SCREENING_RULE.label(f["rule"]),
                          "resolution_vi": SCREENING_DECISION.short(f.get("resolution"))})
    if run["org_findings"]:
        w.section(f"{roman(len(by_cell) + 1)}. Tổ chức đảng cần củng cố, kiện toàn")
        for f in run["org_findings"]:
            seq += 1
            w.record({"seq": seq, "full_name": f["cell_name"], "card_number": f["cell_code"],
                      "rule_vi": SCREENING_RULE.label(f["rule"]), "detail": f["detail"],
                      "suggested_action": f.get("suggested_action"),
                      "resolution_vi": SCREENING_DECISION.short(f.get("resolution"))})
    w.note(f"Tổng cộng: {len(run['findings'])} mục về đảng viên, {len(run['org_findings'])} mục về tổ chức đảng.")
    w.signature(["NGƯỜI LẬP DANH SÁCH"], ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "", ""])
    w.page_setup()
    book.close()
    return {"path": str(path), "findings": len(run["findings"]), "org_findings": len(run["org_findings"]),
            "sections": len(by_cell)}
