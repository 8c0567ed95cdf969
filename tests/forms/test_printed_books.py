"""The books sent out to the cells (export attendance|dues|ratings), printed through LibreOffice and read back
from the PDF like every other form (test_printed_forms.py): titles, every name whole, the signature block whole
on the last page, nothing printed over anything; and the same printed file imported back changes nothing."""

from __future__ import annotations

import pytest
from forms_data import (
    COMMITTEE,
    HOMETOWN,
    HOSTILE_NAMES,
    PLAIN_NAMES,
    SUPERIOR,
    assert_printed,
    needs_pdf,
    to_pdf,
)

pytestmark = needs_pdf
DATE_LINE = "Tân Lập, ngày 01 tháng 12 năm 2026"


@pytest.mark.parametrize(("kind", "title", "pages"), [
    ("attendance", "SỔ THEO DÕI SINH HOẠT CHI BỘ NĂM 2026", 1),
    ("dues", "SỔ THU ĐẢNG PHÍ NĂM 2026", 1),
    ("ratings", "KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN NĂM 2026", 1),
])
def test_books_print_whole_and_come_back_unchanged(cli, committee, tmp_path, kind, title, pages):
    assert cli("dues", "set", "08010002", "--year", "2026", "--month", "1", "--amount", "120000").exit_code == 0
    assert cli("ratings", "set", "08010003", "--year", "2026", "--level", "HTXSNV", "--score", "92").exit_code == 0
    out = tmp_path / f"{kind}.xlsx"
    r = cli("export", kind, out, "--year", "2026", "--cell", "TL", "--place", "Tân Lập")
    assert r.exit_code == 0, r.stderr
    pdf = to_pdf(out, tmp_path)
    assert_printed(pdf, pages=pages, titles=[SUPERIOR.upper(), COMMITTEE, DATE_LINE, title],
                   names=PLAIN_NAMES + HOSTILE_NAMES, signer="T/M BAN THƯỜNG VỤ")
    whole = pdf.flat()
    assert "Chi bộ thôn Đông" in whole and "Chi bộ thôn Tây" in whole
    if kind == "attendance":
        assert "Tháng" in whole and "x có mặt" in whole
    elif kind == "dues":
        assert "120.000" in whole  # Vietnamese thousands
    else:
        assert "Hoàn thành xuất sắc nhiệm vụ" in whole and "92" in whole
    back = cli("import", kind, out, "--year", "2026", "--format", "json")
    assert back.exit_code == 0, back.stdout + back.stderr
    assert back.json()["created"] == back.json()["updated"] == 0


def test_ceremony_list_prints_whole(cli, committee, tmp_path):
    names = ["Nguyễn Văn Năm Mươi", "Trần Thị Ốm Nặng Bảy Mươi", "Lê Văn Truy Tặng"]
    for (name, decision), card in zip(zip(names, ("01/11/1976", "01/03/1958", "01/06/1997"), strict=True),
                                      ("08020001", "08020002", "08020003"), strict=True):
        r = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", "01/01/1935",
                "--cell", "TL.01", "--card-number", card, "--decision-date", decision, "--admission-date", decision)
        assert r.exit_code == 0, r.stderr
    assert cli("badges", "award", "08020002", "--milestone", "65", "--date", "19/05/2023").exit_code == 0
    assert cli("members", "update", "08020002", "--seriously-ill", "01/10/2026").exit_code == 0
    assert cli("members", "leave", "08020003", "--reason", "deceased", "--date", "01/08/2026").exit_code == 0
    out = tmp_path / "hh.xlsx"
    r = cli("export", "badges", out, "--occasion", "07/11/2026", "--cell", "TL", "--place", "Tân Lập")
    assert r.exit_code == 0, r.stderr
    pdf = to_pdf(out, tmp_path)
    assert_printed(pdf, pages=1, titles=[SUPERIOR.upper(), COMMITTEE, DATE_LINE,
                                         "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG",
                                         "kỷ niệm Cách mạng Tháng Mười Nga (7/11)"],
                   names=names, signer="T/M BAN THƯỜNG VỤ")
    whole = pdf.flat()
    for words in ("Huy hiệu 70 năm tuổi Đảng (1 đồng chí)", "Huy hiệu 50 năm tuổi Đảng (1 đồng chí)",
                  "Huy hiệu 30 năm tuổi Đảng (1 đồng chí)", "Ốm nặng, xét tặng sớm", "Truy tặng; từ trần ngày 01/08/2026",
                  "Hướng dẫn"):
        assert words in whole, words
    assert whole.index("70 năm tuổi Đảng") < whole.index("50 năm tuổi Đảng") < whole.index("30 năm tuổi Đảng")


@pytest.mark.parametrize("card", ["08010001", "08010005"])  # a long hometown; a name that looks like a formula
def test_member_sheet_prints_like_the_form(cli, committee, tmp_path, card):
    assert cli("ratings", "set", card, "--year", "2025", "--level", "HTTNV", "--score", "80").exit_code == 0
    assert cli("members", "transfer", card, "--to", "TL.02" if card == "08010001" else "TL.01",
               "--date", "01/06/2026", "--letter", "15-GGT/ĐU").exit_code == 0
    out = tmp_path / "phieu.xlsx"
    r = cli("export", "member", card, out, "--place", "Tân Lập")
    assert r.exit_code == 0, r.stderr
    pdf = to_pdf(out, tmp_path)
    shown = cli("members", "show", card, "--format", "json").json()
    whole = pdf.flat()
    assert len(pdf.pages) == 1, [p[:300] for p in pdf.pages]
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", COMMITTEE, DATE_LINE, "PHIẾU ĐẢNG VIÊN", "Mẫu 2-HSĐV",
                  "I. SƠ LƯỢC LÝ LỊCH", "II. VÀO ĐẢNG VÀ SINH HOẠT ĐẢNG", "IV. CHUYỂN SINH HOẠT ĐẢNG",
                  "V. KẾT QUẢ XẾP LOẠI", "Hoàn thành tốt nhiệm vụ, 80 điểm", "15-GGT/ĐU",
                  "NGƯỜI KHAI", "(Ký, ghi rõ họ tên)", "T/M BAN THƯỜNG VỤ", "BÍ THƯ", "(Ký tên, đóng dấu)",
                  "Trang 1/1", shown["full_name"]):
        assert words in whole, words
    assert all(word in whole for word in HOMETOWN.split())
    assert "********" + shown["national_id"][-4:] in whole and shown["national_id"] not in whole
    assert "domain.md" not in whole and pdf.overlaps() == []
    for words, width in zip(pdf.words, pdf.widths, strict=True):
        assert [w[4] for w in words if w[0] < 14 or w[2] > width - 14] == []
    assert pdf.height_of("Nguyễn" if card == "08010001" else "ĐẢNG") >= 10 * 1.28
