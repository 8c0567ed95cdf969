"""Small workbook builders for the excel tests: rows as lists, written at a chosen corner, with merges and fonts.

Coordinates are 1-based like Excel (row 5, column 2 = B5).
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape


def write_xlsx(path: Path, rows: list[list], *, top: int = 1, left: int = 1, merges: tuple[str, ...] = (),
               font: str | None = None, fonts: dict[tuple[int, int], str] | None = None,
               sheet: str = "Danh sách", extra_sheets: dict[str, list[list]] | None = None) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    for name, extra in (extra_sheets or {}).items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(extra, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    ws.cell(r, c, v)
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, start=top):
        for c, v in enumerate(row, start=left):
            if v is None:
                continue
            cell = ws.cell(r, c, v)
            if isinstance(v, (date, datetime)):
                cell.number_format = "dd/mm/yyyy"
            name = (fonts or {}).get((r, c), font)
            if name:
                cell.font = Font(name=name)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def write_xls(path: Path, rows: list[list], *, top: int = 1, left: int = 1,
              merges: tuple[tuple[int, int, int, int], ...] = (), font: str | None = None,
              fonts: dict[tuple[int, int], str] | None = None, sheet: str = "Danh sach") -> Path:
    """.xls via xlwt; ``merges`` as 1-based (row1, row2, col1, col2); the merged value is the top-left one."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet(sheet)
    styles: dict[tuple[str | None, bool], xlwt.XFStyle] = {}

    def style(name: str | None, is_date: bool) -> xlwt.XFStyle:
        key = (name, is_date)
        if key not in styles:
            spec = f"font: name {name}" if name else ""
            styles[key] = xlwt.easyxf(spec, num_format_str="dd/mm/yyyy" if is_date else "General")
        return styles[key]

    merged_cells = {}
    for r1, r2, c1, c2 in merges:
        merged_cells[(r1, c1)] = (r2, c2)
    skip = {(r, c) for r1, r2, c1, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
            if (r, c) != (r1, c1)}
    for r, row in enumerate(rows, start=top):
        for c, v in enumerate(row, start=left):
            if (r, c) in skip:
                continue
            name = (fonts or {}).get((r, c), font)
            st = style(name, isinstance(v, (date, datetime)))
            if (r, c) in merged_cells:
                r2, c2 = merged_cells[(r, c)]
                ws.write_merge(r - 1, r2 - 1, c - 1, c2 - 1, v, st)
            elif v is not None:
                ws.write(r - 1, c - 1, v, st)
    wb.save(str(path))
    return path


def write_ods(path: Path, rows: list[list], *, sheet: str = "Danh sách") -> Path:
    """A minimal OpenDocument spreadsheet (strings, floats and dates), written by hand: no extra dependency."""
    cells_xml = []
    for row in rows:
        cells = []
        for v in row:
            if v is None:
                cells.append("<table:table-cell/>")
            elif isinstance(v, (date, datetime)):
                iso = v.isoformat()
                cells.append(f'<table:table-cell office:value-type="date" office:date-value="{iso}">'
                             f"<text:p>{iso}</text:p></table:table-cell>")
            elif isinstance(v, (int, float)):
                cells.append(f'<table:table-cell office:value-type="float" office:value="{v}">'
                             f"<text:p>{v}</text:p></table:table-cell>")
            else:
                cells.append(f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
                             "</table:table-cell>")
        cells_xml.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">'
        + "".join(cells_xml)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                    compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


# --- Unicode → legacy encoders (the inverse of dangvien_cli.excel.legacy, written independently) ------------

_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# TCVN3 bytes of each lower-case vowel: base, huyền, hỏi, ngã, sắc, nặng (TCVN 5712:1993 VN3 table).
_TCVN3 = {
    "a": "a\xb5\xb6\xb7\xb8\xb9", "ă": "\xa8\xbb\xbc\xbd\xbe\xc6", "â": "\xa9\xc7\xc8\xc9\xca\xcb",
    "e": "e\xcc\xce\xcf\xd0\xd1", "ê": "\xaa\xd2\xd3\xd4\xd5\xd6", "i": "i\xd7\xd8\xdc\xdd\xde",
    "o": "o\xdf\xe1\xe2\xe3\xe4", "ô": "\xab\xe5\xe6\xe7\xe8\xe9", "ơ": "\xac\xea\xeb\xec\xed\xee",
    "u": "u\xef\xf1\xf2\xf3\xf4", "ư": "\xad\xf5\xf6\xf7\xf8\xf9", "y": "y\xfa\xfb\xfc\xfd\xfe",
}
_TCVN3_CAP_BASE = {"Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6"}


def _split(ch: str) -> tuple[str, int]:
    """'ế' → ('ê', 4): letter with its modifier, and the tone number."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", ch)
    tone = 0
    rest = ""
    for m in nfd:
        if m in _TONES:
            tone = _TONES[m]
        else:
            rest += m
    return unicodedata.normalize("NFC", rest), tone


def to_tcvn3(text: str) -> str:
    out = []
    for ch in text:
        if ch == "đ":
            out.append("\xae")
            continue
        if ch == "Đ":
            out.append("\xa7")
            continue
        base, tone = _split(ch)
        low = base.lower()
        if low in _TCVN3:
            code = _TCVN3[low][tone]
            if base.isupper():
                cap = _TCVN3_CAP_BASE.get(base, base)
                out.append(cap if tone == 0 else cap + code)
            else:
                out.append(code)
        else:
            out.append(ch)
    return "".join(out)


_VNI_TONE_LOW = ["", "\xf8", "\xfb", "\xf5", "\xf9", "\xef"]
_VNI_TONE_UP = ["", "\xd8", "\xdb", "\xd5", "\xd9", "\xcf"]
_VNI_CIRC_LOW = ["\xe2", "\xe0", "\xe5", "\xe3", "\xe1", "\xe4"]
_VNI_CIRC_UP = ["\xc2", "\xc0", "\xc5", "\xc3", "\xc1", "\xc4"]
_VNI_BREVE_LOW = ["\xea", "\xe8", "\xfa", "\xfc", "\xe9", "\xeb"]
_VNI_BREVE_UP = ["\xca", "\xc8", "\xda", "\xdc", "\xc9", "\xcb"]
_VNI_I = {"i": ["i", "\xec", "\xe6", "\xf3", "\xed", "\xf2"], "I": ["I", "\xcc", "\xc6", "\xd3", "\xcd", "\xd2"]}


def to_vni(text: str) -> str:
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("\xf1" if ch == "đ" else "\xd1")
            continue
        base, tone = _split(ch)
        up = base.isupper()
        low = base.lower()
        if low in ("i",):
            out.append(_VNI_I[base][tone])
        elif low == "y" and tone == 5:
            out.append("\xce" if up else "\xee")
        elif low in ("â", "ê", "ô"):
            plain = {"â": "a", "ê": "e", "ô": "o"}[low]
            out.append((plain.upper() if up else plain) + (_VNI_CIRC_UP if up else _VNI_CIRC_LOW)[tone])
        elif low == "ă":
            out.append(("A" if up else "a") + (_VNI_BREVE_UP if up else _VNI_BREVE_LOW)[tone])
        elif low in ("ơ", "ư"):
            letter = {"ơ": "\xf4", "ư": "\xf6"}[low]
            letter = letter.upper() if up else letter
            out.append(letter + (_VNI_TONE_UP if up else _VNI_TONE_LOW)[tone])
        elif low in "aeouy" and low:
            out.append(base + (_VNI_TONE_UP if up else _VNI_TONE_LOW)[tone])
        else:
            out.append(ch)
    return "".join(out)
