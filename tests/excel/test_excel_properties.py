"""Property-based: whatever workbook comes in, import never crashes, and when it reports a problem it writes nothing.

Workbooks are generated small (a handful of rows, cells placed anywhere up to a far corner, values of every kind
including control and bidi characters), and so are damaged copies of a good file (cut short, bytes flipped).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hostile import ROSTER_HEADER, cell, roster_rows, row, write_sheet_xlsx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dangvien_cli.errors import InputRejected
from dangvien_cli.excel.guard import column_letters
from dangvien_cli.excel.workbook import read_sheet

FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐÐ"
NASTY = ["\x1b[31m", "\x1b]0;x\x07", "\x00", "\x08", "\u202e", "\u2066", "\u200f", "\t", "\n", "\u00a0", "&", "<"]
texts = st.lists(st.sampled_from(list(LETTERS + LETTERS.upper() + " 0123456789/.-") + NASTY), max_size=30).map("".join)
values = st.one_of(texts, st.integers(-10, 3_000_000), st.floats(allow_nan=False, allow_infinity=False),
                   st.sampled_from(["Nam", "Nữ", "05/03/1990", "00/05/1990", "ngày 5/3/1990", "1990", "", "31/02/1990"]))
names = st.tuples(st.sampled_from(["Nguyễn Văn", "Trần Thị", "Ðặng Minh", "Lê"]), st.lists(st.sampled_from(NASTY), max_size=2),
                  st.sampled_from(["An", "Ánh", "Ðức", "Dũng"])).map(lambda t: f"{t[0]} {''.join(t[1])}{t[2]}")
births = st.sampled_from(["05/03/1990", "1985", "12/1979", "ngày 5/3/1990", "00/05/1990", "05/03/1990 00:00:00"])
member = st.one_of(
    st.tuples(st.integers(1, 9999), names, st.sampled_from(["Nam", "Nữ"]), births, st.none(), st.none()),
    st.tuples(st.integers(1, 9999), texts, st.sampled_from(["Nam", "Nữ", "nữ", "", "X"]), values, values, values))
far_cell = st.tuples(st.integers(1, 70_000), st.integers(0, 16_383), texts)


def _workbook(folder: Path, members, strays, top: int) -> Path:
    rows = [row(top, ROSTER_HEADER)]
    rows += [row(top + 1 + i, list(m)) for i, m in enumerate(members)]
    last = top + len(members)
    for r, c, text in sorted(strays):
        r = max(r, last + 1)  # each stray on its own row below the table, rows in order
        last = r
        rows.append(f'<row r="{r}">{cell(f"{column_letters(c)}{r}", text)}</row>')
    return write_sheet_xlsx(folder / "sinh.xlsx", rows)


@FAST
@given(members=st.lists(member, max_size=6), strays=st.lists(far_cell, max_size=2), top=st.integers(1, 5))
def test_import_of_any_generated_roster_never_crashes_and_never_writes_when_refusing(
        cli, commune, isolated_db, snapshot, members, strays, top):
    with tempfile.TemporaryDirectory() as tmp:
        path = _workbook(Path(tmp), members, strays, top)
        before = snapshot(isolated_db)
        r = cli("import", "roster", path, "--into", "TL.01", "--format", "json")
        after = snapshot(isolated_db)
    assert "Lỗi không mong đợi" not in r.stderr
    assert r.exit_code in (0, 3), r.stderr
    event(f"exit {r.exit_code}")
    if r.exit_code:
        assert after == before
    else:
        report = r.json()
        assert report["rejected"] == 0
        assert len(after["members"]) == len(before["members"]) + report["created"]
        for m in cli("members", "list", "--format", "json").json():
            assert not any(ch in m["full_name"] for ch in "\x1b\x00\x08\u202e\u2066\u200f\t\n")


_GOOD: list[bytes] = []


def _good_file() -> bytes:
    if not _GOOD:
        with tempfile.TemporaryDirectory() as tmp:
            _GOOD.append(write_sheet_xlsx(Path(tmp) / "goc.xlsx", roster_rows(40)).read_bytes())
    return _GOOD[0]


@FAST
@given(cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=4))
def test_a_damaged_file_is_read_or_refused_never_anything_else(cut, flips):
    data = bytearray(_good_file())
    for where, xor in flips:
        data[int(where * (len(data) - 1))] ^= xor
    data = data[:max(1, int(len(data) * cut))] if cut < 1 else data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hong.xlsx"
        path.write_bytes(bytes(data))
        try:
            sheet = read_sheet(path)
        except InputRejected as exc:
            assert exc.exit_code == 3 and "hong.xlsx" in exc.message
        else:
            assert len(sheet.grid) <= 41


def _digits(least, most):
    return st.text("0123456789", min_size=least, max_size=most)


_dmy = st.tuples(st.integers(0, 39).map("{:02d}".format), st.integers(0, 19).map("{:02d}".format),  # dd/mm/yyyy,
                 _digits(4, 4), st.just("/"))  # real days or not
_other = st.tuples(_digits(1, 4), _digits(1, 4), _digits(1, 4), st.sampled_from("/.-"))


@given(st.one_of(_dmy, _other).map(lambda t: f"{t[0]}{t[3]}{t[1]}{t[3]}{t[2]}"))
@settings(max_examples=300, deadline=None)
def test_a_typed_date_reads_as_parse_date_reads_it(text):
    # DateConverter reads a plain "dd/mm/yyyy" itself (the commonest text of a date column) and leaves every
    # other form to rules.dates.parse_date: the same date, or the same refusal, either way.
    from dangvien_cli.excel.converters import DateConverter
    from dangvien_cli.rules.dates import DateError, parse_date

    def outcome(read):
        try:
            return read()
        except DateError as exc:
            return ("refused", str(exc))

    assert outcome(lambda: DateConverter("9999-12-31")(text)) == outcome(lambda: parse_date(text, allow_serial=True))
