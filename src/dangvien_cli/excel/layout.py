"""The printed layout committees exchange: title block, two-row header, sections, signature (xlsxwriter).

Shared by every workbook the tool writes so that rosters, screening lists and reports look the same: the
committee's name top left, "ĐẢNG CỘNG SẢN VIỆT NAM" top right, place and date, the title, the as-of line, a
two-row merged header repeated on every printed page, A4 landscape, and the signature block.
Text is always written with ``write_string``: a name starting with ``=`` stays text, never a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import xlsxwriter

_EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug included)
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


@dataclass(frozen=True)
class Column:
    """A column: its group label (or None) over its own label, its width, and how values are written."""

    key: str
    label: str
    group: str | None = None
    width: float = 14
    kind: str = "text"  # text | date | number


class SheetWriter:
    """Writes one sheet in the standard layout. Rows must be written top to bottom (constant memory)."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, columns: list[Column]):
        self.book = book
        self.sheet = book.add_worksheet(name)
        self.columns = columns
        self.row = 0
        self.last = len(columns) - 1
        f = book.add_format
        base = {"font_name": "Times New Roman", "font_size": 12}
        self.f_bold = f(base | {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True})
        self.f_italic = f(base | {"italic": True, "align": "center"})
        self.f_title = f(base | {"bold": True, "font_size": 14, "align": "center"})
        self.f_head = f(base | {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                                "border": 1, "font_size": 11})
        self.f_section = f(base | {"bold": True, "border": 1, "bg_color": "#F2F2F2"})
        # Body cells carry no border of their own: one conditional format draws the grid over the whole table,
        # so empty cells need not be written at all (a third of a roster's cells are empty).
        self.f_text = f(base | {"font_size": 11, "valign": "top", "text_wrap": True})
        self.f_center = f(base | {"font_size": 11, "align": "center", "valign": "top"})
        self.f_date = f(base | {"font_size": 11, "align": "center", "valign": "top", "num_format": "dd/mm/yyyy"})
        self.f_grid = f({"border": 1})
        self.body_first: int | None = None
        self.body_last: int | None = None
        self.f_plain = f(base)
        self.f_plain_center = f(base | {"align": "center"})

    # -- the top of the page -------------------------------------------------------------------------------
    def title_block(self, left_lines: list[str], title: str, subtitle: str | None, place_date: str) -> None:
        """Rows are written strictly top to bottom: the workbook is in constant-memory mode."""
        half = max(1, (self.last + 1) // 2 - 1)
        left = (left_lines + ["", "", ""])[:3]
        right = ["ĐẢNG CỘNG SẢN VIỆT NAM", "", place_date]
        for i in range(3):
            self.sheet.merge_range(self.row + i, 0, self.row + i, half, left[i], self.f_bold)
            fmt = self.f_italic if i == 2 else self.f_bold
            self.sheet.merge_range(self.row + i, half + 1, self.row + i, self.last, right[i], fmt)
        self.row += 4
        self.sheet.merge_range(self.row, 0, self.row, self.last, title, self.f_title)
        self.row += 1
        if subtitle:
            self.sheet.merge_range(self.row, 0, self.row, self.last, subtitle, self.f_italic)
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
        for start, end, c in spans:
            label = c.label if c.group is None else c.group
            if end > start:
                self.sheet.merge_range(top, start, top, end, label, self.f_head)
            else:
                self.sheet.write_string(top, start, label, self.f_head)
        for start, end, c in spans:
            if c.group is None:
                self.sheet.write_blank(sub, start, None, self.f_head)
                # merge_range would refuse the top row now; the range is recorded as merge_range records it.
                self.sheet.merge.append([top, start, sub, start])
            else:
                for k in range(start, end + 1):
                    self.sheet.write_string(sub, k, self.columns[k].label, self.f_head)
        for i, c in enumerate(self.columns):
            self.sheet.set_column(i, i, c.width)
        self.sheet.set_row(top, 30)
        self.sheet.set_row(sub, 30)
        self.sheet.repeat_rows(top, sub)
        self.sheet.freeze_panes(sub + 1, 0)
        self.row += 2
        self.body_first = self.row

    # -- the body ------------------------------------------------------------------------------------------
    def section(self, text: str) -> None:
        self.sheet.merge_range(self.row, 0, self.row, self.last, text, self.f_section)
        self.body_last = self.row
        self.row += 1

    def record(self, values: dict) -> None:
        """One data row; ISO dates of full precision become real dates, partial ones stay text (mm/yyyy).

        Speed matters here (100,000-row rosters): empty values are not written (the grid is drawn by
        :meth:`close_table`), and a cell carries a format only when it needs one — a date, or text longer than
        its column, which wraps. Everything else takes the workbook's default font.
        """
        sheet, r = self.sheet, self.row
        for i, c in enumerate(self.columns):
            v = values.get(c.key)
            if v is None or v == "":
                continue
            if c.kind == "text":
                text = v if isinstance(v, str) else str(v)
                sheet.write_string(r, i, text, self.f_text if len(text) > c.width else None)
            elif c.kind == "number":
                sheet.write_number(r, i, v)
            elif len(v) == 10:
                # Excel's serial day number, computed directly: write_datetime's conversion costs more.
                serial = date(int(v[:4]), int(v[5:7]), int(v[8:10])).toordinal() - _EXCEL_EPOCH
                sheet.write_number(r, i, serial, self.f_date)
            elif len(v) == 7:
                sheet.write_string(r, i, f"{v[5:7]}/{v[:4]}")
            else:
                sheet.write_string(r, i, v)
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
        self.sheet.merge_range(self.row, 0, self.row, self.last, text, self.f_plain)
        self.row += 1

    # -- the bottom ----------------------------------------------------------------------------------------
    def signature(self, left: list[str], right: list[str]) -> None:
        self.close_table()
        self.row += 1
        half = max(1, (self.last + 1) // 2 - 1)
        for i in range(max(len(left), len(right))):
            if i < len(left):
                self.sheet.merge_range(self.row, 0, self.row, half, left[i], self.f_bold)
            if i < len(right):
                self.sheet.merge_range(self.row, half + 1, self.row, self.last, right[i], self.f_bold)
            self.row += 1

    def page_setup(self) -> None:
        self.close_table()
        self.sheet.set_landscape()
        self.sheet.set_paper(9)  # A4
        self.sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        self.sheet.fit_to_pages(1, 0)
        self.sheet.set_footer("&CTrang &P/&N")


def place_date_line(place: str | None, on: date) -> str:
    where = f"{place}, " if place else ""
    return f"{where}ngày {on.day:02d} tháng {on.month:02d} năm {on.year}"


def new_book(path: str) -> xlsxwriter.Workbook:
    return xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                      "strings_to_numbers": False, "strings_to_urls": False,
                                      "default_format_properties": {"font_name": "Times New Roman",
                                                                    "font_size": 11, "valign": "top"}})
