"""Refuse hostile or absurd workbooks before the Excel reader parses them (issue 12, "hostile files").

python-calamine builds each sheet as one dense block spanning every cell that holds a value: one stray value at
XFD1048576 next to A1 asks for 17 billion cells and aborts the whole process (a Rust allocation failure cannot
be caught); one at column ALL of a 100,000-row roster takes 4 GB. A zip bomb makes it inflate gigabytes. So,
before calamine sees a file:

- the zip's central directory is checked: number of parts, uncompressed sizes, compression ratios;
- every XML part calamine will read is inflated here first, through :mod:`zipfile`, which stops at the size the
  directory declares and checks the CRC (a part that lies about its size is refused), refusing DTDs (XXE,
  billion laughs) and text runs longer than an Excel cell can hold;
- each worksheet is scanned as it streams by. The cheap common case: the sheet declares its ``<dimension>``,
  the box is within :data:`MAX_CELLS`, and one regular expression confirms that every ``<c>`` element carries an
  ``r="…"`` inside that box — then calamine cannot build more than the box. Anything else (no dimension, a box
  over the limit, a cell outside it or without a reference) takes the careful path: every cell tag is read and
  the real extent of the cells that hold values is measured; beyond the limit the file is refused naming the
  farthest cells. On the cheap path a large sheet's checked bytes are also written into pieces that calamine
  parses side by side (:mod:`pieces`).

Legacy ``.xls``, ``.xlsb`` and ``.ods`` sheets cannot be scanned this cheaply; :mod:`workbook` reads them in a
child process with a memory ceiling, so a reader that aborts takes only the child down.
"""

from __future__ import annotations

import html
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import wait
from dataclasses import dataclass
from pathlib import Path

from dangvien_cli import threads
from dangvien_cli.errors import InputRejected

MAX_CELLS = 6_000_000  # rows × columns of one sheet: a 300,000-member roster of 20 columns, 100,000 of 60
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_PART_BYTES = 512 << 20  # one uncompressed part (a 100,000-row roster sheet is about 110 MB)
MAX_TOTAL_BYTES = 1 << 30  # all parts together
MAX_RATIO = 100  # honest spreadsheet XML compresses 5-20×; a zip bomb hundreds of times
RATIO_FLOOR = 8 << 20  # small parts may compress as well as they like
MAX_PARTS = 10_000
MAX_DIRECTORY_BYTES = 16 << 20
CHUNK = 4 << 20

OPEN_HINT = "Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx, rồi nhập lại."
FAR_HINT = (
    "Thường đó là một ô gõ nhầm hay dán nhầm xa ngoài bảng. Mở tệp bằng Excel, nhấn Ctrl+End để tới ô cuối "
    "cùng có dữ liệu, xóa ô đó (hoặc xóa các cột thừa bên phải bảng và các dòng thừa bên dưới bảng), lưu lại "
    "rồi nhập lại."
)
# Parts calamine reads besides the worksheets (the worksheets are checked as they are read).
_READ_PARTS = ("[content_types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedstrings.xml",
               "xl/styles.xml", "content.xml", "styles.xml", "meta.xml", "settings.xml")

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_PREFIXED_CELL = re.compile(rb":c[\s>/]")
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s+ref="(?:[A-Z]{1,3}\d{1,7}:)?([A-Z]{1,3})(\d{1,7})"')
_TAG = re.compile(rb"<(?:[\w.-]+:)?(c|row)(?=[\s>/])([^>]*)>")
_REF = re.compile(rb"""(?<![\w:.-])r\s*=\s*["']([A-Za-z]{0,3})(\d{0,7})["']""")


def refuse(path: Path, why: str, hint: str = OPEN_HINT) -> InputRejected:
    return InputRejected(f"Không đọc được tệp '{path.name}': {why}", hint=hint)


def _n(number: int) -> str:
    """Vietnamese thousands separators: 6000000 → '6.000.000'."""
    return f"{number:,}".replace(",", ".")


def _mib(size: int) -> str:
    if size < 1 << 20:
        return f"{_n(max(1, round(size / 1024)))} KB"
    return f"{_n(round(size / (1 << 20)))} MB"


def column_index(letters: str) -> int:
    """Excel letters → 0-based column index (A → 0, AB → 27)."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def column_letters(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- the zip container --------------------------------------------------------------------------------------------


def _check_directory_record(path: Path) -> None:
    """Read the end-of-central-directory record ourselves, before :mod:`zipfile` builds one object per part."""
    with path.open("rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - (1 << 16) - 22))
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise refuse(path, "tệp không phải bảng tính hợp lệ, bị hỏng hoặc bị cắt cụt (thiếu mục lục của tệp nén).")
    _, _, _, parts, directory_size, _ = struct.unpack("<HHHHII", tail[at + 4:at + 20])
    if parts == 0xFFFF or directory_size == 0xFFFFFFFF or b"PK\x06\x07" in tail[max(0, at - 20):at]:
        raise refuse(path, "tệp nén dạng ZIP64 (trên 4 GB hoặc trên 65.535 phần): quá lớn cho một danh sách.")
    if parts > MAX_PARTS or directory_size > MAX_DIRECTORY_BYTES:
        raise refuse(path, f"tệp nén gồm {_n(parts)} phần, bất thường với một bảng tính (tối đa {_n(MAX_PARTS)}).")


def open_zip(path: Path) -> zipfile.ZipFile:
    """The container of an .xlsx/.xlsm/.ods file, its directory checked and its small parts verified."""
    _check_directory_record(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise refuse(path, "tệp không phải bảng tính hợp lệ hoặc bị hỏng.") from None
    try:
        total = 0
        for info in zf.infolist():
            size, packed = info.file_size, info.compress_size
            total += size
            if size > RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
                raise refuse(
                    path,
                    f"phần '{info.filename}' nén {_n(size // max(packed, 1))} lần ({_mib(packed)} thành "
                    f"{_mib(size)}): đây là dấu hiệu của một 'bom nén' (tệp cố ý làm treo máy), hoặc của hàng "
                    "triệu dòng trống được định dạng.",
                    hint="Không mở tệp nếu không rõ nguồn gốc. Nếu là tệp của mình: xóa các dòng, cột trống "
                         "thừa bên dưới và bên phải bảng, lưu lại rồi nhập lại.",
                )
            if size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES:
                raise refuse(
                    path,
                    f"khi giải nén, phần '{info.filename}' dài {_mib(size)} (tổng {_mib(total)}): quá lớn "
                    f"(tối đa {_mib(MAX_PART_BYTES)} mỗi phần, {_mib(MAX_TOTAL_BYTES)} cả tệp).",
                    hint="Hãy chia danh sách thành nhiều tệp nhỏ hơn, hoặc xóa các dòng, cột trống thừa rồi lưu lại.",
                )
        for info in zf.infolist():
            if info.filename.lower() in _READ_PARTS:
                for _ in _chunks(path, zf, info.filename):
                    pass
    except BaseException:
        zf.close()
        raise
    return zf


def _inflated(f) -> Iterator[bytes]:  # noqa: ANN001 - a zipfile.ZipExtFile
    """``f``'s bytes, CHUNK at a time, then b"" once. The next chunk is inflated in a thread while the caller
    scans this one: zlib (and the CRC) release the GIL, so on two cores the inflating costs almost no wall time.
    Nothing of the part reaches the caller before it is read, and an error of the read (a bad CRC, a corrupt
    stream) is raised here, in order, as a plain read would raise it. On one core the thread would only cost
    (measured: +0.06 s CPU for the 109 MB sheet of a 100,000-row roster, -0.05 s wall with a second core free)."""
    if threads.cores() < 2:
        while data := f.read(CHUNK):
            yield data
        yield b""
        return
    with threads.pool(1, "guard-inflate") as pool:
        ahead = pool.submit(f.read, CHUNK)
        try:
            while data := ahead.result():
                ahead = pool.submit(f.read, CHUNK)
                yield data
        finally:
            ahead.cancel()
            wait([ahead])  # the file is closed after us: never while the thread still reads it
    yield b""


def _chunks(path: Path, zf: zipfile.ZipFile, part: str):
    """The part's bytes in pieces that end just before a '<', refusing DTDs and over-long text runs."""
    carry = b""
    first = True
    try:
        with zf.open(part) as f:
            for data in _inflated(f):
                buf = carry + data if carry else data
                if not data:
                    if buf:
                        _check_text(path, part, buf)
                        yield buf
                    return
                if first:
                    first = False
                    if _DTD.search(buf):
                        raise refuse(
                            path,
                            f"phần '{part}' khai báo DTD/ENTITY, điều không bảng tính nào cần (dấu hiệu của tệp "
                            "độc hại kiểu XXE hay 'billion laughs').",
                            hint="Không mở tệp nếu không rõ nguồn gốc; hãy xin lại tệp gốc.",
                        )
                cut = buf.rfind(b"<")
                if cut <= 0:
                    if len(buf) > 16 * MAX_CELL_CHARS:  # no tag at all in half a megabyte: one gigantic text
                        raise _too_long(path, part, buf, 0, len(buf), exact=False)
                    carry = buf
                    continue
                carry = buf[cut:]
                buf = buf[:cut]
                _check_text(path, part, buf)
                yield buf
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise refuse(path, f"phần '{part}' của tệp bị hỏng ({type(exc).__name__}: {exc}).") from None


# A text longer than MAX_CELL_CHARS characters is more than MAX_CELL_CHARS bytes without a '<', so it covers one
# whole window of this size at a multiple of it: one bytes.find per window finds it, instead of a regular
# expression trying every '>' of the part.
_WINDOW = MAX_CELL_CHARS // 2 + 1


def _check_text(path: Path, part: str, buf: bytes) -> None:
    find = buf.find
    size = len(buf)
    k = 0
    while k + _WINDOW <= size:
        if find(b"<", k, k + _WINDOW) >= 0:
            k += _WINDOW
            continue
        tag = buf.rfind(b"<", 0, k)
        start = find(b">", tag, k) + 1 if tag >= 0 else 0
        end = find(b"<", k + _WINDOW)
        end = size if end < 0 else end
        if len(html.unescape(buf[start:end].decode("utf-8", "replace"))) > MAX_CELL_CHARS:
            raise _too_long(path, part, buf, start, end)
        k = end - end % _WINDOW + _WINDOW


def _too_long(path: Path, part: str, buf: bytes, start: int, end: int, exact: bool = True) -> InputRejected:
    chars = len(html.unescape(buf[start:end].decode("utf-8", "replace")))
    length = f"dài {_n(chars)} ký tự" if exact else f"dài hơn {_n(chars)} ký tự"
    tag = buf.rfind(b"<c ", 0, start)
    cell = _REF.search(buf, tag, start) if tag >= 0 else None
    where = f"ô {cell.group(1).decode()}{cell.group(2).decode()}" if cell and cell.group(1) else "một ô chữ"
    if part.lower().endswith("sharedstrings.xml"):
        where = "một ô chữ (trong bảng chữ dùng chung của tệp)"
    return refuse(
        path,
        f"{where} {length}, quá giới hạn {_n(MAX_CELL_CHARS)} ký tự của một ô Excel.",
        hint="Không phải danh sách thật nào cần ô dài như vậy: mở tệp, tìm ô có đoạn chữ rất dài (thường do dán "
             "nhầm), rút gọn hay xóa nó, lưu lại rồi nhập lại.",
    )


# --- worksheet parts ----------------------------------------------------------------------------------------------


def sheet_parts(zf: zipfile.ZipFile) -> list[str]:
    """Worksheet part names in workbook order (the order calamine lists the sheets in)."""
    names = {n.lower(): n for n in zf.namelist()}
    try:
        book = zf.read(names.get("xl/workbook.xml", "xl/workbook.xml"))
        rels = zf.read(names.get("xl/_rels/workbook.xml.rels", "xl/_rels/workbook.xml.rels"))
    except KeyError:
        return []
    targets = {}
    for m in re.finditer(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>", rels):
        attrs = m.group(1)
        rid = re.search(rb'\bId="([^"]*)"', attrs)
        target = re.search(rb'\bTarget="([^"]*)"', attrs)
        if rid and target:
            t = html.unescape(target.group(1).decode("utf-8", "replace"))
            t = t.lstrip("/") if t.startswith("/") else "xl/" + t
            targets[rid.group(1)] = _normpath(t)
    parts = []
    for m in re.finditer(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>", book):
        rid = re.search(rb'(?<![\w.-])(?:[\w.-]+:)?id="([^"]*)"', m.group(1))
        target = targets.get(rid.group(1)) if rid else None
        if target and target.lower() in names:
            parts.append(names[target.lower()])
    return parts


def _normpath(p: str) -> str:
    out: list[str] = []
    for piece in p.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)


@dataclass
class Extent:
    """Where a sheet's cells holding values are (1-based rows, 0-based columns)."""

    first_row: int = 0  # 0 = no value cell yet
    last_row: int = 0
    last_col: int = -1
    right: str = ""  # reference of the cell farthest to the right
    bottom: str = ""  # reference of the lowest cell
    table_col: int | None = None  # the farthest column before ``right`` was met (None: not known)
    table_row: int | None = None  # the lowest row before ``bottom`` was met

    def cells(self) -> int:
        return 0 if not self.first_row else (self.last_row - self.first_row + 1) * (self.last_col + 1)


def check_sheet(path: Path, zf: zipfile.ZipFile, part: str, sheet: str, pieces=None) -> None:  # noqa: ANN001
    """Refuse the worksheet ``part`` (shown as ``sheet``) if calamine would build more than MAX_CELLS cells.

    ``pieces`` (an excel.pieces.Pieces) is fed the sheet's bytes once they are checked, on the cheap path only;
    it is dropped when the careful path is taken or the XML holds a comment, CDATA or a processing instruction."""
    fast = None
    interval = sys.getswitchinterval()
    # The next chunk is inflated in a thread (_inflated) while this one is scanned in short searches; a short
    # switch interval lets that thread take the GIL back between two of them instead of 5 ms later.
    sys.setswitchinterval(min(interval, _SWITCH))
    try:
        for i, buf in enumerate(_chunks(path, zf, part)):
            if i == 0:
                fast = _inside_box(buf)
                if fast is None:
                    break
            if _found(fast, buf) or _has_prefixed_cell(buf):
                fast = None
                break
            if pieces is not None:
                if pieces.usable and _has_markup(buf, _past_declaration(buf) if i == 0 else 0):
                    pieces.drop()  # not a sheet to cut (excel/pieces.py); the cells are checked all the same
                pieces.feed(buf)
    finally:
        sys.setswitchinterval(interval)
    if fast is not None:
        if pieces is not None:
            pieces.end()
        return
    if pieces is not None:
        pieces.drop()
    extent = _measure(path, zf, part)
    if extent.cells() > MAX_CELLS:
        raise far_refusal(path, sheet, extent)


_SWITCH = 1e-4  # seconds
_SPAN = 1 << 16  # bytes searched by one call: ~0.1 ms
_REACH = 64  # the longest match of the cell patterns is shorter: a match starting in a span is seen whole


def _found(pattern: re.Pattern, buf: bytes, start: int = 0) -> bool:
    """``pattern.search(buf, start)``, in spans of _SPAN bytes (each call holds the GIL; see check_sheet)."""
    search = pattern.search
    for k in range(start, len(buf), _SPAN):
        m = search(buf, k, k + _SPAN + _REACH)
        if m and m.start() < k + _SPAN:  # one starting further is seen (whole) by the next span
            return True
    return False


def _past_declaration(buf: bytes) -> int:
    """Where the part's content starts: after a byte-order mark and the XML declaration ``<?xml … ?>``."""
    start = 3 if buf.startswith(b"\xef\xbb\xbf") else 0
    if buf.startswith(b"<?xml", start):
        end = buf.find(b"?>", start)
        return end + 2 if end >= 0 else start
    return start


def _at_some(buf: bytes, mark: bytes, start: int, here: Callable[[int], object],
             rest: Callable[[int], bool]) -> bool:
    """Whether ``here(k)`` holds at some place ``k`` of the byte ``mark`` in ``buf`` from ``start``. The marks
    looked for are rare in a sheet, and finding one is a memchr: each is looked at where it is; past a few
    dozen, ``rest(k)`` searches the remainder from the next one at once."""
    find = buf.find
    k = find(mark, start)
    for _ in range(64):
        if k < 0:
            return False
        if here(k):
            return True
        k = find(mark, k + 1)
    return k >= 0 and rest(k)


def _has_markup(buf: bytes, start: int) -> bool:
    """A comment, CDATA section or processing instruction (``<!``, ``<?``) in ``buf`` from ``start`` (past the
    XML declaration): a ``!`` or ``?`` right after a ``<`` (searching for the two bytes would stop at every
    ``<``)."""
    return any(_at_some(buf, mark, max(start, 1), lambda k: buf[k - 1] == 0x3C,
                        lambda k, tag=b"<" + mark: buf.find(tag, k - 1) >= 0) for mark in (b"!", b"?"))


def _has_prefixed_cell(buf: bytes) -> bool:
    """A namespace-prefixed cell tag (``<x:c``) anywhere in ``buf``: the fast check cannot vouch for those. A
    sheet holds few colons (its namespace declarations)."""
    return _at_some(buf, b":", 0, lambda k: _PREFIXED_CELL.match(buf, k),
                    lambda k: _found(_PREFIXED_CELL, buf, k))


def far_refusal(path: Path, sheet: str, ext: Extent) -> InputRejected:
    """The refusal of a sheet whose cells spread over more than MAX_CELLS: the stray cell that causes it, when
    one cell lies far from all the others, else the sheet's size."""
    height = ext.last_row - ext.first_row + 1
    width = ext.last_col + 1
    far_right = (ext.table_col is not None and width > 2 * (ext.table_col + 1)
                 and height * (ext.table_col + 1) <= MAX_CELLS)
    far_down = (ext.table_row is not None and ext.last_row > 2 * ext.table_row
                and (ext.table_row - ext.first_row + 1) * width <= MAX_CELLS)
    if far_right or far_down:
        if ext.right == ext.bottom or (far_right and far_down):
            cells = ext.right if ext.right == ext.bottom else f"{ext.right} và {ext.bottom}"
            rest = f"cột {column_letters(ext.table_col or 0)}, dòng {_n(ext.table_row or 1)}"
        elif far_right:
            cells, rest = ext.right, f"cột {column_letters(ext.table_col)}"
        else:
            cells, rest = ext.bottom, f"dòng {_n(ext.table_row)}"
        return refuse(
            path,
            f"trang tính '{sheet}' có giá trị ở ô {cells}, nằm xa ngoài bảng (các ô khác chỉ tới {rest}); vì "
            f"ô đó, vùng phải đọc vượt quá {_n(MAX_CELLS)} ô.",
            hint=FAR_HINT,
        )
    return refuse(
        path,
        f"trang tính '{sheet}' quá lớn: dữ liệu trải ít nhất tới cột {column_letters(ext.last_col)} và dòng "
        f"{_n(ext.last_row)} ({_n(ext.cells())} ô, quá giới hạn {_n(MAX_CELLS)} ô). Ô xa nhất bên phải: "
        f"{ext.right or '?'}; ô thấp nhất: {ext.bottom or '?'}.",
        hint="Nếu bảng thật sự lớn như vậy, hãy chia thành nhiều tệp. Nếu không, có thể có ô gõ nhầm ngoài bảng: "
             "nhấn Ctrl+End trong Excel để tới ô cuối cùng có dữ liệu, xóa các ô thừa, lưu lại rồi nhập lại.",
    )


def _inside_box(head: bytes) -> re.Pattern | None:
    """A pattern that finds any ``<c`` not carrying a reference inside the declared dimension, or None when the
    sheet declares none or a box over the limit (the careful path then measures)."""
    sheet_data = head.find(b"sheetData")
    m = _DIMENSION.search(head, 0, sheet_data if sheet_data > 0 else len(head))
    if not m:
        return None
    letters, row = m.group(1).decode(), m.group(2).decode()
    if int(row) * (column_index(letters) + 1) > MAX_CELLS:
        return None
    ref = _at_most(letters, "A", "Z", "[A-Z]") + _at_most(row, "0", "9", r"\d")
    return re.compile(rb'<c(?! r="(?:' + ref.encode() + rb')")[\s>/]')


def _at_most(limit: str, lo: str, hi: str, any_: str) -> str:
    """Regex for strings of ``any_`` characters that are ≤ ``limit`` (shorter, or as long and not greater)."""
    n = len(limit)
    alts = [f"{any_}{{1,{n - 1}}}"] if n > 1 else []
    for i, ch in enumerate(limit):
        if ch > lo:
            below = f"[{lo}-{chr(ord(ch) - 1)}]" if ord(ch) - 1 > ord(lo) else lo
            alts.append(re.escape(limit[:i]) + below + (f"{any_}{{{n - i - 1}}}" if n - i - 1 else ""))
    alts.append(re.escape(limit))
    return "(?:" + "|".join(alts) + ")"


def _measure(path: Path, zf: zipfile.ZipFile, part: str) -> Extent:
    """Where the cells holding values really are, reading every cell tag (stops once over the limit)."""
    ext = Extent()
    row = 0
    col = -1
    for buf in _chunks(path, zf, part):
        for m in _TAG.finditer(buf):
            name, attrs = m.group(1), m.group(2)
            ref = _REF.search(attrs)
            if name == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = -1
                continue
            r = row
            if ref and (ref.group(1) or ref.group(2)):
                if ref.group(1):
                    col = column_index(ref.group(1).decode())
                else:
                    col += 1
                if ref.group(2):
                    r = int(ref.group(2))
            else:
                col += 1
            if attrs.endswith(b"/"):
                continue  # a formatted cell without a value: calamine leaves it out
            here = f"{column_letters(col)}{r}"
            if not ext.first_row or r < ext.first_row:
                ext.first_row = r
            if r > ext.last_row:
                ext.table_row = ext.last_row or None
                ext.last_row, ext.bottom = r, here
            if col > ext.last_col:
                ext.table_col = ext.last_col if ext.last_col >= 0 else None
                ext.last_col, ext.right = col, here
            if ext.cells() > MAX_CELLS:
                return ext
    return ext
