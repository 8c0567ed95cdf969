"""Parse one large worksheet in pieces, one per core: calamine parses a sheet on one thread, without the GIL.

A 100,000-row roster's sheet is about 110 MB of XML, and calamine spends 1.3 s parsing it on one core while the
other stays idle. :mod:`guard` inflates and scans that XML anyway before calamine may see it, so as it streams
by it is also written, uncompressed, into two (or more, with more cores) one-sheet workbooks that each hold a
run of consecutive ``<row>`` elements, the sheet's own head (without its ``<dimension>``, which would make each
piece reserve the whole sheet) and the parts calamine reads besides (workbook, relationships, styles, shared
strings). calamine parses the pieces side by side, from stored entries (no second inflating), and the grids are
joined by their absolute row and column numbers. Each piece is parsed as soon as guard has checked its last byte,
while guard goes on with the next one.

What the pieces give is the grid one parse of the whole sheet gives, or nothing:

- pieces are only made on guard's cheap path (every cell carries a reference inside the declared box) and for a
  sheet without comments, CDATA or processing instructions: then every ``<`` of the XML opens a tag, and a cut
  just before a ``<row `` tag is a cut between two rows, which parse alike in a piece and in the whole sheet;
- if any piece fails to parse, or two pieces' rows overlap (rows out of order in the file), the caller parses
  the whole sheet as before.

The pieces live in unnamed temporary files (``O_TMPFILE``: no name on disk, gone when closed, even if the
process is killed), which calamine opens through ``/proc/self/fd``; elsewhere than on Linux the sheet is parsed
whole. tests/test_excel_pieces.py compares the joined grids with whole parses on awkward layouts.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from concurrent.futures import Future

import python_calamine as pc

from dangvien_cli import threads
from dangvien_cli.memory import no_gc

#: a sheet whose XML is shorter is parsed whole: the pieces would cost more than they save
MIN_BYTES = 16 << 20
MAX_PIECES = 4
MAX_OTHER_BYTES = 64 << 20  # the other parts each piece copies (shared strings above all)
#: entries copied into each piece as they are (uncompressed): what calamine reads besides the worksheet
_SKIPPED_DIRS = ("xl/worksheets/", "xl/media/", "xl/embeddings/", "xl/drawings/", "xl/charts/",
                 "xl/printersettings/", "xl/pivotcache/", "xl/externallinks/")
_ROOT = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?<worksheet[\s>]")
_SHEET_DATA = b"<sheetData>"
_DIMENSION_TAG = re.compile(rb"<dimension\s[^>]*/>")
_ROW_START = re.compile(rb"<row[\s>]")
_TAIL = b"</sheetData></worksheet>"


def _others(zf: zipfile.ZipFile, part: str) -> list[zipfile.ZipInfo]:
    return [i for i in zf.infolist()
            if not i.is_dir() and i.filename != part
            and not i.filename.lower().startswith(_SKIPPED_DIRS) and not i.filename.lower().endswith(".bin")]


def count_for(zf: zipfile.ZipFile, part: str) -> int:
    """How many pieces the worksheet ``part`` is best parsed in (1: whole)."""
    if not os.path.isdir("/proc/self/fd") or zf.getinfo(part).file_size < MIN_BYTES:
        return 1
    if sum(i.file_size for i in _others(zf, part)) > MAX_OTHER_BYTES:  # each piece would copy them all
        return 1
    return min(threads.cores(), MAX_PIECES)


class Pieces:
    """The worksheet's XML as guard streams it (:meth:`feed`), written into ``count`` one-sheet workbooks.

    ``usable`` turns False (and stays so) as soon as the XML is not one that can be cut safely; the caller then
    drops the pieces (:meth:`close`) and parses the whole sheet."""

    def __init__(self, zf: zipfile.ZipFile, part: str, name: str, count: int):
        self._zf, self._part, self._name = zf, part, name
        size = zf.getinfo(part).file_size
        # Inflated offsets where a new piece may start: pieces of equal size (a smaller first piece, whose values
        # could be built while the others are parsed, measured no better).
        self._cuts = [size * k // count for k in range(1, count)]
        self._others = _others(zf, part)
        self._files: list = []
        # Each piece is parsed as soon as it is written: guard has then checked every byte of it, and goes on
        # checking the next piece meanwhile.
        self._pool = threads.pool(count, "sheet-piece")
        self._parsed: list[Future] = []
        self._book: zipfile.ZipFile | None = None
        self._entry = None
        self._head: bytes | None = None
        self._offset = 0
        self.usable = True

    # -- writing, as guard reads --------------------------------------------------------------------------------
    def feed(self, buf: bytes) -> None:
        """The next bytes of the worksheet (guard's chunks end just before a ``<``)."""
        if self.usable:
            try:
                self._feed(buf)
            except Exception:  # noqa: BLE001 - a full disk, an unreadable part: the pieces only ever save time
                self.drop()

    def end(self) -> None:
        """The worksheet's last bytes were fed: close the last piece."""
        if self.usable and self._book is not None:
            try:
                self._finish(closing=False)
            except Exception:  # noqa: BLE001 - as in feed
                self.drop()

    def _feed(self, buf: bytes) -> None:
        start = 0
        if self._head is None:
            at = buf.find(_SHEET_DATA)
            if at < 0 or not _ROOT.match(buf):
                self.drop()
                return
            start = at + len(_SHEET_DATA)
            self._head = _DIMENSION_TAG.sub(b"", buf[:start], count=1)
            self._open()
        while self._cuts and self._offset + len(buf) > self._cuts[0]:
            m = _ROW_START.search(buf, max(start, self._cuts[0] - self._offset))
            if m is None:
                break  # no row starts in the rest of this chunk: cut in the next one
            end = buf.find(b"</sheetData>", start, m.start())
            if end >= 0:  # the rows ended before the cut: no more pieces
                self._cuts.clear()
                break
            self._entry.write(buf[start:m.start()])
            self._finish(closing=True)
            self._cuts.pop(0)
            self._open()
            start = m.start()
        self._entry.write(buf[start:] if start else buf)
        self._offset += len(buf)

    def _open(self) -> None:
        f = tempfile.TemporaryFile()  # O_TMPFILE on Linux: never has a name
        self._files.append(f)
        book = zipfile.ZipFile(f, "w", zipfile.ZIP_STORED)
        for info in self._others:
            book.writestr(info.filename, self._zf.read(info))
        self._book = book
        self._entry = book.open(self._part, "w", force_zip64=True)
        self._entry.write(self._head)

    def _finish(self, *, closing: bool) -> None:
        if closing:
            self._entry.write(_TAIL)
        self._entry.close()
        self._book.close()
        self._files[-1].flush()
        self._book = self._entry = None
        self._parsed.append(self._pool.submit(_parse, f"/proc/self/fd/{self._files[-1].fileno()}", self._name))

    def drop(self) -> None:
        """Give up the pieces (the sheet will be parsed whole)."""
        self.usable = False
        self.close()

    def close(self) -> None:
        """Wait for the pieces still being parsed (a piece's file must outlive its parse), then drop them."""
        for fut in self._parsed:
            fut.cancel()
        self._pool.shutdown(wait=True)
        self._parsed = []
        if self._entry is not None:
            self._entry.close()
        if self._book is not None:
            self._book.close()
        self._book = self._entry = None
        for f in self._files:
            f.close()
        self._files = []

    # -- reading -----------------------------------------------------------------------------------------------
    def load(self) -> tuple[list[list], tuple[int, int], list] | None:
        """(grid, (start_row0, start_col0), merged ranges) of the sheet, joined from the pieces, as
        workbook._load_sheet gives them; None when a piece does not parse or the pieces overlap."""
        if not self.usable or len(self._parsed) < 2:
            return None
        got = []
        parsed, self._parsed = self._parsed, []
        while parsed:  # each piece's values are built while the later ones are still being parsed
            sheet = parsed.pop(0).result()  # the future let go: the piece's cells are freed once its values are built
            if sheet is None:
                self._parsed = parsed  # close() waits for them
                return None
            with no_gc():
                grid = sheet.to_python(skip_empty_area=True)
            got.append((grid, sheet.start if grid else None,
                        [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]))
            del sheet
        return _join(got)


def _parse(path: str, name: str) -> pc.CalamineSheet | None:
    try:
        return pc.CalamineWorkbook.from_path(path).get_sheet_by_name(name)
    except BaseException:  # noqa: BLE001 - any failure (a Rust panic included): the whole sheet is parsed instead
        return None


def _join(got: list[tuple[list[list], tuple[int, int] | None, list]]) -> tuple[list[list], tuple[int, int], list] | None:
    merged = list(dict.fromkeys(m for _, _, ms in got for m in ms))
    parts = [(grid, start) for grid, start, _ in got if grid]
    if not parts:
        return [], (0, 0), merged
    first_row = parts[0][1][0]
    first_col = min(c for _, (_, c) in parts)
    width = max(c + len(grid[0]) for grid, (_, c) in parts) - first_col
    out: list[list] = []
    for grid, (r, c) in parts:
        gap = r - (first_row + len(out))
        if gap < 0:
            return None  # rows out of order across a cut: only a whole parse places them
        out.extend([""] * width for _ in range(gap))
        left, right = c - first_col, width - (c - first_col) - len(grid[0])
        if left or right:
            pad_left, pad_right = [""] * left, [""] * right
            for row in grid:
                if left:
                    row[:0] = pad_left
                if right:
                    row.extend(pad_right)
        out.extend(grid)
    return out, (first_row, first_col), merged
