"""dangvien members: the record, refusals that leave the database as it was, history, transfers, leaving."""

from __future__ import annotations

import pytest

CONTRACT_KEYS = {"id", "full_name", "gender", "birth_date", "ethnicity", "religion", "hometown", "national_id",
                 "card_number", "decision_date", "admission_date", "official_date", "membership", "status",
                 "cell_code", "cell_name"}


def add(cli, name, *extra, cell="TL.01", gender="male", birth="12/05/1968"):
    return cli("members", "add", "--name", name, "--gender", gender, "--birth-date", birth, "--cell", cell, *extra)


def test_add_show_json_keys_and_values(cli, commune):
    r = add(cli, "  Nguyễn   Văn Ân ", "--card-number", "08012345", "--national-id", "001068000123",
            "--admission-date", "19/05/1995", "--official-date", "19.05.1996", "--decision-date", "1995-05-02",
            "--ethnicity", "Kinh", "--hometown", "Tân Lập")
    assert r.exit_code == 0, r.stderr
    m = cli("members", "show", "08012345", "--format", "json").json()
    assert CONTRACT_KEYS <= set(m)
    assert m["full_name"] == "Nguyễn Văn Ân"
    assert (m["birth_date"], m["decision_date"], m["admission_date"], m["official_date"]) == (
        "1968-05-12", "1995-05-02", "1995-05-19", "1996-05-19")
    assert (m["card_number"], m["national_id"], m["membership"], m["status"]) == (
        "08012345", "001068000123", "official", "active")
    assert (m["cell_code"], m["cell_name"]) == ("TL.01", "Chi bộ thôn Đông")
    # The same member by personal id and by id.
    assert cli("members", "show", "001068000123", "-f", "json").json()["id"] == m["id"]
    assert cli("members", "show", str(m["id"]), "-f", "json").json()["card_number"] == "08012345"


def test_partial_dates_keep_their_precision(cli, commune):
    add(cli, "Trần Văn Bảy", "--admission-date", "05/1975", birth="1950")
    m = cli("members", "show", "1", "-f", "json").json()
    assert m["birth_date"] == "1950" and m["admission_date"] == "1975-05"


def test_probationary_by_default_when_admitted_recently(cli, commune, monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-03-01")
    add(cli, "Phạm Thị Hoa", "--admission-date", "10/10/2025", gender="female", birth="2000")
    assert cli("members", "show", "1", "-f", "json").json()["membership"] == "probationary"


@pytest.mark.parametrize("args, message", [
    (("--birth-date", "31/02/1970"), "không phải là ngày có thật"),
    (("--birth-date", "12/05/2099"), "tương lai"),
    (("--birth-date", "hôm qua"), "không đọc được thành ngày"),
    (("--birth-date", "1968", "--admission-date", "19/05/1996", "--official-date", "19/05/1995"),
     "Ngày chính thức (19/05/1995) trước ngày vào Đảng (19/05/1996)"),
    (("--birth-date", "1968", "--national-id", "00106800012A"), "phải gồm các chữ số"),
    (("--birth-date", "1968", "--national-id", "12345"), "phải có đúng 12 chữ số (đang có 5)"),
    (("--birth-date", "1968", "--card-number", "12345"), "có 5 chữ số: thẻ cũ có 8 chữ số"),
    # Issue 12 point 10: admitted at five.
    (("--birth-date", "01/01/2015", "--admission-date", "01/01/2020"), "khi đó đảng viên mới 5 tuổi"),
    (("--birth-date", "05/1990", "--admission-date", "2007"), "mới 17 tuổi 7 tháng (sinh 05/1990), chưa đủ 18 tuổi"),
    # Issue 12 point 9: a formula's cached value is not a name; no field is stored longer than its limit.
    (("--birth-date", "1968", "--name", "2"), "Họ và tên '2' không có chữ cái nào"),
    (("--birth-date", "1968", "--hometown", "x" * 301), "Quê quán dài 301 ký tự, quá giới hạn 300 ký tự"),
    (("--birth-date", "1968", "--note", "x" * 2001), "Ghi chú dài 2.001 ký tự, quá giới hạn 2.000 ký tự"),
    (("--birth-date", "1968", "--gender", "x"), "Giới tính 'x' không hợp lệ"),
])
def test_bad_values_are_refused_and_nothing_is_written(cli, commune, isolated_db, args, message, snapshot):
    before = snapshot(isolated_db)
    base = {"--gender": "male", "--cell": "TL.01"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    merged = base | given
    flat = [x for kv in merged.items() for x in kv]
    r = cli("members", "add", *([] if "--name" in merged else ["--name", "Người Thử"]), *flat)
    assert r.exit_code == 1, r.stdout
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert snapshot(isolated_db) == before


def test_numbers_held_by_someone_else_are_refused(cli, commune, isolated_db, snapshot):
    add(cli, "Nguyễn Văn Ân", "--card-number", "08012345", "--national-id", "001068000123")
    before = snapshot(isolated_db)
    r = add(cli, "Lê Văn Bình", "--card-number", "08012345")
    assert r.exit_code == 1 and "Số thẻ đảng viên 08012345 đã thuộc về" in r.stderr
    r = add(cli, "Lê Văn Bình", "--national-id", "001068000123")
    assert r.exit_code == 1 and "Số định danh cá nhân 001068000123 đã thuộc về" in r.stderr
    add(cli, "Lê Văn Bình", "--card-number", "08099999")
    before = snapshot(isolated_db)
    r = cli("members", "update", "08099999", "--card-number", "08012345")
    assert r.exit_code == 1
    assert snapshot(isolated_db) == before


def test_unknown_cell_and_committee_refused(cli, commune, isolated_db, snapshot):
    before = snapshot(isolated_db)
    r = add(cli, "Lê Văn Bình", cell="KHONG-CO")
    assert r.exit_code == 1 and "Không có tổ chức đảng" in r.stderr
    r = add(cli, "Lê Văn Bình", cell="TL")
    assert r.exit_code == 1 and "đảng viên sinh hoạt ở chi bộ" in r.stderr
    assert snapshot(isolated_db) == before


def test_search_ignores_case_and_diacritics(cli, commune):
    for name in ("Nguyễn Văn Ân", "Đỗ Thị Đào", "Nguyễn Văn An Khang"):
        add(cli, name)
    def found(q):
        return [m["full_name"] for m in cli("members", "list", "--search", q, "-f", "json").json()]
    assert found("nguyen van an") == ["Nguyễn Văn Ân", "Nguyễn Văn An Khang"]
    assert found("NGUYỄN VĂN ÂN") == ["Nguyễn Văn Ân", "Nguyễn Văn An Khang"]
    assert found("do thi dao") == ["Đỗ Thị Đào"]
    assert found("đào") == ["Đỗ Thị Đào"]
    assert found("50%_") == []


def test_list_sorts_the_vietnamese_way(cli, commune):
    names = ["Trần Văn Bình", "Lê Thị Ánh", "Nguyễn Văn An", "Phạm Văn Ân", "Hoàng Thị Ba", "Vũ Đức Đạt",
             "Đặng Văn Dũng", "Ngô Thị Ơn", "Bùi Văn Ông", "Lý Văn Ư", "Mai Thị Út", "Nguyễn Thị An"]
    for n in names:
        add(cli, n)
    listed = [m["full_name"] for m in cli("members", "list", "-f", "json").json()]
    # By given name in Vietnamese letter order (a ă â b c d đ … o ô ơ … u ư), ties by family then middle name.
    assert listed == ["Nguyễn Thị An", "Nguyễn Văn An", "Lê Thị Ánh", "Phạm Văn Ân", "Hoàng Thị Ba",
                      "Trần Văn Bình", "Đặng Văn Dũng", "Vũ Đức Đạt", "Bùi Văn Ông", "Ngô Thị Ơn", "Mai Thị Út",
                      "Lý Văn Ư"]


def test_list_filters(cli, commune):
    add(cli, "A Một", "--admission-date", "1990", birth="1950")
    add(cli, "B Hai", birth="1980", cell="TL.02")
    add(cli, "C Ba", birth="1985", cell="TL.02")
    cli("members", "leave", "3", "--reason", "deceased", "--date", "01/02/2026")
    def ids(*args):
        return [m["id"] for m in cli("members", "list", *args, "-f", "json").json()]
    assert ids("--cell", "TL") == [2, 1]  # given names: Hai before Một
    assert ids("--cell", "TL.02") == [2]
    assert ids("--cell", "TL.02", "--status", "all") == [3, 2]  # Ba before Hai
    assert ids("--status", "deceased") == [3]
    assert ids("--born-from", "1960", "--born-to", "1982") == [2]
    assert ids("--membership", "official", "--cell", "TL.01") == [1]
    csv_out = cli("members", "list", "-f", "csv").stdout.splitlines()
    assert csv_out[0].startswith("\ufeffid,full_name,gender") and len(csv_out) == 3  # the BOM Excel needs
    assert ",Nữ," in csv_out[1] or ",Nam," in csv_out[1]  # labels, not codes


def test_update_records_each_change_in_history(cli, commune):
    add(cli, "Nguyễn Văn Ân", "--card-number", "08012345", "--hometown", "Tân Lập")
    r = cli("members", "update", "08012345", "--hometown", "Xã Tân Lập, tỉnh Bắc Ninh", "--full-name", "Nguyễn Văn Ấn",
            "--ref", "Phiếu bổ sung 2026")
    assert r.exit_code == 0, r.stderr
    m = cli("members", "show", "08012345", "-f", "json").json()
    assert m["hometown"] == "Xã Tân Lập, tỉnh Bắc Ninh" and m["full_name"] == "Nguyễn Văn Ấn"
    assert cli("members", "list", "--search", "nguyen van an", "-f", "json").json()[0]["id"] == m["id"]
    events = cli("members", "history", "08012345", "-f", "json").json()
    changes = {(e["field"], e["old_value"], e["new_value"], e["source"]) for e in events if e["event"] == "updated"}
    assert changes == {("hometown", "Tân Lập", "Xã Tân Lập, tỉnh Bắc Ninh", "members update"),
                       ("full_name", "Nguyễn Văn Ân", "Nguyễn Văn Ấn", "members update")}
    r = cli("members", "update", "08012345", "--hometown", "Xã Tân Lập, tỉnh Bắc Ninh")
    assert "Không có gì thay đổi" in r.stderr
    assert len(cli("members", "history", "08012345", "-f", "json").json()) == len(events)


def test_official_transfer_moves_the_member(cli, commune):
    add(cli, "Nguyễn Văn Ân")
    assert cli("members", "transfer", "1", "--to", "TL.02", "--date", "01/03/2026", "--letter", "45-GGT").exit_code == 0
    assert cli("members", "show", "1", "-f", "json").json()["cell_code"] == "TL.02"
    add(cli, "Lê Văn Bình")
    cli("members", "transfer", "2", "--destination", "Đảng bộ phường Hà Đông", "--date", "01/03/2026")
    m = cli("members", "show", "2", "-f", "json").json()
    assert m["status"] == "transferred_out" and m["cell_code"] == "TL.01"
    assert cli("members", "list", "--cell", "TL.01", "-f", "json").json() == []


def test_temporary_transfer_keeps_the_home_cell(cli, commune):
    add(cli, "Nguyễn Văn Ân")
    r = cli("members", "transfer", "1", "--to", "TL.02", "--temporary", "--until", "31/12/2026", "--date", "01/03/2026")
    assert r.exit_code == 0, r.stderr
    m = cli("members", "show", "1", "-f", "json").json()
    assert (m["cell_code"], m["host_cell_code"], m["host_until"]) == ("TL.01", "TL.02", "2026-12-31")
    r = cli("members", "transfer", "1", "--to", "TL.02", "--temporary")
    assert r.exit_code == 1 and "--until" in r.stderr
    assert cli("members", "transfer", "1", "--end-temporary", "--date", "01/06/2026").exit_code == 0
    assert cli("members", "show", "1", "-f", "json").json()["host_cell_code"] is None


def test_exempt_and_return(cli, commune):
    add(cli, "Nguyễn Văn Ân", birth="1940")
    r = cli("members", "exempt", "1", "--from", "01/01/2026", "--reason", "age", "--ref", "03-NQ/CB")
    assert r.exit_code == 0, r.stderr
    m = cli("members", "show", "1", "-f", "json").json()
    assert m["status"] == "exempt" and m["exemption"]["reason"] == "age"
    assert cli("members", "exempt", "1", "--from", "01/02/2026").exit_code == 1
    assert cli("members", "exempt", "1", "--end", "--date", "01/06/2026").exit_code == 0
    assert cli("members", "show", "1", "-f", "json").json()["status"] == "active"


def test_leave_keeps_the_record_and_opens_a_gap(cli, commune, monkeypatch):
    monkeypatch.setenv("DANGVIEN_TODAY", "2026-06-01")
    add(cli, "Nguyễn Văn Ân", "--decision-date", "01/06/1996", "--admission-date", "19/06/1996")
    assert cli("members", "show", "1", "-f", "json").json()["party_age_years"] == 30
    r = cli("members", "leave", "1", "--reason", "removed", "--date", "01/06/2016")
    assert r.exit_code == 1 and "số quyết định" in r.stderr
    r = cli("members", "leave", "1", "--reason", "removed", "--date", "01/06/2016", "--ref", "99-QĐ/ĐU")
    assert r.exit_code == 0
    m = cli("members", "show", "1", "-f", "json").json()
    assert (m["status"], m["status_date"], m["status_reference"]) == ("removed", "2016-06-01", "99-QĐ/ĐU")
    assert m["party_age_years"] == 20  # the years after removal do not count (§1.4)
    events = cli("members", "history", "1", "-f", "json").json()
    assert events[-1]["event"] == "left" and events[-1]["new_value"] == "removed"
    r = cli("members", "leave", "1", "--reason", "deceased", "--date", "01/01/2020")
    assert r.exit_code == 1 and "Xóa tên" in r.stderr


def test_unknown_member(cli, commune):
    r = cli("members", "show", "99999999")
    assert r.exit_code == 1 and "Không tìm thấy đảng viên" in r.stderr


def test_user_text_with_brackets_survives_the_table(cli, commune, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    add(cli, "Nguyễn [bold]Văn[/bold] Ân")
    out = cli("members", "list").stdout
    assert "[bold]" in out


def test_update_refuses_a_value_over_its_limit_and_a_name_without_letters(cli, commune, isolated_db, snapshot):
    """Issue 12 point 9: limits and the name rule hold on `members update` as on `members add`."""
    assert add(cli, "Nguyễn Văn Ân", "--card-number", "08012345").exit_code == 0
    before = snapshot(isolated_db)
    r = cli("members", "update", "08012345", "--residence", "Thôn " * 80)
    assert r.exit_code == 1 and "Nơi ở hiện nay dài 399 ký tự, quá giới hạn 300 ký tự" in r.stderr
    r = cli("members", "update", "08012345", "--full-name", "-")
    assert r.exit_code == 1 and "Họ và tên '-' không có chữ cái nào" in r.stderr
    r = cli("members", "update", "08012345", "--admission-date", "01/01/1980")
    assert r.exit_code == 1 and "chưa đủ 18 tuổi" in r.stderr
    assert snapshot(isolated_db) == before
