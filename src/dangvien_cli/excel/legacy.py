"""Legacy Vietnamese encodings in old workbooks: TCVN3 (ABC) and VNI-Windows → Unicode NFC (domain.md §6.2).

Excel keeps text typed in a ``.VnTime`` or ``VNI-Times`` font as the code points of the Windows-1252 decode of
the font's bytes, so the tables below are keyed by the cp1252 code point of each byte (for the bytes these
encodings use, 0xA1–0xFF, that is the byte value itself; no Vietnamese letter of either table sits in
0x80–0x9F, so those code points pass through unchanged).

Decoding runs once per text cell of a legacy file, so it is one ``str.translate`` plus, where needed, one
precompiled regular expression or an NFC pass; no Python loop over characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

TCVN3 = "tcvn3"
TCVN3_UPPER = "tcvn3_upper"
VNI = "vni"
UNICODE = "unicode"


def _cp(byte: int) -> str:
    """The character Excel shows for ``byte`` typed in a legacy font (the cp1252 decode)."""
    return bytes([byte]).decode("cp1252")


# --- TCVN3 (TCVN 5712:1993 VN3, the ABC keyboard) -------------------------------------------------------------
# One byte per lower-case letter, toned or not; only the seven capital base letters have their own codes.
# Order of each group: base, huyền, hỏi, ngã, sắc, nặng.
_TCVN3_GROUPS: dict[str, tuple[int | None, int, int, int, int, int]] = {
    "a": (None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TCVN3_SINGLE = {0xAE: "đ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ"}
_TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # base, huyền, hỏi, ngã, sắc, nặng


def _tcvn3_byte_table() -> dict[int, str]:
    table: dict[int, str] = dict(_TCVN3_SINGLE)
    for base, codes in _TCVN3_GROUPS.items():
        for mark, code in zip(_TONE_MARKS, codes, strict=True):
            if code is not None:
                table[code] = unicodedata.normalize("NFC", base + mark)
    return table


TCVN3_BYTES: dict[int, str] = _tcvn3_byte_table()  # byte → Unicode letter (lower case + 7 capitals)
_TCVN3_TRANSLATE = {ord(_cp(b)): ch for b, ch in TCVN3_BYTES.items()}

# A capital toned letter has no code in .VnTime; it is written as the capital base letter followed by the
# lower-case toned letter ("A¸" = Á, "¢Ê" = Ấ). No Vietnamese syllable holds such a pair, so after the byte
# translation every "capital vowel + toned lower-case letter of the same vowel" pair becomes one capital.
_VOWEL_FAMILIES = {v: fam for fam, members in {
    "a": "aăâ", "e": "eê", "i": "i", "o": "oôơ", "u": "uư", "y": "y"}.items() for v in members}


def _base_letter(ch: str) -> str:
    return unicodedata.normalize("NFD", ch)[0].lower()


def _tcvn3_pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}
    letter_mods = "\u0306\u0302\u031b"
    toned_lower = [ch for ch in TCVN3_BYTES.values() if ch.islower() and ch != "đ"]
    for cap in "AĂÂEÊIOÔƠUƯY":
        cap_mod = unicodedata.normalize("NFD", cap)[1:]
        for low in toned_lower:
            low_nfd = unicodedata.normalize("NFD", low)
            tone = "".join(m for m in low_nfd[1:] if m not in letter_mods)
            low_mod = "".join(m for m in low_nfd[1:] if m in letter_mods)
            if not tone or _base_letter(low) != _base_letter(cap):
                continue  # "Ưu" is a word, not a capital
            if cap_mod and low_mod and cap_mod != low_mod:
                continue
            # The capital carries its own modifier; a plain capital takes the lower-case char's ("A¾" = Ắ).
            pairs[cap + low] = unicodedata.normalize("NFC", cap + ("" if cap_mod else low_mod) + tone)
    return pairs


_TCVN3_PAIRS = _tcvn3_pairs()
_TCVN3_PAIR_RE = re.compile(
    "[AĂÂEÊIOÔƠUƯY][" + "".join(sorted({p[1] for p in _TCVN3_PAIRS})) + "]"
)
_TCVN3_CAPS = frozenset("AĂÂEÊIOÔƠUƯY")


def _pair(m: re.Match) -> str:
    return _TCVN3_PAIRS.get(m.group(), m.group())


def decode_tcvn3(text: str, upper: bool = False) -> str:
    """TCVN3 text as Excel stores it → Unicode NFC. ``upper`` for the ``…H`` fonts (``.VnTimeH``)."""
    out = text.translate(_TCVN3_TRANSLATE)
    if upper:
        return out.upper()
    if not _TCVN3_CAPS.isdisjoint(out):
        out = _TCVN3_PAIR_RE.sub(_pair, out)
    return out


# --- VNI-Windows ------------------------------------------------------------------------------------------------
# A base ASCII letter followed by modifier bytes, plus a few single-byte letters (ơ ư đ and the toned i / ỵ).
# Each byte becomes the combining marks it stands for; NFC then composes base + marks into one letter.
_VNI_MODIFIERS = {
    # lower-case modifier, upper-case modifier: combining marks
    (0xF9, 0xD9): "\u0301",  # ù Ù sắc
    (0xF8, 0xD8): "\u0300",  # ø Ø huyền
    (0xFB, 0xDB): "\u0309",  # û Û hỏi
    (0xF5, 0xD5): "\u0303",  # õ Õ ngã
    (0xEF, 0xCF): "\u0323",  # ï Ï nặng
    (0xE2, 0xC2): "\u0302",  # â Â circumflex
    (0xE1, 0xC1): "\u0302\u0301",  # á Á circumflex + sắc
    (0xE0, 0xC0): "\u0302\u0300",  # à À circumflex + huyền
    (0xE5, 0xC5): "\u0302\u0309",  # å Å circumflex + hỏi
    (0xE3, 0xC3): "\u0302\u0303",  # ã Ã circumflex + ngã
    (0xE4, 0xC4): "\u0302\u0323",  # ä Ä circumflex + nặng
    (0xEA, 0xCA): "\u0306",  # ê Ê breve (aê = ă)
    (0xE9, 0xC9): "\u0306\u0301",  # é É breve + sắc
    (0xE8, 0xC8): "\u0306\u0300",  # è È breve + huyền
    (0xFA, 0xDA): "\u0306\u0309",  # ú Ú breve + hỏi
    (0xFC, 0xDC): "\u0306\u0303",  # ü Ü breve + ngã
    (0xEB, 0xCB): "\u0306\u0323",  # ë Ë breve + nặng
}
_VNI_LETTERS = {
    (0xF4, 0xD4): ("ơ", "Ơ"),  # ô Ô
    (0xF6, 0xD6): ("ư", "Ư"),  # ö Ö
    (0xF1, 0xD1): ("đ", "Đ"),  # ñ Ñ
    (0xED, 0xCD): ("í", "Í"),
    (0xEC, 0xCC): ("ì", "Ì"),
    (0xE6, 0xC6): ("ỉ", "Ỉ"),  # æ Æ
    (0xF3, 0xD3): ("ĩ", "Ĩ"),  # ó Ó
    (0xF2, 0xD2): ("ị", "Ị"),  # ò Ò
    (0xEE, 0xCE): ("ỵ", "Ỵ"),  # î Î
}


def _vni_translate() -> dict[int, str]:
    table: dict[int, str] = {}
    for (low, up), marks in _VNI_MODIFIERS.items():
        table[ord(_cp(low))] = marks
        table[ord(_cp(up))] = marks
    for (low, up), (ch_low, ch_up) in _VNI_LETTERS.items():
        table[ord(_cp(low))] = ch_low
        table[ord(_cp(up))] = ch_up
    return table


_VNI_TRANSLATE = _vni_translate()


def decode_vni(text: str) -> str:
    """VNI-Windows text as Excel stores it → Unicode NFC (``"Xin chaøo"`` → ``"Xin chào"``)."""
    return unicodedata.normalize("NFC", text.translate(_VNI_TRANSLATE))


# --- Fonts, dispatch and guessing ---------------------------------------------------------------------------------


def encoding_of_font(font_name: str | None) -> str | None:
    """``.VnTime`` → 'tcvn3', ``.VnTimeH`` → 'tcvn3_upper', ``VNI-Times`` → 'vni', anything else → None."""
    if not font_name:
        return None
    name = font_name.strip().strip('"').strip("'")
    low = name.lower()
    if low.startswith(".vn"):
        # Upper-case fonts end in H: .VnTimeH, .VnArialH, .VnCentury SchoolbookH, .VnAvantH …
        return TCVN3_UPPER if name.rstrip().endswith("H") else TCVN3
    if low.startswith("vni-") or low.startswith("vni "):
        return VNI
    return None


def decode(text: str, encoding: str | None) -> str:
    """Decode ``text`` written in ``encoding`` ('tcvn3', 'tcvn3_upper', 'vni'); 'unicode'/None return it as is.

    The result is NFC. Non-string values are returned unchanged.
    """
    if not isinstance(text, str) or not text:
        return text
    if encoding == TCVN3:
        return unicodedata.normalize("NFC", decode_tcvn3(text))
    if encoding == TCVN3_UPPER:
        return unicodedata.normalize("NFC", decode_tcvn3(text, upper=True))
    if encoding == VNI:
        return decode_vni(text)
    return text


# Signals for guessing. Genuine Unicode Vietnamese holds letters outside Latin-1 (ă đ ơ ư ạ ế …); TCVN3 holds
# symbols in ¡–¾ that no Vietnamese word uses; VNI holds modifier letters (ø û ï ö ñ …) that no Vietnamese
# word uses. TCVN3 also holds some of those letters (its ù ủ ử are ï ñ ö), so a TCVN3 symbol outweighs them.
_VN_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_TCVN3_SIGNS = re.compile("[\u00a1-\u00ae\u00b5-\u00b9\u00bb-\u00be]")
# Pairs such as "oà" (Hoàng) or "uâ" (Xuân) are genuine Unicode too, so only pairs no Vietnamese word holds.
_VNI_SIGNS = re.compile("[øûïöñåæîëüäØÛÏÖÑÄËÜÅÆÎ]|[aeAE][âáàãêéèú]|[aeiouyAEIOUY][ùõú]|[AEIOUY][ÙÕÂÁÀÃÊÉÈÚ]")


def guess_encoding(texts: Iterable[str], limit: int = 2000) -> str:
    """'unicode', 'tcvn3' or 'vni' for a sheet's texts when no font names are recorded (domain.md §6.2).

    Looks at up to ``limit`` non-empty strings.
    """
    vn = tcvn = vni = 0
    seen = 0
    for text in texts:
        if not isinstance(text, str) or not text or text.isascii():
            continue
        vn += len(_VN_ONLY.findall(text))
        tcvn += len(_TCVN3_SIGNS.findall(text))
        vni += len(_VNI_SIGNS.findall(text))
        seen += 1
        if seen >= limit:
            break
    if tcvn == 0 and vni == 0:
        return UNICODE
    if vn > tcvn + vni:
        return UNICODE
    if tcvn and tcvn * 7 >= vni:
        return TCVN3
    return VNI if vni else UNICODE
