"""Opening workbooks: row numbers as Excel shows them, formats, legacy fonts, refusals."""

from datetime import date

import pytest
import xlsxwriter
from builders import to_tcvn3, to_vni, write_ods, write_xls, write_xlsx

from dangvien_cli.errors import InputRejected
from dangvien_cli.excel.workbook import column_letter, open_workbook, read_sheet


def test_data_starting_at_row_5_column_b_keeps_excel_coordinates(tmp_path):
    path = tmp_path / "offset.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("S")
    ws.write("B5", "Họ và tên")
    ws.write("C5", "Ngày sinh")
    ws.write("B6", "Nguyễn Văn An")
    ws.write_datetime("C6", date(1970, 5, 12), wb.add_format({"num_format": "dd/mm/yyyy"}))
    ws.write("D8", 7)
    wb.close()
    sheet = read_sheet(path)
    rows = dict(sheet.iter_rows())
    assert sheet.first_row == 5
    assert rows[5][:3] == [None, "Họ và tên", "Ngày sinh"]
    assert rows[6][1] == "Nguyễn Văn An" and rows[6][2] == date(1970, 5, 12)
    assert rows[8][3] == 7
    assert sheet.encoding == "unicode"
    assert column_letter(0) == "A" and column_letter(27) == "AB"


def test_xls_and_ods_are_read(tmp_path):
    rows = [["Họ và tên", "Năm"], ["Trần Thị Bình", 1975]]
    xls = read_sheet(write_xls(tmp_path / "a.xls", rows, top=3, left=2))
    assert xls.first_row == 3 and xls.grid[1][1:3] == ["Trần Thị Bình", 1975]
    ods = read_sheet(write_ods(tmp_path / "a.ods", rows + [["Lê An", date(2001, 2, 3)]]))
    assert ods.grid[1][0] == "Trần Thị Bình" and ods.grid[2][1] == date(2001, 2, 3)


def test_tcvn3_xls_decoded_per_cell_font(tmp_path):
    rows = [[to_tcvn3("đảng bộ xã tân lập")], [to_tcvn3("Bảo Thắng")], ["Plain"]]
    fonts = {(1, 1): ".VnTimeH", (2, 1): ".VnTime", (3, 1): "Arial"}
    sheet = read_sheet(write_xls(tmp_path / "t.xls", rows, fonts=fonts))
    assert [r[0] for r in sheet.grid] == ["ĐẢNG BỘ XÃ TÂN LẬP", "Bảo Thắng", "Plain"]
    assert sheet.encoding == "tcvn3"


def test_vni_xlsx_decoded_by_font(tmp_path):
    path = write_xlsx(tmp_path / "v.xlsx", [[to_vni("Xin chào các bạn")], [to_vni("Trường")]], font="VNI-Times")
    sheet = read_sheet(path)
    assert [r[0] for r in sheet.grid] == ["Xin chào các bạn", "Trường"]
    assert sheet.encoding == "vni"


def test_legacy_text_without_font_is_guessed(tmp_path):
    names = ["Nguyễn Văn Đức", "Phạm Thị Hường", "Bảo Thắng", "Mường Khương"]
    path = write_xlsx(tmp_path / "g.xlsx", [[to_tcvn3(n)] for n in names])
    sheet = read_sheet(path)
    assert sheet.encoding == "tcvn3"
    assert [r[0] for r in sheet.grid] == names


def test_unicode_file_does_not_touch_the_font_path(tmp_path, monkeypatch):
    import dangvien_cli.excel.workbook as wbmod

    def boom(*a, **k):
        raise AssertionError("font path used for a Unicode file")

    monkeypatch.setattr(wbmod, "_xlsx_cell_encodings", boom)
    sheet = read_sheet(write_xlsx(tmp_path / "u.xlsx", [["Nguyễn Văn Đức"]]))
    assert sheet.encoding == "unicode"


def test_sheets_by_name(tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [["a"]], sheet="Danh sách", extra_sheets={"Ghi chú": [["b"]]})
    wb = open_workbook(path)
    assert set(wb.sheet_names) == {"Danh sách", "Ghi chú"}
    assert wb.sheet("danh  SÁCH").name == "Danh sách"
    with pytest.raises(InputRejected, match="không có trang tính 'Khác'"):
        wb.sheet("Khác")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.xlsx", None, "không tìm thấy tệp"),
        ("notes.txt", b"hello", "không được hỗ trợ"),
        ("broken.xlsx", b"PK\x03\x04 this is not a zip", "không phải bảng tính hợp lệ"),
        ("page.xls", b"<html><body><table></table></body></html>", "trang HTML"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "mật khẩu"),
        ("empty.xlsx", b"", "tệp rỗng"),
    ],
)
def test_unreadable_files_are_rejected_with_a_vietnamese_message(tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputRejected) as info:
        open_workbook(path)
    assert expected in info.value.message
    assert name in info.value.message
    assert info.value.exit_code == 3
