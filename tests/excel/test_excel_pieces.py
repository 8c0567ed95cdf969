"""A large sheet parsed in pieces side by side (excel/pieces.py) gives exactly the grid of one whole parse.

The pieces are made only for sheets over pieces.MIN_BYTES; here the threshold is lowered so that small,
awkward sheets are cut (into 2, 3 or 4 pieces, at every kind of place) and compared with a whole parse of the
same file. A spy on Pieces.load says whether the pieces were really used, so that each test fails if they
silently were not (or were, where they must not be)."""

from __future__ import annotations

import os
import zipfile
from datetime import date

import pytest
from builders import write_xlsx
from hostile import cell, roster_rows, row, write_sheet_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangvien_cli import threads
from dangvien_cli.excel import pieces, workbook


def _read(path, monkeypatch, count: int | None, sheet: str | None = None):
    """(sheet, whether the pieces gave it) with ``count`` pieces, or whole (None)."""
    used = []
    load = pieces.Pieces.load

    def spy(self):
        got = load(self)
        used.append(got is not None)
        return got

    with monkeypatch.context() as m:
        m.setattr(pieces.Pieces, "load", spy)
        m.setattr(pieces, "MIN_BYTES", 1 if count else 1 << 40)
        m.setattr(threads, "cores", lambda: count or 1)
        m.setattr(pieces, "MAX_PIECES", count or 1)
        got = workbook.open_workbook(path).sheet(sheet)
    return got, bool(used and used[0])


def _unnamed_files() -> set[str]:
    """The descriptors of this process open on files without a name (the pieces' temporary files; pytest
    captures the output in some too)."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the listing's own descriptor, closed meanwhile
            continue
        if target.endswith("(deleted)"):
            found.add(target)
    return found


def _same(path, monkeypatch, count: int) -> bool:
    whole, cut = _read(path, monkeypatch, None)
    assert not cut
    split, cut = _read(path, monkeypatch, count)
    assert (split.grid, split.first_row, split.merged, split.width, split.name) == \
        (whole.grid, whole.first_row, whole.merged, whole.width, whole.name)
    return cut


@pytest.mark.parametrize("count", [2, 3, 4])
def test_an_office_roster_in_pieces(tmp_path, monkeypatch, count):
    """Title rows and a merged title, a table starting at column C, shared strings, dates, numbers, booleans, a
    run of empty rows, and a column that only the last rows fill."""
    rows = [["ĐẢNG BỘ XÃ THỬ NGHIỆM", None, None], [None], ["Họ và tên", "Ngày sinh", "Số thẻ", "Đảng viên", None]]
    for i in range(120):
        rows.append([f"Nguyễn Văn {i}", date(1970, 1 + i % 12, 1 + i % 28), 10_000_000 + i, i % 2 == 0,
                     "ghi chú" if i > 100 else None])
        if i == 60:
            rows.extend([[None]] * 7)
    path = write_xlsx(tmp_path / "ds.xlsx", rows, top=2, left=3, merges=("C2:G2",))
    assert _same(path, monkeypatch, count)


def test_a_cut_in_a_run_of_missing_rows(tmp_path, monkeypatch):
    """Rows 2-60, then nothing until row 5,000: the empty rows between pieces are given back."""
    body = list(roster_rows(59)) + [row(5000 + k, [k, f"Trần Thị {k}", "Nữ"]) for k in range(60)]
    path = write_sheet_xlsx(tmp_path / "gap.xlsx", body)
    assert _same(path, monkeypatch, 2)


def test_a_sheet_starting_far_down_and_right(tmp_path, monkeypatch):
    body = [f'<row r="{r}">' + cell(f"E{r}", f"x{r}") + (cell(f"H{r}", r) if r % 7 == 0 else "") + "</row>"
            for r in range(300, 420)]
    path = write_sheet_xlsx(tmp_path / "far.xlsx", body)
    assert _same(path, monkeypatch, 3)


def test_rows_out_of_order_are_parsed_whole(tmp_path, monkeypatch):
    """A row listed again after later ones (a writer may): the pieces would overlap, so the sheet is parsed whole."""
    body = list(roster_rows(80)) + [row(5, [None, None, None, None, None, None, "thêm"])]
    path = write_sheet_xlsx(tmp_path / "order.xlsx", body)
    assert not _same(path, monkeypatch, 2)


@pytest.mark.parametrize("markup", ['<!-- <row r="7"><c r="A7"><v>1</v></c></row> -->',
                                    '<![CDATA[ <row r="7"> ]]>', '<?note <row r="7"> ?>'])
def test_markup_inside_the_rows_is_never_cut(tmp_path, monkeypatch, markup):
    """After a comment, CDATA or a processing instruction a '<row' may not open a row: no pieces at all."""
    body = list(roster_rows(40))
    body.insert(20, markup)
    path = write_sheet_xlsx(tmp_path / "markup.xlsx", body)
    try:
        same = _same(path, monkeypatch, 2)
    except Exception as exc:  # noqa: BLE001 - the whole parse may refuse the markup itself: then so do the pieces
        assert "InputRejected" in type(exc).__name__
        return
    assert not same


def test_no_file_and_no_descriptor_is_left(tmp_path, monkeypatch):
    path = write_sheet_xlsx(tmp_path / "fd.xlsx", roster_rows(200))
    temp_before, unnamed = set(os.listdir(tmp_path)), _unnamed_files()
    assert _same(path, monkeypatch, 2)
    assert _unnamed_files() == unnamed
    assert set(os.listdir(tmp_path)) == temp_before


def test_a_refused_sheet_stops_the_pieces(tmp_path, monkeypatch):
    """A stray cell far outside the box in the second half: refused as without pieces, nothing left open."""
    from dangvien_cli.errors import InputRejected

    path = write_sheet_xlsx(tmp_path / "stray.xlsx", roster_rows(500, stray=(450, 16000, "x")),
                            dimension="A1:F501")
    unnamed = _unnamed_files()
    with pytest.raises(InputRejected) as whole:
        _read(path, monkeypatch, None)
    with pytest.raises(InputRejected) as split:
        _read(path, monkeypatch, 2)
    assert split.value.message == whole.value.message
    assert _unnamed_files() == unnamed


_values = st.one_of(st.none(), st.integers(-10**6, 10**6), st.text("aăâbđeêoôơuưy ?!<>&", min_size=1, max_size=6))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(layout=st.lists(st.tuples(st.integers(0, 30), st.lists(_values, max_size=9)), min_size=1, max_size=60),
       count=st.integers(2, 4))
def test_any_layout_in_pieces(tmp_path_factory, monkeypatch, layout, count):
    """Random sparse sheets (rows skipped, cells missing, text with '?', '!', '<'): pieces == whole."""
    path = tmp_path_factory.mktemp("p") / "r.xlsx"
    r, body = 0, []
    for skip, values in layout:
        r += 1 + skip
        body.append(row(r, values))
    write_sheet_xlsx(path, body)
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size > 0
    _same(path, monkeypatch, count)


def test_a_full_disk_only_costs_the_pieces(tmp_path, monkeypatch):
    """No room for the pieces' files (or any other failure writing them): the sheet is parsed whole."""
    path = write_sheet_xlsx(tmp_path / "disk.xlsx", roster_rows(200))
    whole, _ = _read(path, monkeypatch, None)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pieces.tempfile, "TemporaryFile", full)
    split, cut = _read(path, monkeypatch, 2)
    assert not cut and split.grid == whole.grid


def test_a_second_sheet_with_mac_dates_in_pieces(tmp_path, monkeypatch):
    """The roster is the second of two sheets, in a workbook on the 1904 date system: each piece keeps the
    workbook (its sheets, its date system) and the styles, so names and dates come out as from the whole file."""
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    wb.active.title = "Hướng dẫn"
    wb.active["A1"] = "Điền danh sách ở trang sau"
    ws = wb.create_sheet("Danh sách")
    ws.append(["Họ và tên", "Ngày sinh", "Ngày vào Đảng"])
    for i in range(150):
        ws.append([f"Lê Thị {i}", date(1960 + i % 40, 1 + i % 12, 1 + i % 27), date(2000 + i % 20, 5, 19)])
        for c in (2, 3):
            ws.cell(ws.max_row, c).number_format = "dd/mm/yyyy"
    path = tmp_path / "mac.xlsx"
    wb.save(path)
    whole, _ = _read(path, monkeypatch, None, "Danh sách")
    assert whole.grid[1][1] == date(1960, 1, 1)
    for count in (2, 3):
        split, cut = _read(path, monkeypatch, count, "Danh sách")
        assert cut and (split.grid, split.first_row) == (whole.grid, whole.first_row)
