"""The screening run (domain.md §1.3, §1.6–§1.9, §2, §4): for each rule, members who meet it and members who
narrowly do not, asserting exactly who is flagged; stored runs, changes between runs, resolve, export."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

import dbstate
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
    d = people.add("Dues Exempted", admission="01/01/2000")
    people.marks(d, "dues", 2025, {4: "u", 5: "u", 6: "u"})
    assert cli("members", "exempt", d, "--from", "15/03/2025", "--reason", "health").exit_code == 0
    data = run(cli)
    assert flagged(data, "dues_unpaid_3_months") == ["Dues Unpaid"]
    detail = next(f["detail"] for f in data["findings"] if f["rule"] == "dues_unpaid_3_months")
    assert "các tháng 1, 2, 7/2025" in detail


def test_fifty_years_of_party_age_excuses_dues_only_under_01_qd_tw(cli, people):
    """The exemption at 50 years came with Quy định 01-QĐ/TW (1/2/2026): the same member, 50 years on 1/1/2020,
    is judged by the year's regulation — 2025's three months are unpaid, 2026's months from February are not."""
    c = people.add("Dues Fifty Years", admission="01/01/1970")
    people.marks(c, "dues", 2025, {1: "u", 2: "u", 3: "u"})
    people.marks(c, "dues", 2026, {1: "u", 2: "u", 3: "u"})
    assert flagged(run(cli), "dues_unpaid_3_months") == ["Dues Fifty Years"]
    assert flagged(run(cli, year=2026), "dues_unpaid_3_months") == []


def test_fifty_years_reached_during_the_year_excuses_only_later_months(cli, people):
    a = people.add("Half Year", admission="01/07/1976")  # 50 years on 1/7/2026
    people.marks(a, "dues", 2026, {1: "u", 2: "u", 3: "u", 8: "u"})
    b = people.add("Late In Year", admission="01/07/1976")
    people.marks(b, "dues", 2026, {2: "u", 8: "u", 9: "u"})
    data = run(cli, year=2026)
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
    assert second["changes"] == {"previous_run_id": first["run_id"], "same_inputs": True, "new": [], "gone": [],
                                 "decisions_kept": 0}
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


def test_fingerprint_moves_with_every_input_even_when_the_findings_do_not(cli, people):
    """The books and ratings have no id of their own: a change to them that flags nobody still moves the
    fingerprint, through the history row every such change leaves (on a server, no table mark is read)."""
    a = people.add("Vắng Hai Tháng")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k"})
    assert cli("ratings", "set", a, "--year", 2025, "--level", "HTTNV").exit_code == 0

    def found(data):
        return [(f.get("member_id"), f["cell_code"], f["rule"], f["detail"])
                for f in data["findings"] + data["org_findings"]]

    first = run(cli)
    changes = [
        ("attendance", "set", a, "--year", 2025, "--month", 5, "--mark", "p"),
        ("dues", "set", a, "--year", 2025, "--month", 5, "--amount", 20000),
        ("ratings", "set", a, "--year", 2025, "--level", "HTXSNV"),
    ]
    previous = first
    for change in changes:
        assert cli(*change).exit_code == 0
        again = run(cli)
        assert found(again) == found(first), change
        assert again["fingerprint"] != previous["fingerprint"], change
        assert again["changes"]["same_inputs"] is False, change
        previous = again
    assert run(cli)["changes"]["same_inputs"] is True


def test_resolve_removed_makes_the_member_leave_with_history(cli, people):
    a = people.add("To Remove")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    b = people.add("To Warn")
    people.marks(b, "dues", 2025, {1: "u", 2: "u", 3: "u"})
    data = run(cli)
    fa = next(f for f in data["findings"] if f["full_name"] == "To Remove")
    fb = next(f for f in data["findings"] if f["full_name"] == "To Warn")
    refused = cli("screening", "resolve", data["run_id"], fa["item_no"], "--decision", "removed")
    assert refused.exit_code == 1 and "quyết định" in refused.stderr
    r = cli("screening", "resolve", data["run_id"], fa["item_no"], "--decision", "removed", "--ref", "05-QĐ/ĐU",
            "--date", "15/01/2026")
    assert r.exit_code == 0, r.stderr
    assert cli("screening", "resolve", data["run_id"], fb["item_no"], "--decision", "warned").exit_code == 0
    again = cli("screening", "resolve", data["run_id"], fb["item_no"], "--decision", "kept")
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


# --- screening that remembers (issue 9): numbers and decisions kept across re-runs of a year ------------------

def _items(data):
    """full_name or cell code → (item_no, resolution) of a run's findings."""
    return {(f.get("full_name") or f["cell_code"], f["rule"]): (f["item_no"], f["resolution"])
            for f in data["findings"] + data["org_findings"]}


def test_rerun_keeps_item_numbers_and_decisions_and_names_new_and_gone(cli, people):
    a = people.add("An Vắng")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    b = people.add("Bình Nợ Phí")
    people.marks(b, "dues", 2025, {1: "u", 2: "u", 3: "u"})
    c = people.add("Cường Vắng")
    people.marks(c, "attendance", 2025, {4: "k", 5: "k", 6: "k"})
    first = run(cli)
    numbers = {f["full_name"]: f["item_no"] for f in first["findings"]}
    every = first["findings"] + first["org_findings"]
    assert [f["item_no"] for f in every] == list(range(1, len(every) + 1))  # a new year numbers from 1, in order
    assert cli("screening", "resolve", first["run_id"], numbers["Bình Nợ Phí"], "--decision", "warned",
               "--date", "15/01/2026").exit_code == 0
    assert cli("screening", "resolve", first["run_id"], numbers["An Vắng"], "--decision", "kept").exit_code == 0
    highest = max(f["item_no"] for f in first["findings"] + first["org_findings"])

    people.marks(a, "attendance", 2025, {3: "p"})  # An's absence is excused: gone
    d = people.add("Dũng Mới Vắng")
    people.marks(d, "attendance", 2025, {7: "k", 8: "k", 9: "k"})  # new
    second = run(cli)
    items = _items(second)
    assert items[("Bình Nợ Phí", "dues_unpaid_3_months")] == (numbers["Bình Nợ Phí"], "warned")
    assert items[("Cường Vắng", "absent_3_months")] == (numbers["Cường Vắng"], None)
    assert items[("Dũng Mới Vắng", "absent_3_months")] == (highest + 1, None)
    assert ("An Vắng", "absent_3_months") not in items
    changes = second["changes"]
    assert changes["previous_run_id"] == first["run_id"] and changes["decisions_kept"] == 1
    assert [(c["item_no"], c["full_name"], c["rule"]) for c in changes["new"]] == \
        [(highest + 1, "Dũng Mới Vắng", "absent_3_months")]
    assert [(c["item_no"], c["full_name"], c["cell_code"], c["rule"]) for c in changes["gone"]] == \
        [(numbers["An Vắng"], "An Vắng", "TL.01", "absent_3_months")]
    # the decision is stored on the new run too, with its reference date
    shown = cli("screening", "show", second["run_id"], "--format", "json").json()
    bình = next(f for f in shown["findings"] if f["full_name"] == "Bình Nợ Phí")
    assert (bình["item_no"], bình["resolution"], bình["resolved_at"]) == (numbers["Bình Nợ Phí"], "warned",
                                                                          "2026-01-15")

    # An is absent again: the finding comes back with its old number and the committee's decision on it
    people.marks(a, "attendance", 2025, {3: "k"})
    third = run(cli)
    assert _items(third)[("An Vắng", "absent_3_months")] == (numbers["An Vắng"], "kept")
    assert _items(third)[("Dũng Mới Vắng", "absent_3_months")] == (highest + 1, None)
    assert [c["full_name"] for c in third["changes"]["new"]] == ["An Vắng"]
    assert third["changes"]["gone"] == []

    # the number printed is the number resolve takes, on the latest run...
    r = cli("screening", "resolve", third["run_id"], highest + 1, "--decision", "warned")
    assert r.exit_code == 0, r.stderr
    assert f"mục số {highest + 1}" in r.stderr + r.stdout
    # ...and a decision recorded on an older run holds for the same item of the later runs of the year
    assert cli("screening", "resolve", first["run_id"], numbers["Cường Vắng"], "--decision", "kept").exit_code == 0
    for run_id in (second["run_id"], third["run_id"]):
        shown = cli("screening", "show", run_id, "--format", "json").json()
        assert next(f["resolution"] for f in shown["findings"] if f["full_name"] == "Cường Vắng") == "kept"
    # a fourth run keeps all of them; numbers never move
    fourth = run(cli)
    assert _items(fourth) == _items(third) | {("Dũng Mới Vắng", "absent_3_months"): (highest + 1, "warned"),
                                              ("Cường Vắng", "absent_3_months"): (numbers["Cường Vắng"], "kept")}
    assert fourth["changes"]["decisions_kept"] == 4


def test_rerun_table_names_what_is_new_and_gone_with_their_numbers(cli, people):
    a = people.add("An Vắng")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    first = run(cli)
    number = next(f["item_no"] for f in first["findings"])
    people.marks(a, "attendance", 2025, {3: "p"})
    b = people.add("Bảo Vắng")
    people.marks(b, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    r = cli("screening", "run", "--year", 2025, "--as-of", AS_OF)
    assert r.exit_code == 0, r.stderr
    text = r.stdout + r.stderr
    second = cli("screening", "show", "--format", "json").json()
    new_no = next(f["item_no"] for f in second["findings"] if f["full_name"] == "Bảo Vắng")
    assert new_no > number
    assert f"Mục mới số {new_no}: Bảo Vắng" in text
    assert f"Mục không còn số {number}: An Vắng" in text
    assert "1 mục mới, 1 mục không còn" in text


def test_show_and_export_default_to_the_latest_run(cli, people, tmp_path):
    assert cli("screening", "show").exit_code == 1
    empty = cli("screening", "show")
    assert "Chưa có lần rà soát nào" in empty.stderr and "screening run" in empty.stderr
    a = people.add("Nguyễn Văn Trước")
    people.marks(a, "attendance", 2024, {1: "k", 2: "k", 3: "k"})
    older = run(cli, year=2024)
    b = people.add("Trần Văn Sau")
    people.marks(b, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    latest = run(cli)
    shown = cli("screening", "show", "--format", "json").json()
    assert shown["run_id"] == latest["run_id"]
    assert [f["item_no"] for f in shown["findings"]] == [f["item_no"] for f in latest["findings"]]
    assert cli("screening", "show", "--year", 2024, "--format", "json").json()["run_id"] == older["run_id"]
    assert cli("screening", "show", older["run_id"], "--format", "json").json()["year"] == 2024

    def names(path):
        ws = load_workbook(path).active
        return {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}

    out = tmp_path / "moi-nhat.xlsx"
    r = cli("export", "screening", out)
    assert r.exit_code == 0, r.stderr
    assert "Trần Văn Sau" in names(out) and "Nguyễn Văn Trước" not in names(out)
    out_old = tmp_path / "lan-truoc.xlsx"
    assert cli("export", "screening", older["run_id"], out_old).exit_code == 0  # contract.md: RUN FILE
    assert "Nguyễn Văn Trước" in names(out_old) and "Trần Văn Sau" not in names(out_old)
    missing = cli("export", "screening")
    assert missing.exit_code == 2 and "Thiếu tên tệp" in missing.stderr
    bad = cli("export", "screening", "ba", tmp_path / "x.xlsx")
    assert bad.exit_code == 2 and "Số lần rà soát 'ba'" in bad.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_item_numbers_of_runs_stored_before_the_change_are_their_ids(tmp_path, cli, monkeypatch):
    """A database of schema version 1 with a stored run: after migrating, each finding's item number is the id
    clerks were shown until now, and resolve takes it."""
    from dbstate import version_1_database

    old = tmp_path / "v1.db"
    conn = version_1_database(old)
    conn.execute("INSERT INTO cells (id, code, name, search_key, kind, created_at, updated_at) "
                 "VALUES (1, 'TL.01', 'Chi bộ thôn Đông', 'chi bo thon dong', 'cell', 't', 't')")
    conn.execute("INSERT INTO members (id, full_name, search_key, sort_key, cell_id, created_at, updated_at) "
                 "VALUES (1, 'Lê Văn Cũ', 'le van cu', 'cu', 1, 't', 't')")
    conn.execute("INSERT INTO screening_runs (id, year, as_of, fingerprint, finding_count, created_at) "
                 "VALUES (1, 2025, '2026-01-20', 'x', 2, 't')")
    conn.execute("INSERT INTO screening_findings (id, run_id, member_id, rule, detail, facts) VALUES "
                 "(41, 1, 1, 'absent_3_months', 'Vắng', '{\"cell_code\": \"TL.01\"}')")
    conn.execute("INSERT INTO screening_findings (id, run_id, cell_id, rule, detail) VALUES "
                 "(42, 1, 1, 'cell_too_small', 'Chi bộ có 1 đảng viên chính thức')")
    conn.commit()
    conn.close()
    monkeypatch.setenv("DANGVIEN_DB", str(old))
    shown = cli("screening", "show", "--format", "json").json()
    assert [(f["item_no"], f["full_name"]) for f in shown["findings"]] == [(41, "Lê Văn Cũ")]
    assert [(f["item_no"], f["cell_code"]) for f in shown["org_findings"]] == [(42, "TL.01")]
    assert cli("screening", "resolve", 1, 42, "--decision", "kept").exit_code == 0
    assert cli("screening", "show", 1, "--format", "json").json()["org_findings"][0]["resolution"] == "kept"


# --- the store's seam: a busy database (STORE.md) ----------------------------------------------------------

def test_busy_database_refuses_screening_writes_and_serves_reads(cli, people, isolated_db, snapshot, monkeypatch):

    a = people.add("An Vắng")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    data = run(cli)
    item = data["findings"][0]["item_no"]
    before = snapshot(isolated_db)
    holder = dbstate.hold_write_lock(isolated_db, monkeypatch)
    try:
        for args in (("screening", "run", "--year", 2025, "--as-of", AS_OF),
                     ("screening", "resolve", data["run_id"], item, "--decision", "kept")):
            r = cli(*args)
            assert r.exit_code == 1, (args, r.stdout, r.stderr)
            assert "đang bận" in r.stderr and "Traceback" not in r.stderr
        listed = cli("screening", "list", "--format", "json")
        assert listed.exit_code == 0, listed.stderr
        assert [x["run_id"] for x in listed.json()] == [data["run_id"]]
        shown = cli("screening", "show", "--format", "json")
        assert shown.exit_code == 0 and shown.json()["findings"][0]["full_name"] == "An Vắng"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert snapshot(isolated_db) == before


def test_a_stored_run_shows_todays_wording_of_the_action(cli, people, isolated_db):
    """Runs stored before the actions cited the regulation said 'domain.md §…'; showing or printing one gives
    the action as it reads now."""

    a = people.add("An Vắng")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    data = run(cli)
    conn = dbstate.connect(isolated_db)
    conn.execute("UPDATE screening_findings SET suggested_action = 'Đề nghị xóa tên (QĐ 24 §8.1, domain.md §1.9).'")
    conn.commit()
    conn.close()
    shown = cli("screening", "show", data["run_id"], "--format", "json").json()
    actions = [f["suggested_action"] for f in shown["findings"] + shown["org_findings"]]
    assert actions and not any("domain.md" in a for a in actions)
    assert "Quy định 294-QĐ/TW, mục 8.1" in shown["findings"][0]["suggested_action"]  # 2025: in force from 1/7


def test_two_findings_of_one_member_on_one_ground_keep_their_own_numbers(cli, people, isolated_db):
    """Service level, on the test's database: two letters not presented by the same member are two items, and a
    re-run gives each its own number back (the key is the subject, the ground and which of them it is)."""

    from dangvien_cli.services import screening as svc

    card = people.add("Hai Giấy")
    conn = dbstate.connect(isolated_db)
    member_id = conn.execute("SELECT id FROM members WHERE card_number = ?", (card,)).fetchone()[0]
    for letter, issued in (("01-GGT", "2025-10-01"), ("02-GGT", "2025-11-03")):
        conn.execute("INSERT INTO transfers (member_id, kind, destination, letter_number, issued_date, start_date, "
                     "status, created_at) VALUES (?, 'official', 'Đảng bộ phường X', ?, ?, ?, 'pending', 't')",
                     (member_id, letter, issued, issued))
    conn.commit()
    conn.close()
    db = dbstate.database(isolated_db)

    def letters(data):
        return sorted((f["item_no"], f["facts"]["letter_number"]) for f in data["findings"]
                      if f["rule"] == "transfer_not_presented")

    with db.write() as c:
        first = svc.run(c, 2025, as_of=AS_OF)
    assert len(letters(first)) == 2 and len({n for n, _ in letters(first)}) == 2
    with db.write() as c:
        svc.resolve(c, first["run_id"], letters(first)[1][0], decision="warned")
    with db.write() as c:
        second = svc.run(c, 2025, as_of=AS_OF)
    assert letters(second) == letters(first)
    assert second["changes"]["new"] == [] and second["changes"]["gone"] == []
    (first_no, first_letter), (second_no, second_letter) = letters(first)
    decided = {f["facts"]["letter_number"]: f["resolution"] for f in second["findings"]
               if f["rule"] == "transfer_not_presented"}
    assert decided == {first_letter: None, second_letter: "warned"}
    # the first letter is presented: the second keeps its own number and decision, not the first's
    conn = dbstate.connect(isolated_db)
    conn.execute("UPDATE transfers SET status = 'arrived', arrived_date = '2025-12-01' WHERE letter_number = ?",
                 (first_letter,))
    conn.commit()
    conn.close()
    with db.write() as c:
        third = svc.run(c, 2025, as_of=AS_OF)
    assert letters(third) == [(second_no, second_letter)]
    assert [f["resolution"] for f in third["findings"] if f["rule"] == "transfer_not_presented"] == ["warned"]
    assert [(g["item_no"], g["rule"]) for g in third["changes"]["gone"]] == [(first_no, "transfer_not_presented")]
    with db.read() as c:
        assert [r["run_id"] for r in svc.list_runs(c, 2025)] == [third["run_id"], second["run_id"],
                                                                   first["run_id"]]


def test_the_exported_list_prints_the_item_numbers_of_a_rerun(cli, people, tmp_path):
    """After a re-run the numbers are no longer 1, 2, 3…: the printed list shows each finding's own number."""
    a = people.add("An Vắng")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    b = people.add("Bảo Vắng")
    people.marks(b, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    run(cli)
    people.marks(a, "attendance", 2025, {3: "p"})
    c = people.add("Cúc Vắng")
    people.marks(c, "attendance", 2025, {4: "k", 5: "k", 6: "k"})
    second = run(cli)
    numbers = {f["full_name"]: f["item_no"] for f in second["findings"]}
    assert sorted(numbers) == ["Bảo Vắng", "Cúc Vắng"] and numbers["Cúc Vắng"] > len(second["findings"])
    out = tmp_path / "ra-soat.xlsx"
    assert cli("export", "screening", out).exit_code == 0
    printed = {}
    for row in load_workbook(out).active.iter_rows(values_only=True):
        cells = [v for v in row if v is not None]
        if len(cells) >= 2 and cells[1] in numbers:
            printed[cells[1]] = cells[0]
    assert printed == numbers


def test_rules_read_side_by_side_find_what_one_reading_finds_and_a_failing_rule_stores_nothing(
        cli, people, monkeypatch):
    """On a server the rules run on several connections that share one snapshot (services.screening._apply);
    the findings, their order and the fingerprint are those of reading on one connection. A rule that fails
    in a worker thread fails the run, and no run is stored. (On SQLite both readings are the one connection.)"""
    from dangvien_cli.services import screening as svc

    a = people.add("Absent")
    people.marks(a, "attendance", 2025, {1: "k", 2: "k", 3: "k"})
    b = people.add("Unpaid")
    people.marks(b, "dues", 2025, {4: "u", 5: "u", 6: "u"})
    people.add("Probation", admission="01/06/2024", probationary=True)
    monkeypatch.setattr(svc, "READERS", 0)
    alone = run(cli, "--dry-run")
    monkeypatch.setattr(svc, "READERS", 2)
    side_by_side = run(cli, "--dry-run")
    assert side_by_side == alone
    assert sorted(f["rule"] for f in alone["findings"]) == ["absent_3_months", "dues_unpaid_3_months",
                                                              "probation_overdue"]

    def broken(scope):
        raise RuntimeError("a rule broke")

    monkeypatch.setattr(svc, "ORG_RULES", (*svc.ORG_RULES, broken))
    failed = cli("screening", "run", "--year", 2025, "--as-of", AS_OF, "--format", "json")
    assert failed.exit_code != 0 and "RuntimeError" in failed.stderr, failed.stderr
    assert cli("screening", "list", "--format", "json").json() == []
