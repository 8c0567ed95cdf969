"""Open a workbook (.xlsx, .xlsm, .xls, .ods) and hand out its sheets as plain grids of values.

Fast path: python-calamine reads values only. A Unicode file never touches openpyxl or xlrd. Only when the file's
style table names a legacy Vietnamese font (``.VnTime``, ``VNI-Times``… domain.md §6.2) are the per-cell fonts
read (openpyxl read-only for .xlsx/.xlsm, xlrd ``formatting_info`` for .xls) and each text cell decoded by its
own font. Without font information (.ods, or text in ordinary fonts) the sheet's text statistics decide
(:func:`legacy.guess_encoding`).

Row numbers are the ones Excel shows: calamine skips leading empty rows and columns, so each sheet keeps the
Excel row number of its first grid row, and grid rows are padded on the left so that ``row[c]`` is Excel column
``c`` (0-based: A=0, B=1 …).
"""

from __future__ import annotations

import gc
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

from dangvien_cli.errors import InputRejected
from dangvien_cli.excel import legacy

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
_OPEN_HINT = "Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx, rồi nhập lại."


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class SheetData:
    """One sheet's values.

    ``grid[i][c]`` is the value of Excel row ``first_row + i``, column ``c`` (0-based, A=0), as calamine gives it:
    ``str`` (``''`` for an empty cell), ``float`` or ``int``, ``bool``, ``date``/``datetime``/``time``.
    Legacy-encoded text is already decoded to Unicode NFC. ``merged`` lists merged ranges as 0-based inclusive
    ``(row0, col0, row1, col1)`` in absolute coordinates (Excel row = row0 + 1).
    """

    name: str
    grid: list[list]
    first_row: int = 1
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    encoding: str = legacy.UNICODE
    width: int = 0

    def excel_row(self, index: int) -> int:
        return self.first_row + index

    def iter_rows(self) -> Iterator[tuple[int, list]]:
        """(Excel row number, values) with ``None`` for empty cells; every row starts at column A."""
        first = self.first_row
        for i, row in enumerate(self.grid):
            yield first + i, [None if v == "" else v for v in row]

    def merged_starts(self) -> dict[tuple[int, int], tuple[int, int]]:
        """{(excel_row, col): (row_span, col_span)} for each merged range's first cell."""
        return {(r0 + 1, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in self.merged}


@contextmanager
def no_gc():
    """Pause the cyclic garbage collector while building millions of cell objects.

    None of them form cycles, yet each collection walks the whole grid; for a 100,000-row roster that is
    about 2.5 s of 7. The previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _reject(path: Path, why: str, hint: str = _OPEN_HINT) -> InputRejected:
    return InputRejected(f"Không đọc được tệp '{path.name}': {why}", hint=hint)


class Workbook:
    """An open workbook. Use :func:`open_workbook`; sheets are read on demand and cached."""

    def __init__(self, path: Path, book: pc.CalamineWorkbook):
        self.path = path
        self._book = book
        self._sheets: dict[str, SheetData] = {}
        self._legacy_fonts: bool | None = None

    @property
    def sheet_names(self) -> list[str]:
        """Visible worksheets, in workbook order (hidden lookup sheets are left out)."""
        names = []
        for meta in self._book.sheets_metadata:
            if meta.visible != pc.SheetVisibleEnum.Visible or meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            names.append(meta.name)
        return names or list(self._book.sheet_names)

    def sheet(self, name: str | None = None) -> SheetData:
        """The sheet called ``name`` (matched exactly, then ignoring case and spaces), or the first one."""
        if name is None:
            name = self.sheet_names[0]
        elif name not in self._book.sheet_names:
            wanted = " ".join(name.split()).casefold()
            matches = [n for n in self._book.sheet_names if " ".join(n.split()).casefold() == wanted]
            if not matches:
                listed = ", ".join(f"'{n}'" for n in self.sheet_names)
                raise InputRejected(
                    f"Tệp '{self.path.name}' không có trang tính '{name}'.",
                    hint=f"Các trang tính có trong tệp: {listed}.",
                )
            name = matches[0]
        if name not in self._sheets:
            self._sheets[name] = self._read_sheet(name)
        return self._sheets[name]

    # -- reading ---------------------------------------------------------------------------------------------
    def _read_sheet(self, name: str) -> SheetData:
        try:
            raw = self._book.get_sheet_by_name(name)
            with no_gc():
                grid = raw.to_python(skip_empty_area=True)
            start_row, start_col = raw.start if grid else (0, 0)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (raw.merged_cell_ranges or [])]
        except pc.CalamineError as exc:  # pragma: no cover - corrupt sheet inside a readable file
            raise _reject(self.path, f"trang tính '{name}' bị hỏng ({exc}).") from None
        if start_col:
            pad = [""] * start_col
            for row in grid:
                row[:0] = pad
        width = len(grid[0]) if grid else 0
        sheet = SheetData(name=name, grid=grid, first_row=start_row + 1, merged=merged, width=width)
        self._decode_legacy(sheet)
        return sheet

    def _decode_legacy(self, sheet: SheetData) -> None:
        if self.has_legacy_fonts():
            fonts = self._cell_encodings(sheet.name)
            if fonts:
                sheet.encoding = _apply_fonts(sheet, fonts)
                return
        guessed = legacy.guess_encoding(_texts(sheet.grid))
        if guessed != legacy.UNICODE:
            _decode_all(sheet.grid, guessed)
        sheet.encoding = guessed

    def has_legacy_fonts(self) -> bool:
        """Cheap check: does the file's style table name a TCVN3 or VNI font at all?"""
        if self._legacy_fonts is None:
            self._legacy_fonts = _style_names_legacy_font(self.path)
        return self._legacy_fonts

    def _cell_encodings(self, sheet_name: str) -> dict[tuple[int, int], str]:
        """{(excel_row, col0): encoding} for text cells whose font is a legacy one."""
        suffix = self.path.suffix.lower()
        try:
            if suffix in (".xlsx", ".xlsm"):
                return _xlsx_cell_encodings(self.path, sheet_name)
            if suffix == ".xls":
                return _xls_cell_encodings(self.path, sheet_name)
        except Exception:  # noqa: BLE001 - font reading is a best effort; statistics take over
            return {}
        return {}


def _texts(grid: list[list]) -> Iterator[str]:
    for row in grid:
        for v in row:
            if v.__class__ is str and v:
                yield v


def _decode_all(grid: list[list], encoding: str) -> None:
    decode = legacy.decode
    for row in grid:
        for c, v in enumerate(row):
            if v.__class__ is str and v and not v.isascii():
                row[c] = decode(v, encoding)


def _apply_fonts(sheet: SheetData, fonts: dict[tuple[int, int], str]) -> str:
    counts = {legacy.TCVN3: 0, legacy.VNI: 0}
    first = sheet.first_row
    grid = sheet.grid
    for (excel_row, col), enc in fonts.items():
        i = excel_row - first
        if not (0 <= i < len(grid)) or col >= len(grid[i]):
            continue
        v = grid[i][col]
        if v.__class__ is str and v:
            grid[i][col] = legacy.decode(v, enc)
            if not v.isascii():
                counts[legacy.VNI if enc == legacy.VNI else legacy.TCVN3] += 1
    if not any(counts.values()):
        return legacy.UNICODE
    return max(counts, key=counts.get)


def _style_names_legacy_font(path: Path) -> bool:
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as zf:
                styles = zf.read("xl/styles.xml").lower()
            return b'val=".vn' in styles or b'val="vni' in styles
        if suffix == ".xls":
            data = path.read_bytes()
            return any(
                pat in data
                for pat in (b".Vn", b".VN", b".\x00V\x00n\x00", b".\x00V\x00N\x00", b"VNI-", b"V\x00N\x00I\x00-\x00")
            )
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return False


def _xlsx_cell_encodings(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    import openpyxl  # only for legacy files

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[sheet_name]
        out: dict[tuple[int, int], str] = {}
        cache: dict[str | None, str | None] = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value.__class__ is not str:
                    continue
                name = cell.font.name if cell.font is not None else None
                if name not in cache:
                    cache[name] = legacy.encoding_of_font(name)
                enc = cache[name]
                if enc:
                    out[(cell.row, cell.column - 1)] = enc
        return out
    finally:
        wb.close()


def _xls_cell_encodings(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    import xlrd  # only for legacy files

    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        sh = book.sheet_by_name(sheet_name)
        font_enc = [legacy.encoding_of_font(f.name) for f in book.font_list]
        xf_enc = [font_enc[xf.font_index] if xf.font_index < len(font_enc) else None for xf in book.xf_list]
        out: dict[tuple[int, int], str] = {}
        for r in range(sh.nrows):
            types = sh.row_types(r)
            for c, t in enumerate(types):
                if t != xlrd.XL_CELL_TEXT:
                    continue
                enc = xf_enc[sh.cell_xf_index(r, c)]
                if enc:
                    out[(r + 1, c)] = enc
        return out
    finally:
        book.release_resources()


def open_workbook(path: str | Path) -> Workbook:
    """Open ``path`` or raise :class:`InputRejected` with a Vietnamese message saying what to do."""
    path = Path(path)
    if not path.exists():
        raise _reject(path, "không tìm thấy tệp.", hint="Kiểm tra lại đường dẫn và tên tệp.")
    if path.is_dir():
        raise _reject(path, "đây là một thư mục, không phải tệp Excel.", hint="Hãy chỉ ra tệp .xlsx hoặc .xls.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise _reject(
            path,
            f"định dạng '{suffix or 'không có đuôi'}' không được hỗ trợ (chỉ đọc .xlsx, .xlsm, .xls, .ods).",
        )
    try:
        head = path.open("rb").read(512)
    except OSError as exc:
        raise _reject(path, f"không mở được tệp ({exc.strerror}).", hint="Kiểm tra quyền đọc tệp.") from None
    if not head:
        raise _reject(path, "tệp rỗng.")
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<html", b"<!doctype", b"<?xml", b"<table", b"mime-version")):
        raise _reject(
            path,
            "tệp là trang HTML/XML mang đuôi Excel (thường do phần mềm khác xuất ra), không phải bảng tính thật.",
        )
    if head.startswith(b"\xd0\xcf\x11\xe0") and suffix in (".xlsx", ".xlsm"):
        raise _reject(
            path,
            "tệp được đặt mật khẩu (hoặc là tệp .xls đổi đuôi).",
            hint="Hãy mở tệp bằng Excel, gỡ mật khẩu (File › Info › Protect Workbook) và lưu lại dạng .xlsx.",
        )
    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise _reject(
            path, "tệp được đặt mật khẩu.", hint="Hãy mở tệp bằng Excel, gỡ mật khẩu và lưu lại, rồi nhập lại."
        ) from None
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as exc:
        raise _reject(path, f"tệp không phải bảng tính hợp lệ hoặc bị hỏng ({type(exc).__name__}).") from None
    except Exception as exc:  # noqa: BLE001 - calamine raises plain errors for some corrupt files
        raise _reject(path, f"tệp không phải bảng tính hợp lệ hoặc bị hỏng ({exc}).") from None
    return Workbook(path, book)


def read_sheet(path: str | Path, sheet: str | None = None) -> SheetData:
    """Shortcut: open ``path`` and read one sheet (the first visible one by default)."""
    return open_workbook(path).sheet(sheet)
