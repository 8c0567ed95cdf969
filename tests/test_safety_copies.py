"""A verified copy is kept before changes that touch many records: a dissolution, a removal decided in a
screening, a re-import that changes many members; the last few are kept; a refused change leaves none."""

from __future__ import annotations

import os
import sqlite3

from openpyxl import Workbook

from dbstate import sqlite_only

pytestmark = sqlite_only("safety copies are copies of the database file; a server database is backed up by its "
                         "administrator (db backup runs pg_dump), so none is made there "
                         "(test_postgres_db.py checks that none is)")


def _copies(db_path):
    folder = db_path.with_name(f"{db_path.name}.sao-luu")
    return sorted(folder.glob("*.db")) if folder.exists() else []


def _members(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM members").fetchone()[0]
    finally:
        conn.close()


def _add(cli, name, cell="TL.01"):
    r = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", "01/01/1970", "--cell", cell,
            "--admission-date", "01/01/2000", "--official-date", "01/01/2001")
    assert r.exit_code == 0, r.stderr


def test_a_dissolution_keeps_a_verified_private_copy_of_the_state_before(cli, commune, isolated_db):
    _add(cli, "Nguyễn Văn An")
    _add(cli, "Trần Văn Bình")
    r = cli("cells", "dissolve", "TL.01", "--move-members-to", "TL.02", "--date", "01/07/2025")
    assert r.exit_code == 0, r.stderr
    (copy,) = _copies(isolated_db)
    assert str(copy) in r.stderr and "trước khi giải thể" in r.stderr
    assert oct(os.stat(copy).st_mode & 0o777) == "0o600"
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT valid_to FROM cells WHERE code = 'TL.01'").fetchone() == (None,)  # before
    conn.close()


def test_a_refused_dissolution_keeps_no_copy(cli, commune, isolated_db):
    _add(cli, "Nguyễn Văn An")
    r = cli("cells", "dissolve", "TL.01", "--date", "01/07/2025")  # members remain: refused
    assert r.exit_code == 1
    assert _copies(isolated_db) == []


def test_only_the_newest_copies_are_kept(cli, commune, isolated_db):
    assert cli("settings", "set", "backup.keep_copies", "2").exit_code == 0
    for i in range(4):
        code = f"TL.9{i}"
        assert cli("cells", "add", f"Chi bộ tạm {i}", "--code", code, "--kind", "cell", "--parent", "TL").exit_code == 0
        assert cli("cells", "dissolve", code, "--date", "01/07/2025").exit_code == 0
    copies = _copies(isolated_db)
    assert len(copies) == 2 and all("giai-the-TL.9" in p.name for p in copies)
    assert [p.name.endswith(f"TL.9{i}.db") for p, i in zip(copies, (2, 3), strict=True)] == [True, True]


def _roster(path, names_and_hometowns):
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Quê quán"])
    for i, (name, hometown) in enumerate(names_and_hometowns, start=1):
        ws.append([i, name, "Nam", "01/01/1970", f"0800{i:04d}", "01/01/2000", hometown])
    wb.save(path)
    return path


def test_a_re_import_changing_many_members_keeps_a_copy_first(cli, commune, isolated_db, tmp_path):
    assert cli("settings", "set", "backup.import_changes", "3").exit_code == 0
    names = [f"Người Số {chr(65 + i)}" for i in range(6)]
    first = _roster(tmp_path / "ds.xlsx", [(n, "Thôn Đông") for n in names])
    assert cli("import", "roster", first, "--into", "TL.01").exit_code == 0
    assert _copies(isolated_db) == []  # new members only: nothing stored was changed
    few = _roster(tmp_path / "ds2.xlsx", [(n, "Thôn Tây" if i < 2 else "Thôn Đông") for i, n in enumerate(names)])
    assert cli("import", "roster", few, "--into", "TL.01").exit_code == 0
    assert _copies(isolated_db) == []  # two changes: a handful
    many = _roster(tmp_path / "ds3.xlsx", [(n, "Thôn Nam") for n in names])
    r = cli("import", "roster", many, "--into", "TL.01")
    assert r.exit_code == 0, r.stderr
    (copy,) = _copies(isolated_db)
    assert "nhap-lai-6-dang-vien" in copy.name and str(copy) in r.stderr
    conn = sqlite3.connect(copy)
    assert {h for (h,) in conn.execute("SELECT hometown FROM members")} == {"Thôn Tây", "Thôn Đông"}  # before
    conn.close()
    assert _members(copy) == 6


def test_a_screening_removal_keeps_a_copy_and_other_decisions_do_not(cli, commune, isolated_db):
    for i in range(3):
        _add(cli, f"Người Thứ {i}", "TL.02")
    r = cli("screening", "run", "--year", "2025", "--as-of", "20/01/2026", "--format", "json")
    assert r.exit_code == 0, r.stderr
    org = r.json()["org_findings"]
    assert org, "a cell without findings cannot show the decision"
    item = org[0]["item_no"]
    assert cli("screening", "resolve", str(r.json()["run_id"]), str(item), "--decision", "kept").exit_code == 0
    assert _copies(isolated_db) == []


def test_a_screening_removal_keeps_a_copy_first(cli, commune, isolated_db):
    r = cli("members", "add", "--name", "Người Dự Bị Quá Hạn", "--gender", "male", "--birth-date", "01/01/1990",
            "--cell", "TL.01", "--admission-date", "01/03/2023", "--membership", "probationary", "--format", "json")
    assert r.exit_code == 0, r.stderr
    member = r.json()["id"]
    run = cli("screening", "run", "--year", "2025", "--as-of", "20/01/2026", "--format", "json").json()
    (finding,) = [f for f in run["findings"] if f["member_id"] == member]
    r = cli("screening", "resolve", str(run["run_id"]), str(finding["item_no"]), "--decision", "removed",
            "--ref", "12-QĐ/ĐU", "--date", "20/01/2026")
    assert r.exit_code == 0, r.stderr
    (copy,) = _copies(isolated_db)
    assert f"xoa-ten-muc-{finding['item_no']}" in copy.name and str(copy) in r.stderr
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT status FROM members WHERE id = ?", (member,)).fetchone() == ("active",)
    conn.close()
