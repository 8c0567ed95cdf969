"""A member's record sheet (export member REF FILE): the Phiếu đảng viên, mẫu 2-HSĐV (Hướng dẫn 12-HD/BTCTW;
domain.md §5), with the fields of the form the record holds, in the form's order, then the member's history,
transfers, ratings and badges, printed on A4 portrait like the form: a label and its value on each line, a
section per part, the member and the committee signing at the foot.

The record does not hold every field of the printed form (family, work history, foreign relations, economic
situation): those lines are left out rather than printed empty, and the sheet says so. Personal ids are masked
(last 4 digits) unless ``full_ids``.
"""

from __future__ import annotations

from pathlib import Path

from dangvien_cli import vocab
from dangvien_cli.excel import layout
from dangvien_cli.excel.layout import Column
from dangvien_cli.rules.dates import format_vi, today
from dangvien_cli.services.exports import heading, mask_id
from dangvien_cli.services.members import show_member
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import member_sheet as store
from dangvien_cli.store.badges import member_awards
from dangvien_cli.store.connection import Connection

SHEET_COLUMNS = [Column("label", "Mục", width=40, min_width=30, keep=True),
                 Column("value", "Nội dung", width=70, min_width=30, keep=True)]
LABEL_CHARS = 40
# The events of the history part: what happened to the membership, not the corrections of the record (the
# transfers have their own part, from the transfers themselves).
HISTORY_EVENTS = ("recognized", "exempted", "exemption_ended", "left", "readmitted", "screening_decision")
NOT_HELD = ("Phiếu in các mục hồ sơ trong máy có; các mục khác của mẫu 2-HSĐV (gia đình, quá trình công tác, quan "
            "hệ nước ngoài, hoàn cảnh kinh tế) ghi theo lý lịch đảng viên.")


def _d(value: str | None) -> str | None:
    return format_vi(value) if value else None


def _identity(m: dict, full_ids: bool) -> list[tuple[str, str | None]]:
    ids = {k: m[k] if full_ids else mask_id(m[k]) for k in ("national_id", "old_id_number")}
    age = None
    if m["party_age_years"] is not None:
        age = f"{m['party_age_years']} năm {m['party_age_months']} tháng"
        if m["status"] in ("deceased", "resigned", "removed", "expelled") and m["status_date"]:
            age += f" (tính đến ngày {format_vi(m['status_date'])})"
    return [
        ("Họ và tên đang dùng", m["full_name"]),
        ("Tên gọi khác", m["other_name"]),
        ("Giới tính", vocab.GENDER.label(m["gender"]) if m["gender"] else None),
        ("Ngày sinh", _d(m["birth_date"])),
        ("Nơi sinh", m["birthplace"]),
        ("Quê quán", m["hometown"]),
        ("Nơi ở hiện nay", m["residence"]),
        ("Dân tộc", m["ethnicity"]),
        ("Tôn giáo", m["religion"]),
        ("Số định danh cá nhân", ids["national_id"]),
        ("    Số CMND cũ", ids["old_id_number"]),
        ("Nghề nghiệp", m["occupation"]),
        ("Chức vụ", m["position"]),
        ("Giáo dục phổ thông", m["education_general"]),
        ("Chuyên môn, nghiệp vụ", m["education_professional"]),
        ("Lý luận chính trị", m["political_theory"]),
    ], age


def _admission(m: dict, cell: str | None, introducers: list[dict], age: str | None) -> list[tuple[str, str | None]]:
    names = []
    for i in introducers:
        if i["kind"] == "member":
            names.append(i["full_name"])
        else:
            names.append("Nghị quyết giới thiệu của " + ("Đoàn Thanh niên" if i["kind"] == "youth_union"
                                                        else "Công đoàn"))
    return [
        ("Ngày quyết định kết nạp", _d(m["decision_date"])),
        ("Ngày vào Đảng", _d(m["admission_date"])),
        ("    Tại chi bộ", cell),
        ("    Người giới thiệu", "; ".join(names) or None),
        ("Ngày chính thức", _d(m["official_date"])),
        ("Loại đảng viên", vocab.MEMBERSHIP.label(m["membership"])),
        ("Tuổi đảng", age),
        ("Số thẻ đảng viên", m["card_number"]),
        ("Số lý lịch", m["biography_number"]),
        ("Chi bộ đang sinh hoạt", m["cell_name"]),
        ("    Sinh hoạt tạm thời tại", f"{m['host_cell_name']} (đến {format_vi(m['host_until'])})"
         if m.get("host_cell_name") and m.get("host_until") else m.get("host_cell_name")),
        ("Tình trạng", vocab.STATUS.label(m["status"]) + (f" từ ngày {format_vi(m['status_date'])}"
                                                             if m["status_date"] else "")),
        ("Ốm nặng từ ngày", _d(m.get("seriously_ill_since"))),
    ]


def _event_text(e: dict) -> str:
    label = vocab.EVENT.label(e["event"])
    old, new = e["old_value"], e["new_value"]
    if e["field"] == "status":
        old = vocab.STATUS.label(old) if old in vocab.STATUS else old
        new = vocab.STATUS.label(new) if new in vocab.STATUS else new
    if old and new:
        text = f"{label}: {old} → {new}"
    elif new:
        text = f"{label}: {new}"
    else:
        text = label
    return text + (f" (căn cứ: {e['reference']})" if e["reference"] else "")


def _transfer_text(t: dict) -> str:
    where = t["to_name"] or t["destination"] or "?"
    text = f"{vocab.TRANSFER_KIND.label(t['kind'])}: {t['from_name'] or '?'} → {where}"
    if t["end_date"]:
        text += f", đến ngày {format_vi(t['end_date'])}"
    if t["letter_number"]:
        text += f"; giấy giới thiệu số {t['letter_number']}"
    return text


def _rating_text(r: dict) -> str:
    if r["level"]:
        text = vocab.RATING_LEVEL.label(r["level"])
    else:
        text = f"Không xếp loại ({vocab.NOT_RATED_REASON.label(r['not_rated_reason']).lower()})"
    return text + (f", {r['score']:g} điểm".replace(".", ",") if r["score"] is not None else "")


def _badge_text(b: dict) -> str:
    text = ("Truy tặng " if b["posthumous"] else "") + f"Huy hiệu {b['milestone']} năm tuổi Đảng"
    return text + (f"; quyết định số {b['reference']}" if b["reference"] else "")


def sheet_parts(conn: Connection, ref: str, *, full_ids: bool = False) -> tuple[dict, list[tuple[str, list]]]:
    """The member and the parts of the sheet: [(heading, [(label, value)])], empty lines left out."""
    m = show_member(conn, ref)
    admitted_in, introducers = store.admission(conn, m["id"])
    identity, age = _identity(m, full_ids)
    exemptions = [(_d(x["start_date"]), f"{vocab.EXEMPTION_KIND.label(x['kind'])}: "
                   f"{vocab.EXEMPTION_REASON.label(x['reason']).lower()}"
                   + (f", đến ngày {format_vi(x['end_date'])}" if x["end_date"] else "")
                   + (f", thôi từ ngày {format_vi(x['ended_date'])}" if x["ended_date"] else "")
                   + (f" (căn cứ: {x['reference']})" if x["reference"] else ""))
                  for x in store.exemptions(conn, m["id"])]
    gaps = [(_d(g["start_date"]), f"{vocab.GAP_KIND.label(g['kind'])}, không tính tuổi đảng"
             + (f" đến ngày {format_vi(g['end_date'])}" if g["end_date"] else "") + (f"; {g['note']}" if g["note"]
                                                                                   else ""))
            for g in store.gaps(conn, m["id"])]
    parts = [
        ("I. SƠ LƯỢC LÝ LỊCH", identity),
        ("II. VÀO ĐẢNG VÀ SINH HOẠT ĐẢNG", _admission(m, admitted_in, introducers, age)),
        ("III. QUÁ TRÌNH SINH HOẠT ĐẢNG (kết nạp lại, miễn sinh hoạt, ra khỏi danh sách…)",
         [(_d(e["effective_date"]) or format_vi(e["created_at"][:10]), _event_text(e))
          for e in store.events(conn, m["id"], HISTORY_EVENTS)] + exemptions + gaps),
        ("IV. CHUYỂN SINH HOẠT ĐẢNG", [(_d(t["start_date"]), _transfer_text(t))
                                      for t in store.transfers(conn, m["id"])]),
        ("V. KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG HẰNG NĂM", [(f"Năm {r['year']}", _rating_text(r))
                                                    for r in store.ratings(conn, m["id"])]),
        ("VI. HUY HIỆU ĐẢNG", [(_d(b["awarded_date"]), _badge_text(b)) for b in member_awards(conn, m["id"])]),
        ("VII. GHI CHÚ", [("", m["note"])]),
    ]
    out, n = [], 0
    for title, rows in parts:
        kept = [(label, value) for label, value in rows if value]
        if title.startswith(("I.", "II.")):  # the form's items, numbered over the lines printed
            numbered = []
            for label, value in kept:
                if not label.startswith(" "):
                    n += 1
                    label = f"{n}. {label}"
                numbered.append((label, value))
            kept = numbered
        out.append((title, kept))
    return m, out


def export_member(conn: Connection, ref: str, path: Path, *, full_ids: bool = False,
                  place: str | None = None) -> dict:
    """Write the record sheet of the member ``ref``."""
    m, parts = sheet_parts(conn, ref, full_ids=full_ids)
    cell = cell_store.get(conn, cell_store.find(conn, m["cell_code"]).id)
    # The committee that keeps the record: the grassroots one over a cell attached to it, else the cell itself.
    keeper = cell_store.get(conn, cell.parent_id) if cell.kind in ("cell", "party_group") and cell.parent_id else cell
    head = heading(conn, keeper)
    rows = [{"label": label, "value": value} for _, lines in parts for label, value in lines]
    page = layout.Page(landscape=False)
    # The label column is kept near half the page: the title block's left half (the committee and its superior,
    # in capitals) stands over it and must not wrap.
    lengths = layout.lengths_of(rows, SHEET_COLUMNS)
    lengths["label"] = max(lengths["label"], LABEL_CHARS)
    columns = layout.fit_columns(SHEET_COLUMNS, lengths, page)
    lines = 0
    with layout.open_book(path, "phieu-dang-vien-08012345.xlsx") as book:
        sheet = layout.SheetWriter(book, "Phiếu đảng viên", columns, page=page)
        sheet.title_block(head["committee"], head["superior"], "PHIẾU ĐẢNG VIÊN",
                          f"Họ và tên: {m['full_name']}" + (f" — Số thẻ: {m['card_number']}" if m["card_number"]
                                                            else ""),
                          layout.place_date_line(place, today()), form_number="Mẫu 2-HSĐV")
        for title, entries in parts:
            if not entries:
                continue
            sheet.section(title)
            for label, value in entries:
                sheet.record({"label": label, "value": value})
                lines += 1
        sheet.note(NOT_HELD + ("" if full_ids else " Số định danh cá nhân và số CMND chỉ in 4 chữ số cuối."))
        sheet.signature(["NGƯỜI KHAI"], head["sign"], left_note="(Ký, ghi rõ họ tên)")
        sheet.page_setup()
    return {"path": str(path), "member_id": m["id"], "full_name": m["full_name"], "lines": lines,
            "sections": sum(1 for _, entries in parts if entries)}
