"""check national: the worklist for the national database — every problem found, nothing written."""

from __future__ import annotations

import pytest

import dbstate
from dangvien_cli.rules import national_id as idrules


def _add(cli, name, gender, birth, cell="TL.01", *extra):
    run = cli("members", "add", "--name", name, "--gender", gender, "--birth-date", birth, "--cell", cell,
              *extra, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return run.json()["id"]


@pytest.fixture
def roster(cli, commune, isolated_db):
    adm = ("--admission-date", "01/06/2010", "--official-date", "01/06/2011")
    ids = {
        "ok": _add(cli, "Nguyễn Văn Đúng", "male", "12/05/1968", "TL.01", "--national-id", "001068000123",
                   "--card-number", "08000001", *adm),
        "gender": _add(cli, "Trần Thị Giới", "female", "03/02/1970", "TL.01", "--national-id", "001070000456",
                       "--card-number", "08000002", *adm),
        "year": _add(cli, "Lê Văn Năm", "male", "07/07/1968", "TL.01", "--national-id", "001090000789", *adm),
        "century": _add(cli, "Phạm Thị Thế Kỷ", "female", "01/01/2001", "TL.01", "--national-id", "001101000111",
                        "--admission-date", "01/06/2020", "--official-date", "01/06/2021"),  # admitted at 18
        "missing": _add(cli, "Hoàng Văn Thiếu", "male", "09/09/1980", "TL.01", *adm),
        "province": _add(cli, "Vũ Văn Tỉnh", "male", "09/09/1981", "TL.01", "--national-id", "999081000001", *adm),
        "dup_a": _add(cli, "Đỗ Văn Trùng", "male", "15/03/1975", "TL.02", "--national-id", "001075000222", *adm),
        "dup_b": _add(cli, "Đỗ Văn Trùng", "male", "16/03/1975", "TL.02", "--national-id", "001075000333", *adm),
        "card_holder": _add(cli, "Bùi Văn Thẻ", "male", "02/02/1972", "TL.02", "--national-id", "001072000444",
                            "--card-number", "001072000555", *adm),
        "id_holder": _add(cli, "Ngô Văn Số", "male", "03/03/1972", "TL.02", "--national-id", "001072000555", *adm),
        "no_admission": _add(cli, "Đinh Văn Ngày", "male", "04/04/1974", "TL.02", "--national-id", "001074000666"),
        "left": _add(cli, "Mai Văn Đi", "male", "05/05/1965", "TL.02", *adm),
    }
    # Two records of one person typed years apart: the same name and, once corrected, the same birth date.
    conn = dbstate.connect(isolated_db)
    conn.execute("UPDATE members SET birth_date = '1975-03-15' WHERE id = ?", (ids["dup_b"],))
    conn.commit()
    conn.close()
    assert cli("members", "leave", str(ids["left"]), "--reason", "deceased", "--date", "01/01/2020").exit_code == 0
    return ids


def _problems(run) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for item in run.json():
        assert set(item) >= {"member_id", "cell_code", "problem", "detail", "fix"}
        found.setdefault(item["member_id"], set()).add(item["problem"])
    return found


def test_every_readiness_problem_is_found_and_nothing_else(cli, roster, snapshot, isolated_db):
    before = snapshot(isolated_db)
    run = cli("check", "national", "--format", "json")
    assert run.exit_code == 0, run.stderr
    found = _problems(run)
    ids = roster
    assert ids["ok"] not in found
    assert found[ids["gender"]] == {"national_id_gender"}
    assert found[ids["year"]] == {"national_id_birth_year"}
    assert found[ids["century"]] == {"national_id_birth_year"}  # born 2001: digit 4 must be 2 or 3, not 1
    assert found[ids["missing"]] == {"national_id_missing"}
    assert found[ids["province"]] == {"national_id_format"}
    assert found[ids["dup_a"]] == {"likely_duplicate"}
    assert found[ids["dup_b"]] == {"likely_duplicate"}
    assert found[ids["card_holder"]] == {"card_shared"}
    assert found[ids["id_holder"]] == {"national_id_shared"}
    assert found[ids["no_admission"]] == {"missing_field"}
    assert ids["left"] not in found  # off the roll: not for the national database's working list
    assert snapshot(isolated_db) == before


def test_details_name_the_digits_and_fixes_name_the_command(cli, roster):
    items = {(i["member_id"], i["problem"]): i for i in cli("check", "national", "--format", "json").json()}
    gender = items[(roster["gender"], "national_id_gender")]
    assert "(0)" in gender["detail"] and "nam" in gender["detail"] and "nữ" in gender["detail"]
    year = items[(roster["year"], "national_id_birth_year")]
    assert "1990" in year["detail"] and "1968" in year["detail"] and "068" in year["detail"]
    assert f"dangvien members update {roster['missing']} --national-id" in items[
        (roster["missing"], "national_id_missing")]["fix"]
    assert "999" in items[(roster["province"], "national_id_format")]["detail"]
    dup = items[(roster["dup_a"], "likely_duplicate")]
    assert f"mã số {roster['dup_b']}" in dup["detail"]
    assert "--admission-date" in items[(roster["no_admission"], "missing_field")]["fix"]


def test_worklist_is_per_cell_and_scoped(cli, roster):
    whole = cli("check", "national", "--format", "json").json()
    codes = [i["cell_code"] for i in whole]
    assert codes == sorted(codes)  # grouped cell by cell
    scoped = cli("check", "national", "--cell", "TL.02", "--format", "json").json()
    assert {i["cell_code"] for i in scoped} == {"TL.02"}
    assert roster["gender"] not in {i["member_id"] for i in scoped}
    assert cli("check", "national", "--cell", "KHONGCO").exit_code == 1


def test_new_cards_must_equal_the_id_when_the_committee_says_so(cli, roster):
    assert roster["card_holder"] not in {
        i["member_id"] for i in cli("check", "national", "--format", "json").json() if i["problem"] ==
        "card_differs_from_id"}
    assert cli("settings", "set", "national.card_equals_id", "có").exit_code == 0
    found = _problems(cli("check", "national", "--format", "json"))
    assert "card_differs_from_id" in found[roster["card_holder"]]
    assert "card_differs_from_id" not in found.get(roster["ok"], set())  # an 8-digit old card is not a new card


def test_table_says_how_many_and_where(cli, roster):
    run = cli("check", "national")
    assert run.exit_code == 0
    assert "việc ở" in run.stderr and "2 chi bộ" in run.stderr


@pytest.mark.parametrize(("nid", "gender", "year", "expected"), [
    ("001068000123", "male", 1968, []),
    ("001168000123", "female", 1968, []),
    ("001268000123", "male", 2068, []),
    ("001301000123", "female", 2001, []),
    ("001068000123", "female", 1968, ["gender"]),
    ("001069000123", "male", 1968, ["birth_year"]),
    ("001268000123", "male", 1968, ["birth_year"]),
    ("001368000123", "male", 1968, ["gender", "birth_year"]),
])
def test_id_digits_against_the_record(nid, gender, year, expected):
    assert idrules.contradictions(nid, gender, year) == expected


def test_id_form():
    assert idrules.format_problem("001068000123") is None
    assert "mã tỉnh" in idrules.format_problem("097068000123")
    assert "chữ số thứ 4" in idrules.format_problem("001768000123")
    assert idrules.expected_digits("female", 1968) == "168"
    assert idrules.expected_digits("male", 2003) == "203"


def test_the_sql_prefilter_misses_no_problem_the_rule_finds(isolated_db):
    """Only members the SQL prefilter selects are judged in Python: on records of every shape (ids of either
    century and gender digit, partial and pre-1900 birth dates, missing fields) it must select every member
    the rule itself would flag."""
    import random

    from dangvien_cli.services import national
    from dangvien_cli.store import national as store

    rng = random.Random(7)
    db = dbstate.database(isolated_db)
    rows = []
    for i in range(1, 3001):
        year = rng.choice([1899, 1900, 1945, 1968, 1999, 2000, 2003, 2099, 2100])
        birth = rng.choice([f"{year}", f"{year}-05", f"{year}-05-17", None])
        gender = rng.choice(["male", "female", None])
        # Ids mostly consistent with the record (the hard cases sit next to the right answer), some not.
        digit = (2 * ((year - 1900) // 100) + (gender == "female")) if rng.random() < 0.6 else rng.randrange(10)
        yy = year % 100 if rng.random() < 0.6 else rng.randrange(100)
        nid = rng.choice([None, f"{rng.choice(['001', '079', '000', '097', '999'])}{max(0, digit) % 10}"
                                f"{yy:02d}{i:06d}"])
        card = rng.choice([None, f"{i:08d}", nid if nid else f"{i:012d}", f"{i:012d}"])
        rows.append((i, f"Người {i}", f"nguoi {i}", f"{i}", gender, birth, nid, card,
                     rng.choice([None, "2000-01-01"]), rng.choice([10, 11, 12]), "t", "t"))
    with db.write() as conn:
        for cid, kind, valid_to in ((10, "cell", None), (11, "cell", "2025-07-01"), (12, "commune_committee", None)):
            conn.execute("INSERT INTO cells (id, code, name, search_key, kind, valid_to, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, 't', 't')", (cid, f"C{cid}", f"C{cid}", f"c{cid}", kind, valid_to))
        conn.executemany("INSERT INTO members (id, full_name, search_key, sort_key, gender, birth_date, national_id, "
                         "card_number, admission_date, cell_id, created_at, updated_at) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    with db.read() as conn:
        for card_equals_id in (False, True):
            every = [dict(zip(store.MEMBER_COLUMNS, r, strict=True)) for r in store.members_by_id(
                conn, list(range(1, 3001)), None)]
            flagged = {r["id"] for r in every if national._member_problems(r, card_equals_id)}
            selected = {r[0] for r in store.members_to_judge(conn, None, card_equals_id)}
            assert flagged, "the generated records must include problems"
            assert flagged <= selected
