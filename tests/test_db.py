"""dangvien db: init, info, check, log, backup, restore."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest

import dbstate
from dbstate import sqlite_only


def test_init_and_info(cli, tmp_path, monkeypatch):
    path = tmp_path / "new.db"
    monkeypatch.setenv("DANGVIEN_DB", str(path))
    r = cli("db", "init")
    assert r.exit_code == 0 and path.exists() and path.stat().st_mode & 0o777 == 0o600
    info = cli("db", "info", "--format", "json").json()
    assert info["path"] == str(path)
    assert info["schema_version"] >= 1 and info["counts"]["members"] == 0


def test_db_option_wins_over_environment(cli, tmp_path):
    other = tmp_path / "other.db"
    assert cli("--db", other, "db", "init").exit_code == 0
    assert cli("--db", other, "db", "info", "-f", "json").json()["path"] == str(other)


def test_check_passes_then_lists_each_problem(cli, commune, isolated_db):
    cli("members", "add", "--name", "Nguyễn Văn Ân", "--gender", "male", "--birth-date", "1968", "--cell", "TL.01",
        "--admission-date", "1995", "--official-date", "1996")
    r = cli("db", "check", "-f", "json")
    assert r.exit_code == 0 and r.json() == {"ok": True, "problems": []}
    conn = dbstate.connect(isolated_db)
    conn.execute("UPDATE members SET official_date = '1990', search_key = 'sai' WHERE id = 1")
    conn.execute("UPDATE cells SET valid_to = '2025-07-01' WHERE code = 'TL.01'")
    conn.commit()
    r = cli("db", "check", "-f", "json")
    assert r.exit_code == 1
    checks = sorted(p["check"] for p in r.json()["problems"])
    assert checks == ["member_in_dissolved_cell", "official_before_admission", "stale_search_key"]
    fixes = {p["check"]: p["fix"] for p in r.json()["problems"]}
    assert fixes["member_in_dissolved_cell"] == "dangvien members transfer 1 --to MÃ_CHI_BỘ"
    assert "dangvien members update 1 --official-date" in fixes["official_before_admission"]
    assert "dangvien members update 1 --full-name" in fixes["stale_search_key"]
    table = cli("db", "check", "--wide")
    assert "Cách sửa" in table.stdout and "members transfer 1" in table.stdout


def test_log_shows_latest_changes(cli, commune):
    cli("members", "add", "--name", "Nguyễn Văn Ân", "--gender", "male", "--birth-date", "1968", "--cell", "TL.01")
    rows = cli("db", "log", "-f", "json").json()
    assert {(r["kind"], r["event"]) for r in rows} >= {("member", "created"), ("cell", "created")}


@sqlite_only("the copy is an SQLite file read with sqlite3; test_postgres_db.py does the same through pg_dump")
def test_backup_is_verified_and_restore_keeps_the_replaced_file(cli, commune, tmp_path, isolated_db):
    cli("members", "add", "--name", "Nguyễn Văn Ân", "--gender", "male", "--birth-date", "1968", "--cell", "TL.01")
    dest = tmp_path / "backup.db"
    r = cli("db", "backup", dest)
    assert r.exit_code == 0, r.stderr
    assert sqlite3.connect(dest).execute("SELECT full_name FROM members").fetchall() == [("Nguyễn Văn Ân",)]
    assert dest.stat().st_mode & 0o077 == 0
    cli("members", "add", "--name", "Lê Văn Bình", "--gender", "male", "--birth-date", "1970", "--cell", "TL.01")
    r = cli("db", "restore", dest)
    assert r.exit_code == 0, r.stderr
    names = [m["full_name"] for m in cli("members", "list", "-f", "json").json()]
    assert names == ["Nguyễn Văn Ân"]
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1
    assert len(sqlite3.connect(kept[0]).execute("SELECT * FROM members").fetchall()) == 2


@sqlite_only("bad SQLite files; test_postgres_db.py refuses bad dumps")
def test_restore_refuses_a_bad_source_and_changes_nothing(cli, commune, tmp_path, isolated_db):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    before = cli("cells", "list", "-f", "json").json()
    r = cli("db", "restore", bad)
    assert r.exit_code == 1
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    r = cli("db", "restore", foreign)
    assert r.exit_code == 1 and "không phải là cơ sở dữ liệu của dangvien" in r.stderr
    assert cli("cells", "list", "-f", "json").json() == before
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


@sqlite_only("SQLite's write lock and backup API; test_postgres_db.py holds a PostgreSQL writer")
def test_backup_while_another_connection_writes(cli, commune, tmp_path, isolated_db):
    writer = sqlite3.connect(isolated_db)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE cells SET note = 'đang ghi' WHERE code = 'TL'")
    r = cli("db", "backup", tmp_path / "b.db")
    writer.commit()
    assert r.exit_code == 0, r.stderr
    # The copy holds the last committed state, not the half-written one.
    assert sqlite3.connect(tmp_path / "b.db").execute("SELECT note FROM cells WHERE code='TL'").fetchone() == (None,)


def test_interrupted_command_exits_130_and_writes_nothing(cli, commune, isolated_db, monkeypatch):
    from dangvien_cli.services import members

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(members, "member_event", interrupted)
    r = cli("members", "add", "--name", "Nguyễn Văn Ân", "--gender", "male", "--birth-date", "1968", "--cell", "TL.01")
    assert r.exit_code == 130
    assert dbstate.connect(isolated_db).execute("SELECT count(*) FROM members").fetchone() == (0,)


def test_unexpected_error_shows_no_traceback_nor_personal_data(cli, commune, monkeypatch):
    from dangvien_cli.services import members

    def broken(*args, **kwargs):
        raise ValueError("Nguyễn Văn Ân 001068000123")

    monkeypatch.setattr(members, "member_event", broken)
    r = cli("members", "add", "--name", "Nguyễn Văn Ân", "--gender", "male", "--birth-date", "1968", "--cell", "TL.01")
    assert r.exit_code == 1
    assert "Traceback" not in r.stderr and "Nguyễn" not in r.stderr and "001068000123" not in r.stderr
    assert "DANGVIEN_DEBUG" in r.stderr


def test_help_does_not_import_sqlalchemy():
    code = ("import sys; sys.argv=['dangvien','--help']\n"
            "from dangvien_cli.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('SQLALCHEMY' if 'sqlalchemy' in sys.modules else 'CLEAN', file=sys.stderr)")
    env = dict(os.environ, COLUMNS="100")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stderr.strip().endswith("CLEAN"), r.stderr
    assert "members" in r.stdout


def test_python_dash_m_and_version(cli):
    r = subprocess.run([sys.executable, "-m", "dangvien_cli", "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("dangvien ")


def test_a_reader_closing_the_pipe_is_not_an_error(cli, commune, monkeypatch):
    from dangvien_cli.cli import output

    def closed(*args, **kwargs):
        raise BrokenPipeError

    monkeypatch.setattr(output, "emit_json", closed)
    r = cli("cells", "list", "-f", "json")
    assert r.exit_code == 0 and "Lỗi" not in r.stderr


@pytest.mark.parametrize(
    ("argv", "groups"),
    [
        (["screening", "run", "--year", "2025"], {"screening"}),
        (["--db", "x.db", "import", "roster", "f.xlsx"], {"import"}),
        (["--db=x.db", "cells", "list"], {"cells"}),
        (["--help"], None),  # root help lists every group
        (["--version"], None),
        (["screenin", "run"], None),  # a typo gets "did you mean" from the full list
        ([], None),
    ],
)
def test_a_command_line_builds_only_the_group_it_names(argv, groups):
    from dangvien_cli.cli.app import wanted_groups

    assert wanted_groups(argv) == groups


def test_the_installed_command_loads_only_the_group_it_runs(tmp_path):
    code = ("import sys; sys.argv=['dangvien','--db',sys.argv[1],'screening','list']\n"
            "from dangvien_cli.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('dangvien_cli.cli.') and m.count('.') == 2), "
            "file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "t.db")], capture_output=True, text=True)
    loaded = r.stderr.strip().splitlines()[-1]
    assert "dangvien_cli.cli.screening" in loaded
    assert "dangvien_cli.cli.members" not in loaded and "dangvien_cli.cli.imports" not in loaded
