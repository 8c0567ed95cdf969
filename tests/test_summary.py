"""reports summary: the first screen, read from the services that own each rule (issue 13)."""

from __future__ import annotations

import pytest

AN, BINH, CUONG, DUNG, EM, PHUONG = (f"0801000{i}" for i in range(1, 7))


@pytest.fixture
def month(cli, commune, monkeypatch):
    """'Today' 01/12/2026. TL.01: An (exempt until 20/12/2026), Bình (absent 3 months: screened), Cường
    (probationary, twelve months end 10/12/2026); TL.02: Dung, Em (temporarily elsewhere until 15/12/2026),
    Phương (probationary, twelve months ended 20/11/2026: recognition due). A candidate of TL.01 whose cell
    resolved on 01/10/2026: the decision falls due this month. Dung has her 2026 books and rating."""
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-12-01")
    people = [("Nguyễn Văn An", "male", "TL.01", "01/01/1990", []),
              ("Trần Thị Bình", "female", "TL.01", "15/12/1996", []),
              ("Lê Văn Cường", "male", "TL.01", "10/12/2025", ["--membership", "probationary"]),
              ("Phạm Thị Dung", "female", "TL.02", "19/05/2000", []),
              ("Hoàng Văn Em", "male", "TL.02", "01/02/2010", []),
              ("Vũ Thị Phương", "female", "TL.02", "20/11/2025", ["--membership", "probationary"])]
    for i, (name, gender, cell, admitted, extra) in enumerate(people, start=1):
        run = cli("members", "add", "--name", name, "--gender", gender, "--birth-date", "01/01/1970", "--cell", cell,
                  "--card-number", f"0801000{i}", "--admission-date", admitted, *extra)
        assert run.exit_code == 0, run.stderr
    steps = [("exempt", AN, "--from", "01/01/2025", "--to", "20/12/2026", "--reason", "age"),
             ("transfer", EM, "--to", "TL.01", "--temporary", "--until", "15/12/2026", "--date", "01/06/2026")]
    for command, *args in steps:
        assert cli("members", command, *args).exit_code == 0
    for m in (1, 2, 3):
        assert cli("attendance", "set", BINH, "--mark", "k", "--year", "2026", "--month", str(m)).exit_code == 0
    assert cli("attendance", "set", DUNG, "--mark", "x", "--year", "2026", "--month", "1").exit_code == 0
    assert cli("dues", "set", DUNG, "--amount", "20000", "--year", "2026", "--month", "1").exit_code == 0
    assert cli("ratings", "set", DUNG, "--year", "2026", "--level", "HTTNV").exit_code == 0
    cid = cli("admissions", "add", "--name", "Lê Thị Hoa", "--gender", "female", "--birth-date", "14/08/1998",
              "--cell", "TL.01").stdout.strip()
    for step, day, *extra in (("course", "10/06/2026"), ("application", "01/07/2026"),
                              ("introduced", "15/07/2026", "--introducer", BINH,
                               "--together-since", "01/01/2020", "--introducer", DUNG, "--together-since", "01/01/2020"),
                              ("biography_verified", "20/09/2026", "--ref", "15-CV/ĐU"),
                              ("cell_resolution", "01/10/2026", "--ref", "01-NQ/CB")):
        run = cli("admissions", "record", cid, "--step", step, "--date", day, *extra)
        assert run.exit_code == 0, (step, run.stderr)
    assert cli("screening", "run", "--year", "2026").exit_code == 0
    return int(cid)


def _summary(cli, *args):
    run = cli("reports", "summary", *args, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return run.json()


def test_members_by_cell_and_status(cli, month):
    data = _summary(cli)
    assert (data["as_of"], data["month"], data["cell_code"]) == ("2026-12-01", "2026-12", None)
    rows = {r["cell_code"]: {k: r[k] for k in ("total", "active", "exempt", "official", "probationary")}
            for r in data["members"]["rows"]}
    assert rows == {"TL.01": {"total": 3, "active": 2, "exempt": 1, "official": 2, "probationary": 1},
                    "TL.02": {"total": 3, "active": 3, "exempt": 0, "official": 2, "probationary": 1}}
    assert data["members"]["total"]["total"] == 6 and data["members"]["total"]["exempt"] == 1


def test_what_is_due_this_month_comes_from_the_owning_services(cli, month):
    due = _summary(cli)["due"]
    admissions = {(a["full_name"], a["what"]) for a in due["admissions"]}
    assert admissions == {("Lê Văn Cường", "probation_end"), ("Vũ Thị Phương", "recognition"),
                          ("Lê Thị Hoa", "decision")}
    # The same items `admissions due` lists for the days left in the month.
    listed = cli("admissions", "due", "--as-of", "01/12/2026", "--within", "30", "--format", "json").json()
    assert sorted(due["admissions"], key=lambda a: a["full_name"]) == sorted(listed, key=lambda a: a["full_name"])
    assert [(e["full_name"], e["end_date"], e["overdue"]) for e in due["exemptions_ending"]] == [
        ("Nguyễn Văn An", "2026-12-20", False)]
    assert [(t["full_name"], t["end_date"], t["host"]) for t in due["temporary_transfers_ending"]] == [
        ("Hoàng Văn Em", "2026-12-15", "Chi bộ thôn Đông")]
    badges = cli("badges", "due", "--format", "json").json()
    assert due["badges"]["members"] == badges and due["badges"]["occasion"] == "2027-02-03"
    assert {b["full_name"] for b in badges} == {"Nguyễn Văn An", "Trần Thị Bình"}


def test_last_screening_and_its_open_items(cli, month):
    run = _summary(cli)["screening"]
    assert (run["year"], run["items"], run["open"]) == (2026, 3, 3)
    assert [(i["item_no"], i["rule"], i["full_name"]) for i in run["open_items"]][0] == (
        1, "absent_3_months", "Trần Thị Bình")
    assert cli("screening", "resolve", str(run["run_id"]), "1", "--decision", "warned").exit_code == 0
    after = _summary(cli)["screening"]
    assert after["open"] == 2 and 1 not in [i["item_no"] for i in after["open_items"]]
    # Within a cell, only that cell's items.
    tl02 = _summary(cli, "--cell", "TL.02")["screening"]
    assert {i["cell_code"] for i in tl02["open_items"]} == {"TL.02"}


def test_books_missing_and_dossier_progress_per_cell(cli, month):
    data = _summary(cli)
    books = {r["cell_code"]: r for r in data["books"]["rows"]}
    assert data["books"]["year"] == 2026
    assert {k: books["TL.01"][k] for k in ("members", "attendance_missing", "dues_missing", "ratings_missing")} == {
        "members": 3, "attendance_missing": 2, "dues_missing": 3, "ratings_missing": 3}
    assert {k: books["TL.02"][k] for k in ("attendance_missing", "dues_missing", "ratings_missing")} == {
        "attendance_missing": 2, "dues_missing": 2, "ratings_missing": 2}
    progress = cli("dossier", "progress", "--format", "json").json()
    assert data["dossier"]["rows"] == progress["rows"]
    assert data["dossier"]["priority_1_percent"] == progress["priority_1_percent"]


def test_one_cell_and_the_terminal_view(cli, month, monkeypatch):
    data = _summary(cli, "--cell", "TL.01")
    assert data["cell_code"] == "TL.01"
    assert [r["cell_code"] for r in data["members"]["rows"]] == ["TL.01"]
    assert {a["cell_code"] for a in data["due"]["admissions"]} == {"TL.01"}
    assert data["due"]["temporary_transfers_ending"] == []
    monkeypatch.setenv("COLUMNS", "80")  # an old laptop's terminal
    run = cli("reports", "summary")
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    assert any(line.split()[:2] == ["Cộng", "6"] for line in out.splitlines())
    for text in ("Đảng viên — cả cơ sở dữ liệu, ngày 01/12/2026", "Việc đến hạn tháng 12/2026",
                 "Quyết định kết nạp", "Hết hạn sinh hoạt tạm thời",
                 "Rà soát năm 2026", "Sổ năm 2026 còn thiếu", "Số hóa hồ sơ"):
        assert text in out, text
    assert max(len(line) for line in out.splitlines()) <= 80
    # The next badge occasion is in February: one line, not rows of this month's list.
    assert "Trao Huy hiệu Đảng" not in out
    assert "Dịp trao Huy hiệu Đảng tới (03/02/2027): 2 đảng viên đến hạn" in run.stderr


def test_an_empty_database_says_what_to_do(cli):
    run = cli("reports", "summary")
    assert run.exit_code == 0, run.stderr
    assert "Chưa có lần rà soát nào" in run.stderr
    data = _summary(cli)
    assert data["screening"] is None and data["members"]["rows"] == [] and data["members"]["total"]["total"] == 0


def test_csv_is_one_line_a_cell(cli, month):
    import csv
    import io

    run = cli("reports", "summary", "--format", "csv")
    assert run.exit_code == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout.lstrip("\ufeff"))))
    assert [(r["cell_code"], r["total"], r["exempt"], r["dues_missing"]) for r in rows] == [
        ("TL.01", "3", "1", "3"), ("TL.02", "3", "0", "2")]


def test_bad_cell_or_year_is_refused_with_what_to_do(cli, commune, tmp_path):
    run = cli("reports", "summary", "--cell", "XX")
    assert run.exit_code == 1 and "'XX'" in run.stderr and "cells list" in run.stderr
    run = cli("reports", "summary", "--year", "1800")
    assert run.exit_code == 1 and "Năm 1800" in run.stderr
    run = cli("export", "dossier-progress", tmp_path / "x.xlsx")
    assert run.exit_code == 1 and "Chưa có đảng viên nào" in run.stderr and not (tmp_path / "x.xlsx").exists()
