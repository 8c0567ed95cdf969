"""Column converters of the roster and book readers: a value from calamine (never '') → the normalised value.

Each converter is an object with three parts:

- calling it converts one distinct value of the column, or raises ``ValueError`` with a Vietnamese message (the
  reader turns it into a row error naming the column), or returns a :class:`Warn` (value plus a warning);
- :meth:`Converter.column_is_clean` says, in one C-level pass over the column's distinct values, that converting
  would give every value back unchanged (the common case: names already NFC, ids already digits);
- :meth:`Converter.whole_numbers` gives a whole column of numbers Excel stored as floats back as digit strings.

The rules themselves are elsewhere and asked here: the card and personal-id numbers in ``rules.identity``,
the genders in ``vocab.GENDER``, the field lengths and what a name must look like in ``vocab.limits``, dates in
``rules.dates``. Only what a file alone can do to a value is handled here: a number that lost its leading zero,
a date Excel made of "9/12", a card number in exponent form.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from dangvien_cli.rules.dates import DateError, format_vi, parse_date
from dangvien_cli.rules.identity import card_problem, clean_number, national_id_problem
from dangvien_cli.text import needs_folding, normalize_text, search_key
from dangvien_cli.vocab import GENDER
from dangvien_cli.vocab.limits import FIELD_LIMITS, bad_name, has_letter, too_long

TEXT_FIELDS = ("full_name", "other_name", "ethnicity", "religion", "hometown", "birthplace", "residence", "cell",
               "position", "education_professional", "political_theory", "occupation", "note")
DATE_FIELDS = ("birth_date", "admission_date", "official_date", "decision_date", "birth_male", "birth_female")


class Warn:
    """A converted value that comes with a warning for its cell."""

    __slots__ = ("value", "message")

    def __init__(self, value: object, message: str):
        self.value = value
        self.message = message


class OldId(str):
    """A 9-digit CMND found in a national-id column (moved to ``old_id_number``)."""


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
    return (joined.count(_SEP) == len(col) - 1  # a NUL inside a value is dirt, not a separator
            and not joined.startswith(" ") and not joined.endswith(" ") and "  " not in joined
            and _SEP + " " not in joined and " " + _SEP not in joined
            and joined.replace(_SEP, "").isprintable() and unicodedata.is_normalized("NFC", joined)
            and not needs_folding(joined))


class Converter:
    """The base: no fast path; subclasses convert in ``__call__``."""

    __slots__ = ()

    def __call__(self, v: object) -> object:
        raise NotImplementedError

    def column_is_clean(self, col: tuple | list | set) -> bool:
        return False

    def whole_numbers(self, col: tuple | list) -> list[str] | None:
        return None


class TextConverter(Converter):
    """Text of a column: NFC, single spaces; longer than the field's limit (vocab.limits) is an error, never cut;
    a name must hold a letter (a formula's cached "2" is not a name). Results cached per distinct value."""

    __slots__ = ("field", "limit", "is_name", "_cache")

    def __init__(self, field: str | None = None):
        self.field = field
        self.limit = FIELD_LIMITS.get(field, 32767)
        self.is_name = field == "full_name"
        self._cache: dict[object, str | None] = {}

    def __call__(self, v):
        r = self._cache.get(v)
        if r is None:
            if v.__class__ is str:
                r = normalize_text(v)
            elif v.__class__ in (date, datetime):
                r = format_vi(v.isoformat()[:10])
            else:
                r = normalize_text(_num_text(v))
            if r is not None:
                problem = bad_name(r) if self.is_name else too_long(self.field, r) if len(r) > self.limit else None
                if problem:
                    raise ValueError(f"{problem}.")
            self._cache[v] = r
        return r

    def column_is_clean(self, col):
        return (text_column_is_clean(col) and max(map(len, col)) <= self.limit
                and (not self.is_name or all(map(has_letter, col))))


class EducationConverter(TextConverter):
    """Text, except a date: "9/12" typed into a General cell became a date; give back the day/month typed."""

    __slots__ = ()

    def __init__(self):
        super().__init__("education_general")

    def __call__(self, v):
        if v.__class__ in (date, datetime):
            shown = f"{v.day}/{v.month}"
            return Warn(shown, f"Excel đã đổi '{shown}' thành ngày; đã đọc lại là '{shown}'.")
        return TextConverter.__call__(self, v)


def _plain_dmy(text: str) -> str | None:
    """The ISO date of a typed "dd/mm/yyyy" that is a real day (the commonest text in a date column), without
    parse_date's trying of every accepted form; None for anything else, which parse_date then reads (and words
    its error)."""
    if len(text) != 10 or text[2] != "/" or text[5] != "/" or not text.isascii():
        return None
    day, month, year = text[:2], text[3:5], text[6:]
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        return None
    try:
        return date(int(year), int(month), int(day)).isoformat()  # 00 for an unknown day or month: parse_date
    except ValueError:
        return None


class DateConverter(Converter):
    """A date of any accepted form (rules.dates.parse_date, Excel serials included) → ISO of its precision; a
    date after ``today_iso`` is an error."""

    __slots__ = ("today_iso", "_cache")

    def __init__(self, today_iso: str):
        self.today_iso = today_iso
        self._cache: dict[object, str] = {}

    def __call__(self, v):
        cls = v.__class__
        if cls is datetime:
            r = v.date().isoformat()
        elif cls is date:
            r = v.isoformat()
        else:
            r = self._cache.get(v)
            if r is None:
                if cls is float and v.is_integer():
                    v2 = int(v)
                elif cls is str:
                    v2 = v.strip().lstrip("'")
                    r = _plain_dmy(v2)
                else:
                    v2 = v
                if r is None:
                    r = parse_date(v2, allow_serial=True)
                if r is None:
                    return None
                self._cache[v] = r
        if r > self.today_iso[: len(r)]:
            raise DateError(f"Ngày {format_vi(r)} nằm ở tương lai.")
        return r

    def known(self, distinct: set) -> dict:
        """{value: ISO} at once for the plain dates among a column's ``distinct`` values (what a date cell gives),
        when none is in the future; the other values are left to ``__call__``."""
        dates = [v for v in distinct if v.__class__ is date]
        iso = list(map(date.isoformat, dates))
        if not iso or max(iso) > self.today_iso:
            return {}
        return dict(zip(dates, iso, strict=True))


class GenderConverter(Converter):
    """'Nam' / 'Nữ' and the other words of vocab.GENDER → 'male' / 'female'."""

    __slots__ = ()

    def __call__(self, v):
        g = GENDER.lookup(v) if v.__class__ is str else None
        if g is None:
            raise ValueError(f"Giới tính '{v}' không rõ (cần ghi Nam hoặc Nữ).")
        return g


_MARKS = frozenset({"x", "v", "1", "co", "✓", "✔", "+", "*", "nam", "nu", "true"})


class MarkConverter(Converter):
    """A tick in a Nam or Nữ column → True; a date written there instead is the birth date (a str)."""

    __slots__ = ("dates",)

    def __init__(self, dates: DateConverter):
        self.dates = dates

    def __call__(self, v):
        if v is True or (v.__class__ in (int, float) and v == 1):
            return True
        if v.__class__ is str and search_key(v).strip(" .") in _MARKS:
            return True
        if v.__class__ in (date, datetime, int, float) or (v.__class__ is str and any(ch.isdigit() for ch in v)):
            return self.dates(v)  # a birth date written under Nam / Nữ
        raise ValueError(f"Không hiểu dấu '{v}' ở cột Nam/Nữ (hãy đánh 'x').")


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


class DigitsConverter(Converter):
    """A number kept as a string of digits; the column is clean when every value already has one of
    ``widths`` digits."""

    __slots__ = ("_pattern",)
    widths: tuple[int, ...] = ()

    def __init__(self):
        one = "|".join(f"[0-9]{{{w}}}" for w in self.widths)
        self._pattern = re.compile(rf"(?:(?:{one})\x00)*(?:{one})")

    def column_is_clean(self, col):
        """True when every value is a string of ASCII digits of one of ``widths`` (kept as it is)."""
        try:
            return bool(col) and self._pattern.fullmatch("\x00".join(col)) is not None
        except TypeError:
            return False

    def whole_numbers(self, col):
        """The digit strings when every value is a number Excel stores as a float, each of one of ``widths``
        digits (no lost leading zero to report); else None and the values are converted one by one."""
        try:
            if not col or not all(map(float.is_integer, col)):
                return None
            texts = list(map(str, map(int, col)))
        except TypeError:  # not all floats
            return None
        return texts if self._pattern.fullmatch("\x00".join(texts)) is not None else None


class CardConverter(DigitsConverter):
    """A card number: the rule of rules.identity, after giving back the leading zero Excel drops from a number."""

    __slots__ = ()
    widths = (8, 12)

    def __call__(self, v):
        if v.__class__ is str and len(v) == 8 and v.isdigit() and v.isascii():
            return v
        s, numeric = _digits(v, "Số thẻ đảng viên")
        if numeric and len(s) == 7:
            return Warn("0" + s, f"Số thẻ {s} chỉ có 7 chữ số (Excel bỏ số 0 đầu); đã đọc là 0{s}.")
        problem = card_problem(s)
        if problem:
            raise ValueError(f"{problem}.")
        return s


class NationalIdConverter(DigitsConverter):
    """A personal id (rules.identity); an 11-digit number gets its zero back, an old 9-digit CMND is moved."""

    __slots__ = ()
    widths = (12,)

    def __call__(self, v):
        if v.__class__ is str and len(v) == 12 and v.isdigit() and v.isascii():
            return v
        s, numeric = _digits(v, "Số định danh cá nhân")
        n = len(s)
        if n == 12:
            return s
        if n == 11 and numeric:
            return Warn("0" + s, f"Số định danh {s} chỉ có 11 chữ số (Excel bỏ số 0 đầu); đã đọc là 0{s}.")
        if n == 9 or (n == 8 and numeric):
            old = s.zfill(9)
            return Warn(
                OldId(old),
                f"'{old}' là số CMND cũ 9 chữ số, không phải số định danh 12 chữ số: đã ghi vào số CMND cũ; "
                "cần bổ sung số định danh cá nhân.",
            )
        raise ValueError(f"{national_id_problem(s)}.")


class OldIdConverter(Converter):
    """An old CMND: 9 (or 12) digits; an 8-digit number gets its zero back."""

    __slots__ = ()

    def __call__(self, v):
        s, numeric = _digits(v, "Số CMND cũ")
        if numeric and len(s) == 8:
            return Warn("0" + s, f"Số CMND {s} chỉ có 8 chữ số (Excel bỏ số 0 đầu); đã đọc là 0{s}.")
        if len(s) not in (9, 12):
            raise ValueError(f"Số CMND cũ '{s}' phải có 9 (hoặc 12) chữ số.")
        return s


class NationalCodeConverter(Converter):
    """An organization's code in the national database: five groups of digits, 2 then four of 3 (M1.M2.M3.M4.M5).
    Spaces around the dots are dropped; anything else is refused, never guessed."""

    __slots__ = ()

    def __call__(self, v):
        from dangvien_cli.rules.dossier import NATIONAL_CODE

        s = re.sub(r"\s*\.\s*", ".", _num_text(v).strip())
        if not NATIONAL_CODE.match(s):
            raise ValueError(f"Mã tổ chức '{s}' không đúng dạng M1.M2.M3.M4.M5 (2 chữ số rồi bốn nhóm 3 chữ số, "
                             "cách nhau bằng dấu chấm, ví dụ 38.168.053.000.001).")
        return s


class SeqConverter(Converter):
    """The STT column: read for the row scanning, never stored."""

    __slots__ = ()

    def __call__(self, v):
        return None


conv_gender = GenderConverter()
conv_card = CardConverter()
conv_national_id = NationalIdConverter()
conv_old_id = OldIdConverter()
conv_seq = SeqConverter()


def converter_for(fld: str, today_iso: str) -> Converter:
    """The converter of one column of ``fld`` (a new one for the caching kinds)."""
    if fld in TEXT_FIELDS:
        return TextConverter(fld)
    if fld in DATE_FIELDS:
        return DateConverter(today_iso)
    if fld == "gender":
        return conv_gender
    if fld in ("male_mark", "female_mark"):
        return MarkConverter(DateConverter(today_iso))
    if fld == "card_number":
        return conv_card
    if fld == "national_id":
        return conv_national_id
    if fld == "old_id_number":
        return conv_old_id
    if fld == "education_general":
        return EducationConverter()
    if fld == "seq":
        return conv_seq
    if fld == "cell_national_code":
        return NationalCodeConverter()
    return TextConverter()
