"""Vietnamese text: NFC normalisation, search keys and Vietnamese collation (style.md, "Vietnamese text").

Everything here is pure and cheap: it runs once per cell of a 100,000-row import.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")

# Vietnamese alphabet order (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), with the
# Latin letters Vietnamese does not use (f j w z) slotted where the Latin alphabet puts them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}

# Tone marks as combining characters after NFD, in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Combining marks that change the letter itself (ă â ê ô ơ ư), not the tone.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}


# Terminal escape sequences (CSI "ESC [ … final", OSC "ESC ] … BEL or ESC \\", their one-byte C1 forms, and the
# two-character ESC sequences) are removed whole, so that no "[31m" is left behind.
_ESCAPES = re.compile(
    "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI
    "|(?:\x1b[\\]P^_X]|[\x9d\x90\x9e\x9f\x98])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?"  # OSC, DCS, PM, APC, SOS
    "|\x1b[ -/]*[0-~]?"  # any other escape
)
# What is left that cannot be seen and can change what is shown: C0/C1 controls other than white space, and
# format characters (bidi embeddings, overrides and isolates, zero-width spaces and joiners, the BOM, the soft
# hyphen). White space controls (tab, line breaks) are folded to one space instead.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# "Đ" read through Windows-1252 comes out as the Icelandic eth "Ð"/"ð", which no Vietnamese text holds.
_MISREAD = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def needs_folding(text: str) -> bool:
    """True when ``text`` holds a letter :func:`normalize_text` folds (Ð/ð for Đ/đ) even though it is printable."""
    return "\u00d0" in text or "\u00f0" in text


def strip_controls(text: str) -> str:
    """``text`` without terminal escape sequences, control characters or bidi/format characters."""
    if text.isprintable():
        return text
    return _INVISIBLE.sub("", _ESCAPES.sub("", text))


def normalize_text(value: object) -> str | None:
    """NFC, trimmed, runs of white space (non-breaking spaces and line breaks included) folded to one space.

    Terminal escape sequences, control characters and bidi/format characters are removed (nothing stored can
    change the terminal or reorder what is shown), and "Ð"/"ð" (Đ/đ mis-decoded through Windows-1252) become
    Đ/đ. None, empty and blank strings become None.
    """
    if value is None:
        return None
    text = strip_controls(value if isinstance(value, str) else str(value))
    if needs_folding(text):
        text = text.translate(_MISREAD)
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", text.replace("\u00a0", " ")).strip())
    return text or None


def capitalize_words(name: str) -> str:
    """Each word's first letter in capitals, the rest as it is ("Hồ Minh ánh" → "Hồ Minh Ánh", "ĐỖ" stays)."""
    return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))


def _fold_table() -> dict[int, str | None]:
    """Each accented Latin letter (Vietnamese's among them) → its letter without marks, and each combining mark →
    nothing: one ``str.translate`` does what NFD and dropping the marks would do, for these characters."""
    table: dict[int, str | None] = {ord(k): v for k, v in (("đ", "d"), ("Đ", "D"), ("\u00d0", "D"), ("\u00f0", "d"))}
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        ch = chr(code)
        if code in table:
            continue
        bare = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if bare != ch:
            table[code] = bare
    for code in range(0x300, 0x370):
        if unicodedata.combining(chr(code)):
            table[code] = None
    return table


_FOLD = _fold_table()


def strip_diacritics(text: str) -> str:
    """Remove every diacritic; đ/Đ (and their cp1252 misreadings ð/Ð) become d/D.

    Vietnamese text comes out ASCII from one table lookup per character; anything else still accented (Greek,
    Cyrillic …) goes through NFD, which gives the same result as NFD of the whole text would."""
    folded = text.translate(_FOLD)
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def search_key(value: str | None) -> str:
    """Key for searching: case-folded, no diacritics, đ→d, single spaces. ``Nguyễn Văn Ân`` → ``nguyen van an``."""
    if not value:
        return ""
    # Word by word: a roster's 100,000 names are made of a few thousand words (str.split's white space is
    # re's \s; a word that was only combining marks leaves nothing, as in the whole text).
    return " ".join(filter(None, map(_word_search_key, value.split())))


@lru_cache(maxsize=65536)
def _word_search_key(word: str) -> str:
    return strip_diacritics(word).casefold()


@lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[str, str]:
    """(letters, tones) for one word: letters ranked in Vietnamese order, tones as a secondary key."""
    letters: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower().translate(_MISREAD)):
        if ch in _TONES:
            tones[-1:] = [str(_TONES[ch])] if tones else []
            continue
        if ch in _LETTER_MARKS and letters:
            base = letters.pop()
            composed = unicodedata.normalize("NFC", base + ch)
            letters.append(composed)
            continue
        if unicodedata.combining(ch):
            continue
        letters.append(ch)
        tones.append("0")
    letter_key = "".join(
        chr(0x100 + _LETTER_RANK[ch]) if ch in _LETTER_RANK else ch for ch in letters
    )
    return letter_key, "".join(tones)


@lru_cache(maxsize=65536)
def collation_key(full_name: str | None) -> str:
    """A string whose plain (binary) order is the Vietnamese order of names.

    Names sort by given name (the last word), then family and middle names in order, letter by letter in the
    Vietnamese alphabet; tones break ties (ngang, huyền, hỏi, ngã, sắc, nặng). Stored in the database so that
    ``ORDER BY sort_key`` gives the Vietnamese order without Python.

    The separators are the two lowest characters a name never holds (normalize_text removes control
    characters): U+0001 between the letters and the tones, U+0002 between words, both below every letter's
    key. Never U+0000, which PostgreSQL text refuses (migration 8 rewrote the keys stored with it).
    """
    if not full_name:
        return ""
    words = full_name.split()
    ordered = words[-1:] + words[:-1]
    keys = [_word_key(w) for w in ordered]
    primary = "\u0002".join(k[0] for k in keys)
    secondary = "\u0002".join(k[1] for k in keys)
    return primary + "\u0001" + secondary


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
