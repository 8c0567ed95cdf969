"""Settings a committee may change (domain.md preamble: unsourced or changeable figures are settings)."""

from __future__ import annotations

import pytest

from dangvien_cli.errors import InvalidValue
from dangvien_cli.rules.settings import DEFAULTS, REGISTRY, format_value, parse_value, resolve

REQUIRED = {
    "admission.min_age_months": 216,
    "admission.max_age_months": 720,
    "admission.certificate_valid_years": 5,
    "admission.introducer_months_together": 12,
    "admission.decision_deadline_workdays": 60,
    "admission.ceremony_deadline_workdays": 30,
    "admission.recognition_deadline_workdays": 30,
    "admission.probation_months": 12,
    "admission.target_min_percent": 3,
    "admission.target_max_percent": 4,
    "readmission.wait_months": 36,
    "readmission.after_record_cleared_months": 60,
    "rating.excellent_quota_percent": 20,
    "rating.min_months_since_admission": 6,
    "screening.absent_months": 3,
    "screening.dues_unpaid_months": 3,
    "screening.khtnv_years": 2,
    "screening.recognition_overdue_workdays": 30,
    "transfer.letter_days": 30,
    "dues.exempt_party_age_years": 50,
    "organization.min_official_members": 3,
    "organization.committee_threshold": 9,
    "organization.grassroots_committee_threshold": 30,
    "exemption.max_sick_months": 12,
}


@pytest.mark.parametrize(("key", "default"), sorted(REQUIRED.items()))
def test_registry_has_the_sourced_defaults(key, default):
    setting = REGISTRY[key]
    assert setting.default == default
    assert setting.section.startswith("§")
    assert setting.description_vi
    assert isinstance(setting.default, {"int": int, "float": float, "bool": bool, "str": str}[setting.kind])


def test_resolve_without_overrides_is_the_defaults():
    assert resolve({}) == dict(DEFAULTS)
    assert resolve(None)["admission.min_age_months"] == 216


def test_resolve_applies_overrides_typed():
    eff = resolve({"rating.excellent_quota_percent": "25", "admission.target_min_percent": "3,5"})
    assert eff["rating.excellent_quota_percent"] == 25
    assert eff["admission.target_min_percent"] == 3.5
    assert eff["admission.max_age_months"] == 720


def test_parse_value_unknown_key_lists_known_keys():
    with pytest.raises(InvalidValue) as err:
        parse_value("admission.min_age", "216")
    assert "Không có thiết lập" in err.value.message
    assert "admission.min_age_months" in err.value.hint


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("admission.min_age_months", "18 tuổi"),
        ("admission.min_age_months", "216.5"),
        ("admission.min_age_months", "-1"),
        ("rating.excellent_quota_percent", "150"),
        ("admission.target_max_percent", "nan"),
        ("screening.absent_months", "13"),
    ],
)
def test_parse_value_rejects_bad_values(key, text):
    with pytest.raises(InvalidValue) as err:
        parse_value(key, text)
    assert key in err.value.message


def test_format_value_round_trips():
    for key, setting in REGISTRY.items():
        assert parse_value(key, format_value(key, setting.default)) == setting.default
