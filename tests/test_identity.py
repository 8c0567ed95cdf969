"""One rule per question, asked by every path (issue 10): card and personal-id numbers, dates in order with the age
at admission, field lengths, and "is this row the same person" — typed with `members add` or read from a roster,
the same value gets the same verdict."""

from __future__ import annotations

import openpyxl
import pytest

import dbstate
from dangvien_cli.excel.roster import read_roster
from dangvien_cli.rules.chronology import date_problems
from dangvien_cli.rules.identity import AMBIGUOUS, CARD_OF_ANOTHER, ID_OF_ANOTHER, People, match_person

HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số định danh cá nhân", "Số thẻ đảng viên",
          "Ngày quyết định kết nạp", "Ngày vào Đảng", "Ngày chính thức", "Quê quán", "Chi bộ"]


def sheet(path, rows):
    """A plain roster: header on row 1, one member a row from row 2 (all cells written as text)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row])
    wb.save(path)
    return path


def row(name="Người Thử", *, birth="01/01/1970", nid=None, card=None, decision=None, admission=None,
        official=None, hometown=None, cell="Chi bộ thôn Đông"):
    return [name, "Nam", birth, nid, card, decision, admission, official, hometown, cell]


def typed(cli, name="Người Thử", *, birth="01/01/1970", nid=None, card=None, decision=None, admission=None,
          official=None, hometown=None):
    args = ["members", "add", "--name", name, "--gender", "male", "--birth-date", birth, "--cell", "TL.01"]
    for option, value in (("--national-id", nid), ("--card-number", card), ("--decision-date", decision),
                          ("--admission-date", admission), ("--official-date", official), ("--hometown", hometown)):
        if value is not None:
            args += [option, value]
    return cli(*args)


CARDS = ["08012345", "080123456789", "0801234", "080123456", "12345", "0801234a", "08.012.345", "08 012 345"]
IDS = ["001068000123", "00106800012", "0010680001234", "00106800012A", "001.068.000.123"]


@pytest.mark.parametrize("card", CARDS)
def test_a_card_number_gets_the_same_verdict_typed_and_in_a_file(cli, commune, tmp_path, card):
    refused_typed = typed(cli, card=card).exit_code != 0
    read = read_roster(sheet(tmp_path / "c.xlsx", [row(card=card)]))
    refused_in_file = any(e["column"] == "Số thẻ đảng viên" for e in read.errors())
    assert refused_typed == refused_in_file
    assert refused_typed == (card not in ("08012345", "080123456789", "08.012.345", "08 012 345"))


@pytest.mark.parametrize("nid", IDS)
def test_a_personal_id_gets_the_same_verdict_typed_and_in_a_file(cli, commune, tmp_path, nid):
    refused_typed = typed(cli, nid=nid).exit_code != 0
    read = read_roster(sheet(tmp_path / "i.xlsx", [row(nid=nid)]))
    refused_in_file = any(e["column"] == "Số định danh cá nhân" for e in read.errors())
    assert refused_typed == refused_in_file == (nid not in ("001068000123", "001.068.000.123"))


DATES = [  # birth, decision, admission, official, refused
    ("01/01/1970", None, "01/01/1995", "01/01/1996", False),
    ("01/01/1970", None, "01/01/1996", "01/01/1995", True),  # official before admission
    ("01/01/1970", "02/02/1995", "01/01/1995", None, True),  # decision after admission
    ("01/01/2015", None, "01/01/2020", None, True),  # admitted at five (issue 12 point 10)
    ("02/03/1977", None, "01/03/1995", None, True),  # a day short of 18
    ("02/03/1977", None, "02/03/1995", None, False),  # 18 on the day
    ("05/1990", None, "2008", None, False),  # may be 18 by the end of 2008: not refused on a guess
    ("1990", None, "1990", None, True),  # not surely after the birth
]


@pytest.mark.parametrize("birth, decision, admission, official, refused", DATES)
def test_dates_get_the_same_verdict_typed_and_in_a_file(cli, commune, tmp_path, birth, decision, admission,
                                                       official, refused):
    r = typed(cli, birth=birth, decision=decision, admission=admission, official=official)
    assert (r.exit_code != 0) == refused, r.stderr
    read = read_roster(sheet(tmp_path / "d.xlsx", [row(birth=birth, decision=decision, admission=admission,
                                                        official=official)]))
    assert bool(read.errors()) == refused, read.errors()
    if refused:
        assert read.errors()[0]["message"].rstrip(".") in r.stderr


def test_date_problems_are_named_with_the_field_to_correct():
    problems = date_problems("2015-01-01", "2019-12-01", "2019-11-01", "2019-10-01")
    assert [(p.code, p.field) for p in problems] == [
        ("official_before_admission", "official_date"), ("decision_after_admission", "decision_date"),
        ("under_age_at_admission", "decision_date")]
    assert all(p.rule.startswith("Điều lệ Đảng") for p in problems)
    assert date_problems("1950", None, "1975-05", "1976-05") == []


def test_db_check_reports_a_record_that_cannot_be_true(cli, commune, isolated_db):
    assert typed(cli, birth="01/01/1990", card="08000001", admission="01/01/2010").exit_code == 0
    con = dbstate.connect(isolated_db)
    con.execute("UPDATE members SET birth_date = '2005-06-01'")  # written by an older version or by hand
    con.commit()
    con.close()
    r = cli("db", "check", "--format", "json")
    found = [p for p in r.json()["problems"] if p["check"] == "under_age_at_admission"]
    assert len(found) == 1 and "mới 4 tuổi" in found[0]["message"]


def test_a_value_over_its_limit_is_a_row_error_never_cut(cli, commune, tmp_path, isolated_db, snapshot):
    before = snapshot(isolated_db)
    path = sheet(tmp_path / "long.xlsx", [row("Nguyễn Văn An", card="08000001", hometown="Thôn Đông " * 40),
                                          row(2, card="08000002"), row("Lê Thị Cúc", card="08000003")])
    r = cli("import", "roster", path, "--into", "TL", "--format", "json")
    assert r.exit_code == 3
    errors = [(e["row"], e["column"], e["message"]) for e in r.json()["errors"]]
    assert errors == [(2, "Quê quán", "Quê quán dài 399 ký tự, quá giới hạn 300 ký tự: hãy rút gọn."),
                      (3, "Họ và tên", "Họ và tên '2' không có chữ cái nào.")]
    assert snapshot(isolated_db) == before


# --- one matching rule ----------------------------------------------------------------------------------------


def test_match_precedence_and_refusals():
    people = People([(1, "001070000001", "08000001", "le van cuong", "1970-01-01"),
                     (2, None, "08000002", "le van cuong", "1970-01-01"),
                     (3, None, None, "tran thi binh", "1980-02-01")])
    key = "le van cuong"
    assert match_person(people, national_id="001070000001", card_number=None, name_key="x", birth_date=None) \
        .member_id == 1
    # Personal id first: the card on the same row belongs to someone else.
    m = match_person(people, national_id="001070000001", card_number="08000002", name_key=key, birth_date=None)
    assert (m.problem, m.field, m.others) == (CARD_OF_ANOTHER, "card_number", (2,))
    # The card of a member recorded with another personal id.
    m = match_person(people, national_id="001070000009", card_number="08000001", name_key=key, birth_date=None)
    assert (m.member_id, m.problem) == (None, ID_OF_ANOTHER)
    # Card number before the name; a card typed on the wrong row (name and birth both differ) is refused.
    assert match_person(people, national_id=None, card_number="08000002", name_key="le van cuong moi",
                        birth_date="1970-01-01").member_id == 2
    m = match_person(people, national_id=None, card_number="08000002", name_key="hoang van x",
                     birth_date="1999-09-09")
    assert m.problem == CARD_OF_ANOTHER
    # Name and birth date: one fits, or two fit and nobody is guessed.
    assert match_person(people, national_id=None, card_number=None, name_key="tran thi binh",
                        birth_date="1980-02-01").member_id == 3
    m = match_person(people, national_id=None, card_number=None, name_key=key, birth_date="1970-01-01")
    assert (m.member_id, m.problem, m.others) == (None, AMBIGUOUS, (1, 2))
    # A personal id no member has rules out the member recorded with another one.
    assert match_person(people, national_id="001070000009", card_number=None, name_key=key,
                        birth_date="1970-01-01").member_id == 2


def test_roster_import_matches_by_the_same_rule_and_refuses_to_guess(cli, commune, tmp_path, isolated_db,
                                                                    snapshot):
    for card, nid in (("08000011", "001070000011"), ("08000012", None)):
        assert typed(cli, "Lê Văn Cường", card=card, nid=nid, admission="01/01/2000").exit_code == 0
    before = snapshot(isolated_db)
    path = sheet(tmp_path / "m.xlsx", [
        row("Lê Văn Cường", nid="001070000011", card="08000012"),  # id of member 1, card of member 2
        row("Lê Văn Cường"),  # no numbers: two members fit
        row("Lê Văn Cường", card="08000011", hometown="Tân Lập"),  # member 1 by card: fine
    ])
    r = cli("import", "roster", path, "--into", "TL", "--format", "json")
    assert r.exit_code == 3
    errors = [(e["row"], e["column"], e["message"]) for e in r.json()["errors"]]
    assert errors[0] == (2, "Số thẻ đảng viên", "Số thẻ 08000012 đã thuộc về đảng viên khác (mã số 2).")
    assert errors[1][:2] == (3, "Họ và tên") and "Có 2 đảng viên 'Lê Văn Cường' cùng ngày sinh 01/01/1970 " \
        "(mã số 1, 2): không đoán được là ai" in errors[1][2]
    assert len(errors) == 2
    assert snapshot(isolated_db) == before


def test_the_column_form_of_the_date_rule_gives_the_same_problems():
    """rules.chronology.column_problems (the roster's bulk path) decides the common rows by text alone: on every
    combination of full, partial and missing dates around the 18th birthday it agrees with date_problems."""
    import itertools

    from dangvien_cli.rules.chronology import column_problems

    values = [None, "1990", "1990-05", "1990-05-15", "2008-05-14", "2008-05-15", "2008", "1992-02-29",
              "2010-02-28", "2010-03-01"]
    rows = list(itertools.product(values, repeat=4))
    bulk = column_problems(*[list(c) for c in zip(*rows, strict=True)], len(rows))
    assert all((date_problems(*r) or None) == bulk.get(j) for j, r in enumerate(rows))
    assert 0 < len(bulk) < len(rows)
