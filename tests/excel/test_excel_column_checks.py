"""The whole-column shortcuts of the roster reader must never skip a value that needs converting.

A column whose values all pass ``text_column_is_clean`` is taken as it is; so is a card or id column whose values
are all exact digit strings, or whole numbers of the right width. Each shortcut is checked against the value-by-
value converter it replaces, on values built to hit the cases that need work (doubled, leading, trailing and
non-breaking spaces, tabs, line breaks, decomposed Vietnamese, empty cells, numbers that lost a leading zero).
"""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from dangvien_cli.excel.converters import conv_card, conv_national_id, text_column_is_clean
from dangvien_cli.text import normalize_text

PIECES = ["Nguyễn", "Văn", "Ân", "thôn", "Đông", "x", " ", "  ", "\u00a0", "\t", "\n", "\u3000", "\u200b",
          unicodedata.normalize("NFD", "Hoàng Thị Ước"), "", "\x00"]
texts = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)


@given(st.lists(texts, min_size=1, max_size=8))
def test_a_text_column_called_clean_converts_to_itself(col):
    if text_column_is_clean(set(col)):
        assert all(normalize_text(v) == v for v in col)


def test_the_text_check_accepts_clean_columns_and_refuses_each_kind_of_dirt():
    clean = ["Nguyễn Văn Ân", "Thôn Đông, xã Thử Nghiệm", "Không"]
    assert text_column_is_clean(set(clean))
    for dirty in ("Nguyễn  Văn Ân", " Nguyễn Văn Ân", "Nguyễn Văn Ân ", "Nguyễn\u00a0Văn", "Nguyễn\nVăn",
                  "Nguyễn\tVăn", unicodedata.normalize("NFD", "Nguyễn Văn Ân"), ""):
        assert not text_column_is_clean(set(clean + [dirty])), repr(dirty)
    assert not text_column_is_clean({"Nguyễn Văn Ân", 1995.0})  # a number among texts goes value by value
    assert not text_column_is_clean(set())


def test_digit_columns_take_the_shortcut_only_when_nothing_would_change():
    assert conv_card.column_is_clean({"00123456", "98765432"})
    assert not conv_card.column_is_clean({"00123456", "0012345"})  # 7 digits: a warning to give
    assert not conv_card.column_is_clean({"00123456", "0012345a"})
    assert not conv_card.column_is_clean({"00123456", 12345678.0})
    assert conv_national_id.column_is_clean({"001068000123"})
    assert not conv_national_id.column_is_clean({"001068000123", "1068000123"})


def test_whole_number_card_columns_match_the_value_by_value_converter():
    numbers = conv_card.whole_numbers
    assert numbers((12345678.0, 98765432.0)) == ["12345678", "98765432"] == [conv_card(v) for v in (12345678.0,
                                                                                                     98765432.0)]
    assert numbers((12345678.0, 1234567.0)) is None  # lost leading zero: the converter warns row by row
    assert numbers((12345678.0, 1234567.5)) is None
    assert numbers((12345678.0, "12345678")) is None
    assert numbers(()) is None
    assert conv_national_id.whole_numbers((100000000123.0,)) == ["100000000123"]
