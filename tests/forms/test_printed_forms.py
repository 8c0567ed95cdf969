"""Every workbook the tool writes, printed through LibreOffice and read back from the PDF: page count, titles,
superior committee, date line, the whole signature block on the page that ends each sheet, every name whole,
no text printed over other text (rows as high as their wrapped text), page numbers, names at 10 pt or more,
ids masked. One PDF per kind of export; skipped with the reason when LibreOffice is not installed."""

from __future__ import annotations

from forms_data import (
    COMMITTEE,
    HOMETOWN,
    HOSTILE_NAMES,
    PLAIN_NAMES,
    SUPERIOR,
    assert_printed,
    needs_pdf,
    roster_file,
    to_pdf,
)

pytestmark = needs_pdf
DATE_LINE = "Tân Lập, ngày 01 tháng 12 năm 2026"
HEAD = [SUPERIOR.upper(), COMMITTEE, DATE_LINE]


def _more_members(cli, tmp_path, n: int) -> list[str]:
    names = [f"Hoàng Văn Thái {i:02d}" for i in range(1, n + 1)]
    path = roster_file(tmp_path / "them.xlsx", [[name, "Nam", "01/01/1980", f"0803{i:04d}", "01/01/2005", None]
                                                for i, name in enumerate(names)])
    r = cli("import", "roster", path, "--into", "TL", "-f", "json")
    assert r.exit_code == 0 and r.json()["created"] == n, r.stdout
    return names


def test_roster_prints_on_a4_with_every_name_whole(cli, committee, tmp_path):
    extra = _more_members(cli, tmp_path, 12)
    out = tmp_path / "ds.xlsx"
    assert cli("export", "roster", out, "--cell", "TL", "--place", "Tân Lập").exit_code == 0
    pdf = to_pdf(out, tmp_path)
    # Three pages: the signature block would not fit under the last rows of page 2, so the last three rows go
    # with it to page 3 (never a signature alone on a page).
    assert_printed(pdf, pages=3, titles=[*HEAD, "DANH SÁCH ĐẢNG VIÊN", "(Tính đến ngày 01/12/2026)"],
                   names=PLAIN_NAMES + HOSTILE_NAMES + extra, signer="T/M BAN THƯỜNG VỤ")
    assert sum(1 for line in pdf.pages[2].splitlines() if "********" in line) == 3
    for page in range(3):  # the header is repeated on every page
        assert "Họ và tên" in pdf.flat(page) and "Ngày vào Đảng" in pdf.flat(page)
    whole = pdf.flat()
    assert all(word in whole for word in HOMETOWN.split())
    # The note column is sized by its longest note over the whole list (it was once sized by one arbitrary
    # row, and left out when that row had none): the probationary member's "Dự bị" is printed.
    assert "Ghi chú" in whole and "Dự bị" in whole
    # Empty columns are left out; ids are masked; names print at 10 pt or more.
    assert "Tên gọi khác" not in whole and "Nơi sinh" not in whole and "Số CMND cũ" not in whole
    assert "********0001" in whole and "001171000001" not in whole
    assert pdf.height_of("Nguyễn") >= 10 * 1.28  # Liberation Serif: a word's box is 1.3 × the font size


def test_screening_list_prints_the_item_numbers_resolve_takes(cli, committee, tmp_path):
    out = tmp_path / "rs.xlsx"
    r = cli("export", "screening", committee["run_id"], out, "--place", "Tân Lập")
    assert r.exit_code == 0, r.stderr
    pdf = to_pdf(out, tmp_path)
    names = [f["full_name"] for f in committee["findings"]]
    assert_printed(pdf, pages=2, titles=[SUPERIOR.upper(), DATE_LINE,
                                         "DANH SÁCH ĐẢNG VIÊN, TỔ CHỨC ĐẢNG ĐỀ NGHỊ XEM XÉT"],
                   names=names, signer="T/M BAN THƯỜNG VỤ")
    shown = cli("screening", "show", committee["run_id"], "--format", "json").json()
    lines = [" ".join(line.split()) for page in pdf.pages for line in page.splitlines()]
    for f in shown["findings"]:
        assert any(line.startswith(f"{f['item_no']} {f['full_name']}") for line in lines), f
    # The regulation in force in the year screened: 2026 ends under QĐ 208 (the line may break after "208-").
    assert "Quy định 208-" in pdf.flat() and "QĐ 24-" not in pdf.flat() and "Quy định 24-" not in pdf.flat()
    assert "Quy định 294-" not in pdf.flat()


def test_admissions_report_prints_table_chart_and_profile_whole(cli, committee, tmp_path):
    out = tmp_path / "bc.xlsx"
    assert cli("export", "report", "admissions", out, "--year", "2025", "--place", "Tân Lập").exit_code == 0
    pdf = to_pdf(out, tmp_path)
    assert_printed(pdf, pages=2, titles=[SUPERIOR.upper(), DATE_LINE, "THỐNG KÊ ĐẢNG VIÊN MỚI KẾT NẠP NĂM 2025",
                                         "ĐẶC ĐIỂM ĐẢNG VIÊN MỚI KẾT NẠP NĂM 2025", "Biểu số 2-BTCTW"],
                   names=[COMMITTEE, "Chi bộ thôn Đông"], signer="T/M BAN THƯỜNG VỤ", signed=(0, 1))
    first = pdf.flat(0)
    # The chart is on the table's page, whole: its title and its legend.
    assert "Tỷ lệ kết nạp đảng viên năm 2025 so với chỉ tiêu" in first and "Chỉ tiêu cao (%)" in first
    assert first.count("Toàn đảng bộ") == 2  # the last bar's label as well as the table's total
    rate = cli("reports", "admissions", "--year", "2025", "--format", "json").json()["rows"][-1]["rate_percent"]
    assert f"{rate:.2f}".replace(".", ",") in first  # Vietnamese decimal comma
    assert "ĐẶC ĐIỂM" in pdf.flat(1) and "ĐẶC ĐIỂM" not in first


def test_new_members_sheet_prints_with_date_and_signature(cli, committee, tmp_path):
    out = tmp_path / "dvm.xlsx"
    assert cli("export", "report", "new-members", out, "--year", "2025", "--cell", "TL.01",
               "--place", "Tân Lập").exit_code == 0
    pdf = to_pdf(out, tmp_path)
    assert_printed(pdf, pages=1, titles=[COMMITTEE, "CHI BỘ THÔN ĐÔNG", DATE_LINE,
                                         "ĐẶC ĐIỂM ĐẢNG VIÊN MỚI KẾT NẠP NĂM 2025 (TL.01)"],
                   names=["Tổng số đảng viên mới kết nạp"], signer="T/M CHI BỘ")  # no cell committee: the cell signs


def test_rejected_rows_print_with_what_is_wrong(cli, committee, tmp_path):
    bad = roster_file(tmp_path / "nhap.xlsx", [[name, "Nữ", "31/02/1980", f"0802{i:04d}", "01/01/2020", HOMETOWN]
                                               for i, name in enumerate(HOSTILE_NAMES)])
    report = cli("import", "roster", bad, "--into", "TL.02", "--skip-invalid", "-f", "json").json()
    pdf = to_pdf(tmp_path / "nhap-dong-loi.xlsx", tmp_path)
    assert report["rejects_file"].endswith("nhap-dong-loi.xlsx")
    assert_printed(pdf, pages=2, titles=[COMMITTEE, "CHI BỘ THÔN TÂY", "CÁC DÒNG CHƯA NHẬP ĐƯỢC"],
                   names=HOSTILE_NAMES, signer="T/M CHI ỦY")  # a cell with its committee
    assert pdf.flat().count("không phải là ngày có thật") == len(HOSTILE_NAMES) and "Nữ" in pdf.flat()


def test_a_roster_with_every_column_filled_prints_on_two_pages_side_by_side(cli, committee, tmp_path):
    """21 columns cannot print at 10 pt on one A4 width: two pages, number and name repeated on the second."""
    for card in ("08010001", "08010002", "08010005"):
        r = cli("members", "update", card, "--other-name", "Hai Lúa", "--religion", "Không",
                "--birthplace", "Bệnh viện huyện Yên Dũng", "--old-id-number", "121212121",
                "--decision-date", "01/04/2010", "--education-general", "12/12",
                "--education-professional", "Kỹ sư nông nghiệp", "--political-theory", "Trung cấp",
                "--note", "Chuyển đến năm 2019")
        assert r.exit_code == 0, r.stderr
    out = tmp_path / "ds.xlsx"
    assert cli("export", "roster", out, "--cell", "TL", "--place", "Tân Lập").exit_code == 0
    pdf = to_pdf(out, tmp_path)
    # Printed across: rows 1–n left half, the same rows' right half, then the next rows; the signature block
    # under the last rows' left half (page 3).
    assert_printed(pdf, pages=4, titles=[*HEAD, "DANH SÁCH ĐẢNG VIÊN"], names=PLAIN_NAMES + HOSTILE_NAMES,
                   signer="T/M BAN THƯỜNG VỤ", signed=(2,))
    left, right = pdf.flat(0), pdf.flat(1)
    assert "Quê quán" in left and "Ghi chú" not in left and "Ghi chú" in right and "Quê quán" not in right
    assert all(name in right for name in PLAIN_NAMES)  # the name repeated beside the second half
    assert SUPERIOR.upper() in right  # the committee block over the repeated columns, whole
    assert pdf.height_of("Nguyễn") >= 10 * 1.28
