"""What a roster says is what is stored (issue 12 point 10): probationary members stay probationary, the roster's
own date is the date of its facts, a re-import does not add members again, a likely duplicate is refused, and a
roster without a column it must have is refused whole."""

from __future__ import annotations

import openpyxl
import pytest

import dbstate

HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"]


def sheet(path, rows, *, header=HEADER, title="(Tính đến ngày 01/10/2025)"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ĐẢNG BỘ XÃ TÂN LẬP"])
    ws.append(["DANH SÁCH ĐẢNG VIÊN"])
    if title:
        ws.append([title])
    ws.append(header)
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    wb.save(path)
    return path


def members(db) -> dict[str, tuple]:
    conn = dbstate.connect(db)
    try:
        return {name: (membership, birth, cell) for name, membership, birth, cell in conn.execute(
            "SELECT m.full_name, m.membership, m.birth_date, c.code FROM members m JOIN cells c ON c.id = m.cell_id")}
    finally:
        conn.close()


def count(db) -> int:
    conn = dbstate.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM members").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-12-01")


def test_a_probationary_member_of_the_roster_stays_probationary_and_screening_shows_it(cli, commune, tmp_path,
                                                                                        isolated_db, today):
    path = sheet(tmp_path / "ds.xlsx", [
        ["Phạm Thị Dung", "Nữ", "20/11/1990", "10/03/2022", None, "Chi bộ thôn Đông"],
        ["Nguyễn Văn An", "Nam", "12/05/1968", "19/05/1995", "19/05/1996", "Chi bộ thôn Đông"],
    ])
    r = cli("import", "roster", path, "--into", "TL", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["roster_date"] == "2025-10-01"
    stored = members(isolated_db)
    assert stored["Phạm Thị Dung"][0] == "probationary"  # admitted 2022, no official date: the file's fact
    assert stored["Nguyễn Văn An"][0] == "official"
    run = cli("screening", "run", "--year", "2026", "--dry-run", "--format", "json")
    assert run.exit_code == 0, run.stderr
    overdue = [f for f in run.json()["findings"] if f["rule"] == "probation_overdue"]
    assert [f["full_name"] for f in overdue] == ["Phạm Thị Dung"]
    assert overdue[0]["facts"]["probation_end"] == "2023-03-10"


def test_without_an_official_date_column_the_roster_date_decides(cli, commune, tmp_path, isolated_db, today):
    header = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Chi bộ"]
    path = sheet(tmp_path / "ds.xlsx", [
        ["Trần Thị Bình", "Nữ", "08/03/1992", "01/06/2025", "Chi bộ thôn Đông"],  # 4 months before the roster
        ["Lê Văn Cường", "Nam", "01/01/1980", "01/06/2023", "Chi bộ thôn Đông"],  # 28 months before
    ], header=header)
    r = cli("import", "roster", path, "--into", "TL", "--format", "json")
    assert r.exit_code == 0, r.stderr
    stored = members(isolated_db)
    # 18 months before today, but probationary on the date the roster states for its facts.
    assert stored["Trần Thị Bình"][0] == "probationary"
    assert stored["Lê Văn Cường"][0] == "official"


def test_reimporting_an_export_does_not_add_members_without_card_or_id_again(cli, commune, tmp_path, isolated_db):
    path = sheet(tmp_path / "ds.xlsx", [
        ["Nguyễn Văn Ba", "Nam", None, "19/05/1995", "19/05/1996", "Chi bộ thôn Đông"],  # no birth date either
        ["Đỗ Thị Hoa", "Nữ", "02/02/1970", "03/02/2000", "03/02/2001", "Chi bộ thôn Tây"],
    ])
    assert cli("import", "roster", path, "--into", "TL").exit_code == 0
    # The same person (name and birth date) in another committee makes the name alone ambiguous.
    assert cli("cells", "add", "Đảng bộ xã Hòa Bình", "--code", "HB", "--kind", "commune_committee").exit_code == 0
    assert cli("cells", "add", "Chi bộ thôn Bắc", "--code", "HB.01", "--kind", "cell", "--parent", "HB").exit_code == 0
    r = cli("members", "add", "--name", "Đỗ Thị Hoa", "--gender", "female", "--birth-date", "02/02/1970",
            "--cell", "HB.01")
    assert r.exit_code == 0, r.stderr
    before = count(isolated_db)
    exported = tmp_path / "xuat.xlsx"
    assert cli("export", "roster", exported, "--cell", "TL").exit_code == 0
    for _ in range(2):
        r = cli("import", "roster", exported, "--into", "TL", "--format", "json")
        assert r.exit_code == 0, r.stderr
        report = r.json()
        assert (report["created"], report["unchanged"]) == (0, 2)
    assert count(isolated_db) == before


def test_members_add_refuses_a_likely_duplicate_with_its_id(cli, commune, isolated_db, snapshot):
    args = ["members", "add", "--name", "Nguyễn Văn An", "--gender", "male", "--birth-date", "12/05/1968"]
    assert cli(*args, "--cell", "TL.01").exit_code == 0
    before = snapshot(isolated_db)
    r = cli(*[a if a != "Nguyễn Văn An" else "nguyễn  văn an" for a in args], "--cell", "TL.02")
    assert r.exit_code == 1
    assert "mã số 1" in r.stderr and "--allow-duplicate" in r.stderr
    assert snapshot(isolated_db) == before
    # A card number tells two people apart; --allow-duplicate insists.
    assert cli(*args, "--cell", "TL.02", "--card-number", "08012345").exit_code == 0
    r = cli(*args, "--cell", "TL.02", "--allow-duplicate")
    assert r.exit_code == 0, r.stderr
    assert count(isolated_db) == 3


def test_members_add_allows_the_same_name_in_another_committee_or_born_another_day(cli, commune, isolated_db):
    args = ["members", "add", "--name", "Nguyễn Văn An", "--gender", "male"]
    assert cli(*args, "--birth-date", "12/05/1968", "--cell", "TL.01").exit_code == 0
    assert cli(*args, "--birth-date", "13/05/1968", "--cell", "TL.01").exit_code == 0
    assert cli("cells", "add", "Đảng bộ xã Hòa Bình", "--code", "HB", "--kind", "commune_committee").exit_code == 0
    assert cli("cells", "add", "Chi bộ thôn Bắc", "--code", "HB.01", "--kind", "cell", "--parent", "HB").exit_code == 0
    assert cli(*args, "--birth-date", "12/05/1968", "--cell", "HB.01").exit_code == 0
    assert count(isolated_db) == 3


@pytest.mark.parametrize(("dropped", "label", "example"), [
    ("Ngày sinh", "'Ngày sinh'", '--map "NS=birth_date"'),
    ("Giới tính", "'Giới tính (hoặc Nam/Nữ)'", '--map "Phái=gender"'),
])
def test_a_roster_without_a_required_column_is_refused_whole(cli, commune, tmp_path, isolated_db, snapshot,
                                                             dropped, label, example):
    keep = [i for i, h in enumerate(HEADER) if h != dropped]
    rows = [["Nguyễn Văn An", "Nam", "12/05/1968", "19/05/1995", "19/05/1996", "Chi bộ thôn Đông"],
            ["Trần Thị Bình", "Nữ", "08/03/1972", "03/02/2000", "03/02/2001", "Chi bộ thôn Đông"]]
    path = sheet(tmp_path / "ds.xlsx", [[row[i - 1] for i in keep[1:]] for row in rows],
                 header=[HEADER[i] for i in keep])
    before = snapshot(isolated_db)
    for extra in ([], ["--dry-run"]):
        r = cli("import", "roster", path, "--into", "TL", *extra)
        assert r.exit_code == 3
        assert label in r.stderr and "bắt buộc" in r.stderr and example in r.stderr
    assert snapshot(isolated_db) == before


def test_a_required_column_under_another_name_imports_with_map(cli, commune, tmp_path, isolated_db):
    header = ["STT", "Họ và tên", "Giới tính", "NS", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"]
    path = sheet(tmp_path / "ds.xlsx", [["Nguyễn Văn An", "Nam", "12/05/1968", "19/05/1995", "19/05/1996",
                                         "Chi bộ thôn Đông"]], header=header)
    assert cli("import", "roster", path, "--into", "TL").exit_code == 3
    r = cli("import", "roster", path, "--into", "TL", "--map", "NS=birth_date", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert members(isolated_db)["Nguyễn Văn An"][1] == "1968-05-12"


def test_roster_membership_rule():
    from datetime import date

    from dangvien_cli.rules.membership import roster_membership

    on = date(2025, 10, 1)
    assert roster_membership("2001-02-03", "2000-02-03", states_official=True, as_of=on) == "official"
    assert roster_membership(None, "1975-05", states_official=True, as_of=on) == "probationary"
    assert roster_membership(None, "2025-01", states_official=False, as_of=on) == "probationary"
    assert roster_membership(None, "2024-09-30", states_official=False, as_of=on) == "official"
    assert roster_membership(None, None, states_official=True, as_of=on) == "official"


def test_stated_date_of_a_roster():
    from dangvien_cli.excel.roster import stated_date

    assert stated_date([["DANH SÁCH"], [None, "(Tính đến ngày 01/10/2026)"]]) == "2026-10-01"
    assert stated_date([["Tính đến ngày 1 tháng 10 năm 2026"]]) == "2026-10-01"
    assert stated_date([["Thời điểm 5.3.2024"]]) == "2024-03-05"
    assert stated_date([["Hà Nội, ngày 5/3/2020"], [None, 2020]]) is None  # a signature date is not "as of"


def test_committee_of_walks_up_to_the_committee():
    from dangvien_cli.services.duplicates import committee_of
    from dangvien_cli.store.connection import Record

    tree = {1: Record(id=1, kind="province_committee", parent_id=None),
            2: Record(id=2, kind="grassroots_committee", parent_id=1),
            3: Record(id=3, kind="partial_committee", parent_id=2),
            4: Record(id=4, kind="cell", parent_id=3),
            5: Record(id=5, kind="party_group", parent_id=4),
            6: Record(id=6, kind="grassroots_cell", parent_id=1)}
    assert [committee_of(i, tree.get) for i in (5, 4, 3, 2, 6)] == [2, 2, 2, 2, 6]


def test_two_members_the_file_cannot_tell_apart_refuse_the_row_instead_of_adding_a_third(cli, commune, tmp_path,
                                                                                         isolated_db, snapshot):
    for cell in ("TL.01", "TL.02"):
        r = cli("members", "add", "--name", "Nguyễn Văn Ba", "--gender", "male", "--birth-date", "01/01/1970",
                "--cell", cell, "--allow-duplicate")
        assert r.exit_code == 0, r.stderr
    path = sheet(tmp_path / "ds.xlsx", [["Nguyễn Văn Ba", "Nam", "01/01/1970", "19/05/1995", "19/05/1996",
                                         "Chi bộ thôn Đông"]])
    before = snapshot(isolated_db)
    r = cli("import", "roster", path, "--into", "TL", "--format", "json")
    assert r.exit_code == 3
    [error] = r.json()["errors"]
    assert error["row"] == 5 and "mã số 1, 2" in error["message"]
    assert snapshot(isolated_db) == before
