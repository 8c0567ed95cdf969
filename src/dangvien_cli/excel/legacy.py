"""Legacy Vietnamese encodings in old workbooks: TCVN3 (ABC) and VNI-Windows → Unicode NFC (domain.md §6.2).

Excel keeps text typed in a ``.VnTime`` or ``VNI-Times`` font as the code points of the Windows-1252 decode of
the font's bytes, so the tables below are keyed by the cp1252 code point of each byte (for 0xA0–0xFF that is
the byte value itself; for 0x80–0x9F it is the cp1252 letter, or the C1 code point for the five bytes cp1252
leaves undefined). TCVN3 capitals written with the full TCVN 5712 "VN1" codes (0x01–0x17, 0x80–0x9F and the
slots VN3 leaves free) are decoded too: the table was checked letter by letter against glibc's TCVN5712-1.

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
    """The character Excel shows for ``byte`` typed in a legacy font (the cp1252 decode; the C1 code point for
    the bytes cp1252 leaves undefined)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


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
# The toned capitals of TCVN 5712:1993 VN1, in the codes VN3 leaves free (the same letters in both tables
# agree). Order of each string: the bytes listed beside it.
_VN1_CAPITALS = {
    (0x01, 0x02, 0x04, 0x05, 0x06): "ÚỤỪỬỮ",
    tuple(range(0x11, 0x18)): "ỨỰỲỶỸÝỴ",
    tuple(range(0x80, 0xA0)): "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ",
    (0xAF, 0xBA, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xCD, 0xD9, 0xDA, 0xDB, 0xE0, 0xF0, 0xFF): "ẰẲẴẮẦẨẪẤỀỂỄẾỒỔỖỐ",
}
_VN1_MARKS = {0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303", 0xB3: "\u0301", 0xB4: "\u0323"}  # combining tones
_TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # base, huyền, hỏi, ngã, sắc, nặng


def _tcvn3_byte_table() -> dict[int, str]:
    table: dict[int, str] = dict(_TCVN3_SINGLE)
    for base, codes in _TCVN3_GROUPS.items():
        for mark, code in zip(_TONE_MARKS, codes, strict=True):
            if code is not None:
                table[code] = unicodedata.normalize("NFC", base + mark)
    return table


def _vn1_capitals() -> dict[int, str]:
    table: dict[int, str] = {}
    for codes, letters in _VN1_CAPITALS.items():
        table.update(zip(codes, letters, strict=True))
    return table


TCVN3_BYTES: dict[int, str] = _tcvn3_byte_table()  # byte → Unicode letter (VN3: lower case + 7 capitals)
VN1_CAPITAL_BYTES: dict[int, str] = _vn1_capitals()  # byte → toned capital (VN1 codes)
_TCVN3_TRANSLATE = {ord(_cp(b)): ch for b, ch in TCVN3_BYTES.items()}
_TCVN3_TRANSLATE.update({ord(_cp(b)): ch for b, ch in {**VN1_CAPITAL_BYTES, **_VN1_MARKS}.items()})
_TCVN3_TRANSLATE.update({b: ch for b, ch in VN1_CAPITAL_BYTES.items() if 0x80 <= b < 0xA0})  # stored as C1

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


# A toned capital also reaches .VnTime text as the lower-case toned letter alone, inside a word otherwise in
# capitals ("QU" + "Ç" + "N" for QUẦN): such a word is upper-cased. When a cell shows that habit, a capital
# followed by its toned lower-case letter is two letters, not one (SOÓC is "SO" + "ã" + "C"); only the pairs
# that no Vietnamese word can hold twice (AÁ, ÊẾ, ƠỚ …) are still read as one capital.
_TONED_LOWER = frozenset(ch for ch in TCVN3_BYTES.values()
                         if ch.islower() and any(m in unicodedata.normalize("NFD", ch) for m in _TONE_MARKS[1:]))
_WORD = re.compile(r"[^\W\d_]+")
_DOUBLE_O = frozenset(p for p in _TCVN3_PAIRS if p[0] == "O" and _base_letter(p[1]) == "o" and
                      unicodedata.normalize("NFD", p[1])[1:2] not in ("\u0302", "\u031b"))


def _shape(word: str) -> str:
    """'lower' (holds an untoned lower-case letter: an ordinary word), 'upper' (no lower case at all), 'caps'
    (two capitals or more, the rest toned lower case: "QUầN"), 'title' (one leading capital, the rest toned
    lower case: "Bộ", which may be BỘ), 'none'."""
    upper = toned = 0
    for ch in word:
        if ch.isupper():
            upper += 1
        elif ch in _TONED_LOWER:
            toned += 1
        elif ch.islower():
            return "lower"
    if not upper:
        return "none"
    if not toned:
        return "upper"
    return "caps" if upper > 1 else "title" if word[0].isupper() else "none"


def _lone_toned(word: str) -> bool:
    """A toned lower-case letter in a capitals word that no capital of its own vowel precedes."""
    return any(ch in _TONED_LOWER and (i == 0 or word[i - 1] + ch not in _TCVN3_PAIRS) for i, ch in enumerate(word))


def _tcvn3_capitals(text: str) -> str:
    words = list(_WORD.finditer(text))
    shapes = [_shape(m.group()) for m in words]
    # A cell written in capitals: no ordinary lower-case word, and one word at least with two capitals.
    in_capitals = "lower" not in shapes and any(
        sh in ("caps", "upper") and sum(ch.isupper() for ch in m.group()) > 1 for m, sh in zip(words, shapes, strict=True))
    upcase = [m for m, sh in zip(words, shapes, strict=True) if sh == "caps" or (sh == "title" and in_capitals)]
    if not upcase:
        return _TCVN3_PAIR_RE.sub(_pair, text)
    lone = any(_lone_toned(m.group()) for m in upcase)
    out: list[str] = []
    pos = 0
    for m in upcase:
        out.append(_TCVN3_PAIR_RE.sub(_pair, text[pos:m.start()]))
        if lone:
            word = _TCVN3_PAIR_RE.sub(lambda p: p.group() if p.group() in _DOUBLE_O else _pair(p), m.group())
        else:
            word = _TCVN3_PAIR_RE.sub(_pair, m.group())
        out.append(word.upper())
        pos = m.end()
    out.append(_TCVN3_PAIR_RE.sub(_pair, text[pos:]))
    return "".join(out)


def decode_tcvn3(text: str, upper: bool = False) -> str:
    """TCVN3 text as Excel stores it → Unicode NFC. ``upper`` for the ``…H`` fonts (``.VnTimeH``)."""
    out = text.translate(_TCVN3_TRANSLATE)
    if upper:
        return out.upper()
    if not _TCVN3_CAPS.isdisjoint(out) or (out != out.lower() and not _TONED_LOWER.isdisjoint(out)):
        out = _tcvn3_capitals(out)
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
