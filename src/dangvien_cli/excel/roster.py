"""Read a member roster into normalised rows, collecting every problem with its Excel row and column.

Nothing here raises for a bad row: each :class:`RosterRow` carries its ``errors`` and ``warnings`` as
``(column label as the file shows it, Vietnamese message)``. Only a file that cannot be read at all raises
(:class:`InputRejected`, or :class:`InvalidValue` for a bad ``--map``/no header).

Conventions (the database side relies on them):
- dates are ISO strings of the precision given (``1968-05-12``, ``1968-05``, ``1968``; contract.md "Dates");
- ``gender`` is 'male'/'female'; ``membership`` is 'official' (an official date is given), 'probationary'
  ("Dự bị" in Ghi chú and no official date) or absent (the roster does not say);
- ``card_number``, ``national_id`` and ``old_id_number`` are strings of ASCII digits, leading zeros kept.
  ``national_id`` is always 12 digits. An old 9-digit CMND found in a CCCD column is moved to
  ``old_id_number`` (with a warning), never stored as ``national_id``. A number Excel shortened (11-digit CCCD,
  7-digit card, 8-digit CMND) gets its leading zero back, with a warning;
- text fields are NFC with single spaces (:func:`text.normalize_text`).

Speed: one pass over calamine's grid; one converter per mapped column chosen up front; text and date results
cached per column; title, section, total and signature checks only on sparse rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path

from dangvien_cli.excel.headers import HeaderMap, find_header, looks_like_roster
from dangvien_cli.excel.workbook import SheetData, Workbook, column_letter, no_gc, open_workbook
from dangvien_cli.rules.chronology import date_problems
from dangvien_cli.rules.dates import DateError, format_vi, parse_date, today
from dangvien_cli.rules.identity import card_problem, clean_number, national_id_problem
from dangvien_cli.text import normalize_text, search_key
from dangvien_cli.vocab import GENDER
from dangvien_cli.vocab.limits import FIELD_LIMITS, bad_name, has_letter, too_long


@dataclass(slots=True)
class RosterRow:
    """One member row. ``values`` holds only the fields the row has (normalised)."""

    row: int
    section: str | None
    values: dict[str, object]
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RosterRead:
    """The whole roster as read. ``warnings`` are file-level messages (Vietnamese).

    The rows are kept column-wise (``columns[field][j]`` for data row ``j``, None for an empty cell; every column
    has one value per row) with their Excel row numbers, sections and problems beside them: for a 100,000-row
    roster that is a few lists instead of 100,000 dicts. :attr:`rows` builds :class:`RosterRow` objects on first
    use, for callers that want one object per row.
    """

    file: str
    sheet: str
    encoding: str
    header: HeaderMap
    unknown_columns: list[str]
    warnings: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    columns: dict[str, list] = field(default_factory=dict)
    row_numbers: list[int] = field(default_factory=list)
    row_sections: list[str | None] = field(default_factory=list)
    # {row position: [(column label, message, is_error)]}, only for rows with problems.
    issues: dict[int, list[tuple[str, str, bool]]] = field(default_factory=dict)
    _rows: list[RosterRow] | None = field(default=None, repr=False, compare=False)

    @property
    def count(self) -> int:
        return len(self.row_numbers)

    def row(self, j: int) -> RosterRow:
        """Data row ``j`` as a :class:`RosterRow` (a new object each call)."""
        values = {f: col[j] for f, col in self.columns.items()}
        rr = RosterRow(self.row_numbers[j], self.row_sections[j], values, [], [])
        for label, message, error in self.issues.get(j, ()):
            (rr.errors if error else rr.warnings).append((label, message))
        return rr

    @property
    def rows(self) -> list[RosterRow]:
        if self._rows is None:
            self._rows = [self.row(j) for j in range(self.count)]
        return self._rows

    def error_rows(self) -> set[int]:
        """Positions of the rows with at least one error."""
        return {j for j, found in self.issues.items() if any(error for _, _, error in found)}

    def _problems(self, errors: bool) -> list[dict]:
        numbers = self.row_numbers
        return [{"row": numbers[j], "column": label, "message": message}
                for j in sorted(self.issues) for label, message, error in self.issues[j] if error is errors]

    def errors(self) -> list[dict]:
        """All row errors as import-report entries ``{row, column, message}`` in file order."""
        return self._problems(True)

    def row_warnings(self) -> list[dict]:
        return self._problems(False)

    @property
    def valid_rows(self) -> list[RosterRow]:
        return [r for r in self.rows if not r.errors]


class _Warn:
    """A converted value that comes with a warning for its cell."""

    __slots__ = ("value", "message")

    def __init__(self, value: object, message: str):
        self.value = value
        self.message = message


class _OldId(str):
    """A 9-digit CMND found in a national-id column (moved to ``old_id_number``)."""


# --- converters: value from calamine (never '') → normalised value, or ValueError with a Vietnamese message --------


def _num_text(v: object) -> str:
    if v.__class__ is float and v.is_integer():
        return str(int(v))
    return str(v)


# A text column is already clean when every value is a non-empty string, NFC, without white space other than
# single spaces between words: then converting each value would give it back unchanged. Every white-space
# character but the plain space is unprintable to str.isprintable, so the checks are all C-level scans.
_SEP = "\x00"


def text_column_is_clean(col: tuple | list | set) -> bool:
    """True when :func:`normalize_text` would return every value of ``col`` as it is."""
    if not col or "" in col:
        return False
    try:
        joined = _SEP.join(col)
    except TypeError:  # a number or a date among the texts: value by value
        return False
    return (not joined.startswith(" ") and not joined.endswith(" ") and "  " not in joined
            and _SEP + " " not in joined and " " + _SEP not in joined
            and joined.replace(_SEP, "").isprintable() and unicodedata.is_normalized("NFC", joined))


def _digit_column_check(*widths: int):
    one = "|".join(f"[0-9]{{{w}}}" for w in widths)
    pattern = re.compile(rf"(?:(?:{one})\x00)*(?:{one})")

    def column_is_clean(col: tuple | list | set) -> bool:
        """True when every value is a string of ASCII digits of one of ``widths`` (kept as it is)."""
        try:
            return bool(col) and pattern.fullmatch("\x00".join(col)) is not None
        except TypeError:
            return False

    def whole_numbers(col: tuple | list) -> list[str] | None:
        """The digit strings when every value is a number Excel stores as a float, each of one of ``widths``
        digits (no lost leading zero to report); else None and the values are converted one by one."""
        try:
            if not col or not all(map(float.is_integer, col)):
                return None
            texts = list(map(str, map(int, col)))
        except TypeError:  # not all floats
            return None
        return texts if pattern.fullmatch("\x00".join(texts)) is not None else None

    column_is_clean.whole_numbers = whole_numbers
    return column_is_clean


def make_text_converter(fld: str | None = None):
    """Text of a column: NFC, single spaces; longer than the field's limit (vocab.limits) is an error, never cut;
    a name must hold a letter (a formula's cached "2" is not a name)."""
    cache: dict[object, str | None] = {}
    limit = FIELD_LIMITS.get(fld, 32767)
    is_name = fld == "full_name"

    def conv(v):
        r = cache.get(v)
        if r is None:
            if v.__class__ is str:
                r = normalize_text(v)
            elif v.__class__ in (date, datetime):
                r = format_vi(v.isoformat()[:10])
            else:
                r = normalize_text(_num_text(v))
            if r is not None:
                problem = bad_name(r) if is_name else too_long(fld, r) if len(r) > limit else None
                if problem:
                    raise ValueError(f"{problem}.")
            cache[v] = r
        return r

    def column_is_clean(col: tuple | list | set) -> bool:
        return (text_column_is_clean(col) and max(map(len, col)) <= limit
                and (not is_name or all(map(has_letter, col))))

    conv.column_is_clean = column_is_clean
    return conv


def make_date_converter(today_iso: str):
    cache: dict[object, str] = {}

    def conv(v):
        cls = v.__class__
        if cls is datetime:
            r = v.date().isoformat()
        elif cls is date:
            r = v.isoformat()
        else:
            r = cache.get(v)
            if r is None:
                if cls is float and v.is_integer():
                    v2 = int(v)
                elif cls is str:
                    v2 = v.strip().lstrip("'")
                else:
                    v2 = v
                r = parse_date(v2, allow_serial=True)
                if r is None:
                    return None
                cache[v] = r
        if r > today_iso[: len(r)]:
            raise DateError(f"Ngày {format_vi(r)} nằm ở tương lai.")
        return r

    return conv


def conv_gender(v):
    g = GENDER.lookup(v) if v.__class__ is str else None
    if g is None:
        raise ValueError(f"Giới tính '{v}' không rõ (cần ghi Nam hoặc Nữ).")
    return g


_MARKS = frozenset({"x", "v", "1", "co", "✓", "✔", "+", "*", "nam", "nu", "true"})


def make_mark_converter(date_conv):
    def conv(v):
        if v is True or (v.__class__ in (int, float) and v == 1):
            return True
        if v.__class__ is str and search_key(v).strip(" .") in _MARKS:
            return True
        if v.__class__ in (date, datetime, int, float) or (v.__class__ is str and any(ch.isdigit() for ch in v)):
            return date_conv(v)  # a birth date written under Nam / Nữ
        raise ValueError(f"Không hiểu dấu '{v}' ở cột Nam/Nữ (hãy đánh 'x').")

    return conv


def _digits(v: object, what: str) -> tuple[str, bool]:
    """(digit string, came from a number) or ValueError."""
    cls = v.__class__
    if cls is int:
        return str(v), True
    if cls is float:
        if v.is_integer():
            return str(int(v)), True
        raise ValueError(f"{what} '{v}' không phải dãy chữ số.")
    s = clean_number(str(v))
    if s.isascii() and s.isdigit():
        return s, False
    if "e+" in s.lower():
        raise ValueError(
            f"{what} '{v}' đã bị Excel đổi sang dạng số mũ nên mất chữ số; hãy định dạng cột là Văn bản "
            "(Text) và nhập lại số đầy đủ."
        )
    raise ValueError(f"{what} '{v}' phải gồm các chữ số.")


def conv_card(v):
    """A card number: the rule of rules.identity, after giving back the leading zero Excel drops from a number."""
    if v.__class__ is str and len(v) == 8 and v.isdigit() and v.isascii():
        return v
    s, numeric = _digits(v, "Số thẻ đảng viên")
    if numeric and len(s) == 7:
        return _Warn("0" + s, f"Số thẻ {s} chỉ có 7 chữ số (Excel bỏ số 0 đầu); đã đọc là 0{s}.")
    problem = card_problem(s)
    if problem:
        raise ValueError(f"{problem}.")
    return s


conv_card.column_is_clean = _digit_column_check(8, 12)


def conv_national_id(v):
    if v.__class__ is str and len(v) == 12 and v.isdigit() and v.isascii():
        return v
    s, numeric = _digits(v, "Số định danh cá nhân")
    n = len(s)
    if n == 12:
        return s
    if n == 11 and numeric:
        return _Warn("0" + s, f"Số định danh {s} chỉ có 11 chữ số (Excel bỏ số 0 đầu); đã đọc là 0{s}.")
    if n == 9 or (n == 8 and numeric):
        old = s.zfill(9)
        return _Warn(
            _OldId(old),
            f"'{old}' là số CMND cũ 9 chữ số, không phải số định danh 12 chữ số: đã ghi vào số CMND cũ; "
            "cần bổ sung số định danh cá nhân.",
        )
    raise ValueError(f"{national_id_problem(s)}.")


conv_national_id.column_is_clean = _digit_column_check(12)


def conv_old_id(v):
    s, numeric = _digits(v, "Số CMND cũ")
    if numeric and len(s) == 8:
        return _Warn("0" + s, f"Số CMND {s} chỉ có 8 chữ số (Excel bỏ số 0 đầu); đã đọc là 0{s}.")
    if len(s) not in (9, 12):
        raise ValueError(f"Số CMND cũ '{s}' phải có 9 (hoặc 12) chữ số.")
    return s


def make_education_converter():
    text = make_text_converter("education_general")

    def conv(v):
        if v.__class__ in (date, datetime):
            # "9/12" typed into a General cell became a date; give back the day/month the clerk typed.
            shown = f"{v.day}/{v.month}"
            return _Warn(shown, f"Excel đã đổi '{shown}' thành ngày; đã đọc lại là '{shown}'.")
        return text(v)

    return conv


def conv_seq(v):
    return None


TEXT_FIELDS = ("full_name", "other_name", "ethnicity", "religion", "hometown", "birthplace", "residence", "cell",
               "position", "education_professional", "political_theory", "occupation", "note")
DATE_FIELDS = ("birth_date", "admission_date", "official_date", "decision_date", "birth_male", "birth_female")


def converter_for(fld: str, today_iso: str):
    if fld in TEXT_FIELDS:
        return make_text_converter(fld)
    if fld in DATE_FIELDS:
        return make_date_converter(today_iso)
    if fld == "gender":
        return conv_gender
    if fld in ("male_mark", "female_mark"):
        return make_mark_converter(make_date_converter(today_iso))
    if fld == "card_number":
        return conv_card
    if fld == "national_id":
        return conv_national_id
    if fld == "old_id_number":
        return conv_old_id
    if fld == "education_general":
        return make_education_converter()
    if fld == "seq":
        return conv_seq
    return make_text_converter()


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


# --- reading -------------------------------------------------------------------------------------------------


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


def read_roster(path: str | Path, sheet: str | None = None, mapping_overrides: dict[str, str] | None = None,
                ) -> RosterRead:
    """Read and normalise a roster file; see the module docstring for the shapes and conventions."""
    wb = open_workbook(path)
    sh, note = choose_sheet(wb, sheet, "roster")
    header = find_header(sh, mapping_overrides, kind="roster")
    warnings = list(header.warnings)
    if note:
        warnings.append(note)
    if sh.encoding != "unicode":
        warnings.append(f"Tệp dùng bảng mã cũ {sh.encoding.upper()}; đã chuyển sang Unicode.")
    fields = set(header.fields.values())
    if "full_name" not in fields:
        warnings.append("Không thấy cột 'Họ và tên': mọi dòng sẽ báo thiếu tên. Dùng --map để chỉ cột tên.")
    has_gender_cols = bool(fields & {"gender", "male_mark", "female_mark", "birth_male", "birth_female"})
    if not has_gender_cols:
        warnings.append("Tệp không có cột giới tính (Giới tính, hoặc Nam/Nữ).")
    if header.unknown:
        shown = ", ".join(f"'{lbl}' ({column_letter(c)})" for c, lbl in sorted(header.unknown.items()))
        warnings.append(f"Các cột không nhận ra, bỏ qua khi nhập: {shown}. Dùng --map \"Tên cột=trường\" nếu cần.")
    read = RosterRead(
        file=str(Path(path).name), sheet=sh.name, encoding=sh.encoding, header=header,
        unknown_columns=[lbl for _, lbl in sorted(header.unknown.items())], warnings=warnings,
    )
    with no_gc():
        _read_rows(sh, header, has_gender_cols, read)
    return read


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


def convert_columns(sh: SheetData, idx: list[int], header: HeaderMap, converters: dict[int, object],
                    ) -> tuple[dict[str, list], dict[int, list[tuple[str, str, bool]]]]:
    """Convert each mapped column of the rows ``idx`` once per distinct value.

    Returns ({field: [value or None per row]}, {row position: [(label, message, is_error)]}).
    """
    grid = sh.grid
    wanted = sorted(c for c in header.fields if converters.get(c) is not None)
    # One C-level transpose of the wanted columns instead of one pass per column.
    picked = itemgetter(*wanted) if len(wanted) > 1 else (lambda r, _c=wanted[0] if wanted else 0: (r[_c],))
    transposed = list(zip(*map(picked, map(grid.__getitem__, idx)), strict=True)) if idx and wanted else []
    columns: dict[str, list] = {}
    issues: dict[int, list[tuple[str, str, bool]]] = {}
    for k, c in enumerate(wanted):
        fld = header.fields[c]
        conv = converters[c]
        label = header.labels[c]
        col = transposed[k] if transposed else ()
        distinct = set(col)
        clean = getattr(conv, "column_is_clean", None)
        if clean is not None:  # the common case: the distinct values checked in one C-level pass
            if clean(distinct):
                columns[fld] = list(col)
                continue
            numbers = getattr(clean, "whole_numbers", None)
            texts = numbers(col) if numbers is not None else None
            if texts is not None:
                columns[fld] = texts
                continue
        mapping: dict[object, object] = {}
        special = False
        identity = True
        for u in distinct:
            if u == "" or u is None:
                mapping[u] = None
                identity = False
                continue
            try:
                res = conv(u)
            except ValueError as exc:
                res = _Err(str(exc))
            if res.__class__ is _Err or res.__class__ is _Warn:
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
                elif cls is _Warn:
                    issues.setdefault(j, []).append((label, res.message, False))
                    out[j] = res.value
        columns[fld] = out
    return columns, issues


def _read_rows(sh: SheetData, header: HeaderMap, has_gender_cols: bool, read: RosterRead) -> None:
    """Fill ``read`` with the data rows of ``sh``, column-wise, and their problems."""
    today_iso = today().isoformat()
    converters = {c: converter_for(fld, today_iso) for c, fld in header.fields.items() if fld != "seq"}
    idx, secs, sections = scan_rows(sh, header)
    n = len(idx)
    cols, issues = convert_columns(sh, idx, header, converters)
    lab = _Labels(header)

    def issue(j: int, label: str, message: str, error: bool = True) -> None:
        issues.setdefault(j, []).append((label, message, error))

    # Birth date written under Nam / Nữ, or an "x" (or the date) in Nam / Nữ columns: gender and birth date.
    birth = cols.get("birth_date")
    gender = cols.get("gender")
    for fld, g in (("birth_male", "male"), ("birth_female", "female"), ("male_mark", "male"),
                   ("female_mark", "female")):
        col = cols.pop(fld, None)
        if col is None:
            continue
        if birth is None:
            birth = cols["birth_date"] = [None] * n
        if gender is None:
            gender = cols["gender"] = [None] * n
        label = header.field_label(fld)
        for j, v in enumerate(col):
            if v is None:
                continue
            if v.__class__ is str:
                if birth[j] is None:
                    birth[j] = v
                elif birth[j] != v:
                    issue(j, label, "Có hai ngày sinh khác nhau; dùng cột Ngày sinh.", False)
            if gender[j] is not None and gender[j] != g:
                issue(j, label, "Ghi (đánh dấu) ở cả cột Nam và cột Nữ.")
            gender[j] = g

    # An old 9-digit CMND in the national-id column moves to old_id_number.
    nid = cols.get("national_id")
    if nid is not None:
        old = cols.get("old_id_number")
        for j, v in enumerate(nid):
            if v.__class__ is _OldId:
                if old is None:
                    old = cols["old_id_number"] = [None] * n
                if old[j] is None:
                    old[j] = str(v)
                nid[j] = None

    # Membership: an official date means official; "Dự bị" in Ghi chú (and no official date) probationary.
    off = cols.get("official_date")
    note = cols.get("note")
    membership: list | None = None
    if off is not None or note is not None:
        membership = ["official" if o is not None else None for o in off] if off is not None else [None] * n
        if note is not None:
            note_label = header.field_label("note")
            for j, t in enumerate(note):
                if t is not None and "du bi" in search_key(t):
                    if membership[j] is None:
                        membership[j] = "probationary"
                    else:
                        issue(j, note_label, "Ghi chú 'Dự bị' nhưng đã có ngày chính thức.", False)
        cols["membership"] = membership

    # Row checks.
    names = cols.get("full_name")
    for j in range(n) if names is None else (j for j, v in enumerate(names) if v is None):
        if not any(e and lbl == lab.name for lbl, _, e in issues.get(j, ())):  # a name refused says why itself
            issue(j, lab.name, "Thiếu họ và tên.")
    if has_gender_cols:
        gcol = cols.get("gender") or [None] * n
        for j, v in enumerate(gcol):
            if v is None and not any(e and lbl in lab.gender_set for lbl, _, e in issues.get(j, ())):
                issue(j, lab.gender, "Không rõ giới tính (cần Nam hoặc Nữ).")
    _check_dates(cols, n, header, issue)

    _check_duplicates(cols, idx, sh.first_row, header, issue)

    first = sh.first_row
    read.columns = cols  # every column has one value per row (None = empty cell), ready for executemany
    read.row_numbers = [first + i for i in idx]
    read.row_sections = secs
    read.sections = sections
    read.issues = issues


def _check_dates(cols: dict[str, list], n: int, header: HeaderMap, issue) -> None:
    """The dates of each row in an order that can be true, and the age at admission (rules.chronology): an error
    on the column of the date to correct."""
    present = [cols.get(f) for f in ("birth_date", "decision_date", "admission_date", "official_date")]
    if sum(c is not None for c in present) < 2:
        return
    none = [None] * n
    labels: dict[str, str] = {}
    for j, dates in enumerate(zip(*(c if c is not None else none for c in present), strict=True)):
        if dates.count(None) >= 3:
            continue
        for p in date_problems(*dates):
            label = labels.get(p.field) or labels.setdefault(p.field, header.field_label(p.field))
            issue(j, label, f"{p.message}.")


class _Labels:
    """Column labels of the fields the checks name, looked up once per file."""

    def __init__(self, header: HeaderMap):
        self.name = header.field_label("full_name")
        gender_cols = [c for c, f in header.fields.items()
                       if f in ("gender", "male_mark", "female_mark", "birth_male", "birth_female")]
        self.gender_set = frozenset(header.labels[c] for c in gender_cols)
        self.gender = header.field_label("gender") if header.column_of("gender") is not None else " / ".join(
            header.labels[c] for c in gender_cols)


def _check_duplicates(cols: dict[str, list], idx: list[int], first: int, header: HeaderMap, issue) -> None:
    """A card number or national id written on two rows: an error on both, naming the other row."""
    for fld, what in (("card_number", "Số thẻ đảng viên"), ("national_id", "Số định danh cá nhân")):
        col = cols.get(fld)
        if col is None:
            continue
        label = header.field_label(fld)
        seen: dict[str, int] = {}
        flagged: set[int] = set()
        for j, val in enumerate(col):
            if val is None:
                continue
            prev = seen.setdefault(val, j)
            if prev == j:
                continue
            issue(j, label, f"{what} {val} trùng với dòng {first + idx[prev]}.")
            if prev not in flagged:
                flagged.add(prev)
                issue(prev, label, f"{what} {val} trùng với dòng {first + idx[j]}.")
