"""Offline committees (issue 11): `db export --cell` a commune, work on the file with `--db FILE`, `db merge` it
back. The province shows exactly the offline changes, once; a second merge changes nothing; conflicts are listed
with exit 3 and nothing written; a dry run writes nothing; a bad file is named."""

from __future__ import annotations

import sqlite3

import pytest

import dbstate
from dbstate import database_at_version


@pytest.fixture
def province(cli, isolated_db):
    """A province with two communes: Tân Lập (two cells, two members) and Yên Phong (one cell, one member)."""
    for args in (("Tỉnh ủy Bắc Ninh", "--code", "BN", "--kind", "province_committee"),
                 ("Đảng ủy xã Tân Lập", "--code", "TL", "--kind", "commune_committee", "--parent", "BN"),
                 ("Chi bộ thôn 1", "--code", "TL.01", "--kind", "cell", "--parent", "TL"),
                 ("Chi bộ thôn 2", "--code", "TL.02", "--kind", "cell", "--parent", "TL"),
                 ("Đảng ủy xã Yên Phong", "--code", "YP", "--kind", "commune_committee", "--parent", "BN"),
                 ("Chi bộ thôn A", "--code", "YP.01", "--kind", "cell", "--parent", "YP")):
        assert cli("cells", "add", *args).exit_code == 0
    for args in (("Nguyễn Văn An", "male", "01/02/1980", "TL.01", "--national-id", "001080000001"),
                 ("Trần Thị Bình", "female", "03/04/1985", "TL.02", "--card-number", "12345678"),
                 ("Lê Văn Cường", "male", "05/06/1975", "YP.01", "--card-number", "87654321")):
        name, gender, birth, cell, *ids = args
        assert cli("members", "add", "--name", name, "--gender", gender, "--birth-date", birth, "--cell", cell,
                   "--admission-date", "01/01/2010", "--official-date", "01/01/2011", *ids).exit_code == 0
    return isolated_db


def _export(cli, path, cell="TL"):
    run = cli("db", "export", "--cell", cell, path, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return run.json()


def _merge(cli, path, *extra):
    return cli("db", "merge", path, "--format", "json", *extra)


def _rows(db, sql, params=()):
    conn = dbstate.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _offline_work(cli, file):
    """What the commune's clerk does on the laptop: a new member, a rating, a transfer between two cells."""
    assert cli("--db", file, "members", "add", "--name", "Phạm Thị Dung", "--gender", "female", "--birth-date",
               "07/08/1990", "--cell", "TL.02", "--admission-date", "01/03/2024").exit_code == 0
    assert cli("--db", file, "ratings", "set", "1", "--year", "2025", "--level", "HTTNV").exit_code == 0
    assert cli("--db", file, "members", "transfer", "2", "--to", "TL.01", "--date", "01/03/2026").exit_code == 0


def test_export_holds_the_commune_and_nothing_of_the_other(cli, province, tmp_path):
    file = tmp_path / "tan-lap.db"
    result = _export(cli, file)
    assert result["cell_code"] == "TL" and result["members"] == 2
    members = cli("--db", file, "members", "list", "--format", "json").json()
    assert sorted(m["full_name"] for m in members) == ["Nguyễn Văn An", "Trần Thị Bình"]
    codes = {c["code"] for c in cli("--db", file, "cells", "list", "--format", "json").json()}
    assert codes == {"BN", "TL", "TL.01", "TL.02"}  # the commune, its cells, and the province above it
    assert _rows(file, "SELECT count(*) FROM member_events")[0][0] == 2
    assert _rows(file, "SELECT role, cell_code FROM replicas ORDER BY role") == [("self", None), ("source", "TL")]
    assert cli("--db", file, "db", "check").exit_code == 0
    # the export is in the province's log: who took which records away
    assert any("db export" in (r["command_line"] or "") for r in cli("db", "log", "--format", "json").json())


def test_export_never_overwrites_and_an_interrupt_leaves_nothing(cli, province, tmp_path, monkeypatch):
    usb = tmp_path / "usb"
    usb.mkdir()
    taken = usb / "taken.db"
    taken.write_bytes(b"the clerk's other file")
    run = cli("db", "export", "--cell", "TL", taken)
    assert run.exit_code == 1 and "không ghi đè" in run.stderr and "taken.db" in run.stderr
    assert taken.read_bytes() == b"the clerk's other file"

    from dangvien_cli.store import merge as store

    def stop(_conn):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "settle_file", stop)  # every row written, the file not yet in place
    run = cli("db", "export", "--cell", "TL", usb / "half.db")
    assert run.exit_code == 130 and "Không có gì được ghi" in run.stderr
    assert sorted(p.name for p in usb.iterdir()) == ["taken.db"]


def test_round_trip_shows_the_offline_changes_once(cli, province, tmp_path, snapshot):
    file = tmp_path / "tan-lap.db"
    _export(cli, file)
    _offline_work(cli, file)
    before = snapshot(province)

    run = _merge(cli, file)
    assert run.exit_code == 0, run.stderr
    report = run.json()
    assert (report["created"], report["updated"], report["history_rows_added"]) == (1, 1, 3)
    assert report["conflicts"] == [] and report["from_here"] is True
    # a verified copy of the province as it was (a file's: a server database is backed up by its administrator)
    assert report["safety_copy"] or dbstate.ON_POSTGRESQL

    people = _rows(province, "SELECT m.full_name, c.code FROM members m JOIN cells c ON c.id = m.cell_id "
                             "ORDER BY m.id")
    assert people == [("Nguyễn Văn An", "TL.01"), ("Trần Thị Bình", "TL.01"), ("Lê Văn Cường", "YP.01"),
                      ("Phạm Thị Dung", "TL.02")]
    assert _rows(province, "SELECT member_id, year, level FROM member_ratings") == [(1, 2025, "HTTNV")]
    assert _rows(province, "SELECT member_id, kind, from_cell_id, to_cell_id FROM transfers") == [
        (2, "internal", 4, 3)]
    after = snapshot(province)
    added = {t: len(set(after[t]) - set(before[t])) for t in after}
    assert {t: n for t, n in added.items() if n} == {
        "members": 2,  # the new member, and Bình's row (moved)
        "member_events": 3, "member_ratings": 1, "transfers": 1,
        "commands": 4,  # the three commands typed offline, and this merge
        "merge_base": 4,  # the rows the file changed, as merged: the base of the next merge of this file
    }
    assert {t for t in after if set(before[t]) - set(after[t])} == {"members"}  # only Bình's old row is gone
    assert after["replicas"] == before["replicas"]
    assert cli("db", "check").exit_code == 0
    log = cli("db", "log", "--format", "json").json()
    assert any("members transfer" in (r["command_line"] or "") for r in log)  # the offline command, audited

    once = snapshot(province)
    again = _merge(cli, file)
    assert again.exit_code == 0
    report = again.json()
    assert (report["created"], report["updated"], report["history_rows_added"]) == (0, 0, 0)
    assert all(c["created"] == 0 and c["updated"] == 0 for c in report["tables"].values())
    assert snapshot(province) == once


def test_change_on_both_sides_is_listed_and_nothing_written(cli, province, tmp_path, snapshot):
    file = tmp_path / "tan-lap.db"
    _export(cli, file)
    assert cli("--db", file, "members", "update", "1", "--hometown", "Xã Tân Lập").exit_code == 0
    assert cli("--db", file, "members", "add", "--name", "Phạm Thị Dung", "--gender", "female", "--birth-date",
               "07/08/1990", "--cell", "TL.02").exit_code == 0
    assert cli("members", "update", "1", "--hometown", "Phường Kinh Bắc").exit_code == 0
    assert cli("members", "update", "2", "--residence", "Thôn 2").exit_code == 0  # here only: no conflict
    before = snapshot(province)

    for extra in ((), ("--dry-run",)):
        run = _merge(cli, file, *extra)
        assert run.exit_code == 3, run.stderr
        conflicts = run.json()["conflicts"]
        assert [(c["kind"], c["member_id"], c["field"], c["file_value"], c["here_value"]) for c in conflicts] == [
            ("changed_both", 1, "hometown", "Xã Tân Lập", "Phường Kinh Bắc")]
        assert "Quê quán" in conflicts[0]["detail"]
        assert "tan-lap.db" in run.stderr and "không gộp gì" in run.stderr
        assert snapshot(province) == before

    # the clerk settles it here, and the merge goes through; the change made here only is kept
    assert cli("members", "update", "1", "--hometown", "Xã Tân Lập").exit_code == 0
    run = _merge(cli, file)
    assert run.exit_code == 0, run.stderr
    assert _rows(province, "SELECT hometown, residence FROM members WHERE id IN (1, 2) ORDER BY id") == [
        ("Xã Tân Lập", None), (None, "Thôn 2")]


def test_the_clerk_goes_on_with_the_same_file_and_merges_again(cli, province, tmp_path):
    """After a merge the file stays in use: later offline changes of rows merged before (even rows born in the
    file) are taken without conflict; a change made on both sides since the last merge is a conflict."""
    file = tmp_path / "tan-lap.db"
    _export(cli, file)
    _offline_work(cli, file)
    assert _merge(cli, file).exit_code == 0
    new_here = _rows(province, "SELECT id FROM members WHERE full_name = 'Phạm Thị Dung'")[0][0]
    assert cli("--db", file, "members", "update", "3", "--hometown", "Xã Tân Lập").exit_code == 0
    assert cli("--db", file, "members", "transfer", "2", "--to", "TL.02", "--date", "01/06/2026").exit_code == 0
    assert cli("--db", file, "ratings", "set", "1", "--year", "2025", "--level", "HTXSNV").exit_code == 0
    run = _merge(cli, file)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert (run.json()["updated"], run.json()["history_rows_added"]) == (2, 3)
    assert _rows(province, "SELECT hometown FROM members WHERE id = ?", (new_here,)) == [("Xã Tân Lập",)]
    assert _rows(province, "SELECT c.code FROM members m JOIN cells c ON c.id = m.cell_id WHERE m.id = 2") == [
        ("TL.02",)]
    assert _rows(province, "SELECT level FROM member_ratings WHERE member_id = 1 AND year = 2025") == [("HTXSNV",)]

    assert cli("--db", file, "members", "update", "3", "--residence", "Thôn 2").exit_code == 0
    assert cli("members", "update", str(new_here), "--residence", "Thôn 1").exit_code == 0
    run = _merge(cli, file)
    assert run.exit_code == 3
    assert [(c["kind"], c["member_id"], c["field"]) for c in run.json()["conflicts"]] == [
        ("changed_both", new_here, "residence")]


def test_admissions_screening_and_dossiers_travel_and_come_back_once(cli, province, tmp_path, snapshot):
    """The rest of a committee's records: a candidate followed here goes out with its steps; offline a step is
    recorded, a new candidate added, a screening run made and a dossier document marked; all of it comes back
    once, attached to the right people."""
    run = cli("admissions", "add", "--name", "Đỗ Văn Hải", "--gender", "male", "--birth-date", "01/01/2000",
              "--cell", "TL.01")
    assert run.exit_code == 0
    candidate = int(run.stdout.strip().split()[-1])
    assert cli("admissions", "record", candidate, "--step", "course", "--date", "01/03/2025").exit_code == 0
    file = tmp_path / "tan-lap.db"
    _export(cli, file)
    assert _rows(file, "SELECT c.id, s.step FROM candidate_steps s JOIN candidates c ON c.id = s.candidate_id") == [
        (candidate, "course")]
    assert cli("--db", file, "admissions", "record", candidate, "--step", "application", "--date",
               "01/06/2025").exit_code == 0
    assert cli("--db", file, "admissions", "add", "--name", "Vũ Thị Lan", "--gender", "female", "--birth-date",
               "02/02/2001", "--cell", "TL.02").exit_code == 0
    assert cli("--db", file, "screening", "run", "--year", "2026").exit_code == 0
    assert cli("--db", file, "dossier", "mark", "2", "5", "--paper").exit_code == 0
    offline_findings = _rows(file, "SELECT count(*) FROM screening_findings")[0][0]

    assert _merge(cli, file).exit_code == 0
    assert _rows(province, "SELECT c.full_name, s.step FROM candidate_steps s JOIN candidates c "
                           "ON c.id = s.candidate_id ORDER BY c.id, s.date") == [
        ("Đỗ Văn Hải", "course"), ("Đỗ Văn Hải", "application")]
    assert _rows(province, "SELECT full_name, cell_id FROM candidates ORDER BY id") == [
        ("Đỗ Văn Hải", 3), ("Vũ Thị Lan", 4)]
    assert _rows(province, "SELECT count(*) FROM screening_runs") == [(1,)]
    assert _rows(province, "SELECT count(*) FROM screening_findings") == [(offline_findings,)]
    assert _rows(province, "SELECT member_id, doc_no, state FROM dossier_documents") == [(2, 5, "paper")]
    once = snapshot(province)
    again = _merge(cli, file).json()
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again["tables"].values())
    assert snapshot(province) == once


def test_a_dry_run_writes_nothing_and_tells_what_the_merge_does(cli, province, tmp_path, snapshot):
    file = tmp_path / "tan-lap.db"
    _export(cli, file)
    _offline_work(cli, file)
    before = snapshot(province)
    file_before = snapshot(file)
    run = _merge(cli, file, "--dry-run")
    assert run.exit_code == 0, run.stderr
    planned = run.json()
    assert planned["dry_run"] is True and "safety_copy" not in planned
    assert snapshot(province) == before and snapshot(file) == file_before
    assert not (tmp_path / "test.db.sao-luu").exists()
    done = _merge(cli, file).json()
    assert {k: planned[k] for k in ("created", "updated", "unchanged", "history_rows_added", "tables")} == {
        k: done[k] for k in ("created", "updated", "unchanged", "history_rows_added", "tables")}


def test_two_candidates_for_one_person_are_not_guessed(cli, province, tmp_path, snapshot):
    for extra in ((), ("--allow-duplicate",)):  # two people of the same name and birth date in the province
        assert cli("members", "add", "--name", "Nguyễn Văn Em", "--gender", "male", "--birth-date", "01/01/1990",
                   "--cell", "YP.01", *extra).exit_code == 0
    file = tmp_path / "tan-lap.db"
    _export(cli, file)
    assert cli("--db", file, "members", "add", "--name", "Nguyễn Văn Em", "--gender", "male", "--birth-date",
               "01/01/1990", "--cell", "TL.01").exit_code == 0
    before = snapshot(province)
    run = _merge(cli, file)
    assert run.exit_code == 3
    [conflict] = run.json()["conflicts"]
    assert conflict["kind"] == "two_candidates" and conflict["member_id"] is None
    assert "mã số 4, 5" in conflict["detail"] and "không đoán" in conflict["detail"]
    assert snapshot(province) == before


def test_a_file_of_another_database_names_an_organization_unknown_here(cli, province, tmp_path, snapshot):
    """A commune's own database (never exported from here) merged into the province: people matched by the rule,
    an organization code the province does not have is a conflict until it is created here, and with no common
    base any difference about a person is a conflict. The file's top organization has nothing above it: that
    is what the file does not hold, not a move."""
    other = tmp_path / "other.db"
    assert cli("--db", other, "db", "init").exit_code == 0
    for args in (("Đảng ủy xã Tân Lập", "--code", "TL", "--kind", "commune_committee"),
                 ("Chi bộ thôn 1", "--code", "TL.01", "--kind", "cell", "--parent", "TL"),
                 ("Chi bộ thôn 3", "--code", "TL.03", "--kind", "cell", "--parent", "TL")):
        assert cli("--db", other, "cells", "add", *args).exit_code == 0
    assert cli("--db", other, "members", "add", "--name", "Nguyễn Văn An", "--gender", "male", "--birth-date",
               "01/02/1980", "--cell", "TL.01", "--national-id", "001080000001", "--admission-date", "01/01/2010",
               "--official-date", "01/01/2011").exit_code == 0
    assert cli("--db", other, "members", "update", "1", "--hometown", "Bắc Ninh").exit_code == 0
    assert cli("--db", other, "members", "add", "--name", "Hoàng Văn Giang", "--gender", "male", "--birth-date",
               "02/02/1992", "--cell", "TL.03").exit_code == 0
    before = snapshot(province)
    run = _merge(cli, other)
    assert run.exit_code == 3
    conflicts = {c["kind"]: c for c in run.json()["conflicts"]}
    assert sorted(conflicts) == ["different_values", "unknown_organization"]
    assert "TL.03" in conflicts["unknown_organization"]["detail"]
    assert "--parent TL" in conflicts["unknown_organization"]["detail"]  # the command that settles it
    differs = conflicts["different_values"]
    assert (differs["member_id"], differs["field"], differs["file_value"], differs["here_value"]) == (
        1, "hometown", "Bắc Ninh", None)
    assert "Quê quán" in differs["detail"] and "không xuất từ cơ sở dữ liệu này" in differs["detail"]
    assert snapshot(province) == before

    assert cli("cells", "add", "Chi bộ thôn 3", "--code", "TL.03", "--kind", "cell", "--parent", "TL").exit_code == 0
    assert cli("members", "update", "1", "--hometown", "Bắc Ninh").exit_code == 0
    run = _merge(cli, other)
    assert run.exit_code == 0, run.stdout + run.stderr
    report = run.json()
    assert (report["created"], report["unchanged"], report["from_here"]) == (1, 1, False)
    assert _rows(province, "SELECT count(*) FROM members WHERE national_id = '001080000001'") == [(1,)]
    assert _rows(province, "SELECT c.code FROM members m JOIN cells c ON c.id = m.cell_id "
                           "WHERE m.full_name = 'Hoàng Văn Giang'") == [("TL.03",)]
    assert _rows(province, "SELECT p.code FROM cells c JOIN cells p ON p.id = c.parent_id WHERE c.code = 'TL'") == [
        ("BN",)]
    again = _merge(cli, other).json()
    assert (again["created"], again["updated"], again["history_rows_added"]) == (0, 0, 0)


@pytest.mark.parametrize("kind", ["text", "foreign_sqlite", "old_schema", "missing"])
def test_a_bad_file_is_named_and_nothing_written(cli, province, tmp_path, snapshot, kind):
    bad = tmp_path / "hong.db"
    if kind == "text":
        bad.write_text("Họ và tên;Ngày sinh\n", encoding="utf-8")
    elif kind == "foreign_sqlite":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE khac (x)")
        conn.close()
    elif kind == "old_schema":
        database_at_version(bad, 7).close()
    before = snapshot(province)
    run = _merge(cli, bad)
    assert run.exit_code == 3
    assert "hong.db" in run.stderr and run.stdout == ""
    expected = {"text": "không phải là cơ sở dữ liệu SQLite", "foreign_sqlite": "không phải của dangvien",
                "old_schema": "phiên bản 7", "missing": "Không có tệp"}[kind]
    assert expected in run.stderr
    assert snapshot(province) == before


def test_a_committee_file_merges_into_a_postgresql_database(cli, province, tmp_path, pg_database):
    """The target of a merge may be the province's PostgreSQL database (the file is always SQLite): the same
    statements, the same report, and a second merge that adds nothing."""
    from dangvien_cli.services import merge as svc
    from dangvien_cli.store import postgres

    file = tmp_path / "tan-lap.db"
    _export(cli, file)
    _offline_work(cli, file)
    pg = postgres.connect(pg_database)
    try:
        with pg.transaction(write=True):
            dbstate.postgres_schema(pg, (("BN", "Tỉnh ủy Bắc Ninh", "province_committee", None),
                                         ("TL", "Đảng ủy xã Tân Lập", "commune_committee", "BN"),
                                         ("TL.01", "Chi bộ thôn 1", "cell", "TL"),
                                         ("TL.02", "Chi bộ thôn 2", "cell", "TL")))
        with pg.transaction(write=True):
            planned = svc.merge(pg, file, dry_run=True)
        assert pg.value("SELECT count(*) FROM members") == 0
        with pg.transaction(write=True):
            report = svc.merge(pg, file)
        assert (report["created"], report["history_rows_added"]) == (planned["created"], planned["history_rows_added"])
        assert report["created"] == 3 and not report["from_here"]  # a file from another database: all new here
        with pg.transaction(write=False):
            assert pg.rows("SELECT m.full_name, c.code FROM members m JOIN cells c ON c.id = m.cell_id "
                           "ORDER BY m.full_name") == [("Nguyễn Văn An", "TL.01"), ("Phạm Thị Dung", "TL.02"),
                                                       ("Trần Thị Bình", "TL.01")]
            assert pg.value("SELECT count(*) FROM member_ratings") == 1
        with pg.transaction(write=True):
            again = svc.merge(pg, file)
        assert (again["created"], again["updated"], again["history_rows_added"]) == (0, 0, 0)
    finally:
        pg.close()


def test_dues_categories_and_reductions_travel_and_come_back_once(cli, province, tmp_path):
    """Issue 14: a category recorded here goes out with the commune; offline the clerk records a new one (closing
    it) and a reduction; the merge brings both back, the closing too, and a second merge writes nothing."""
    assert cli("dues", "category", "1", "--category", "insured", "--base", "6000000", "--from", "01/01/2025").exit_code == 0
    file = tmp_path / "tan-lap.db"
    _export(cli, file)
    assert _rows(file, "SELECT member_id, category, base FROM dues_categories") == [(1, "insured", 6000000)]
    assert cli("--db", file, "dues", "category", "1", "--category", "pension", "--base", "4000000",
               "--from", "01/03/2026").exit_code == 0
    assert cli("--db", file, "dues", "reduce", "2", "--percent", "30", "--from", "01/04/2026",
               "--to", "31/12/2026").exit_code == 0
    first = _merge(cli, file)
    assert first.exit_code == 0, first.stderr
    assert first.json()["conflicts"] == []
    assert _rows(province, "SELECT member_id, category, base, valid_from, valid_to FROM dues_categories "
                           "ORDER BY valid_from") == [(1, "insured", 6000000, "2025-01-01", "2026-02-28"),
                                                      (1, "pension", 4000000, "2026-03-01", None)]
    assert _rows(province, "SELECT member_id, percent, valid_from, valid_to FROM dues_reductions") == \
        [(2, 30, "2026-04-01", "2026-12-31")]
    again = _merge(cli, file).json()
    assert (again["created"], again["updated"]) == (0, 0)
