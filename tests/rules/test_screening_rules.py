"""The screening's pure rules (rules/screening.py): each judges one candidate and returns a named finding or
nothing; what a clerk reads cites the regulation, never the project's notes."""

from __future__ import annotations

import re
from datetime import date

from dangvien_cli.rules import screening as rules
from dangvien_cli.rules.screening import Finding, OrgFinding
from dangvien_cli.vocab import SCREENING_RULE


def test_absence_excused_by_an_exemption_touching_the_month():
    marks = "kkkx" + "x" * 8
    assert rules.absent(7, marks, [], 2025, 3) == Finding(
        7, "absent_3_months", "Vắng sinh hoạt chi bộ không lý do các tháng 1, 2, 3/2025 (3 tháng)",
        {"months": [1, 2, 3], "excused_months": []})
    # an exemption from 20/03 covers March: two months left, under the three that count
    assert rules.absent(7, marks, [("2025-03-20", None)], 2025, 3) is None


def test_dues_excused_from_the_month_fifty_years_of_party_age_are_reached():
    # decided 01/07/1976: 50 years on 01/07/2026, so July onwards is exempt (Quy định 01-QĐ/TW 2026)
    reached = rules.dues_exempt_from("1976-07-01", "1976-07-10", [], 50, 2026)
    assert reached == date(2026, 7, 1)
    marks = "uuxxxxxuuuxx"  # Jan, Feb unpaid; Aug–Oct unpaid but exempt
    assert rules.dues_unpaid(1, marks, [], reached, 2026, 3) is None
    assert rules.dues_unpaid(1, "uuu" + "x" * 9, [], reached, 2026, 3).facts["months"] == [1, 2, 3]
    # not reached by the end of the year: nothing excused
    assert rules.dues_exempt_from("1980-01-01", None, [], 50, 2026) is None


def test_the_fifty_year_exemption_starts_with_01_qd_tw():
    # 50 years on 01/07/2025, under Quyết định 342-QĐ/TW: no exemption in 2025, from 1/2/2026 under 01-QĐ/TW
    assert rules.dues_exempt_from("1975-07-01", None, [], 50, 2025) is None
    assert rules.dues_exempt_from("1975-07-01", None, [], 50, 2026) == date(2026, 2, 1)
    assert rules.dues_exempt_from("1960-01-01", None, [], 50, 2026) == date(2026, 2, 1)


def test_organization_size_thresholds_from_the_charter():
    kw = {"small": 3, "committee": 9, "large": 30}
    assert [f.rule for f in rules.organization_size(1, "cell", False, 2, 2, **kw)] == ["cell_too_small"]
    assert rules.organization_size(1, "cell", False, 3, 3, **kw) == []
    assert [f.rule for f in rules.organization_size(1, "cell", False, 9, 9, **kw)] == ["cell_needs_committee"]
    assert rules.organization_size(1, "cell", True, 9, 9, **kw) == []
    assert [f.rule for f in rules.organization_size(2, "grassroots_cell", True, 20, 30, **kw)] == \
        ["grassroots_cell_too_large"]
    assert all(isinstance(f, OrgFinding) and f.cell_id == 2
               for f in rules.organization_size(2, "grassroots_cell", False, 20, 30, **kw))


def test_a_party_group_counts_in_its_cell():
    kinds = {1: ("cell", None), 2: ("party_group", 1), 3: ("cell", None)}
    assert rules.counted_in_cell(kinds, [(1, 2, 2), (2, 1, 2), (3, 4, 4)]) == {1: (3, 4), 3: (4, 4)}


def test_every_suggested_action_cites_a_regulation_not_the_notes():
    citation = re.compile(r"Điều lệ Đảng, Điều \d+|\d+-QĐ/TW|\d+-HD/BTCTW")
    actions = rules.suggested_actions(2025)
    assert set(actions) == set(SCREENING_RULE.codes)
    for rule, text in actions.items():
        assert "domain.md" not in text and "§" not in text and "{" not in text, rule
        assert citation.search(text), rule


def test_the_action_cites_the_regulation_in_force_in_the_year_screened():
    # rules/regulations.py: 294-QĐ/TW from 1/7/2025, QĐ 208 from 26/7/2026 for abandoning activity; 01-QĐ/TW from
    # 1/2/2026 for dues (a screening of 2025 ends under 294, not the 24-QĐ/TW replaced in January 2025)
    assert "Quy định 24-QĐ/TW, mục 8.1" in rules.suggested_actions(2024)["absent_3_months"]
    assert "Quy định 294-QĐ/TW, mục 8.1" in rules.suggested_actions(2025)["absent_3_months"]
    assert "Quy định 208-QĐ/TW" in rules.suggested_actions(2026)["absent_3_months"]
    assert "Quy định 24-QĐ/TW, mục 8.1" in rules.suggested_actions(2024)["dues_unpaid_3_months"]
    assert "Quy định 294-QĐ/TW, mục 8.1" in rules.suggested_actions(2025)["dues_unpaid_3_months"]
    assert "Quy định 01-QĐ/TW" in rules.suggested_actions(2026)["dues_unpaid_3_months"]
