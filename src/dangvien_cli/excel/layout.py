"""The printed layout committees file: title block, two-row header, sections, signature (xlsxwriter).

Shared by every workbook the tool writes so that rosters, screening lists, reports and rejected rows print the
same way on A4:

- the superior committee over the committee's own name top left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and
  date top right, the form's title and its as-of line;
- a two-row header repeated on every printed page, the sheet fitted to the page width, page numbers in the
  footer;
- columns empty across the whole list left out (:func:`fit_columns`), and the others narrowed — free text first,
  wrapping onto more lines — until the text prints at 10 pt or more once fitted to the page;
- every row as high as its wrapped text (the height is computed from the text's length and its column's width:
  a spreadsheet does not grow a row by itself when the file is written by a program);
- the signature block, a chart, written in ONE row each: a row is never split by a page break, so the block
  and the chart always print whole on one page.

Text is always written with ``write_string`` (and the book refuses to turn strings into formulas): a name
starting with ``=`` stays text. Dates are real dates shown dd/mm/yyyy; numbers carry the Vietnamese locale
(``[$-42A]``: 4,76 and 20.000).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

from dangvien_cli.excel.safety import check_target, output_file

try:  # how xlsxwriter (3.3 and later) keeps a row's height; older versions: set_row (BodySheet.put_row)
    from xlsxwriter.worksheet import RowInfo
except ImportError:  # pragma: no cover - depends on the installed xlsxwriter
    RowInfo = None

_EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]

FONT = "Times New Roman"
BODY_PT = 12  # the table's text
HEAD_PT = 11  # the table's column labels
MIN_PRINTED_PT = 10  # what the text must still measure once the sheet is fitted to the page width
LINE_PT = 1.22  # line height, in font sizes (Times New Roman / Liberation Serif)
EM_PER_CHAR = 0.46  # mean advance of a Vietnamese text character, in em (measured: names 0.46, prose 0.41)
WRAP_EM = 0.43  # the same, for where free text wraps (prose: a little under the names' measure)
DIGIT_PX = 8  # a column-width unit: the widest digit of the default font (Times New Roman 12 pt) at 96 dpi
CELL_PAD_PT = 4  # horizontal padding of a cell (both sides)
MAX_ROW_PT = 409  # a spreadsheet's tallest row
NUM_VI = "[$-42A]"  # Vietnamese number locale: decimal comma, thousands dot, whatever the viewer's locale
SIGN_SPACE_LINES = 4  # blank lines left for the signature (and the stamp) under the signer's title
DEFAULT_ROW_PT = 16.5  # a row left at the default height (Times New Roman 12 pt)


def roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


@dataclass(frozen=True)
class Page:
    """A4, landscape or portrait, with the margins the footer needs."""

    landscape: bool = True
    side_in: float = 0.4
    top_in: float = 0.55
    bottom_in: float = 0.7

    @property
    def width_pt(self) -> float:
        return (297 if self.landscape else 210) / 25.4 * 72 - 2 * self.side_in * 72

    @property
    def height_pt(self) -> float:
        return (210 if self.landscape else 297) / 25.4 * 72 - (self.top_in + self.bottom_in) * 72


def column_pt(width: float) -> float:
    """Printed width of a column ``width`` characters wide (a digit's width each, plus 5 px; 96 dpi) — the
    measure of Excel and LibreOffice alike (checked on a LibreOffice PDF)."""
    return (int(width * DIGIT_PX + 0.5) + 5) * 0.75


def units_for_pt(points: float) -> float:
    """The column width (in characters) whose printed width is ``points``."""
    return max(1.0, (points / 0.75 - 5) / DIGIT_PX)


def chars_per_line(width: float, font_pt: float = BODY_PT, bold: bool = False) -> float:
    return max(1.0, (column_pt(width) - CELL_PAD_PT) / (font_pt * (WRAP_EM + (0.04 if bold else 0))))


def wrapped_lines(text: str, per_line: float) -> int:
    """How many lines ``text`` takes in a cell holding ``per_line`` characters, wrapping at spaces."""
    per = max(1, int(per_line))
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split():
            n = len(word)
            if used and used + 1 + n > per:
                lines += 1
                used = 0
            if n > per:  # a word longer than the line is broken by the spreadsheet
                lines += (n - 1) // per
                n = (n - 1) % per + 1
            used = used + 1 + n if used else n
        total += lines
    return total


def row_pt(lines: int, font_pt: float = BODY_PT) -> float:
    return min(MAX_ROW_PT, lines * font_pt * LINE_PT + 3)


@dataclass(frozen=True)
class Column:
    """A column: its group label (or None) over its own label, its widest and narrowest width, how values are
    written. ``min_width`` None: the column keeps its width (dates, numbers, codes); otherwise free text that may
    wrap onto more lines to leave room for the others."""

    key: str
    label: str
    group: str | None = None
    width: float = 14
    kind: str = "text"  # text | date | number | percent (two decimals) | mark (centred: text, or a number as
    # "number") | decimal (a number with its decimals, none when whole: a score of 75 or 75,5)
    min_width: float | None = None
    keep: bool = False  # printed even when empty in every row (the number, the name)
    new_page: bool = False  # the first column of the second page of a list too wide for one (fit_columns)


def _label_need(text: str) -> float:
    """The width a column label needs so that no word of it is broken and it takes at most three lines."""
    longest = max(max((len(w) for w in text.split()), default=1), math.ceil(len(text) / 3))
    capitals = 0.12 if text.isupper() else 0.06  # bold, and capitals are wider still ("STT")
    return units_for_pt(longest * HEAD_PT * (EM_PER_CHAR + capitals) + CELL_PAD_PT + 2)


def fit_columns(columns: list[Column], lengths: dict[str, int] | None, page: Page) -> list[Column]:
    """The columns to print and their widths.

    ``lengths`` is the longest value (in characters) of each column over the whole list; a column whose longest
    value is 0 is left out (unless ``keep``). Each column is as wide as its longest value (within its ``width``)
    and its label's longest word; when the total is wider than the page allows at MIN_PRINTED_PT, the free-text
    columns give way, down to their ``min_width``.
    """
    chosen: list[Column] = []
    for c in columns:
        longest = (lengths or {}).get(c.key, 1 if lengths is None else 0)
        if longest <= 0 and not c.keep:
            continue
        need = _label_need(c.label)
        if c.kind == "date":
            content = units_for_pt(10 * BODY_PT * EM_PER_CHAR + CELL_PAD_PT + 2)
        else:
            content = units_for_pt((max(longest, 1) + 1) * BODY_PT * EM_PER_CHAR + CELL_PAD_PT)
        width = max(need, min(c.width, content))
        chosen.append(replace(c, width=round(width, 2)))
    # Groups: the group label, spread over its columns, must fit too.
    for group in {c.group for c in chosen if c.group}:
        members = [i for i, c in enumerate(chosen) if c.group == group]
        short = _label_need(group) - sum(chosen[i].width for i in members)
        if short > 0:
            for i in members:
                chosen[i] = replace(chosen[i], width=chosen[i].width + short / len(members))
    # The widest table still printing at 10 pt, with room for the spreadsheet's rounding (a whole percent,
    # a few pixels a column).
    allowed = page.width_pt * BODY_PT / MIN_PRINTED_PT * 0.95
    if _total_pt(_shrunk(chosen, 0)) <= allowed:
        return _widened(_shrunk(chosen, allowed), page.width_pt)
    # Even with every free-text column at its narrowest the text would print under 10 pt (a roster with all
    # its 21 columns filled): two pages side by side, the number and the name repeated on the second.
    capacity = allowed
    repeated = next((i for i, c in enumerate(chosen) if c.keep and c.kind == "text"), 0) + 1
    split, run = len(chosen), 0.0
    for i, c in enumerate(_shrunk(chosen, 0)):  # split on the narrowest widths: both pages then fit
        run += column_pt(c.width)
        if run > capacity and i > repeated:
            split = i
            while split > repeated + 1 and chosen[split].group and chosen[split].group == chosen[split - 1].group:
                split -= 1  # never between the columns of one group
            break
    first, second = chosen[:split], chosen[split:]
    first = _widened(_shrunk(first, capacity), capacity)
    second = _shrunk(second, capacity - _total_pt(first[:repeated]))
    if second:
        second[0] = replace(second[0], new_page=True)
    return first + second


def _total_pt(columns: list[Column]) -> float:
    return sum(column_pt(c.width) for c in columns)


def _shrunk(columns: list[Column], allowed: float) -> list[Column]:
    """The free-text columns narrowed (down to their ``min_width``) until the total is ``allowed`` points."""
    total = _total_pt(columns)
    if total <= allowed:
        return columns
    give = {i: c.width - max(c.min_width, _label_need(c.label)) for i, c in enumerate(columns)
            if c.min_width is not None and c.width > max(c.min_width, _label_need(c.label))}
    can = sum(give.values()) * DIGIT_PX * 0.75
    if can <= 0:
        return columns
    share = min(1.0, (total - allowed) / can)
    out = list(columns)
    for i, g in give.items():
        out[i] = replace(out[i], width=round(out[i].width - g * share, 2))
    return out


def _widened(columns: list[Column], width_pt: float) -> list[Column]:
    """A table narrower than the page widened to it (free text first), so that the title block and the
    signature block, laid over its two halves, have the room they need."""
    total = _total_pt(columns)
    if total >= width_pt - 2 or not columns:
        return columns
    grow = [i for i, c in enumerate(columns) if c.min_width is not None] or list(range(len(columns)))
    extra = (width_pt - 2 - total) / 0.75 / DIGIT_PX / len(grow)
    out = list(columns)
    for i in grow:
        out[i] = replace(out[i], width=round(out[i].width + extra - 0.01, 2))
    return out


def lengths_of(rows: Iterable[dict], columns: list[Column]) -> dict[str, int]:
    """The longest text of each column over ``rows`` (for lists held in memory)."""
    out = {c.key: 0 for c in columns}
    for row in rows:
        for c in columns:
            v = row.get(c.key)
            if v is not None and v != "":
                n = len(v) if isinstance(v, str) else len(str(v))
                if n > out[c.key]:
                    out[c.key] = n
    return out


_SEEN_TEXTS = 4096  # texts per column whose wrapped line count is kept
_SHORT_TEXT = 32767 // 2  # no longer than this, a text is within a cell's 32,767 UTF-16 units whatever it holds


class BodySheet(Worksheet):
    """xlsxwriter's worksheet with one more writer, :meth:`put_row`: a whole row of the table in one call.

    ``write_string``/``write_number``/``set_row`` check the cell's place, the order of the rows and the options
    for every cell; the rows of a 100,000-member roster are 1.7 million cells, and those checks were nearly a
    tenth of its export. ``put_row`` makes them once a row and stores the cells and the height as those writers
    store them, so the file is the same byte for byte (tests/forms/test_layout_rows.py writes a sheet both ways).
    """

    def __init__(self) -> None:
        super().__init__()
        # The row record of each height in pixels, made once and shared (xlsxwriter never modifies one): a
        # list's rows have only a few heights between them.
        self._row_infos: dict[int, tuple] = {}

    def put_row(self, row: int, cells: dict[int, tuple], height: float | None = None) -> None:
        """``cells``: column → ``CellStringTuple(text, format)`` (at most :data:`_SHORT_TEXT` characters) or
        ``CellNumberTuple(number, format)`` (a finite number); ``height`` in points, None for the default.
        Rows are put top to bottom (in constant-memory mode a row is written out once the next one begins)."""
        if cells:
            if self._check_dimensions(row, min(cells)) or self._check_dimensions(row, max(cells)):
                raise ValueError(f"row {row + 1} is outside the sheet or already written out")
            if self.constant_memory:
                if row > self.previous_row:
                    self._write_single_row(row)
            else:  # the shared strings table
                index = self.str_table._get_shared_string_index
                for col, cell in cells.items():
                    if cell.__class__ is CellStringTuple:
                        cells[col] = CellStringTuple(index(cell.string), cell.format)
            self.table[row].update(cells)
        if height is None:
            return
        pixels = int(height * 4.0 / 3.0 + 0.5)  # as set_row rounds it
        if RowInfo is None or self._check_dimensions(row, self.dim_colmin or 0):
            self.set_row(row, height)
            return
        info = self._row_infos.get(pixels)
        if info is None:
            info = self._row_infos[pixels] = (RowInfo(height=pixels), [pixels, False])
        self.row_info[row], self.row_sizes[row] = info


class SheetWriter:
    """Writes one sheet in the standard layout. Rows must be written top to bottom (constant memory)."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, columns: list[Column], *, page: Page | None = None):
        self.book = book
        self.sheet: BodySheet = book.add_worksheet(name, worksheet_class=BodySheet)
        self.columns = columns
        self.page = page or Page()
        self.row = 0
        self.last = len(columns) - 1
        self.widths = [c.width for c in columns]
        # A list too wide for one page prints on two side by side (fit_columns): the title block, the notes
        # and the signature stay on the first; the number and the name are repeated on the second.
        self.split = next((i for i, c in enumerate(columns) if c.new_page), None)
        self.band_last = self.last if self.split is None else self.split - 1
        self.repeated = next((i for i, c in enumerate(columns) if c.keep and c.kind == "text"), 0)
        self._per_line = [chars_per_line(w) for w in self.widths]
        # The columns by kind (a row's cells may be written in any order: the sheet keeps a row whole until the
        # next one begins). Per text column, the lines a text takes, for texts seen before: addresses, places and
        # positions repeat down a roster (kept small: emptied when full).
        self._texts = [(i, self._per_line[i], {}) for i, c in enumerate(columns) if c.kind == "text"]
        self._dates = [i for i, c in enumerate(columns) if c.kind == "date"]
        self._others = [(i, c.kind) for i, c in enumerate(columns) if c.kind not in ("text", "date")]
        # Every row not set otherwise is one line of body text high (and is not written row by row).
        self._default_pt = row_pt(1)
        self._line_pts = [row_pt(n) for n in range(16)]
        self.sheet.set_default_row(self._default_pt)
        self._serials: dict[str, int] = {}
        # The writers under xlsxwriter's public write_string/write_number (which also accept "A1" cell names),
        # for the cells row_values does not hand over with the row's others; the public ones where a version
        # lacks them.
        self._write_string = getattr(self.sheet, "_write_string", self.sheet.write_string)
        self._write_number = getattr(self.sheet, "_write_number", self.sheet.write_number)
        self.header_rows: tuple[int, int] | None = None
        f = book.add_format
        base = {"font_name": FONT, "font_size": BODY_PT}
        center = {"align": "center", "valign": "vcenter", "text_wrap": True}
        self.f_org = f(base | center)
        self.f_org_bold = f(base | center | {"bold": True})
        self.f_nation = f(base | center | {"bold": True})
        self.f_place = f(base | center | {"italic": True})
        self.f_form = f(base | {"align": "right", "bold": True})
        self.f_title = f(base | center | {"bold": True, "font_size": 14})
        self.f_subtitle = f(base | center | {"italic": True})
        self.f_head = f(base | center | {"bold": True, "border": 1, "font_size": HEAD_PT, "bg_color": "#F2F2F2"})
        self.f_section = f(base | {"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"})
        # Body cells carry no border of their own: one conditional format draws the grid over the whole table,
        # so empty cells need not be written at all (a third of a roster's cells are empty).
        self.f_text = f(base | {"valign": "top", "text_wrap": True})
        self.f_center = f(base | {"align": "center", "valign": "top"})
        self.f_number = f(base | {"align": "center", "valign": "top", "num_format": NUM_VI + "#,##0"})
        self.f_percent = f(base | {"align": "center", "valign": "top", "num_format": NUM_VI + "0.00"})
        self.f_decimal = f(base | {"align": "center", "valign": "top", "num_format": NUM_VI + "0.0#"})
        bold = base | {"bold": True, "valign": "top"}
        self.f_strong = {"text": f(bold | {"text_wrap": True}),
                         "number": f(bold | {"align": "center", "num_format": NUM_VI + "#,##0"}),
                         "percent": f(bold | {"align": "center", "num_format": NUM_VI + "0.00"})}
        self.f_date = f(base | {"align": "center", "valign": "top", "num_format": "dd/mm/yyyy"})
        self.f_grid = f({"border": 1})
        self.f_note = f(base | {"italic": True, "text_wrap": True, "valign": "top"})
        self.f_sign = f(base | {"align": "center", "valign": "top", "text_wrap": True})
        self.f_bold = f({"bold": True, "font_name": FONT, "font_size": BODY_PT})
        self.f_italic = f({"italic": True, "font_name": FONT, "font_size": BODY_PT})
        self.body_first: int | None = None
        self.body_last: int | None = None
        # Where the page breaks will fall, followed row by row (every row's height is set here), so that the
        # signature block never lands alone on a page of its own.
        fitted = sum(column_pt(w) for w in (self.widths[:self.band_last + 1] if self.split is not None
                                             else self.widths))
        scale = (math.ceil(100 * MIN_PRINTED_PT / BODY_PT) + 1) / 100 if self.split is not None else \
            min(1.0, math.floor(100 * self.page.width_pt / (fitted * 1.01)) / 100)
        self._usable = self.page.height_pt / scale
        self._heights: dict[int, float] = {}
        self._records: deque[int] = deque(maxlen=2)
        self._head_pt = 0.0
        self._y = 0.0
        self._page_first = 0
        self._next = 0
        self._y_before: deque[tuple[int, float]] = deque(maxlen=8)
        self.breaks: list[int] = []
        for i, w in enumerate(self.widths):
            self.sheet.set_column(i, i, w)

    # -- geometry ------------------------------------------------------------------------------------------
    def _height(self, row: int, height: float) -> None:
        """Set a row's height and follow the page it falls on (rows are set top to bottom)."""
        if height != self._default_pt:  # most rows of a long list are one line: the sheet's default height
            self.sheet.set_row(row, height)
        self._follow(row, height)

    def _follow(self, row: int, height: float) -> None:
        """Follow the page ``row`` falls on, its height set (rows are set top to bottom)."""
        for r in range(self._next, row):  # rows left at the default height (blank lines)
            self._advance(r, self._default_pt)
        if row >= self._next:
            self._advance(row, height)
            self._next = row + 1
        if self.body_first is None:  # the title block and the header (kept: the header repeats on each page)
            self._heights[row] = height

    def _advance(self, row: int, height: float) -> None:
        if self._y + height > self._usable and row > self._page_first:
            self._page_first, self._y = row, self._head_pt
        self._y_before.append((row, self._y))
        self._y += height

    def _keep_with_table(self, height: float) -> None:
        """If a block of ``height`` starting at the current row would begin a page of its own, break the page
        before the table's last two rows instead, so that they print above it."""
        for r in range(self._next, self.row):
            self._advance(r, self._default_pt)
        self._next = max(self._next, self.row)
        if self._y + height <= self._usable * 0.96 or len(self._records) < 2:
            return  # it fits (in doubt the page is broken: the block then prints with the last rows)
        first = self._records[0]
        before = dict(self._y_before).get(first)
        if before is None or first <= self._page_first:
            return
        moved = self._y - before
        if self._head_pt + moved + height <= self._usable:
            self.breaks.append(first)
            self._page_first, self._y = first, self._head_pt + moved


    def span_width(self, first: int, last: int) -> float:
        """Width (in characters) of columns first..last merged."""
        return units_for_pt(sum(column_pt(w) for w in self.widths[first:last + 1]))

    @property
    def half(self) -> int:
        """The last column of the left half of the page (title block): the split nearest the middle."""
        if self.split is not None:
            # Two pages side by side: the left block over the repeated columns, so that the second page shows
            # the committee whole, not a cut piece of it.
            return self.repeated
        return self._middle(self.widths[:self.band_last + 1])

    @property
    def _free_first(self) -> int:
        """Where the notes and the signature start: after the repeated columns when there are two pages side
        by side (the second page would show a cut piece of them otherwise)."""
        return 0 if self.split is None else self.repeated + 1

    @staticmethod
    def _middle(widths: list[float]) -> int:
        total = sum(widths)
        best, best_gap, run = 0, float("inf"), 0.0
        for i, w in enumerate(widths[:-1]):
            run += w
            gap = abs(run - total / 2)
            if gap < best_gap:
                best, best_gap = i, gap
        return best

    def _merged(self, row: int, first: int, last: int, text: str, fmt, font_pt: float = BODY_PT,  # noqa: ANN001
                bold: bool = False) -> float:
        """Write ``text`` over first..last of ``row``; return the height its wrapped lines need."""
        if last > first:
            self.sheet.merge_range(row, first, row, last, "", fmt)
        self.sheet.write_string(row, first, text, fmt)
        per = chars_per_line(self.span_width(first, last), font_pt, bold)
        return row_pt(wrapped_lines(text, per), font_pt)

    # -- the top of the page -------------------------------------------------------------------------------
    def title_block(self, committee: str | None, superior: str | None, title: str, subtitle: str | None,
                    place_date: str, *, form_number: str | None = None) -> None:
        """Superior committee over the committee's name (left), the nation's party and the date (right), then
        the title. Rows are written strictly top to bottom: the workbook is in constant-memory mode.
        ``form_number`` ("Biểu số 2-BTCTW") goes above, on the right."""
        half = self.half
        if form_number:
            self._merged(self.row, half + 1, self.band_last, form_number, self.f_form)
            self.row += 1
        own = (committee or "").upper()
        if superior:
            left = [(superior.upper(), self.f_org, False), (own, self.f_org_bold, True), ("*", self.f_org, False)]
        else:
            left = [(own, self.f_org_bold, True), ("*", self.f_org, False), ("", self.f_org, False)]
        right = [("ĐẢNG CỘNG SẢN VIỆT NAM", self.f_nation, True), ("", self.f_org, False),
                 (place_date, self.f_place, False)]
        for (ltext, lfmt, lbold), (rtext, rfmt, rbold) in zip(left, right, strict=True):
            h = max(self._merged(self.row, 0, half, ltext, lfmt, bold=lbold),
                    self._merged(self.row, half + 1, self.band_last, rtext, rfmt, bold=rbold))
            self._height(self.row, h)
            self.row += 1
        self.row += 1
        self._height(self.row, self._merged(self.row, 0, self.band_last, title, self.f_title, 14, True))
        self.row += 1
        if subtitle:
            self._height(self.row, self._merged(self.row, 0, self.band_last, subtitle, self.f_subtitle))
            self.row += 1
        self.row += 1

    def header(self) -> None:
        """Two header rows: a group label merged over its sub-labels, other labels merged down both rows.

        Constant-memory mode drops writes to a row once a later row is written, so the top row is written
        whole first; the vertical merges are then registered, their (already written) top cells untouched.
        """
        top, sub = self.row, self.row + 1
        spans: list[tuple[int, int, Column]] = []
        col = 0
        while col <= self.last:
            end = col
            group = self.columns[col].group
            while group is not None and end + 1 <= self.last and self.columns[end + 1].group == group:
                end += 1
            spans.append((col, end, self.columns[col]))
            col = end + 1
        # Heights first: in constant-memory mode a row's height is lost once the next row is written.
        def lines(text: str, first: int, last: int) -> int:
            return wrapped_lines(text, chars_per_line(self.span_width(first, last), HEAD_PT, True))

        group_lines = max((lines(c.group, a, b) for a, b, c in spans if c.group), default=0)
        sub_lines = max((lines(self.columns[k].label, k, k) for a, b, c in spans if c.group
                         for k in range(a, b + 1)), default=0)
        merged_lines = max((lines(c.label, a, b) for a, b, c in spans if not c.group), default=1)
        if group_lines:
            top_lines = group_lines
            sub_lines = max(sub_lines, merged_lines - top_lines, 1)
        else:  # every label spans both rows: they share its lines
            top_lines, sub_lines = (merged_lines + 1) // 2, max(merged_lines // 2, 1)
        self._height(top, row_pt(top_lines, HEAD_PT) + 2)
        for start, end, c in spans:
            label = c.label if c.group is None else c.group
            if end > start:
                self.sheet.merge_range(top, start, top, end, label, self.f_head)
            else:
                self.sheet.write_string(top, start, label, self.f_head)
        self._height(sub, row_pt(sub_lines, HEAD_PT) + 2)
        for start, end, c in spans:
            if c.group is None:
                self.sheet.write_blank(sub, start, None, self.f_head)
                # merge_range would refuse the top row now; the range is recorded as merge_range records it.
                self.sheet.merge.append([top, start, sub, start])
            else:
                for k in range(start, end + 1):
                    self.sheet.write_string(sub, k, self.columns[k].label, self.f_head)
        self._head_pt = self._heights[top] + self._heights[sub]
        self.header_rows = (top, sub)
        self.sheet.repeat_rows(top, sub)
        self.sheet.freeze_panes(sub + 1, 0)
        self.row += 2
        self.body_first = self.row

    # -- the body ------------------------------------------------------------------------------------------
    def section(self, text: str) -> None:
        if self.body_first is None:
            self.body_first = self.row
        self._height(self.row, self._merged(self.row, 0, self.band_last, text, self.f_section, bold=True))
        if self.split is not None:  # the second page: the same band, its text shown by the repeated columns
            if self.last > self.split:
                self.sheet.merge_range(self.row, self.split, self.row, self.last, "", self.f_section)
            else:
                self.sheet.write_blank(self.row, self.split, None, self.f_section)
        self.body_last = self.row
        self.row += 1

    def cell_sections(self, groups: dict[tuple[str, str], list[dict]], counted: Callable[[list[dict]], str], *,
                      numbered: bool = False) -> int:
        """For each cell of ``groups`` (grouped_by_cell), a section row "I. Chi bộ … (MÃ) — ``counted(lines)``"
        and its lines; ``numbered``: each line gets its number within the cell ("seq"). Returns how many
        sections were written (the next one is numbered after them)."""
        for i, ((code, name), lines) in enumerate(groups.items(), start=1):
            self.section(f"{roman(i)}. {name} ({code}) — {counted(lines)}")
            for seq, line in enumerate(lines, start=1):
                self.record(line | {"seq": seq} if numbered else line)
        return len(groups)

    def record(self, values: dict, *, strong: bool = False) -> None:
        """One data row from a dict keyed by the columns' keys (see :meth:`row_values`)."""
        self.row_values([values.get(c.key) for c in self.columns], strong=strong)

    def row_values(self, values: Sequence, *, strong: bool = False) -> None:
        """One data row, ``values`` in the order of the columns; ISO dates of full precision become real dates,
        partial ones stay text (mm/yyyy).

        Speed matters here (100,000-row rosters): empty values are not written (the grid is drawn by
        :meth:`close_table`), a text cell carries a format only when it wraps, and the row's cells go to the
        sheet in one call (:meth:`BodySheet.put_row`). The row is made as high as its most wrapped cell.
        ``strong``: a total line, in bold.
        """
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        r = self.row
        lines = 1
        cells: dict[int, tuple] = {}
        # The cells as write_string/write_number make them: tuple.__new__ is what the named tuples' own
        # constructor calls, without its Python frame (1.7 million cells in a 100,000-member roster).
        new, String, Number = tuple.__new__, CellStringTuple, CellNumberTuple
        strong_f = self.f_strong if strong else None
        text_f = strong_f["text"] if strong_f else None
        wrap_f = text_f or self.f_text
        for i, per_line, seen in self._texts:
            v = values[i]
            if v is None or v == "":
                continue
            text = v if isinstance(v, str) else str(v)
            if len(text) > per_line or "\n" in text:
                n = seen.get(text)
                if n is None:
                    if len(seen) >= _SEEN_TEXTS:
                        seen.clear()
                    n = seen[text] = wrapped_lines(text, per_line)
                if n > lines:
                    lines = n
                if len(text) > _SHORT_TEXT:  # xlsxwriter's own writer cuts it at a cell's limit
                    self._write_string(r, i, text, wrap_f if n > 1 else text_f)
                    continue
                cells[i] = new(String, (text, wrap_f if n > 1 else text_f))
            else:
                cells[i] = new(String, (text, text_f))
        serials, f_date = self._serials, self.f_date
        for i in self._dates:
            v = values[i]
            if v is None or v == "":
                continue
            if len(v) == 10:
                # Excel's serial day number, computed directly (write_datetime's conversion costs more) and once
                # per distinct day: a roster's dates repeat.
                serial = serials.get(v)
                if serial is None:
                    serial = serials[v] = date(int(v[:4]), int(v[5:7]), int(v[8:10])).toordinal() - _EXCEL_EPOCH
                cells[i] = new(Number, (serial, f_date))
            elif len(v) == 7:
                cells[i] = new(String, (f"{v[5:7]}/{v[:4]}", self.f_center))
            else:
                cells[i] = new(String, (v, self.f_center))
        for i, kind in self._others:
            v = values[i]
            if v is None or v == "":
                continue
            if kind == "mark" and isinstance(v, str):
                cells[i] = new(String, (v, self.f_center))
                continue
            if kind == "number" or kind == "mark":
                fmt = strong_f["number"] if strong_f and kind == "number" else self.f_number
            elif kind == "percent":
                fmt = strong_f["percent"] if strong_f else self.f_percent
            else:  # decimal
                fmt = self.f_number if float(v).is_integer() else self.f_decimal
            if v.__class__ is int:
                cells[i] = new(Number, (v, fmt))
            else:  # xlsxwriter's own writer: NaN and infinities refused, fractions made floats
                self._write_number(r, i, v, fmt)
        height = self._line_pts[lines] if lines < len(self._line_pts) else row_pt(lines)
        self.sheet.put_row(r, cells, None if height == self._default_pt else height)
        self._follow(r, height)
        self._records.append(r)
        self.body_last = r
        self.row += 1

    def close_table(self) -> None:
        """Draw the grid over every body row, empty cells included, with one conditional format."""
        if self.body_first is not None and self.body_last is not None and self.body_last >= self.body_first:
            self.sheet.conditional_format(self.body_first, 0, self.body_last, self.last,
                                          {"type": "no_errors", "format": self.f_grid})
        self.body_first = None

    def note(self, text: str) -> None:
        self.close_table()
        self._height(self.row, self._merged(self.row, self._free_first, self.band_last, text, self.f_note))
        self.row += 1

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    # -- the bottom ----------------------------------------------------------------------------------------
    def chart(self, chart, height_pt: float) -> None:  # noqa: ANN001 - an xlsxwriter chart
        """The chart in one row as tall as the chart: never cut by a page break, never wider than the page."""
        self.close_table()
        # xlsxwriter anchors a chart to the cells it covers counting 7 px a width unit; the spreadsheet then
        # draws those cells at its own width (8 px a unit here): the size is given in xlsxwriter's measure.
        width_px = sum(int(w * 7 + 0.5) + 5 for w in self.widths[:self.band_last + 1]) - 12
        page_px = int(self.page.width_pt / 0.75 * 7 / DIGIT_PX) - 12
        chart.set_size({"width": min(width_px, page_px), "height": int(height_pt / 0.75)})
        self._height(self.row, height_pt + 12)
        self.sheet.insert_chart(self.row, 0, chart, {"x_offset": 6, "y_offset": 6, "object_position": 3})
        self.row += 1

    def signature(self, left: list[str], right: list[str], *, left_note: str = "(Ký, ghi rõ họ tên)",
                  right_note: str = "(Ký tên, đóng dấu)") -> None:
        """The signature block in ONE row: the maker of the list on the left, the committee on the right.

        A row is never split across pages, so the block always prints whole, titles and signing space together.
        """
        self.close_table()
        self.row += 1
        start = self._free_first
        half = start + self._middle(self.widths[start:self.band_last + 1])
        space = "\n" * SIGN_SPACE_LINES
        sides = ((start, half, left, left_note), (half + 1, self.band_last, right, right_note))
        for first, last, titles, note in sides:
            if last > first:
                self.sheet.merge_range(self.row, first, self.row, last, "", self.f_sign)
            parts = [self.f_bold, "\n".join(titles)]
            if note:
                parts += [self.f_italic, "\n" + note]
            parts += [space]
            self.sheet.write_rich_string(self.row, first, *parts, self.f_sign)
        lines = 0
        for first, last, titles, note in sides:
            per = chars_per_line(self.span_width(first, last), BODY_PT, True)
            lines = max(lines, sum(wrapped_lines(t, per) for t in [*titles, note] if t))
        self._keep_with_table(row_pt(lines + SIGN_SPACE_LINES))
        self._height(self.row, row_pt(lines + SIGN_SPACE_LINES))
        self.row += 1

    def page_setup(self) -> None:
        self.close_table()
        if self.page.landscape:
            self.sheet.set_landscape()
        else:
            self.sheet.set_portrait()
        self.sheet.set_paper(9)  # A4
        self.sheet.set_margins(left=self.page.side_in, right=self.page.side_in, top=self.page.top_in,
                               bottom=self.page.bottom_in)
        self.sheet.center_horizontally()
        if self.split is None:
            self.sheet.fit_to_pages(1, 0)
        else:
            # Excel ignores manual page breaks under "fit to": the scale is set, so that the text prints at 10 pt.
            self.sheet.set_print_scale(math.ceil(100 * MIN_PRINTED_PT / BODY_PT) + 1)
            self.sheet.set_v_pagebreaks([self.split])
            self.sheet.repeat_columns(0, self.repeated)
            self.sheet.print_across()
        self.sheet.set_footer(f'&C&"{FONT},Regular"&10Trang &P/&N', {"margin": 0.3})
        self.sheet.print_area(0, 0, max(self.row - 1, 0), self.last)
        if self.breaks:
            self.sheet.set_h_pagebreaks(self.breaks)


def grouped_by_cell(rows: Iterable[dict], line: Callable[[dict], dict] = dict) -> dict[tuple[str, str], list[dict]]:
    """``line(row)`` of each row, grouped by the row's (cell_code, cell_name), the cells in the order of their
    first row (SheetWriter.cell_sections writes them)."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["cell_code"] or "", row["cell_name"] or ""), []).append(line(row))
    return groups


def place_date_line(place: str | None, on: date) -> str:
    """"Tân Lập, ngày 01 tháng 12 năm 2026" (or "Ngày 01 tháng 12 năm 2026" with no place)."""
    line = f"ngày {on.day:02d} tháng {on.month:02d} năm {on.year}"
    return f"{place}, {line}" if place else line[0].upper() + line[1:]


def sign_titles(kind: str | None, has_committee: bool = True) -> list[str]:
    """Who signs for an organization of ``kind``: a committee's standing committee; a cell's committee, or the
    cell itself when it has none (under 9 official members it elects only a secretary, Điều lệ Đảng, Điều 24)."""
    if kind in ("cell", "grassroots_cell", "party_group"):
        return ["T/M CHI ỦY" if has_committee else "T/M CHI BỘ", "BÍ THƯ"]
    return ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]


BOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
                "default_format_properties": {"font_name": FONT, "font_size": BODY_PT, "valign": "top"}}


@contextmanager
def open_book(path: Path, example: str, *, constant_memory: bool = True) -> Iterator[xlsxwriter.Workbook]:
    """A workbook that becomes ``path`` (0600) only once written whole; see :func:`safety.output_file`.

    xlsxwriter's own temporary files go to the same private folder, so an interrupted export leaves nothing
    behind, and a failed book is marked closed so that its destructor does not try (and fail) again.
    """
    path = check_target(Path(path), example)
    with output_file(path) as (inner, work):
        book = xlsxwriter.Workbook(str(inner), BOOK_OPTIONS | {"constant_memory": constant_memory,
                                                               "tmpdir": str(work)})
        try:
            yield book
            book.close()
        except BaseException:
            book.fileclosed = True
            raise

