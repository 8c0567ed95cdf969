"""Admission rules (domain.md §1.1–§1.3): age, certificate, introducers, step order, probation,
readmission and working-day deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from dangvien_cli.errors import InvalidValue, RuleViolation
from dangvien_cli.rules import admission as ad
from dangvien_cli.rules.workdays import CALENDAR_ENV, WorkCalendar


# --- §1.1 age ---
def test_exactly_18_accepted_one_day_short_refused():
    assert ad.check_age("2007-03-15", date(2025, 3, 15)) == 216
    with pytest.raises(RuleViolation) as err:
        ad.check_age("2007-03-15", date(2025, 3, 14))
    assert err.value.rule == "§1.1"
    assert "chưa đủ 18 tuổi" in err.value.message
    assert "15/03/2025" in err.value.hint


def test_full_60_accepted_past_60_needs_approval():
    assert ad.check_age("1965-03-15", date(2025, 4, 14)) == 720  # 60 years and some days: still 720 months
    with pytest.raises(RuleViolation, match="quá 60 tuổi") as err:
        ad.check_age("1965-03-15", date(2025, 4, 15))  # 721 months
    assert "ban thường vụ tỉnh ủy" in err.value.hint
    assert ad.check_age("1965-03-15", date(2025, 4, 15), over_60_approved=True) == 721


def test_partial_birth_date_is_read_conservatively():
    # born "2007": sure to be 18 only from 31/12/2025
    with pytest.raises(RuleViolation, match="chưa chắc"):
        ad.check_age("2007", date(2025, 6, 1))
    assert ad.check_age("2007", date(2025, 12, 31)) == 216
    with pytest.raises(RuleViolation, match="chưa đủ"):
        ad.check_age("2008", date(2025, 12, 31))
    # born "1965-05": sure to be within 60 full years on 31/5/2025 (720 months from 1/5/1965)...
    assert ad.check_age("1965-05", date(2025, 5, 31)) == 720
    # ...but on 15/6/2025 the 1st of May would make 721 months: past 60 unless the day is recorded
    with pytest.raises(RuleViolation, match="có thể đã quá"):
        ad.check_age("1965-05", date(2025, 6, 15))
    assert ad.check_age("1965-05", date(2025, 6, 15), over_60_approved=True) == 720


def test_age_thresholds_are_parameters():
    assert ad.check_age("2009-01-01", date(2025, 1, 1), min_months=192) == 192
    with pytest.raises(RuleViolation):
        ad.check_age("1970-01-01", date(2025, 2, 1), max_months=660)
    assert ad.check_age("1970-01-01", date(2025, 1, 31), max_months=660) == 660


# --- §1.1 certificate ---
def test_certificate_valid_five_years():
    assert ad.certificate_expiry("2020-03-10") == date(2025, 3, 9)
    assert ad.check_certificate("2020-03-10", date(2025, 3, 9)) == date(2025, 3, 9)
    with pytest.raises(RuleViolation, match="hết giá trị") as err:
        ad.check_certificate("2020-03-10", date(2025, 3, 10))
    assert "học lại" in err.value.hint


def test_certificate_missing_or_issued_after_refused():
    with pytest.raises(RuleViolation, match="Chưa có giấy chứng nhận"):
        ad.check_certificate(None, date(2025, 1, 1))
    with pytest.raises(RuleViolation, match="sau ngày xét"):
        ad.check_certificate("2025-02-01", date(2025, 1, 1))


def test_certificate_partial_issue_date_counts_from_its_earliest_day():
    assert ad.certificate_expiry("2020") == date(2024, 12, 31)
    assert ad.certificate_expiry("2020-03-10", valid_years=3) == date(2023, 3, 9)


# --- §1.1 introducers ---
def _intro(**kw):
    facts = dict(
        membership="official",
        official_date="2015-01-01",
        status="active",
        together_since="2024-01-10",
        on=date(2025, 1, 10),
    )
    facts.update(kw)
    ad.check_introducer(**facts)


def test_introducer_ok_at_exactly_12_months_together():
    _intro()


def test_introducer_one_day_short_of_12_months_refused_unless_replacement():
    with pytest.raises(RuleViolation, match="chưa đủ 12 tháng"):
        _intro(on=date(2025, 1, 9))
    _intro(on=date(2025, 1, 9), replacement=True)
    _intro(together_since=None, replacement=True)


def test_introducer_without_together_date_refused():
    with pytest.raises(RuleViolation, match="Chưa ghi từ khi nào"):
        _intro(together_since=None)


@pytest.mark.parametrize("membership", ["probationary", None])
def test_introducer_must_be_official(membership):
    with pytest.raises(RuleViolation, match="đảng viên chính thức") as err:
        _intro(membership=membership, replacement=True)
    assert err.value.rule == "§1.1"


def test_introducer_official_only_after_the_introduction_refused():
    with pytest.raises(RuleViolation, match="chỉ là đảng viên chính thức từ ngày"):
        _intro(official_date="2025-02-01")
    with pytest.raises(RuleViolation, match="chưa chắc"):
        _intro(official_date="2025")


@pytest.mark.parametrize(
    "status", ["suspended", "expelled", "removed", "deceased", "exempt", "transferred_out"]
)
def test_introducer_not_active_refused(status):
    with pytest.raises(RuleViolation, match="không thể giới thiệu"):
        _intro(status=status)


def test_introduction_set():
    ad.check_introduction_set(2)
    ad.check_introduction_set(1, union_resolution=True)
    ad.check_introduction_set(2, union_resolution=True)
    with pytest.raises(RuleViolation, match="cần hai người"):
        ad.check_introduction_set(1)
    with pytest.raises(RuleViolation, match="Đoàn hoặc Công đoàn"):
        ad.check_introduction_set(0, union_resolution=True)
    with pytest.raises(RuleViolation, match="nhiều nhất hai"):
        ad.check_introduction_set(3)


# --- §1.2 step order ---
FULL = {
    "course": "2024-01-05",
    "application": "2024-02-01",
    "introduced": "2024-02-10",
    "biography_verified": "2024-02-20",
    "cell_resolution": "2024-03-01",
    "committee_resolution": "2024-03-20",
    "decision": "2024-04-10",
}


def test_steps_in_order_accepted():
    ad.check_step_order({}, "course", "2024-01-05")
    ad.check_step_order({"course": "2024-01-05", "application": "2024-02-01"}, "introduced", "2024-02-10")
    ad.check_step_order(FULL, "ceremony", "2024-05-01")
    ad.check_step_order({**FULL, "ceremony": "2024-05-01"}, "recognition", "2025-05-01")
    ad.check_step_order(FULL, "ceremony", "2024-04-10")  # same day as the decision


@pytest.mark.parametrize(
    ("missing", "step"),
    [
        ("course", "cell_resolution"),
        ("application", "cell_resolution"),
        ("introduced", "cell_resolution"),
        ("biography_verified", "cell_resolution"),
        ("cell_resolution", "committee_resolution"),
        ("committee_resolution", "decision"),
        ("decision", "ceremony"),
    ],
)
def test_missing_prerequisite_refused(missing, step):
    recorded = {k: v for k, v in FULL.items() if k != missing}
    with pytest.raises(RuleViolation, match="Chưa có bước") as err:
        ad.check_step_order(recorded, step, "2024-06-01")
    assert missing in err.value.hint


def test_ceremony_needs_a_decision_recorded():
    with pytest.raises(RuleViolation, match="quyết định kết nạp"):
        ad.check_step_order({"cell_resolution": "2024-03-01"}, "ceremony", "2024-05-01")


def test_decision_before_the_committee_resolution_refused():
    with pytest.raises(RuleViolation, match="lại trước") as err:
        ad.check_step_order({**FULL, "decision": None}, "decision", "2024-03-19")
    assert err.value.rule == "§1.2"


def test_ceremony_before_decision_refused():
    with pytest.raises(RuleViolation, match="lại trước"):
        ad.check_step_order(FULL, "ceremony", "2024-04-09")


def test_biography_verified_after_the_cell_resolution_refused():
    """The verification is part of the dossier the cell votes on (HD 12-HD/BTCTW §II.1.1, domain.md §1.2)."""
    recorded = {k: v for k, v in FULL.items() if k != "biography_verified"}
    with pytest.raises(RuleViolation, match="lại sau") as err:
        ad.check_step_order(recorded, "biography_verified", "2024-03-05")
    assert "Hướng dẫn 12-HD/BTCTW" in err.value.message and "--date" in err.value.hint


def test_step_dated_after_a_later_recorded_step_refused():
    recorded = {**FULL}
    with pytest.raises(RuleViolation, match="lại sau"):
        ad.check_step_order(recorded, "cell_resolution", "2024-03-25")  # committee resolution is 20/3


def test_grassroots_cell_may_skip_the_committee_resolution():
    recorded = {k: v for k, v in FULL.items() if k not in ("committee_resolution", "decision")}
    with pytest.raises(RuleViolation):
        ad.check_step_order(recorded, "decision", "2024-04-10")
    ad.check_step_order(recorded, "decision", "2024-04-10", committee_resolution_required=False)


def test_partial_old_dates_do_not_block():
    ad.check_step_order({"decision": "1975"}, "ceremony", "1975-05-19")


def test_unknown_step():
    with pytest.raises(InvalidValue, match="Không có bước"):
        ad.check_step_order({}, "oath", "2024-01-01")


# --- §1.3 probation ---
def test_probation_ends_12_months_after_the_ceremony():
    assert ad.probation_end("2024-03-15") == date(2025, 3, 15)
    assert ad.probation_end(date(2024, 2, 29)) == date(2025, 2, 28)
    assert ad.probation_end("2024-03") == date(2025, 3, 31)  # partial: latest day


def test_recognition_the_day_before_the_12_months_end_refused():
    with pytest.raises(RuleViolation, match="Chưa hết 12 tháng dự bị") as err:
        ad.check_recognition("2024-03-15", "2025-03-14")
    assert err.value.rule == "§1.3"
    assert ad.check_recognition("2024-03-15", "2025-03-15") == date(2025, 3, 15)
    # approved late: still official from the end of probation
    assert ad.check_recognition("2024-03-15", "2025-06-01") == date(2025, 3, 15)


# --- §1.3 deadlines ---
def test_deadlines_in_working_days():
    cal = WorkCalendar()
    assert ad.decision_due("2026-01-05", cal) == date(2026, 4, 6)  # 60 WD across Tết Bính Ngọ
    assert ad.ceremony_due("2026-04-20", cal) == date(2026, 6, 4)  # 30 WD across 27/4, 30/4, 1/5
    assert ad.recognition_due(date(2025, 8, 15), cal) == date(2025, 9, 30)  # 30 WD across 1/9, 2/9/2025


def test_deadlines_follow_the_calendar_file(tmp_path, monkeypatch):
    f = tmp_path / "lich.toml"
    f.write_text('[days_off]\ndates = ["2026-03-02"]\n')
    monkeypatch.setenv(CALENDAR_ENV, str(f))
    assert ad.decision_due("2026-01-05") == date(2026, 4, 7)
    monkeypatch.delenv(CALENDAR_ENV)
    assert ad.decision_due("2026-01-05") == date(2026, 4, 6)


def test_deadline_from_a_partial_date_counts_from_its_latest_day():
    assert ad.ceremony_due("2026-04", WorkCalendar(), workdays=1) == date(2026, 5, 4)


# --- §1.3 readmission ---
def test_readmission_35_months_refused_36_accepted():
    with pytest.raises(RuleViolation, match="36 tháng") as err:
        ad.check_readmission("expelled", "2020-01-15", date(2022, 12, 15))
    assert err.value.rule == "§1.3"
    with pytest.raises(RuleViolation):
        ad.check_readmission("expelled", "2020-01-15", date(2023, 1, 14))
    assert ad.check_readmission("expelled", "2020-01-15", date(2023, 1, 15)) == date(2023, 1, 15)


@pytest.mark.parametrize(
    "reason",
    [
        "abandoned_activity",
        "resigned",
        "serious_disunity",
        "corruption_conviction",
        "serious_crime_conviction",
    ],
)
def test_never_readmitted(reason):
    with pytest.raises(RuleViolation, match="Không xem xét kết nạp lại"):
        ad.check_readmission(reason, "2000-01-01", date(2025, 1, 1))


def test_resigned_with_extreme_family_hardship_may_be_readmitted():
    assert ad.check_readmission("resigned", "2000-01-01", date(2025, 1, 1), extreme_family_hardship=True)
    with pytest.raises(RuleViolation):
        ad.check_readmission(
            "abandoned_activity", "2000-01-01", date(2025, 1, 1), extreme_family_hardship=True
        )


def test_less_serious_crime_waits_60_months_after_the_record_is_cleared():
    with pytest.raises(RuleViolation, match="xóa án tích"):
        ad.check_readmission("less_serious_crime_conviction", "2015-01-01", date(2025, 1, 1))
    with pytest.raises(RuleViolation, match="60 tháng kể từ khi được xóa án tích"):
        ad.check_readmission("less_serious_crime_conviction", "2015-01-01", date(2025, 5, 31), "2020-06-01")
    assert ad.check_readmission(
        "less_serious_crime_conviction", "2015-01-01", date(2025, 6, 1), "2020-06-01"
    ) == date(2025, 6, 1)


def test_unknown_reason_lists_codes():
    with pytest.raises(InvalidValue) as err:
        ad.check_readmission("bỏ đi", "2015-01-01", date(2025, 1, 1))
    assert "abandoned_activity" in err.value.hint
