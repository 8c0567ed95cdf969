"""A member's record sheet (export member REF FILE): the Phiếu đảng viên (mẫu 2-HSĐV) with the fields the record
holds, the admission and its introducers, the history, transfers, ratings and badges; ids masked unless asked."""

from __future__ import annotations

import re

import openpyxl
import pytest

AN, BINH = "08012345", "08012346"


@pytest.fixture
def hoa(cli, commune, monkeypatch):
    """A member admitted through the admission file (two introducers), recognized, transferred, exempted, rated;
    'today' in mid-2027. Returns her member id."""
    monkeypatch.setenv("DANGVIEN_TODAY", "2027-06-30")

    def ok(*args):
        r = cli(*args)
        assert r.exit_code == 0, (args, r.stderr)
        return r

    ok("members", "add", "--name", "Nguyễn Văn An", "--gender", "male", "--birth-date", "12/05/1968",
       "--card-number", AN, "--admission-date", "19/05/1995", "--official-date", "19/05/1996", "--cell", "TL.01",
       "--national-id", "001068012345")
    ok("members", "add", "--name", "Trần Thị Bình", "--gender", "female", "--birth-date", "02/03/1975",
       "--card-number", BINH, "--admission-date", "03/02/2000", "--official-date", "03/02/2001", "--cell", "TL.01")
    cid = int(ok("admissions", "add", "--name", "Lê Thị Hoa", "--gender", "female", "--birth-date", "14/08/1998",
                 "--cell", "TL.01", "--national-id", "001198012345", "--ethnicity", "Kinh").stdout.strip())
    for step, day, *extra in (
        ("course", "10/06/2025", "--certificate-number", "1234/CN-NTVĐ"),
        ("application", "01/07/2025"),
        ("introduced", "15/07/2025", "--introducer", AN, "--together-since", "01/01/2020",
         "--introducer", BINH, "--together-since", "01/03/2023"),
        ("biography_verified", "20/12/2025", "--ref", "Công văn 15-CV/ĐU"),
        ("cell_resolution", "05/01/2026", "--ref", "01-NQ/CB"),
        ("committee_resolution", "20/01/2026", "--ref", "05-NQ/ĐU"),
        ("decision", "13/02/2026", "--ref", "12-QĐ/ĐU"),
        ("ceremony", "03/04/2026"),
    ):
        ok("admissions", "record", cid, "--step", step, "--date", day, *extra)
    member_id = str(cli("members", "list", "--search", "Lê Thị Hoa", "--format", "json").json()[0]["id"])
    ok("members", "update", member_id, "--hometown", "Thôn Đông, xã Tân Lập, tỉnh Bắc Ninh",
       "--occupation", "Giáo viên", "--political-theory", "Sơ cấp")
    ok("admissions", "recognize", member_id, "--date", "05/04/2027", "--ref", "30-QĐ/ĐU")
    ok("members", "transfer", member_id, "--to", "TL.02", "--date", "01/05/2027", "--letter", "15-GGT/ĐU")
    ok("ratings", "set", member_id, "--year", "2026", "--level", "HTTNV", "--score", "82.5")
    ok("members", "exempt", member_id, "--from", "01/06/2027", "--reason", "health", "--ref", "03-NQ/CB")
    ok("badges", "award", AN, "--milestone", "30", "--date", "19/05/2025", "--ref", "45-QĐ/TU")
    return member_id


def sheet_text(path) -> list[tuple]:
    return [tuple(c for c in row if c is not None) for row in openpyxl.load_workbook(path).active.iter_rows(
        values_only=True) if any(c is not None for c in row)]


def test_member_sheet_holds_the_record_history_transfers_ratings(cli, hoa, tmp_path):
    out = tmp_path / "phieu.xlsx"
    r = cli("export", "member", hoa, out, "--place", "Tân Lập")
    assert r.exit_code == 0, r.stderr
    rows = sheet_text(out)
    flat = [c for row in rows for c in row]
    assert "PHIẾU ĐẢNG VIÊN" in flat and "Mẫu 2-HSĐV" in flat
    pairs = {row[0]: row[1] for row in rows if len(row) == 2}
    # The form's items in its order, numbered over the lines the record holds.
    assert pairs["1. Họ và tên đang dùng"] == "Lê Thị Hoa"
    assert pairs["2. Giới tính"] == "Nữ" and pairs["3. Ngày sinh"] == "14/08/1998"
    assert pairs["4. Quê quán"] == "Thôn Đông, xã Tân Lập, tỉnh Bắc Ninh"
    assert pairs["6. Số định danh cá nhân"] == "********2345"  # masked
    assert "001198012345" not in flat
    assert pairs["    Người giới thiệu"] == "Nguyễn Văn An; Trần Thị Bình"
    assert pairs["    Tại chi bộ"] == "Chi bộ thôn Đông"
    numbered = {k.split(". ", 1)[1]: v for k, v in pairs.items() if re.match(r"\d+\. ", k)}
    assert numbered["Ngày quyết định kết nạp"] == "13/02/2026" and numbered["Ngày vào Đảng"] == "03/04/2026"
    assert numbered["Ngày chính thức"] == "03/04/2027"  # twelve months after the ceremony and numbered["Chi bộ đang sinh hoạt"] == "Chi bộ thôn Tây"
    assert numbered["Tình trạng"] == "Miễn sinh hoạt từ ngày 01/06/2027"
    sections = [row[0] for row in rows if len(row) == 1 and row[0][:2] in ("I.", "II", "IV", "V.", "VI")]
    assert sections[:5] == ["I. SƠ LƯỢC LÝ LỊCH", "II. VÀO ĐẢNG VÀ SINH HOẠT ĐẢNG",
                            "III. QUÁ TRÌNH SINH HOẠT ĐẢNG (kết nạp lại, miễn sinh hoạt, ra khỏi danh sách…)",
                            "IV. CHUYỂN SINH HOẠT ĐẢNG", "V. KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG HẰNG NĂM"]
    assert ("01/05/2027", "Chuyển sinh hoạt trong đảng bộ: Chi bộ thôn Đông → Chi bộ thôn Tây; giấy giới thiệu số "
                          "15-GGT/ĐU") in rows
    assert ("Năm 2026", "Hoàn thành tốt nhiệm vụ, 82,5 điểm") in rows
    history = [row for row in rows if row and row[0] in ("03/04/2027", "05/04/2027", "01/06/2027")]
    assert any("Công nhận chính thức" in row[1] and "30-QĐ/ĐU" in row[1] for row in history)
    assert any("sức khỏe yếu" in row[1].lower() and "03-NQ/CB" in row[1] for row in history)
    assert "VI. HUY HIỆU ĐẢNG" not in flat  # no badge: the part is left out


def test_member_sheet_badges_and_full_ids(cli, hoa, tmp_path):
    out = tmp_path / "an.xlsx"
    assert cli("export", "member", AN, out, "--full-ids").exit_code == 0
    rows = sheet_text(out)
    assert ("19/05/2025", "Huy hiệu 30 năm tuổi Đảng; quyết định số 45-QĐ/TU") in rows
    assert any(row[-1] == "001068012345" for row in rows)
    assert cli("export", "member", "99999999", tmp_path / "x.xlsx").exit_code == 1
    assert not (tmp_path / "x.xlsx").exists()
