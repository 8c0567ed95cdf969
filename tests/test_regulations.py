"""Rules that know their regulation: the same fact judged under two regulations by its date."""

from __future__ import annotations

from datetime import date

import pytest

from dangvien_cli.rules import regulations


def test_a_rule_cites_the_regulation_in_force_on_the_day_of_the_fact():
    assert regulations.cite("admission.ceremony_deadline", date(2025, 6, 30)) == "Quy định 232-QĐ/TW, mục 4.1"
    assert regulations.cite("admission.ceremony_deadline", date(2025, 7, 1)) == "Quy định 294-QĐ/TW, mục 4.1"
    assert regulations.cite("admission.background_check", date(2025, 6, 8)) == "Hướng dẫn 01-HD/TW (2021), mục 3.4"
    assert regulations.cite("admission.background_check", date(2025, 6, 9)) == "Hướng dẫn 06-HD/TW, mục 3.4c"
    assert regulations.cite("dues.rates", date(2026, 1, 31)) == "Quyết định 342-QĐ/TW"
    assert regulations.cite("dues.rates", date(2026, 2, 1)) == "Quy định 01-QĐ/TW"
    assert regulations.cite("admission.probation", date(2026, 12, 1)) == "Điều lệ Đảng, Điều 5"


def test_versions_are_in_order_and_name_known_documents():
    for rule in regulations.RULES.values():
        days = [v.since for v in rule.versions]
        assert days == sorted(days), rule.key
        for version in rule.versions:
            assert version.regulation in regulations.REGULATIONS, (rule.key, version.regulation)
            assert version.since >= regulations.REGULATIONS[version.regulation].in_force, (rule.key, version)
            assert (version.confidence == "high") == (version.doubt is None), (rule.key, version)


def test_every_setting_named_by_a_rule_exists():
    from dangvien_cli.rules.settings import REGISTRY

    for rule in regulations.RULES.values():
        assert rule.settings_key is None or rule.settings_key in REGISTRY, rule.key


def test_rules_list_as_of_two_dates(cli):
    before = cli("rules", "list", "--as-of", "01/03/2025", "--format", "json").json()
    after = cli("rules", "list", "--as-of", "01/08/2026", "--format", "json").json()
    assert before["as_of"] == "2025-03-01" and after["as_of"] == "2026-08-01"
    b = {r["key"]: r for r in before["rules"]}
    a = {r["key"]: r for r in after["rules"]}
    assert b["admission.age"]["regulation"] == "232-QĐ/TW"
    assert a["admission.age"]["regulation"] == "208-QĐ/TW"
    assert a["admission.age"]["confidence"] == "low" and "208" in a["admission.age"]["doubt"]
    assert a["admission.age"]["setting"] == "admission.min_age_months"
    table = cli("rules", "list", "--as-of", "01/08/2026")
    assert table.exit_code == 0 and "thấp" in table.stdout


@pytest.mark.parametrize("bad", ["2025", "31/02/2025", "hôm qua"])
def test_rules_list_refuses_a_date_that_is_not_a_day(cli, bad):
    run = cli("rules", "list", "--as-of", bad)
    assert run.exit_code == 1 and "--as-of" in run.stderr


# --- the same case judged under two regulations by its date (issue 14) -----------------------------------------

def test_an_introducer_is_judged_by_the_regulation_of_the_day_of_the_introduction():
    from dangvien_cli.errors import RuleViolation
    from dangvien_cli.rules.admission import check_introducer

    def refusal_on(day):
        with pytest.raises(RuleViolation) as caught:
            check_introducer(membership="probationary", official_date=None, status="active", together_since=None,
                             on=day)
        return caught.value.message

    assert refusal_on(date(2024, 5, 10)).endswith("(Quy định 24-QĐ/TW, mục 3.2.1).")
    assert refusal_on(date(2025, 9, 1)).endswith("(Quy định 294-QĐ/TW, mục 3.2.1).")
    assert refusal_on(date(2026, 5, 1)).endswith("(Quy định 20-QĐ/TW).")
    assert refusal_on(date(2026, 9, 1)).endswith("(Quy định 208-QĐ/TW).")


def test_over_60_cites_the_guidance_of_the_day():
    from dangvien_cli.errors import RuleViolation
    from dangvien_cli.rules.admission import check_age

    def refusal_on(day):
        with pytest.raises(RuleViolation) as caught:
            check_age("1950-01-01", day)
        return caught.value.message

    assert "Quy định 24-QĐ/TW, mục 1.1; Hướng dẫn 01-HD/TW (2021), mục 1.1" in refusal_on(date(2024, 3, 1))
    assert "Quy định 208-QĐ/TW; Hướng dẫn 01-HD/TW (2026)" in refusal_on(date(2026, 10, 1))


def test_a_screening_cites_the_regulation_of_its_year(cli, commune):
    """One exemption that ended on 30/6/2024 and was never closed: the runs of 2024, 2025 and 2026 each find it,
    and each cites the regulation implementing the Charter in force at the end of its year."""
    assert cli("members", "add", "--name", "Đỗ Văn Miễn", "--gender", "male", "--birth-date", "01/01/1950",
               "--cell", "TL.01", "--card-number", "08000001", "--admission-date", "01/01/2000",
               "--membership", "official").exit_code == 0
    assert cli("members", "exempt", "08000001", "--from", "01/01/2024", "--to", "30/06/2024",
               "--reason", "health").exit_code == 0

    def action(year, as_of):
        data = cli("screening", "run", "--year", year, "--as-of", as_of, "--format", "json").json()
        return next(f["suggested_action"] for f in data["findings"] if f["rule"] == "exemption_expired")

    assert action(2024, "15/01/2025").endswith("(Quy định 24-QĐ/TW, mục 7.1).")
    assert action(2025, "15/01/2026").endswith("(Quy định 294-QĐ/TW, mục 7.1).")
    assert action(2026, "30/11/2026").endswith("(Quy định 208-QĐ/TW).")
    rules = {r["key"]: r for r in cli("rules", "list", "--as-of", "01/06/2026", "--format", "json").json()["rules"]}
    assert rules["exemption.activity"]["regulation"] == "20-QĐ/TW" and rules["exemption.activity"]["confidence"] == "low"
    assert "QĐ 20-QĐ/TW" in rules["exemption.activity"]["doubt"]


def test_rules_list_says_the_doubts_under_the_table(cli):
    """At 80 columns the doubt column is hidden: the low-confidence rules are said under the table, each with
    the reason and the setting a committee changes."""
    run = cli("rules", "list", "--as-of", "01/03/2026")
    assert run.exit_code == 0
    said = " ".join(run.stderr.split())
    assert "5 quy tắc có độ chắc chắn thấp" in said
    assert ("- Đảng phí của đảng viên là học sinh, sinh viên (Quy định 01-QĐ/TW): chỉ thấy trong ứng dụng của hai "
            "cấp ủy, chưa có văn bản công khai (thiết lập dues.student_amount).") in said
    assert cli("rules", "list", "--as-of", "01/03/2026", "--format", "json").stderr == ""
