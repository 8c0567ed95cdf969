"""Many clerks at once (issue 11): members and organizations carry a row version that every update raises and
checks, so that of two clerks editing the same member the second is told who changed it and when, and nothing
of theirs is written. On SQLite a command's write transaction holds the lock from its first statement, so the
clash is between what a clerk read (`members show`, key `version`) and `members update --if-version`; on
PostgreSQL two commands' transactions also overlap, and the second's UPDATE finds a newer version."""

from __future__ import annotations

import pytest

from dangvien_cli.errors import Conflict
from dangvien_cli.services import cells, members
from dangvien_cli.store import audit, postgres
from dbstate import ON_POSTGRESQL, postgres_schema, sqlite_only

ADD = ("members", "add", "--name", "Nguyễn Văn Ân", "--gender", "male", "--birth-date", "12/05/1960",
       "--cell", "TL.01", "--card-number", "08012345", "--admission-date", "19/05/1985")


def test_every_update_raises_the_version_and_a_stale_one_is_refused_naming_who_and_when(cli, commune, snapshot,
                                                                                         isolated_db):
    assert cli(*ADD).exit_code == 0
    read = cli("members", "show", "08012345", "-f", "json").json()
    assert read["version"] == 1
    # the other clerk changes the member after our clerk read it
    assert cli("members", "update", "08012345", "--hometown", "Xã Tân Lập").exit_code == 0
    assert cli("members", "show", "08012345", "-f", "json").json()["version"] == 2
    before = snapshot(isolated_db)
    run = cli("members", "update", "08012345", "--residence", "Thôn Đông", "--if-version", str(read["version"]))
    assert run.exit_code == 1
    assert "Nguyễn Văn Ân" in run.stderr and "đã được sửa sau khi lệnh này đọc nó" in run.stderr
    # who: the user of the command that changed it (on a server the database role, issue 11 "Audit")
    assert ("postgres" if ON_POSTGRESQL else audit.os_user()) in run.stderr
    assert "dangvien members update *** --hometown" in run.stderr  # which command (its masked line)
    assert "Không có gì được ghi" in run.stderr
    assert snapshot(isolated_db) == before
    # with the version now stored, the change goes through and raises it again
    assert cli("members", "update", "08012345", "--residence", "Thôn Đông", "--if-version", "2").exit_code == 0
    shown = cli("members", "show", "08012345", "-f", "json").json()
    assert (shown["residence"], shown["hometown"], shown["version"]) == ("Thôn Đông", "Xã Tân Lập", 3)


def test_other_writes_raise_the_version_too(cli, commune):
    assert cli(*ADD).exit_code == 0
    for args in (("members", "transfer", "08012345", "--to", "TL.02", "--date", "01/03/2025"),
                 ("cells", "dissolve", "TL.02", "--date", "01/07/2025", "--move-members-to", "TL.01"),
                 ("members", "exempt", "08012345", "--from", "01/08/2025", "--reason", "age")):
        assert cli(*args).exit_code == 0, args
    assert cli("members", "show", "08012345", "-f", "json").json()["version"] == 4


# --- PostgreSQL: two clerks' transactions overlap -----------------------------------------------------------

@pytest.fixture
def two_clerks(pg_database):
    first, second = postgres.connect(pg_database), postgres.connect(pg_database)
    with first.transaction(write=True):
        postgres_schema(first, (("TL", "Đảng bộ xã Tân Lập", "commune_committee", None),
                                ("TL.01", "Chi bộ thôn Đông", "cell", "TL")))
        # Inserted as rows: the name's sort key is the store's business, not this test's.
        first.insert("members", {"full_name": "Nguyễn Văn Ân", "search_key": "nguyen van an", "sort_key": "an",
                                 "card_number": "08012345", "cell_id": cells.store.id_of_code(first, "TL.01"),
                                 "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"})
    yield first, second
    first.close()
    second.close()


def test_the_second_of_two_overlapping_edits_on_postgresql_is_refused(two_clerks):
    first, second = two_clerks
    with pytest.raises(Conflict) as refused, second.transaction(write=True):
        audit.begin_command(second, "dangvien members update 08012345 --residence 'Thôn Đông'")
        members.store.by_ref(second, "08012345")  # the second clerk's command has read the member …
        with first.transaction(write=True):  # … when the first clerk's command changes and commits it
            audit.begin_command(first, "dangvien members update 08012345 --hometown 'Xã Tân Lập'")
            members.update_member(first, "08012345", {"hometown": "Xã Tân Lập"})
            audit.end_command(first)
        members.update_member(second, "08012345", {"residence": "Thôn Đông"}, read_version=1)
    message = str(refused.value)
    assert "Nguyễn Văn Ân" in message and "--hometown" in message and "Không có gì được ghi" in message
    with first.transaction(write=False):
        row = first.record("SELECT hometown, residence, version FROM members")
        assert (row.hometown, row.residence, row.version) == ("Xã Tân Lập", None, 2)
        assert first.value("SELECT count(*) FROM commands") == 1  # the refused command left nothing


def test_an_update_overtaken_between_its_read_and_its_write_is_refused_on_postgresql(two_clerks):
    """Without --if-version: the command read version 1, the other clerk's commit lands before its UPDATE; the
    UPDATE … WHERE version = 1 changes no row and the command is refused."""
    first, second = two_clerks
    with pytest.raises(Conflict), second.transaction(write=True):
        member = members.store.by_ref(second, "08012345")
        with first.transaction(write=True):
            members.update_member(first, "08012345", {"hometown": "Xã Tân Lập"})
        members.store.update(second, member.id, {"residence": "Thôn Đông"}, version=member.version)
    with first.transaction(write=False):
        assert first.value("SELECT residence FROM members") is None


def test_an_organization_renamed_meanwhile_is_not_overwritten_on_postgresql(two_clerks):
    first, second = two_clerks
    with pytest.raises(Conflict) as refused, second.transaction(write=True):
        cell = cells.store.get(second, cells.store.id_of_code(second, "TL.01"))
        with first.transaction(write=True):
            audit.begin_command(first, "dangvien cells update TL.01 --name 'Chi bộ thôn Đông Mới'")
            cells.update_cell(first, "TL.01", {"name": "Chi bộ thôn Đông Mới"})
            audit.end_command(first)
        cells.store.update(second, cell.id, {"note": "ghi chú"}, version=cell.version)
    assert "'TL.01'" in str(refused.value) and "cells update TL.01" in str(refused.value)
    assert "dangvien cells show TL.01" in refused.value.hint
    with first.transaction(write=False):
        row = first.record("SELECT name, note, version FROM cells WHERE code = 'TL.01'")
        assert (row.name, row.note, row.version) == ("Chi bộ thôn Đông Mới", None, 2)


@sqlite_only("a file as it stood before migration 9; the server's schema is made by the same migrations")
def test_a_database_from_before_the_row_versions_gets_them_with_every_row_at_version_1(tmp_path):
    from dangvien_cli.store.database import Database
    from dbstate import database_at_version

    old = tmp_path / "v8.db"
    conn = database_at_version(old, 8)
    for table in ("members", "cells"):
        assert "version" not in [r[1] for r in conn.execute(f"PRAGMA table_info({table})")], table
    conn.execute("INSERT INTO cells (code, name, search_key, kind, created_at, updated_at) "
                 "VALUES ('TL', 'Đảng bộ xã Tân Lập', 'dang bo xa tan lap', 'commune_committee', 't', 't')")
    conn.execute("INSERT INTO members (full_name, search_key, sort_key, cell_id, created_at, updated_at) "
                 "VALUES ('Nguyễn Văn Ân', 'nguyen van an', 'an', 1, 't', 't')")
    conn.close()
    migrated = Database(old).raw_connection()
    fresh = Database(tmp_path / "new.db").raw_connection()
    assert migrated.execute("SELECT version FROM members").fetchall() == [(1,)]
    assert migrated.execute("SELECT version FROM cells").fetchall() == [(1,)]
    table_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('members', 'cells') ORDER BY 1"
    assert migrated.execute(table_sql).fetchall() == fresh.execute(table_sql).fetchall()
