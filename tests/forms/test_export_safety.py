"""Nothing live or exposed leaves the tool (issue 12, points 5 and 7): no formula in any workbook written, CSV
cells neutralised, every file 0600, no temporary file left behind whatever happens, and a full disk or an
unwritable folder said plainly."""

from __future__ import annotations

import csv
import errno
import gc
import io
import os
import stat
import sys
import zipfile

import openpyxl
import pytest
from forms_data import COMMITTEE, HOSTILE_NAMES, roster_file


def every_export(cli, run: dict, folder) -> list:  # noqa: ANN001
    """Write every kind of workbook the tool writes into ``folder``; returns their paths."""
    out = [folder / "ds.xlsx", folder / "ds-du.xlsx", folder / "rs.xlsx", folder / "bc.xlsx", folder / "dvm.xlsx"]
    commands = [("export", "roster", out[0], "--cell", "TL"), ("export", "roster", out[1], "--full-ids"),
                ("export", "screening", run["run_id"], out[2], "--committee", COMMITTEE),
                ("export", "report", "admissions", out[3], "--year", "2025"),
                ("export", "report", "new-members", out[4], "--year", "2025", "--cell", "TL")]
    for args in commands:
        r = cli(*args)
        assert r.exit_code == 0, (args, r.stderr)
    bad = roster_file(folder / "nhap.xlsx", [[name, "Nam", "31/02/1980", f"0802{i:04d}", "01/01/2020", "Thôn Đông"]
                                             for i, name in enumerate(HOSTILE_NAMES)]
                      + [["Hoàng Văn Đúng", "Nam", "01/01/1980", "08029999", "01/01/2020", None]])
    r = cli("import", "roster", bad, "--into", "TL", "--skip-invalid", "-f", "json")
    assert r.stdout, r.stderr
    report = r.json()
    assert report["rejected"] == len(HOSTILE_NAMES)
    out.append(folder / "nhap-dong-loi.xlsx")
    assert report["rejects_file"] == str(out[-1])
    return out


def test_no_workbook_written_holds_a_formula(cli, committee, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    written = every_export(cli, committee, folder)
    for path in written:
        book = openpyxl.load_workbook(path)
        texts = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str):
                        texts.append(cell.value)
        shown = " ".join(texts)
        # The hostile text is there, as text: the organization wherever it is named, the names of the lists.
        if path.name != "ds-du.xlsx":  # the whole database: its top organization, the province
            assert COMMITTEE in shown, path.name
        if path.name in ("ds.xlsx", "ds-du.xlsx", "nhap-dong-loi.xlsx"):
            assert all(name in texts for name in HOSTILE_NAMES), path.name
    # Every file is the clerk's alone, and nothing else was left in the folder.
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert sorted(p.name for p in folder.iterdir()) == sorted([p.name for p in written] + ["nhap.xlsx"])


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(cli, committee):
    r = cli("members", "list", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    names = {row["full_name"] for row in rows}
    assert {"'" + n for n in HOSTILE_NAMES} <= names
    assert "Nguyễn Văn An" in names  # ordinary text untouched
    cells = [v for row in rows for v in row.values() if v]
    assert not [v for v in cells if v[0] in "=+@\t" or (v[0] == "-" and not v[1:].replace(",", "").isdigit())]
    r = cli("cells", "list", "--format", "csv")
    assert "'=1+1" in r.stdout and "\n=1+1" not in r.stdout and ",=1+1" not in r.stdout


def _leftovers(folder) -> list[str]:  # noqa: ANN001
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: a read-only folder does not stop root")
def test_export_into_a_read_only_folder(cli, committee, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        r = cli("export", "roster", folder / "ds.xlsx")
    finally:
        folder.chmod(0o755)
    assert r.exit_code == 1
    assert "không có quyền ghi" in r.stderr and "Traceback" not in r.stderr
    assert _leftovers(folder) == []


def test_export_refused_by_the_system_says_so(cli, committee, tmp_path, monkeypatch):
    """The folder refuses the file (what a read-only folder does to anyone but root)."""
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    r = cli("export", "roster", tmp_path / "ds.xlsx")
    assert r.exit_code == 1
    assert "không có quyền ghi vào thư mục" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "ds.xlsx").exists()


@pytest.mark.parametrize("command", [("roster",), ("screening", "RUN"), ("report", "admissions")])
def test_export_onto_a_full_disk(cli, committee, tmp_path, monkeypatch, command):
    """The disk fills while the file is packed: one Vietnamese line, exit 1, no 'Exception ignored', nothing left."""
    folder = tmp_path / "full"
    folder.mkdir()
    target = folder / "x.xlsx"
    (folder / "x.xlsx").write_bytes(b"the previous export")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    args = [str(committee["run_id"]) if a == "RUN" else a for a in command]
    if command[0] == "report":
        r = cli("export", *args, target, "--year", "2025")
    elif command[0] == "screening":
        r = cli("export", "screening", args[1], target)
    else:
        r = cli("export", "roster", target)
    gc.collect()
    assert r.exit_code == 1, r.stderr
    assert "ổ đĩa đã đầy" in r.stderr and "Traceback" not in r.stderr and "FileCreateError" not in r.stderr
    assert unraisable == []
    assert _leftovers(folder) == ["x.xlsx"] and target.read_bytes() == b"the previous export"


def test_interrupted_export_leaves_nothing_behind(cli, committee, tmp_path, monkeypatch):
    from dangvien_cli.excel import layout

    folder = tmp_path / "out"
    folder.mkdir()
    calls = []

    def interrupted(self, values, **kwargs):
        calls.append(values)
        if len(calls) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(layout.SheetWriter, "row_values", interrupted)
    r = cli("export", "roster", folder / "ds.xlsx")
    assert r.exit_code == 130 and len(calls) == 3
    assert _leftovers(folder) == []
