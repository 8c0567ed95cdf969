"""Write small example files to data/examples/ (deterministic; invented people, synthetic numbers).

    .venv/bin/python scripts/make_examples.py [OUT_DIR]

- roster_tan_lap.xlsx: Unicode roster of "Đảng bộ xã Tân Lập" (4 cells): title rows, two-row merged header,
  numbering row, a section row per cell, dates typed several ways, signature block;
- roster_tan_lap_tcvn3.xls: the same members in the old layout, TCVN3 text in .VnTime (.VnTimeH titles);
- attendance_2024.xlsx, dues_2024.xlsx, ratings_2024.xlsx: books of the same members for 2024, with a few who
  miss 3+ months and a couple rated KHTNV.

National ids start with 999 and card numbers with 99: no real person has them.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import xlwt
from openpyxl.styles import Alignment, Font

SEED = 2024
COMMUNE = "ĐẢNG BỘ XÃ TÂN LẬP"
CELLS = ["Chi bộ thôn Đông", "Chi bộ thôn Tây", "Chi bộ Trường THCS Tân Lập", "Chi bộ Trạm Y tế"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Công", "Thành"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Kim"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Long", "Nam", "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Hưng"]
GIVEN_F = ["Hà", "Hương", "Lan", "Mai", "Phương", "Thảo", "Trang", "Yến", "Hường", "Nhung", "Oanh"]
ETHNIC = ["Kinh"] * 8 + ["Tày", "Nùng", "Mường"]
EDU = ["12/12", "12/12", "10/10", "9/12"]
PRO = ["Đại học", "Cao đẳng", "Trung cấp", None, None]
LLCT = ["Sơ cấp", "Sơ cấp", "Trung cấp", "Cao cấp", None]
TITLE_ROWS = [COMMUNE, "DANH SÁCH ĐẢNG VIÊN", "(Tính đến ngày 31 tháng 12 năm 2024)"]
HEAD1 = ["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Dân tộc", "Quê quán", "Số thẻ đảng viên",
         "Số định danh cá nhân", "Ngày vào Đảng", None, "Trình độ", None, None, "Chức vụ", "Ghi chú"]
HEAD2 = [None, None, "Nam", "Nữ", None, None, None, None, "Kết nạp", "Chính thức", "Học vấn", "Chuyên môn",
         "Lý luận chính trị", None, None]


def make_members(rnd: random.Random) -> list[dict]:
    members = []
    n = 0
    for cell in CELLS:
        for k in range(rnd.randint(9, 13)):
            n += 1
            male = rnd.random() < 0.55
            birth = date(1945, 1, 1) + timedelta(days=rnd.randrange(0, 55 * 365))
            adm = birth + timedelta(days=rnd.randrange(19 * 365, 30 * 365))
            if adm > date(2024, 11, 30):
                adm = date(2024, 3, 2) + timedelta(days=rnd.randrange(0, 200))
            probationary = adm > date(2023, 12, 31)
            members.append({
                "n": n, "cell": cell, "male": male,
                "name": f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE_M if male else MIDDLE_F)} "
                        f"{rnd.choice(GIVEN_M if male else GIVEN_F)}",
                "birth": birth, "adm": adm, "off": None if probationary else adm.replace(year=adm.year + 1),
                "ethnicity": rnd.choice(ETHNIC), "hometown": rnd.choice(["Tân Lập", "Tân Lập", "Hà Nội", "Bảo Thắng"]),
                "card": f"99{n:06d}", "nid": f"999{n:09d}", "edu": rnd.choice(EDU), "pro": rnd.choice(PRO),
                "llct": rnd.choice(LLCT), "position": "Bí thư chi bộ" if k == 0 else rnd.choice(
                    ["Đảng viên"] * 5 + ["Chi ủy viên"]),
            })
    return members


def _date_typed(d: date, style: int):
    """Dates as clerks type them: a real Excel date, dd/mm/yyyy text or dd.mm.yyyy text."""
    return [d, d.strftime("%d/%m/%Y"), d.strftime("%d.%m.%Y"), d][style % 4]


def roster_rows(members: list[dict]) -> tuple[list[list], list[int]]:
    rows: list[list] = [[t] for t in TITLE_ROWS] + [[], HEAD1, HEAD2, [f"({i})" for i in range(1, 16)]]
    section_rows = []
    romans = ["I", "II", "III", "IV", "V"]
    seq = 0
    for ci, cell in enumerate(CELLS):
        rows.append([f"{romans[ci]}. {cell}"])
        section_rows.append(len(rows))
        for m in (m for m in members if m["cell"] == cell):
            seq += 1
            birth = _date_typed(m["birth"], seq)
            rows.append([
                seq, m["name"], birth if m["male"] else None, None if m["male"] else birth, m["ethnicity"],
                m["hometown"], m["card"], m["nid"], _date_typed(m["adm"], seq + 1),
                _date_typed(m["off"], seq + 2) if m["off"] else None, m["edu"], m["pro"], m["llct"],
                m["position"], None if m["off"] else "Dự bị",
            ])
    rows += [[None, f"Tổng số: {len(members)} đảng viên"], [],
             [None, None, None, None, None, None, None, None, None, None, "Tân Lập, ngày 15 tháng 01 năm 2025"],
             [None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, None, None, None, "T/M ĐẢNG ỦY"],
             [None, None, None, None, None, None, None, None, None, None, "BÍ THƯ"], [], [],
             [None, "Trần Văn Lập", None, None, None, None, None, None, None, None, "Nguyễn Văn Bí"]]
    return rows, section_rows


MERGES = [(5, 6, 1, 1), (5, 6, 2, 2), (5, 5, 3, 4), (5, 6, 5, 5), (5, 6, 6, 6), (5, 6, 7, 7), (5, 6, 8, 8),
          (5, 5, 9, 10), (5, 5, 11, 13), (5, 6, 14, 14), (5, 6, 15, 15)]


def write_roster_xlsx(path: Path, members: list[dict]) -> None:
    rows, section_rows = roster_rows(members)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            if v is not None:
                cell = ws.cell(r, c, v)
                if isinstance(v, date):
                    cell.number_format = "dd/mm/yyyy"
    for r in range(1, 4):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=15)
        ws.cell(r, 1).font = Font(bold=r < 3)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
    for r1, r2, c1, c2 in MERGES:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for r in section_rows:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=15)
        ws.cell(r, 1).font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJKLMNO", (5, 24, 12, 12, 8, 12, 11, 15, 12, 12, 8, 10, 10, 14, 8), strict=True):
        ws.column_dimensions[col].width = width
    wb.save(path)


# TCVN3 (ABC) encoder for the .xls example: Unicode → the cp1252 code points Excel keeps for .VnTime text.
_TCVN3 = {
    "a": "a\xb5\xb6\xb7\xb8\xb9", "ă": "\xa8\xbb\xbc\xbd\xbe\xc6", "â": "\xa9\xc7\xc8\xc9\xca\xcb",
    "e": "e\xcc\xce\xcf\xd0\xd1", "ê": "\xaa\xd2\xd3\xd4\xd5\xd6", "i": "i\xd7\xd8\xdc\xdd\xde",
    "o": "o\xdf\xe1\xe2\xe3\xe4", "ô": "\xab\xe5\xe6\xe7\xe8\xe9", "ơ": "\xac\xea\xeb\xec\xed\xee",
    "u": "u\xef\xf1\xf2\xf3\xf4", "ư": "\xad\xf5\xf6\xf7\xf8\xf9", "y": "y\xfa\xfb\xfc\xfd\xfe",
}
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_CAP = {"Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6", "Đ": "\xa7"}


def to_tcvn3(text: str, upper_font: bool = False) -> str:
    import unicodedata

    if upper_font:
        text = text.lower()  # .VnTimeH shows lower-case codes as capitals
    out = []
    for ch in text:
        if ch == "đ":
            out.append("\xae")
            continue
        nfd = unicodedata.normalize("NFD", ch)
        tone = next((_TONE[m] for m in nfd if m in _TONE), 0)
        base = unicodedata.normalize("NFC", "".join(m for m in nfd if m not in _TONE))
        if base.lower() in _TCVN3:
            code = _TCVN3[base.lower()][tone]
            if base.isupper():
                cap = _CAP.get(base, base)
                out.append(cap if tone == 0 else cap + code)
            else:
                out.append(code)
        else:
            out.append(_CAP.get(ch, ch))
    return "".join(out)


def write_roster_xls_tcvn3(path: Path, members: list[dict]) -> None:
    """The old single-row layout most .xls rosters had: STT | Họ và tên | Giới tính | Ngày sinh | …"""
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Danh sach")
    body = xlwt.easyxf("font: name .VnTime")
    title = xlwt.easyxf("font: name .VnTimeH, bold on; align: horiz center")
    dstyle = xlwt.easyxf("font: name .VnTime", num_format_str="dd/mm/yyyy")
    ws.write_merge(0, 0, 0, 8, to_tcvn3(COMMUNE, upper_font=True), title)
    ws.write_merge(1, 1, 0, 8, to_tcvn3("DANH SÁCH ĐẢNG VIÊN", upper_font=True), title)
    heads = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Quê quán", "Số thẻ Đảng", "Ngày vào Đảng",
             "Ngày chính thức", "Chi bộ"]
    for c, h in enumerate(heads):
        ws.write(3, c, to_tcvn3(h), body)
    for i, m in enumerate(members, start=1):
        r = 3 + i
        ws.write(r, 0, i, body)
        ws.write(r, 1, to_tcvn3(m["name"]), body)
        ws.write(r, 2, to_tcvn3("Nam" if m["male"] else "Nữ"), body)
        ws.write(r, 3, m["birth"], dstyle)
        ws.write(r, 4, to_tcvn3(m["hometown"]), body)
        ws.write(r, 5, m["card"], body)
        ws.write(r, 6, m["adm"].strftime("%d/%m/%Y"), body)
        if m["off"]:
            ws.write(r, 7, m["off"], dstyle)
        ws.write(r, 8, to_tcvn3(m["cell"]), body)
    wb.save(str(path))


def _book(path: Path, title: str, months_header: bool, rows: list[list], extra_heads: list[str] | None = None,
          ) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Năm 2024"
    ws.cell(1, 1, COMMUNE)
    ws.cell(2, 1, title)
    heads = ["STT", "Họ và tên", "Số thẻ đảng viên", "Chi bộ"] + (extra_heads or [])
    for c, h in enumerate(heads, start=1):
        ws.cell(4, c, h)
        if months_header:
            ws.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)
    if months_header:
        ws.cell(4, 5, "Tháng")
        ws.merge_cells(start_row=4, start_column=5, end_row=4, end_column=16)
        for m in range(1, 13):
            ws.cell(5, 4 + m, m)
    first = 6 if months_header else 5
    for r, row in enumerate(rows, start=first):
        for c, v in enumerate(row, start=1):
            if v is not None:
                ws.cell(r, c, v)
    wb.save(path)


def write_books(out: Path, members: list[dict], rnd: random.Random) -> None:
    absent = set(rnd.sample(range(len(members)), 3))
    unpaid = set(rnd.sample(range(len(members)), 3))
    rateable = sorted(i for i in absent | unpaid if members[i]["adm"] <= date(2024, 6, 30))
    khtnv = set(rnd.sample(rateable, 2))
    att_rows, dues_rows, rating_rows = [], [], []
    for i, m in enumerate(members):
        marks = []
        for month in range(1, 13):
            if i in absent and month in (3, 4, 6, 9):
                marks.append("k")
            elif rnd.random() < 0.06:
                marks.append("p")
            else:
                marks.append("x")
        att_rows.append([i + 1, m["name"], m["card"], m["cell"]] + marks)
        amount = 20000 if m["birth"].year > 1964 else 10000
        dues = []
        for month in range(1, 13):
            if i in unpaid and month in (2, 5, 7, 10):
                dues.append(None)
            elif m["adm"].year < 1975:
                dues.append("miễn")  # ≥50 years of party age (domain.md §4)
            else:
                dues.append(amount)
        dues_rows.append([i + 1, m["name"], m["card"], m["cell"]] + dues)
        if m["adm"] > date(2024, 6, 30):  # not rated: admitted less than 6 months before the year's end (§2)
            level, score, reason = "Không xếp loại", None, "Mới kết nạp dưới 6 tháng"
        elif i in khtnv:
            level, score, reason = "KHTNV", rnd.randint(35, 49), None
        else:
            score = rnd.randint(60, 97)
            level = ("Hoàn thành xuất sắc nhiệm vụ" if score >= 90 else "HTTNV" if score >= 70 else "HTNV")
            reason = None
        rating_rows.append([i + 1, m["name"], m["card"], m["cell"], score, level, reason])
    _book(out / "attendance_2024.xlsx", "SỔ THEO DÕI SINH HOẠT CHI BỘ NĂM 2024", True, att_rows)
    _book(out / "dues_2024.xlsx", "SỔ THU ĐẢNG PHÍ NĂM 2024", True, dues_rows)
    _book(out / "ratings_2024.xlsx", "KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2024", False, rating_rows,
          ["Điểm", "Xếp loại", "Lý do"])


def _pin_xlsx(path: Path) -> None:
    """Make an openpyxl file byte-for-byte reproducible: fixed zip timestamps and document dates."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        entries = [(info.filename, zf.read(info.filename)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2025-01-15T00:00:00Z", data)
            zf.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 15, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "data" / "examples"
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(SEED)
    members = make_members(rnd)
    write_roster_xlsx(out / "roster_tan_lap.xlsx", members)
    write_roster_xls_tcvn3(out / "roster_tan_lap_tcvn3.xls", members)
    write_books(out, members, rnd)
    for p in out.glob("*.xlsx"):
        _pin_xlsx(p)
    for p in sorted(out.iterdir()):
        print(f"{p.name}: {p.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
