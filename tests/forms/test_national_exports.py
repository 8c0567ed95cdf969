"""export dossier-progress / national-check without LibreOffice: what the cells hold (no formula, names as
text, masked ids), the file the clerk's alone, a bad target refused with nothing written."""

from __future__ import annotations

import stat

import openpyxl
from forms_data import COMMITTEE, HOSTILE_NAMES


def _texts(path) -> list[str]:  # noqa: ANN001
    book = openpyxl.load_workbook(path)
    out = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path.name, sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    out.append(cell.value)
    return out


def test_the_two_workbooks_hold_text_only_and_mask_ids(cli, committee, tmp_path):
    assert cli("members", "update", "08010005", "--national-id", "001070000005").exit_code == 0
    assert cli("members", "update", "08010002", "--card-number", "001171000001").exit_code == 0
    progress, worklist, full = tmp_path / "td.xlsx", tmp_path / "ls.xlsx", tmp_path / "ls-du.xlsx"
    for args in (("dossier-progress", progress, "--cell", "TL"), ("national-check", worklist, "--cell", "TL"),
                 ("national-check", full, "--full-ids")):
        r = cli("export", *args)
        assert r.exit_code == 0, (args, r.stderr)
        assert stat.S_IMODE(args[1].stat().st_mode) == 0o600
    shown = _texts(progress)
    assert COMMITTEE in " ".join(shown) and "Chi bộ thôn Đông" in " ".join(shown)
    listed = _texts(worklist)
    assert HOSTILE_NAMES[0] in listed  # a name that looks like a formula, kept as text
    assert "I. Chi bộ thôn Đông (TL.01) — 2 việc ở 2 đảng viên" in listed
    assert not any("001171000001" in t or "001070000005" in t for t in listed)
    assert any("********0001" in t for t in listed)
    assert any("001171000001" in t for t in _texts(full))
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".xlsx") == ["ls-du.xlsx", "ls.xlsx", "td.xlsx"]


def test_a_folder_as_target_is_refused(cli, committee, tmp_path):
    r = cli("export", "national-check", tmp_path)
    assert r.exit_code != 0 and "Traceback" not in r.stderr


def test_the_progress_chart_shows_what_stays_readable():
    from dangvien_cli.excel.national_writer import MAX_BARS, _charted

    def cell(i, p1):
        return {"cell_code": f"C{i:03d}", "cell_name": f"Chi bộ {i}", "priority_1_percent": p1, "all_percent": p1 / 2,
                "level": 2, "committee": False}

    few = [cell(i, 10.0 * i) for i in range(5)]
    assert _charted({"rows": few, "tree": few}) == (few, "Tỷ lệ tài liệu đã scan theo chi bộ")
    many = [cell(i, float(100 - i)) for i in range(30)]
    committees = [{"cell_code": f"D{i}", "level": 1, "committee": True} for i in range(3)]
    shown, title = _charted({"rows": many, "tree": [{"level": 0, "committee": True}, *committees, *many]})
    assert shown == committees and "đảng bộ trực thuộc" in title
    shown, title = _charted({"rows": many, "tree": many})
    assert [c["cell_code"] for c in shown] == [f"C{i:03d}" for i in range(29, 29 - MAX_BARS, -1)]
    assert title.startswith(f"{MAX_BARS} chi bộ") and "thấp nhất" in title
