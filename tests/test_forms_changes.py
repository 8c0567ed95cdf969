"""Biểu 1-BTCTW rows that depend on the transfer record: transfers in and out classified to another province
or within the province as the record says (and counted apart when it does not say), membership restored,
and restructuring of organizations (merges, renames, moves) never counted as a transfer."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from test_statistics import _true_count, _vi, province  # noqa: F401 - the fixture: T > X, Y > X.01, X.02, Y.01, Y.02

pytestmark = pytest.mark.usefixtures("province")


def _add(cli, name, cell, admitted="01/01/2000", membership="official"):
    run = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", "1970", "--cell", cell,
              "--admission-date", admitted, "--membership", membership, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return str(run.json()["id"])


def _rows(cli, start, end, cell=None):
    args = ["reports", "changes", "--from", start, "--to", end, "--format", "json"]
    data = cli(*args, *(["--cell", cell] if cell else [])).json()
    return {r["code"]: r["this_period"] for r in data["rows"]}, data


def _ok(cli, *args):
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    return run


def test_transfers_in_and_out_follow_the_transfer_record(cli):
    stay = _add(cli, "Người Ở Lại", "X.01")
    far_in = _add(cli, "Người Từ Tỉnh Khác", "X.01", "01/01/1990")
    near_in = _add(cli, "Người Trong Tỉnh Đến", "X.02", "01/01/1995")
    unknown_in = _add(cli, "Người Đến Không Rõ", "X.02", "01/01/1995")
    far_out, near_out, unknown_out = (_add(cli, f"Người Đi {i}", "X.01") for i in ("Xa", "Gần", "Chưa Rõ"))
    _ok(cli, "members", "arrive", far_in, "--from", "Đảng ủy xã Q, tỉnh Z", "--date", "10/03/2024",
        "--other-province")
    _ok(cli, "members", "arrive", near_in, "--from", "Đảng ủy phường P", "--date", "11/03/2024", "--same-province")
    _ok(cli, "members", "arrive", unknown_in, "--from", "Đảng ủy phường R", "--date", "12/03/2024")
    _ok(cli, "members", "transfer", far_out, "--destination", "Đảng bộ tỉnh Z", "--date", "01/04/2024",
        "--other-province")
    _ok(cli, "members", "transfer", near_out, "--destination", "Đảng ủy phường P", "--date", "02/04/2024",
        "--same-province")
    _ok(cli, "members", "transfer", unknown_out, "--destination", "Nơi khác", "--date", "03/04/2024")
    rows, data = _rows(cli, "01/01/2024", "31/12/2024", "X")
    # On the list before 2024: the one who stays and the three who leave; the arrivals came in 2024.
    assert rows["A"] == 4 and rows["B1"] == 0
    assert (rows["B2"], rows["B2a"], rows["B2b"]) == (3, 1, 1) and data["unclassified"]["B2"] == 1
    assert (rows["C5"], rows["C5a"], rows["C5b"]) == (3, 1, 1) and data["unclassified"]["C5"] == 1
    assert rows["D"] == 4 and rows["A"] + rows["B"] - rows["C"] == rows["D"]
    # A year before, the arrivals were not on this database's list (admitted elsewhere): no one is admitted.
    before, _ = _rows(cli, "01/01/2023", "31/12/2023", "X")
    assert before["D"] == 4 and before["B"] == 0
    table = cli("reports", "changes", "--from", "01/01/2024", "--to", "31/12/2024", "--cell", "X")
    assert "chưa vào B2a hay B2b" in table.stderr and "chưa vào C5a hay C5b" in table.stderr
    assert stay


def test_a_move_between_two_provinces_of_one_database_is_a_transfer_to_another_province(cli):
    assert cli("cells", "add", "Đảng bộ tỉnh khác", "--code", "U", "--kind", "province_committee").exit_code == 0
    assert cli("cells", "add", "Đảng bộ xã V", "--code", "V", "--kind", "commune_committee", "--parent",
               "U").exit_code == 0
    assert cli("cells", "add", "Chi bộ U.01", "--code", "U.01", "--kind", "cell", "--parent", "V").exit_code == 0
    a, b = _add(cli, "Người Sang Tỉnh Khác", "X.01"), _add(cli, "Người Sang Xã Khác", "X.01")
    _ok(cli, "members", "transfer", a, "--to", "U.01", "--date", "05/05/2024")
    _ok(cli, "members", "transfer", b, "--to", "Y.01", "--date", "06/05/2024")
    rows, _ = _rows(cli, "01/01/2024", "31/12/2024", "X")
    assert (rows["C5a"], rows["C5b"]) == (1, 1)
    into_u, _ = _rows(cli, "01/01/2024", "31/12/2024", "U")
    assert (into_u["B2a"], into_u["B2b"]) == (1, 0)


def test_membership_restored_is_b3_and_keeps_party_age_continuous(cli):
    removed = _add(cli, "Người Được Phục Hồi", "Y.01", "01/01/2000")
    _ok(cli, "members", "leave", removed, "--reason", "removed", "--date", "01/06/2023", "--ref", "5-QĐ")
    refused = cli("members", "restore", _add(cli, "Người Đang Sinh Hoạt", "Y.01"), "--date", "01/02/2024",
                  "--ref", "9-QĐ")
    assert refused.exit_code == 1 and "chỉ phục hồi đảng tịch" in refused.stderr
    _ok(cli, "members", "restore", removed, "--date", "01/02/2024", "--ref", "9-QĐ/TU")
    rows, _ = _rows(cli, "01/01/2024", "31/12/2024", "Y")
    assert (rows["B3"], rows["B1"], rows["A"], rows["D"]) == (1, 0, 1, 2)
    last, _ = _rows(cli, "01/01/2023", "31/12/2023", "Y")
    assert (last["C3"], last["D"]) == (1, 1)
    shown = cli("members", "show", removed, "--format", "json").json()
    assert shown["status"] == "active"
    plain = cli("members", "show", _add(cli, "Người Cùng Ngày", "Y.01", "01/01/2000"), "--format", "json").json()
    assert (shown["party_age_years"], shown["party_age_months"]) == (plain["party_age_years"],
                                                                     plain["party_age_months"])
    history = cli("members", "history", removed, "--format", "json").json()
    assert any(e["event"] == "restored" and e["reference"] == "9-QĐ/TU" for e in history)


def test_merges_renames_and_moves_of_organizations_are_never_transfers(cli):
    for i, cell in enumerate(["X.01", "X.01", "X.02", "Y.01"]):
        _add(cli, f"Người {i}", cell)
    _ok(cli, "cells", "update", "X.01", "--name", "Chi bộ thôn Mới")
    _ok(cli, "cells", "move", "X.01", "--parent", "Y", "--date", "01/07/2025")
    _ok(cli, "cells", "dissolve", "X.02", "--merged-into", "Y.01", "--date", "01/08/2025")
    for code in ("T", "Y", "Y.01"):
        rows, data = _rows(cli, "01/01/2025", "31/12/2025", code)
        assert rows["B2"] == 0 and rows["C5"] == 0 and rows["B"] == 0 and rows["C"] == 0, code
        assert data["unclassified"] == {"B2": 0, "C5": 0}
    rows, _ = _rows(cli, "01/01/2025", "31/12/2025", "Y")
    assert rows["A"] == rows["D"] == 4


def test_a_transfer_inside_the_database_takes_no_province_option(cli):
    member = _add(cli, "Người Chuyển Trong", "X.01")
    run = cli("members", "transfer", member, "--to", "X.02", "--other-province")
    assert run.exit_code == 1 and "--destination" in run.stderr
    assert cli("members", "show", member, "--format", "json").json()["cell_code"] == "X.01"


def test_changes_balance_on_generated_histories_with_arrivals_restorations_and_transfers_out(cli):
    """Every kind of step on and off the list, drawn at random over 2021–2025: for every organization and
    period A + B − C = D, A and D equal the truth kept here, and B2, C5 split as the transfer records say."""
    rng = random.Random(21)
    cells = ["X.01", "X.02", "Y.01", "Y.02"]
    truth: dict[str, list] = {}  # member → [(day, cell or None)]
    scopes: dict[str, str | None] = {}  # member → scope of their last transfer out
    removed: list[str] = []
    day, people = date(2021, 1, 1), 0
    while day < date(2025, 12, 1):
        day += timedelta(days=rng.randrange(6, 30))
        on = [m for m, steps in truth.items() if steps[-1][1] is not None and steps[-1][0] < day]
        action = rng.random()
        if action < 0.3 or len(on) < 4:
            people += 1
            cell = rng.choice(cells)
            member = _add(cli, f"Người Mới {people}", cell, _vi(day), membership="probationary")
            truth[member] = [(day, cell)]
        elif action < 0.45:
            people += 1
            cell = rng.choice(cells)
            member = _add(cli, f"Người Đến {people}", cell, "01/01/2000")
            scope = rng.choice(["--other-province", "--same-province", None])
            _ok(cli, "members", "arrive", member, "--from", "Đảng bộ nơi khác", "--date", _vi(day),
                *([scope] if scope else []))
            truth[member] = [(day, cell)]
        elif action < 0.6:
            member = rng.choice(on)
            target = rng.choice([c for c in cells if c != truth[member][-1][1]])
            _ok(cli, "members", "transfer", member, "--to", target, "--date", _vi(day))
            truth[member].append((day, target))
        elif action < 0.72:
            member = rng.choice(on)
            scope = rng.choice(["--other-province", "--same-province", None])
            _ok(cli, "members", "transfer", member, "--destination", "Nơi khác", "--date", _vi(day),
                *([scope] if scope else []))
            truth[member].append((day, None))
            scopes[member] = scope
        elif action < 0.85 and removed:
            member = removed.pop(rng.randrange(len(removed)))
            if truth[member][-1][0] < day:
                _ok(cli, "members", "restore", member, "--date", _vi(day), "--ref", "7-QĐ")
                truth[member].append((day, truth[member][-2][1]))
        else:
            member = rng.choice(on)
            reason = rng.choice(["removed", "expelled", "deceased", "resigned"])
            _ok(cli, "members", "leave", member, "--reason", reason, "--date", _vi(day), "--ref", "3-QĐ")
            truth[member].append((day, None))
            if reason in ("removed", "expelled"):
                removed.append(member)

    for code, within in {"T": set(cells), "X": {"X.01", "X.02"}, "Y.02": {"Y.02"}}.items():
        for start, end in ((date(2022, 1, 1), date(2022, 12, 31)), (date(2024, 3, 1), date(2025, 2, 28))):
            rows, data = _rows(cli, _vi(start), _vi(end), code)
            assert rows["A"] + rows["B"] - rows["C"] == rows["D"], (code, start)
            assert rows["A"] == _true_count(truth, start - timedelta(days=1), within), (code, start)
            assert rows["D"] == _true_count(truth, end, within), (code, end)
            assert rows["B2"] == rows["B2a"] + rows["B2b"] + data["unclassified"]["B2"]
            assert rows["C5"] == rows["C5a"] + rows["C5b"] + data["unclassified"]["C5"]
            last = {r["code"]: r["same_period_last_year"] for r in data["rows"]}
            assert last["A"] + last["B"] - last["C"] == last["D"]
    whole, _ = _rows(cli, "01/01/2021", "31/12/2025", "T")
    assert whole["B3"] > 0 and whole["B2"] > 0 and whole["C5"] > 0  # the history drew every kind
