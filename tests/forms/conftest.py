"""The printed-form and export-safety tests: every test has the fixed date and may ask for the committee of
forms_data.py (next to this file, made importable here)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from forms_data import TODAY, build  # noqa: E402


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", TODAY)


@pytest.fixture
def committee(cli):
    """The committee built by :func:`build`; its value is the screening run."""
    return build(cli)
