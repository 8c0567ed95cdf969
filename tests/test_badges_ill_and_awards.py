"""Seriously ill members (members update --seriously-ill DATE), early and posthumous awards through the commands,
the awards given (badges list) and the ceremony list (export badges); domain.md §3."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest

from dbstate import table_contents


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-01-20")


def member(cli, name, card, decision, cell="TL.01"):
    r = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", "01/01/1930", "--cell", cell,
            "--card-number", card, "--decision-date", decision, "--admission-date", decision,
            "--official-date", decision[:6] + str(int(decision[6:]) + 1), "--format", "json")
    assert r.exit_code == 0, r.stderr
    return str(r.json()["id"])


def due(cli, occasion, *extra):
    r = cli("badges", "due", "--occasion", occasion, *extra, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return [(d["full_name"], d["milestone"], d["ground"], d["early"]) for d in r.json()]


def test_the_seriously_ill_flag_is_recorded_dated_and_cleared(cli, commune, isolated_db):
    ref = member(cli, "Ốm Nặng", "08000001", "20/11/1996")
    r = cli("members", "update", ref, "--seriously-ill", "15/01/2026")
    assert r.exit_code == 0 and "Ốm nặng từ ngày" in r.stderr
    assert cli("members", "show", ref, "--format", "json").json()["seriously_ill_since"] == "2026-01-15"
    assert any(line.split() == ["Ốm", "nặng", "từ", "ngày", "15/01/2026"]
               for line in cli("members", "show", ref).stdout.splitlines())
    history = cli("members", "history", ref, "--format", "json").json()
    assert [(h["field"], h["new_value"]) for h in history if h["field"] == "seriously_ill_since"] == \
           [("seriously_ill_since", "2026-01-15")]
    before = table_contents(isolated_db)
    for bad in ("2026", "01/2026", "31/02/2026", "15/01/2027"):  # a whole day, real, not in the future
        r = cli("members", "update", ref, "--seriously-ill", bad)
        assert r.exit_code == 1 and "Ốm nặng từ ngày" in r.stderr, bad
    assert {k: v for k, v in table_contents(isolated_db).items() if k != "commands"} == \
           {k: v for k, v in before.items() if k != "commands"}
    assert cli("members", "update", ref, "--seriously-ill", "").exit_code == 0
    assert cli("members", "show", ref, "--format", "json").json()["seriously_ill_since"] is None


def test_seriously_ill_members_are_proposed_early_from_the_day_recorded(cli, commune):
    ill = member(cli, "Ốm Nặng", "08000001", "20/11/1996")       # 30 years on 20/11/2026
    member(cli, "Khỏe Mạnh", "08000002", "20/11/1996")
    old = member(cli, "Bảy Mươi", "08000003", "10/04/1958")      # 70 years on 10/04/2028
    assert cli("badges", "award", old, "--milestone", 65, "--date", "03/02/2024").exit_code == 0
    assert due(cli, "19/05/2026") == []
    assert cli("members", "update", ill, "--seriously-ill", "10/01/2026").exit_code == 0
    assert cli("members", "update", old, "--seriously-ill", "10/01/2026").exit_code == 0
    # 30 years: 6 months early is within 12; 70 years: 23 months early is within 24.
    assert due(cli, "19/05/2026") == [("Bảy Mươi", 70, "seriously_ill", True), ("Ốm Nặng", 30, "seriously_ill", True)]
    # The occasion before the illness was recorded: not early then.
    assert due(cli, "07/11/2025") == []
    # 3/2/2026: the 70-year badge is 26 months away, more than 24.
    assert due(cli, "03/02/2026") == [("Ốm Nặng", 30, "seriously_ill", True)]


def test_awards_early_only_for_the_seriously_ill(cli, commune):
    ill = member(cli, "Ốm Nặng", "08000001", "20/11/1996")
    well = member(cli, "Khỏe Mạnh", "08000002", "20/11/1996")
    refused = cli("badges", "award", well, "--milestone", 30, "--date", "19/01/2026")
    assert refused.exit_code == 1 and "20/11/2026" in refused.stderr and "--seriously-ill" in refused.stderr
    assert cli("badges", "award", ill, "--milestone", 30, "--date", "19/01/2026").exit_code == 1  # not ill yet
    assert cli("members", "update", ill, "--seriously-ill", "10/01/2026").exit_code == 0
    r = cli("badges", "award", ill, "--milestone", 30, "--date", "19/01/2026")
    assert r.exit_code == 0, r.stderr
    too_early = member(cli, "Quá Sớm", "08000003", "20/02/1997")  # 30 years 13 months after the award date
    assert cli("members", "update", too_early, "--seriously-ill", "10/01/2026").exit_code == 0
    refused = cli("badges", "award", too_early, "--milestone", 30, "--date", "19/01/2026")
    assert refused.exit_code == 1 and "12 tháng" in refused.stderr


def test_posthumous_awards_and_the_deceased(cli, commune):
    died = member(cli, "Đã Mất", "08000001", "01/03/1996")        # died 01/06/2025 with 29 years 3 months
    assert cli("members", "leave", died, "--reason", "deceased", "--date", "01/06/2025").exit_code == 0
    # On the list of the occasions of the year after the death, as posthumous.
    assert due(cli, "03/02/2026") == [("Đã Mất", 30, "posthumous", True)]
    assert due(cli, "19/05/2026") == [("Đã Mất", 30, "posthumous", True)]
    assert due(cli, "02/09/2026") == []  # more than 12 months after the death: the committee proposes it itself
    plain = cli("badges", "award", died, "--milestone", 30, "--date", "19/01/2026")
    assert plain.exit_code == 1 and "--posthumous" in plain.stderr and "từ trần" in plain.stderr
    assert cli("badges", "award", died, "--milestone", 30, "--date", "19/01/2026", "--posthumous").exit_code == 0
    assert due(cli, "19/05/2026") == []
    listed = cli("badges", "list", "--format", "json").json()
    assert [(a["full_name"], a["milestone"], a["awarded_date"], a["posthumous"]) for a in listed] == \
           [("Đã Mất", 30, "2026-01-19", True)]


def test_badges_list_by_cell_and_year(cli, commune, monkeypatch):
    a = member(cli, "Nguyễn Văn An", "08000001", "01/01/1980")
    b = member(cli, "Trần Văn Bình", "08000002", "01/01/1985", cell="TL.02")
    assert cli("badges", "award", a, "--milestone", 40, "--date", "03/02/2020", "--ref", "1-QĐ/ĐU").exit_code == 0
    assert cli("badges", "award", a, "--milestone", 45, "--date", "19/05/2025", "--ref", "7-QĐ/ĐU").exit_code == 0
    assert cli("badges", "award", b, "--milestone", 40, "--date", "02/09/2025").exit_code == 0
    rows = cli("badges", "list", "--format", "json").json()
    assert [(r["full_name"], r["milestone"], r["awarded_date"], r["reference"], r["cell_code"]) for r in rows] == [
        ("Trần Văn Bình", 40, "2025-09-02", None, "TL.02"), ("Nguyễn Văn An", 45, "2025-05-19", "7-QĐ/ĐU", "TL.01"),
        ("Nguyễn Văn An", 40, "2020-02-03", "1-QĐ/ĐU", "TL.01")]
    assert set(rows[0]) >= {"award_id", "member_id", "card_number", "full_name", "cell_code", "cell_name",
                            "milestone", "awarded_date", "reference", "posthumous"}
    assert [r["milestone"] for r in cli("badges", "list", "--year", 2025, "--cell", "TL.01", "-f", "json").json()] == [45]
    assert cli("badges", "list", "--year", 2019, "-f", "json").json() == []
    monkeypatch.setenv("COLUMNS", "80")
    table = cli("badges", "list", "--year", 2025)
    assert table.exit_code == 0 and "19/05/2025" in table.stdout and "Trần Văn Bình" in table.stdout
    assert all(len(line) <= 80 for line in table.stdout.splitlines()), table.stdout  # an 80-column terminal
    assert cli("badges", "list", "--cell", "KHONG").exit_code == 1


def test_export_badges_writes_the_ceremony_list(cli, commune, tmp_path):
    member(cli, "Bốn Mươi", "08000001", "01/05/1986")
    ill = member(cli, "Ốm Nặng", "08000002", "20/11/1996")
    assert cli("members", "update", ill, "--seriously-ill", "10/01/2026").exit_code == 0
    out = tmp_path / "hh.xlsx"
    r = cli("export", "badges", out, "--occasion", "19/05/2026", "--cell", "TL")
    assert r.exit_code == 0, r.stderr
    cells = [c for row in openpyxl.load_workbook(out).active.iter_rows(values_only=True) for c in row if c]
    assert "DANH SÁCH ĐẢNG VIÊN ĐỀ NGHỊ TẶNG HUY HIỆU ĐẢNG" in cells
    assert "(Dịp 19/05/2026, kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh (19/5))" in cells
    assert cells.index("I. Huy hiệu 40 năm tuổi Đảng (1 đồng chí)") < cells.index("Bốn Mươi") < \
        cells.index("II. Huy hiệu 30 năm tuổi Đảng (1 đồng chí)") < cells.index("Ốm Nặng")
    assert "Ốm nặng, xét tặng sớm; đủ 30 năm tuổi Đảng ngày 20/11/2026" in cells
    bad = cli("export", "badges", tmp_path / "x.xlsx", "--occasion", "05/2026")
    assert bad.exit_code == 1 and not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("recorded", [7, 12])
def test_migration_10_adds_the_flag_to_an_older_database(tmp_path, recorded):
    """From version 7; and from a database that got migration 12 (written on another branch) before 10."""
    from dangvien_cli.store import migrations
    from dbstate import database_at_version

    old = tmp_path / "old.db"
    conn = database_at_version(old, recorded)
    if recorded > 10:
        conn.execute("ALTER TABLE members DROP COLUMN seriously_ill_since")
        conn.execute("DELETE FROM schema_migrations WHERE version = 10")
    conn.close()
    conn = sqlite3.connect(old, isolation_level=None)
    assert migrations.migrate(conn) == migrations.LATEST
    assert "seriously_ill_since" in [r[1] for r in conn.execute("PRAGMA table_info(members)")]
    assert {r[0] for r in conn.execute("SELECT version FROM schema_migrations")} == \
        {m.version for m in migrations.MIGRATIONS}
    assert migrations.migrate(conn) == migrations.LATEST  # nothing left to do the second time
    conn.close()
