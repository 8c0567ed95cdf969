"""TCVN3 / VNI → Unicode (domain.md §6.2): the documented examples, full tables, round trips, guessing."""

import unicodedata

from builders import to_tcvn3, to_vni
from hypothesis import given, settings
from hypothesis import strategies as st

from dangvien_cli.excel.legacy import TCVN3_BYTES, decode, encoding_of_font, guess_encoding

VIETNAMESE_LOWER = (
    "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
)
VIETNAMESE = VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper()


def test_documented_tcvn3_examples():
    assert decode("B¶o Th¾ng", "tcvn3") == "Bảo Thắng"
    # ư is 0xAD, the soft hyphen, which shows as nothing: "Mêng Kh¬ng" holds two of them.
    assert decode("M\xadêng Kh\xad¬ng", "tcvn3") == "Mường Khương"
    assert decode("B¸t X¸t", "tcvn3") == "Bát Xát"


def test_uppercase_font_reuses_lowercase_codes():
    assert decode("VI" + chr(0xD6) + "T NAM", "tcvn3_upper") == "VIỆT NAM"
    assert decode("®¶ng bé x· t©n lËp", "tcvn3_upper") == "ĐẢNG BỘ XÃ TÂN LẬP"


def test_documented_vni_examples():
    assert decode("Xin chaøo caùc baïn", "vni") == "Xin chào các bạn"
    assert decode("Ho\xf8", "vni") == "Hò"
    assert decode("AÙ EÄ ÔÙ", "vni") == "Á Ệ Ớ"
    assert decode("Tröôøng", "vni") == "Trường"


def test_tcvn3_table_covers_every_lowercase_letter_and_the_capital_bases():
    assert len(TCVN3_BYTES) == 67 + 7
    assert set(TCVN3_BYTES.values()) >= set(c for c in VIETNAMESE_LOWER if not c.isascii())
    assert all(0xA1 <= b <= 0xFE for b in TCVN3_BYTES)


def test_all_134_letters_round_trip():
    letters = [c for c in VIETNAMESE if not c.isascii()]
    assert len(letters) == 134
    for ch in letters:
        assert decode(to_tcvn3(ch), "tcvn3") == ch, ch
        assert decode(to_vni(ch), "vni") == ch, ch


def test_capital_toned_letters_written_as_base_plus_lowercase():
    assert decode("A¸", "tcvn3") == "Á"
    assert decode("¢Ê", "tcvn3") == "Ấ"
    assert decode("¦u tó", "tcvn3") == "Ưu tú"  # a plain lower-case letter after a capital is left alone
    assert decode("Uñy ban", "tcvn3") == "Ủy ban"


def test_fonts():
    assert encoding_of_font(".VnTime") == "tcvn3"
    assert encoding_of_font(".VnArial") == "tcvn3"
    assert encoding_of_font(".VnTimeH") == "tcvn3_upper"
    assert encoding_of_font(".VnArialH") == "tcvn3_upper"
    assert encoding_of_font("VNI-Times") == "vni"
    assert encoding_of_font("Times New Roman") is None
    assert encoding_of_font(None) is None


def test_unicode_and_ascii_pass_through():
    assert decode("Nguyễn Văn An", "unicode") == "Nguyễn Văn An"
    assert decode("Nguyen Van An", "tcvn3") == "Nguyen Van An"
    assert decode(12.0, "tcvn3") == 12.0


def test_guess():
    assert guess_encoding(["B¶o Th¾ng", "Xin chµo c¸c b¹n", "NguyÔn V¨n An"]) == "tcvn3"
    assert guess_encoding(["Xin chaøo caùc baïn", "Nguyeãn Vaên An", "Tröôøng"]) == "vni"
    assert guess_encoding(["Nguyễn Văn An", "Lê Xuân Hoàng", "Trần Thị Toán"]) == "unicode"
    # Genuine Unicode with only Latin-1 letters ("oà", "uâ" look like VNI pairs) stays Unicode.
    assert guess_encoding(["Lê Xuân Hoàng", "Võ Thị Thúy", "Hồ Quang"]) == "unicode"
    assert guess_encoding(["STT", "Ho va ten"]) == "unicode"


words = st.lists(st.text(alphabet=VIETNAMESE + "bcdghklmnpqrstvx", min_size=1, max_size=8), min_size=1,
                 max_size=6).map(" ".join)


def _vietnamese_like(text: str) -> bool:
    # The pair rule reads "capital vowel + toned lower-case vowel of the same family" as one capital, which
    # no Vietnamese word contains; random text that does is not Vietnamese.
    import re

    if re.search("[AĂÂEÊIOÔƠUƯY][" + "".join(c for c in VIETNAMESE_LOWER if not c.isascii()) + "]", text):
        return False
    # A lone toned lower-case letter among capitals stands for a capital (.VnTime has none): "QUầN" is QUẦN,
    # and in a cell in capitals "Bộ" is BỘ. Random words shaped like that are not Vietnamese spellings either.
    toned = {c for c in VIETNAMESE_LOWER if len(unicodedata.normalize("NFD", c)) > 1 and c not in "ăâêôơư"}
    words = text.split()
    caps = [sum(c.isupper() for c in w) for w in words]
    if any(n > 1 and toned & set(w) for n, w in zip(caps, words, strict=True)):
        return False
    plain_lower = any(c.islower() and c not in toned for w in words for c in w)
    return plain_lower or max(caps) < 2 or not any(toned & set(w) for w in words)


@settings(max_examples=300)
@given(words)
def test_round_trip_tcvn3(text):
    text = unicodedata.normalize("NFC", text)
    if not _vietnamese_like(text):
        return
    assert decode(to_tcvn3(text), "tcvn3") == text


@settings(max_examples=300)
@given(words)
def test_round_trip_vni(text):
    text = unicodedata.normalize("NFC", text)
    assert decode(to_vni(text), "vni") == text


@settings(max_examples=200)
@given(words)
def test_round_trip_tcvn3_upper_font(text):
    assert decode(to_tcvn3(text.lower()), "tcvn3_upper") == unicodedata.normalize("NFC", text.upper())
