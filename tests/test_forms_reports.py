"""Biểu 2B, 5, 6 and 7-BTCTW: counts on small hand-made histories, reports as of a past day unchanged by later
changes, and members the history cannot place counted apart."""

from __future__ import annotations

from datetime import date

import pytest

from test_statistics import (
    _generate,
    _vi,
    province,  # noqa: F401 - the fixture: T > X, Y > X.01, X.02, Y.01, Y.02
)

pytestmark = pytest.mark.usefixtures("province")


def _ok(cli, *args):
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    return run


def _add(cli, name, cell, admitted, *extra, gender="male", membership="official"):
    return str(_ok(cli, "members", "add", "--name", name, "--gender", gender, "--birth-date", "1970", "--cell", cell,
                   "--admission-date", admitted, "--membership", membership, *extra, "--format", "json").json()["id"])


def _json(cli, *args):
    return _ok(cli, "reports", *args, "--format", "json").json()


def test_new_members_by_ethnicity_and_religion(cli):
    _add(cli, "Người Tày Nữ", "X.01", "10/03/2025", "--ethnicity", "Tày", "--religion", "Phật giáo",
         gender="female", membership="probationary")
    _add(cli, "Người Kinh", "X.02", "11/04/2025", "--ethnicity", "Kinh", membership="probationary")
    late = _add(cli, "Người Kinh Hai", "X.02", "12/05/2025", "--ethnicity", "Kinh", membership="probationary")
    _add(cli, "Người Năm Trước", "X.01", "01/06/2024", "--ethnicity", "Tày")
    _add(cli, "Người Xã Khác", "Y.01", "01/06/2025", "--ethnicity", "Mường", membership="probationary")
    data = _json(cli, "ethnicity", "--year", "2025", "--cell", "X")
    assert data["form"] == "2B-BTCTW" and (data["total"], data["female"]) == (3, 1)
    assert (data["ethnic_minority"], data["religious"]) == (1, 1)
    ethnicity = {r["key"]: (r["count"], r["female"], r["religious"]) for r in data["groups"]["ethnicity"]}
    assert ethnicity == {"Kinh": (2, 0, 0), "Tày": (1, 1, 1)}
    religion = {r["key"]: (r["count"], r["ethnic_minority"]) for r in data["groups"]["religion"]}
    assert religion == {"Không": (2, 0), "Phật giáo": (1, 1)}
    # A correction written later does not change a period that ended before it; a period after it does.
    _ok(cli, "members", "update", late, "--ethnicity", "Nùng")
    again = _json(cli, "ethnicity", "--from", "01/01/2025", "--to", "31/12/2025", "--cell", "X")
    assert again == data
    today = _json(cli, "ethnicity", "--from", "01/01/2025", "--to", _vi(date.today()), "--cell", "X")
    assert {r["key"] for r in today["groups"]["ethnicity"]} == {"Kinh", "Tày", "Nùng"}


def test_organizations_and_members_by_type_of_unit(cli):
    _ok(cli, "cells", "update", "X", "--unit-type", "village")  # X.01, X.02 take it from X
    _ok(cli, "cells", "update", "Y.01", "--unit-type", "school")
    for i, cell in enumerate(("X.01", "X.01", "X.02", "Y.01")):
        _add(cli, f"Người Số {i}", cell, "01/01/2010")
    _add(cli, "Người Dự Bị", "Y.01", "01/06/2025", membership="probationary")
    data = _json(cli, "units", "--cell", "T")
    rows = {r["key"]: (r["cell"], r["members"], r["probationary"]) for r in data["rows"]}
    assert {k: v for k, v in rows.items() if v != (0, 0, 0)} == {"village": (2, 3, 0), "school": (1, 2, 1), None: (1, 0, 0)}
    assert data["total"]["members"] == 5 and data["organizations_unplaced"] == 0
    # As of a day before the organizations were entered: those with members that day existed, Y.02 (empty,
    # no founding day) cannot be placed.
    past = _json(cli, "units", "--as-of", "31/12/2024", "--cell", "T")
    assert {r["key"]: (r["cell"], r["members"]) for r in past["rows"] if r["cell"]} == {"village": (2, 3),
                                                                                          "school": (1, 1)}
    assert [r["key"] for r in past["rows"]] == ["village", "residential_group", "agency", "school", "state_enterprise",
                                                "private_enterprise", "military", "police", "other"]
    assert past["organizations_unplaced"] == 1
    _ok(cli, "cells", "dissolve", "X.02", "--merged-into", "X.01", "--date", _vi(date.today()))
    after = _json(cli, "units", "--cell", "T")
    assert {r["key"]: (r["cell"], r["members"]) for r in after["rows"]}["village"] == (1, 3)
    assert _json(cli, "units", "--as-of", "31/12/2024", "--cell", "T") == past


def test_rating_results_of_members_and_organizations(cli):
    a, b, c = (_add(cli, f"Người {i}", "X.01", "01/01/2010") for i in "ABC")
    d = _add(cli, "Người D", "X.02", "01/01/2010")
    _add(cli, "Người Mới", "X.02", "01/11/2025", membership="probationary")
    for member, level in ((a, "HTXSNV"), (b, "HTTNV"), (c, "HTTNV")):
        _ok(cli, "ratings", "set", member, "--year", "2025", "--level", level)
    _ok(cli, "ratings", "set", d, "--year", "2025", "--level", "HTNV")
    _ok(cli, "ratings", "set-cell", "X.01", "--year", "2025", "--level", "HTXSNV", "--four-good")
    _ok(cli, "ratings", "set-cell", "X.02", "--year", "2025", "--level", "HTTNV")
    data = _json(cli, "ratings", "--year", "2025", "--cell", "X")
    members = {r["key"]: r["count"] for r in data["members"]["rows"]}
    assert members == {"HTXSNV": 1, "HTTNV": 2, "HTNV": 1, "KHTNV": 0, "not_rated": 0, "no_result": 1}
    assert data["members"]["total"] == 5
    orgs = {r["key"]: r["count"] for r in data["organizations"]["rows"]}
    assert orgs == {"HTXSNV": 1, "HTTNV": 1, "HTNV": 0, "KHTNV": 0, "no_result": 0}
    assert data["organizations"]["four_good"] == 1
    assert {r["cell_code"]: (r["HTTNV"], r["no_result"]) for r in data["cells"]} == {"X.01": (2, 0), "X.02": (0, 1)}
    # As recorded yesterday: nothing was rated yet; a change of today is rolled back for a day before it.
    yesterday = _vi(date.fromordinal(date.today().toordinal() - 1))
    before = _json(cli, "ratings", "--year", "2025", "--cell", "X", "--as-of", yesterday)
    assert {r["key"]: r["count"] for r in before["members"]["rows"]}["no_result"] == 5


def test_procedures_of_a_period(cli):
    new = _add(cli, "Người Mới", "X.01", "10/02/2025", membership="probationary")
    recognized = _add(cli, "Người Được Công Nhận", "X.01", "01/03/2024", membership="probationary")
    _ok(cli, "members", "update", recognized, "--official-date", "01/03/2025", "--membership", "official")
    removed, moved, temp, gone = (_add(cli, f"Người {i}", "X.02", "01/01/2000") for i in ("Xóa", "Đi", "Tạm", "Mất"))
    _ok(cli, "members", "leave", removed, "--reason", "removed", "--date", "01/04/2025", "--ref", "3-QĐ")
    _ok(cli, "members", "transfer", moved, "--to", "Y.01", "--date", "02/04/2025")
    _ok(cli, "members", "transfer", temp, "--to", "Y.02", "--temporary", "--date", "03/04/2025", "--until",
        "03/10/2025")
    _ok(cli, "members", "leave", gone, "--reason", "deceased", "--date", "04/04/2025")
    arrived = _add(cli, "Người Đến", "X.01", "01/01/1995")
    _ok(cli, "members", "arrive", arrived, "--from", "Đảng bộ tỉnh Z", "--date", "05/05/2025", "--other-province")
    candidate = _ok(cli, "admissions", "add", "--name", "Người Thôi Theo Dõi", "--gender", "male", "--birth-date",
                    "01/01/2000", "--cell", "X.01").stdout.strip().split()[-1]
    _ok(cli, "admissions", "withdraw", candidate, "--date", "06/06/2025", "--reason", "chuyển đi nơi khác")
    data = _json(cli, "procedures", "--year", "2025", "--cell", "X")
    rows = {r["code"]: r["count"] for r in data["rows"]}
    assert data["form"] == "7-BTCTW"
    assert (rows["admitted"], rows["recognized"], rows["candidates_withdrawn"]) == (1, 1, 1)
    assert (rows["transfers_issued"], rows["transfers_received"], rows["transfers_received_other_province"]) == \
        (1, 1, 1)
    assert (rows["temporary_issued"], rows["removed"], rows["deceased"]) == (1, 1, 1)
    into_y = {r["code"]: r["count"] for r in _json(cli, "procedures", "--year", "2025", "--cell", "Y")["rows"]}
    assert (into_y["transfers_received"], into_y["temporary_received"], into_y["admitted"]) == (1, 1, 0)
    assert new
    whole = {r["code"]: r["count"] for r in _json(cli, "procedures", "--year", "2025")["rows"]}
    assert whole["transfers_issued"] == 0 and whole["temporary_issued"] == 0  # moves inside the database


def test_every_form_as_of_a_past_day_is_unchanged_by_later_changes(cli):
    truth = _generate(cli, 5)
    asks = [("ethnicity", "--year", "2024"), ("units", "--as-of", "31/12/2024"), ("ratings", "--year", "2024",
            "--as-of", "31/12/2024"), ("procedures", "--year", "2024")]
    for cell in ("X.01", "Y.02"):
        _ok(cli, "cells", "update", cell, "--unit-type", "village")
    before = {ask: _json(cli, *ask, "--cell", "T") for ask in asks}
    on_list = [m for m, steps in truth.items() if steps[-1][1] is not None]
    d = min(on_list, key=lambda m: truth[m][0][0])  # admitted long enough ago to be rated for 2024
    a, b, c = [m for m in on_list if m != d][:3]
    today = _vi(date.today())
    _ok(cli, "members", "transfer", str(a), "--to", "Y.02" if truth[a][-1][1] != "Y.02" else "X.01", "--date", today)
    _ok(cli, "members", "leave", str(b), "--reason", "deceased", "--date", today)
    _ok(cli, "members", "update", str(c), "--ethnicity", "Tày", "--religion", "Phật giáo")
    _ok(cli, "ratings", "set", str(d), "--year", "2024", "--level", "HTTNV")
    _ok(cli, "members", "add", "--name", "Người Vào Sau", "--gender", "female", "--birth-date", "1999",
        "--cell", "X.01", "--admission-date", today, "--membership", "probationary")
    _ok(cli, "cells", "dissolve", "X.02", "--merged-into", "X.01", "--date", today)
    for ask in asks:
        assert _json(cli, *ask, "--cell", "T") == before[ask], ask


def test_members_without_dates_are_counted_apart_in_every_form(cli):
    _ok(cli, "members", "add", "--name", "Người Không Ngày", "--gender", "male", "--birth-date", "1970",
        "--cell", "X.01")
    for ask in (("ethnicity", "--year", "2025"), ("units",), ("ratings", "--year", "2025"),
                ("procedures", "--year", "2025")):
        assert _json(cli, *ask)["unplaced"] == 1, ask
    table = cli("reports", "units")
    assert "1 đảng viên không tính được" in table.stderr
