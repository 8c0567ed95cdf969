"""The printed check of the dues book (export report dues): converted to PDF and read back — the title block,
one section per cell, each month paid short or over with the regulation it was judged by, the signature."""

from __future__ import annotations

from forms_data import SUPERIOR, assert_printed, needs_pdf, to_pdf

DATE_LINE = "Tân Lập, ngày 01 tháng 12 năm 2026"

pytestmark = needs_pdf


def test_the_dues_check_prints_each_month_with_its_regulation(cli, committee, tmp_path):
    def ok(*args):
        r = cli(*args)
        assert r.exit_code == 0, (args, r.stderr)

    ok("dues", "category", "08010001", "--category", "insured", "--base", "6500000", "--from", "01/01/2025")
    ok("dues", "category", "08010005", "--category", "student", "--from", "01/09/2025")
    for month, amount in ((1, 60000), (2, 65000), (3, 65000)):
        ok("dues", "set", "08010001", "--year", "2026", "--month", str(month), "--amount", str(amount))
    for month, amount in ((1, 2000), (2, 8000)):
        ok("dues", "set", "08010005", "--year", "2026", "--month", str(month), "--amount", str(amount))
    out = tmp_path / "dp.xlsx"
    r = cli("export", "report", "dues", out, "--year", "2026", "--place", "Tân Lập")
    assert r.exit_code == 0, r.stderr
    pdf = to_pdf(out, tmp_path)
    names = ["Nguyễn Văn An", "08010005"]
    assert_printed(pdf, pages=1, titles=[SUPERIOR.upper(), DATE_LINE, "ĐỐI CHIẾU SỔ ĐẢNG PHÍ NĂM 2026"],
                   names=names, signer="T/M BAN THƯỜNG VỤ")
    lines = [" ".join(line.split()) for line in pdf.pages[0].splitlines()]
    assert any(line.startswith("1 Nguyễn Văn An 08010001 1/2026 65.000 60.000 Thiếu 5.000 Quyết định")
               for line in lines), lines
    assert any("2/2026 5.000 8.000 Thừa 3.000 Quy định 01-QĐ/TW" in line for line in lines), lines
    whole = pdf.flat()
    assert '=HYPERLINK("http://' in whole  # a name that looks like a formula prints as the text it is
    assert "I. Chi bộ thôn Đông (TL.01) — 1 tháng" in whole and "II. Chi bộ thôn Tây (TL.02) — 1 tháng" in whole
    assert "tháng 1/2026 theo Quyết định 342-QĐ/TW; tháng 2–3/2026 theo Quy định 01-QĐ/TW" in whole
    assert "1 tháng đóng thiếu (5.000 đ), 1 tháng đóng thừa (3.000 đ)" in whole
