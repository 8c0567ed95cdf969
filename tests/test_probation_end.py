"""One probation end (issue 10): an admission recorded as "05/2024" ends its 12 months on 31/05/2025 for
`admissions due`, for `screening run` and for "still probationary?" alike — screening never flags a member as
overdue earlier than `admissions due` says the recognition is due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dangvien_cli.rules.admission import probation_end
from dangvien_cli.rules.membership import default_membership


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2025-12-01")


@pytest.fixture
def member(cli, commune):
    r = cli("members", "add", "--name", "Đỗ Văn Hùng", "--gender", "male", "--birth-date", "01/01/1990",
            "--cell", "TL.01", "--card-number", "08000077", "--admission-date", "05/2024",
            "--membership", "probationary")
    assert r.exit_code == 0, r.stderr
    return "08000077"


def _due(cli, as_of):
    rows = cli("admissions", "due", "--as-of", as_of, "--format", "json").json()
    return next(r for r in rows if r["full_name"] == "Đỗ Văn Hùng")


def _flagged(cli, as_of):
    data = cli("screening", "run", "--year", 2025, "--as-of", as_of, "--dry-run", "--format", "json").json()
    return [f for f in data["findings"] if f["rule"] == "probation_overdue"]


def test_a_month_only_admission_ends_on_the_last_day_everywhere(cli, member):
    due = _due(cli, "20/06/2025")
    assert (due["what"], due["probation_end"]) == ("recognition", "2025-05-31")
    # 20/06/2025 is more than 30 working days after 01/05/2025 (the earliest day) but not after 31/05/2025.
    assert _flagged(cli, "20/06/2025") == []
    last = date.fromisoformat(due["due_date"])
    assert _flagged(cli, last.strftime("%d/%m/%Y")) == []
    later = _flagged(cli, (last + timedelta(days=7)).strftime("%d/%m/%Y"))
    assert len(later) == 1 and "hết 12 tháng dự bị ngày 31/05/2025" in later[0]["detail"]


def test_still_probationary_asks_the_same_end(monkeypatch):
    assert probation_end("2024-05") == date(2025, 5, 31) and probation_end("2024") == date(2025, 12, 31)
    monkeypatch.setenv("DANGVIEN_TODAY", "2025-05-15")
    assert default_membership(None, "2024-05") == "probationary"  # may still be within the 12 months
    monkeypatch.setenv("DANGVIEN_TODAY", "2025-05-31")
    assert default_membership(None, "2024-05") == "official"
