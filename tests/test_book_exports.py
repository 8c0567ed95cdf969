"""The books sent out (export attendance|dues|ratings): written in the layout the imports read, so that exporting
and importing the same file changes nothing, and a month the cell fills in changes exactly that member's row."""

from __future__ import annotations

import openpyxl
import pytest

import dbstate
from dbstate import table_contents


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-01-20")


MEMBERS = [("Nguyễn Văn An", "08000001", "12/05/1968", "TL.01"), ("Trần Thị Bình", "08000002", "01/02/1980", "TL.01"),
           ("Lê Văn Cường", "08000003", "03/04/1975", "TL.02"), ("Phạm Thị Dung", "", "05/06/1970", "TL.02")]


@pytest.fixture
def members(cli, commune):
    for name, card, birth, cell in MEMBERS:
        extra = ["--card-number", card] if card else []
        r = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", birth, "--cell", cell,
                "--admission-date", "01/01/2000", "--membership", "official", *extra)
        assert r.exit_code == 0, r.stderr
    return [m[1] for m in MEMBERS]


def ok(cli, *args):
    r = cli(*args)
    assert r.exit_code == 0, (args, r.stderr)
    return r


def books_tables(db) -> dict:
    """The books' rows without their bookkeeping columns (source, time), by member."""
    con = dbstate.connect(db)
    try:
        return {
            "attendance": con.execute("SELECT member_id, year, marks FROM attendance_books ORDER BY 1").fetchall(),
            "dues": con.execute("SELECT member_id, year, marks, amounts FROM dues_books ORDER BY 1").fetchall(),
            "ratings": con.execute("SELECT member_id, year, level, not_rated_reason, score, proposed_by "
                                   "FROM member_ratings ORDER BY 1").fetchall(),
        }
    finally:
        con.close()


def columns(ws) -> tuple[int, dict]:
    """The sub-header row of an exported book and {label: column} over both header rows ("3" for March)."""
    head = next(r for r in ws.iter_rows() if r[0].value == "STT")
    sub = head[0].row + 1
    labels = {c.value: c.column for c in head if c.value} | {c.value: c.column for c in ws[sub] if c.value}
    return sub, labels


def book_cell(path, label: str, *, card: str | None = None, name: str | None = None):
    """The workbook and the cell under ``label`` in the row of the member with ``card`` (or ``name``)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    sub, labels = columns(ws)
    key = labels["Số thẻ đảng viên"] if card else labels["Họ và tên"]
    row = next(r[0].row for r in ws.iter_rows(min_row=sub + 1) if r[key - 1].value == (card or name))
    return wb, ws.cell(row=row, column=labels[label])


def row_values(path, card: str, *labels: str) -> tuple:
    ws = openpyxl.load_workbook(path).active
    sub, cols = columns(ws)
    row = next(r for r in ws.iter_rows(min_row=sub + 1, values_only=True) if r[cols["Số thẻ đảng viên"] - 1] == card)
    return tuple(row[cols[label] - 1] for label in labels)


def test_attendance_book_round_trip_changes_nothing(cli, members, tmp_path, isolated_db):
    ok(cli, "attendance", "set", "08000001", "--year", 2025, "--month", 3, "--mark", "k")
    ok(cli, "attendance", "set", "08000001", "--year", 2025, "--month", 4, "--mark", "p")
    ok(cli, "attendance", "set", "08000003", "--year", 2025, "--month", 1, "--mark", "x")
    out = tmp_path / "sinh-hoat.xlsx"
    ok(cli, "export", "attendance", out, "--year", 2025)
    before = table_contents(isolated_db)
    r = cli("import", "attendance", out, "--year", 2025, "--format", "json")
    assert r.exit_code == 0, r.stderr
    report = r.json()
    # Every member read back (two with a book row, two without: their blank rows record nothing).
    assert (report["rows_read"], report["created"], report["updated"], report["unchanged"]) == (4, 0, 0, 4)
    after = table_contents(isolated_db)
    assert {t: v for t, v in after.items() if t not in ("imports", "commands")} == \
           {t: v for t, v in before.items() if t not in ("imports", "commands")}


def test_a_filled_in_month_changes_exactly_that_row(cli, members, tmp_path, isolated_db):
    ok(cli, "attendance", "set", "08000001", "--year", 2025, "--month", 3, "--mark", "k")
    ok(cli, "attendance", "set", "08000002", "--year", 2025, "--month", 1, "--mark", "x")
    out = tmp_path / "sinh-hoat.xlsx"
    ok(cli, "export", "attendance", out, "--year", 2025, "--cell", "TL.01")
    wb, cell = book_cell(out, "5", card="08000002")
    assert cell.value is None
    cell.value = "p"
    wb.save(out)
    before = books_tables(isolated_db)
    report = cli("import", "attendance", out, "--year", 2025, "--format", "json").json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
    after = books_tables(isolated_db)
    changed = [(a, b) for a, b in zip(before["attendance"], after["attendance"], strict=True) if a != b]
    bình = cli("members", "show", "08000002", "--format", "json").json()["id"]
    assert changed == [((bình, 2025, "x-----------"), (bình, 2025, "x---p-------"))]
    assert after["dues"] == before["dues"] and after["ratings"] == before["ratings"]


def test_a_blank_row_filled_in_creates_that_members_year(cli, members, tmp_path, isolated_db):
    out = tmp_path / "sinh-hoat.xlsx"
    ok(cli, "export", "attendance", out, "--year", 2025)
    # The member without a card is found by name and birth date, as the import matches any book.
    wb, cell = book_cell(out, "2", name="Phạm Thị Dung")
    cell.value = "x"
    wb.save(out)
    report = cli("import", "attendance", out, "--year", 2025, "--format", "json").json()
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 0, 3)
    dung = cli("members", "list", "--search", "Phạm Thị Dung", "--format", "json").json()[0]["id"]
    assert books_tables(isolated_db)["attendance"] == [(dung, 2025, "-x----------")]


def test_dues_book_round_trip_and_one_amount_filled_in(cli, members, tmp_path, isolated_db):
    book = tmp_path / "nhap.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["SỔ THU ĐẢNG PHÍ NĂM 2025"])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên"] + [f"T{m}" for m in range(1, 13)])
    ws.append([1, "Nguyễn Văn An", "12/05/1968", "08000001", 20000, 20000, None, "miễn", 0] + [None] * 4
              + ["đã đóng", None, None])  # paid, amount not written
    ws.append([2, "Trần Thị Bình", "01/02/1980", "08000002"] + [150000] * 12)
    wb.save(book)
    ok(cli, "import", "dues", book, "--year", 2025)
    out = tmp_path / "dang-phi.xlsx"
    ok(cli, "export", "dues", out, "--year", 2025)
    # Unpaid months as 0: blank is left for what the book does not know.
    assert row_values(out, "08000001", *map(str, range(1, 13))) == \
        (20000, 20000, 0, "miễn") + (0,) * 5 + ("Đã đóng", 0, 0)
    before = books_tables(isolated_db)
    r = cli("import", "dues", out, "--year", 2025, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 0, 4)
    assert any("không ghi tháng nào" in w for w in r.json()["warnings"])  # the two blank rows, named
    assert books_tables(isolated_db) == before
    wb, cell = book_cell(out, "1", card="08000003")
    cell.value = 30000
    wb.save(out)
    report = cli("import", "dues", out, "--year", 2025, "--format", "json").json()
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 0, 3)
    after = books_tables(isolated_db)
    cuong = cli("members", "show", "08000003", "--format", "json").json()["id"]
    assert [row for row in after["dues"] if row not in before["dues"]] == \
           [(cuong, 2025, "p" + "u" * 11, "[30000" + ", null" * 11 + "]")]


def test_ratings_sheet_round_trip_and_one_rating_filled_in(cli, members, tmp_path, isolated_db):
    ok(cli, "ratings", "set", "08000001", "--year", 2025, "--level", "HTTNV", "--score", "75.5",
       "--proposed-by", "Chi bộ thôn Đông")
    ok(cli, "ratings", "set", "08000002", "--year", 2025, "--not-rated", "exempt")
    out = tmp_path / "xep-loai.xlsx"
    ok(cli, "export", "ratings", out, "--year", 2025)
    assert row_values(out, "08000001", "Điểm", "Xếp loại", "Lý do") == (75.5, "Hoàn thành tốt nhiệm vụ", None)
    assert row_values(out, "08000002", "Điểm", "Xếp loại", "Lý do") == \
        (None, "Không xếp loại", "Miễn công tác và sinh hoạt đảng")
    before = books_tables(isolated_db)
    report = cli("import", "ratings", out, "--year", 2025, "--format", "json").json()
    assert report["errors"] == []  # the members not yet rated are blank rows: nothing recorded, a warning
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 4)
    assert any("chưa ghi xếp loại" in w for w in report["warnings"])
    assert books_tables(isolated_db) == before
    wb, cell = book_cell(out, "Xếp loại", card="08000003")
    cell.value = "HTXSNV"
    cell.offset(column=-1).value = 92  # Điểm, just left of it
    wb.save(out)
    report = cli("import", "ratings", out, "--year", 2025, "--format", "json").json()
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 0, 3)
    cuong = cli("members", "show", "08000003", "--format", "json").json()["id"]
    assert [r for r in books_tables(isolated_db)["ratings"] if r not in before["ratings"]] == \
           [(cuong, 2025, "HTXSNV", None, 92.0, None)]


def test_book_export_of_one_cell_and_bad_year(cli, members, tmp_path):
    out = tmp_path / "tay.xlsx"
    r = cli("export", "attendance", out, "--year", 2025, "--cell", "TL.02")
    assert r.exit_code == 0, r.stderr
    names = {row[1] for row in openpyxl.load_workbook(out).active.iter_rows(values_only=True) if row[1]}
    assert "Lê Văn Cường" in names and "Phạm Thị Dung" in names and "Nguyễn Văn An" not in names
    bad = cli("export", "dues", tmp_path / "x.xlsx", "--year", 1800)
    assert bad.exit_code == 1 and "1800" in bad.stderr and not (tmp_path / "x.xlsx").exists()
    missing = cli("export", "ratings", tmp_path / "y.xlsx", "--year", 2025, "--cell", "KHONG")
    assert missing.exit_code == 1 and not (tmp_path / "y.xlsx").exists()


def test_dues_recorded_by_hand_keep_their_unrecorded_months(cli, members, tmp_path, isolated_db):
    """A month 'dues set' left unrecorded ('-') is printed blank and stays unrecorded when the book comes back
    blank there; a month the cell fills in is recorded; 0 written by the cell is 'not paid'."""
    ok(cli, "dues", "set", "08000001", "--year", 2025, "--month", 1, "--amount", 50000)
    out = tmp_path / "dang-phi.xlsx"
    ok(cli, "export", "dues", out, "--year", 2025, "--cell", "TL.01")
    assert row_values(out, "08000001", "1", "2", "12") == (50000, None, None)
    before = books_tables(isolated_db)
    report = cli("import", "dues", out, "--year", 2025, "--format", "json").json()
    assert (report["created"], report["updated"]) == (0, 0) and books_tables(isolated_db) == before
    wb, cell = book_cell(out, "2", card="08000001")
    cell.value = 50000
    cell.offset(column=1).value = 0
    wb.save(out)
    assert cli("import", "dues", out, "--year", 2025, "--format", "json").json()["updated"] == 1
    an = cli("dues", "show", "08000001", "--year", 2025, "--format", "json").json()
    assert an["dues"] == "ppu---------" and an["dues_amounts"][:3] == [50000, 50000, None]
