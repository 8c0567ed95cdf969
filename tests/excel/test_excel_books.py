"""Monthly attendance and dues books, yearly ratings sheets (contract.md "Monthly books"; domain.md §2)."""

import pytest
from builders import write_xls, write_xlsx

from dangvien_cli.errors import InvalidValue
from dangvien_cli.excel.books import read_book


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2025-06-30")


def test_attendance_book_with_month_group_over_numbers(tmp_path):
    rows = [
        ["CHI BỘ THÔN ĐÔNG"],
        ["SỔ THEO DÕI SINH HOẠT ĐẢNG NĂM 2024"],
        ["STT", "Họ và tên", "Số thẻ đảng viên", "Tháng"] + [None] * 11,
        [None, None, None] + list(range(1, 13)),
        [1, "Nguyễn Văn An", "01234567"] + ["x", "x", "p", "k", "k", "k", None, "x", "x", "X", "x", "x"],
        [2, "Trần Thị Bình", None] + ["x"] * 11 + ["vắng"],
        [None, "Cộng", None] + [2] * 12,
    ]
    book = read_book(write_xlsx(tmp_path / "a.xlsx", rows, merges=("D3:O3",)), kind="attendance")
    assert book.header.header_rows == (3, 4) and book.months == list(range(1, 13)) and book.year == 2024
    an, binh = book.rows
    assert an.row == 5 and an.member["card_number"] == "01234567"
    assert an.months[3] == "p" and an.months[4] == "k" and 7 not in an.months
    assert sum(1 for v in an.months.values() if v == "k") == 3
    assert binh.member["card_number"] is None and binh.member["full_name"] == "Trần Thị Bình"
    assert binh.months[12] == "k"
    assert ("Họ và tên", "Không có số thẻ và ngày sinh: chỉ khớp được theo họ tên.") in binh.warnings


def test_dues_book_with_t_columns(tmp_path):
    rows = [
        ["STT", "Họ và tên", "Ngày sinh", "Số thẻ Đảng"] + [f"T{m}" for m in range(1, 13)],
        [1, "Lê Văn Cường", "1962", "01234569", 20000, "20.000", "20000đ", 0, None, "miễn", "mien", "x",
         20000, 20000, 20000, 20000],
        [2, "Phạm Thị Dung", "01/01/1990", "01234570", "abc"] + [10000] * 11,
    ]
    book = read_book(write_xlsx(tmp_path / "d.xlsx", rows), kind="dues")
    cuong, dung = book.rows
    assert cuong.months[1] == ("p", 20000) and cuong.months[2] == ("p", 20000)
    assert cuong.months[3] == ("p", 20000)
    assert cuong.months[4] == ("u", None) and cuong.months[5] == ("u", None)
    assert cuong.months[6] == ("e", None) and cuong.months[7] == ("e", None)
    assert cuong.months[8] == ("p", None)
    assert dung.errors and dung.errors[0][0] == "T1" and "abc" in dung.errors[0][1]
    assert book.errors()[0]["row"] == 3


def test_ratings_sheet_full_labels_and_abbreviations(tmp_path):
    rows = [
        ["ĐẢNG BỘ XÃ TÂN LẬP"],
        ["KẾT QUẢ XẾP LOẠI ĐẢNG VIÊN NĂM 2024"],
        ["STT", "Họ và tên", "Số thẻ đảng viên", "Điểm", "Xếp loại", "Lý do"],
        [1, "Nguyễn Văn An", "01234567", 92, "Hoàn thành xuất sắc nhiệm vụ", None],
        [2, "Trần Thị Bình", "01234568", 75, "HTTNV", None],
        [3, "Lê Văn Cường", "01234569", 40, "KHTNV", None],
        [4, "Phạm Thị Dung", "01234570", None, "Không xếp loại", "Miễn sinh hoạt"],
        [5, "Đỗ Văn Em", "01234571", 80, "Không xếp loại (mới kết nạp dưới 6 tháng)", None],
        [6, "Hồ Văn Phúc", "01234572", 95, "HTNV", None],
        [7, "Vũ Văn Giang", "01234573", 120, "Tốt lắm", None],
    ]
    book = read_book(write_xls(tmp_path / "r.xls", rows), kind="ratings")
    got = [(r.values.get("rating"), r.values.get("score"), r.values.get("not_rated_reason")) for r in book.rows]
    assert got[:5] == [("HTXSNV", 92, None), ("HTTNV", 75, None), ("KHTNV", 40, None),
                       (None, None, "exempt"), (None, 80, "new_member")]
    assert book.rows[3].values["rating_reason"] == "Miễn sinh hoạt"
    assert any("ứng với mức HTXSNV" in m for _, m in book.rows[5].warnings)
    errors = {(e["row"], e["column"]) for e in book.errors()}
    assert (10, "Điểm") in errors and (10, "Xếp loại") in errors
    assert book.year == 2024


def test_book_without_month_columns_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["STT", "Họ và tên", "Ngày sinh"], [1, "A", "1970"]])
    with pytest.raises(InvalidValue, match="không có cột tháng"):
        read_book(path, kind="dues")


def test_every_mark_typed_is_read_the_same_in_a_file(tmp_path):
    """Issue 10 drift: 'v' (and '+', 'vk', '-') were accepted by `attendance set` and refused in a file."""
    from dangvien_cli.vocab import ATTENDANCE
    from dangvien_cli.vocab.marks import attendance_mark

    words = [w for t in ATTENDANCE for w in (t.code, t.label, *t.words)]
    rows = [["STT", "Họ và tên", "Ngày sinh"] + [f"T{m}" for m in range(1, 13)]]
    for i in range(0, len(words), 12):
        chunk = words[i:i + 12]
        rows.append([i, f"Người {i}", "1970"] + chunk + [None] * (12 - len(chunk)))
    book = read_book(write_xlsx(tmp_path / "v.xlsx", rows), kind="attendance")
    assert book.errors() == []
    read = [m for r in book.rows for _, m in sorted(r.months.items())]
    assert read == [attendance_mark(w) for w in words]
    assert read[words.index("v")] == "x"


def test_ratings_words_typed_and_written_agree(tmp_path):
    """Issue 10 drift: a not-rated wording alone ('miễn sinh hoạt') was refused in a file, read when typed."""
    from dangvien_cli.vocab.marks import rating_value

    words = ["HTXS-NV", "ht tốt", "Hoàn thành", "kht", "Miễn sinh hoạt", "Đình chỉ",
             "Không đánh giá xếp loại", "Chưa xếp loại - nghỉ ốm dài ngày"]
    rows = [["STT", "Họ và tên", "Ngày sinh", "Xếp loại"]] + [[i, f"Người {i}", "1970", w]
                                                              for i, w in enumerate(words)]
    book = read_book(write_xlsx(tmp_path / "r.xlsx", rows), kind="ratings")
    assert book.errors() == []
    got = [(r.values["rating"], r.values.get("not_rated_reason")) for r in book.rows]
    assert got == [rating_value(w) for w in words] == [
        ("HTXSNV", None), ("HTTNV", None), ("HTNV", None), ("KHTNV", None), (None, "exempt"),
        (None, "suspended"), (None, "other"), (None, "sick_leave")]
