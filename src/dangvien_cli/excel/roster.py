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

Layout: the converters of each kind of value are excel/converters.py, the row scanning (sections, totals, the
signature block) and the column conversion excel/rows.py, both shared with the book readers; this module is the
roster itself — the gender and birth-date columns, the membership, and the per-row checks.

Speed: one pass over calamine's grid; one converter per mapped column chosen up front; text and date results
cached per column; title, section, total and signature checks only on sparse rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dangvien_cli.excel.converters import OldId, converter_for
from dangvien_cli.excel.headers import HeaderMap, find_header
from dangvien_cli.excel.rows import choose_sheet, convert_columns, scan_rows
from dangvien_cli.excel.workbook import SheetData, column_letter, open_workbook
from dangvien_cli.memory import no_gc
from dangvien_cli.rules.chronology import column_problems
from dangvien_cli.rules.dates import DateError, parse_date, today
from dangvien_cli.text import capitalize_words, search_key


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
    #: the date the roster states for its facts ("Tính đến ngày 01/10/2026" above the header), ISO, or None
    as_of: str | None = None
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
    read.as_of = stated_date(sh.grid[:max(0, header.header_rows[0] - sh.first_row)])
    with no_gc():
        _read_rows(sh, header, has_gender_cols, read)
    return read


_AS_OF_WORDS = ("tinh den", "den ngay", "tai thoi diem", "thoi diem")
_STATED_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_STATED_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")


def stated_date(rows: list) -> str | None:
    """The date of a roster's facts, as its title rows state it: "(Tính đến ngày 01/10/2026)", "Tính đến
    ngày 1 tháng 10 năm 2026", "Thời điểm 01/10/2026". None when no title row says so."""
    for row in rows:
        for value in row:
            if not isinstance(value, str):
                continue
            key = search_key(value)
            if not any(w in key for w in _AS_OF_WORDS):
                continue
            m = _STATED_DMY.search(key) or _STATED_WORDS.search(key)
            if m:
                try:
                    return parse_date(f"{m[1]}/{m[2]}/{m[3]}")
                except DateError:
                    continue
    return None


def _read_rows(sh: SheetData, header: HeaderMap, has_gender_cols: bool, read: RosterRead) -> None:
    """Fill ``read`` with the data rows of ``sh``, column-wise, and their problems."""
    today_iso = today().isoformat()
    converters = {c: converter_for(fld, today_iso) for c, fld in header.fields.items() if fld != "seq"}
    idx, secs, sections = scan_rows(sh, header)
    n = len(idx)
    cols, issues = convert_columns(sh, idx, header, converters)
    if sh.encoding == "tcvn3":  # a .VnTime font has no toned capitals: "Hồ Minh ¸nh" means Hồ Minh Ánh
        for fld in ("full_name", "other_name"):
            if cols.get(fld):
                cols[fld] = [capitalize_words(v) if v else v for v in cols[fld]]
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
            if v.__class__ is OldId:
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
    labels: dict[str, str] = {}
    for j, problems in column_problems(*present, n).items():
        for p in problems:
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
