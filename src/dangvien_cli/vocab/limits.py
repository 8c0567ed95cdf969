"""How long each text of a record may be, and what a name must look like.

The lengths are far above anything a clerk writes (the longest Vietnamese names are under 50 characters, an
address with hamlet, commune and province under 150), so a value over them is a mistake — a pasted paragraph,
a cell holding a whole column — and is refused with the field named, never cut: a record exported and imported
again must be the same record (Excel keeps at most 32,767 characters in a cell).
"""

from __future__ import annotations

import re

NAME, SHORT, ADDRESS, NOTE = 100, 100, 300, 2000

FIELD_LIMITS: dict[str, int] = {
    "full_name": NAME, "other_name": NAME,
    "ethnicity": SHORT, "religion": SHORT, "old_id_number": SHORT, "biography_number": SHORT,
    "education_general": SHORT, "political_theory": SHORT,
    "hometown": ADDRESS, "birthplace": ADDRESS, "residence": ADDRESS, "occupation": ADDRESS, "position": ADDRESS,
    "education_professional": ADDRESS, "cell": ADDRESS, "destination": ADDRESS, "reference": ADDRESS,
    "note": NOTE, "status_reason": NOTE,
}

_LETTER = re.compile(r"[^\W\d_]")


_OTHER_LABELS = {"cell": "Chi bộ", "destination": "Nơi chuyển đến", "reference": "Số quyết định",
                 "status_reason": "Lý do"}


def too_long(field: str, value: str | None, label: str | None = None) -> str | None:
    """The Vietnamese problem when ``value`` is longer than ``field`` allows, else None."""
    limit = FIELD_LIMITS.get(field)
    if value is None or limit is None or len(value) <= limit:
        return None
    if label is None:
        from dangvien_cli.vocab import MEMBER_FIELD

        label = MEMBER_FIELD.label(field) if field in MEMBER_FIELD else _OTHER_LABELS.get(field, field)
    return f"{label} dài {_n(len(value))} ký tự, quá giới hạn {_n(limit)} ký tự: hãy rút gọn"


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def has_letter(value: str) -> bool:
    return _LETTER.search(value) is not None


def bad_name(value: str) -> str | None:
    """Why ``value`` (already normalised) cannot be a person's name, or None: it must hold a letter (a formula's
    cached "2" or a stray "-" is not a name) and fit the limit."""
    if not has_letter(value):
        return f"Họ và tên '{value}' không có chữ cái nào"
    return too_long("full_name", value)
