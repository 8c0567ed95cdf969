"""Monthly books (attendance, dues) and yearly ratings sheets (contract.md "Monthly books"; domain.md §2, §4).

One row a member, identified by card number, else by name and birth date. Header finding, sections, totals and
the signature block work as for rosters (:mod:`roster`), and problems are collected per row in the same
``(column label, Vietnamese message)`` form.

Values are the vocabulary's codes, read by the same functions as values typed at the terminal (vocab.marks), so
a mark accepted by ``attendance set`` is accepted in a file. Per month (``BookRow.months``, keys 1–12, only
months the file has a column for):
- attendance: ``x`` attended, ``p`` excused (có phép), ``k`` absent without reason, ``-`` no meeting; a blank
  cell means no meeting recorded and the month is left out;
- dues: ``('p', amount or None)`` paid, ``('u', None)`` for a blank, ``0`` or ``-``, ``('e', None)`` for
  ``miễn``.
``BookRow.values`` of a book row: ``blank_months`` the months left blank (a dues blank reads as not paid, as 0
does), ``blank`` True when no month is filled in at all. Ratings (``BookRow.values``): ``rating`` one of HTXSNV, HTTNV, HTNV, KHTNV, or None with ``not_rated_reason``
(vocab.NOT_RATED_REASON) for "Không xếp loại"; ``rating_self``/``rating_proposed`` when the sheet has those
columns; ``rating_reason`` (the text of a reason column), ``score`` (0–100).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dangvien_cli.errors import InvalidValue
from dangvien_cli.excel.converters import converter_for
from dangvien_cli.excel.headers import HeaderMap, find_header
from dangvien_cli.excel.rows import choose_sheet, convert_columns, scan_rows
from dangvien_cli.excel.workbook import column_letter, open_workbook
from dangvien_cli.memory import no_gc
from dangvien_cli.rules.dates import today
from dangvien_cli.text import search_key
from dangvien_cli.vocab import score_level
from dangvien_cli.vocab.headers import MONTH_FIELDS
from dangvien_cli.vocab.marks import (
    attendance_mark,
    dues_value,
    not_rated_reason_in,
    rating_value,
    score_value,
)

KINDS = ("attendance", "dues", "ratings")
IDENTITY_FIELDS = ("full_name", "birth_date", "card_number", "national_id", "cell")


@dataclass(slots=True)
class BookRow:
    row: int
    section: str | None
    member: dict[str, str | None]
    months: dict[int, object]
    values: dict[str, object]
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class BookRead:
    file: str
    sheet: str
    kind: str
    encoding: str
    header: HeaderMap
    rows: list[BookRow]
    months: list[int]
    unknown_columns: list[str]
    year: int | None = None
    warnings: list[str] = field(default_factory=list)

    def errors(self) -> list[dict]:
        return [{"row": r.row, "column": col, "message": msg} for r in self.rows for col, msg in r.errors]


# --- value converters: the readers of the vocabulary (vocab.marks), as for values typed at the terminal --------


def _sentence(read):
    """The reader as a converter: its message ends with a full stop, as every row problem does."""

    def conv(v):
        try:
            return read(v)
        except ValueError as exc:
            raise ValueError(f"{exc}.") from None

    conv.__doc__ = read.__doc__
    return conv


# A month of the attendance book ('x', 'p', 'k', '-'), of the dues book ((mark, amount)), a rating
# ('Hoàn thành tốt nhiệm vụ' → ('HTTNV', None); 'Không xếp loại (miễn sinh hoạt)' → (None, 'exempt')).
conv_attendance = _sentence(attendance_mark)
conv_dues = _sentence(dues_value)
conv_rating = _sentence(rating_value)
conv_score = _sentence(score_value)


_YEAR = re.compile(r"\bnam\s+((?:19|20)\d\d)\b")


def _title_year(sheet, header: HeaderMap) -> int | None:
    for row in sheet.grid[: header.header_rows[0] - sheet.first_row]:
        for v in row:
            if v.__class__ is str and v:
                m = _YEAR.search(search_key(v))
                if m:
                    return int(m.group(1))
    return None


def read_book(path: str | Path, kind: str = "attendance", sheet: str | None = None,
              mapping_overrides: dict[str, str] | None = None) -> BookRead:
    """Read an attendance or dues book, or a ratings sheet. See the module docstring for the shapes."""
    if kind not in KINDS:
        raise InvalidValue(f"Loại sổ '{kind}' không có; dùng một trong: {', '.join(KINDS)}.")
    wb = open_workbook(path)
    sh, note = choose_sheet(wb, sheet, kind)
    header = find_header(sh, mapping_overrides, kind=kind)
    warnings = list(header.warnings)
    if note:
        warnings.append(note)
    if sh.encoding != "unicode":
        warnings.append(f"Tệp dùng bảng mã cũ {sh.encoding.upper()}; đã chuyển sang Unicode.")
    fields = header.fields
    month_cols = {c: int(f[1:]) for c, f in fields.items() if f in MONTH_FIELDS}
    if kind in ("attendance", "dues") and not month_cols:
        raise InvalidValue(
            f"Trang tính '{sh.name}' không có cột tháng (T1…T12 hoặc Tháng 1…Tháng 12).",
            hint="Kiểm tra dòng tiêu đề, hoặc dùng --map \"Tên cột=m1\" … để chỉ các cột tháng.",
        )
    if kind == "ratings" and not {"rating", "rating_proposed"} & set(fields.values()):
        raise InvalidValue(
            f"Trang tính '{sh.name}' không có cột xếp loại.",
            hint="Cần một cột 'Xếp loại' (hoặc dùng --map \"Tên cột=rating\").",
        )
    if header.unknown:
        shown = ", ".join(f"'{lbl}' ({column_letter(c)})" for c, lbl in sorted(header.unknown.items()))
        warnings.append(f"Các cột không nhận ra, bỏ qua khi nhập: {shown}.")

    today_iso = today().isoformat()
    converters: dict[int, object] = {}
    for c, f in fields.items():
        if f in IDENTITY_FIELDS:
            converters[c] = converter_for(f, today_iso)
        elif f in MONTH_FIELDS and kind != "ratings":
            converters[c] = conv_attendance if kind == "attendance" else conv_dues
        elif kind == "ratings" and f in ("rating", "rating_self", "rating_proposed"):
            converters[c] = conv_rating
        elif kind == "ratings" and f == "score":
            converters[c] = conv_score
        elif kind == "ratings" and f in ("rating_reason", "note"):
            converters[c] = converter_for("note", today_iso)
    idx, secs, _sections = scan_rows(sh, header)
    with no_gc():
        cols, issues = convert_columns(sh, idx, header, converters)

    rows: list[BookRow] = []
    month_fields = [(f"m{m}", m) for m in sorted(month_cols.values())]
    name_label = header.field_label("full_name")
    card_label = header.field_label("card_number")
    first = sh.first_row
    for j, i in enumerate(idx):
        member = {f: cols[f][j] for f in IDENTITY_FIELDS if f in cols}
        br = BookRow(first + i, secs[j], member, {}, {})
        for label, message, error in issues.get(j, ()):
            (br.errors if error else br.warnings).append((label, message))
        if not member.get("card_number") and not member.get("full_name"):
            br.errors.append((card_label if header.column_of("card_number") is not None else name_label,
                              "Không xác định được đảng viên: cần số thẻ đảng viên, hoặc họ tên và ngày sinh."))
        elif not member.get("card_number") and not member.get("birth_date"):
            br.warnings.append((name_label, "Không có số thẻ và ngày sinh: chỉ khớp được theo họ tên."))
        if kind == "ratings":
            _rating_row(br, cols, j, header)
        else:
            blank_months = []
            for f, m in month_fields:
                v = cols[f][j]
                if v is not None:
                    br.months[m] = v
                else:
                    blank_months.append(m)
                    if kind == "dues":
                        br.months[m] = ("u", None)
            br.values["blank_months"] = blank_months
            if len(blank_months) == len(month_fields):
                br.values["blank"] = True  # no month filled in (a row the cell left as it was sent out)
        rows.append(br)
    return BookRead(
        file=Path(path).name, sheet=sh.name, kind=kind, encoding=sh.encoding, header=header, rows=rows,
        months=sorted(month_cols.values()), unknown_columns=[lbl for _, lbl in sorted(header.unknown.items())],
        year=_title_year(sh, header), warnings=warnings,
    )


def _rating_row(br: BookRow, cols: dict[str, list], j: int, header: HeaderMap) -> None:
    values = br.values
    reason_text = cols["rating_reason"][j] if "rating_reason" in cols else None
    found = None
    for f in ("rating", "rating_self", "rating_proposed"):
        if f not in cols or cols[f][j] is None:
            continue
        level, reason = cols[f][j]
        values[f] = level
        if f == "rating" or (f == "rating_proposed" and found is None):
            found = (level, reason)
    if "note" in cols and cols["note"][j] is not None:
        values["note"] = cols["note"][j]
    if found is None:
        if not any(e for e in br.errors):
            if reason_text is None and cols.get("score", [None] * (j + 1))[j] is None and "note" not in values:
                values["blank"] = True  # nothing written for the member: not rated yet (a sheet sent out blank)
            else:
                br.errors.append((header.field_label("rating"), "Thiếu mức xếp loại."))
        return
    level, reason = found
    values["rating"] = level
    if reason_text:
        values["rating_reason"] = reason_text
    if level is None:
        if reason == "other" and reason_text:
            reason = not_rated_reason_in(reason_text) or "other"
        values["not_rated_reason"] = reason
        if reason == "other" and not reason_text:
            br.warnings.append((header.field_label("rating"), "'Không xếp loại' cần ghi lý do (miễn sinh hoạt, "
                                "đình chỉ, mới kết nạp dưới 6 tháng)."))
    if "score" in cols and cols["score"][j] is not None:
        score = cols["score"][j]
        values["score"] = score
        if level is not None and score_level(score) != level:
            br.warnings.append((header.field_label("score"),
                                f"Điểm {score} ứng với mức {score_level(score)}, khác mức xếp loại {level}."))
