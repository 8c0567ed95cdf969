"""What a cell of a monthly book or a ratings sheet means, typed at the terminal or read from a file.

One reader per kind of value, used by ``attendance set`` / ``dues set`` / ``ratings set`` and by the book
imports (``excel/books.py``) alike, so a mark accepted when typed is accepted in a file and means the same.
Each returns vocabulary codes (:data:`ATTENDANCE`, :data:`DUES`, :data:`RATING_LEVEL`, :data:`NOT_RATED_REASON`)
and raises ``ValueError`` with a Vietnamese message (no final full stop: callers add the row and column).
"""

from __future__ import annotations

import re

from dangvien_cli.text import normalize_text, search_key
from dangvien_cli.vocab import ATTENDANCE, DUES, NOT_RATED_REASON, RATING_LEVEL

__all__ = ["attendance_mark", "dues_value", "rating_value", "not_rated_reason_in", "score_value"]


def _text(value: object) -> str:
    if value.__class__ is float and value.is_integer():
        value = int(value)
    return normalize_text(str(value)) or ""


def attendance_mark(value: object) -> str:
    """A cell of the attendance book → 'x', 'p', 'k', or '-' (blank or '-': no meeting recorded)."""
    if value is None:
        return "-"
    text = _text(value)
    if not text:
        return "-"
    mark = ATTENDANCE.lookup(text)
    if mark is None:
        raise ValueError(f"'{text}' không phải ký hiệu sinh hoạt: ghi x (có mặt), p (vắng có phép), "
                         "k (vắng không lý do) hoặc để trống (không họp)")
    return mark


_MONEY = re.compile(r"^(\d{1,3}(?:[.,\s]\d{3})+|\d+)(?:\s*(?:đ|d|vnđ|vnd|đồng|dong))?$", re.IGNORECASE)


def dues_value(value: object) -> tuple[str, int | None]:
    """A cell of the dues book → (mark, amount): an amount paid ('p', amount), a paid mark without the amount
    ('p', None), blank, 0 or '-' not paid ('u', None), 'miễn' exempt ('e', None)."""
    if value is None:
        return "u", None
    if value.__class__ is bool:
        raise ValueError(f"'{value}' không phải số tiền")
    if value.__class__ in (int, float):
        if value < 0:
            raise ValueError(f"Số tiền đảng phí {value:g} âm")
        if not float(value).is_integer():
            raise ValueError(f"Số tiền {value:g} không phải số đồng chẵn")
        return ("p", int(value)) if value > 0 else ("u", None)
    text = _text(value)
    if not text:
        return "u", None
    mark = DUES.lookup(text)
    if mark is not None:
        return ("u" if mark == "-" else mark), None
    m = _MONEY.match(text)
    if m:
        amount = int(re.sub(r"[.,\s]", "", m.group(1)))
        return ("p", amount) if amount else ("u", None)
    raise ValueError(f"'{text}' không phải số tiền đảng phí: ghi số tiền đã đóng, để trống hoặc 0 nếu chưa "
                     "đóng, 'miễn' nếu được miễn")


_NOT_RATED_PREFIXES = ("khong danh gia xep loai", "khong xep loai", "chua xep loai", "khong danh gia")
# The words of each specific reason, longest first, to find inside "Không xếp loại (…)".
_REASON_WORDS = sorted(((search_key(w), t.code) for t in NOT_RATED_REASON if t.code != "other"
                        for w in (t.label, *t.words)), key=lambda p: -len(p[0]))


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", search_key(text)).split())


def not_rated_reason_in(text: object) -> str | None:
    """The specific not-rated reason a text names ("miễn sinh hoạt", "vì đình chỉ sinh hoạt"), or None."""
    key = _key(_text(text)) if text is not None else ""
    if not key:
        return None
    code = NOT_RATED_REASON.lookup(key)
    if code is not None and code != "other":
        return code
    padded = f" {key} "
    for words, code in _REASON_WORDS:
        if f" {words} " in padded:
            return code
    return None


def rating_value(value: object) -> tuple[str | None, str | None]:
    """A rating as typed or written (code, full label, abbreviation; any case or diacritics) → (level, None); a
    not-rated wording ("Không xếp loại (mới kết nạp)", "miễn sinh hoạt") → (None, reason)."""
    text = _text(value) if value is not None else ""
    if not text:
        raise ValueError("Thiếu mức xếp loại")
    key = _key(text)
    level = RATING_LEVEL.lookup(key) or RATING_LEVEL.lookup(key.replace(" ", ""))
    if level is not None:
        return level, None
    reason = NOT_RATED_REASON.lookup(key)
    if reason is not None and reason != "other":
        return None, reason
    for prefix in _NOT_RATED_PREFIXES:
        if key.startswith(prefix):
            return None, not_rated_reason_in(key[len(prefix):]) or "other"
    raise ValueError(f"'{text}' không phải mức xếp loại: ghi HTXSNV, HTTNV, HTNV, KHTNV (hoặc tên đầy đủ), "
                     "hay 'Không xếp loại' kèm lý do")


def score_value(value: object) -> int | float:
    """A score of the QĐ 366 scale as typed or written ("85", "85,5", 85.0) → a number from 0 to 100."""
    if value.__class__ is str:
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            raise ValueError(f"Điểm '{value}' không phải là số") from None
    if value.__class__ not in (int, float) or not 0 <= value <= 100:
        raise ValueError(f"Điểm '{value}' phải từ 0 đến 100 (QĐ 366)")
    return int(value) if float(value).is_integer() else float(value)
