"""The database commands on a PostgreSQL server (issue 11): choosing the engine by address, `db init` on an
empty database, `db info`, `db backup` / `db restore` through pg_dump, and no safety copy of a server database.
Run in both passes of the suite, on a fresh database of the throwaway cluster (skipped when it is absent)."""

from __future__ import annotations

from urllib.parse import quote

import psycopg
import pytest

from dangvien_cli.store import migrations


def _url(conninfo: str) -> str:
    """The same database as a postgresql:// URL (the socket folder as host, percent-encoded)."""
    parts = dict(item.split("=", 1) for item in conninfo.split())
    return f"postgresql://{parts['user']}@{quote(parts['host'], safe='')}/{parts['dbname']}"


@pytest.fixture
def server(cli, pg_database):
    """An initialised server database with a commune and one member: its conninfo."""
    assert cli("--db", pg_database, "db", "init").exit_code == 0
    for args in (("cells", "add", "Đảng bộ xã Tân Lập", "--code", "TL", "--kind", "commune_committee"),
                 ("cells", "add", "Chi bộ thôn Đông", "--code", "TL.01", "--kind", "cell", "--parent", "TL"),
                 ("members", "add", "--name", "Nguyễn Văn Ân", "--gender", "male", "--birth-date", "1968",
                  "--cell", "TL.01")):
        r = cli("--db", pg_database, *args)
        assert r.exit_code == 0, r.stderr
    return pg_database


def names(cli, db) -> list[str]:
    return [m["full_name"] for m in cli("--db", db, "members", "list", "-f", "json").json()]


def test_an_empty_server_database_is_refused_until_db_init(cli, pg_database):
    r = cli("--db", pg_database, "members", "list")
    assert r.exit_code == 1 and "chưa được khởi tạo" in r.stderr and "db init" in r.stderr
    with psycopg.connect(pg_database) as conn:  # the refusal created nothing
        assert conn.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_schema = 'public'").fetchone() == (0,)
    r = cli("--db", pg_database, "db", "init")
    assert r.exit_code == 0 and "sẵn sàng" in r.stderr
    with psycopg.connect(pg_database) as conn:
        assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone() == (migrations.LATEST,)


def test_a_foreign_server_database_is_refused(cli, pg_database):
    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("CREATE TABLE payroll (id integer)")
    r = cli("--db", pg_database, "db", "init")
    assert r.exit_code == 1 and "không phải của dangvien" in r.stderr


def test_url_and_environment_select_the_server(cli, server, monkeypatch):
    assert names(cli, _url(server)) == ["Nguyễn Văn Ân"]
    monkeypatch.setenv("DANGVIEN_DB", server)
    assert [m["full_name"] for m in cli("members", "list", "-f", "json").json()] == ["Nguyễn Văn Ân"]


def test_info_says_engine_and_server_version_and_hides_the_password(cli, server):
    with psycopg.connect(server) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    data = cli("--db", server, "db", "info", "-f", "json").json()
    assert data["engine"] == "postgresql" and data["server_version"] == version
    assert data["schema_version"] == migrations.LATEST and data["counts"]["members"] == 1
    assert data["size_bytes"] > 0 and data["journal_mode"] is None
    table = cli("--db", server + " password=bí-mật", "db", "info")
    assert "PostgreSQL" in table.stdout and "bí-mật" not in table.stdout + table.stderr


def test_backup_and_restore_through_pg_dump(cli, server, tmp_path):
    dest = tmp_path / "tinh.dump"
    r = cli("--db", server, "db", "backup", dest)
    assert r.exit_code == 0, r.stderr
    assert dest.read_bytes()[:5] == b"PGDMP" and dest.stat().st_mode & 0o077 == 0
    assert cli("--db", server, "members", "add", "--name", "Lê Văn Bình", "--gender", "male", "--birth-date",
               "1970", "--cell", "TL.01").exit_code == 0
    r = cli("--db", server, "db", "restore", dest)
    assert r.exit_code == 0, r.stderr
    assert names(cli, server) == ["Nguyễn Văn Ân"]
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1
    restored_twice = cli("--db", server, "db", "restore", kept[0])  # the kept copy holds what was replaced
    assert restored_twice.exit_code == 0, restored_twice.stderr
    assert names(cli, server) == ["Nguyễn Văn Ân", "Lê Văn Bình"]  # by given name: Ân, Bình
    log = cli("--db", server, "db", "log", "-f", "json").json()
    assert log[0]["command_line"] == f"dangvien db restore {kept[0]}"


def test_restore_refuses_what_is_not_a_dump_of_dangvien_and_changes_nothing(cli, server, tmp_path, pg_cluster):
    lite = tmp_path / "xa.db"
    assert cli("--db", lite, "db", "init").exit_code == 0
    r = cli("--db", server, "db", "restore", lite)
    assert r.exit_code == 1 and "không phải là bản sao lưu PostgreSQL" in r.stderr and "SQLite" in r.stderr
    foreign = tmp_path / "khac.dump"
    from dangvien_cli.store import postgres

    postgres.dump(pg_cluster.conninfo(), foreign)  # the cluster's own database: no dangvien tables
    r = cli("--db", server, "db", "restore", foreign)
    assert r.exit_code == 1 and "không phải là cơ sở dữ liệu của dangvien" in r.stderr
    text = tmp_path / "ghi-chu.dump"
    text.write_text("không phải bản sao lưu", encoding="utf-8")
    assert cli("--db", server, "db", "restore", text).exit_code == 1
    assert names(cli, server) == ["Nguyễn Văn Ân"]
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


def test_backup_while_another_connection_writes_holds_the_last_commit(cli, server, tmp_path):
    writer = psycopg.connect(server)
    try:
        writer.execute("UPDATE cells SET note = 'đang ghi' WHERE code = 'TL'")
        r = cli("--db", server, "db", "backup", tmp_path / "b.dump")
        assert r.exit_code == 0, r.stderr
    finally:
        writer.rollback()
        writer.close()
    from dangvien_cli.store import postgres

    script = postgres._run([postgres.client_program("pg_restore"), "--data-only", "--table=cells", "--file=-",
                            str(tmp_path / "b.dump")], what="đọc")
    assert "đang ghi" not in script and "Tân Lập" in script


def test_a_dissolution_on_a_server_makes_no_file_copy(cli, server, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert cli("--db", server, "cells", "add", "Chi bộ thôn Tây", "--code", "TL.02", "--kind", "cell",
               "--parent", "TL").exit_code == 0
    r = cli("--db", server, "cells", "dissolve", "TL.01", "--date", "01/07/2025", "--move-members-to", "TL.02")
    assert r.exit_code == 0, r.stderr
    assert "Bản sao" not in r.stderr and list(here.iterdir()) == [], r.stderr
    assert cli("--db", server, "members", "list", "-f", "json").json()[0]["cell_code"] == "TL.02"


def test_a_database_missing_on_the_server_says_so_and_what_to_do(cli, pg_cluster):
    r = cli("--db", pg_cluster.conninfo("khong_co"), "db", "init")
    assert r.exit_code == 1 and "chưa có cơ sở dữ liệu khong_co" in r.stderr and "createdb khong_co" in r.stderr


def test_without_pg_dump_a_backup_says_what_to_install(cli, server, tmp_path, monkeypatch):
    import glob
    import shutil

    monkeypatch.setattr(glob, "glob", lambda pattern: [])
    monkeypatch.setattr(shutil, "which", lambda name: None)
    r = cli("--db", server, "db", "backup", tmp_path / "b.dump")
    assert r.exit_code == 1 and "Không tìm thấy chương trình pg_dump" in r.stderr and "postgresql-client" in r.stderr
    assert list(tmp_path.glob("b.dump*")) == []


def test_check_on_a_server_reads_the_catalogue_and_the_domain_rules(cli, server):
    assert cli("--db", server, "db", "check", "-f", "json").json() == {"ok": True, "problems": []}
    with psycopg.connect(server, autocommit=True) as conn:  # as a failed CREATE INDEX CONCURRENTLY leaves it
        conn.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'ix_members_sort_key'::regclass")
        conn.execute("UPDATE members SET sort_key = 'cũ'")  # a key that no longer matches the name
    r = cli("--db", server, "db", "check", "-f", "json")
    assert r.exit_code == 1
    found = {(p["check"], p["where"]) for p in r.json()["problems"]}
    assert ("integrity", None) in found and ("stale_search_key", "member#1") in found
    assert any("ix_members_sort_key" in p["message"] for p in r.json()["problems"])
