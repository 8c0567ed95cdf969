"""The screening run (domain.md §1.3, §1.6–§1.9, §2, §4): for each rule, members who meet it and members who
narrowly do not, asserting exactly who is flagged; stored runs, changes between runs, resolve, export."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from dangvien_cli.rules.dates import add_months
from dangvien_cli.rules.workdays import default_calendar

AS_OF = "2026-01-20"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", AS_OF)


class Members:
    def __init__(self, cli):
        self.cli = cli
        self.n = 0

    def add(self, name, *, cell="TL.01", admission="01/01/2000", probationary=False, card=None):
        self.n += 1
        card = card or f"0800{self.n:04d}"
        args = ["members", "add", "--name", name, "--gender", "male", "--birth-date", "01/01/1950", "--cell", cell,
                "--card-number", card, "--admission-date", admission]
        args += ["--membership", "probationary"] if probationary else ["--membership", "official"]
        r = self.cli(*args)
        assert r.exit_code == 0, r.stderr
        return card

    def marks(self, card, group, year, marks):
        """marks: {month: value} for 'attendance' (x/p/k) or 'dues' ('u', 'e' or an amount)."""
        for month, value in marks.items():
            if group == "attendance":
                args = ["attendance", "set", card, "--mark", value]
            elif value == "u":
                args = ["dues", "set", card, "--unpaid"]
            elif value == "e":
                args = ["dues", "set", card, "--exempt"]
            else:
                args = ["dues", "set", card, "--amount", str(value)]
            r = self.cli(*args, "--year", year, "--month", month)
            assert r.exit_code == 0, r.stderr


@pytest.fixture
def people(cli, commune):
    return Members(cli)


def run(cli, *extra, year=2025):
    r = cli("screening", "run", "--year", year, "--as-of", AS_OF, "--format", "json", *extra)
    assert r.exit_code == 0, r.stderr
    return r.json()


def flagged(data, rule):
    return sorted(f["full_name"] for f in data["findings"] if f["rule"] == rule)


def test_absent_three_months_without_reason(cli, people):
    a = people.add("Absent Three")
    people.marks(a, "attendance", 2025, {3: "k", 5: "k", 9: "k", 1: "x"})
    b = people.add("Absent Two")
    people.marks(b, "attendance", 2025, {3: "k", 5: "k"})
    c = people.add("Absent Excused")
    people.marks(c, "attendance", 2025, {3: "k", 5: "k", 9: "p"})
    d = people.add("Absent Exempted")
    people.marks(d, "attendance", 2025, {3: "k", 5: "k", 9: "k"})
    assert cli("members", "exempt", d, "--from", "01/09/2025", "--to", "30/11/2026", "--reason", "health").exit_code == 0
    data = run(cli)
    assert flagged(data, "absent_3_months") == ["Absent Three"]
    finding = next(f for f in data["findings"] if f["rule"] == "absent_3_months")
    assert finding["detail"].startswith("Vắng sinh hoạt chi bộ không lý do các tháng 3, 5, 9/2025")
    assert finding["card_number"] == a and finding["cell_code"] == "TL.01"
    assert "xóa tên" in finding["suggested_action"]


def test_dues_unpaid_three_months(cli, people):
    a = people.add("Dues Unpaid")
    people.marks(a, "dues", 2025, {1: "u", 2: "u", 7: "u", 3: 20000})
    b = people.add("Dues Exempt Month")
    people.marks(b, "dues", 2025, {1: "u", 2: "u", 3: "e"})
    c = people.add("Dues Fifty Years", admission="01/01/1970")  # 50 years of party age on 1/1/2020 (§4)
    people.marks(c, "dues", 2025, {1: "u", 2: "u", 3: "u"})
    d = people.add("Dues Exempted", admission="01/01/2000")
    people.marks(d, "dues", 2025, {4: "u", 5: "u", 6: "u"})
    assert cli("members", "exempt", d, "--from", "15/03/2025", "--reason", "health").exit_code == 0
    data = run(cli)
    assert flagged(data, "dues_unpaid_3_months") == ["Dues Unpaid"]
    detail = next(f["detail"] for f in data["findings"] if f["rule"] == "dues_unpaid_3_months")
    assert "các tháng 1, 2, 7/2025" in detail


def test_fifty_years_reached_during_the_year_excuses_only_later_months(cli, people):
    a = people.add("Half Year", admission="01/07/1975")  # 50 years on 1/7/2025
    people.marks(a, "dues", 2025, {1: "u", 2: "u", 3: "u", 8: "u"})
    b = people.add("Late In Year", admission="01/07/1975")
    people.marks(b, "dues", 2025, {2: "u", 8: "u", 9: "u"})
    data = run(cli)
    assert flagged(data, "dues_unpaid_3_months") == ["Half Year"]


def test_khtnv_two_years_in_a_row(cli, people):
    a = people.add("Two Years")
    b = people.add("Gap Year")
    c = people.add("Only Once")
    for card, levels in ((a, {2024: "KHTNV", 2025: "KHTNV"}), (b, {2023: "KHTNV", 2024: "HTNV", 2025: "KHTNV"}),
                         (c, {2024: "HTTNV", 2025: "KHTNV"})):
        for year, level in levels.items():
            assert cli("ratings", "set", card, "--year", year, "--level", level).exit_code == 0
    data = run(cli)
    assert flagged(data, "rated_khtnv_2_years") == ["Two Years"]
    assert next(f["detail"] for f in data["findings"] if f["rule"] == "rated_khtnv_2_years") == \
        "Xếp loại không hoàn thành nhiệm vụ các năm 2024, 2025"


def _ceremony_for(workdays: int) -> str:
    """A ceremony date whose 12 months end exactly ``workdays`` working days before AS_OF."""
    cal = default_calendar()
    as_of = date.fromisoformat(AS_OF)
    end = as_of
    while cal.working_days_between(end, as_of) < workdays or not cal.is_working_day(end + timedelta(days=1)):
        end -= timedelta(days=1)
    ceremony = add_months(end, -12)
    assert add_months(ceremony, 12) == end and cal.working_days_between(end, as_of) == workdays
    return ceremony.strftime("%d/%m/%Y")


def test_probation_overdue_31_vs_29_working_days(cli, people):
    people.add("Overdue 31", admission=_ceremony_for(31), probationary=True)
    people.add("Exactly 30", admission=_ceremony_for(30), probationary=True)
    people.add("Within 29", admission=_ceremony_for(29), probationary=True)
    recognised = people.add("Recognised", admission=_ceremony_for(40), probationary=True)
    assert cli("members", "update", recognised, "--membership", "official",
               "--official-date", "01/12/2025").exit_code == 0
    data = run(cli)
    assert flagged(data, "probation_overdue") == ["Overdue 31"]
    detail = next(f["detail"] for f in data["findings"] if f["rule"] == "probation_overdue")
    assert "đã quá 31 ngày làm việc" in detail


def test_transfers_exemptions_and_not_rated(cli, people):
    host = people.add("Host Expired")
    assert cli("members", "transfer", host, "--to", "TL.02", "--temporary", "--until", "31/12/2025",
               "--date", "01/06/2025").exit_code == 0
    still = people.add("Host Running")
    assert cli("members", "transfer", still, "--to", "TL.02", "--temporary", "--until", "30/06/2026",
               "--date", "01/06/2025").exit_code == 0
    away = people.add("Letter Late")
    assert cli("members", "transfer", away, "--destination", "Đảng bộ phường X", "--date", "01/12/2025",
               "--letter", "12-GGT").exit_code == 0
    recent = people.add("Letter Recent")
    assert cli("members", "transfer", recent, "--destination", "Đảng bộ phường Y", "--date", "01/01/2026").exit_code == 0
    ex = people.add("Exemption Over")
    assert cli("members", "exempt", ex, "--from", "01/01/2025", "--to", "31/12/2025", "--reason", "health").exit_code == 0
    rated = people.add("Rated Member")
    assert cli("ratings", "set", rated, "--year", 2025, "--level", "HTNV").exit_code == 0
    people.add("New Member", admission="01/08/2025", probationary=True)  # < 6 months before 31/12: not rated
    data = run(cli)
    assert flagged(data, "temporary_transfer_expired") == ["Host Expired"]
    assert flagged(data, "transfer_not_presented") == ["Letter Late"]
    assert flagged(data, "exemption_expired") == ["Exemption Over"]
    # not rated: everyone active and admitted by 30/6/2025 in TL.01 except the rated one; the exempt member is
    # not rated by rule, the transferred-out ones are gone
    assert flagged(data, "not_rated") == ["Host Expired", "Host Running"]
    org = {(f["cell_code"], f["rule"]) for f in data["org_findings"]}
    assert ("TL.02", "cell_too_small") in org
    assert ("TL.02", "ratings_missing") not in org  # no member of TL.02 itself is due


def test_not_rated_is_not_checked_before_the_year_ends(cli, people):
    people.add("Someone")
    r = cli("screening", "run", "--year", 2026, "--as-of", AS_OF, "--format", "json")
    assert r.exit_code == 0
    assert flagged(r.json(), "not_rated") == []


def test_organization_findings(cli, people):
    assert cli("cells", "add", "Chi bộ Lớn", "--code", "TL.03", "--kind", "cell", "--parent", "TL").exit_code == 0
    assert cli("cells", "add", "Chi bộ có chi ủy", "--code", "TL.04", "--kind", "cell", "--parent", "TL",
               "--has-committee").exit_code == 0
    assert cli("cells", "add", "Chi bộ cơ sở Trường", "--code", "CS", "--kind", "grassroots_cell").exit_code == 0
    assert cli("cells", "add", "Chi bộ cơ sở Nhỏ", "--code", "CS2", "--kind", "grassroots_cell").exit_code == 0
    for i in range(3):
        people.add(f"Đông {i}", cell="TL.01")
    for i in range(2):
        people.add(f"Tây {i}", cell="TL.02")
    people.add("Tây dự bị", cell="TL.02", admission="01/12/2025", probationary=True)
    for i in range(9):
        people.add(f"Lớn {i}", cell="TL.03")
    for i in range(9):
        people.add(f"Chi ủy {i}", cell="TL.04")
    for i in range(30):
        people.add(f"Trường {i}", cell="CS")
    for i in range(29):
        people.add(f"Nhỏ {i}", cell="CS2")
    data = run(cli)
    org = sorted((f["cell_code"], f["rule"]) for f in data["org_findings"] if f["rule"] != "ratings_missing")
    assert org == [("CS", "cell_needs_committee"), ("CS", "grassroots_cell_too_large"),
                   ("CS2", "cell_needs_committee"), ("TL.02", "cell_too_small"), ("TL.03", "cell_needs_committee")]
    small = next(f for f in data["org_findings"] if f["rule"] == "cell_too_small")
    assert small["cell_name"] == "Chi bộ thôn Tây" and "2 đảng viên chính thức" in small["detail"]


def test_rerun_finds_the_same_and_reports_changes(cli, people):
    a = people.add("Absent")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    first = run(cli)
    second = run(cli)
    strip = [(f["member_id"], f["rule"], f["detail"]) for f in first["findings"]]
    assert strip == [(f["member_id"], f["rule"], f["detail"]) for f in second["findings"]]
    assert second["fingerprint"] == first["fingerprint"]
    assert second["changes"] == {"previous_run_id": first["run_id"], "same_inputs": True, "new": [], "gone": []}
    people.marks(a, "attendance", 2025, {3: "p"})
    b = people.add("Newly Absent")
    people.marks(b, "dues", 2025, {1: "u", 2: "u", 3: "u"})
    third = run(cli)
    assert third["fingerprint"] != first["fingerprint"]
    assert [(c["full_name"], c["rule"]) for c in third["changes"]["new"]] == [("Newly Absent", "dues_unpaid_3_months")]
    assert [(c["full_name"], c["rule"]) for c in third["changes"]["gone"]] == [("Absent", "absent_3_months")]
    dry = run(cli, "--dry-run")
    assert dry["run_id"] is None
    listed = cli("screening", "list", "--format", "json").json()
    assert [r["run_id"] for r in listed] == [3, 2, 1]


def test_resolve_removed_makes_the_member_leave_with_history(cli, people):
    a = people.add("To Remove")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    b = people.add("To Warn")
    people.marks(b, "dues", 2025, {1: "u", 2: "u", 3: "u"})
    data = run(cli)
    fa = next(f for f in data["findings"] if f["full_name"] == "To Remove")
    fb = next(f for f in data["findings"] if f["full_name"] == "To Warn")
    refused = cli("screening", "resolve", data["run_id"], fa["id"], "--decision", "removed")
    assert refused.exit_code == 1 and "quyết định" in refused.stderr
    r = cli("screening", "resolve", data["run_id"], fa["id"], "--decision", "removed", "--ref", "05-QĐ/ĐU",
            "--date", "15/01/2026")
    assert r.exit_code == 0, r.stderr
    assert cli("screening", "resolve", data["run_id"], fb["id"], "--decision", "warned").exit_code == 0
    again = cli("screening", "resolve", data["run_id"], fb["id"], "--decision", "kept")
    assert again.exit_code == 1
    member = cli("members", "show", a, "--format", "json").json()
    assert member["status"] == "removed" and member["status_reference"] == "05-QĐ/ĐU"
    history = cli("members", "history", a, "--format", "json").json()
    left = [h for h in history if h["event"] == "left"]
    assert left and left[0]["new_value"] == "removed" and left[0]["source"] == f"screening resolve {data['run_id']}"
    shown = cli("screening", "show", data["run_id"], "--format", "json").json()
    resolutions = {f["full_name"]: f["resolution"] for f in shown["findings"]}
    assert resolutions == {"To Remove": "removed", "To Warn": "warned"}
    # the removed member is no longer screened
    assert "To Remove" not in [f["full_name"] for f in run(cli)["findings"]]


def test_export_screening_list(cli, people, tmp_path):
    a = people.add("Nguyễn Văn Vắng")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    data = run(cli)
    out = tmp_path / "ra-soat.xlsx"
    r = cli("export", "screening", data["run_id"], out, "--committee", "Đảng ủy xã Tân Lập")
    assert r.exit_code == 0, r.stderr
    ws = load_workbook(out).active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "ĐẢNG ỦY XÃ TÂN LẬP" in texts and "ĐẢNG CỘNG SẢN VIỆT NAM" in texts
    assert any(t.startswith("DANH SÁCH ĐẢNG VIÊN, TỔ CHỨC ĐẢNG ĐỀ NGHỊ XEM XÉT") for t in texts)
    assert any("Chi bộ thôn Đông" in t for t in texts) and "Nguyễn Văn Vắng" in texts
    assert cli("export", "screening", 99, tmp_path / "x.xlsx").exit_code == 1


def test_run_refuses_a_bad_year_and_unknown_run(cli, commune):
    assert cli("screening", "run", "--year", 2027, "--as-of", "01/01/2026").exit_code == 1
    assert cli("screening", "show", 5).exit_code == 1
