"""A table row handed to the sheet in one call (BodySheet.put_row, what SheetWriter.row_values uses) makes the
same file as xlsxwriter's own writers cell by cell: the fast path changes the time, never the workbook."""

from __future__ import annotations

import zipfile

import pytest
import xlsxwriter
from openpyxl import load_workbook
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple

from dangvien_cli.excel.layout import BOOK_OPTIONS, BodySheet, Column, SheetWriter

TEXTS = ["Nguyễn Thị Hà", "  spaces kept  ", "=1+2", "tab\there", "ctrl\x07char", "Thôn 3, xã Tân Lập"]


def _rows(fmt_a, fmt_b):
    """(row, cells as (col, value, format), height) — strings, whole and decimal numbers, formats or none,
    rows with a height, rows at the default height, a row with a height and no cells, a gap between rows."""
    out = []
    for r in range(2, 40):
        cells = [(0, r - 1, fmt_a), (1, TEXTS[r % len(TEXTS)], None), (3, TEXTS[(r + 2) % len(TEXTS)], fmt_b)]
        if r % 3:
            cells.append((5, 40_000 + r + 0.5, fmt_b))
        if r % 7 == 0:
            cells = []
        out.append((r + (r > 20), cells, None if r % 2 else 16.5 + r))
    return out


def _sheet_xml(path, constant_memory, put):
    book = xlsxwriter.Workbook(str(path), BOOK_OPTIONS | {"constant_memory": constant_memory})
    sheet = book.add_worksheet("S", worksheet_class=BodySheet)
    fmt_a, fmt_b = book.add_format({"bold": True}), book.add_format({"text_wrap": True, "num_format": "0.00"})
    sheet.set_default_row(17.64)
    sheet.write_string(0, 0, "title", fmt_a)
    for row, cells, height in _rows(fmt_a, fmt_b):
        if put:
            sheet.put_row(row, {c: (CellStringTuple if isinstance(v, str) else CellNumberTuple)(v, f)
                                for c, v, f in cells}, height)
        else:
            for c, v, f in cells:
                if isinstance(v, str):
                    sheet.write_string(row, c, v, f)
                else:
                    sheet.write_number(row, c, v, f)
            if height is not None:
                sheet.set_row(row, height)
    sheet.write_string(45, 1, "after the table")
    book.close()
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        return {n: z.read(n) for n in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml") if n in names}


@pytest.mark.parametrize("constant_memory", [True, False], ids=["constant-memory", "shared-strings"])
def test_a_row_put_at_once_is_the_file_the_cell_writers_make(tmp_path, constant_memory):
    put = _sheet_xml(tmp_path / "put.xlsx", constant_memory, put=True)
    cells = _sheet_xml(tmp_path / "cells.xlsx", constant_memory, put=False)
    assert b"Nguy\xe1\xbb\x85n" in put["xl/worksheets/sheet1.xml" if constant_memory else "xl/sharedStrings.xml"]
    assert put == cells


def test_a_row_already_written_out_is_refused_not_lost(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "b.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("S", worksheet_class=BodySheet)
    sheet.put_row(3, {0: CellStringTuple("a", None)})
    sheet.put_row(4, {0: CellStringTuple("b", None)})
    with pytest.raises(ValueError, match="row 4"):
        sheet.put_row(3, {1: CellStringTuple("late", None)})
    book.close()


def test_row_values_cuts_a_text_longer_than_a_cell_holds_as_xlsxwriter_does(tmp_path):
    path = tmp_path / "long.xlsx"
    book = xlsxwriter.Workbook(str(path), BOOK_OPTIONS | {"constant_memory": True})
    columns = [Column("seq", "STT", width=5, kind="number"), Column("note", "Ghi chú", width=20),
               Column("score", "Điểm", width=8, kind="decimal"), Column("on", "Ngày", width=11, kind="date")]
    sheet = SheetWriter(book, "S", columns)
    sheet.header()
    sheet.row_values([1, "chữ " * 10_000, 75.5, "2024-05-03"])
    sheet.row_values([2, "ngắn", 80, "2024-05"])  # a partial date stays text
    book.close()
    ws = load_workbook(path).active
    first, second = ws["A3":"D3"][0], ws["A4":"D4"][0]
    assert [c.value for c in first][0] == 1 and len(first[1].value) == 32767
    assert first[2].value == 75.5 and first[3].value.date().isoformat() == "2024-05-03"
    assert [c.value for c in second] == [2, "ngắn", 80, "05/2024"]
    assert ws.row_dimensions[3].height > 408  # the tallest row a spreadsheet has (409 pt, in whole pixels)
