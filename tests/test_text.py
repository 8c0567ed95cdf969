"""Vietnamese text: NFC, search keys, collation (style.md "Vietnamese text")."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from dangvien_cli.text import collation_key, normalize_text, search_key

VIET = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"


def test_normalize_text_folds_spaces_and_composes():
    decomposed = unicodedata.normalize("NFD", "Nguyễn\u00a0 Văn\n Ân ")
    assert normalize_text(decomposed) == "Nguyễn Văn Ân"
    assert unicodedata.is_normalized("NFC", normalize_text(decomposed))
    assert normalize_text("   ") is None and normalize_text(None) is None


def test_search_key():
    assert search_key("Nguyễn Văn Ân") == "nguyen van an"
    assert search_key("ĐỖ THỊ ĐÀO") == "do thi dao"
    assert search_key(unicodedata.normalize("NFD", "Trường")) == "truong"


def test_collation_letter_order():
    words = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o", "ô", "ơ", "p",
             "q", "r", "s", "t", "u", "ư", "v", "x", "y"]
    assert sorted(words, key=collation_key) == words


def test_collation_tones_break_ties_only():
    # Base letters decide first (an < anh), tones only between otherwise equal words.
    assert sorted(["Anh", "Án", "An", "Ạn", "Àn"], key=collation_key) == ["An", "Àn", "Án", "Ạn", "Anh"]


def test_collation_given_name_first():
    names = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị An"]
    assert sorted(names, key=collation_key) == ["Lê Thị An", "Nguyễn Văn An", "Trần Văn Bình"]


@given(st.text(alphabet=VIET + " ", min_size=1, max_size=20))
def test_collation_ignores_normal_form(name):
    assert collation_key(unicodedata.normalize("NFD", name)) == collation_key(unicodedata.normalize("NFC", name))
    assert search_key(unicodedata.normalize("NFD", name)) == search_key(name)


def _bare_by_nfd(text: str) -> str:
    """What stripping diacritics means: đ/Đ (and ð/Ð) to d/D, NFD, every combining mark dropped."""
    text = text.translate(str.maketrans({"đ": "d", "Đ": "D", "\u00d0": "D", "\u00f0": "d"}))
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def test_strip_diacritics_table_equals_nfd_for_every_character():
    from dangvien_cli.text import strip_diacritics

    chars = [chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000]
    assert [c for c in chars if strip_diacritics(c) != _bare_by_nfd(c)] == []


@given(st.text(alphabet=st.characters(max_codepoint=0x2FFF, blacklist_categories=("Cs",))))
def test_search_key_word_by_word_equals_whole_text(text):
    import re

    expected = re.sub(r"\s+", " ", _bare_by_nfd(text).casefold()).strip() if text else ""
    assert search_key.__wrapped__(text) == expected
