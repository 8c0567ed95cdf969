"""The layout's arithmetic, without a spreadsheet: which columns print and how wide, where a list too wide for
one page is split, how many lines a text takes, how a citation reads on the form."""

from __future__ import annotations

from dangvien_cli.excel.layout import (
    BODY_PT,
    MIN_PRINTED_PT,
    Page,
    column_pt,
    fit_columns,
    wrapped_lines,
)
from dangvien_cli.services.exports import ROSTER_COLUMNS
from dangvien_cli.sources import cite


def _band_pt(columns):
    return sum(column_pt(c.width) for c in columns)


def test_empty_columns_are_left_out_and_the_rest_fill_the_page():
    lengths = {c.key: 0 for c in ROSTER_COLUMNS} | {"seq": 2, "full_name": 20, "birth_date": 10, "hometown": 40}
    columns = fit_columns(ROSTER_COLUMNS, lengths, Page())
    assert [c.key for c in columns] == ["seq", "full_name", "birth_date", "hometown"]
    assert abs(_band_pt(columns) - Page().width_pt) < 12  # widened to the page: room for the title block


def test_a_roster_with_every_column_filled_prints_on_two_pages_at_10_pt():
    lengths = {c.key: 30 for c in ROSTER_COLUMNS} | {"seq": 3}
    columns = fit_columns(ROSTER_COLUMNS, lengths, Page())
    assert len(columns) == len(ROSTER_COLUMNS)
    split = next(i for i, c in enumerate(columns) if c.new_page)
    widest = Page().width_pt * BODY_PT / MIN_PRINTED_PT  # a band wider than this would print under 10 pt
    assert _band_pt(columns[:split]) <= widest
    assert _band_pt(columns[:2] + columns[split:]) <= widest  # number and name repeated on the second page
    assert columns[split].group != columns[split - 1].group or columns[split].group is None


def test_wrapped_lines_break_at_spaces():
    assert wrapped_lines("Xã Tân Lập, huyện Yên Dũng", 12) == 3
    assert wrapped_lines("một\nhai", 20) == 2
    assert wrapped_lines("A" * 25, 10) == 3


def test_citations_as_the_form_prints_them():
    assert cite("xóa tên (QĐ 24 §8.1 điểm 4, domain.md §1.9).") == "xóa tên (QĐ 24-QĐ/TW, mục 8.1 điểm 4)."
    assert cite("Chi bộ ghi kết quả (domain.md §2).") == "Chi bộ ghi kết quả (Quy định 366-QĐ/TW; Hướng dẫn 43-HD/BTCTW)."
    assert cite("ghép (Điều lệ Điều 21, domain.md §1.6).") == "ghép (Điều lệ Đảng, Điều 21)."
