"""Rows of a roster or a book below its header: which are members, which are sections, totals or the signature,
and each mapped column converted once per distinct value (excel/converters.py).

Shared by the roster reader (excel/roster.py) and the book readers (excel/books.py). Nothing here raises for a bad
value: a converter's ``ValueError`` becomes a row problem ``(column label, message, is_error)``.
"""

from __future__ import annotations

import re
from operator import itemgetter

from dangvien_cli.excel.converters import Warn
from dangvien_cli.excel.headers import HeaderMap, looks_like_roster
from dangvien_cli.excel.workbook import SheetData, Workbook
from dangvien_cli.text import normalize_text, search_key

# --- row classification: sections, totals, signature block ---------------------------------------------------

_NUMERAL_PREFIX = re.compile(r"^\s*(?:[IVXLC]+|\d{1,3}|[a-zđ])\s*[.\-–—:)/]\s*", re.IGNORECASE)
_ROMAN_PREFIX = re.compile(r"^\s*[IVXLC]+\s*[.\-–—:)]\s*\S")
_NUMERAL_ONLY = re.compile(r"^\s*(?:[IVXLC]+|\d{1,3}|[a-z])\s*[.\-–—:)]?\s*$", re.IGNORECASE)
_SECTION_KEYS = ("chi bo", "dang bo", "to dang", "dang uy", "chi uy")
_TOTAL = re.compile(r"^\s*(?:tổng\s*số|tổng\s*cộng|tổng|cộng|tong so|tong cong)\b", re.IGNORECASE)
_SIGN_KEYS = ("nguoi lap", "t/m", "tm.", "tm ", "bi thu", "pho bi thu", "xac nhan", "thu truong", "k/t",
              "kt.", "kt ", "(ky", "ky ten", "ky, ghi ro", "tm/", "thay mat", "chu tich", "dai dien")
_PLACE_DATE = re.compile(r"(?:^|,\s*)ngay\s*[\d.…_ ]*\s*thang\s*[\d.…_ ]*\s*nam\b")

DATA, SKIP, SECTION, STOP = 0, 1, 2, 3


def is_total_text(v: object) -> bool:
    return v.__class__ is str and bool(_TOTAL.match(v))


def classify_sparse(row: list, seq_col: int | None, merged_starts: dict, excel_row: int) -> tuple[int, str | None]:
    """(DATA|SKIP|SECTION|STOP, section name) for a row with few filled cells."""
    cells = [(c, v) for c, v in enumerate(row) if v != "" and v is not None]
    texts = [(c, v) for c, v in cells if v.__class__ is str and v.strip()]
    seq_val = row[seq_col] if seq_col is not None and seq_col < len(row) else ""
    seq_is_number = seq_val.__class__ in (int, float) or (
        seq_val.__class__ is str and seq_val.strip().isdigit()
    )
    if not texts:
        return (SKIP, None) if len(cells) <= 1 or seq_is_number and len(cells) == 1 else (DATA, None)
    if not seq_is_number:
        for _, v in texts:
            key = search_key(v)
            if key.startswith(_SIGN_KEYS) or _PLACE_DATE.search(key):
                return STOP, None
    if is_total_text(texts[0][1]):
        return SKIP, None
    numerals = [v for c, v in cells if v.__class__ in (int, float) or _NUMERAL_ONLY.match(str(v))]
    words = [(c, v) for c, v in texts if not _NUMERAL_ONLY.match(v)]
    if len(words) == 1 and len(cells) - len(numerals) == 1:
        c, text = words[0]
        stripped = _NUMERAL_PREFIX.sub("", text, count=1) if _NUMERAL_PREFIX.match(text) else text
        key = search_key(stripped)
        if key.startswith(_SECTION_KEYS):
            return SECTION, normalize_text(stripped)
        spans = merged_starts.get((excel_row, c))
        if not numerals and (_ROMAN_PREFIX.match(text) or (spans and spans[1] >= 3)):
            return SECTION, normalize_text(stripped)
    if seq_is_number and len(cells) == 1:
        return SKIP, None
    return DATA, None


def choose_sheet(wb: Workbook, sheet: str | None, kind: str = "roster") -> tuple[SheetData, str | None]:
    """The named sheet, or the visible sheet that looks most like a ``kind`` file; with a note when chosen."""
    if sheet is not None:
        return wb.sheet(sheet), None
    names = wb.sheet_names
    if len(names) == 1:
        return wb.sheet(names[0]), None
    scored = [(looks_like_roster(wb.sheet(n), kind), -i, n) for i, n in enumerate(names)]
    score, _, name = max(scored)
    others = ", ".join(f"'{n}'" for n in names if n != name)
    return wb.sheet(name), f"Đã chọn trang tính '{name}' (giống danh sách nhất; các trang khác: {others}). " \
                          "Dùng --sheet để chọn trang khác."


class _Err:
    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def scan_rows(sh: SheetData, header: HeaderMap) -> tuple[list[int], list[str | None], list[str]]:
    """Data rows below the header: (grid indices, section of each, section names in order).

    Skips blank rows, numbering leftovers, total rows; stops at the signature block.
    """
    seq_col = header.column_of("seq")
    name_col = header.column_of("full_name")
    check_cols = [c for c in (seq_col, name_col) if c is not None]
    merged_starts = sh.merged_starts()
    grid = sh.grid
    first = sh.first_row
    idx: list[int] = []
    secs: list[str | None] = []
    sections: list[str] = []
    section: str | None = None
    total_re = _TOTAL.match
    for i in range(header.data_start_row - first, len(grid)):
        row = grid[i]
        filled = len(row) - row.count("")
        if filled == 0:
            continue
        if filled <= 3:
            kind, name = classify_sparse(row, seq_col, merged_starts, first + i)
            if kind == SKIP:
                continue
            if kind == STOP:
                break
            if kind == SECTION:
                section = name
                if name not in sections:
                    sections.append(name)
                continue
        else:
            # Dense total rows ("Cộng" followed by counts): the label sits in the STT or name column.
            total = False
            for c in check_cols:
                v = row[c]
                if v.__class__ is str and v[:1] in "TtCc" and total_re(v):
                    total = True
            if total:
                continue
        idx.append(i)
        secs.append(section)
    return idx, secs, sections


def shared(col: tuple | list, distinct: set) -> list:
    """``col`` with one object per distinct value, when values repeat (calamine makes a new string per cell).
    The database driver encodes each text to UTF-8 once per object and keeps it: 100,000 rows of a few
    hundred names, places and titles are then encoded a few hundred times, not a million. ``distinct`` holds
    only strings (a clean column), so an equal value is the same value."""
    if len(distinct) * 4 > len(col) or all(map(str.isascii, distinct)):  # (an ASCII text is not re-encoded)
        return list(col)
    one = {u: u for u in distinct}
    return list(map(one.__getitem__, col))


def _transpose(grid: list[list], idx: list[int], wanted: list[int]) -> dict[int, tuple]:
    """{column: its values in the rows ``idx``}: one C-level transpose instead of one pass per column."""
    if not idx or not wanted:
        return {}
    first, last = idx[0], idx[-1]
    if last - first + 1 == len(idx) and 2 * len(wanted) > max(wanted):
        # The rows are one block of the grid (no section or blank row among them) and most of its columns are
        # wanted: the block is transposed as it is, without a tuple of the wanted cells per row first.
        try:
            block = list(zip(*grid[first:last + 1], strict=True))
        except ValueError:  # rows of unequal lengths (not calamine's): picked below
            block = []
        if len(block) > max(wanted):
            return {c: block[c] for c in wanted}
    picked = itemgetter(*wanted) if len(wanted) > 1 else (lambda r, _c=wanted[0]: (r[_c],))
    return dict(zip(wanted, zip(*map(picked, map(grid.__getitem__, idx)), strict=True), strict=True))


def convert_columns(sh: SheetData, idx: list[int], header: HeaderMap, converters: dict[int, object],
                    ) -> tuple[dict[str, list], dict[int, list[tuple[str, str, bool]]]]:
    """Convert each mapped column of the rows ``idx`` once per distinct value.

    Returns ({field: [value or None per row]}, {row position: [(label, message, is_error)]}).
    """
    wanted = sorted(c for c in header.fields if converters.get(c) is not None)
    transposed = _transpose(sh.grid, idx, wanted)
    columns: dict[str, list] = {}
    issues: dict[int, list[tuple[str, str, bool]]] = {}
    for c in wanted:
        fld = header.fields[c]
        conv = converters[c]
        label = header.labels[c]
        col = transposed.get(c, ())
        distinct = set(col)
        clean = getattr(conv, "column_is_clean", None)
        if clean is not None:  # the common case: the distinct values checked in one C-level pass
            if clean(distinct):
                columns[fld] = shared(col, distinct)
                continue
            texts = conv.whole_numbers(col)
            if texts is not None:
                columns[fld] = texts
                continue
        known = getattr(conv, "known", None)
        mapping: dict[object, object] = known(distinct) if known is not None else {}
        special = False
        identity = not mapping
        for u in distinct:
            if u in mapping:
                continue
            if u == "" or u is None:
                mapping[u] = None
                identity = False
                continue
            try:
                res = conv(u)
            except ValueError as exc:
                res = _Err(str(exc))
            if res.__class__ is _Err or res.__class__ is Warn:
                special = True
            if identity and (res.__class__ is not u.__class__ or res != u):
                identity = False
            mapping[u] = res
        # Text already clean (the common case for ids and names) needs no second pass.
        out = list(col) if identity else list(map(mapping.__getitem__, col))
        if special:
            for j, res in enumerate(out):
                cls = res.__class__
                if cls is _Err:
                    issues.setdefault(j, []).append((label, res.message, True))
                    out[j] = None
                elif cls is Warn:
                    issues.setdefault(j, []).append((label, res.message, False))
                    out[j] = res.value
        columns[fld] = out
    return columns, issues


