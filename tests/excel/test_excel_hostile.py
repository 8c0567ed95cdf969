"""Hostile workbooks are refused, exit 3, in bounded time and memory, and the database is left as it was.

Every file is built here in a temporary directory (tests/excel/hostile.py); none is committed.
"""

from __future__ import annotations

import os
import shutil
import struct
import zipfile

import pytest
from hostile import ROSTER_HEADER, SHEET_OPEN, cell, roster_rows, row, write_sheet_xlsx, zip_bomb

from dangvien_cli import threads
from dangvien_cli.errors import InputRejected
from dangvien_cli.excel import guard, workbook
from dangvien_cli.excel.workbook import open_workbook, read_sheet


def refused(cli, path, isolated_db, snapshot):
    """Import ``path`` into TL.01; assert exit 3, the file named, nothing written; return stderr."""
    before = snapshot(isolated_db)
    r = cli("import", "roster", path, "--into", "TL.01")
    assert r.exit_code == 3, r.stderr
    assert path.name in r.stderr
    assert "Lỗi không mong đợi" not in r.stderr
    assert snapshot(isolated_db) == before
    return r.stderr


@pytest.fixture(params=[1, 2], ids=["one core", "two cores"])
def cores(request, monkeypatch):
    """The guard reads a sheet in one thread on one core, inflating ahead in a second one otherwise, and a large
    sheet is then parsed in pieces (excel/pieces.py): both ways."""
    monkeypatch.setattr(threads, "cores", lambda: request.param)


# --- far cells ------------------------------------------------------------------------------------------------


def test_a_value_at_xfd1048576_is_refused_naming_the_cell(cli, commune, tmp_path, isolated_db, snapshot):
    # Before: calamine was asked for 17 billion cells and aborted the process (SIGABRT).
    path = write_sheet_xlsx(tmp_path / "xa.xlsx", [
        row(1, ROSTER_HEADER), row(2, [1, "Nguyễn Văn An", "Nam", "05/03/1990"]),
        '<row r="1048576">' + cell("XFD1048576", "x") + "</row>"])
    err = refused(cli, path, isolated_db, snapshot)
    assert "ô XFD1048576, nằm xa ngoài bảng (các ô khác chỉ tới cột F, dòng 2)" in err and "Ctrl+End" in err


def test_one_stray_value_far_right_of_a_roster_is_refused_naming_it(cli, commune, tmp_path, isolated_db, snapshot):
    # Column ALL (1,000) of 7,000 rows: 7 million cells, over the 6 million limit (was 4.1 GB at 100,000 rows).
    path = write_sheet_xlsx(tmp_path / "le.xlsx", roster_rows(7000, stray=(3000, 999, "ghi chú lạc")))
    err = refused(cli, path, isolated_db, snapshot)
    assert "ô ALL3000, nằm xa ngoài bảng (các ô khác chỉ tới cột F)" in err


def test_far_column_10020_is_refused(tmp_path):
    path = write_sheet_xlsx(tmp_path / "rong.xlsx", roster_rows(700, stray=(650, 10019, "x")))
    with pytest.raises(InputRejected) as info:
        read_sheet(path)
    assert "NUJ650" in info.value.message


def test_a_dimension_that_lies_is_not_trusted(tmp_path, cores):
    # The sheet claims A1:F3 but holds a value at XFD1048576: the fast check sees the cell outside the box.
    rows = [row(1, ROSTER_HEADER), '<row r="1048576">' + cell("XFD1048576", "x") + "</row>"]
    for name, dimension in (("noi-doi.xlsx", "A1:F3"), ("khong-kich-thuoc.xlsx", None)):
        path = write_sheet_xlsx(tmp_path / name, rows, dimension=dimension)
        with pytest.raises(InputRejected, match="XFD1048576"):
            read_sheet(path)


def test_a_cell_outside_the_box_is_seen_wherever_the_searches_are_cut(monkeypatch):
    # The fast check searches each chunk in spans (so that the inflating thread gets the GIL between two): a cell
    # tag that straddles the end of a span, at any offset, is still found, and only a cell outside the box.
    monkeypatch.setattr(guard, "_SPAN", 64)
    fast = guard._inside_box(b'<dimension ref="A1:F3"/><sheetData>')
    inside = b'<c r="F3" t="inlineStr"><is><t>x</t></is></c>'
    for stray in (b'<c r="XFD1048576"><v>1</v></c>', b'<c r="G1"><v>1</v></c>', b"<c><v>1</v></c>"):
        for offset in range(200):
            buf = b"<t>" + b"a" * offset + b"</t>" + inside + stray + inside
            assert guard._found(fast, buf), (stray, offset)
            assert not guard._found(fast, buf.replace(stray, inside))


def test_a_prefixed_cell_is_found_among_many_colons(tmp_path):
    # Colons in the text (times, "Ghi chú: …") before a namespace-prefixed cell far away: the careful path
    # measures the sheet and refuses it, as it does with no colon before.
    notes = [row(r, [r, f"Ghi chú: {r}:30", "Nam", "05/03/1990"]) for r in range(2, 200)]
    far = '<row r="1048576"><x:c r="XFD1048576" t="inlineStr"><is><t>x</t></is></x:c></row>'
    sheet_open = SHEET_OPEN.replace("<worksheet ", '<worksheet xmlns:x="http://schemas.openxmlformats.org/'
                                    'spreadsheetml/2006/main" ')
    path = write_sheet_xlsx(tmp_path / "tien-to.xlsx", [row(1, ROSTER_HEADER), *notes, far], dimension="A1:F3",
                            sheet_open=sheet_open)
    with pytest.raises(InputRejected, match="XFD1048576"):
        read_sheet(path)
    assert guard._has_prefixed_cell(b"a:b " * 100 + b"<x:c r=\"A1\">")
    assert not guard._has_prefixed_cell(b"a:b " * 100 + b"<c r=\"A1\">")


def test_cells_without_references_are_measured_not_trusted(tmp_path):
    # A writer may leave out r="…"; calamine then counts positions. Read correctly when small…
    path = write_sheet_xlsx(tmp_path / "khong-r.xlsx",
                            ['<row r="1"><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c></row>'])
    assert read_sheet(path).grid == [["a", 2.0]]
    # … and refused when a reference-less row lands far below a wide header.
    wide = row(1, [f"c{i}" for i in range(100)])
    path = write_sheet_xlsx(tmp_path / "khong-r-xa.xlsx", [wide, '<row r="70000"><c><v>1</v></c></row>'],
                            dimension="A1:CV1")
    with pytest.raises(InputRejected, match="A70000"):
        read_sheet(path)


def test_formatted_cells_far_away_do_not_count(tmp_path):
    # Formatting without a value (Excel writes <c r=".." s="1"/>) is not data: calamine leaves it out.
    path = write_sheet_xlsx(tmp_path / "dinh-dang.xlsx", [
        row(1, ["Họ và tên"]), '<row r="1048576"><c r="XFD1048576" s="0"/></row>'])
    sheet = read_sheet(path)
    assert sheet.grid == [["Họ và tên"]] and sheet.width == 1


def test_a_sheet_truly_too_large_is_refused_by_its_size(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_CELLS", 500)
    with pytest.raises(InputRejected, match="quá lớn: dữ liệu trải ít nhất tới cột F và dòng 8[0-9] "):
        read_sheet(write_sheet_xlsx(tmp_path / "lon.xlsx", roster_rows(200)))


def test_a_roster_within_the_limits_is_read_whole(tmp_path, cores):
    path = write_sheet_xlsx(tmp_path / "ok.xlsx", roster_rows(50, stray=(40, 30, "ghi chú")))
    sheet = read_sheet(path)
    assert len(sheet.grid) == 51 and sheet.width == 31 and sheet.grid[39][30] == "ghi chú"


# --- the zip container ----------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_inflated(cli, commune, tmp_path, isolated_db, snapshot):
    # 12 MB of empty rows deflate ~1,000 times (was: 66 s for 3 GB, then "no header row" with exit 1).
    path = zip_bomb(tmp_path / "bom.xlsx", 12)
    assert path.stat().st_size < 100_000
    err = refused(cli, path, isolated_db, snapshot)
    assert "bom nén" in err and "xl/worksheets/sheet1.xml" in err


def test_a_part_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_PART_BYTES", 1 << 20)
    path = write_sheet_xlsx(tmp_path / "to.xlsx", roster_rows(20000))
    with pytest.raises(InputRejected, match="quá lớn"):
        open_workbook(path)


def test_a_part_that_lies_about_its_size_is_refused(tmp_path, cores):
    path = write_sheet_xlsx(tmp_path / "sai-co.xlsx", roster_rows(2000))
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name.decode())
    # Declare a tenth of the real size, in the local header (offset 22) and the central directory (offset 24).
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    for at in (info.header_offset + 22, central + 24):
        data[at:at + 4] = struct.pack("<I", info.file_size // 10)
    path.write_bytes(bytes(data))
    with pytest.raises(InputRejected, match="bị hỏng"):
        read_sheet(path)


@pytest.mark.parametrize("cut", [0.2, 0.5, 0.9, 0.999])
def test_truncated_files_are_refused(cli, commune, tmp_path, isolated_db, snapshot, cut):
    good = write_sheet_xlsx(tmp_path / "goc.xlsx", roster_rows(300))
    path = tmp_path / "cut.xlsx"
    data = good.read_bytes()
    path.write_bytes(data[:int(len(data) * cut)])
    err = refused(cli, path, isolated_db, snapshot)
    assert "hỏng" in err


def test_not_a_zip_is_refused(cli, commune, tmp_path, isolated_db, snapshot):
    path = tmp_path / "rac.xlsx"
    path.write_bytes(os.urandom(4096))
    assert "không phải bảng tính hợp lệ" in refused(cli, path, isolated_db, snapshot)


def test_too_many_parts_are_refused_before_zipfile_reads_them(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_PARTS", 10)
    path = write_sheet_xlsx(tmp_path / "nhieu.xlsx", roster_rows(3))
    with zipfile.ZipFile(path, "a") as zf:
        for i in range(10):
            zf.writestr(f"xl/media/p{i}.bin", b"x")
    with pytest.raises(InputRejected, match="15 phần"):
        open_workbook(path)


# --- XML tricks and cell text ---------------------------------------------------------------------------------

BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
                  + "]>")
XXE = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@pytest.mark.parametrize(("name", "prolog", "text"), [("laughs.xlsx", BILLION_LAUGHS, "&lol9;"),
                                                      ("xxe.xlsx", XXE, "&xxe;")])
def test_dtd_entities_are_refused(cli, commune, tmp_path, isolated_db, snapshot, name, prolog, text):
    path = write_sheet_xlsx(tmp_path / name, [
        row(1, ROSTER_HEADER), f'<row r="2"><c r="B2" t="inlineStr"><is><t>{text}</t></is></c></row>'],
        prolog=prolog)
    assert "DTD" in refused(cli, path, isolated_db, snapshot)


def test_a_cell_longer_than_excel_allows_is_refused_naming_it(cli, commune, tmp_path, isolated_db, snapshot):
    path = write_sheet_xlsx(tmp_path / "dai.xlsx", [
        row(1, ROSTER_HEADER), row(2, [1, "Nguyễn Văn An", "Nam", "05/03/1990"]),
        row(3, [2, "Lê " + "ạ" * 40_000, "Nam", "05/03/1990"])])
    err = refused(cli, path, isolated_db, snapshot)
    assert "ô B3 dài 40.003 ký tự, quá giới hạn 32.767" in err


def test_a_gigantic_text_is_refused_without_being_held(tmp_path):
    path = write_sheet_xlsx(tmp_path / "khong-lo.xlsx", [row(1, ["Họ và tên"]), row(2, ["x" * (3 << 20)])])
    with pytest.raises(InputRejected, match="32.767"):
        read_sheet(path)


def test_a_long_shared_string_is_refused_and_the_longest_allowed_is_read(tmp_path):
    def book(name, text):
        return write_sheet_xlsx(tmp_path / name, [row(1, ["Họ và tên"]), '<row r="2"><c r="A2" t="s"><v>0</v></c>'
                                                  "</row>"], shared=[text])
    assert read_sheet(book("vua.xlsx", "đ" * 32_767)).grid[1][0] == "đ" * 32_767
    with pytest.raises(InputRejected, match="bảng chữ dùng chung"):
        read_sheet(book("qua.xlsx", "đ" * 32_768))


# --- formats read in a child process --------------------------------------------------------------------------


def test_a_far_cell_in_an_xls_is_refused_by_the_child_reader(tmp_path, monkeypatch):
    from builders import write_xls

    monkeypatch.setattr(guard, "MAX_CELLS", 10_000)  # inherited by the forked child
    path = write_xls(tmp_path / "xa.xls", [["Họ và tên"]] + [[None]] * 998 + [[None] * 25 + ["lạc"]])
    with pytest.raises(InputRejected) as info:
        read_sheet(path)
    assert "ô Z1000, nằm xa ngoài bảng (các ô khác chỉ tới cột A, dòng 1)" in info.value.message
    assert info.value.exit_code == 3


def test_an_ods_far_cell_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(guard, "MAX_CELLS", 10_000)
    path = tmp_path / "xa.ods"
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="DS">'
               '<table:table-row><table:table-cell office:value-type="string"><text:p>Họ và tên</text:p>'
               '</table:table-cell></table:table-row>'
               '<table:table-row table:number-rows-repeated="500"><table:table-cell/></table:table-row>'
               '<table:table-row><table:table-cell table:number-columns-repeated="99"/>'
               '<table:table-cell office:value-type="string"><text:p>lạc</text:p></table:table-cell>'
               '</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml",
                    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                    '<manifest:file-entry manifest:full-path="/" '
                    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    with pytest.raises(InputRejected, match="CV502"):
        read_sheet(path)


def _abort(path, wanted, conn):  # noqa: ANN001, ARG001 - stands in for a reader that aborts the process
    import faulthandler

    faulthandler.disable()  # pytest's fault handler would print the child's stack
    os.abort()


def _hang(path, wanted, conn):  # noqa: ANN001, ARG001 - stands in for a reader that never finishes
    import time

    time.sleep(60)


@pytest.mark.skipif(not shutil.which("true"), reason="needs a POSIX system")
def test_a_reader_that_aborts_takes_only_the_child_down(tmp_path, monkeypatch):
    from builders import write_xls

    path = write_xls(tmp_path / "ds.xls", [["Họ và tên"], ["Nguyễn Văn An"]])
    assert read_sheet(path).grid == [["Họ và tên"], ["Nguyễn Văn An"]]
    monkeypatch.setattr(workbook, "_child_main", _abort)
    with pytest.raises(InputRejected, match="dừng đột ngột"):
        open_workbook(path)


def test_a_reader_that_hangs_is_stopped(tmp_path, monkeypatch):
    from builders import write_xls

    path = write_xls(tmp_path / "ds.xls", [["Họ và tên"]])
    monkeypatch.setattr(workbook, "_child_main", _hang)
    monkeypatch.setattr(workbook, "CHILD_TIMEOUT", 0.3)
    with pytest.raises(InputRejected, match="quá 0.3 giây"):
        open_workbook(path)
