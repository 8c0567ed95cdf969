"""Another process holds the write lock (issue 12 point 2, STORE.md busy seam): imports, the monthly books and
ratings refuse a write with the busy message and exit 1, the database unchanged; their reading commands answer."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

import dbstate


@pytest.fixture
def member(cli, commune):
    r = cli("members", "add", "--name", "Nguyễn Văn An", "--gender", "male", "--birth-date", "12/05/1968",
            "--cell", "TL.01", "--card-number", "08000001", "--admission-date", "01/01/2000",
            "--official-date", "01/01/2001")
    assert r.exit_code == 0, r.stderr
    assert cli("ratings", "set", "08000001", "--year", 2025, "--level", "HTTNV").exit_code == 0
    assert cli("attendance", "set", "08000001", "--year", 2025, "--month", 1, "--mark", "x").exit_code == 0
    return "08000001"


@pytest.fixture
def locked(isolated_db, monkeypatch):
    """The write lock held by another connection, and a short wait for it."""
    other = dbstate.hold_write_lock(isolated_db, monkeypatch)
    yield other
    other.execute("ROLLBACK")
    other.close()


def roster(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng",
               "Ngày chính thức", "Chi bộ"])
    ws.append([1, "Trần Thị Bình", "Nữ", "08/03/1972", "08000002", "03/02/2000", "03/02/2001", "Chi bộ thôn Đông"])
    wb.save(path)
    return path


def assert_busy(r):
    assert r.exit_code == 1, r.stderr
    assert "đang bận" in r.stderr and "Lỗi không mong đợi" not in r.stderr


def test_import_waits_then_refuses_and_a_dry_run_reads(cli, member, tmp_path, isolated_db, snapshot, locked):
    path = roster(tmp_path / "ds.xlsx")
    before = snapshot(isolated_db)
    r = cli("import", "roster", path, "--into", "TL")
    assert_busy(r)
    assert "đang chờ" in r.stderr  # it said it was waiting before giving up
    dry = cli("import", "roster", path, "--into", "TL", "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.stderr
    assert dry.json()["created"] == 1
    assert snapshot(isolated_db) == before


@pytest.mark.parametrize(("write", "read"), [
    (["attendance", "set", "08000001", "--year", "2025", "--month", "2", "--mark", "k"],
     ["attendance", "show", "08000001", "--year", "2025", "--format", "json"]),
    (["dues", "set", "08000001", "--year", "2025", "--month", "2", "--amount", "30000"],
     ["dues", "show", "08000001", "--year", "2025", "--format", "json"]),
    (["ratings", "set", "08000001", "--year", "2025", "--level", "HTXSNV"],
     ["ratings", "list", "--year", "2025", "--format", "json"]),
    (["ratings", "set-cell", "TL.01", "--year", "2025", "--level", "HTTNV"],
     ["ratings", "summary", "--year", "2025", "--format", "json"]),
])
def test_books_and_ratings_refuse_writes_and_answer_reads_while_busy(cli, member, isolated_db, snapshot, locked,
                                                                     write, read):
    before = snapshot(isolated_db)
    assert_busy(cli(*write))
    r = cli(*read)
    assert r.exit_code == 0, r.stderr
    assert r.json()
    assert snapshot(isolated_db) == before
