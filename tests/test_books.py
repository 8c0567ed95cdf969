"""Monthly books (contract.md "Monthly books"): hand entry of one month, and imports of a year's attendance
and dues books with the all-or-nothing rule (exit 3, every bad row named, the database unchanged)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

import dbstate


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-01-20")


@pytest.fixture
def two_members(cli, commune):
    for name, card, birth in (("Nguyễn Văn An", "08000001", "12/05/1968"), ("Trần Thị Bình", "08000002", "01/02/1980")):
        r = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", birth, "--cell", "TL.01",
                "--card-number", card, "--admission-date", "01/01/2000", "--membership", "official")
        assert r.exit_code == 0, r.stderr
    return ["08000001", "08000002"]


def book(path, rows, months=12):
    wb = Workbook()
    ws = wb.active
    ws.append(["SỔ THEO DÕI NĂM 2025"])
    ws.append([])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên"] + [f"T{m}" for m in range(1, months + 1)])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    wb.save(path)
    return path


def counts(db):
    con = dbstate.connect(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("attendance_books", "dues_books", "imports", "member_events")}
    finally:
        con.close()


def test_attendance_set_by_hand(cli, two_members):
    assert cli("attendance", "set", "08000001", "--year", 2025, "--month", 3, "--mark", "k").exit_code == 0
    assert cli("attendance", "set", "08000001", "--year", 2025, "--month", 4, "--mark", "p").exit_code == 0
    data = cli("attendance", "show", "08000001", "--year", 2025, "--format", "json").json()
    assert data["attendance"] == "--kp--------"
    bad = cli("attendance", "set", "08000001", "--year", 2025, "--month", 13, "--mark", "x")
    assert bad.exit_code == 1 and "Tháng 13" in bad.stderr
    bad = cli("attendance", "set", "08000001", "--year", 2025, "--month", 2, "--mark", "z")
    assert bad.exit_code == 1 and "'z' không hợp lệ" in bad.stderr and "--mark" in bad.stderr
    assert cli("attendance", "set", "08000001", "--year", 2025, "--month", 5, "--mark", "vang co phep").exit_code == 0
    assert cli("attendance", "show", "08000001", "--year", 2025, "-f", "json").json()["attendance"][4] == "p"
    assert cli("attendance", "set", "99999999", "--year", 2025, "--month", 2, "--mark", "x").exit_code == 1


def test_dues_set_by_hand(cli, two_members):
    assert cli("dues", "set", "08000002", "--year", 2025, "--month", 1, "--amount", 30000).exit_code == 0
    assert cli("dues", "set", "08000002", "--year", 2025, "--month", 2, "--exempt").exit_code == 0
    assert cli("dues", "set", "08000002", "--year", 2025, "--month", 3, "--unpaid").exit_code == 0
    data = cli("dues", "show", "08000002", "--year", 2025, "--format", "json").json()
    assert data["dues"] == "peu---------"
    assert data["dues_amounts"][:3] == [30000, None, None]
    both = cli("dues", "set", "08000002", "--year", 2025, "--month", 4, "--amount", 1, "--exempt")
    assert both.exit_code == 1
    history = cli("members", "history", "08000002", "--format", "json").json()
    assert [h["field"] for h in history if h["event"] == "dues"] == ["dues_2025_01", "dues_2025_02", "dues_2025_03"]


def test_import_attendance_and_reimport(cli, two_members, tmp_path, isolated_db):
    path = book(tmp_path / "sinh-hoat.xlsx", [
        ["Nguyễn Văn An", "12/05/1968", "08000001"] + ["x", "x", "k", "p", "x", "k", "", "x", "k", "x", "x", "x"],
        ["Trần Thị Bình", "01/02/1980", ""] + ["x"] * 12,  # no card: matched by name and birth date
    ])
    r = cli("import", "attendance", path, "--year", 2025, "--format", "json")
    assert r.exit_code == 0, r.stderr
    report = r.json()
    assert (report["rows_read"], report["created"], report["updated"], report["unchanged"]) == (2, 2, 0, 0)
    assert report["errors"] == [] and report["sheet"]
    assert cli("attendance", "show", "08000001", "--year", 2025, "--format", "json").json()["attendance"] == \
        "xxkpxk-xkxxx"
    again = cli("import", "attendance", path, "--year", 2025, "--format", "json").json()
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert counts(isolated_db)["imports"] == 2
    screening = cli("screening", "run", "--year", 2025, "--format", "json", "--dry-run").json()
    assert [(f["full_name"], f["rule"]) for f in screening["findings"] if f["rule"] == "absent_3_months"] == \
        [("Nguyễn Văn An", "absent_3_months")]


def test_import_dues_with_exempt_months(cli, two_members, tmp_path):
    path = book(tmp_path / "dang-phi.xlsx", [
        ["Nguyễn Văn An", "12/05/1968", "08000001"] + [20000, "", 0, "miễn", "20.000", 20000] + [20000] * 6,
        ["Trần Thị Bình", "01/02/1980", "08000002"] + ["Miễn"] * 12,
    ])
    r = cli("import", "dues", path, "--year", 2025, "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = cli("dues", "show", "08000001", "--year", 2025, "--format", "json").json()
    assert data["dues"] == "puueppEEEEEE".replace("E", "p")
    assert data["dues_amounts"][:6] == [20000, None, None, None, 20000, 20000]
    assert cli("dues", "show", "08000002", "--year", 2025, "--format", "json").json()["dues"] == "e" * 12


def test_faulty_book_is_rejected_whole(cli, two_members, tmp_path, isolated_db):
    before = counts(isolated_db)
    path = book(tmp_path / "loi.xlsx", [
        ["Nguyễn Văn An", "12/05/1968", "08000001"] + ["x"] * 11 + ["q"],     # row 4: bad mark in T12
        ["Trần Thị Bình", "01/02/1980", "08000002"] + ["x"] * 12,             # row 5: fine
        ["Lê Văn Không", "01/01/1990", "08009999"] + ["x"] * 12,             # row 6: no such member
        ["Nguyễn Văn An", "12/05/1968", "08000001"] + ["x"] * 12,             # row 7: twice in the file
    ])
    r = cli("import", "attendance", path, "--year", 2025, "--format", "json")
    assert r.exit_code == 3
    report = r.json()
    rows = sorted({e["row"] for e in report["errors"]})
    assert rows == [4, 6, 7]
    by_row = {e["row"]: e for e in report["errors"]}
    assert by_row[4]["column"] == "T12"
    assert "08009999" in by_row[6]["message"]
    assert "dòng 4" in by_row[7]["message"]
    assert report["rejected"] == 3
    assert "Không có gì được ghi" in r.stderr
    assert counts(isolated_db) == before


def test_faulty_dues_book_is_rejected(cli, two_members, tmp_path, isolated_db):
    before = counts(isolated_db)
    path = book(tmp_path / "loi-dp.xlsx", [
        ["Nguyễn Văn An", "12/05/1968", "08000001"] + [20000] * 11 + ["hai mươi"],
        ["Người Lạ", "", ""] + [20000] * 12,
    ])
    r = cli("import", "dues", path, "--year", 2025, "--format", "json")
    assert r.exit_code == 3
    assert sorted({e["row"] for e in r.json()["errors"]}) == [4, 5]
    assert counts(isolated_db) == before


def test_a_mark_typed_is_accepted_in_a_file_too(cli, two_members, tmp_path):
    """Issue 10: 'v' was accepted by `attendance set` and refused in an imported book."""
    assert cli("attendance", "set", "08000001", "--year", 2025, "--month", 1, "--mark", "v").exit_code == 0
    path = book(tmp_path / "v.xlsx", [["Trần Thị Bình", "01/02/1980", "08000002"] + ["v", "+", "vk", "-"] + [""] * 8])
    r = cli("import", "attendance", path, "--year", 2025, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert cli("attendance", "show", "08000001", "--year", 2025, "--format", "json").json()["attendance"][0] == "x"
    assert cli("attendance", "show", "08000002", "--year", 2025, "--format", "json").json()["attendance"] == \
        "xxk---------"


def test_book_rows_match_by_personal_id_first_and_never_guess(cli, commune, tmp_path, isolated_db):
    """One matching rule (rules.identity): personal id, then card, then name with birth date; two members with
    the same name and birth date refuse the row instead of picking one."""
    for card, nid in (("08000011", "001070000011"), ("08000012", "001070000012"), ("08000013", None)):
        args = ["members", "add", "--name", "Lê Văn Cường", "--gender", "male", "--birth-date", "01/01/1970",
                "--cell", "TL.01", "--card-number", card, "--admission-date", "01/01/2000"]
        assert cli(*args, *(["--national-id", nid] if nid else [])).exit_code == 0
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên", "Số định danh cá nhân"]
              + [f"T{m}" for m in range(1, 13)])
    ws.append([1, "Lê Văn Cường", "01/01/1970", "", "001070000012"] + ["k"] + [""] * 11)  # by personal id
    ws.append([2, "Lê Văn Cường", "01/01/1970", "", ""] + ["k"] + [""] * 11)  # three fit: refused
    wb.save(tmp_path / "b.xlsx")
    before = counts(isolated_db)
    r = cli("import", "attendance", tmp_path / "b.xlsx", "--year", 2025, "--format", "json")
    assert r.exit_code == 3
    errors = r.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "Họ và tên")]
    assert "Có 3 đảng viên 'Lê Văn Cường' cùng ngày sinh 01/01/1970" in errors[0]["message"]
    assert counts(isolated_db) == before
