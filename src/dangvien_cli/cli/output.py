"""The one output sink: tables, records, JSON or CSV on stdout; messages and progress on stderr.

Commands hand rows and columns here and the sink decides (style.md "the output sink owns the format"):
- JSON: stdout alone, UTF-8, English codes and ISO dates, everything (contract.md).
- CSV: UTF-8 with a byte-order mark so that Excel opens it as UTF-8; Vietnamese labels and dates; every row;
  cells that a spreadsheet would run as a formula are neutralised.
- table: sized to its content. Names, codes, dates and numbers never break inside a word: only free-text
  columns fold, at spaces; where the screen is too narrow the least important columns are left out (and the
  clerk is told how to see them: ``--columns``, ``--wide``), then the widest cells are elided with "…".
  A terminal shows one page of rows and says how many more there are (``--all``, ``--limit N``); piped
  output has every row and is as wide as it needs.
- Text from the database is escaped on the way out: control characters (ESC, NUL, backspace) and bidi
  overrides are shown as visible symbols, never sent to the terminal.

The table renderer is plain text (no Rich): a command that prints a table stays as cheap as ``--help``,
and a 36,000-row listing piped to a file takes well under a second instead of a minute of Rich measuring.
Rich is loaded only for progress bars.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from dangvien_cli.formats import cell_vi, number_vi
from dangvien_cli.sources import cite

if TYPE_CHECKING:
    from dangvien_cli.vocab import CodeList


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@dataclass(frozen=True)
class Col:
    """A column: ``key`` of the row, ``header`` the clerk reads.

    ``wrap``: free text that may fold at spaces (notes, details); every other column stays on one line.
    ``rank``: 0 is always shown; at a narrow width the highest rank goes first. ``codes``: a vocabulary
    whose Vietnamese label is shown for the stored code (tables and CSV; JSON keeps the code).
    ``show``: a function turning the row into the displayed text, when the value alone does not say it.
    """

    key: str
    header: str
    wrap: bool = False
    rank: int | None = None
    codes: CodeList | None = None
    show: Callable[[dict], Any] | None = None
    auto: bool = False  # given as a bare (key, header) pair: long texts of many words are taken as free text
    count: bool = False  # a quantity (not an id): thousands separated the Vietnamese way, 36.590


ColumnSpec = Col | tuple[str, str]


@dataclass
class View:
    """How this invocation wants its rows (``--format``, ``--wide``, ``--columns``, ``--all``, ``--limit``)."""

    fmt: Format | None = None
    wide: bool = False
    columns: list[str] | None = None
    all: bool = False
    limit: int | None = None
    width: int | None = field(default=None)  # forced width (tests); else COLUMNS, the terminal, or unlimited
    screen_used: int = 0  # lines of the screen this command's tables have taken
    _csv_started: bool = False


VIEW = View()


def reset() -> None:
    """A fresh view for a new command line (the tests run many in one process)."""
    global VIEW
    VIEW = View()


# -- escaping -----------------------------------------------------------------------------------------------

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ ␀ ␈ …: the Unicode "control pictures"
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def safe(text: str) -> str:
    """``text`` with every control or bidi-override character made visible and harmless."""
    return _UNSAFE.sub(_picture, text) if _UNSAFE.search(text) else text


def _one_line(text: str) -> str:
    return safe(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


# -- widths -------------------------------------------------------------------------------------------------

# Characters that do not take exactly one column: combining marks (zero) and wide East Asian letters (two).
# Vietnamese in NFC has none, so most texts are measured by len() after one C-speed search.
_NOT_ONE = re.compile("[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u1ab0-\u1aff"
                      "\u1dc0-\u1dff\u200b-\u200d\u20d0-\u20ff\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3"
                      "\uf900-\ufaff\ufe00-\ufe0f\ufe20-\ufe6f\uff00-\uff60\uffe0-\uffe6\U0001f000-\U0003fffd]")


def cell_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (combining marks take none, wide East Asian letters two)."""
    if text.isascii() or not _NOT_ONE.search(text):
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, ending in "…" when something was cut."""
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - cell_width(text))
    return gap + text if right else text + gap


def _fold(text: str, width: int) -> list[str]:
    """Free text folded into lines of ``width`` at spaces; a word longer than a line is split."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while cell_width(word) > width:
            room = width - cell_width(line) - (1 if line else 0)
            if room < 4 and line:
                lines.append(line)
                line = ""
                continue
            head = _cut(word, (room if line else width) + 1)[:-1]
            lines.append(f"{line} {head}" if line else head)
            line, word = "", word[len(head):]
        if not line:
            line = word
        elif cell_width(line) + 1 + cell_width(word) <= width:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _terminal(stream) -> bool:  # noqa: ANN001
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def stdout_is_terminal() -> bool:
    return _terminal(sys.stdout)


def _width() -> int | None:
    """The width tables must fit: forced, COLUMNS, or the terminal; None (as wide as needed) when piped."""
    if VIEW.width:
        return VIEW.width
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if stdout_is_terminal():
        return shutil.get_terminal_size((80, 24)).columns
    return None


def _page_size() -> tuple[int | None, bool]:
    """How much of a list to show: (N, by_lines). ``--limit N`` is N rows; a terminal shows the lines left on
    its screen (a few for the messages below; tables already printed by this command count); None
    (everything) when piped or with ``--all``."""
    if VIEW.all:
        return None, False
    if VIEW.limit is not None:
        return VIEW.limit, False
    if not stdout_is_terminal():
        return None, False
    return max(10, shutil.get_terminal_size((80, 24)).lines - 8 - VIEW.screen_used), True


def _colour(stream) -> bool:  # noqa: ANN001
    return _terminal(stream) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _style(text: str, codes: str, stream) -> str:  # noqa: ANN001
    return f"\x1b[{codes}m{text}\x1b[0m" if _colour(stream) else text


# -- messages (stderr) --------------------------------------------------------------------------------------

def _wrap(text: str, first: int) -> str:
    """``text`` folded at spaces to the terminal's width (stderr is a terminal); ``first`` columns are taken by
    a prefix on the first line. Lines of their own (a command to type) stay whole when they fit."""
    import textwrap

    width = max(40, shutil.get_terminal_size((80, 24)).columns - 1)
    out = []
    for k, para in enumerate(text.split("\n")):
        lead = first if k == 0 else 0
        if not para or cell_width(para) + lead <= width:
            out.append(para)
            continue
        folded = textwrap.fill(para, width=width, initial_indent="\0" * lead, subsequent_indent="  ",
                               break_long_words=False, break_on_hyphens=False)
        out.append(folded[lead:])
    return "\n".join(out)


def _say(prefix: str, style: str, message: str, hint: str | None = None) -> None:
    err = sys.stderr
    text = safe(cite(message).replace("\r", " "))
    hint = safe(cite(hint)) if hint else None
    if _terminal(err):
        text = _wrap(text, cell_width(prefix))
        hint = _wrap(hint, 2) if hint else None
    line = (_style(prefix, style, err) if prefix else "") + (_style(text, "32", err) if style == "green" else text)
    err.write(line + "\n")
    if hint:
        err.write(_style("→ ", "1", err) + hint + "\n")
    err.flush()


def info(message: str) -> None:
    """A message for the clerk (stderr)."""
    _say("", "", message)


def success(message: str) -> None:
    _say("", "green", message)


def warn(message: str) -> None:
    _say("Cảnh báo: ", "1;33", message)


def error(message: str, hint: str | None = None) -> None:
    _say("Lỗi: ", "1;31", message, hint)


@contextmanager
def progress(label: str, total: int | None = None) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress bar on stderr while long work runs, only when stderr is a terminal; it disappears at
    the end so that the summary line stands on its own line. Yields ``advance(n)`` (or None)."""
    if not _terminal(sys.stderr):
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.update(task, advance=n)


# -- values -------------------------------------------------------------------------------------------------

def _col(spec: ColumnSpec) -> Col:
    return spec if isinstance(spec, Col) else Col(spec[0], spec[1], auto=True)


def _value(row: dict, col: Col) -> Any:
    if col.show is not None:
        return col.show(row)
    value = row.get(col.key)
    if col.count and isinstance(value, int) and not isinstance(value, bool):
        return Count(value)
    if col.codes is not None and value is not None and not isinstance(value, (list, dict)):
        return col.codes.label(value)
    return value


class Count(int):
    """An integer that is a quantity: shown as 36.590 (right-aligned like every number)."""


def _text(value: Any) -> str:
    if isinstance(value, Count):
        return number_vi(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return cite(cell_vi(value))


def _fmt(fmt: Format | None) -> Format:
    return fmt if fmt is not None else (VIEW.fmt or Format.table)


# -- JSON and CSV -------------------------------------------------------------------------------------------

def emit_json(data: Any, *, compact: bool = False) -> None:
    """``compact`` for very large documents: the C encoder is about ten times faster than the indented one."""
    emit_text(json_text(data, compact=compact))


def json_text(data: Any, *, compact: bool = False) -> str:
    """The JSON :func:`emit_json` prints, as text (to make it before the moment it may be printed)."""
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def emit_text(text: str) -> None:
    """A document made beforehand (json_text), as one line of stdout."""
    sys.stdout.write(text)
    sys.stdout.write("\n")
    sys.stdout.flush()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d[\d.,]*( ?%| đ)?")


def csv_cell(value: Any) -> str:
    """A CSV cell as a person reads it; a text that a spreadsheet would run as a formula gets a leading '."""
    text = safe(_text(value).replace("\r\n", "\n"))
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def emit_csv(rows: Iterable[dict], columns: Sequence[ColumnSpec]) -> None:
    cols = [_col(c) for c in columns]
    if not VIEW._csv_started:
        sys.stdout.write("\ufeff")  # Excel reads UTF-8 only when the file says so (README "CSV")
        VIEW._csv_started = True
    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow([c.key for c in cols])
    for row in rows:
        writer.writerow([csv_cell(_value(row, c)) for c in cols])
    sys.stdout.flush()


# -- tables -------------------------------------------------------------------------------------------------

def _select(cols: list[Col]) -> list[Col]:
    """The columns ``--columns`` names (by key, or by header without diacritics), in the order given."""
    if not VIEW.columns:
        return cols
    from dangvien_cli.errors import InvalidValue
    from dangvien_cli.text import search_key

    chosen: list[Col] = []
    for name in VIEW.columns:
        key = search_key(name)
        match = next((c for c in cols if c.key == name or search_key(c.header) == key), None)
        if match is None:
            raise InvalidValue(f"Không có cột '{name}' trong danh sách này.",
                               hint="Ghi --columns " + ",".join(c.key for c in cols[:3]) + " … ; các cột: "
                               + ", ".join(f"{c.key} ({c.header})" for c in cols) + ".")
        if match not in chosen:
            chosen.append(match)
    return chosen


def render_table(rows: Sequence[dict], columns: Sequence[ColumnSpec], *, width: int | None = None,
                 wide: bool = False, title: str | None = None, bold: bool = False) -> tuple[str, list[Col]]:
    """The table as text, and the columns left out to fit ``width`` (None: as wide as needed)."""
    lines, _, hidden = _render(rows, columns, width=width, wide=wide, title=title, bold=bold)
    return "\n".join(lines), hidden


def _render(rows: Sequence[dict], columns: Sequence[ColumnSpec], *, width: int | None, wide: bool,
            title: str | None, bold: bool) -> tuple[list[str], list[int], list[Col]]:
    """The table's lines, the number of lines of each row (after the title and header), the columns left out."""
    cols = [_col(c) for c in columns]
    values = [[_value(row, c) for c in cols] for row in rows]
    right = [bool(values) and all(isinstance(v[i], (int, float)) and not isinstance(v[i], bool)
                                  for v in values if v[i] is not None) and any(v[i] is not None for v in values)
             for i in range(len(cols))]
    texts = [[_one_line(_text(v)) for v in row] for row in values]
    headers = [c.header for c in cols]
    natural = [max([cell_width(headers[i])] + [cell_width(t[i]) for t in texts]) for i in range(len(cols))]
    cols = [Col(c.key, c.header, True, c.rank, c.codes, c.show, count=c.count) if c.auto and not c.wrap and natural[i] > 40
            and any(t[i].count(" ") >= 4 for t in texts) else c for i, c in enumerate(cols)]
    gap = 2

    keep = list(range(len(cols)))
    hidden: list[Col] = []

    def total(idx: list[int], widths: list[int]) -> int:
        return sum(widths[i] for i in idx) + gap * (len(idx) - 1)

    widths = natural[:]
    if width is not None and not wide:
        # Free text keeps at least 30 columns while less important columns can be left out; after that it may
        # fold down to its longest word. Other columns keep their width.
        floors, wanted = natural[:], natural[:]
        for i, col in enumerate(cols):
            if col.wrap:
                longest = max([cell_width(w) for t in texts for w in t[i].split(" ")] + [cell_width(headers[i])])
                floors[i] = min(max(12, min(longest, 40)), natural[i])
                wanted[i] = min(max(30, floors[i]), natural[i])
        # Leave out the least important columns first (highest rank, then the rightmost), never rank 0.
        order = sorted((i for i in keep if (cols[i].rank if cols[i].rank is not None else i) > 0),
                       key=lambda i: (cols[i].rank if cols[i].rank is not None else i, i), reverse=True)
        for i in order:
            if total(keep, wanted) <= width:
                break
            keep.remove(i)
            hidden.append(cols[i])
        # Fold the widest free text first, down to its floor; then elide the widest other cells.
        while total(keep, widths) > width:
            folding = [k for k in keep if cols[k].wrap and widths[k] > floors[k]]
            if not folding:
                break
            k = max(folding, key=lambda k: widths[k])
            widths[k] -= 1
        while total(keep, widths) > width:
            i = max(keep, key=lambda k: widths[k] - (1000 if cols[k].wrap else 0))
            floor = max(6, min(cell_width(headers[i]), 10))
            if widths[i] <= floor:
                break
            widths[i] -= 1
    shown = [i for i in keep]
    lines: list[str] = []
    if title:
        lines.append(_style(safe(title), "1", sys.stdout) if bold else safe(title))
    head = (" " * gap).join(_pad(_cut(headers[i], widths[i]), widths[i], right[i]) for i in shown)
    lines.append(_style(head.rstrip(), "1", sys.stdout) if bold else head.rstrip())
    lines.append((" " * gap).join("─" * widths[i] for i in shown))
    heights: list[int] = []
    for t in texts:
        cells = [(_fold(t[i], widths[i]) if cols[i].wrap and cell_width(t[i]) > widths[i] else [_cut(t[i], widths[i])])
                 for i in shown]
        height = max(len(c) for c in cells) if cells else 1
        heights.append(height)
        for k in range(height):
            parts = [_pad(c[k] if k < len(c) else "", widths[i], right[i]) for c, i in zip(cells, shown, strict=True)]
            lines.append((" " * gap).join(parts).rstrip())
    return lines, heights, hidden


def emit_table(rows: Sequence[dict], columns: Sequence[ColumnSpec], title: str | None = None, *,
               total: int | None = None) -> None:
    """A table of ``rows`` on stdout: one page in a terminal, then how many more and how to see them."""
    cols = _select([_col(c) for c in columns])
    page, by_lines = _page_size()
    count = len(rows) if total is None else total
    shown_rows = rows if page is None or len(rows) <= page else rows[:page]
    lines, heights, hidden = _render(shown_rows, cols, width=_width(), wide=VIEW.wide or bool(VIEW.columns),
                                     title=title, bold=_colour(sys.stdout))
    if by_lines and page is not None:  # rows of free text take several lines: keep whole rows that fit
        head = len(lines) - sum(heights)
        used, keep = head, 0
        for h in heights:
            if used + h > page and keep >= min(5, len(heights)):
                break
            used, keep = used + h, keep + 1
        lines, shown_rows = lines[:used], shown_rows[:keep]
        VIEW.screen_used += used + 3
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    if len(shown_rows) < count:
        info(f"Đang xem {number_vi(len(shown_rows))}/{number_vi(count)} dòng, còn {number_vi(count - len(shown_rows))} "
             "dòng nữa: thêm --all để xem hết, --limit N để xem N dòng, hoặc --format csv > tep.csv để lấy đủ.")
    if hidden:
        keys = ",".join([c.key for c in cols if c not in hidden][:3] + [hidden[-1].key])
        info("Ẩn cột cho vừa màn hình: " + ", ".join(f"{c.header} ({c.key})" for c in reversed(hidden))
             + f". Xem đủ: --wide; chọn cột, ví dụ: --columns {keys}")


def emit_rows(rows: Sequence[dict], columns: Sequence[ColumnSpec], fmt: Format | None = None, *,
              title: str | None = None, json_data: Any = None, csv_columns: Sequence[ColumnSpec] | None = None,
              empty: str = "(không có dòng nào)") -> None:
    """Render a list of records in the invocation's format. ``json_data`` replaces ``rows`` in JSON when the
    JSON shape differs; ``csv_columns`` when CSV carries other columns than the table."""
    fmt = _fmt(fmt)
    if fmt is Format.json:
        emit_json(rows if json_data is None else json_data)
    elif fmt is Format.csv:
        emit_csv(rows, csv_columns or columns)
    elif not rows:
        if title:
            sys.stdout.write(safe(title) + "\n")
        info(empty)
    else:
        emit_table(rows, columns, title)


def render_record(record: dict, labels: Sequence[ColumnSpec], *, width: int | None, title: str | None = None,
                  bold: bool = False) -> str:
    """One record as "label: value" lines; empty fields are left out, long values fold under themselves."""
    cols = [_col(c) for c in labels]
    pairs = [(c.header, _text(_value(record, c))) for c in cols]
    pairs = [(label, safe(value)) for label, value in pairs if value != ""]
    lines = [(_style(safe(title), "1", sys.stdout) if bold else safe(title))] if title else []
    if not pairs:
        return "\n".join(lines)
    label_w = max(cell_width(label) for label, _ in pairs)
    room = None if width is None else max(20, width - label_w - 2)
    for label, value in pairs:
        parts = []
        for para in value.split("\n"):
            parts += _fold(para, room) if room is not None and cell_width(para) > room else [para]
        lines.append(f"{_pad(label, label_w)}  {parts[0]}".rstrip())
        lines += [f"{' ' * label_w}  {p}".rstrip() for p in parts[1:]]
    return "\n".join(lines)


def emit_record(record: dict, labels: Sequence[ColumnSpec], fmt: Format | None = None, *,
                title: str | None = None, json_data: Any = None,
                csv_columns: Sequence[ColumnSpec] | None = None) -> None:
    """Render one record: "label: value" lines in a terminal, the record as JSON, or one CSV row."""
    fmt = _fmt(fmt)
    if fmt is Format.json:
        emit_json(record if json_data is None else json_data)
    elif fmt is Format.csv:
        emit_csv([record], csv_columns or labels)
    else:
        sys.stdout.write(render_record(record, labels, width=_width(), title=title, bold=_colour(sys.stdout)) + "\n")
        sys.stdout.flush()


def emit_tree(roots: Sequence[dict], label: Callable[[dict], str], *, title: str | None = None) -> None:
    """A tree of nodes (each with ``children``) drawn with box lines; ``label`` gives each node's text."""
    lines = [safe(title)] if title else []

    def walk(node: dict, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("└── " if last else "├── ")
        lines.append(prefix + branch + safe(label(node)))
        below = prefix + ("" if top else ("    " if last else "│   "))
        children = node.get("children") or []
        for k, child in enumerate(children):
            walk(child, below, k == len(children) - 1, False)

    for k, node in enumerate(roots):
        walk(node, "", k == len(roots) - 1, True)
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


def is_table(fmt: Format | None = None) -> bool:
    """True when the clerk reads the result (table format): for commands whose only output is a message."""
    return _fmt(fmt) is Format.table


def gap() -> None:
    """A blank line between the tables of one screen (reports summary)."""
    sys.stdout.write("\n")
    sys.stdout.flush()
