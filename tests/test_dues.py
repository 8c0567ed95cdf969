"""Party dues (domain.md §4, §9; issue 14): the amount due each month for every dues category, under
Quyết định 342-QĐ/TW before 1/2/2026 and Quy định 01-QĐ/TW from then, and the dues book checked against it —
in `dues due`, in `reports dues` and as the screening grounds dues_short / dues_over."""

from __future__ import annotations

from datetime import date

import pytest

from dangvien_cli.rules import dues
from dangvien_cli.rules.settings import DEFAULTS

CFG = dict(DEFAULTS) | {"dues.regional_minimum_wage": 4_140_000}


def P(category, base=None, start="2025-01-01", end=None):  # noqa: N802 - a short name for the table below
    return dues.Period(category, base, start, end)


def due(year, month, periods, reductions=(), exempt_from=None, cfg=CFG):
    return dues.due(year, month, periods, list(reductions), exempt_from, cfg)


# --- the rule, category by category, on both sides of 1/2/2026 ------------------------------------------------

@pytest.mark.parametrize(("period", "jan", "mar", "jan_rule"), [
    (P("insured", 6_500_000), 65_000, 65_000, "342-QĐ/TW"),
    (P("pension", 5_000_000), 25_000, 25_000, "342-QĐ/TW"),
    # outside insurance: the committee's fixed amount under 342 (default its minimum, 2,000 đ); 0.3 % / 0.2 % of
    # the regional minimum wage under 01 (4,140,000 đ set above) — 12,420 đ and 8,280 đ
    (P("uninsured"), 2_000, 12_420, "342-QĐ/TW"),
    (P("uninsured_retired"), 1_000, 8_280, "342-QĐ/TW"),
    (P("student"), 2_000, 5_000, "342-QĐ/TW"),
    (P("social_pension"), 1_000, 0, "342-QĐ/TW"),
])
def test_each_category_before_and_after_the_new_regulation(period, jan, mar, jan_rule):
    before, after = due(2026, 1, [period]), due(2026, 3, [period])
    assert (before.amount, before.regulation) == (jan, jan_rule)
    assert (after.amount, after.regulation) == (mar, "01-QĐ/TW")
    assert after.exempt == (period.category == "social_pension")


def test_insured_under_01_pays_on_the_previous_months_salary_and_under_342_on_the_months_own():
    periods = [P("insured", 6_000_000, "2025-01-01", "2026-02-28"), P("insured", 8_000_000, "2026-03-01")]
    assert due(2026, 3, periods).amount == 60_000  # February's salary (01-QĐ/TW)
    assert due(2026, 4, periods).amount == 80_000
    old = [P("insured", 6_000_000, "2025-01-01", "2025-11-30"), P("insured", 8_000_000, "2025-12-01")]
    assert due(2025, 12, old).amount == 80_000  # the month's own salary (342-QĐ/TW)
    assert due(2026, 1, old).regulation == "342-QĐ/TW" and due(2026, 2, old).regulation == "01-QĐ/TW"


def test_rates_outside_insurance_rise_in_2028_and_follow_the_settings():
    wage = [P("uninsured", 4_000_000)]
    assert due(2027, 12, wage).amount == 12_000 and due(2028, 1, wage).amount == 20_000
    assert due(2028, 1, [P("uninsured_retired", 4_000_000)]).amount == 12_000
    assert due(2026, 5, [P("student")], cfg=CFG | {"dues.student_amount": 10_000}).amount == 10_000
    assert due(2025, 5, [P("uninsured")], cfg=CFG | {"dues.old_other_amount": 20_000}).amount == 20_000


def test_without_a_minimum_wage_the_due_is_unknown_and_says_how_to_set_it():
    d = due(2026, 5, [P("uninsured")], cfg=CFG | {"dues.regional_minimum_wage": 0})
    assert d.amount is None and "dues.regional_minimum_wage" in d.why
    assert due(2026, 5, []).why == "chưa ghi diện đóng đảng phí của đảng viên"


def test_fifty_years_of_party_age_exempts_from_the_month_reached_under_01_only():
    reached = date(2026, 6, 15)
    periods = [P("pension", 6_000_000)]
    assert due(2026, 5, periods, exempt_from=reached).amount == 30_000
    june = due(2026, 6, periods, exempt_from=reached)
    assert (june.amount, june.exempt, june.regulation) == (0, True, "01-QĐ/TW")
    assert "50 năm tuổi Đảng" in june.basis
    # reached in 2025: under 342-QĐ/TW (as domain.md quotes it) January 2026 is still due, February is not
    early = date(2025, 3, 1)
    assert due(2026, 1, periods, exempt_from=early).amount == 30_000
    assert due(2026, 2, periods, exempt_from=early).exempt


def test_a_reduction_lowers_the_due_for_its_months_and_ends_after_twelve():
    periods = [P("insured", 10_000_000)]
    cut = [dues.Reduction(30, "2026-03-01", "2027-02-28")]
    assert due(2026, 2, periods, cut).amount == 100_000
    assert due(2026, 3, periods, cut).amount == 70_000 and due(2026, 3, periods, cut).reduction == 30
    assert due(2027, 2, periods, cut).amount == 70_000
    assert due(2027, 3, periods, cut).amount == 100_000 and due(2027, 3, periods, cut).reduction is None
    assert dues.reduction_end_limit("2026-03-01") == date(2027, 2, 28)


def test_check_of_one_month():
    d = due(2026, 3, [P("insured", 6_500_000)])
    assert dues.check(d, "p", 65_000).status == "ok"
    assert dues.check(d, "p", 60_000)[3:] == ("short", -5_000)
    assert dues.check(d, "p", 70_000)[3:] == ("over", 5_000)
    assert dues.check(d, "p", 64_000, tolerance=1_000).status == "ok"
    assert dues.check(d, "u", None).status == "unpaid"
    assert dues.check(d, "e", None).status == "exempt"
    assert dues.check(d, "-", None).status is None
    exempt = due(2026, 3, [P("social_pension")])
    assert dues.check(exempt, "u", None).status == "exempt" and dues.check(exempt, "p", 5_000).status == "over"


# --- the commands ---------------------------------------------------------------------------------------------

def add(cli, name, card, admission="01/01/2000", cell="TL.01"):
    r = cli("members", "add", "--name", name, "--gender", "female", "--birth-date", "01/01/1950", "--cell", cell,
            "--card-number", card, "--admission-date", admission, "--membership", "official")
    assert r.exit_code == 0, r.stderr


def pay(cli, card, year, months):
    for month, value in months.items():
        args = ["--unpaid"] if value == "u" else ["--exempt"] if value == "e" else ["--amount", value]
        r = cli("dues", "set", card, "--year", year, "--month", month, *args)
        assert r.exit_code == 0, r.stderr


@pytest.fixture
def book(cli, commune):
    """Four members of TL.01/TL.02 with categories and a 2026 book: short, over, right, and 50 years of age."""
    add(cli, "Lê Thị Lương", "08000001")
    assert cli("dues", "category", "08000001", "--category", "bhxh", "--base", "6500000",
               "--from", "01/01/2025").exit_code == 0
    pay(cli, "08000001", 2026, {1: 60000, 2: 65000, 3: 65000})      # January short under 342
    add(cli, "Trần Văn Hưu", "08000002")
    assert cli("dues", "category", "08000002", "--category", "lương hưu", "--base", "5000000",
               "--from", "01/01/2025").exit_code == 0
    pay(cli, "08000002", 2026, {1: 25000, 2: 30000, 3: 25000})      # February over under 01
    add(cli, "Phạm Thị Sinh", "08000003", cell="TL.02")
    assert cli("dues", "category", "08000003", "--category", "sinh vien", "--from", "01/09/2025").exit_code == 0
    pay(cli, "08000003", 2026, {1: 2000, 2: 5000, 3: 3000})         # March short: 5,000 đ under 01
    add(cli, "Hoàng Văn Lão", "08000004", admission="01/04/1976")   # 50 years of party age on 1/4/2026
    assert cli("dues", "category", "08000004", "--category", "pension", "--base", "4000000",
               "--from", "01/01/2025").exit_code == 0
    pay(cli, "08000004", 2026, {3: 20000, 4: "e", 5: "u"})
    return cli


def test_dues_due_shows_each_month_with_its_regulation(book):
    data = book("dues", "due", "08000001", "--year", "2026", "--format", "json").json()
    jan, feb = data["months"][0], data["months"][1]
    assert (jan["due"], jan["paid"], jan["status"], jan["difference"], jan["regulation"]) == \
        (65000, 60000, "short", -5000, "342-QĐ/TW")
    assert jan["citation"] == "Quyết định 342-QĐ/TW" and feb["citation"] == "Quy định 01-QĐ/TW"
    assert data["due_total"] == 65000 * 12 and data["paid_total"] == 190000
    assert data["categories"][0]["category"] == "insured"
    table = book("dues", "due", "08000001", "--year", "2026")
    assert table.exit_code == 0 and "Thiếu 5.000 đ" in table.stdout and "Quyết định 342-QĐ/TW" in table.stdout
    assert "Diện từ 01/01/2025: tham gia bảo hiểm xã hội bắt buộc, mức căn cứ 6.500.000 đ." in table.stderr


def test_reports_dues_lists_short_and_over_months(book):
    data = book("reports", "dues", "--year", "2026", "--format", "json").json()
    got = [(r["full_name"], r["month"], r["status"], r["due"], r["paid"], r["regulation"]) for r in data["rows"]]
    assert got == [("Lê Thị Lương", 1, "short", 65000, 60000, "342-QĐ/TW"),
                   ("Trần Văn Hưu", 2, "over", 25000, 30000, "01-QĐ/TW"),
                   ("Phạm Thị Sinh", 3, "short", 5000, 3000, "01-QĐ/TW")]
    assert (data["members_checked"], data["short_total"], data["over_total"]) == (4, 7000, 5000)
    lao = next(m for m in data["members"] if m["full_name"] == "Hoàng Văn Lão")
    # March due under 01 (20,000 đ, paid); April exempt in the book; May unpaid but exempt by 50 years
    assert (lao["months_short"], lao["months_over"], lao["months_unpaid"]) == ([], [], [])
    assert lao["due_total"] == 20000 * 3  # January to March
    cell = book("reports", "dues", "--year", "2026", "--cell", "TL.02", "--format", "json").json()
    assert cell["cell_code"] == "TL.02" and [r["full_name"] for r in cell["rows"]] == ["Phạm Thị Sinh"]


def test_screening_finds_short_and_over_payments(book, monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-11-30")
    data = book("screening", "run", "--year", "2026", "--format", "json").json()
    found = {(f["full_name"], f["rule"]): f for f in data["findings"] if f["rule"] in ("dues_short", "dues_over")}
    assert sorted(found) == [("Lê Thị Lương", "dues_short"), ("Phạm Thị Sinh", "dues_short"),
                             ("Trần Văn Hưu", "dues_over")]
    short = found[("Lê Thị Lương", "dues_short")]
    assert short["detail"] == ("Đóng thiếu đảng phí: tháng 1/2026 phải đóng 65.000 đ, đã đóng 60.000 đ "
                               "(Quyết định 342-QĐ/TW). Tổng thiếu 5.000 đ")
    assert "Quy định 01-QĐ/TW" in short["suggested_action"]
    assert found[("Trần Văn Hưu", "dues_over")]["detail"].endswith("(Quy định 01-QĐ/TW). Tổng thừa 5.000 đ")


def test_a_new_category_closes_the_one_before(book):
    assert book("dues", "category", "08000001", "--category", "insured", "--base", "7000000",
                "--from", "01/06/2026").exit_code == 0
    data = book("dues", "due", "08000001", "--year", "2026", "--format", "json").json()
    assert [(c["valid_from"], c["valid_to"]) for c in data["categories"]] == [("2025-01-01", "2026-05-31"),
                                                                             ("2026-06-01", None)]
    assert [m["due"] for m in data["months"]][5:7] == [65000, 70000]  # June on May's salary, July on June's
    history = book("members", "history", "08000001", "--format", "json").json()
    assert any(e["field"] == "dues_category" for e in history)


@pytest.mark.parametrize(("args", "words"), [
    (["dues", "category", "08000001", "--category", "insured", "--from", "01/01/2026"], "--base"),
    (["dues", "category", "08000001", "--category", "student", "--base", "100", "--from", "01/01/2026"], "Bỏ --base"),
    (["dues", "category", "08000001", "--category", "insured", "--base", "1", "--from", "01/01/2024"], "01/01/2025"),
    (["dues", "category", "08000001", "--category", "farmer", "--from", "01/01/2026"], "--category"),
    (["dues", "reduce", "08000001", "--percent", "40", "--from", "01/03/2026", "--to", "01/06/2026"], "30, 50 hoặc 70"),
    (["dues", "reduce", "08000001", "--percent", "50", "--from", "01/03/2026", "--to", "01/03/2027"], "28/02/2027"),
    (["dues", "reduce", "08000001", "--percent", "50", "--from", "01/12/2025", "--to", "01/06/2026"], "01/02/2026"),
])
def test_bad_categories_and_reductions_are_refused_and_nothing_is_written(book, isolated_db, snapshot, args, words):
    before = snapshot(isolated_db)
    r = book(*args)
    assert r.exit_code in (1, 2) and words in r.stderr
    assert snapshot(isolated_db) == before


def test_a_reduction_applies_for_its_months_then_expires(book):
    assert book("dues", "reduce", "08000001", "--percent", "50", "--from", "01/03/2026", "--to", "28/02/2027",
                "--ref", "QĐ 5-QĐ/ĐU").exit_code == 0
    y26 = book("dues", "due", "08000001", "--year", "2026", "--format", "json").json()["months"]
    y27 = book("dues", "due", "08000001", "--year", "2027", "--format", "json").json()["months"]
    assert [m["due"] for m in y26[1:4]] == [65000, 32500, 32500]
    assert [m["reduction_percent"] for m in y27[1:3]] == [50, None] and [m["due"] for m in y27[1:3]] == [32500, 65000]
    again = book("dues", "reduce", "08000001", "--percent", "30", "--from", "01/02/2027", "--to", "30/04/2027")
    assert again.exit_code == 1 and "đã được giảm 50 %" in again.stderr


def test_rules_list_shows_the_dues_rules_with_their_doubt(cli):
    rules = {r["key"]: r for r in cli("rules", "list", "--as-of", "01/03/2026", "--format", "json").json()["rules"]}
    assert rules["dues.uninsured"]["confidence"] == "low" and rules["dues.uninsured"]["setting"] == \
        "dues.uninsured_percent"
    assert rules["dues.student"]["value"] == "5.000 đ/tháng" and rules["dues.student"]["doubt"]
    old = {r["key"]: r for r in cli("rules", "list", "--as-of", "01/03/2025", "--format", "json").json()["rules"]}
    assert old["dues.insured"]["regulation"] == "342-QĐ/TW"


def test_reports_dues_table_names_the_regulations_of_the_months(book):
    table = book("reports", "dues", "--year", "2026")
    assert table.exit_code == 0 and "Thiếu 5.000 đ" in table.stdout and "Thừa 5.000 đ" in table.stdout
    assert ("Căn cứ: tháng 1/2026 theo Quyết định 342-QĐ/TW; tháng 2–5/2026 theo Quy định 01-QĐ/TW."
            in table.stderr.replace("\n  ", " "))
    assert "2 tháng đóng thiếu (7.000 đ), 1 tháng đóng thừa (5.000 đ)." in table.stderr


def test_paying_in_a_month_exempt_by_party_age_is_reported_as_over(book):
    pay(book, "08000004", 2026, {6: 20000})
    data = book("reports", "dues", "--year", "2026", "--format", "json").json()
    row = next(r for r in data["rows"] if r["full_name"] == "Hoàng Văn Lão")
    assert (row["month"], row["status"], row["exempt"], row["due"], row["paid"]) == (6, "over", True, 0, 20000)
    detail = book("screening", "run", "--year", "2026", "--as-of", "30/11/2026", "--dry-run", "--format", "json")
    found = next(f for f in detail.json()["findings"] if f["full_name"] == "Hoàng Văn Lão")
    assert found["detail"] == ("Đóng thừa đảng phí: tháng 6/2026 được miễn, đã đóng 20.000 đ (Quy định 01-QĐ/TW). "
                               "Tổng thừa 20.000 đ")


def test_json_keys_of_contract_md(book):
    """The keys contract.md promises for `dues due` and `reports dues`."""
    due = book("dues", "due", "08000002", "--year", "2026", "--format", "json").json()
    assert {"member_id", "full_name", "year", "categories", "reductions", "due_total", "paid_total",
            "months"} <= set(due)
    assert {"month", "category", "base", "reduction_percent", "due", "exempt", "regulation", "citation", "mark",
            "paid", "status", "difference"} <= set(due["months"][0])
    report = book("reports", "dues", "--year", "2026", "--format", "json").json()
    assert {"year", "cell_code", "members_checked", "months_short", "months_over", "months_unpaid",
            "months_unknown", "short_total", "over_total", "regulations", "rows", "members"} <= set(report)
    assert {"member_id", "card_number", "full_name", "cell_code", "month", "due", "paid", "difference", "status",
            "regulation", "citation"} <= set(report["rows"][0])
    assert report["regulations"] == [{"citation": "Quyết định 342-QĐ/TW", "months": [1]},
                                     {"citation": "Quy định 01-QĐ/TW", "months": [2, 3, 4, 5]}]


def test_an_older_database_gets_the_dues_tables(tmp_path):
    from dangvien_cli.store import migrations
    from dbstate import database_at_version

    conn = database_at_version(tmp_path / "old.db", 7)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'dues_categories'").fetchone()
    assert migrations.migrate(conn) == migrations.LATEST
    assert conn.execute("SELECT count(*) FROM dues_categories").fetchone() == (0,)
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ix_dues_reductions_member_id'").fetchone()


def test_a_file_recorded_at_a_higher_migration_still_gets_the_dues_tables(tmp_path):
    """Migration numbers were given to branches in advance and 12 reached files before 11: a file recorded at
    12 without 11 gets the dues tables, and a merge refuses such a file until it is opened once."""
    from dangvien_cli.store import migrations
    from dbstate import database_at_version

    conn = database_at_version(tmp_path / "twelve.db", 12)
    conn.execute("DROP TABLE dues_categories")
    conn.execute("DROP TABLE dues_reductions")
    conn.execute("DELETE FROM schema_migrations WHERE version = 11")
    assert migrations.current_version(conn) == migrations.LATEST and migrations.missing(conn) == {11}
    migrations.migrate(conn)
    assert migrations.missing(conn) == set()
    assert conn.execute("SELECT count(*) FROM dues_reductions").fetchone() == (0,)
