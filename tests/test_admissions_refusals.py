"""Every admission rule refuses with exit 1, a message citing the regulation itself (never domain.md), a hint
naming the option or command that fixes it, and writes nothing."""

from __future__ import annotations

import pytest

from dbstate import table_contents

AN, BINH, CUONG = "08012345", "08012346", "08012347"


@pytest.fixture
def party(cli, commune, monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2027-06-30")
    for name, birth, card, admission, official in (
        ("Nguyễn Văn An", "12/05/1968", AN, "19/05/1995", "19/05/1996"),
        ("Trần Thị Bình", "02/03/1975", BINH, "03/02/2000", "03/02/2001"),
        ("Phạm Văn Cường", "02/03/1990", CUONG, "01/09/2024", None),  # probationary until 01/09/2025
    ):
        args = ["members", "add", "--name", name, "--gender", "male", "--birth-date", birth, "--cell", "TL.01",
                "--card-number", card, "--admission-date", admission]
        args += ["--official-date", official] if official else ["--membership", "probationary"]
        assert cli(*args).exit_code == 0
    return commune



# as cited on the dates of these steps (2025, mostly after 1/7/2025): rules/regulations.py
AGE, OVER_60 = "Quy định 294-QĐ/TW, mục 1.1", "Hướng dẫn 06-HD/TW"
DOSSIER, BACKGROUND = "Hướng dẫn 12-HD/BTCTW, mục II.1.1", "Hướng dẫn 06-HD/TW, mục 3.4c"
INTRODUCER, REPLACEMENT = "Quy định 294-QĐ/TW, mục 3.2.1", "Quy định 294-QĐ/TW, mục 3.2.2"
INTRODUCTION, CHARTER_5 = "Điều lệ Đảng, Điều 4", "Điều lệ Đảng, Điều 5"
READMISSION = "Quy định 232-QĐ/TW, mục 3.5.1"


def refused(cli, db, *args, cite: str | None, text: str, fix: str) -> str:
    """Exit 1, the regulation cited (``cite``), ``text`` said, ``fix`` (an option or command) in the hint, and
    the database exactly as it was."""
    snapshot = table_contents
    before = snapshot(db)
    run = cli(*args)
    assert run.exit_code == 1, run.stderr
    assert "domain.md" not in run.stderr and "§" not in run.stderr, run.stderr
    if cite is not None:
        assert f"({cite}" in run.stderr or f"; {cite}" in run.stderr, run.stderr
    assert text in run.stderr, run.stderr
    hint = run.stderr.split("→", 1)[1] if "→" in run.stderr else ""
    assert fix in hint, run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert snapshot(db) == before
    return run.stderr


def add(cli, birth="14/08/1998", *extra) -> str:
    run = cli("admissions", "add", "--name", "Lê Thị Hoa", "--gender", "female", "--birth-date", birth,
              "--cell", "TL.01", *extra)
    assert run.exit_code == 0, run.stderr
    return run.stdout.strip()


def ok(cli, cid, step, date, *extra):
    run = cli("admissions", "record", cid, "--step", step, "--date", date, *extra)
    assert run.exit_code == 0, run.stderr


def ready(cli, cid, course="10/06/2025"):
    """Dossier complete up to the cell's vote."""
    ok(cli, cid, "course", course)
    ok(cli, cid, "application", "01/07/2025")
    ok(cli, cid, "introduced", "15/07/2025", "--introducer", AN, "--introducer", BINH,
       "--together-since", "01/01/2020")
    ok(cli, cid, "biography_verified", "20/07/2025")


def through_ceremony(cli, cid):
    ready(cli, cid)
    ok(cli, cid, "cell_resolution", "05/08/2025")
    ok(cli, cid, "committee_resolution", "20/08/2025")
    ok(cli, cid, "decision", "01/09/2025")
    ok(cli, cid, "ceremony", "15/09/2025")


def test_under_18_at_the_cell_resolution(cli, party, isolated_db):
    cid = add(cli, "10/09/2007")  # 18 on 10/09/2025
    ready(cli, cid)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "05/08/2025",
            cite=AGE, text="chưa đủ 18 tuổi", fix="--date")
    ok(cli, cid, "cell_resolution", "10/09/2025")


def test_over_60_needs_the_written_approval(cli, party, isolated_db):
    cid = add(cli, "01/03/1965")  # 60 years 5 months on 05/08/2025
    ready(cli, cid)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "05/08/2025",
            cite=OVER_60, text="quá 60 tuổi", fix="--over-60-approval")
    ok(cli, cid, "cell_resolution", "05/08/2025", "--over-60-approval", "Công văn 123-CV/TU ngày 01/07/2025")


def test_over_60_approval_given_on_add(cli, party):
    cid = add(cli, "01/03/1965", "--over-60-approval", "Công văn 123-CV/TU")
    ready(cli, cid)
    ok(cli, cid, "cell_resolution", "05/08/2025")


def test_certificate_expired_on_the_cell_resolution(cli, party, isolated_db):
    cid = add(cli)
    ready(cli, cid, course="10/01/2020")  # valid through 09/01/2025
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "05/08/2025",
            cite=DOSSIER, text="đã hết giá trị", fix="admissions withdraw")
    # a committee that keeps certificates six years (a setting) accepts it
    assert cli("settings", "set", "admission.certificate_valid_years", "6").exit_code == 0
    ok(cli, cid, "cell_resolution", "05/08/2025")


def test_introducer_must_be_official(cli, party, isolated_db):
    cid = add(cli)
    stderr = refused(cli, isolated_db, "admissions", "record", cid, "--step", "introduced", "--date", "15/07/2025",
                     "--introducer", AN, "--introducer", CUONG, "--together-since", "01/01/2020",
                     cite=INTRODUCER, text="mới là đảng viên dự bị", fix="--introducer")
    assert "Phạm Văn Cường" in stderr


def test_introducer_official_only_after_the_introduction(cli, party, isolated_db):
    assert cli("members", "add", "--name", "Vũ Thị Lan", "--gender", "female", "--birth-date", "01/01/1980",
               "--cell", "TL.01", "--card-number", "08012399", "--admission-date", "01/09/2024",
               "--official-date", "01/09/2025").exit_code == 0
    cid = add(cli)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "introduced", "--date", "15/07/2025",
            "--introducer", AN, "--introducer", "08012399", "--together-since", "01/01/2020",
            cite=INTRODUCER, text="chỉ là đảng viên chính thức từ ngày 01/09/2025", fix="--date")


def test_introducer_needs_twelve_months_together_unless_replacement(cli, party, isolated_db):
    cid = add(cli)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "introduced", "--date", "15/07/2025",
            "--introducer", AN, "--introducer", BINH, "--together-since", "01/01/2020",
            "--together-since", "01/01/2025", cite=INTRODUCER, text="chưa đủ 12 tháng", fix="--introducer")
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "introduced", "--date", "15/07/2025",
            "--introducer", AN, "--introducer", BINH, cite=INTRODUCER, text="Chưa ghi từ khi nào", fix="--together-since")
    ok(cli, cid, "introduced", "15/07/2025", "--introducer", AN, "--introducer", BINH,
       "--together-since", "01/01/2025", "--replacement")


def test_introducer_who_left_cannot_introduce(cli, party, isolated_db):
    assert cli("members", "leave", BINH, "--reason", "deceased", "--date", "01/07/2025").exit_code == 0
    cid = add(cli)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "introduced", "--date", "15/07/2025",
            "--introducer", AN, "--introducer", BINH, "--together-since", "01/01/2020",
            cite=REPLACEMENT, text="đã từ trần", fix="--introducer")


def test_two_members_or_a_union_resolution_plus_one(cli, party, isolated_db):
    cid = add(cli)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "introduced", "--date", "15/07/2025",
            "--introducer", AN, "--together-since", "01/01/2020", cite=INTRODUCTION, text="cần hai người", fix="--youth-union-resolution")
    ok(cli, cid, "introduced", "15/07/2025", "--introducer", AN, "--together-since", "01/01/2020",
       "--trade-union-resolution", "03-NQ/CĐ")


def test_steps_in_order(cli, party, isolated_db):
    cid = add(cli)
    ok(cli, cid, "course", "10/06/2025")
    ok(cli, cid, "application", "01/07/2025")
    stderr = refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date",
                     "05/08/2025", cite=DOSSIER,
                     text="Chưa có bước 'giới thiệu người vào Đảng', 'thẩm tra lý lịch người vào Đảng'",
                     fix=f"dangvien admissions record {cid} --step introduced")
    assert f"dangvien admissions record {cid} --step biography_verified" in stderr
    ok(cli, cid, "introduced", "15/07/2025", "--introducer", AN, "--introducer", BINH,
       "--together-since", "01/01/2020")
    ok(cli, cid, "biography_verified", "20/07/2025")
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "10/07/2025",
            cite=DOSSIER, text="lại trước", fix="--date")
    ok(cli, cid, "cell_resolution", "05/08/2025")
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "decision", "--date", "01/09/2025",
            cite=DOSSIER, text="Chưa có bước 'nghị quyết đảng ủy cơ sở'",
            fix=f"dangvien admissions record {cid} --step committee_resolution")
    ok(cli, cid, "committee_resolution", "20/08/2025")
    ok(cli, cid, "decision", "01/09/2025")
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "ceremony", "--date", "31/08/2025",
            cite=DOSSIER, text="lại trước", fix="--date")


def test_cell_resolution_needs_the_background_check(cli, party, isolated_db):
    """Issue 12 point 10: the cell votes on a complete dossier, the biography verified included (HD 12 §II.1.1)."""
    cid = add(cli)
    ok(cli, cid, "course", "10/06/2025")
    ok(cli, cid, "application", "01/07/2025")
    ok(cli, cid, "introduced", "15/07/2025", "--introducer", AN, "--introducer", BINH,
       "--together-since", "01/01/2020")
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "05/08/2025",
            cite=DOSSIER, text="Chưa có bước 'thẩm tra lý lịch người vào Đảng'",
            fix=f"dangvien admissions record {cid} --step biography_verified --date dd/mm/yyyy")
    # a verification dated after the cell's vote is refused too, once the vote is recorded
    ok(cli, cid, "biography_verified", "20/07/2025")
    ok(cli, cid, "cell_resolution", "05/08/2025")
    shown = cli("admissions", "show", cid, "--format", "json").json()
    assert [s["step"] for s in shown["steps"]][:5] == ["course", "application", "introduced", "biography_verified",
                                                      "cell_resolution"]


def test_every_later_step_names_the_one_missing(cli, party, isolated_db):
    """Out of order at each stage: refused, the missing step named with the command that records it."""
    cid = add(cli)
    for step, missing in (("committee_resolution", "cell_resolution"), ("decision", "committee_resolution"),
                          ("ceremony", "decision")):
        refused(cli, isolated_db, "admissions", "record", cid, "--step", step, "--date", "05/08/2025",
                cite=DOSSIER, text="Chưa có bước", fix=f"admissions record {cid} --step {missing}")


def test_no_certificate_no_cell_resolution(cli, party, isolated_db):
    cid = add(cli)
    ok(cli, cid, "application", "01/07/2025")
    ok(cli, cid, "introduced", "15/07/2025", "--introducer", AN, "--introducer", BINH,
       "--together-since", "01/01/2020")
    ok(cli, cid, "biography_verified", "20/07/2025")
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "05/08/2025",
            cite=DOSSIER, text="học lớp bồi dưỡng nhận thức", fix="--step course")


def test_recognition_not_before_twelve_months(cli, party, isolated_db, snapshot):
    cid = add(cli)
    through_ceremony(cli, cid)
    member_id = str(len(snapshot(isolated_db)["members"]))
    refused(cli, isolated_db, "admissions", "recognize", member_id, "--date", "14/09/2026", "--ref", "1-QĐ",
            cite=CHARTER_5, text="từ ngày 15/09/2026", fix="--date")
    # the cell's resolution counts too: approval later, resolution too early
    refused(cli, isolated_db, "admissions", "recognize", member_id, "--date", "01/10/2026",
            "--resolution-date", "10/09/2026", cite=CHARTER_5, text="Chưa hết 12 tháng dự bị", fix="--resolution-date")
    run = cli("admissions", "recognize", member_id, "--date", "15/09/2026")
    assert run.exit_code == 0, run.stderr
    refused(cli, isolated_db, "admissions", "recognize", member_id, "--date", "16/09/2026",
            cite=CHARTER_5, text="không phải là đảng viên dự bị", fix="members show")


def test_recognition_of_an_official_member_refused(cli, party, isolated_db):
    refused(cli, isolated_db, "admissions", "recognize", AN, "--date", "01/01/2026", cite=CHARTER_5, text="không phải là đảng viên dự bị", fix="members show")


def test_no_more_steps_after_the_ceremony(cli, party, isolated_db):
    cid = add(cli)
    through_ceremony(cli, cid)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "decision", "--date", "01/10/2025",
            cite=None, text="tình trạng 'Đảng viên dự bị'", fix="admissions recognize")


def former(cli, name, card, reason, date, ground=None):
    assert cli("members", "add", "--name", name, "--gender", "male", "--birth-date", "01/01/1980", "--cell",
               "TL.02", "--card-number", card, "--admission-date", "01/01/2010",
               "--official-date", "01/01/2011").exit_code == 0
    args = ["members", "leave", card, "--reason", reason, "--date", date, "--ref", "9-QĐ/ĐU"]
    assert cli(*args, *(["--ground", ground] if ground else [])).exit_code == 0


def test_readmission_never_after_abandoning_activity(cli, party, isolated_db):
    former(cli, "Lý Văn Minh", "08019001", "removed", "01/03/2020", ground="abandoned_activity")
    refused(cli, isolated_db, "admissions", "add", "--name", "Lý Văn Minh", "--gender", "male", "--birth-date",
            "01/01/1980", "--cell", "TL.02", "--previous-member", "08019001", cite=READMISSION, text="tự bỏ sinh hoạt đảng", fix="--previous-reason")


def test_readmission_still_on_the_roll(cli, party, isolated_db):
    refused(cli, isolated_db, "admissions", "add", "--name", "Nguyễn Văn An", "--gender", "male",
            "--birth-date", "12/05/1968", "--cell", "TL.01", "--previous-member", AN, cite=READMISSION, text="vẫn đang trong danh sách", fix="--previous-member")


def test_readmission_waits_36_months(cli, party, isolated_db):
    former(cli, "Lý Văn Minh", "08019001", "removed", "10/01/2023", ground="dues_unpaid")
    cid = add(cli, "01/01/1980", "--previous-member", "08019001")
    ready(cli, cid)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "05/08/2025",
            cite=READMISSION, text="từ ngày 10/01/2026", fix="--date")
    ok(cli, cid, "cell_resolution", "12/01/2026")


def test_readmission_after_resignation_only_with_family_hardship(cli, party, isolated_db):
    former(cli, "Lý Văn Minh", "08019001", "resigned", "10/01/2020")
    cid = add(cli, "01/01/1980", "--previous-member", "08019001")
    ready(cli, cid)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "05/08/2025",
            cite=READMISSION, text="xin ra khỏi Đảng", fix="--family-hardship")
    ok(cli, cid, "cell_resolution", "05/08/2025", "--family-hardship")


def test_readmission_after_a_conviction_needs_the_record_cleared(cli, party, isolated_db):
    former(cli, "Lý Văn Minh", "08019001", "expelled", "10/01/2018", ground="less_serious_crime_conviction")
    cid = add(cli, "01/01/1980", "--previous-member", "08019001")
    ready(cli, cid)
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "05/08/2025",
            cite=READMISSION, text="xóa án tích", fix="--record-cleared")
    refused(cli, isolated_db, "admissions", "record", cid, "--step", "cell_resolution", "--date", "05/08/2025",
            "--record-cleared", "01/03/2021", cite=READMISSION, text="từ ngày 01/03/2026", fix="--date")
    ok(cli, cid, "cell_resolution", "05/08/2025", "--record-cleared", "01/03/2020")


def test_duplicate_step_and_unknown_candidate(cli, party, isolated_db, snapshot):
    cid = add(cli)
    ok(cli, cid, "course", "10/06/2025")
    before = snapshot(isolated_db)
    run = cli("admissions", "record", cid, "--step", "course", "--date", "11/06/2025")
    assert run.exit_code == 1 and "đã ghi ngày 10/06/2025" in run.stderr
    run = cli("admissions", "record", "99", "--step", "course", "--date", "11/06/2025")
    assert run.exit_code == 1 and "Không có người vào Đảng mã số '99'" in run.stderr
    run = cli("admissions", "record", cid, "--step", "oath", "--date", "11/06/2025")
    assert run.exit_code == 1 and "Không có bước 'oath'" in run.stderr
    assert snapshot(isolated_db) == before


def test_readmission_brings_back_the_same_record_with_the_gap_deducted(cli, party, isolated_db):
    """§1.3/§1.4: the person keeps one record (card, personal id, history); party age runs from the first
    admission decision minus the time outside the Party."""
    former(cli, "Lý Văn Minh", "08019001", "removed", "10/01/2020", ground="dues_unpaid")
    first = cli("members", "show", "08019001", "-f", "json").json()
    cid = add(cli, "01/01/1980", "--previous-member", "08019001")
    ready(cli, cid)
    ok(cli, cid, "cell_resolution", "12/01/2026")
    ok(cli, cid, "committee_resolution", "20/01/2026")
    ok(cli, cid, "decision", "01/02/2026")
    ok(cli, cid, "ceremony", "10/03/2026")
    again = cli("members", "show", "08019001", "-f", "json").json()
    assert again["id"] == first["id"]
    assert (again["status"], again["membership"], again["admission_date"], again["cell_code"]) == (
        "active", "probationary", "2026-03-10", "TL.01")
    # 2010-01-01 to 2027-06-30 is 17.5 years; 10/01/2020 to 01/02/2026 outside the Party is deducted.
    assert again["party_age_years"] == 11
    events = [e for e in cli("members", "history", "08019001", "-f", "json").json() if e["event"] == "readmitted"]
    assert {(e["field"], e["new_value"]) for e in events} >= {("status", "active"), ("membership", "probationary")}
    assert cli("members", "list", "--search", "ly van minh", "--status", "all", "-f", "json").json()[0]["id"] == first["id"]
