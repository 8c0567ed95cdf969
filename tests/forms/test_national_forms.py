"""The workbooks of the 2026 work for the national database, printed through LibreOffice and read back from
the PDF (the rules of test_printed_forms.py): the dossier-scanning progress with its chart, and the clean-up
worklist of check national, one section per cell, personal ids masked unless --full-ids."""

from __future__ import annotations

from forms_data import (
    COMMITTEE,
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


def _ok(cli, *args):
    r = cli(*args)
    assert r.exit_code == 0, (args, r.stderr)
    return r


def test_dossier_progress_prints_the_tree_the_chart_and_the_signature(cli, committee, tmp_path):
    for no in (1, 2, 3, 5, 7):  # Nguyễn Văn An: every priority-1 document scanned
        _ok(cli, "dossier", "mark", "08010001", str(no), "--scanned", f"{no}.pdf")
    _ok(cli, "dossier", "mark", "08010005", "1", "--scanned", "1.pdf")
    data = _ok(cli, "dossier", "progress", "--cell", "TL", "--format", "json").json()
    out = tmp_path / "td.xlsx"
    _ok(cli, "export", "dossier-progress", out, "--cell", "TL", "--place", "Tân Lập")
    pdf = to_pdf(out, tmp_path)
    assert_printed(pdf, pages=1, titles=[*HEAD, "TIẾN ĐỘ SỐ HÓA HỒ SƠ ĐẢNG VIÊN", "Công văn 1361-CV/BTCTW"],
                   names=["Chi bộ thôn Đông", "Chi bộ thôn Tây"], signer="T/M BAN THƯỜNG VỤ")
    text = pdf.flat()
    # The chart, whole on the table's page: its title and legend.
    assert "Tỷ lệ tài liệu đã scan theo chi bộ" in text and "Đã scan ưu tiên 1 (%)" in text
    # Every organization's figures as the JSON gives them, with the decimal comma.
    for line in data["tree"]:
        assert f"{line['priority_1_percent']:.2f}".replace(".", ",") in text, line
    committee_line = next(t for t in data["tree"] if t["cell_code"] == "TL")
    assert committee_line["members"] == 8 and committee_line["members_priority_1_complete"] == 1
    assert "Tổng cộng" not in text  # one organization at the top: its own line is the total

    # The whole database, with a second top organization: a total line under the tree.
    _ok(cli, "cells", "add", "Chi bộ Trường THCS", "--code", "CBCS", "--kind", "grassroots_cell")
    _ok(cli, "members", "add", "--name", "Lý Văn Sáu", "--gender", "male", "--birth-date", "01/01/1980",
        "--cell", "CBCS", "--admission-date", "01/01/2010")
    _ok(cli, "export", "dossier-progress", out)
    assert "Tổng cộng" in to_pdf(out, tmp_path).flat()


def test_national_worklist_prints_a_section_per_cell_with_the_fix_and_masked_ids(cli, committee, tmp_path):
    # Problems: a gender and birth year the id contradicts (a name that looks like a formula); a card number
    # that is another member's id (the id must not print); members without ids, enough for a second page.
    _ok(cli, "members", "update", "08010005", "--national-id", "001070000005")
    _ok(cli, "members", "update", "08010002", "--card-number", "001171000001")
    extra = [f"Hoàng Văn Thái {i:02d}" for i in range(1, 11)]
    path = roster_file(tmp_path / "them.xlsx", [[name, "Nam", "01/01/1980", f"0803{i:04d}", "01/01/2005", None]
                                                for i, name in enumerate(extra)], section="Chi bộ thôn Tây")
    _ok(cli, "import", "roster", path, "--into", "TL")
    problems = _ok(cli, "check", "national", "--format", "json").json()
    assert {p["problem"] for p in problems} >= {"national_id_gender", "national_id_birth_year", "card_shared",
                                               "national_id_shared", "national_id_missing"}
    out = tmp_path / "ls.xlsx"
    _ok(cli, "export", "national-check", out, "--cell", "TL", "--place", "Tân Lập")
    pdf = to_pdf(out, tmp_path)
    names = sorted({p["full_name"] for p in problems})
    assert HOSTILE_NAMES[0] in names and PLAIN_NAMES[0] in names
    assert_printed(pdf, pages=2, titles=[*HEAD, "DANH SÁCH VIỆC CẦN LÀM SẠCH HỒ SƠ ĐẢNG VIÊN",
                                         "I. Chi bộ thôn Đông (TL.01)", "II. Chi bộ thôn Tây (TL.02)"],
                   names=names, signer="T/M BAN THƯỜNG VỤ")
    text = pdf.flat()
    assert "Định danh trái giới tính" in text and "Thiếu số định danh" in text and "Cách sửa" in text
    assert "dangvien members update" in text
    assert "001171000001" not in text and "********0001" in text
    for page in range(2):  # the header repeated on every page
        assert "Họ và tên" in pdf.flat(page) and "Cách sửa" in pdf.flat(page)
    assert pdf.height_of("Hoàng") >= 10 * 1.28

    full = tmp_path / "ls-full.xlsx"
    _ok(cli, "export", "national-check", full, "--cell", "TL.01", "--full-ids")
    shown = to_pdf(full, tmp_path).flat()
    assert "001171000001" in shown and "Chi bộ thôn Tây (TL.02)" not in shown
