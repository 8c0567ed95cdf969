"""Badges due and awarded (domain.md §3, party age as in §1.4 with gaps deducted)."""

from __future__ import annotations

import pytest

import dbstate


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-01-20")


def add(cli, name, card, admission, decision=None):
    args = ["members", "add", "--name", name, "--gender", "male", "--birth-date", "01/01/1940", "--cell", "TL.01",
            "--card-number", card, "--admission-date", admission, "--membership", "official"]
    if decision:
        args += ["--decision-date", decision]
    r = cli(*args)
    assert r.exit_code == 0, r.stderr


def test_badges_due_and_award(cli, commune):
    add(cli, "Ba Mươi Năm", "08000001", "10/05/1996")        # 30 years on 10/05/2026: due on 19/5/2026
    add(cli, "Chưa Đủ", "08000002", "20/05/1996")            # 30 years on 20/05/2026: not yet on 19/5
    add(cli, "Bốn Mươi", "08000003", "01/01/1986")           # 40 years: the 40-year badge, not the 30
    add(cli, "Đã Nhận", "08000004", "01/01/1995")
    assert cli("badges", "award", "08000004", "--milestone", 30, "--date", "03/02/2025").exit_code == 0
    due = cli("badges", "due", "--occasion", "19/05/2026", "--format", "json").json()
    assert [(d["full_name"], d["milestone"], d["party_age_years"], d["occasion"]) for d in due] == [
        ("Bốn Mươi", 40, 40, "2026-05-19"), ("Ba Mươi Năm", 30, 30, "2026-05-19")]
    assert set(due[0]) >= {"member_id", "card_number", "full_name", "milestone", "party_age_years", "occasion"}
    assert cli("badges", "award", "08000003", "--milestone", 40, "--date", "19/05/2026").exit_code == 1  # future
    assert cli("badges", "award", "08000003", "--milestone", 40, "--date", "20/01/2026", "--ref", "1-QĐ/TU").exit_code == 0
    again = cli("badges", "award", "08000003", "--milestone", 40, "--date", "20/01/2026")
    assert again.exit_code == 1 and "đã nhận" in again.stderr
    assert cli("badges", "award", "08000002", "--milestone", 35, "--date", "20/01/2026").exit_code == 1
    early = cli("badges", "award", "08000002", "--milestone", 40, "--date", "20/01/2026")
    assert early.exit_code == 1 and "Hướng dẫn 06-HD/TW" in early.stderr  # in force on DANGVIEN_TODAY and "§" not in early.stderr
    due = cli("badges", "due", "--occasion", "19/05/2026", "--format", "json").json()
    assert [d["full_name"] for d in due] == ["Ba Mươi Năm"]
    shown = cli("members", "show", "08000003", "--format", "json").json()
    assert shown["badges"] == [40]


def test_gaps_delay_the_badge(cli, commune, isolated_db):

    add(cli, "Có Gián Đoạn", "08000001", "10/05/1996")
    con = dbstate.connect(isolated_db)
    con.execute("INSERT INTO member_gaps (member_id, kind, start_date, end_date, created_at) "
                "VALUES (1, 'lost_contact', '2000-01-01', '2001-01-01', 'x')")
    con.commit()
    con.close()
    assert cli("badges", "due", "--occasion", "19/05/2026", "--format", "json").json() == []
    due = cli("badges", "due", "--occasion", "19/05/2027", "--format", "json").json()
    assert [(d["milestone"], d["party_age_years"]) for d in due] == [(30, 30)]


def _member(cli, name, card, decision):
    r = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", "01/01/1950", "--cell", "TL.01",
            "--card-number", card, "--decision-date", decision, "--admission-date", decision,
            "--official-date", "01/01/1995", "--format", "json")
    assert r.exit_code == 0, r.stderr
    return str(r.json()["id"])


def test_party_age_stops_at_death_and_at_resignation(cli, commune):
    died = _member(cli, "Đã Từ Trần", "08000011", "01/01/1994")
    resigned = _member(cli, "Xin Ra", "08000012", "01/01/1994")
    assert cli("members", "leave", died, "--reason", "deceased", "--date", "01/08/2018").exit_code == 0
    assert cli("members", "leave", resigned, "--reason", "resigned", "--date", "01/08/2018").exit_code == 0
    for ref in (died, resigned):
        shown = cli("members", "show", ref, "--format", "json").json()
        assert (shown["party_age_years"], shown["party_age_months"]) == (24, 7), ref  # not 32 years today


def test_posthumous_badges_follow_the_age_at_death(cli, commune):
    short = _member(cli, "Thiếu Năm Năm", "08000021", "01/01/1994")   # died with 24 years 7 months
    close = _member(cli, "Thiếu Mười Tháng", "08000022", "01/01/1994")  # died with 29 years 2 months
    living = _member(cli, "Còn Sống", "08000023", "01/01/1994")
    assert cli("members", "leave", short, "--reason", "deceased", "--date", "01/08/2018").exit_code == 0
    assert cli("members", "leave", close, "--reason", "deceased", "--date", "01/03/2023").exit_code == 0
    refused = cli("badges", "award", short, "--milestone", "30", "--date", "03/02/2025", "--posthumous")
    assert refused.exit_code == 1 and "từ trần ngày 01/08/2018" in refused.stderr
    assert cli("badges", "award", close, "--milestone", "30", "--date", "03/02/2025", "--posthumous").exit_code == 0
    alive = cli("badges", "award", living, "--milestone", "30", "--date", "03/02/2025", "--posthumous")
    assert alive.exit_code == 1 and "members leave" in alive.stderr and "--posthumous" in alive.stderr
