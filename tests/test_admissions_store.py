"""Admissions behind the store boundary: the busy seam, `admissions withdraw`, one transaction per command
(the ceremony's member record included), the schema migration, and the service on a temporary database."""

from __future__ import annotations

import pytest

import dbstate
from dangvien_cli.rules import admission as rules
from dangvien_cli.services import admissions as svc
from dangvien_cli.store import migrations
from dangvien_cli.store.database import Database

AN, BINH = "08012345", "08012346"


@pytest.fixture
def party(cli, commune, monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-06-30")
    for name, birth, card, admission, official in (
        ("Nguyễn Văn An", "12/05/1968", AN, "19/05/1995", "19/05/1996"),
        ("Trần Thị Bình", "02/03/1975", BINH, "03/02/2000", "03/02/2001"),
    ):
        assert cli("members", "add", "--name", name, "--gender", "male", "--birth-date", birth, "--cell", "TL.01",
                   "--card-number", card, "--admission-date", admission, "--official-date", official).exit_code == 0
    return commune


def add(cli, *extra, name="Lê Thị Hoa") -> str:
    run = cli("admissions", "add", "--name", name, "--gender", "female", "--birth-date", "14/08/1998",
              "--cell", "TL.01", *extra)
    assert run.exit_code == 0, run.stderr
    return run.stdout.strip()


def ok(cli, cid, step, date, *extra):
    run = cli("admissions", "record", cid, "--step", step, "--date", date, *extra)
    assert run.exit_code == 0, run.stderr
    return run


def up_to_decision(cli, cid, decision="03/03/2025"):
    ok(cli, cid, "course", "02/01/2025")
    ok(cli, cid, "application", "03/01/2025")
    ok(cli, cid, "introduced", "06/01/2025", "--introducer", AN, "--introducer", BINH, "--together-since", "01/01/2015")
    ok(cli, cid, "biography_verified", "08/01/2025")
    ok(cli, cid, "cell_resolution", "10/02/2025")
    ok(cli, cid, "committee_resolution", "20/02/2025")
    return ok(cli, cid, "decision", decision)


# --- the busy seam (STORE.md): writers wait a bounded time and say so; readers are never blocked
@pytest.fixture
def locked(isolated_db, monkeypatch):
    """Another process holds the write lock (BEGIN IMMEDIATE on its own connection)."""
    return lambda: dbstate.hold_write_lock(isolated_db, monkeypatch)


@pytest.mark.parametrize("command", [
    ("admissions", "add", "--name", "Mai Văn Khoa", "--gender", "male", "--birth-date", "01/01/1995",
     "--cell", "TL.01"),
    ("admissions", "record", "1", "--step", "course", "--date", "02/01/2025"),
    ("admissions", "withdraw", "1", "--date", "05/01/2025", "--reason", "chuyển đi nơi khác"),
    ("admissions", "recognize", AN, "--date", "01/01/2026"),
    ("admissions", "reject", AN, "--date", "01/01/2026", "--ref", "1-QĐ"),
])
def test_a_writer_finds_the_database_busy(cli, party, isolated_db, snapshot, locked, command):
    add(cli)
    before = snapshot(isolated_db)
    other = locked()
    try:
        run = cli(*command)
    finally:
        other.rollback()
        other.close()
    assert run.exit_code == 1, run.stderr
    assert "đang bận" in run.stderr and "Lỗi không mong đợi" not in run.stderr
    assert snapshot(isolated_db) == before


def test_readers_go_on_while_the_lock_is_held(cli, party, isolated_db, locked):
    cid = add(cli)
    ok(cli, cid, "course", "02/01/2025")
    other = locked()
    try:
        listed = cli("admissions", "list", "--format", "json")
        shown = cli("admissions", "show", cid, "--format", "json")
        due = cli("admissions", "due", "--as-of", "2030-06-01", "--format", "json")
    finally:
        other.rollback()
        other.close()
    assert listed.exit_code == 0 and [r["id"] for r in listed.json()] == [int(cid)]
    assert shown.exit_code == 0 and shown.json()["last_step"] == "course"
    assert due.exit_code == 0 and [r["what"] for r in due.json()] == ["certificate_expiry"]
    assert "đang bận" not in listed.stderr + shown.stderr + due.stderr


# --- admissions withdraw (issue 13, contract.md "Added for the statistics…")
def test_withdraw_closes_the_file_and_keeps_it(cli, party, isolated_db):
    cid = add(cli)
    ok(cli, cid, "course", "02/01/2025")
    assert [r["candidate_id"] for r in cli("admissions", "due", "--as-of", "2030-06-01", "-f", "json").json()] == [
        int(cid)]
    run = cli("admissions", "withdraw", cid, "--date", "15/03/2025", "--reason", "chuyển đi nơi khác", "-f", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == {"candidate_id": int(cid), "status": "withdrawn", "date": "2025-03-15",
                          "reason": "chuyển đi nơi khác", "source": "admissions withdraw"}
    row = dbstate.connect(isolated_db).execute(
        "SELECT status, withdrawn_date, withdrawn_reason FROM candidates WHERE id = ?", (cid,)).fetchone()
    assert row == ("withdrawn", "2025-03-15", "chuyển đi nơi khác")
    # still in the record: list (all and by status) and show; gone from the due list
    assert [r["status"] for r in cli("admissions", "list", "-f", "json").json()] == ["withdrawn"]
    assert [r["id"] for r in cli("admissions", "list", "--status", "withdrawn", "-f", "json").json()] == [int(cid)]
    shown = cli("admissions", "show", cid, "-f", "json").json()
    assert (shown["status"], shown["withdrawn_date"], shown["withdrawn_reason"], shown["next_step"]) == (
        "withdrawn", "2025-03-15", "chuyển đi nơi khác", None)
    assert [s["step"] for s in shown["steps"]] == ["course"]
    table = cli("admissions", "show", cid)
    assert "Thôi theo dõi" in table.stdout and "15/03/2025" in table.stdout and "chuyển đi nơi khác" in table.stdout
    assert cli("admissions", "due", "--as-of", "2030-06-01", "-f", "json").json() == []


def test_withdraw_prints_a_vietnamese_line(cli, party):
    cid = add(cli)
    run = cli("admissions", "withdraw", cid, "--date", "15/03/2025", "--reason", "không muốn vào Đảng")
    assert run.exit_code == 0, run.stderr
    assert f"Đã thôi theo dõi hồ sơ mã số {cid} từ ngày 15/03/2025" in run.stdout + run.stderr


def refused(cli, db, snapshot, *args, text: str, fix: str) -> str:
    before = snapshot(db)
    run = cli(*args)
    assert run.exit_code == 1, run.stderr
    assert text in run.stderr, run.stderr
    assert fix in run.stderr.split("→", 1)[-1], run.stderr
    assert "domain.md" not in run.stderr and "Traceback" not in run.stderr
    assert snapshot(db) == before
    return run.stderr


def test_withdraw_refused_for_a_member_with_what_to_do_instead(cli, party, isolated_db, snapshot):
    cid = add(cli)
    up_to_decision(cli, cid)
    ok(cli, cid, "ceremony", "19/03/2025")
    member_id = cli("admissions", "show", cid, "-f", "json").json()["member_id"]
    stderr = refused(cli, isolated_db, snapshot, "admissions", "withdraw", cid, "--date", "01/04/2025", "--reason",
                     "chuyển đi", text="đã được kết nạp", fix=f"dangvien members leave {member_id}")
    assert f"dangvien admissions reject {member_id}" in stderr


def test_withdraw_refused_twice_before_a_step_and_then_no_more_steps(cli, party, isolated_db, snapshot):
    cid = add(cli)
    ok(cli, cid, "course", "02/01/2025")
    refused(cli, isolated_db, snapshot, "admissions", "withdraw", cid, "--date", "01/01/2025", "--reason", "x",
            text="trước bước 'học lớp bồi dưỡng nhận thức về Đảng'", fix="--date")
    refused(cli, isolated_db, snapshot, "admissions", "withdraw", cid, "--date", "05/01/2025", "--reason", "  ",
            text="Chưa ghi lý do", fix="--reason")
    assert cli("admissions", "withdraw", cid, "--date", "05/01/2025", "--reason", "chuyển đi").exit_code == 0
    refused(cli, isolated_db, snapshot, "admissions", "withdraw", cid, "--date", "06/01/2025", "--reason", "x",
            text="đã thôi theo dõi từ ngày 05/01/2025", fix=f"admissions show {cid}")
    refused(cli, isolated_db, snapshot, "admissions", "record", cid, "--step", "application", "--date",
            "06/01/2025", text="tình trạng 'Thôi theo dõi'", fix=f"admissions show {cid}")
    refused(cli, isolated_db, snapshot, "admissions", "withdraw", "99", "--date", "06/01/2025", "--reason", "x",
            text="Không có người vào Đảng mã số '99'", fix="admissions list")


# --- one transaction: a refusal inside the member service rolls the ceremony back whole
def test_a_ceremony_refused_by_the_member_record_leaves_nothing(cli, party, isolated_db, snapshot):
    cid = add(cli, "--national-id", "001198012345")
    up_to_decision(cli, cid)
    # a member with the same personal id appears meanwhile (imported from a roster, say)
    assert cli("members", "add", "--name", "Lê Thị Hoa", "--gender", "female", "--birth-date", "14/08/1998",
               "--cell", "TL.02", "--national-id", "001198012345", "--admission-date", "01/01/2025",
               "--membership", "probationary").exit_code == 0
    before = snapshot(isolated_db)
    run = cli("admissions", "record", cid, "--step", "ceremony", "--date", "19/03/2025")
    assert run.exit_code == 1 and "001198012345" in run.stderr, run.stderr
    assert snapshot(isolated_db) == before


def test_the_ceremony_writes_the_member_and_the_file_in_one_command(cli, party, isolated_db):
    cid = add(cli)
    up_to_decision(cli, cid)
    run = ok(cli, cid, "ceremony", "19/03/2025", "--format", "json")
    member_id = run.json()["member_id"]
    conn = dbstate.connect(isolated_db)
    assert conn.execute("SELECT status, member_id FROM candidates WHERE id = ?", (cid,)).fetchone() == (
        "probationary", member_id)
    assert conn.execute("SELECT membership, decision_date, admission_date FROM members WHERE id = ?",
                        (member_id,)).fetchone() == ("probationary", "2025-03-03", "2025-03-19")
    assert [r[0] for r in conn.execute("SELECT event FROM member_events WHERE member_id = ? ORDER BY id",
                                       (member_id,))] == ["created", "admitted"]


# --- warnings and refusals cite the regulation
def test_a_late_decision_warns_citing_the_regulation(cli, party):
    run = up_to_decision(cli, add(cli), decision="01/08/2025")
    assert "quá hạn" in run.stderr and "domain.md" not in run.stderr
    assert "(60 ngày làm việc kể từ nghị quyết chi bộ, Quy định 294-QĐ/TW, mục 4.3.1)" in run.stderr


def test_the_introducer_refusal_names_together_since(cli, party, isolated_db, snapshot):
    """Issue 9: the refusal said "Ghi ngày bắt đầu" but not the option."""
    cid = add(cli)
    refused(cli, isolated_db, snapshot, "admissions", "record", cid, "--step", "introduced", "--date", "06/01/2025",
            "--introducer", AN, "--introducer", BINH, text="Chưa ghi từ khi nào", fix="--together-since")


# --- the background check: required, except where the regulation in force on the day exempts it
def dossier_before_the_vote(cli, cid, *dates):
    for step, date in zip(("course", "application"), dates, strict=False):
        ok(cli, cid, step, date)
    ok(cli, cid, "introduced", dates[2], "--introducer", AN, "--introducer", BINH, "--together-since", "01/01/2015")


def test_background_check_exemption_only_where_the_regulation_allows_it(cli, party, isolated_db, snapshot):
    """HD 01-HD/TW (2021) §3.4 requires the check; from 9/6/2025 HD 06-HD/TW §3.4c exempts a candidate whose
    parent, sibling or child is a member and who declared the biography fully (rules/regulations.py)."""
    cid = add(cli)
    dossier_before_the_vote(cli, cid, "02/01/2025", "03/01/2025", "06/01/2025")
    stderr = refused(cli, isolated_db, snapshot, "admissions", "record", cid, "--step", "cell_resolution",
                     "--date", "10/02/2025", text="Chưa có bước 'thẩm tra lý lịch người vào Đảng'",
                     fix="--step biography_verified")
    assert "Hướng dẫn 01-HD/TW (2021), mục 3.4" in stderr and "--background-check-exempt" not in stderr
    refused(cli, isolated_db, snapshot, "admissions", "record", cid, "--step", "cell_resolution", "--date",
            "10/02/2025", "--background-check-exempt", text="là bắt buộc", fix="--step biography_verified")
    refused(cli, isolated_db, snapshot, "admissions", "record", cid, "--step", "committee_resolution", "--date",
            "10/02/2025", "--background-check-exempt", text="chỉ dùng khi ghi nghị quyết chi bộ",
            fix="--step cell_resolution")
    # from 9/6/2025 the refusal names the exemption, and the exemption is recorded with its regulation
    stderr = refused(cli, isolated_db, snapshot, "admissions", "record", cid, "--step", "cell_resolution",
                     "--date", "10/07/2025", text="Hướng dẫn 06-HD/TW, mục 3.4c", fix="--background-check-exempt")
    ok(cli, cid, "cell_resolution", "10/07/2025", "--background-check-exempt")
    steps = cli("admissions", "show", cid, "-f", "json").json()["steps"]
    assert [s["step"] for s in steps] == ["course", "application", "introduced", "cell_resolution"]
    assert steps[-1]["details"]["background_check_exempt"] == "Hướng dẫn 06-HD/TW, mục 3.4c"


# --- the service on a temporary database, without the CLI
@pytest.fixture
def db(isolated_db):
    database = dbstate.database(isolated_db)
    with database.write() as conn:
        conn.insert("cells", {"code": "TL", "name": "Đảng bộ xã", "search_key": "dang bo xa",
                              "kind": "commune_committee", "created_at": "t", "updated_at": "t"})
        parent = conn.value("SELECT id FROM cells WHERE code = 'TL'")
        conn.insert("cells", {"code": "TL.01", "name": "Chi bộ thôn Đông", "search_key": "chi bo thon dong",
                              "kind": "cell", "parent_id": parent, "created_at": "t", "updated_at": "t"})
    return database


def test_every_recordable_step_has_its_handler():
    assert tuple(svc.HANDLERS) == svc.RECORDABLE
    assert set(rules.PREREQUISITES) == {*svc.RECORDABLE, "recognition"}


def test_service_refuses_an_out_of_order_step_and_writes_nothing(db, monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-06-30")
    with db.write() as conn:
        cid = svc.add_candidate(conn, svc.CandidateInput(full_name="Lê Thị Hoa", cell="TL.01",
                                                         birth_date="14/08/1998", gender="female")).id
        svc.record_step(conn, cid, svc.StepInput(step="course", date="02/01/2025"))
    with pytest.raises(Exception) as err, db.write() as conn:
        svc.record_step(conn, cid, svc.StepInput(step="decision", date="03/03/2025"))
    assert "committee_resolution" in err.value.hint
    with db.read() as conn:
        assert list(svc.steps_of(conn, cid)) == ["course"]
        assert svc.list_candidates(conn)[0]["next_step"] == "application"


def test_service_withdraw_then_due_is_empty(db, monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-06-30")
    with db.write() as conn:
        cid = svc.add_candidate(conn, svc.CandidateInput(full_name="Lê Thị Hoa", cell="TL.01",
                                                         birth_date="14/08/1998")).id
        svc.record_step(conn, cid, svc.StepInput(step="course", date="02/01/2025"))
        assert [d["what"] for d in svc.due(conn, as_of="2030-06-01")] == ["certificate_expiry"]
        svc.withdraw(conn, str(cid), date="01/02/2025", reason="không còn đủ điều kiện")
        assert svc.due(conn, as_of="2030-06-01") == []
        assert svc.list_candidates(conn, status="withdrawn")[0]["withdrawn_reason"] == "không còn đủ điều kiện"


# --- the schema: an existing database gets the withdrawal columns
def test_a_version_4_database_gets_the_withdrawal_columns(tmp_path):
    from dbstate import database_at_version

    path = tmp_path / "v4.db"
    conn = database_at_version(path, 4)  # the later migrations (screening 6, the audit 7) run after it too
    conn.execute("INSERT INTO cells (code, name, search_key, kind, created_at, updated_at) "
                 "VALUES ('A', 'A', 'a', 'cell', 't', 't')")
    conn.execute("INSERT INTO candidates (full_name, search_key, sort_key, birth_date, cell_id, created_at, "
                 "updated_at) VALUES ('X', 'x', 'x', '1990', 1, 't', 't')")
    conn.close()
    migrated = Database(path).raw_connection()
    fresh = Database(tmp_path / "new.db").raw_connection()
    assert migrations.current_version(migrated) == migrations.LATEST
    table_sql = "SELECT sql FROM sqlite_master WHERE name = 'candidates'"
    assert migrated.execute(table_sql).fetchall() == fresh.execute(table_sql).fetchall()
    assert migrated.execute("SELECT full_name, status, withdrawn_date FROM candidates").fetchall() == [
        ("X", "following", None)]
    assert migrated.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_unknown_codes_name_the_option(cli, party, isolated_db, snapshot):
    cid = add(cli)
    refused(cli, isolated_db, snapshot, "admissions", "record", cid, "--step", "oath", "--date", "02/01/2025",
            text="Không có bước 'oath'", fix="--step")
    refused(cli, isolated_db, snapshot, "admissions", "list", "--status", "done", text="Trạng thái 'done'",
            fix="--status")
    refused(cli, isolated_db, snapshot, "admissions", "record", cid, "--step", "course", "--date", "02/01/2025",
            "--introducer", AN, text="chỉ ghi ở bước 'introduced'", fix="--step introduced")
