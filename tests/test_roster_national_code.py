"""import roster reads the organizations' codes in the national database (M1.M2.M3.M4.M5, issue 14) from a
column that carries them: set where none is recorded, a conflicting code reported and never written over, a
malformed code a row error naming the row and column."""

from __future__ import annotations

import openpyxl
import pytest

import dbstate

HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Chi bộ",
          "Mã tổ chức đảng"]


def _roster(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row])
    wb.save(path)
    return path


def _codes(db) -> dict[str, str | None]:
    conn = dbstate.connect(db)
    try:
        return dict(conn.execute("SELECT code, national_code FROM cells ORDER BY code"))
    finally:
        conn.close()


def _member(name, card, cell, code):
    return [name, "Nam", "01/01/1980", card, "01/01/2010", cell, code]


@pytest.fixture
def file(tmp_path):
    return _roster(tmp_path / "ds.xlsx", [
        _member("Nguyễn Văn An", "08010001", "Chi bộ thôn Đông", "38.168.053.000.001"),
        _member("Trần Văn Bình", "08010002", "Chi bộ thôn Đông", "38.168.053.000.001"),
        _member("Lê Văn Cường", "08010003", "Chi bộ thôn Tây", "38.168.053.000.002"),
        _member("Phạm Văn Dũng", "08010004", "Chi bộ thôn Bắc", "38.168.053.000.003"),  # created by the import: TL.001
    ])


def test_codes_are_set_on_import_with_history(cli, commune, file, isolated_db):
    run = cli("import", "roster", file, "--into", "TL", "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = run.json()
    assert report["national_code_conflicts"] == []
    assert {(c["cell_code"], c["national_code"], c["row"]) for c in report["national_codes_set"]} == {
        ("TL.01", "38.168.053.000.001", 2), ("TL.02", "38.168.053.000.002", 4), ("TL.001", "38.168.053.000.003", 5)}
    assert _codes(isolated_db) == {"TL": None, "TL.01": "38.168.053.000.001", "TL.02": "38.168.053.000.002",
                                   "TL.001": "38.168.053.000.003"}
    shown = cli("cells", "show", "TL.01", "--format", "json").json()
    assert shown["national_code"] == "38.168.053.000.001"
    [event] = [e for e in shown["history"] if e["field"] == "national_code"]
    assert event["new_value"] == "38.168.053.000.001" and event["source"].endswith("#dòng 2")
    # Imported again: nothing to set, nothing in conflict.
    again = cli("import", "roster", file, "--into", "TL", "--format", "json").json()
    assert again["national_codes_set"] == [] and again["national_code_conflicts"] == []


def test_a_conflicting_code_is_reported_not_overwritten(cli, commune, file, isolated_db):
    assert cli("cells", "update", "TL.01", "--national-code", "38.168.053.000.009").exit_code == 0
    assert cli("cells", "update", "TL", "--national-code", "38.168.053.000.002").exit_code == 0
    run = cli("import", "roster", file, "--into", "TL", "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = run.json()
    conflicts = {c["cell_name"]: c for c in report["national_code_conflicts"]}
    assert (conflicts["Chi bộ thôn Đông"]["recorded"], conflicts["Chi bộ thôn Đông"]["national_code"],
            conflicts["Chi bộ thôn Đông"]["row"]) == ("38.168.053.000.009", "38.168.053.000.001", 2)
    assert conflicts["Chi bộ thôn Tây"]["held_by"] == "TL"  # the code is another organization's
    assert any("Dòng 2" in w and "38.168.053.000.009" in w and "cells update TL.01" in w for w in report["warnings"])
    assert _codes(isolated_db)["TL.01"] == "38.168.053.000.009"
    assert _codes(isolated_db)["TL.02"] is None
    # Shown to the clerk in the terminal too.
    assert cli("cells", "update", "TL.02", "--national-code", "38.168.053.000.007").exit_code == 0
    plain = cli("import", "roster", file, "--into", "TL")
    assert "giữ mã đã ghi" in plain.stderr


def test_a_malformed_code_or_two_codes_for_one_cell_rejects_the_rows(cli, commune, tmp_path, isolated_db):
    before = _codes(isolated_db)
    bad = _roster(tmp_path / "sai.xlsx", [
        _member("Nguyễn Văn An", "08010001", "Chi bộ thôn Đông", "38.168.53.000.001"),
        _member("Trần Văn Bình", "08010002", "Chi bộ thôn Tây", "38.168.053.000.002"),
        _member("Lê Văn Cường", "08010003", "Chi bộ thôn Tây", "38.168.053.000.005"),
    ])
    run = cli("import", "roster", bad, "--into", "TL", "--format", "json")
    assert run.exit_code == 3
    errors = [(e["row"], e["column"]) for e in run.json()["errors"]]
    assert errors == [(2, "Mã tổ chức đảng"), (4, "Mã tổ chức đảng")]
    messages = " ".join(e["message"] for e in run.json()["errors"])
    assert "M1.M2.M3.M4.M5" in messages and "khác mã 38.168.053.000.002 ghi ở dòng 3" in messages
    assert _codes(isolated_db) == before
    assert cli("members", "list", "--format", "json").json() == []
