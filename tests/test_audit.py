"""Every write is recorded with the operating-system user, the time and the command line with personal data
masked, and the import batch where there is one; `db log` shows it (issue 12, "Audit")."""

from __future__ import annotations

import getpass
import re

import dbstate
from dangvien_cli.services.members import TEXT_FIELDS

# who the audit names: the operating-system user on a file, the database role on a server (issue 11)
WHO = "postgres" if dbstate.ON_POSTGRESQL else getpass.getuser()

NATIONAL_ID, CARD = "001068000123", "08012345"
ADD = ("members", "add", "--name", "Nguyễn Văn Ân", "--gender", "male", "--birth-date", "12/05/1968",
       "--cell", "TL.01", "--card-number", CARD, "--national-id", NATIONAL_ID, "--hometown", "Xã Tân Lập",
       "--admission-date", "19/05/1995", "--official-date", "19/05/1996")
# rebuilt from what was parsed, in the order the command declares its options
ADD_LINE = ("dangvien members add --name *** --gender *** --birth-date *** --cell TL.01 --card-number *** "
            "--national-id *** --admission-date 19/05/1995 --official-date 19/05/1996 --hometown ***")


def commands(db) -> list[tuple]:
    conn = dbstate.connect(db)
    try:
        return conn.execute("SELECT id, started_at, os_user, command_line, import_id FROM commands ORDER BY id").fetchall()
    finally:
        conn.close()


def test_a_write_records_who_when_and_the_masked_command_and_its_events_point_to_it(cli, commune, isolated_db):
    assert cli(*ADD).exit_code == 0
    cid, started, user, line, import_id = commands(isolated_db)[-1]
    assert user == WHO and import_id is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", started)
    assert line == ADD_LINE
    conn = dbstate.connect(isolated_db)
    assert conn.execute("SELECT event, command_id FROM member_events").fetchall() == [("created", cid)]
    cells = conn.execute("SELECT e.command_id, c.command_line FROM cell_events e JOIN commands c "
                         "ON c.id = e.command_id ORDER BY e.id").fetchall()
    assert [line for _, line in cells][0] == ("dangvien cells add 'Đảng bộ xã Tân Lập' --code TL "
                                              "--kind commune_committee")


def test_every_personal_field_is_masked_however_the_option_is_spelled(cli, commune, isolated_db):
    assert cli(*ADD).exit_code == 0
    marked = {f: f"QQ{i}ZZ" for i, f in enumerate(("full_name", *TEXT_FIELDS))}
    argv = ["members", "update", NATIONAL_ID, "--ref", "12-QĐ/ĐU"]
    for i, (field, value) in enumerate(marked.items()):
        option = "--" + field.replace("_", "-")
        argv += [f"{option}={value}"] if i % 2 else [option, value]  # both spellings reach the same parameter
    argv += ["--card-number", "08099999", "--birth-date", "13/05/1968"]
    r = cli(*argv)
    assert r.exit_code == 0, r.stderr
    line = commands(isolated_db)[-1][3]
    assert "QQ" not in line and NATIONAL_ID not in line and "08099999" not in line and "1968" not in line
    assert line.startswith("dangvien members update *** --full-name *** --birth-date *** --card-number ***")
    assert line.endswith("--note *** --ref '12-QĐ/ĐU'") and line.count("***") == len(marked) + 3


def test_reads_refusals_and_changes_of_nothing_leave_no_command(cli, commune, isolated_db):
    assert cli(*ADD).exit_code == 0
    before = commands(isolated_db)
    for argv in (("members", "list"), ("members", "show", CARD), ("db", "check"), ("db", "log"),
                 ("cells", "tree"), ("settings", "list")):
        assert cli(*argv).exit_code == 0
    assert cli("members", "update", CARD, "--hometown", "Xã Tân Lập").exit_code == 0  # the same value
    assert cli("members", "leave", CARD, "--reason", "removed", "--date", "01/01/2025").exit_code == 1  # no --ref
    assert commands(isolated_db) == before


def test_a_settings_change_is_in_the_log_with_its_command(cli, isolated_db):
    assert cli("settings", "set", "rating.excellent_quota_percent", "15").exit_code == 0
    rows = cli("db", "log", "-f", "json").json()
    assert [(r["kind"], r["os_user"], r["command_line"]) for r in rows] == [
        ("command", WHO, "dangvien settings set rating.excellent_quota_percent 15")]


def test_an_import_names_its_batch_and_the_log_shows_who_ran_it(cli, commune, tmp_path, isolated_db):
    from test_import_roster import EAST, roster

    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Đông", EAST)])
    assert cli("import", "roster", path, "--into", "TL").exit_code == 0
    (batch,) = dbstate.connect(isolated_db).execute("SELECT id FROM imports").fetchone()
    *_, line, import_id = commands(isolated_db)[-1]
    assert import_id == batch and line == f"dangvien import roster {path} --into TL"
    rows = cli("db", "log", "-n", "500", "-f", "json").json()
    imported = [r for r in rows if r["import_id"] == batch]
    assert {r["kind"] for r in imported} == {"import", "member"}
    assert all(r["os_user"] == WHO for r in rows if r["kind"] == "import")
    assert next(r for r in rows if r["kind"] == "import")["command_line"] == line


def test_the_log_table_shows_user_and_masked_command_never_the_typed_personal_data(cli, commune):
    assert cli(*ADD).exit_code == 0
    r = cli("db", "log")
    assert r.exit_code == 0
    flat = " ".join(r.stdout.split())
    assert "Người dùng" in flat and WHO in flat and "--name ***" in flat
    assert NATIONAL_ID not in flat and CARD not in flat and "Nguyễn Văn Ân" not in flat


def test_a_dissolve_moves_every_member_under_one_command_with_history(cli, commune, isolated_db):
    for i in range(3):
        assert cli("members", "add", "--name", f"Người {i}", "--gender", "female", "--birth-date", "1970",
                   "--cell", "TL.01").exit_code == 0
    r = cli("cells", "dissolve", "TL.01", "--date", "01/07/2025", "--move-members-to", "TL.02")
    assert r.exit_code == 0, r.stderr
    conn = dbstate.connect(isolated_db)
    cid, line = conn.execute("SELECT id, command_line FROM commands ORDER BY id DESC LIMIT 1").fetchone()
    assert line == "dangvien cells dissolve TL.01 --date 01/07/2025 --move-members-to TL.02"
    moved = conn.execute("SELECT member_id, old_value, new_value FROM member_events WHERE event = 'transferred' "
                         "AND command_id = ? ORDER BY member_id", (cid,)).fetchall()
    assert moved == [(i, "TL.01 — Chi bộ thôn Đông", "TL.02 — Chi bộ thôn Tây") for i in (1, 2, 3)]
    assert conn.execute("SELECT DISTINCT c.code FROM members m JOIN cells c ON c.id = m.cell_id").fetchall() == [
        ("TL.02",)]


def test_a_restore_is_in_the_restored_files_log(cli, commune, tmp_path, isolated_db):
    assert cli(*ADD).exit_code == 0
    backup = tmp_path / "copy.db"
    assert cli("db", "backup", backup).exit_code == 0
    assert cli("db", "restore", backup).exit_code == 0
    *_, line, _ = commands(isolated_db)[-1]
    assert line == f"dangvien db restore {backup}"


def test_a_card_number_is_masked_even_where_no_rule_names_the_parameter():
    from dangvien_cli.cli.audit import MASK, _shown

    assert [_shown(v) for v in ("08012345", "0010 6800 0123", "2025", "TL.01", "dangvien-20261201.db")] == [
        MASK, MASK, "2025", "TL.01", "dangvien-20261201.db"]


def test_a_members_history_says_who_made_each_change(cli, commune):
    assert cli(*ADD).exit_code == 0
    assert cli("members", "update", CARD, "--hometown", "Xã Tân Lập, tỉnh Bắc Ninh").exit_code == 0
    rows = cli("members", "history", CARD, "-f", "json").json()
    assert [(r["event"], r["os_user"], r["command_line"]) for r in rows] == [
        ("created", WHO, ADD_LINE),
        ("updated", WHO, "dangvien members update *** --hometown ***")]
