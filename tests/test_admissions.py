"""Admissions: a candidate's whole path to official membership, the deadlines in working days, and the calls of
contract.md (domain.md §1.1–§1.3).

Expected deadlines, counted by hand on the calendar (weekends, and the holidays listed by rules/workdays.py):

- cell resolution Mon 05/01/2026 → decision due 06/04/2026: 60 working days, Tết 16–20/02/2026 skipped
  (Jan 6–9: 4, 12–16: 9, 19–23: 14, 26–30: 19, Feb 2–6: 24, 9–13: 29, [Tết], 23–27: 34, Mar 2–6: 39,
  9–13: 44, 16–20: 49, 23–27: 54, Mar 30–Apr 3: 59, Mon Apr 6: 60);
- decision Fri 13/02/2026, the last working day before Tết → ceremony due Fri 03/04/2026: 30 working days
  counted from Mon 23/02 (23–27/2: 5, 2–6/3: 10, 9–13: 15, 16–20: 20, 23–27: 25, 30/3–3/4: 30);
- ceremony 03/04/2026 → official on 03/04/2027 (a Saturday) → recognition due 19/05/2027: 30 working days,
  skipping Hùng Kings' day Fri 16/04/2027, 30/04 and the compensatory Mon 03/05/2027
  (Apr 5–9: 5, 12–15: 9, 19–23: 14, 26–29: 18, May 4–7: 22, 10–14: 27, 17–19: 30).
"""

from __future__ import annotations

import sqlite3

import pytest

import dbstate

AN, BINH = "08012345", "08012346"


@pytest.fixture
def party(cli, commune, monkeypatch):
    """The commune, two official members to introduce, 'today' in mid-2027 so every date below is past."""
    monkeypatch.setenv("DANGVIEN_TODAY", "2027-06-30")
    for args in (
        ("--name", "Nguyễn Văn An", "--gender", "male", "--birth-date", "12/05/1968", "--card-number", AN,
         "--admission-date", "19/05/1995", "--official-date", "19/05/1996"),
        ("--name", "Trần Thị Bình", "--gender", "female", "--birth-date", "02/03/1975", "--card-number", BINH,
         "--admission-date", "03/02/2000", "--official-date", "03/02/2001"),
    ):
        assert cli("members", "add", *args, "--cell", "TL.01").exit_code == 0
    return commune


def rows(db, sql, *params):
    conn = dbstate.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def add_candidate(cli, *extra) -> int:
    run = cli("admissions", "add", "--name", "Lê Thị Hoa", "--gender", "female", "--birth-date", "14/08/1998",
              "--cell", "TL.01", *extra)
    assert run.exit_code == 0, run.stderr
    return int(run.stdout.strip())


def record(cli, cid, step, date, *extra):
    run = cli("admissions", "record", cid, "--step", step, "--date", date, *extra)
    assert run.exit_code == 0, run.stderr
    return run


def due(cli, as_of, *extra):
    run = cli("admissions", "due", "--as-of", as_of, *extra, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return run.json()


def test_add_prints_the_bare_id_and_json_object(cli, party, isolated_db):
    run = cli("admissions", "add", "--name", "Lê  Thị Hoa", "--gender", "female", "--birth-date", "14/08/1998",
              "--cell", "TL.01")
    assert run.exit_code == 0
    assert run.stdout == "1\n"
    run = cli("admissions", "add", "--name", "Phạm Văn Dũng", "--gender", "male", "--birth-date", "01/01/2000",
              "--cell", "TL.02", "--format", "json")
    assert run.json()["id"] == 2
    stored = rows(isolated_db, "SELECT full_name, cell_id, status FROM candidates ORDER BY id")
    assert stored[0]["full_name"] == "Lê Thị Hoa" and stored[0]["status"] == "following"
    listed = cli("admissions", "list", "--format", "json").json()
    assert {r["id"]: r["cell_code"] for r in listed} == {1: "TL.01", 2: "TL.02"}
    assert {r["next_step"] for r in listed} == {"course"}


def test_full_path_across_tet_to_official(cli, party, isolated_db):
    cid = add_candidate(cli, "--helper", AN, "--ethnicity", "Kinh", "--national-id", "001198012345")
    record(cli, cid, "course", "10/06/2025", "--certificate-number", "1234/CN-NTVĐ",
           "--issuer", "Trung tâm chính trị tỉnh")
    record(cli, cid, "application", "01/07/2025")
    record(cli, cid, "introduced", "15/07/2025", "--introducer", AN, "--together-since", "01/01/2020",
           "--introducer", BINH, "--together-since", "01/03/2023")
    record(cli, cid, "biography_verified", "20/12/2025", "--ref", "Công văn 15-CV/ĐU")
    record(cli, cid, "cell_resolution", "05/01/2026", "--ref", "01-NQ/CB")
    record(cli, cid, "committee_resolution", "20/01/2026", "--ref", "05-NQ/ĐU")

    # Decision: 60 working days after the cell's resolution, Tết skipped.
    items = due(cli, "2026-03-10")
    assert items == [{"candidate_id": cid, "member_id": None, "full_name": "Lê Thị Hoa", "cell_code": "TL.01",
                      "what": "decision", "due_date": "2026-04-06", "overdue": False, "days_overdue": 0,
                      "label": "Quyết định kết nạp"}]
    assert due(cli, "2026-04-06")[0]["overdue"] is False
    assert due(cli, "2026-04-07")[0]["overdue"] is True

    record(cli, cid, "decision", "13/02/2026", "--ref", "12-QĐ/ĐU", "--issuer", "Ban Thường vụ Đảng ủy xã")
    # Ceremony: 30 working days after a decision signed the last working day before Tết.
    items = due(cli, "2026-02-13", "--within", "60")
    assert [(i["what"], i["due_date"], i["overdue"]) for i in items] == [("ceremony", "2026-04-03", False)]
    assert due(cli, "2026-04-06")[0]["overdue"] is True

    run = record(cli, cid, "ceremony", "03/04/2026", "--ref", "Biên bản lễ kết nạp")
    assert "Cảnh báo" not in run.stderr
    cand = rows(isolated_db, "SELECT * FROM candidates WHERE id = ?", cid)[0]
    assert cand["status"] == "probationary" and cand["member_id"] is not None
    member = cli("members", "show", cand["member_id"], "--format", "json").json()
    assert (member["full_name"], member["membership"], member["status"]) == ("Lê Thị Hoa", "probationary", "active")
    assert (member["decision_date"], member["admission_date"], member["official_date"]) == (
        "2026-02-13", "2026-04-03", None)
    assert member["national_id"] == "001198012345" and member["cell_code"] == "TL.01"
    events = {e["event"] for e in rows(isolated_db, "SELECT event FROM member_events WHERE member_id = ?",
                                       member["id"])}
    assert {"created", "admitted"} <= events

    # Probation: twelve months from the ceremony; then 30 working days to recognize.
    assert [(i["what"], i["due_date"], i["member_id"]) for i in due(cli, "2027-03-10")] == [
        ("probation_end", "2027-04-03", member["id"])]
    assert due(cli, "2027-03-01") == []  # more than 30 days ahead
    item = due(cli, "2027-04-05")[0]
    assert (item["what"], item["due_date"], item["overdue"], item["candidate_id"]) == (
        "recognition", "2027-05-19", False, cid)
    assert due(cli, "2027-05-19")[0]["overdue"] is False
    assert due(cli, "2027-05-20")[0]["overdue"] is True

    # Approved late (after the deadline): official all the same from the day the twelve months end.
    run = cli("admissions", "recognize", member["id"], "--date", "25/05/2027",
              "--ref", "88-QĐ/ĐU")
    assert run.exit_code == 0, run.stderr
    assert "quá hạn 19/05/2027" in run.stderr
    member = cli("members", "show", member["id"], "--format", "json").json()
    assert (member["membership"], member["official_date"]) == ("official", "2027-04-03")
    recognized = rows(isolated_db, "SELECT effective_date, reference FROM member_events "
                      "WHERE member_id = ? AND event = 'recognized'", member["id"])
    assert recognized == [{"effective_date": "2027-04-03", "reference": "88-QĐ/ĐU"}]
    shown = cli("admissions", "show", cid, "--format", "json").json()
    assert shown["status"] == "official"
    assert [s["step"] for s in shown["steps"]] == ["course", "application", "introduced", "biography_verified",
                                                   "cell_resolution", "committee_resolution", "decision",
                                                   "ceremony", "recognition"]
    course = shown["steps"][0]
    assert (course["reference"], course["issuer"]) == ("1234/CN-NTVĐ", "Trung tâm chính trị tỉnh")
    assert [(i["member_id"], i["together_since"]) for i in shown["introducers"]] == [(1, "2020-01-01"),
                                                                                   (2, "2023-03-01")]
    assert due(cli, "2027-05-20") == []


def test_contract_calls(cli, party):
    """The calls of contract.md exactly as written there, and the JSON keys."""
    run = cli("admissions", "add", "--name", "Hoàng Văn Em", "--gender", "male", "--birth-date", "20/10/1995",
              "--cell", "TL.01")
    cid = run.stdout.strip()
    assert run.exit_code == 0 and cid.isdigit()
    for step, date, extra in (
        ("course", "02/01/2025", ["--ref", "55/CN"]),
        ("application", "03/01/2025", []),
        ("introduced", "06/01/2025", ["--introducer", AN, "--introducer", BINH,
                                      "--together-since", "01/01/2015", "--together-since", "01/01/2015"]),
        ("biography_verified", "20/01/2025", ["--ref", "15-CV/ĐU"]),
        ("cell_resolution", "10/02/2025", ["--ref", "02-NQ/CB"]),
        ("committee_resolution", "20/02/2025", ["--ref", "10-NQ/ĐU"]),
        ("decision", "03/03/2025", ["--ref", "20-QĐ/ĐU"]),
        ("ceremony", "19/03/2025", []),
    ):
        run = cli("admissions", "record", cid, "--step", step, "--date", date, *extra)
        assert run.exit_code == 0, (step, run.stderr)
    member_id = cli("admissions", "show", cid, "--format", "json").json()["member_id"]
    items = cli("admissions", "due", "--as-of", "2026-03-25", "--format", "json").json()
    assert set(items[0]) >= {"candidate_id", "member_id", "full_name", "cell_code", "what", "due_date", "overdue"}
    assert (items[0]["what"], items[0]["member_id"]) == ("recognition", member_id)
    run = cli("admissions", "recognize", str(member_id), "--date", "20/03/2026", "--ref", "30-QĐ/ĐU")
    assert run.exit_code == 0, run.stderr
    assert cli("members", "show", str(member_id), "--format", "json").json()["official_date"] == "2026-03-19"
    report = cli("reports", "admissions", "--year", "2025", "--format", "json").json()
    assert set(report) >= {"year", "target_min_percent", "target_max_percent", "rows"}
    assert all(set(r) >= {"cell_code", "cell_name", "members_at_start", "admitted", "rate_percent"}
               for r in report["rows"])


def test_probationary_member_without_file_is_due_for_recognition(cli, party):
    run = cli("members", "add", "--name", "Đỗ Văn Giang", "--gender", "male", "--birth-date", "01/02/1990",
              "--cell", "TL.02", "--admission-date", "10/05/2025", "--membership", "probationary")
    assert run.exit_code == 0, run.stderr
    # Official on Sun 10/05/2026; 30 working days → Fri 19/06/2026.
    items = due(cli, "2026-05-12")
    assert items == [{"candidate_id": None, "member_id": 3, "full_name": "Đỗ Văn Giang", "cell_code": "TL.02",
                      "what": "recognition", "due_date": "2026-06-19", "overdue": False, "days_overdue": 0,
                      "label": "Xét công nhận chính thức", "probation_end": "2026-05-10"}]
    assert due(cli, "2026-05-12", "--cell", "TL.01") == []


def test_certificate_expiry_is_due(cli, party):
    cid = add_candidate(cli)
    record(cli, cid, "course", "15/03/2021")  # valid through 14/03/2026
    items = due(cli, "2026-03-01")
    assert [(i["what"], i["due_date"], i["overdue"]) for i in items] == [("certificate_expiry", "2026-03-14", False)]
    assert due(cli, "2026-03-15")[0]["overdue"] is True


def test_youth_union_resolution_and_one_member(cli, party, isolated_db):
    cid = add_candidate(cli, "--youth-union")
    record(cli, cid, "introduced", "15/07/2025", "--introducer", AN, "--together-since", "01/01/2020",
           "--youth-union-resolution", "07-NQ/ĐTN")
    kinds = rows(isolated_db, "SELECT kind, reference FROM candidate_introducers ORDER BY id")
    assert kinds == [{"kind": "member", "reference": None}, {"kind": "youth_union", "reference": "07-NQ/ĐTN"}]


def test_replacement_introducer_added_later_without_twelve_months(cli, party, isolated_db):
    cid = add_candidate(cli)
    record(cli, cid, "introduced", "15/07/2025", "--introducer", AN, "--introducer", BINH,
           "--together-since", "01/01/2020")
    assert cli("members", "add", "--name", "Vũ Thị Lan", "--gender", "female", "--birth-date", "01/01/1980",
               "--cell", "TL.01", "--card-number", "08012399", "--admission-date", "01/01/2010",
               "--official-date", "01/01/2011").exit_code == 0
    record(cli, cid, "introduced", "01/09/2025", "--introducer", "08012399", "--together-since", "01/08/2025",
           "--replacement")
    got = rows(isolated_db, "SELECT member_id, replacement, introduced_date FROM candidate_introducers ORDER BY id")
    assert got[-1] == {"member_id": 3, "replacement": 1, "introduced_date": "2025-09-01"}
    # the step itself keeps its first date
    assert rows(isolated_db, "SELECT date FROM candidate_steps WHERE step = 'introduced'") == [{"date": "2025-07-15"}]


def test_reject_probationary_member(cli, party, isolated_db):
    cid = add_candidate(cli)
    for step, date, extra in (("course", "02/01/2025", []), ("application", "03/01/2025", []),
                              ("introduced", "06/01/2025", ["--introducer", AN, "--introducer", BINH,
                                                            "--together-since", "01/01/2015"]),
                              ("biography_verified", "08/01/2025", []),
                              ("cell_resolution", "10/02/2025", []), ("committee_resolution", "20/02/2025", []),
                              ("decision", "03/03/2025", []), ("ceremony", "19/03/2025", [])):
        record(cli, cid, step, date, *extra)
    member_id = rows(isolated_db, "SELECT member_id FROM candidates")[0]["member_id"]
    run = cli("admissions", "reject", member_id, "--date", "15/04/2026", "--ref", "40-QĐ/ĐU")
    assert run.exit_code == 0, run.stderr
    member = cli("members", "show", member_id, "--format", "json").json()
    assert (member["status"], member["status_date"], member["status_reference"]) == (
        "removed", "2026-04-15", "40-QĐ/ĐU")
    assert member["status_reason"] == "không được công nhận đảng viên chính thức"
    assert rows(isolated_db, "SELECT status FROM candidates")[0]["status"] == "not_recognized"
    assert due(cli, "2026-04-16") == []


def test_grassroots_cell_needs_no_committee_resolution(cli, party):
    assert cli("cells", "add", "Chi bộ Trường THCS", "--code", "CBCS", "--kind", "grassroots_cell").exit_code == 0
    run = cli("admissions", "add", "--name", "Mai Văn Khoa", "--gender", "male", "--birth-date", "01/01/1995",
              "--cell", "CBCS")
    cid = run.stdout.strip()
    for step, date, extra in (("course", "02/01/2025", []), ("application", "03/01/2025", []),
                              ("introduced", "06/01/2025", ["--introducer", AN, "--introducer", BINH,
                                                            "--together-since", "01/01/2015"]),
                              ("biography_verified", "08/01/2025", []),
                              ("cell_resolution", "10/02/2025", []), ("decision", "03/03/2025", [])):
        record(cli, cid, step, date, *extra)
