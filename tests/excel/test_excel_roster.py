"""Rosters in the layouts committees exchange (domain.md §6.1): field-by-field rows, row numbers, errors."""

from datetime import date, datetime

import pytest
from builders import to_tcvn3, write_ods, write_xls, write_xlsx

from dangvien_cli.errors import InvalidValue
from dangvien_cli.excel.headers import find_header, looks_like_roster
from dangvien_cli.excel.roster import read_roster
from dangvien_cli.excel.workbook import read_sheet
from dangvien_cli.vocab.headers import label_key


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2025-06-30")


# Two-row merged header over columns B..M, numbering row, sections, signature block; starts at row 1, column B.
TITLE = [
    ["ĐẢNG BỘ XÃ TÂN LẬP"],
    ["DANH SÁCH ĐẢNG VIÊN"],
    ["(Tính đến ngày 31 tháng 12 năm 2024)"],
    [],
]
HEAD1 = ["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Dân tộc", "Quê quán", "Số thẻ đảng viên",
         "Số định danh cá nhân", "Ngày vào Đảng", None, "Trình độ", None, None, "Ghi chú", "Sở thích"]
HEAD2 = [None, None, "Nam", "Nữ", None, None, None, None, "Kết nạp", "Chính thức", "Học vấn", "Chuyên môn",
         "Lý luận chính trị", None, None]
NUMBERING = [f"({i})" for i in range(1, 16)]
MERGES = ("B5:B6", "C5:C6", "D5:E5", "F5:F6", "G5:G6", "H5:H6", "I5:I6", "J5:K5", "L5:N5", "O5:O6", "P5:P6")


def unicode_roster_rows():
    return TITLE + [HEAD1, HEAD2, NUMBERING] + [
        ["I. Chi bộ thôn Đông"],
        [1, "Nguyễn  Văn\u00a0An", date(1970, 5, 12), None, "Kinh", "Tân Lập", 1234567, 12345678901.0,
         datetime(1995, 3, 2), "02/03/1996", "12/12", "Đại học", "Trung cấp", None, "đọc sách"],
        [2, "Trần Thị Bình", None, "15.08.1985", "Tày", "Tân Lập", "01234568", "001185000002",
         "10/2010", None, "12/12", None, "Sơ cấp", "Dự bị", None],
        ["II - CHI BỘ TRƯỜNG THCS"],
        [3, "Lê Văn Cường", "1962", None, "Kinh", "Hà Nội", "01234569", "001062000003",
         "1990", "1991", "10/10", "Cao đẳng", None, None, None],
        [4, "Phạm Thị Dung", None, date(1990, 1, 1), "Kinh", None, 1234570.0, "123456789",
         date(2015, 5, 19), date(2016, 5, 19), None, None, None, None, None],
        [None, "Tổng số: 4 đảng viên"],
        [],
        [None, None, None, None, None, None, None, "Tân Lập, ngày 15 tháng 01 năm 2025"],
        [None, "NGƯỜI LẬP BIỂU", None, None, None, None, None, "T/M ĐẢNG ỦY"],
        [None, "Nguyễn Văn Lập", None, None, None, None, None, "BÍ THƯ"],
    ]


def test_unicode_two_row_header_roster(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", unicode_roster_rows(), left=2, merges=MERGES)
    result = read_roster(path)
    assert result.encoding == "unicode"
    assert result.header.header_rows == (5, 6)
    assert result.header.numbering_row == 7
    assert result.header.data_start_row == 8
    assert [r.row for r in result.rows] == [9, 10, 12, 13]
    assert result.sections == ["Chi bộ thôn Đông", "CHI BỘ TRƯỜNG THCS"]
    assert result.unknown_columns == ["Sở thích"]
    an, binh, cuong, dung = result.rows

    assert an.section == "Chi bộ thôn Đông"
    v = an.values
    assert v["full_name"] == "Nguyễn Văn An"
    assert (v["gender"], v["birth_date"]) == ("male", "1970-05-12")
    assert v["card_number"] == "01234567"  # Excel dropped the leading zero
    assert ("Số thẻ đảng viên", "Số thẻ 1234567 chỉ có 7 chữ số (Excel bỏ số 0 đầu); đã đọc là 01234567.") \
        in an.warnings
    assert v["national_id"] == "012345678901"  # 11 digits from a number: zero restored
    assert (v["admission_date"], v["official_date"], v["membership"]) == ("1995-03-02", "1996-03-02", "official")
    assert (v["education_general"], v["education_professional"], v["political_theory"]) == \
        ("12/12", "Đại học", "Trung cấp")
    assert an.errors == []

    assert binh.values["gender"] == "female" and binh.values["birth_date"] == "1985-08-15"
    assert binh.values["admission_date"] == "2010-10"  # month precision kept
    assert binh.values["membership"] == "probationary"
    assert binh.values["card_number"] == "01234568"

    assert cuong.section == "CHI BỘ TRƯỜNG THCS"
    assert (cuong.values["birth_date"], cuong.values["admission_date"]) == ("1962", "1990")

    assert dung.values["national_id"] is None and dung.values["old_id_number"] == "123456789"
    assert any("CMND cũ" in m for _, m in dung.warnings)
    assert result.errors() == []


def test_label_keys():
    assert label_key("HỌ VÀ TÊN*") == "ho va ten"
    assert label_key("Ngày, tháng,\nnăm sinh") == "ngay thang nam sinh"


def test_single_row_header_with_x_marks_and_dotted_dates_from_column_a(tmp_path):
    rows = [
        ["CHI BỘ KHOA KHÁM BỆNH"], [],
        ["STT", "Họ và tên", "Chức vụ, chức danh", "Nam", "Nữ", "Ngày vào Đảng", "Ngày chính thức"],
        ["1", "2", "3", "4", "5", "6", "7"],
        [1, "Đỗ Văn Em", "Bí thư chi bộ", "x", None, "30.04.2008", "30.04.2009"],
        [2, "Hồ Thị Phương", "Đảng viên", None, "X", "19/05/2019", None],
    ]
    result = read_roster(write_xlsx(tmp_path / "x.xlsx", rows))
    assert result.header.header_rows == (3,) and result.header.numbering_row == 4
    em, phuong = result.rows
    assert (em.row, em.values["gender"], em.values["position"]) == (5, "male", "Bí thư chi bộ")
    assert em.values["admission_date"] == "2008-04-30"
    assert (phuong.row, phuong.values["gender"], phuong.values["membership"]) == (6, "female", None)


def test_tcvn3_xls_roster(tmp_path):
    rows = [
        [to_tcvn3("đảng bộ xã tân lập")],
        [to_tcvn3("danh sách đảng viên")],
        ["STT", to_tcvn3("Họ và tên"), to_tcvn3("Giới tính"), to_tcvn3("Ngày sinh"), to_tcvn3("Quê quán"),
         to_tcvn3("Ngày vào Đảng")],
        [1, to_tcvn3("Nguyễn Thị Hường"), to_tcvn3("Nữ"), "12/05/1968", to_tcvn3("Bảo Thắng"), "03/02/1990"],
        [2, to_tcvn3("Hoàng Văn Đức"), "Nam", date(1971, 1, 2), to_tcvn3("Mường Khương"), "1995"],
    ]
    fonts = {(1, 1): ".VnTimeH", (2, 1): ".VnTimeH"}
    result = read_roster(write_xls(tmp_path / "old.xls", rows, font=".VnTime", fonts=fonts))
    assert result.encoding == "tcvn3"
    assert any("TCVN3" in w for w in result.warnings)
    huong, duc = result.rows
    assert huong.values["full_name"] == "Nguyễn Thị Hường" and huong.values["gender"] == "female"
    assert huong.values["hometown"] == "Bảo Thắng"
    assert duc.values["full_name"] == "Hoàng Văn Đức" and duc.values["hometown"] == "Mường Khương"
    assert duc.values["birth_date"] == "1971-01-02" and duc.row == 5


def test_ods_roster(tmp_path):
    rows = [["DANH SÁCH ĐẢNG VIÊN"], ["STT", "Họ tên", "Giới tính", "Sinh ngày", "Số thẻ Đảng"],
            [1, "Vũ Văn Giang", "Nam", date(1980, 7, 1), "09123456"]]
    result = read_roster(write_ods(tmp_path / "r.ods", rows))
    (row,) = result.rows
    assert (row.row, row.values["full_name"], row.values["birth_date"], row.values["card_number"]) == \
        (3, "Vũ Văn Giang", "1980-07-01", "09123456")


def test_faulty_roster_names_row_column_and_message(tmp_path):
    rows = [
        ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đảng viên", "Số CCCD", "Ngày vào Đảng",
         "Ngày chính thức"],
        [1, None, "Nam", "12/05/1968", "01000001", "001068000001", "03/02/1990", "03/02/1991"],
        [2, "Bùi Văn Hải", "Trai gái", "31/02/1970", "01000002", "12345", "03/02/1990", "03/02/1989"],
        [3, "Đặng Thị Ích", "Nữ", "01/01/2030", "01000001", "00106800000A", "2000", None],
        [4, "Ngô Văn Khoa", "nu", "01/01/1950", "1,23457E+11", "001050000004", "1940", None],
    ]
    result = read_roster(write_xlsx(tmp_path / "bad.xlsx", rows))
    errors = {(e["row"], e["column"], e["message"]) for e in result.errors()}
    assert (2, "Họ và tên", "Thiếu họ và tên.") in errors
    assert (2, "Số thẻ đảng viên", "Số thẻ đảng viên 01000001 trùng với dòng 4.") in errors
    assert (4, "Số thẻ đảng viên", "Số thẻ đảng viên 01000001 trùng với dòng 2.") in errors
    assert (3, "Giới tính", "Giới tính 'Trai gái' không rõ (cần ghi Nam hoặc Nữ).") in errors
    assert (3, "Ngày chính thức", "Ngày chính thức (03/02/1989) trước ngày vào Đảng (03/02/1990).") in errors
    assert (3, "Số CCCD", "Số định danh cá nhân '12345' phải có đúng 12 chữ số (đang có 5).") in errors
    assert any(r == 3 and c == "Ngày sinh" and "31/02/1970" in m for r, c, m in errors)
    assert (4, "Ngày sinh", "Ngày 01/01/2030 nằm ở tương lai.") in errors
    assert (4, "Số CCCD", "Số định danh cá nhân '00106800000A' phải gồm các chữ số.") in errors
    assert any(r == 5 and c == "Số thẻ đảng viên" and "số mũ" in m for r, c, m in errors)
    assert (5, "Ngày vào Đảng", "Ngày vào Đảng (1940) không sau ngày sinh (01/01/1950).") in errors
    assert result.rows[3].values["gender"] == "female"  # "nu" without diacritics


def test_mapping_override_and_unknown_columns(tmp_path):
    rows = [["STT", "Họ và tên", "Giới tính", "Mã hồ sơ", "Ngày sinh"], [1, "Lý Văn Long", "Nam", "08123456",
                                                                          "1977"]]
    path = write_xlsx(tmp_path / "m.xlsx", rows)
    plain = read_roster(path)
    assert plain.unknown_columns == ["Mã hồ sơ"]
    assert any("Mã hồ sơ" in w for w in plain.warnings)
    mapped = read_roster(path, mapping_overrides={"ma ho so": "card_number"})
    assert mapped.unknown_columns == [] and mapped.rows[0].values["card_number"] == "08123456"
    with pytest.raises(InvalidValue, match="không có trường 'card'"):
        read_roster(path, mapping_overrides={"Mã hồ sơ": "card"})
    with pytest.raises(InvalidValue, match="không có cột tiêu đề 'Số hiệu'"):
        read_roster(path, mapping_overrides={"Số hiệu": "card_number"})


def test_roster_sheet_is_chosen_among_others(tmp_path):
    roster = [["Ghi chú chung"], ["STT", "Họ và tên", "Giới tính", "Ngày sinh"], [1, "Mai Văn Nam", "Nam", "1980"]]
    path = write_xlsx(tmp_path / "multi.xlsx", roster, sheet="DS",
                      extra_sheets={"Hướng dẫn": [["Hướng dẫn nhập"], ["Cột", "Ý nghĩa"]]})
    result = read_roster(path)
    assert result.sheet == "DS"
    assert any("Đã chọn trang tính 'DS'" in w for w in result.warnings)
    sheet = read_sheet(path, "DS")
    assert looks_like_roster(sheet) > looks_like_roster(read_sheet(path, "Hướng dẫn"))


def test_no_header_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "n.xlsx", [["Một"], ["Hai"]])
    with pytest.raises(InvalidValue, match="Không tìm thấy dòng tiêu đề"):
        read_roster(path)


def test_header_under_merged_group_without_merge_info(tmp_path):
    # .xls written without merges: the group label sits over blank cells followed by sub-labels.
    rows = [["STT", "Họ và tên", "Ngày vào Đảng", None, "Giới tính"],
            [None, None, "Dự bị", "Chính thức", None],
            [1, "Tạ Văn Oanh", "01/01/2000", "01/01/2001", "Nam"]]
    hm = find_header(read_sheet(write_xls(tmp_path / "g.xls", rows)))
    assert hm.fields == {0: "seq", 1: "full_name", 2: "admission_date", 3: "official_date", 4: "gender"}
    assert hm.labels[3] == "Ngày vào Đảng / Chính thức"
    assert hm.data_start_row == 3
