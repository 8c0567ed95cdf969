"""import roster / export roster: the database side — all or nothing, re-import, history, round trip."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

import dbstate

HEADER_TOP = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số định danh cá nhân", "Số thẻ đảng viên",
              "Ngày vào Đảng", None, "Quê quán", "Ghi chú"]
HEADER_SUB = [None, None, None, None, None, None, "Kết nạp", "Chính thức", None, None]


def roster(path, sections, *, title=True):
    """A roster as committees send it: title rows, a two-row merged header, sections per cell, a signature."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS"
    if title:
        ws.append(["ĐẢNG BỘ XÃ TÂN LẬP", None, None, None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"])
        ws.append([])
        ws.append(["DANH SÁCH ĐẢNG VIÊN"])
        ws.append(["(Tính đến ngày 01/10/2026)"])
    top = ws.max_row + 1
    ws.append(HEADER_TOP)
    ws.append(HEADER_SUB)
    ws.merge_cells(start_row=top, start_column=7, end_row=top, end_column=8)
    for col in (1, 2, 3, 4, 5, 6, 9, 10):
        ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
    ws.append([f"({i})" for i in range(1, 11)])
    for i, (section, rows) in enumerate(sections):
        if section:
            ws.append([f"{'I' * (i + 1)}. {section}"])
        for n, row in enumerate(rows, start=1):
            ws.append([n, *row])
    ws.append([])
    ws.append([None, "NGƯỜI LẬP BIỂU", None, None, None, None, "T/M ĐẢNG ỦY"])
    ws.append([None, None, None, None, None, None, "BÍ THƯ"])
    wb.save(path)
    return path


EAST = [
    ["Nguyễn Văn An", "Nam", "12/05/1968", "001068000111", "08012345", "19/05/1995", "19/05/1996", "Tân Lập", None],
    ["Trần Thị Bình", "Nữ", datetime(1972, 3, 8), None, "08012346", "03/02/2000", "03/02/2001", None, None],
    ["Lê Văn Cường", "Nam", "1950", None, "08012347", "05/1975", "05/1976", None, None],
]
WEST = [
    ["Phạm Thị Dung", "Nữ", "20.11.1990", "001190000222", "08012348", "10/10/2025", None, None, "Dự bị"],
]


def test_import_creates_cells_and_members(cli, commune, tmp_path, isolated_db):
    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Đông", EAST), ("Chi bộ thôn Mới", WEST)])
    r = cli("import", "roster", path, "--into", "TL", "--format", "json")
    assert r.exit_code == 0, r.stderr
    report = r.json()
    assert (report["rows_read"], report["created"], report["updated"], report["unchanged"], report["rejected"],
            report["cells_created"]) == (4, 4, 0, 0, 0, 1)
    assert report["encoding"] == "unicode" and report["errors"] == []
    members = {m["card_number"]: m for m in cli("members", "list", "--cell", "TL", "-f", "json").json()}
    an = members["08012345"]
    assert (an["full_name"], an["gender"], an["birth_date"], an["national_id"], an["admission_date"],
            an["official_date"], an["cell_code"], an["hometown"]) == (
        "Nguyễn Văn An", "male", "1968-05-12", "001068000111", "1995-05-19", "1996-05-19", "TL.01", "Tân Lập")
    assert members["08012346"]["birth_date"] == "1972-03-08"
    assert (members["08012347"]["birth_date"], members["08012347"]["admission_date"]) == ("1950", "1975-05")
    dung = members["08012348"]
    assert dung["membership"] == "probationary" and dung["cell_name"] == "Chi bộ thôn Mới"
    assert dung["cell_code"].startswith("TL.")
    events = cli("members", "history", "08012348", "-f", "json").json()
    assert events[0]["event"] == "created" and events[0]["source"].startswith("import roster ds.xlsx")
    conn = dbstate.connect(isolated_db)
    assert conn.execute("SELECT kind, file_name, rows_read, created FROM imports").fetchall() == [
        ("roster", "ds.xlsx", 4, 4)]


def test_reimport_changes_nothing_then_a_newer_roster_updates_with_history(cli, commune, tmp_path, isolated_db, snapshot):
    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Đông", EAST)])
    cli("import", "roster", path, "--into", "TL")
    before = snapshot(isolated_db)
    r = cli("import", "roster", path, "--into", "TL", "-f", "json")
    report = r.json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 3)
    after = snapshot(isolated_db)
    logs = ("imports", "commands")  # the import and the command that ran it are recorded, nothing else changes
    assert {k: v for k, v in after.items() if k not in logs} == {k: v for k, v in before.items() if k not in logs}
    newer = [list(row) for row in EAST[:2]]
    newer[0][7] = "Xã Tân Lập, tỉnh Bắc Ninh"
    newer[1][0] = "Trần Thị Bình An"
    path2 = roster(tmp_path / "ds-2027.xlsx", [("Chi bộ thôn Đông", newer)])
    report = cli("import", "roster", path2, "--into", "TL", "-f", "json").json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 2, 0)
    assert [m["card_number"] for m in report["missing_members"]] == ["08012347"]
    an = cli("members", "show", "08012345", "-f", "json").json()
    assert an["hometown"] == "Xã Tân Lập, tỉnh Bắc Ninh"
    change = [e for e in cli("members", "history", "08012345", "-f", "json").json() if e["event"] == "updated"]
    assert [(e["field"], e["old_value"], e["new_value"]) for e in change] == [
        ("hometown", "Tân Lập", "Xã Tân Lập, tỉnh Bắc Ninh")]
    assert change[0]["source"].startswith("import roster ds-2027.xlsx") and change[0]["import_id"] == 3
    # Matched by card number although the name changed; nobody was deleted.
    assert cli("members", "show", "08012346", "-f", "json").json()["full_name"] == "Trần Thị Bình An"
    assert cli("members", "show", "08012347", "-f", "json").json()["status"] == "active"


def test_faulty_file_exit_3_every_bad_row_named_nothing_written(cli, commune, tmp_path, isolated_db, snapshot):
    cli("members", "add", "--name", "Người Có Sẵn", "--gender", "male", "--birth-date", "1970", "--cell", "TL.02",
        "--card-number", "08099999")
    rows = [
        ["Nguyễn Văn An", "Nam", "12/05/1968", None, "08012345", "19/05/1995", "19/05/1996", None, None],
        [None, "Nam", "01/01/1970", None, "08012350", None, None, None, None],
        ["Trần Văn Bốn", "Nam", "31/02/1970", None, "08012351", None, None, None, None],
        ["Lê Văn Năm", "Nam", "01/01/1970", "12345678901X", "08012352", None, None, None, None],
        ["Lê Văn Sáu", "Nam", "01/01/1970", None, "08012353", "19/05/1996", "19/05/1995", None, None],
        ["Lê Văn Bảy", "Nam", "01/01/1970", None, "08099999", None, None, None, None],
        ["Lê Văn Tám", "Không rõ", "01/01/1970", None, "08012354", None, None, None, None],
        ["Lê Văn Chín", "Nam", "01/01/2099", None, "08012355", None, None, None, None],
    ]
    path = roster(tmp_path / "loi.xlsx", [("Chi bộ thôn Đông", rows)])
    before = snapshot(isolated_db)
    r = cli("import", "roster", path, "--into", "TL", "--format", "json")
    assert r.exit_code == 3
    report = r.json()
    first = 8  # 4 title rows, 2 header rows, 1 numbering row, then the section row
    by_row = {}
    for e in report["errors"]:
        by_row.setdefault(e["row"] - first, []).append(e["column"])
    assert sorted(by_row) == [2, 3, 4, 5, 6, 7, 8]
    assert by_row[2] == ["Họ và tên"]
    assert by_row[3] == ["Ngày sinh"]
    assert by_row[4] == ["Số định danh cá nhân"]
    assert "Chính thức" in by_row[5][0]
    assert by_row[6] == ["Số thẻ đảng viên"]
    assert by_row[7] == ["Giới tính"]
    assert by_row[8] == ["Ngày sinh"]
    assert report["rejected"] == 7 and report["created"] == 0
    assert "không ghi gì" in r.stderr
    assert snapshot(isolated_db) == before


def test_skip_invalid_writes_good_rows_and_saves_the_bad_ones(cli, commune, tmp_path):
    rows = [EAST[0], [None, "Nam", "01/01/1970", None, "08012350", None, None, None, None]]
    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Đông", rows)])
    report = cli("import", "roster", path, "--into", "TL", "--skip-invalid", "-f", "json").json()
    assert (report["created"], report["rejected"]) == (1, 1)
    rejects = openpyxl.load_workbook(report["rejects_file"]).active
    values = list(rejects.iter_rows(values_only=True))
    top = next(i for i, v in enumerate(values) if v[0] == "Dòng trong tệp gốc")
    assert values[top + 2][0] == 10 and "Thiếu họ và tên" in values[top + 2][1]
    assert "TÂN LẬP" in str(values[0]) and "ĐẢNG CỘNG SẢN VIỆT NAM" in values[0]


def _created_sources(isolated_db) -> dict[str, tuple]:
    conn = dbstate.connect(isolated_db)
    return {card: (source, cell, admission) for card, source, cell, admission in conn.execute(
        "SELECT m.card_number, e.source, e.new_value, e.effective_date FROM member_events e "
        "JOIN members m ON m.id = e.member_id WHERE e.event = 'created' ORDER BY e.id")}


@pytest.mark.parametrize("max_runs", [1_000, 0])
def test_each_created_member_s_history_names_its_own_row(cli, commune, tmp_path, isolated_db, monkeypatch,
                                                          max_runs):
    # The 'created' rows are written a run of consecutive rows at a time (store.roster._runs), or through a
    # table of (member, row) when the runs are too many: the same rows either way. Two sections (a gap of one
    # row between them) and a rejected row in the middle (--skip-invalid: a gap in the ids' rows).
    from dangvien_cli.store import roster as roster_store

    monkeypatch.setattr(roster_store, "_MAX_RUNS", max_runs)
    bad = [None, "Nam", "01/01/1970", None, "08012350", None, None, None, None]
    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Đông", [EAST[0], bad, *EAST[1:]]), ("Chi bộ thôn Mới", WEST)])
    report = cli("import", "roster", path, "--into", "TL", "--skip-invalid", "-f", "json").json()
    assert (report["created"], report["rejected"]) == (4, 1)
    label = {c["name"]: f"{c['code']} — {c['name']}" for c in cli("cells", "list", "-f", "json").json()}
    east, west = label["Chi bộ thôn Đông"], label["Chi bộ thôn Mới"]
    # Title 4 rows, header 3, section row 8; members from row 9; the second section's title is row 13.
    assert _created_sources(isolated_db) == {
        "08012345": ("import roster ds.xlsx#dòng 9", east, "1995-05-19"),
        "08012346": ("import roster ds.xlsx#dòng 11", east, "2000-02-03"),
        "08012347": ("import roster ds.xlsx#dòng 12", east, "1975-05"),
        "08012348": ("import roster ds.xlsx#dòng 14", west, "2025-10-10"),
    }


def test_dry_run_writes_nothing(cli, commune, tmp_path, isolated_db, snapshot):
    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Đông", EAST)])
    before = snapshot(isolated_db)
    report = cli("import", "roster", path, "--into", "TL", "--dry-run", "-f", "json").json()
    assert report["created"] == 3 and report["dry_run"] is True
    assert snapshot(isolated_db) == before


def test_roster_without_into_needs_known_cells(cli, commune, tmp_path, isolated_db):
    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Lạ", EAST)])
    r = cli("import", "roster", path, "-f", "json")
    assert r.exit_code == 3
    assert "--into" in r.json()["errors"][0]["message"]
    path = roster(tmp_path / "ds2.xlsx", [("Chi bộ thôn Đông", EAST)])
    assert cli("import", "roster", path, "-f", "json").json()["created"] == 3


def test_export_then_reimport_gives_back_the_same_members(cli, commune, tmp_path, isolated_db):
    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Đông", EAST), ("Chi bộ thôn Tây", WEST)])
    cli("import", "roster", path, "--into", "TL")
    cli("members", "update", "08012345", "--full-name", "=HYPERLINK(\"x\") Nguyễn", "--note", "+84 912", "--position",
        "-Bí thư", "--occupation", "@nông dân")
    out = tmp_path / "xuat.xlsx"
    r = cli("export", "roster", out, "--cell", "TL", "--full-ids")  # an exchange copy: ids in full
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(out).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    formula_like = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert formula_like and all(c.data_type == "s" for c in formula_like)
    texts = [c.value for c in cells]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in texts and "DANH SÁCH ĐẢNG VIÊN" in texts and "I. Chi bộ thôn Đông" in texts
    assert ws.print_title_rows == "$8:$9" and ws["A8"].value == "STT"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9")
    dates = [c for c in cells if c.number_format == "dd/mm/yyyy"]
    assert dates and all(isinstance(c.value, datetime) for c in dates)
    before = cli("members", "list", "--status", "all", "-f", "json").json()
    fresh = tmp_path / "fresh.db"
    cli("--db", fresh, "db", "init")
    cli("--db", fresh, "cells", "add", "Đảng bộ xã Tân Lập", "--code", "TL", "--kind", "commune_committee")
    report = cli("--db", fresh, "import", "roster", out, "--into", "TL", "-f", "json").json()
    assert report["created"] == 4 and report["errors"] == []
    after = cli("--db", fresh, "members", "list", "--status", "all", "-f", "json").json()
    drop = {"id", "cell_code"}
    assert [{k: v for k, v in m.items() if k not in drop} for m in after] == [
        {k: v for k, v in m.items() if k not in drop} for m in before]
    # And into the same database: nothing changes.
    report = cli("import", "roster", out, "--into", "TL", "-f", "json").json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 4)
