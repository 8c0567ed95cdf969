"""Another process holds the write lock: the writing commands of members, cells, settings, badges and db wait a
bounded time, then refuse with the busy message and leave the database as it was; the reading commands of the
same groups answer at once (issue 12 point 2: readers never take the write lock)."""

from __future__ import annotations

import pytest

import dbstate

ADD = ("members", "add", "--name", "Nguyễn Văn Ân", "--gender", "male", "--birth-date", "12/05/1960",
       "--cell", "TL.01", "--card-number", "08012345", "--admission-date", "19/05/1985", "--official-date",
       "19/05/1986")

WRITES = [
    ("members", "add", "--name", "Lê Thị Bình", "--gender", "female", "--birth-date", "1970", "--cell", "TL.01"),
    ("members", "update", "08012345", "--hometown", "Xã Tân Lập"),
    ("members", "transfer", "08012345", "--to", "TL.02", "--date", "01/03/2025"),
    ("members", "exempt", "08012345", "--from", "01/01/2025", "--reason", "age"),
    ("members", "leave", "08012345", "--reason", "deceased", "--date", "02/03/2025"),
    ("cells", "add", "Chi bộ thôn Nam", "--code", "TL.03", "--kind", "cell", "--parent", "TL"),
    ("cells", "update", "TL.02", "--name", "Chi bộ thôn Tây Mới"),
    ("cells", "move", "TL.02", "--parent", "TL"),
    ("cells", "dissolve", "TL.01", "--date", "01/07/2025", "--move-members-to", "TL.02"),
    ("settings", "set", "rating.excellent_quota_percent", "15"),
    ("settings", "reset", "rating.excellent_quota_percent"),
    ("badges", "award", "08012345", "--milestone", "40", "--date", "19/05/2025"),
]
READS = [
    ("members", "list", "-f", "json"),
    ("members", "list", "--search", "nguyen van", "-f", "json"),
    ("members", "show", "08012345", "-f", "json"),
    ("members", "history", "08012345", "-f", "json"),
    ("cells", "list", "-f", "json"),
    ("cells", "tree", "-f", "json"),
    ("cells", "show", "TL.01", "-f", "json"),
    ("settings", "list", "-f", "json"),
    ("badges", "due", "--occasion", "19/05/2025", "-f", "json"),
    ("db", "info", "-f", "json"),
    ("db", "log", "-f", "json"),
    ("db", "check", "-f", "json"),
]


@pytest.fixture
def locked(cli, commune, isolated_db, monkeypatch):
    """A member on file, then another connection holding the write lock (as an import in progress would)."""
    assert cli(*ADD).exit_code == 0
    assert cli("settings", "set", "rating.excellent_quota_percent", "20").exit_code == 0
    other = dbstate.hold_write_lock(isolated_db, monkeypatch, 20)  # the lock never frees: any wait shows it
    other.execute("UPDATE cells SET note = 'đang ghi dở' WHERE code = 'TL'")
    yield other
    other.execute("ROLLBACK")
    other.close()


@pytest.mark.parametrize("argv", WRITES, ids=lambda a: " ".join(a[:2]) + ("" if len(a) < 3 else " " + a[2]))
def test_a_writer_waits_then_refuses_and_writes_nothing(cli, locked, isolated_db, snapshot, argv):
    before = snapshot(isolated_db)
    r = cli(*argv)
    assert r.exit_code == 1, r.stderr
    assert "đang chờ tối đa" in r.stderr  # said while waiting, before the refusal
    assert "đang bận" in r.stderr and "Không có gì được ghi" in r.stderr
    assert "không mong đợi" not in r.stderr
    assert snapshot(isolated_db) == before


@pytest.mark.parametrize("argv", READS, ids=lambda a: " ".join(a[:2]))
def test_a_reader_answers_while_the_lock_is_held(cli, locked, argv):
    r = cli(*argv)
    assert r.exit_code == 0, r.stderr
    assert "đang bận" not in r.stderr
    data = r.json()
    if argv[:2] == ("db", "check"):  # busy is not a problem of the file
        assert data == {"ok": True, "problems": []}
    if argv[:2] == ("members", "list"):
        assert [m["card_number"] for m in data] == ["08012345"]
    if argv[:2] == ("badges", "due"):
        assert [(b["card_number"], b["milestone"]) for b in data] == [("08012345", 40)]
    if argv[:2] == ("cells", "show"):  # the snapshot is the last committed state, not the half-written one
        assert data["member_count"] == 1


def test_a_reader_sees_the_committed_state_not_the_write_in_progress(cli, locked):
    assert locked.execute("SELECT note FROM cells WHERE code = 'TL'").fetchone() == ("đang ghi dở",)
    assert cli("cells", "show", "TL", "-f", "json").json()["note"] is None


def test_db_restore_refuses_while_another_command_writes(cli, locked, isolated_db, snapshot, tmp_path):
    backup = tmp_path / "b.db"
    assert cli("db", "backup", backup).exit_code == 0
    before = snapshot(isolated_db)
    r = cli("db", "restore", backup)
    assert r.exit_code == 1 and "đang bận" in r.stderr, r.stderr
    assert snapshot(isolated_db) == before
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]  # no copy kept of a restore refused
