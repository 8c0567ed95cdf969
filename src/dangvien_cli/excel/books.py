"""Monthly books (attendance, dues) and yearly ratings sheets (contract.md "Monthly books"; domain.md §2, §4).

One row a member, identified by card number, else by name and birth date. Header finding, sections, totals and
the signature block work as for rosters (:mod:`roster`), and problems are collected per row in the same
``(column label, Vietnamese message)`` form.

Values per month (``BookRow.months``, keys 1–12, only months the file has a column for):
- attendance: 'attended' (``x``), 'excused' (``p``, có phép), 'absent' (``k``, không lý do); a blank cell means
  no meeting recorded and the month is left out;
- dues: ``('paid', amount or None)``, ``('unpaid', None)`` for a blank or ``0``, ``('exempt', None)`` for
  ``miễn``.
Ratings (``BookRow.values``): ``rating`` one of HTXSNV, HTTNV, HTNV, KHTNV, KHONG_XEP_LOAI (also
``rating_self``/``rating_proposed`` when the sheet has those columns), ``rating_reason``, ``score`` (0–100).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dangvien_cli.errors import InvalidValue
from dangvien_cli.excel.headers import MONTH_FIELDS, HeaderMap, find_header
from dangvien_cli.excel.roster import choose_sheet, convert_columns, converter_for, scan_rows
from dangvien_cli.excel.workbook import column_letter, no_gc, open_workbook
from dangvien_cli.rules.dates import today
from dangvien_cli.text import search_key

KINDS = ("attendance", "dues", "ratings")
IDENTITY_FIELDS = ("full_name", "birth_date", "card_number", "national_id", "cell")
RATING_CODES = ("HTXSNV", "HTTNV", "HTNV", "KHTNV", "KHONG_XEP_LOAI")


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


# --- value converters ---------------------------------------------------------------------------------------

_ATTENDANCE = {
    "x": "attended", "co": "attended", "c": "attended", "1": "attended", "✓": "attended", "có mặt": "attended",
    "co mat": "attended",
    "p": "excused", "cp": "excused", "co phep": "excused", "phep": "excused", "vp": "excused",
    "vang co phep": "excused",
    "k": "absent", "kp": "absent", "khong": "absent", "khong phep": "absent", "vang": "absent",
    "vang khong phep": "absent", "vang khong ly do": "absent", "0": "absent",
}


def conv_attendance(v):
    key = search_key(str(int(v)) if v.__class__ is float and v.is_integer() else str(v)).strip(" .")
    if not key:
        return None
    mark = _ATTENDANCE.get(key)
    if mark is None:
        raise ValueError(f"Không hiểu '{v}': dùng x (dự họp), p (vắng có phép) hoặc k (vắng không lý do).")
    return mark


_MONEY = re.compile(r"^(\d{1,3}(?:[.,\s]\d{3})+|\d+)(?:\s*(?:đ|d|vnđ|vnd|đồng|dong))?$", re.IGNORECASE)
_EXEMPT = frozenset({"mien", "m", "mien dp", "mien dang phi", "mien nop"})
_PAID_MARK = frozenset({"x", "da nop", "co", "✓", "da dong"})


def conv_dues(v):
    cls = v.__class__
    if cls in (int, float):
        if v < 0:
            raise ValueError(f"Số tiền đảng phí '{v}' âm.")
        if v == 0:
            return ("unpaid", None)
        return ("paid", int(v) if float(v).is_integer() else v)
    text = str(v).strip()
    if not text:
        return ("unpaid", None)
    key = search_key(text).strip(" .")
    if key in _EXEMPT:
        return ("exempt", None)
    if key in _PAID_MARK:
        return ("paid", None)
    if key in ("0", "-", "khong", "chua nop", "chua dong"):
        return ("unpaid", None)
    m = _MONEY.match(text)
    if m:
        amount = int(re.sub(r"[.,\s]", "", m.group(1)))
        return ("paid", amount) if amount else ("unpaid", None)
    raise ValueError(f"Không hiểu '{v}': ghi số tiền đã nộp, để trống hoặc 0 nếu chưa nộp, 'miễn' nếu được miễn.")


_RATINGS = {
    "hoan thanh xuat sac nhiem vu": "HTXSNV", "htxsnv": "HTXSNV", "xuat sac": "HTXSNV", "htxs": "HTXSNV",
    "hoan thanh tot nhiem vu": "HTTNV", "httnv": "HTTNV", "tot": "HTTNV", "htt": "HTTNV",
    "hoan thanh nhiem vu": "HTNV", "htnv": "HTNV", "ht": "HTNV", "hoan thanh": "HTNV",
    "khong hoan thanh nhiem vu": "KHTNV", "khtnv": "KHTNV", "khong hoan thanh": "KHTNV", "kht": "KHTNV",
    "khong xep loai": "KHONG_XEP_LOAI", "kxl": "KHONG_XEP_LOAI", "chua xep loai": "KHONG_XEP_LOAI",
    "khong danh gia": "KHONG_XEP_LOAI", "khong danh gia xep loai": "KHONG_XEP_LOAI",
}
_PAREN = re.compile(r"^(.*?)\s*[(\-–:]\s*(.*?)\)?\s*$")


def conv_rating(v):
    """'Hoàn thành tốt nhiệm vụ' / 'HTTNV' → 'HTTNV'; 'Không xếp loại (miễn sinh hoạt)' keeps its reason."""
    text = str(v).strip()
    key = re.sub(r"[^a-z ]", " ", search_key(text))
    key = " ".join(key.split())
    code = _RATINGS.get(key) or _RATINGS.get(key.replace(" ", ""))
    if code:
        return code
    m = _PAREN.match(text)
    if m and m.group(2):
        head = " ".join(re.sub(r"[^a-z ]", " ", search_key(m.group(1))).split())
        code = _RATINGS.get(head) or _RATINGS.get(head.replace(" ", ""))
        if code:
            return (code, m.group(2).strip())
    raise ValueError(
        f"Mức xếp loại '{text}' không rõ: dùng HTXSNV, HTTNV, HTNV, KHTNV hoặc 'Không xếp loại' (kèm lý do)."
    )


def conv_score(v):
    if v.__class__ is str:
        try:
            v = float(v.strip().replace(",", "."))
        except ValueError:
            raise ValueError(f"Điểm '{v}' không phải là số.") from None
    if v.__class__ not in (int, float) or not 0 <= v <= 100:
        raise ValueError(f"Điểm '{v}' phải từ 0 đến 100.")
    return int(v) if float(v).is_integer() else float(v)


def _score_level(score: float) -> str:
    """QĐ 366-QĐ/TW bands (domain.md §2): ≥90, 70–<90, 50–<70, <50."""
    if score >= 90:
        return "HTXSNV"
    if score >= 70:
        return "HTTNV"
    if score >= 50:
        return "HTNV"
    return "KHTNV"


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
            for f, m in month_fields:
                v = cols[f][j]
                if v is not None:
                    br.months[m] = v
                elif kind == "dues":
                    br.months[m] = ("unpaid", None)
        rows.append(br)
    return BookRead(
        file=Path(path).name, sheet=sh.name, kind=kind, encoding=sh.encoding, header=header, rows=rows,
        months=sorted(month_cols.values()), unknown_columns=[lbl for _, lbl in sorted(header.unknown.items())],
        year=_title_year(sh, header), warnings=warnings,
    )


def _rating_row(br: BookRow, cols: dict[str, list], j: int, header: HeaderMap) -> None:
    values = br.values
    reason = cols["rating_reason"][j] if "rating_reason" in cols else None
    for f in ("rating", "rating_self", "rating_proposed"):
        if f not in cols or cols[f][j] is None:
            continue
        v = cols[f][j]
        if isinstance(v, tuple):
            v, why = v
            reason = reason or why
        values[f] = v
    if "rating" not in values and "rating_proposed" in values:
        values["rating"] = values["rating_proposed"]
    if "note" in cols and cols["note"][j] is not None:
        values["note"] = cols["note"][j]
    rating = values.get("rating")
    if rating is None:
        if not any(e for e in br.errors):
            br.errors.append((header.field_label("rating"), "Thiếu mức xếp loại."))
        return
    if reason:
        values["rating_reason"] = reason
    if rating == "KHONG_XEP_LOAI" and not reason:
        br.warnings.append((header.field_label("rating"),
                            "'Không xếp loại' cần ghi lý do (miễn sinh hoạt, đình chỉ, mới kết nạp dưới 6 tháng)."))
    if "score" in cols and cols["score"][j] is not None:
        score = cols["score"][j]
        values["score"] = score
        if rating in RATING_CODES[:4] and _score_level(score) != rating:
            br.warnings.append((header.field_label("score"),
                                f"Điểm {score} ứng với mức {_score_level(score)}, khác mức xếp loại {rating}."))
