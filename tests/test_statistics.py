"""Biểu 1-BTCTW and 3-BTCTW reconstructed from history: balanced on generated histories, equal to a ground
truth kept by the test, unchanged by later changes, and blind to restructuring."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

import dbstate

CELLS = {"X.01": "X", "X.02": "X", "Y.01": "Y", "Y.02": "Y"}


@pytest.fixture
def province(cli):
    assert cli("cells", "add", "Đảng bộ tỉnh", "--code", "T", "--kind", "province_committee").exit_code == 0
    for code in ("X", "Y"):
        assert cli("cells", "add", f"Đảng bộ xã {code}", "--code", code, "--kind", "commune_committee",
                   "--parent", "T").exit_code == 0
    for code, parent in CELLS.items():
        assert cli("cells", "add", f"Chi bộ {code}", "--code", code, "--kind", "cell", "--parent", parent).exit_code == 0


def _vi(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _generate(cli, seed: int):
    """Members admitted, moved between cells, transferred out and leaving for every reason, on dates spread
    over 2020–2025; returns the ground truth: member → [(day, cell or None)] in order."""
    rng = random.Random(seed)
    truth: dict[int, list[tuple[date, str | None]]] = {}
    people = 0
    day = date(2020, 1, 1)
    while day < date(2025, 12, 1):
        day += timedelta(days=rng.randrange(5, 40))
        on_list = [m for m, steps in truth.items() if steps[-1][1] is not None and steps[-1][0] < day]
        action = rng.random()
        if action < 0.4 or len(on_list) < 4:
            people += 1
            cell = rng.choice(list(CELLS))
            run = cli("members", "add", "--name", f"Người Thứ {people}", "--gender", rng.choice(["male", "female"]),
                      "--birth-date", f"{rng.randrange(1950, 2000)}", "--cell", cell, "--admission-date", _vi(day),
                      "--membership", "probationary" if day > date(2025, 1, 1) else "official", "--format", "json")
            assert run.exit_code == 0, run.stderr
            truth[run.json()["id"]] = [(day, cell)]
        elif action < 0.7:
            member = rng.choice(on_list)
            here = truth[member][-1][1]
            target = rng.choice([c for c in CELLS if c != here])
            run = cli("members", "transfer", str(member), "--to", target, "--date", _vi(day))
            assert run.exit_code == 0, run.stderr
            truth[member].append((day, target))
        elif action < 0.8:
            member = rng.choice(on_list)
            run = cli("members", "transfer", str(member), "--destination", "Đảng bộ tỉnh khác", "--date", _vi(day))
            assert run.exit_code == 0, run.stderr
            truth[member].append((day, None))
        else:
            member = rng.choice(on_list)
            reason = rng.choice(["deceased", "expelled", "removed", "resigned"])
            run = cli("members", "leave", str(member), "--reason", reason, "--date", _vi(day), "--ref", "1-QĐ")
            assert run.exit_code == 0, run.stderr
            truth[member].append((day, None))
    return truth


def _true_count(truth, day: date, cells: set[str]) -> int:
    count = 0
    for steps in truth.values():
        where = None
        for when, cell in steps:
            if when <= day:
                where = cell
        count += where in cells
    return count


@pytest.mark.parametrize("seed", [1, 2])
def test_changes_balance_and_match_the_truth_for_every_organization_and_period(cli, province, seed):
    truth = _generate(cli, seed)
    scopes = {"T": set(CELLS), "X": {"X.01", "X.02"}, "Y": {"Y.01", "Y.02"}, "X.01": {"X.01"}}
    periods = [(date(2021, 1, 1), date(2021, 12, 31)), (date(2023, 4, 1), date(2023, 6, 30)),
               (date(2024, 1, 1), date(2025, 6, 30)), (date(2025, 1, 1), date(2025, 12, 31))]
    for code, cells in scopes.items():
        for start, end in periods:
            run = cli("reports", "changes", "--from", _vi(start), "--to", _vi(end), "--cell", code, "--format", "json")
            assert run.exit_code == 0, run.stderr
            data = run.json()
            rows = {r["code"]: r["this_period"] for r in data["rows"]}
            assert data["unplaced"] == 0
            assert rows["A"] + rows["B"] - rows["C"] == rows["D"], (code, start, end)
            assert rows["A"] == _true_count(truth, start - timedelta(days=1), cells), (code, start)
            assert rows["D"] == _true_count(truth, end, cells), (code, end)
            assert rows["B"] == rows["B1"] + rows["B2"] + rows["B3"]
            assert rows["C"] == rows["C1"] + rows["C2"] + rows["C3"] + rows["C4"] + rows["C5"]
            last = {r["code"]: r["same_period_last_year"] for r in data["rows"]}
            assert last["A"] + last["B"] - last["C"] == last["D"]


def test_rows_count_each_kind_of_change(cli, province):
    def add(name, cell, admitted, membership="official"):
        run = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", "1970", "--cell", cell,
                  "--admission-date", admitted, "--membership", membership, "--format", "json")
        assert run.exit_code == 0, run.stderr
        return str(run.json()["id"])

    add("Người Ở Lại", "X.01", "01/01/2000")
    moved_in = add("Người Chuyển Đến", "Y.01", "01/01/2000")
    moved_out = add("Người Chuyển Đi", "X.01", "01/01/2000")
    gone = add("Người Đi Tỉnh Khác", "X.02", "01/01/2000")
    died = add("Người Từ Trần", "X.01", "01/01/2000")
    removed = add("Người Xóa Tên", "X.01", "01/03/2024", "probationary")
    add("Người Mới", "X.02", "15/05/2024", "probationary")
    assert cli("members", "transfer", moved_in, "--to", "X.02", "--date", "10/02/2024").exit_code == 0
    assert cli("members", "transfer", moved_out, "--to", "Y.02", "--date", "11/02/2024").exit_code == 0
    assert cli("members", "transfer", gone, "--destination", "Đảng bộ tỉnh Z", "--date", "12/02/2024").exit_code == 0
    assert cli("members", "leave", died, "--reason", "deceased", "--date", "13/03/2024").exit_code == 0
    assert cli("members", "leave", removed, "--reason", "removed", "--date", "14/10/2024", "--ref", "2-QĐ").exit_code == 0
    data = cli("reports", "changes", "--from", "01/01/2024", "--to", "31/12/2024", "--cell", "X", "--format",
               "json").json()
    rows = {r["code"]: r["this_period"] for r in data["rows"]}
    assert rows["A"] == 4  # stay, moved_out, gone, died: in X before 2024
    assert (rows["B1"], rows["B2b"], rows["C1"], rows["C3"], rows["C3_probationary"], rows["C5b"]) == (2, 1, 1, 1, 1, 1)
    assert rows["C5"] == 2 and data["unclassified"]["C5"] == 1  # out of the database: province unknown
    assert rows["D"] == 3  # stay, moved_in, the new member
    assert rows["A"] + rows["B"] - rows["C"] == rows["D"]


def test_a_past_report_is_unchanged_by_later_changes(cli, province, tmp_path):
    truth = _generate(cli, 3)
    before_changes = cli("reports", "changes", "--from", "01/01/2024", "--to", "31/12/2024", "--format", "json").json()
    before_profile = cli("reports", "profile", "--as-of", "31/12/2024", "--format", "json").json()
    on_list = [m for m, steps in truth.items() if steps[-1][1] is not None]
    a, b, c = on_list[:3]
    # Later: a transfer, a death, corrections of the record, a new member, all after the report's day.
    assert cli("members", "transfer", str(a), "--to", "Y.02" if truth[a][-1][1] != "Y.02" else "X.01",
               "--date", "02/01/2026" if date.today() >= date(2026, 1, 2) else _vi(date.today())).exit_code == 0
    assert cli("members", "leave", str(b), "--reason", "deceased", "--date", _vi(date.today())).exit_code == 0
    assert cli("members", "update", str(c), "--ethnicity", "Tày", "--religion", "Phật giáo",
               "--political-theory", "Trung cấp").exit_code == 0
    assert cli("members", "add", "--name", "Người Vào Sau", "--gender", "female", "--birth-date", "1999",
               "--cell", "X.01", "--admission-date", _vi(date.today()), "--membership", "probationary").exit_code == 0
    after_changes = cli("reports", "changes", "--from", "01/01/2024", "--to", "31/12/2024", "--format", "json").json()
    after_profile = cli("reports", "profile", "--as-of", "31/12/2024", "--format", "json").json()
    assert after_changes == before_changes
    assert after_profile == before_profile


def test_moving_and_merging_organizations_is_not_a_transfer(cli, province):
    for i, cell in enumerate(["X.01", "X.01", "X.02", "Y.01"]):
        assert cli("members", "add", "--name", f"Người {i}", "--gender", "male", "--birth-date", "1970", "--cell", cell,
                   "--admission-date", "01/01/2000").exit_code == 0
    assert cli("cells", "move", "X.01", "--parent", "Y", "--date", "01/07/2025").exit_code == 0
    assert cli("cells", "dissolve", "X.02", "--merged-into", "Y.01", "--date", "01/08/2025").exit_code == 0
    data = cli("reports", "changes", "--from", "01/01/2025", "--to", "31/12/2025", "--cell", "Y", "--format",
               "json").json()
    rows = {r["code"]: r["this_period"] for r in data["rows"]}
    assert rows["A"] == 4 and rows["D"] == 4  # the tree of the period's end: X.01 and X.02's members are Y's
    assert rows["B"] == 0 and rows["C"] == 0
    x = {r["code"]: r["this_period"] for r in cli("reports", "changes", "--from", "01/01/2025", "--to", "31/12/2025",
                                                  "--cell", "X", "--format", "json").json()["rows"]}
    assert (x["A"], x["B"], x["C"], x["D"]) == (0, 0, 0, 0)


def test_members_without_an_admission_date_are_counted_apart(cli, province):
    assert cli("members", "add", "--name", "Người Không Ngày", "--gender", "male", "--birth-date", "1970",
               "--cell", "X.01").exit_code == 0
    assert cli("members", "add", "--name", "Người Chỉ Có Năm", "--gender", "male", "--birth-date", "1970",
               "--cell", "X.01", "--admission-date", "2024").exit_code == 0
    whole_year = cli("reports", "changes", "--from", "01/01/2024", "--to", "31/12/2024", "--format", "json").json()
    assert whole_year["unplaced"] == 1  # no date at all; "2024" lies inside the period: admitted in it
    assert {r["code"]: r["this_period"] for r in whole_year["rows"]}["B1"] == 1
    data = cli("reports", "changes", "--from", "01/07/2024", "--to", "31/12/2024", "--format", "json").json()
    assert data["unplaced"] == 2  # and "2024" straddles this period's first day
    later = cli("reports", "changes", "--from", "01/01/2025", "--to", "31/12/2025", "--format", "json").json()
    assert later["unplaced"] == 1  # "2024" is before 2025 whole
    assert {r["code"]: r["this_period"] for r in later["rows"]}["A"] == 1
    table = cli("reports", "changes", "--from", "01/07/2024", "--to", "31/12/2024")
    assert "2 đảng viên không tính được" in table.stderr


def test_profile_groups_and_percentages(cli, province):
    people = [("Nam", "male", "1950-05-01", "01/01/1970", "Kinh", None, "Cao cấp"),
              ("Nữ", "female", "1990-05-01", "01/06/2024", "Tày", "Phật giáo", None),
              ("Ba", "male", "1985-01-01", "01/01/2010", "Kinh", "Không", "Trung cấp"),
              ("Bốn", "female", "2000-01-01", "01/01/2022", "Kinh", None, None)]
    for name, gender, birth, admitted, ethnicity, religion, theory in people:
        extra = ["--religion", religion] if religion else []
        run = cli("members", "add", "--name", f"Người {name}", "--gender", gender, "--birth-date", birth,
                  "--cell", "Y.01", "--admission-date", admitted, "--ethnicity", ethnicity,
                  "--membership", "probationary" if admitted.endswith("2024") else "official", *extra,
                  "--format", "json")
        assert run.exit_code == 0, run.stderr
        if theory:
            assert cli("members", "update", str(run.json()["id"]), "--political-theory", theory).exit_code == 0
    # As of today: the political theory written today counts (a report for a day before it would not).
    data = cli("reports", "profile", "--cell", "Y", "--format", "json").json()
    assert data["form"] == "3-BTCTW" and data["total"] == 4
    groups = {g: {i["key"]: (i["count"], i["percent"]) for i in items} for g, items in data["groups"].items()}
    assert groups["gender"] == {"Nam": (2, 50.0), "Nữ": (2, 50.0)}
    assert groups["age_band"]["Trên 70 tuổi"] == (1, 25.0) and groups["age_band"]["Đến 30 tuổi"] == (1, 25.0)
    assert groups["age_band"]["Từ 31 đến 40 tuổi"] == (1, 25.0)
    assert groups["ethnicity"] == {"Kinh": (3, 75.0), "Tày": (1, 25.0)}
    assert groups["religion"] == {"Không": (3, 75.0), "Phật giáo": (1, 25.0)}
    assert groups["political_theory"]["Chưa qua đào tạo"] == (2, 50.0)
    assert groups["party_age_band"]["Từ 50 năm trở lên"] == (1, 25.0)
    assert groups["party_age_band"]["Dưới 10 năm"] == (2, 50.0)
    assert groups["party_age_band"]["Từ 10 đến dưới 20 năm"] == (1, 25.0)
    past = cli("reports", "profile", "--as-of", "31/12/2024", "--cell", "Y", "--format", "json").json()
    assert {i["key"]: i["count"] for i in past["groups"]["political_theory"]} == {"Chưa qua đào tạo": 4}
    assert groups["membership"] == {"Chính thức": (3, 75.0), "Dự bị": (1, 25.0)}
    assert set(data["groups"]) >= {"gender", "age_band", "ethnicity", "religion", "education_general",
                                   "political_theory", "party_age_band", "membership"}


def test_members_counted_in_sql_count_exactly_as_the_timeline_counts_them(cli, province, isolated_db):
    """Members without history rows are counted by SQL (fast); on records of every shape — partial dates,
    statuses of people already gone when imported, probationary removals, corrections — the counts equal
    those of following every member in Python."""

    from dangvien_cli.services import statistics as svc

    _generate(cli, 4)
    rng = random.Random(9)
    conn = dbstate.connect(isolated_db)
    cells = dict(conn.execute("SELECT code, id FROM cells"))
    rows = []
    for i in range(400):
        year = rng.randrange(2019, 2026)
        admission = rng.choice([None, f"{year}", f"{year}-{rng.randrange(1, 13):02d}",
                                f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"])
        status = rng.choice(["active"] * 5 + ["exempt", "deceased", "expelled", "removed", "resigned",
                                              "transferred_out"])
        gone_year = rng.randrange(year, 2027)
        status_date = None if status in ("active", "exempt") else rng.choice(
            [None, f"{gone_year}", f"{gone_year}-06", f"{gone_year}-{rng.randrange(1, 13):02d}-15"])
        official = rng.choice([None, f"{year + 1}-01-01"])
        rows.append((f"Nhập Sẵn {i}", f"nhap san {i}", f"{i}", rng.choice(["male", "female", None]),
                     rng.choice([None, "1960", "1975-03", "1990-12-31", "2001-02-28"]), admission,
                     rng.choice([None, admission]), official, rng.choice(["official", "probationary"]), status,
                     status_date, cells[rng.choice(list(CELLS))], rng.choice([None, "Kinh", "Tày", "Mường"]),
                     rng.choice([None, "Không", "Công giáo"]), rng.choice([None, "Sơ cấp", "Trung cấp"]), "t", "t"))
    conn.executemany(
        "INSERT INTO members (full_name, search_key, sort_key, gender, birth_date, admission_date, decision_date, "
        "official_date, membership, status, status_date, cell_id, ethnicity, religion, political_theory, "
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()
    db = dbstate.database(isolated_db)
    with db.read() as c:
        for code in (None, "X", "Y.01"):
            for start, end in [(date(2020, 1, 1), date(2020, 12, 31)), (date(2023, 7, 1), date(2024, 6, 30)),
                               (date(2025, 1, 1), date(2025, 12, 31))]:
                assert svc.changes(c, start, end, code) == svc.changes(c, start, end, code, every_member=True), \
                    (code, start)
            for day in (date(2021, 12, 31), date(2024, 6, 30), date(2025, 12, 31)):
                assert svc.profile(c, day, code) == svc.profile(c, day, code, every_member=True), (code, day)
