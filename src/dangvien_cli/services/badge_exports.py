"""The ceremony list of an award occasion (export badges): the members due a Party badge on that day
(services/badges.due, rules/badges.py; domain.md §3), one section per badge, highest first, for the committee to
sign and send upward.

Each row says why the member is on the list: party age reached, seriously ill (early: the day the milestone is
reached), or posthumous (the day of death). Personal ids are not printed: the card number identifies.
"""

from __future__ import annotations

from pathlib import Path

from dangvien_cli import vocab
from dangvien_cli.excel import layout
from dangvien_cli.excel.layout import Column
from dangvien_cli.formats import number_vi
from dangvien_cli.rules.dates import format_vi, today
from dangvien_cli.services import badges as badges_svc
from dangvien_cli.services.exports import heading
from dangvien_cli.sources import source
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store.connection import Connection

CEREMONY_COLUMNS = [
    Column("seq", "STT", width=5, kind="number", keep=True),
    Column("full_name", "Họ và tên", width=36, keep=True),
    Column("birth_date", "Ngày sinh", width=11, kind="date"),
    Column("card_number", "Số thẻ đảng viên", width=11),
    Column("cell_name", "Chi bộ", width=26, min_width=12, keep=True),
    Column("admission_date", "Ngày vào Đảng", width=11, kind="date"),
    Column("party_age", "Tuổi đảng", width=16),
    Column("ground", "Căn cứ đề nghị", width=30, min_width=14, keep=True),
]


def party_age_text(years: int, months: int) -> str:
    return f"{years} năm {months} tháng" if months else f"{years} năm"


def _ground(row: dict) -> str:
    text = vocab.BADGE_GROUND.label(row["ground"])
    if row["ground"] == "posthumous":
        text += f"; từ trần ngày {format_vi(row['died_on'])}"
    if row["early"]:
        text += f"; đủ {row['milestone']} năm tuổi Đảng ngày {format_vi(row['reached_on'])}"
    return text


def occasion_line(day_iso: str) -> str:
    """"(Dịp 19/05/2026, kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh (19/5))", or the plain day for another date."""
    name = vocab.BADGE_OCCASION.label(day_iso[5:]) if day_iso[5:] in vocab.BADGE_OCCASION else None
    return f"(Dịp {format_vi(day_iso)}, {name})" if name else f"(Dịp trao ngày {format_vi(day_iso)})"


def export_ceremony(conn: Connection, path: Path, *, occasion: str | None = None, cell: str | None = None,
                    place: str | None = None) -> dict:
    """Write the members due a badge at ``occasion`` (default: the next occasion) under ``cell`` (or all)."""
    rows = badges_svc.due(conn, occasion, cell=cell)
    day = rows[0]["occasion"] if rows else badges_svc.occasion_day(occasion).isoformat()
    root = cell_store.find(conn, cell) if cell else None
    head = heading(conn, root)
    for r in rows:
        r["party_age"] = party_age_text(r["party_age_years"], r["party_age_months"])
        r["ground"] = _ground(r)
    lengths = layout.lengths_of(rows, CEREMONY_COLUMNS) | {"seq": 3}
    page = layout.Page(landscape=True)
    columns = layout.fit_columns(CEREMONY_COLUMNS, lengths, page)
    with layout.open_book(path, "huy-hieu-19-5-2026.xlsx") as book:
        sheet = layout.SheetWriter(book, "Huy hiệu Đảng", columns, page=page)
        sheet.title_block(head["committee"], head["superior"], "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG",
                          occasion_line(day), layout.place_date_line(place, today()))
        sheet.header()
        sections, current, seq = 0, None, 0
        for r in rows:
            if r["milestone"] != current:
                current, seq = r["milestone"], 0
                sections += 1
                count = sum(1 for x in rows if x["milestone"] == current)
                sheet.section(f"{layout.roman(sections)}. Huy hiệu {current} năm tuổi Đảng ({number_vi(count)} đồng chí)")
            seq += 1
            sheet.record(r | {"seq": seq})
        if not rows:
            sheet.note("Không có đảng viên nào đến hạn nhận Huy hiệu Đảng vào dịp này.")
        else:
            sheet.note(f"Tổng số: {number_vi(len(rows))} đồng chí. Tuổi đảng tính đến ngày trao (truy tặng: đến ngày "
                       "từ trần), đã trừ thời gian gián đoạn; đảng viên ốm nặng được xét tặng sớm không quá 12 tháng "
                       "(mốc 70 năm trở lên: 24 tháng), truy tặng sớm không quá 12 tháng "
                       f"({source('3')}).")
        sheet.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        sheet.page_setup()
    return {"path": str(path), "occasion": day, "members": len(rows), "sections": sections}
