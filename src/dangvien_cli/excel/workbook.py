"""Open a workbook (.xlsx, .xlsm, .xls, .ods) and hand out its sheets as plain grids of values.

Fast path: python-calamine reads values only. A Unicode file never touches openpyxl or xlrd. Only when the file's
style table names a legacy Vietnamese font (``.VnTime``, ``VNI-Times``… domain.md §6.2) are the per-cell fonts
read (openpyxl read-only for .xlsx/.xlsm, xlrd ``formatting_info`` for .xls) and each text cell decoded by its
own font. Without font information (.ods, or text in ordinary fonts) the sheet's text statistics decide
(:func:`legacy.guess_encoding`).

Row numbers are the ones Excel shows: calamine skips leading empty rows and columns, so each sheet keeps the
Excel row number of its first grid row, and grid rows are padded on the left so that ``row[c]`` is Excel column
``c`` (0-based: A=0, B=1 …).

Hostile files (issue 12): :mod:`guard` checks an .xlsx/.xlsm container and each worksheet before calamine
parses it, so calamine can never be asked for more than ``guard.MAX_CELLS`` cells. A large worksheet is written
into pieces as guard checks it, and the pieces are parsed side by side on the machine's cores (:mod:`pieces`).
The other formats (.xls, .xlsb, .ods) are parsed entirely when opened, and cannot be scanned as cheaply, so
calamine reads them in a child process under a memory ceiling and a time limit: a reader that aborts or swells
takes only the child down, and the file is refused (exit 3).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

from dangvien_cli.errors import InputRejected
from dangvien_cli.excel import guard, legacy, pieces
from dangvien_cli.memory import no_gc

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
_SCANNED_SUFFIXES = (".xlsx", ".xlsm")  # the formats guard can check sheet by sheet before calamine parses
_OPEN_HINT = guard.OPEN_HINT
CHILD_TIMEOUT = 180  # seconds a child reader may take for one legacy or OpenDocument workbook


column_letter = guard.column_letters  # 0-based column index → Excel letters (0 → A, 27 → AB)


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


_reject = guard.refuse


def _is_panic(exc: BaseException) -> bool:
    """pyo3 turns a Rust panic in calamine into PanicException, which derives from BaseException."""
    return type(exc).__name__ == "PanicException"


def _load_sheet(book: pc.CalamineWorkbook, name: str) -> tuple[list[list], tuple[int, int], list]:
    """(grid, (start_row0, start_col0), merged ranges) of one sheet, as calamine gives them."""
    raw = book.get_sheet_by_name(name)
    with no_gc():
        grid = raw.to_python(skip_empty_area=True)
    start = raw.start if grid else (0, 0)
    merged = [(a[0], a[1], b[0], b[1]) for a, b in (raw.merged_cell_ranges or [])]
    return grid, start, merged


class Workbook:
    """An open workbook. Use :func:`open_workbook`; sheets are read on demand and cached."""

    def __init__(self, path: Path, book: pc.CalamineWorkbook | _ChildBook, parts: list[str] | None = None):
        self.path = path
        self._book = book
        self._parts = parts  # worksheet parts in workbook order (.xlsx/.xlsm), checked by guard before reading
        self._sheets: dict[str, SheetData] = {}
        self._legacy_fonts: bool | None = None

    @property
    def sheet_names(self) -> list[str]:
        """Visible worksheets, in workbook order (hidden lookup sheets are left out)."""
        if isinstance(self._book, _ChildBook):
            return list(self._book.visible) or list(self._book.sheet_names)
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
    def _check_sheet(self, name: str) -> pieces.Pieces | None:
        """Let guard look at the sheet's XML before calamine builds it (.xlsx/.xlsm only). A large sheet is
        written into pieces meanwhile (excel/pieces.py), returned when they can be used."""
        names = list(self._book.sheet_names)
        with zipfile.ZipFile(self.path) as zf:
            if self._parts is not None and len(self._parts) == len(names):
                part = self._parts[names.index(name)]
                count = pieces.count_for(zf, part)
                cut = pieces.Pieces(zf, part, name, count) if count > 1 else None
                try:
                    guard.check_sheet(self.path, zf, part, name, cut)
                except BaseException:
                    if cut is not None:
                        cut.close()
                    raise
                return cut if cut is not None and cut.usable else None
            # The workbook's own list could not be matched to its parts: check every worksheet part once.
            for part in [n for n in zf.namelist() if n.lower().startswith("xl/worksheets/") and n.endswith(".xml")]:
                guard.check_sheet(self.path, zf, part, name)
            self._parts = None

    def _read_sheet(self, name: str) -> SheetData:
        if isinstance(self._book, _ChildBook):
            grid, (start_row, start_col), merged = self._book.take(name, self.path)
        else:
            cut = self._check_sheet(name) if self.path.suffix.lower() in _SCANNED_SUFFIXES else None
            try:
                joined = None
                if cut is not None:
                    try:
                        joined = cut.load()
                    finally:
                        cut.close()
                grid, (start_row, start_col), merged = joined or _load_sheet(self._book, name)
            except Exception as exc:  # noqa: BLE001 - calamine raises its own and plain errors for corrupt sheets
                raise _reject(self.path, f"trang tính '{name}' bị hỏng ({type(exc).__name__}).") from None
            except BaseException as exc:
                if not _is_panic(exc):
                    raise
                raise _reject(self.path, f"trang tính '{name}' làm bộ đọc Excel dừng lỗi (tệp bị hỏng).") from None
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


# --- formats read in a child process ----------------------------------------------------------------------------
CHILD_MEMORY = 3 << 29  # 1.5 GiB of address space above what the child starts with


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as f:
            start = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (start + CHILD_MEMORY, start + CHILD_MEMORY))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux: the time limit still holds
        pass


def _far_cells(raw: pc.CalamineSheet) -> dict:
    """Where an over-large sheet's farthest cells are, and how far the rest goes (for a sheet already refused)."""
    (r0, c0), (r1, c1) = raw.start, raw.end
    right = bottom = ""
    table_row = 0
    table_col = -1
    for i, row in enumerate(raw.iter_rows()):
        if row.count("") == len(row):
            continue
        excel_row = r0 + i + 1
        last = len(row) - 1
        if row[last] != "" and not right:
            right = f"{guard.column_letters(c0 + last)}{excel_row}"
        if excel_row == r1 + 1:
            bottom = f"{guard.column_letters(c0 + next(c for c, v in enumerate(row) if v != ''))}{excel_row}"
            break
        table_row = excel_row
        while last >= 0 and (row[last] == "" or c0 + last == c1):
            last -= 1
        table_col = max(table_col, c0 + last)
    return {"first_row": r0 + 1, "last_col": c1, "last_row": r1 + 1, "right": right, "bottom": bottom,
            "table_col": table_col if table_col >= 0 else None, "table_row": table_row or None}


def _child_main(path: str, wanted: list[str] | None, conn) -> None:  # noqa: ANN001 - a multiprocessing Connection
    """In the child: open the workbook, read the wanted sheets (None: every visible worksheet), send them."""
    _limit_memory()
    try:
        book = pc.CalamineWorkbook.from_path(path)
        names = list(book.sheet_names)
        visible = [m.name for m in book.sheets_metadata
                   if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet]
        sheets: dict[str, tuple] = {}
        for name in (visible if wanted is None else wanted):
            try:
                raw = book.get_sheet_by_name(name)
                start = raw.start
                if start and (raw.end[0] - start[0] + 1) * (raw.end[1] + 1) > guard.MAX_CELLS:
                    sheets[name] = ("far", _far_cells(raw))
                    continue
                sheets[name] = ("ok", *_load_sheet(book, name))
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which refuses the file
                sheets[name] = ("error", type(exc).__name__)
        conn.send(("ok", names, visible, sheets))
    except pc.PasswordError:
        conn.send(("password",))
    except Exception as exc:  # noqa: BLE001
        conn.send(("error", type(exc).__name__))
    finally:
        conn.close()


def _run_child(path: Path, wanted: list[str] | None) -> tuple:
    import multiprocessing  # only for the formats read in a child

    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_main, args=(str(path), wanted, send), daemon=True)
    proc.start()
    send.close()
    message = None
    try:
        if not receive.poll(CHILD_TIMEOUT):
            raise _reject(path, f"đọc tệp quá {CHILD_TIMEOUT} giây mà chưa xong; tệp quá lớn hoặc bất thường.",
                          hint="Hãy lưu lại tệp dạng .xlsx (Excel › Save As › Excel Workbook) rồi nhập lại.")
        try:
            message = receive.recv()
        except (EOFError, OSError):
            message = None  # the child died before it could answer
    finally:
        receive.close()
        proc.join(5 if message is not None else 1)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if message is None:
        raise _reject(
            path,
            "bộ đọc Excel dừng đột ngột khi mở tệp (tệp hỏng, hoặc có vùng dữ liệu quá lớn, thường do một ô gõ "
            "nhầm rất xa ngoài bảng).",
            hint="Mở tệp bằng Excel hoặc LibreOffice, nhấn Ctrl+End để tới ô cuối cùng có dữ liệu, xóa các ô thừa "
                 "ngoài bảng, lưu lại dạng .xlsx rồi nhập lại.",
        )
    if message[0] == "password":
        raise _reject(path, "tệp được đặt mật khẩu.", hint="Hãy mở tệp bằng Excel, gỡ mật khẩu và lưu lại, rồi nhập lại.")
    if message[0] == "error":
        raise _reject(path, f"tệp không phải bảng tính hợp lệ hoặc bị hỏng ({message[1]}).")
    return message


class _ChildBook:
    """A .xls/.xlsb/.ods workbook that calamine read in a child process (see the module docstring)."""

    def __init__(self, path: Path):
        _, self.sheet_names, self.visible, self._sheets = _run_child(path, None)

    def take(self, name: str, path: Path) -> tuple[list[list], tuple[int, int], list]:
        if name not in self._sheets:
            self._sheets.update(_run_child(path, [name])[3])
        kind, *rest = self._sheets.pop(name)
        if kind == "far":
            raise guard.far_refusal(path, name, guard.Extent(**rest[0]))
        if kind == "error":
            raise _reject(path, f"trang tính '{name}' bị hỏng ({rest[0]}).")
        return rest[0], rest[1], rest[2]


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
    parts = None
    if suffix != ".xls":  # every other format is a zip container
        with guard.open_zip(path) as zf:
            if suffix in _SCANNED_SUFFIXES:
                parts = guard.sheet_parts(zf)
    if suffix not in _SCANNED_SUFFIXES:
        return Workbook(path, _ChildBook(path))
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
    except BaseException as exc:
        if not _is_panic(exc):
            raise
        raise _reject(path, "tệp làm bộ đọc Excel dừng lỗi (tệp bị hỏng).") from None
    return Workbook(path, book, parts)


def read_sheet(path: str | Path, sheet: str | None = None) -> SheetData:
    """Shortcut: open ``path`` and read one sheet (the first visible one by default)."""
    return open_workbook(path).sheet(sheet)
