"""The statistical forms (Biểu 1, 2B, 3, 5, 6, 7-BTCTW) printed through LibreOffice and read back from the PDF:
page count, the form's number and title, the superior committee, the date line, the whole signature block on
the form's page only, every label whole, no text over other text; the chart, where the form has one, whole on
the page after the form. Skipped with the reason when LibreOffice is not installed."""

from __future__ import annotations

import pytest
from forms_data import COMMITTEE, SUPERIOR, assert_printed, needs_pdf, to_pdf

pytestmark = needs_pdf
DATE_LINE = "Tân Lập, ngày 01 tháng 12 năm 2026"
HEAD = [SUPERIOR.upper(), COMMITTEE, DATE_LINE]


def _export(cli, tmp_path, kind, *args):
    out = tmp_path / f"{kind}.xlsx"
    run = cli("export", "report", kind, out, *args, "--cell", "TL", "--place", "Tân Lập")
    assert run.exit_code == 0, run.stderr
    return to_pdf(out, tmp_path)


@pytest.fixture
def history(cli, committee):
    """The committee with a year of changes: an arrival, a transfer out, a death, ratings, unit types."""
    def ok(*args):
        run = cli(*args)
        assert run.exit_code == 0, run.stderr

    ok("members", "arrive", "08010003", "--from", "Đảng ủy xã Q, tỉnh Z", "--date", "10/03/2025", "--other-province")
    ok("members", "transfer", "08010002", "--destination", "Đảng ủy phường P", "--date", "11/04/2025",
       "--same-province")
    ok("members", "leave", "08010006", "--reason", "deceased", "--date", "12/05/2025")
    ok("cells", "update", "TL.01", "--unit-type", "village")
    ok("cells", "update", "TL.02", "--unit-type", "residential_group")
    for card, level in (("08010001", "HTXSNV"), ("08010003", "HTTNV"), ("08010005", "HTNV"), ("08010007", "KHTNV")):
        ok("ratings", "set", card, "--year", "2025", "--level", level)
    ok("ratings", "set-cell", "TL.01", "--year", "2025", "--level", "HTTNV", "--four-good")
    return committee


def test_changes_prints_the_form_and_five_years_chart(cli, history, tmp_path):
    pdf = _export(cli, tmp_path, "changes", "--year", "2025")
    assert_printed(pdf, pages=2, titles=[*HEAD, "Biểu số 1-BTCTW", "THỐNG KÊ TĂNG, GIẢM ĐẢNG VIÊN",
                                         "(Từ ngày 01/01/2025 đến ngày 31/12/2025)"],
                   names=["Tổng số đảng viên cuối kỳ trước chuyển sang", "Tỉnh khác chuyển đến",
                          "Chuyển đi đảng bộ khác trong tỉnh", "Đảng viên trong danh sách cuối kỳ báo cáo"],
                   signer="T/M BAN THƯỜNG VỤ", signed=(0,))
    data = cli("reports", "changes", "--from", "01/01/2025", "--to", "31/12/2025", "--cell", "TL", "-f", "json").json()
    rows = {r["code"]: r["this_period"] for r in data["rows"]}
    lines = [" ".join(line.split()) for line in pdf.pages[0].splitlines()]
    assert f"A Tổng số đảng viên cuối kỳ trước chuyển sang {rows['A']}" in " ".join(lines)
    assert any(line.startswith(f"D Đảng viên trong danh sách cuối kỳ báo cáo {rows['D']}") for line in lines)
    chart = pdf.flat(1)
    assert "TĂNG, GIẢM ĐẢNG VIÊN TRONG 5 NĂM" in chart and "Tăng (B)" in chart and "Giảm (C)" in chart
    assert all(str(year) in chart for year in range(2021, 2026))
    assert "Kỳ này" not in chart  # the chart's page repeats no table header


def test_profile_prints_every_group_and_the_age_chart(cli, history, tmp_path):
    pdf = _export(cli, tmp_path, "profile", "--as-of", "31/12/2025")
    assert_printed(pdf, pages=3, titles=[*HEAD, "Biểu số 3-BTCTW", "THỐNG KÊ ĐỘI NGŨ ĐẢNG VIÊN",
                                         "(Tính đến ngày 31/12/2025)"],
                   names=["Trình độ giáo dục phổ thông", "Lý luận chính trị", "Đảng viên dự bị, chính thức",
                          "Từ 41 đến 50 tuổi"], signer="T/M BAN THƯỜNG VỤ", signed=(1,))
    assert "ĐẢNG VIÊN THEO ĐỘ TUỔI" in pdf.flat(2) and "Số đảng viên" in pdf.flat(2)
    for page in range(2):
        assert "Chỉ tiêu" in pdf.flat(page)  # the header repeated on the form's pages


def test_new_members_by_ethnicity_and_religion_prints_whole(cli, history, tmp_path):
    pdf = _export(cli, tmp_path, "2B", "--year", "2025")
    assert_printed(pdf, pages=1, titles=[*HEAD, "Biểu số 2B-BTCTW",
                                         "THỐNG KÊ ĐẢNG VIÊN MỚI KẾT NẠP THEO DÂN TỘC, TÔN GIÁO"],
                   names=["Tổng số đảng viên mới kết nạp", "Chia theo dân tộc", "Chia theo tôn giáo"],
                   signer="T/M BAN THƯỜNG VỤ")


def test_units_prints_every_type_of_unit(cli, history, tmp_path):
    pdf = _export(cli, tmp_path, "5", "--as-of", "31/12/2025")
    assert_printed(pdf, pages=1, titles=[*HEAD, "Biểu số 5-BTCTW",
                                         "THỐNG KÊ TỔ CHỨC ĐẢNG VÀ ĐẢNG VIÊN THEO LOẠI HÌNH CƠ SỞ"],
                   names=["Thôn, bản, tổ dân phố", "Khu dân cư", "Doanh nghiệp nhà nước",
                          "Tổng cộng"], signer="T/M BAN THƯỜNG VỤ")


def test_ratings_prints_levels_and_the_chart_per_cell(cli, history, tmp_path):
    pdf = _export(cli, tmp_path, "ratings", "--year", "2025")
    assert_printed(pdf, pages=2, titles=[*HEAD, "Biểu số 6-BTCTW", "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM 2025"],
                   names=["Hoàn thành xuất sắc nhiệm vụ", "Không hoàn thành nhiệm vụ", "Chưa có kết quả"],
                   signer="T/M BAN THƯỜNG VỤ", signed=(0,))
    chart = pdf.flat(1)
    assert "XẾP LOẠI ĐẢNG VIÊN THEO CHI BỘ" in chart
    assert "Chi bộ thôn Đông" in chart and "Chi bộ thôn Tây" in chart


def test_procedures_prints_every_row(cli, history, tmp_path):
    pdf = _export(cli, tmp_path, "procedures", "--from", "01/01/2025", "--to", "31/12/2025")
    assert_printed(pdf, pages=1, titles=[*HEAD, "Biểu số 7-BTCTW", "THỐNG KÊ NGHIỆP VỤ CÔNG TÁC ĐẢNG VIÊN"],
                   names=["Kết nạp đảng viên", "Nhận sinh hoạt chính thức đến", "Phục hồi đảng tịch",
                          "Trao Huy hiệu Đảng"], signer="T/M BAN THƯỜNG VỤ")
    lines = [" ".join(line.split()) for line in pdf.pages[0].splitlines()]
    assert "6 Nhận sinh hoạt chính thức đến 1" in lines and "12 Từ trần 1" in lines


def test_an_unknown_form_or_a_missing_year_is_refused(cli, committee, tmp_path):
    run = cli("export", "report", "4", tmp_path / "x.xlsx")
    assert run.exit_code == 2 and "Không có biểu '4'" in run.stderr and not (tmp_path / "x.xlsx").exists()
    run = cli("export", "report", "ratings", tmp_path / "x.xlsx")
    assert run.exit_code == 2 and "cần năm báo cáo" in run.stderr
    run = cli("export", "report", "profile", tmp_path / "x.xlsx", "--year", "2025")
    assert run.exit_code == 2 and "không dùng --year" in run.stderr and "--as-of 31/12/2025" in run.stderr
    assert not (tmp_path / "x.xlsx").exists()
