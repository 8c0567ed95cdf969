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
    assert an.months[3] == "excused" and an.months[4] == "absent" and 7 not in an.months
    assert sum(1 for v in an.months.values() if v == "absent") == 3
    assert binh.member["card_number"] is None and binh.member["full_name"] == "Trần Thị Bình"
    assert binh.months[12] == "absent"
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
    assert cuong.months[1] == ("paid", 20000) and cuong.months[2] == ("paid", 20000)
    assert cuong.months[3] == ("paid", 20000)
    assert cuong.months[4] == ("unpaid", None) and cuong.months[5] == ("unpaid", None)
    assert cuong.months[6] == ("exempt", None) and cuong.months[7] == ("exempt", None)
    assert cuong.months[8] == ("paid", None)
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
    got = [(r.values.get("rating"), r.values.get("score"), r.values.get("rating_reason")) for r in book.rows]
    assert got[:5] == [("HTXSNV", 92, None), ("HTTNV", 75, None), ("KHTNV", 40, None),
                       ("KHONG_XEP_LOAI", None, "Miễn sinh hoạt"),
                       ("KHONG_XEP_LOAI", 80, "mới kết nạp dưới 6 tháng")]
    assert any("ứng với mức HTXSNV" in m for _, m in book.rows[5].warnings)
    errors = {(e["row"], e["column"]) for e in book.errors()}
    assert (10, "Điểm") in errors and (10, "Xếp loại") in errors
    assert book.year == 2024


def test_book_without_month_columns_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", [["STT", "Họ và tên", "Ngày sinh"], [1, "A", "1970"]])
    with pytest.raises(InvalidValue, match="không có cột tháng"):
        read_book(path, kind="dues")
