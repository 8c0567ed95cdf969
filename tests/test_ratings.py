"""Annual ratings (domain.md §2): levels, not rated with its reason, refusals, history, quota summary,
organization ratings with "chi bộ 4 tốt", and the ratings import (all or nothing)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

import dbstate


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-01-20")


def add(cli, name, card, *, admission="01/01/2000", cell="TL.01", birth="01/01/1970"):
    r = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", birth, "--cell", cell,
            "--card-number", card, "--admission-date", admission, "--membership",
            "official" if admission < "2025" or admission.endswith("2000") else "probationary")
    assert r.exit_code == 0, r.stderr
    return card


def test_set_levels_full_labels_and_history(cli, commune):
    add(cli, "Nguyễn Văn An", "08000001")
    r = cli("ratings", "set", "08000001", "--year", 2025, "--level", "Hoàn thành tốt nhiệm vụ", "--score", 82,
            "--proposed-by", "Chi bộ thôn Đông", "--approved-by", "Đảng ủy xã")
    assert r.exit_code == 0, r.stderr
    rows = cli("ratings", "list", "--year", 2025, "--format", "json").json()
    assert [(x["full_name"], x["level"], x["score"], x["approved_by"]) for x in rows] == \
        [("Nguyễn Văn An", "HTTNV", 82.0, "Đảng ủy xã")]
    assert cli("ratings", "set", "08000001", "--year", 2025, "--level", "htxsnv", "--score", 95).exit_code == 0
    warn = cli("ratings", "set", "08000001", "--year", 2025, "--level", "HTXSNV", "--score", 60)
    assert warn.exit_code == 0 and "không thuộc khung" in warn.stderr
    history = [h for h in cli("members", "history", "08000001", "--format", "json").json() if h["event"] == "rated"]
    assert [(h["old_value"], h["new_value"]) for h in history] == [
        (None, "HTTNV (82 điểm)"), ("HTTNV", "HTXSNV (95 điểm)"), ("HTXSNV", "HTXSNV (60 điểm)")]
    assert all(h["field"] == "rating_2025" for h in history)
    bad = cli("ratings", "set", "08000001", "--year", 2025, "--level", "Giỏi")
    assert bad.exit_code == 1 and "'Giỏi' không hợp lệ" in bad.stderr and "--level" in bad.stderr
    assert cli("ratings", "set", "08000001", "--year", 2025, "--level", "HTNV", "--score", 120).exit_code == 1


def test_not_rated_members_are_refused_a_level(cli, commune):
    add(cli, "Miễn Sinh Hoạt", "08000001")
    assert cli("members", "exempt", "08000001", "--from", "01/03/2025", "--reason", "age").exit_code == 0
    add(cli, "Mới Kết Nạp", "08000002", admission="15/07/2025")   # < 6 months before 31/12/2025
    add(cli, "Đủ Sáu Tháng", "08000003", admission="30/06/2025")  # exactly 6 months: rated
    r = cli("ratings", "set", "08000001", "--year", 2025, "--level", "HTNV")
    assert r.exit_code == 1 and "miễn công tác" in r.stderr and "--not-rated exempt" in r.stderr
    r = cli("ratings", "set", "08000002", "--year", 2025, "--level", "HTNV")
    assert r.exit_code == 1 and "chưa đủ 6 tháng" in r.stderr
    assert cli("ratings", "set", "08000003", "--year", 2025, "--level", "HTNV").exit_code == 0
    # the exemption began in 2025: the 2024 rating is allowed
    assert cli("ratings", "set", "08000001", "--year", 2024, "--level", "HTTNV").exit_code == 0
    assert cli("ratings", "set", "08000001", "--year", 2025, "--not-rated", "exempt").exit_code == 0
    rows = {x["full_name"]: (x["level"], x["not_rated_reason"])
            for x in cli("ratings", "list", "--year", 2025, "--format", "json").json()}
    assert rows == {"Miễn Sinh Hoạt": (None, "exempt"), "Đủ Sáu Tháng": ("HTNV", None)}
    assert cli("ratings", "set", "08000002", "--year", 2024, "--level", "HTNV").exit_code == 1  # not yet a member


def test_summary_and_quota(cli, commune):
    # TL.01: 1 HTXSNV for 5 HTTNV (20 %: allowed); TL.02: 2 HTXSNV for 5 HTTNV (over)
    n = 0
    for cell, excellent in (("TL.01", 1), ("TL.02", 2)):
        for level in ["HTXSNV"] * excellent + ["HTTNV"] * 5 + ["KHTNV"]:
            n += 1
            add(cli, f"Người {n}", f"0800{n:04d}", cell=cell)
            assert cli("ratings", "set", f"0800{n:04d}", "--year", 2025, "--level", level).exit_code == 0
    data = cli("ratings", "summary", "--year", 2025, "--format", "json").json()
    rows = {r["cell_code"]: r for r in data["rows"]}
    assert (rows["TL.01"]["HTXSNV"], rows["TL.01"]["HTTNV"], rows["TL.01"]["over_quota"]) == (1, 5, False)
    assert (rows["TL.02"]["HTXSNV"], rows["TL.02"]["over_quota"]) == (2, True)
    assert (rows["TL"]["HTXSNV"], rows["TL"]["HTTNV"], rows["TL"]["KHTNV"], rows["TL"]["over_quota"]) == (3, 10, 2, True)
    assert data["over_quota"] == ["TL", "TL.02"]
    assert cli("settings", "set", "rating.excellent_quota_percent", "40").exit_code == 0
    assert cli("ratings", "summary", "--year", 2025, "--format", "json").json()["over_quota"] == []


def test_cell_rating_and_four_good(cli, commune):
    assert cli("ratings", "set-cell", "TL.01", "--year", 2025, "--level", "HTXSNV", "--four-good").exit_code == 0
    assert cli("ratings", "set-cell", "TL.02", "--year", 2025, "--level", "Hoàn thành nhiệm vụ").exit_code == 0
    rows = cli("ratings", "list-cells", "--year", 2025, "--format", "json").json()
    assert [(r["cell_code"], r["level"], r["four_good"]) for r in rows] == \
        [("TL.01", "HTXSNV", True), ("TL.02", "HTNV", False)]
    assert cli("ratings", "set-cell", "TL.01", "--year", 2025, "--no-four-good").exit_code == 0
    rows = cli("ratings", "list-cells", "--year", 2025, "--format", "json").json()
    assert rows[0]["four_good"] is False and rows[0]["level"] == "HTXSNV"
    assert cli("ratings", "set-cell", "TL.01", "--year", 2025, "--level", "Không xếp loại").exit_code == 1


def sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN NĂM 2025"])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Xếp loại", "Điểm"])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    wb.save(path)
    return path


def test_import_ratings(cli, commune, tmp_path, isolated_db):
    add(cli, "Nguyễn Văn An", "08000001", birth="12/05/1968")
    add(cli, "Trần Thị Bình", "08000002", birth="01/02/1980")
    add(cli, "Lê Văn Cường", "08000003")
    assert cli("members", "exempt", "08000003", "--from", "01/03/2025", "--reason", "health").exit_code == 0
    path = sheet(tmp_path / "xl.xlsx", [
        ["Nguyễn Văn An", "12/05/1968", "08000001", "HTTNV", 85],
        ["Trần Thị Bình", "01/02/1980", "", "Hoàn thành xuất sắc nhiệm vụ", 92],
        ["Lê Văn Cường", "01/01/1970", "08000003", "Không xếp loại (miễn sinh hoạt)", None],
    ])
    r = cli("import", "ratings", path, "--year", 2025, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert (r.json()["rows_read"], r.json()["created"]) == (3, 3)
    rows = {x["full_name"]: (x["level"], x["not_rated_reason"], x["score"])
            for x in cli("ratings", "list", "--year", 2025, "--format", "json").json()}
    assert rows == {"Nguyễn Văn An": ("HTTNV", None, 85.0), "Trần Thị Bình": ("HTXSNV", None, 92.0),
                    "Lê Văn Cường": (None, "exempt", None)}
    history = cli("members", "history", "08000002", "--format", "json").json()
    assert [h["source"] for h in history if h["event"] == "rated"] == ["import ratings xl.xlsx"]
    again = cli("import", "ratings", path, "--year", 2025, "--format", "json").json()
    assert (again["created"], again["unchanged"]) == (0, 3)


def test_faulty_ratings_file_is_rejected_whole(cli, commune, tmp_path, isolated_db):
    add(cli, "Nguyễn Văn An", "08000001")
    add(cli, "Lê Văn Cường", "08000003")
    assert cli("members", "exempt", "08000003", "--from", "01/03/2025", "--reason", "health").exit_code == 0
    add(cli, "Mới Vào", "08000004", admission="01/10/2025")
    con = dbstate.connect(isolated_db)
    before = con.execute("SELECT (SELECT count(*) FROM member_ratings), (SELECT count(*) FROM member_events), "
                         "(SELECT count(*) FROM imports)").fetchone()
    path = sheet(tmp_path / "loi.xlsx", [
        ["Nguyễn Văn An", "01/01/1970", "08000001", "HTTNV", 85],       # row 3: fine
        ["Lê Văn Cường", "01/01/1970", "08000003", "HTNV", None],        # row 4: exempt, refused a level (§2)
        ["Mới Vào", "01/01/1970", "08000004", "HTTNV", None],            # row 5: admitted < 6 months
        ["Không Có", "01/01/1970", "08007777", "HTTNV", None],           # row 6: unknown member
        ["Nguyễn Văn An", "01/01/1970", "08000001", "Giỏi", 150],        # row 7: bad level and score
    ])
    r = cli("import", "ratings", path, "--year", 2025, "--format", "json")
    assert r.exit_code == 3
    errors = r.json()["errors"]
    assert sorted({e["row"] for e in errors}) == [4, 5, 6, 7]
    by_row = {e["row"]: e["message"] for e in errors}
    assert "miễn công tác" in by_row[4] and "chưa đủ 6 tháng" in by_row[5] and "08007777" in by_row[6]
    assert {e["column"] for e in errors if e["row"] == 7} >= {"Xếp loại", "Điểm"}
    after = con.execute("SELECT (SELECT count(*) FROM member_ratings), (SELECT count(*) FROM member_events), "
                        "(SELECT count(*) FROM imports)").fetchone()
    con.close()
    assert after == before
