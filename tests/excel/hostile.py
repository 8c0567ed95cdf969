"""Hostile workbooks built at test time, written straight as XML into a zip (nothing of the kind is committed).

A sheet is given as an iterable of ``<row>`` XML strings; :func:`roster_rows` makes a roster's rows with
inline strings, so that a 100,000-row file costs only the time to deflate it.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from dangvien_cli.excel.guard import column_index
from dangvien_cli.excel.guard import column_letters as col_letters

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
         '<sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
              '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
              'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
SHEET_OPEN = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'

ROSTER_HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức"]


def _xml_text(text: str) -> str:
    """Escaped for XML; control characters as Excel writes them (``_x001B_``), which calamine decodes."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", lambda m: f"_x{ord(m.group()):04X}_", escape(text))


def cell(ref: str, value) -> str:
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_xml_text(str(value))}</t></is></c>'


def row(r: int, values: list, extra: str = "") -> str:
    cells = "".join(cell(f"{col_letters(c)}{r}", v) for c, v in enumerate(values) if v is not None)
    return f'<row r="{r}">{cells}{extra}</row>'


def roster_rows(n: int, *, stray: tuple[int, int, str] | None = None) -> Iterable[str]:
    """A header and ``n`` members; ``stray`` = (excel_row, 0-based column, text) adds one far cell."""
    yield row(1, ROSTER_HEADER)
    for i in range(n):
        r = i + 2
        extra = ""
        if stray and stray[0] == r:
            extra = cell(f"{col_letters(stray[1])}{r}", stray[2])
        yield row(r, [i + 1, f"Nguyễn Văn Thử {i}", "Nam", "05/03/1990", "01/01/2015", "01/01/2016"], extra)


def write_sheet_xlsx(path: Path, rows: Iterable[str], *, dimension: str | None = "auto", prolog: str = HEAD,
                     sheet_open: str = SHEET_OPEN, shared: list[str] | None = None) -> Path:
    """An .xlsx whose single sheet 'DS' holds ``rows`` (XML strings); ``dimension`` 'auto' = from A1 to the
    last row's reference as an honest writer would, None = no ``<dimension>`` element, else the given ref.
    ``shared`` is the shared-string table (cells refer to it as ``<c r=".." t="s"><v>index</v></c>``)."""
    rows = list(rows) if dimension == "auto" else rows
    if dimension == "auto":
        last_row, last_col = 1, 0
        for x in rows:
            for letters, digits in re.findall(r'<c r="([A-Z]+)(\d+)"', x):
                last_col, last_row = max(last_col, column_index(letters)), max(last_row, int(digits))
        dimension = f"A1:{col_letters(last_col)}{last_row}"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _BOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS if shared is None else _BOOK_RELS.replace(
            "</Relationships>", '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                       'openxmlformats.org/spreadsheetml/2006/main">'
                       + "".join(f"<si><t>{escape(t)}</t></si>" for t in shared) + "</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as f:
            f.write((prolog + sheet_open).encode())
            if dimension:
                f.write(f'<dimension ref="{dimension}"/>'.encode())
            f.write(b"<sheetData>")
            for x in rows:
                f.write(x.encode())
            f.write(b"</sheetData></worksheet>")
    return path


def zip_bomb(path: Path, megabytes: int) -> Path:
    """A roster header followed by ``megabytes`` MB of empty rows: deflates about a thousand times."""
    def rows():
        yield row(1, ROSTER_HEADER)
        empty = "<row/>" * (1 << 14)
        for _ in range(megabytes * (1 << 20) // len(empty)):
            yield empty
    return write_sheet_xlsx(path, rows(), dimension="A1:F1")
