"""reports admissions / new-members and export report admissions (domain.md §5, §7)."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest


@pytest.fixture
def year_2025(cli, commune, monkeypatch):
    """TL.01: 4 on the roll since before 2025, one removed on 31/12/2024, one removed on 01/06/2025, two
    admitted in 2025 (one with only the year known), one admitted in 2026. TL.02: 2 since before 2025.
    A grassroots cell at the top: 1 member since before 2025."""
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-11-20")
    assert cli("cells", "add", "Chi bộ Trường THCS", "--code", "CBCS", "--kind", "grassroots_cell").exit_code == 0
    n = 0

    def member(cell, admission, *extra, name=None):
        nonlocal n
        n += 1
        run = cli("members", "add", "--name", name or f"Đảng viên {n}", "--gender", "male", "--birth-date",
                  "01/01/1970", "--cell", cell, "--admission-date", admission, "--card-number", f"0801{n:04d}",
                  *extra)
        assert run.exit_code == 0, run.stderr
        return f"0801{n:04d}"

    for _ in range(4):
        member("TL.01", "01/01/2000")
    left_before = member("TL.01", "01/01/2000")
    left_during = member("TL.01", "01/01/2000")
    assert cli("members", "leave", left_before, "--reason", "removed", "--date", "31/12/2024",
               "--ref", "1-QĐ").exit_code == 0
    assert cli("members", "leave", left_during, "--reason", "removed", "--date", "01/06/2025",
               "--ref", "2-QĐ").exit_code == 0
    assert cli("members", "add", "--name", "Lò Thị Mai", "--gender", "female", "--birth-date", "15/06/1990",
               "--cell", "TL.01", "--admission-date", "19/05/2025", "--membership", "probationary",
               "--ethnicity", "Thái", "--religion", "Phật giáo", "--occupation", "Giáo viên").exit_code == 0
    assert cli("members", "add", "--name", "Hà Văn Nam", "--gender", "male", "--birth-date", "01/01/2000",
               "--cell", "TL.01", "--admission-date", "2025", "--ethnicity", "Kinh",
               "--occupation", "Nông dân").exit_code == 0
    member("TL.01", "03/02/2026")
    member("TL.02", "01/01/2001")
    member("TL.02", "2001")
    member("CBCS", "05/2010")
    return commune


def test_admissions_rate_per_cell_committee_and_database(cli, year_2025):
    run = cli("reports", "admissions", "--year", "2025", "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = run.json()
    assert (report["year"], report["target_min_percent"], report["target_max_percent"]) == (2025, 3.0, 4.0)
    got = [(r["cell_code"], r["members_at_start"], r["admitted"], r["rate_percent"]) for r in report["rows"]]
    assert got == [
        ("CBCS", 1, 0, 0.0),
        ("TL", 7, 2, 28.57),
        ("TL.01", 5, 2, 40.0),
        ("TL.02", 2, 0, 0.0),
        (None, 8, 2, 25.0),
    ]
    assert report["rows"][-1]["cell_name"] and report["rows"][1]["cell_name"] == "Đảng bộ xã Tân Lập"
    # 2026: the 2025 admissions are now members at the start; the one admitted 2026 counts
    rows = cli("reports", "admissions", "--year", "2026", "--format", "json").json()["rows"]
    assert (rows[-1]["members_at_start"], rows[-1]["admitted"]) == (9, 1)  # 4 + Mai + Nam, 2, 1


def test_targets_come_from_the_settings(cli, year_2025):
    assert cli("settings", "set", "admission.target_min_percent", "2,5").exit_code == 0
    report = cli("reports", "admissions", "--year", "2025", "--format", "json").json()
    assert report["target_min_percent"] == 2.5
    statuses = {r["cell_code"]: r["target_status"] for r in report["rows"]}
    assert statuses["TL.02"] == "below" and statuses["TL.01"] == "above"


def test_empty_year_has_no_rate(cli, commune):
    report = cli("reports", "admissions", "--year", "1990", "--format", "json").json()
    assert [(r["cell_code"], r["members_at_start"], r["rate_percent"]) for r in report["rows"]] == [
        ("TL", 0, None), ("TL.01", 0, None), ("TL.02", 0, None), (None, 0, None)]


def test_new_members_profile(cli, year_2025):
    profile = cli("reports", "new-members", "--year", "2025", "--format", "json").json()
    assert (profile["total"], profile["female"], profile["ethnic_minority"], profile["religious"]) == (2, 1, 1, 1)
    ages = {g["group"]: g["count"] for g in profile["age_groups"]}
    assert ages == {"18_30": 1, "31_40": 1, "41_50": 0, "51_60": 0, "over_60": 0}  # 25 and 34 at admission
    assert {e["value"]: e["count"] for e in profile["ethnicity"]} == {"Thái": 1, "Kinh": 1}
    assert {e["value"]: e["count"] for e in profile["occupation"]} == {"Giáo viên": 1, "Nông dân": 1}
    assert cli("reports", "new-members", "--year", "2025", "--cell", "TL.02", "--format", "json").json()["total"] == 0


def test_export_report_workbook(cli, year_2025, tmp_path):
    target = tmp_path / "bao-cao.xlsx"
    run = cli("export", "report", "admissions", target, "--year", "2025")
    assert run.exit_code == 0, run.stderr
    wb = openpyxl.load_workbook(target)
    sheet = wb["Tỷ lệ kết nạp"]
    texts = {c.value for row in sheet.iter_rows(max_row=8) for c in row if c.value}
    assert {"Biểu số 2-BTCTW", "THỐNG KÊ ĐẢNG VIÊN MỚI KẾT NẠP NĂM 2025"} <= texts
    top = next(c.row for c in sheet["A"] if c.value == "STT")
    table = [[c.value for c in row] for row in sheet.iter_rows(min_row=top + 2, max_row=top + 6, max_col=7)]
    assert [(r[2], r[3], r[4], r[5], r[6]) for r in table] == [
        ("CBCS", 1, 0, 0, "Dưới chỉ tiêu"), ("TL", 7, 2, 28.57, "Vượt chỉ tiêu"), ("TL.01", 5, 2, 40, "Vượt chỉ tiêu"),
        ("TL.02", 2, 0, 0, "Dưới chỉ tiêu"), (None, 8, 2, 25, "Vượt chỉ tiêu")]
    assert [c.value for c in wb["Số liệu biểu đồ"]["C"]][1:] == [3, 3, 3, 3, 3]  # the band the chart draws
    profile = wb["Đảng viên mới"]
    first = next(c.row for c in profile["A"] if c.value == "Tổng số đảng viên mới kết nạp")
    assert profile.cell(first, 2).value == 2
    with zipfile.ZipFile(target) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in chart and "<c:lineChart>" in chart and "Chỉ tiêu thấp" in chart


def test_export_report_refuses_unknown_kind_and_bad_suffix(cli, commune, tmp_path):
    assert cli("export", "report", "budget", tmp_path / "x.xlsx", "--year", "2025").exit_code == 2  # no such form
    run = cli("export", "report", "admissions", tmp_path / "x.csv", "--year", "2025")
    assert run.exit_code == 1 and ".xlsx" in run.stderr
    assert not (tmp_path / "x.csv").exists()
