"""Who a person is: the card-number and personal-id rules, and "is this row the same person as that member".

**Numbers** (domain.md §1.5, §9). Both are strings of ASCII digits, leading zeros kept:

- the personal id (số định danh cá nhân, the CCCD number) has exactly 12 digits; an old 9-digit CMND is not a
  personal id (it goes to ``old_id_number``);
- the party card number (số thẻ đảng viên) has 8 digits (the old card, Quyết định 85) or 12 digits (the chip
  card exchanged from 2025 under Chỉ thị 51-CT/TW). No official description of the format was found, so these
  are the two formats seen in real records; any other length is refused rather than stored, with both named.

``members add``/``update`` and the roster import both ask :func:`card_problem` and :func:`national_id_problem`,
so a value typed and the same value in a file get the same verdict. Only a file can hold a *number* that Excel
shortened (a card of 7 digits, a personal id of 11): the roster reader restores the leading zero, with a warning,
before asking.

**Matching** (issue 10; domain.md §7 "matched on CCCD, then card number, then name plus date of birth"): a row of
a file names an existing member by, in this order,

1. the personal id — it is the person's; a card number on the row that belongs to another member is a conflict;
2. the card number — unless both the name and the birth date differ from the card holder's (then the card was
   typed on the wrong row), or the row's personal id differs from the one the card holder has;
3. the normalised name (search key) with the birth date — only when exactly one member fits; when two or more
   do, the row is refused (:data:`AMBIGUOUS`): it is never guessed.

Nothing found is no problem by itself: a roster row is then a new member, a book row an error of the caller's.
The roster import (``services/roster_import.py``) and the books (``services/books.py``) both call :func:`match_person`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PERSONAL_ID_LENGTH = 12
CARD_LENGTHS = (8, 12)

# Problems of a match.
CARD_OF_ANOTHER = "card_of_another"  # the card number belongs to another member
ID_OF_ANOTHER = "national_id_of_another"  # the personal id belongs to, or differs from, another member's
AMBIGUOUS = "ambiguous"  # two or more members with this name and birth date


def clean_number(text: str) -> str:
    """A number as typed or written: spaces, dots, non-breaking spaces and Excel's leading apostrophe removed."""
    return text.strip().lstrip("'").replace(" ", "").replace(".", "").replace("\u00a0", "")


def _digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def national_id_problem(value: str) -> str | None:
    """Why ``value`` (cleaned) is not a personal id, in Vietnamese; None when it is one."""
    if not _digits(value):
        return f"Số định danh cá nhân '{value}' phải gồm các chữ số"
    if len(value) != PERSONAL_ID_LENGTH:
        return f"Số định danh cá nhân '{value}' phải có đúng 12 chữ số (đang có {len(value)})"
    return None


def card_problem(value: str) -> str | None:
    """Why ``value`` (cleaned) is not a party card number, in Vietnamese; None when it is one."""
    if not _digits(value):
        return f"Số thẻ đảng viên '{value}' phải gồm các chữ số"
    if len(value) not in CARD_LENGTHS:
        return (f"Số thẻ đảng viên {value} có {len(value)} chữ số: thẻ cũ có 8 chữ số, thẻ mới (từ 2025) có "
                "12 chữ số")
    return None


# --- matching ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """What :func:`match_person` found: the member (or None), how, and the problem that refuses the row."""

    member_id: int | None
    by: str | None = None  # "national_id", "card_number" or "name_birth"
    problem: str | None = None  # CARD_OF_ANOTHER, ID_OF_ANOTHER, AMBIGUOUS
    field: str | None = None  # the field of the row the problem is about
    others: tuple[int, ...] = ()  # the other member(s) concerned

    @property
    def refused(self) -> bool:
        return self.problem is not None


class People:
    """The members already recorded, indexed for matching: built once per import from
    ``(id, national_id, card_number, search_key, birth_date)`` rows."""

    __slots__ = ("by_id", "by_national_id", "by_card", "by_name_birth")

    def __init__(self, rows: Iterable[tuple[int, str | None, str | None, str, str | None]] = ()):
        self.by_id: dict[int, tuple[str | None, str | None, str, str | None]] = {}
        self.by_national_id: dict[str, int] = {}
        self.by_card: dict[str, int] = {}
        self.by_name_birth: dict[tuple[str, str | None], list[int]] = {}
        by_id, by_nid, by_card, by_name = self.by_id, self.by_national_id, self.by_card, self.by_name_birth
        for member_id, national_id, card, name_key, birth in rows:  # add(), inlined: 100,000 rows an import
            by_id[member_id] = (national_id, card, name_key, birth)
            if national_id:
                by_nid[national_id] = member_id
            if card:
                by_card[card] = member_id
            by_name.setdefault((name_key, birth), []).append(member_id)

    def add(self, member_id: int, national_id: str | None, card: str | None, name_key: str,
            birth: str | None) -> None:
        self.by_id[member_id] = (national_id, card, name_key, birth)
        if national_id:
            self.by_national_id[national_id] = member_id
        if card:
            self.by_card[card] = member_id
        self.by_name_birth.setdefault((name_key, birth), []).append(member_id)

    def __bool__(self) -> bool:
        return bool(self.by_id)


def _same_person(stored: tuple, name_key: str, birth: str | None) -> bool:
    """A card number names its holder unless both the name and the birth date differ."""
    _, _, stored_key, stored_birth = stored
    return stored_key == name_key or not birth or not stored_birth or stored_birth == birth


def match_person(people: People, national_id: str | None, card_number: str | None, name_key: str | None,
                 birth_date: str | None) -> Match:
    """The member a row names; see the module docstring for the order and the refusals."""
    if national_id and national_id in people.by_national_id:
        member_id = people.by_national_id[national_id]
        holder = people.by_card.get(card_number) if card_number else None
        if holder is not None and holder != member_id:
            return Match(member_id, "national_id", CARD_OF_ANOTHER, "card_number", (holder,))
        return Match(member_id, "national_id")
    if card_number and card_number in people.by_card:
        member_id = people.by_card[card_number]
        stored = people.by_id[member_id]
        if national_id and stored[0] and stored[0] != national_id:
            return Match(None, "card_number", ID_OF_ANOTHER, "national_id", (member_id,))
        if not _same_person(stored, name_key or "", birth_date):
            return Match(None, "card_number", CARD_OF_ANOTHER, "card_number", (member_id,))
        return Match(member_id, "card_number")
    if not name_key or not birth_date:
        return Match(None)
    ids = people.by_name_birth.get((name_key, birth_date), ())
    if national_id:  # a member recorded with another personal id is another person
        ids = [i for i in ids if not people.by_id[i][0] or people.by_id[i][0] == national_id]
    if len(ids) == 1:
        return Match(ids[0], "name_birth")
    if ids:
        return Match(None, "name_birth", AMBIGUOUS, "full_name", tuple(ids))
    return Match(None)


def match_message(match: Match, *, national_id: str | None = None, card_number: str | None = None,
                  name: str | None = None, birth_date: str | None = None) -> str:
    """The Vietnamese reason a refused match gives (no final full stop)."""
    from .dates import format_vi

    others = ", ".join(str(i) for i in match.others)
    if match.problem == CARD_OF_ANOTHER:
        if match.by == "national_id":
            return f"Số thẻ {card_number} đã thuộc về đảng viên khác (mã số {others})"
        return (f"Số thẻ {card_number} đã thuộc về đảng viên khác (mã số {others}) có họ tên và ngày sinh "
                "khác")
    if match.problem == ID_OF_ANOTHER:
        return (f"Số thẻ {card_number} thuộc về đảng viên mã số {others}, người có số định danh cá nhân khác "
                f"{national_id}")
    if match.problem == AMBIGUOUS:
        return (f"Có {len(match.others)} đảng viên '{name}' cùng ngày sinh {format_vi(birth_date)} (mã số "
                f"{others}): không đoán được là ai; hãy ghi số định danh cá nhân hoặc số thẻ đảng viên")
    raise ValueError(match.problem)
