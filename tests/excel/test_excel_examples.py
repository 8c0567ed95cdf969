"""The example files of scripts/make_examples.py read back cleanly, in each layout."""

import importlib.util
import sys
from pathlib import Path

import pytest

from dangvien_cli.excel.books import read_book
from dangvien_cli.excel.roster import read_roster

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_examples.py"


@pytest.fixture(scope="module")
def examples(tmp_path_factory):
    spec = importlib.util.spec_from_file_location("make_examples", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("examples")
    argv = sys.argv
    sys.argv = ["make_examples.py", str(out)]
    try:
        module.main()
    finally:
        sys.argv = argv
    return out


def test_examples_are_small(examples):
    assert all(p.stat().st_size < 100_000 for p in examples.iterdir())


def test_unicode_and_tcvn3_rosters_hold_the_same_members(examples, monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2025-06-30")
    uni = read_roster(examples / "roster_tan_lap.xlsx")
    old = read_roster(examples / "roster_tan_lap_tcvn3.xls")
    assert (uni.encoding, old.encoding) == ("unicode", "tcvn3")
    assert uni.errors() == [] and old.errors() == []
    assert len(uni.sections) == 4 and 20 <= len(uni.rows) <= 60
    assert [(r.values["full_name"], r.values["birth_date"], r.values["gender"], r.section) for r in uni.rows] == \
        [(r.values["full_name"], r.values["birth_date"], r.values["gender"], r.values["cell"]) for r in old.rows]
    assert any(r.values.get("membership") == "probationary" for r in uni.rows)


def test_books_show_absences_and_khtnv(examples):
    att = read_book(examples / "attendance_2024.xlsx", kind="attendance")
    missing = [r for r in att.rows if sum(v == "k" for v in r.months.values()) >= 3]
    assert len(missing) >= 2 and att.errors() == []
    dues = read_book(examples / "dues_2024.xlsx", kind="dues")
    assert any(sum(v[0] == "u" for v in r.months.values()) >= 3 for r in dues.rows)
    ratings = read_book(examples / "ratings_2024.xlsx", kind="ratings")
    assert sum(r.values.get("rating") == "KHTNV" for r in ratings.rows) == 2
    assert ratings.errors() == []
