"""dossier: the folder tree of Công văn 1361-CV/BTCTW planned, scanned files checked exactly, progress."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from dangvien_cli.rules import dossier as rules

EAST, WEST = "38.168.053.000.001", "38.168.053.000.002"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _add(cli, name, birth, nid, cell, *extra):
    run = cli("members", "add", "--name", name, "--gender", "male", "--birth-date", birth, "--cell", cell,
              "--national-id", nid, "--admission-date", "01/06/2010", *extra, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return run.json()["id"]


@pytest.fixture
def scanned(cli, commune, isolated_db):
    ids = {
        "an": _add(cli, "Nguyễn Văn An", "12/05/1968", "001068000001", "TL.01", "--official-date", "01/06/2011"),
        "binh": _add(cli, "Trần Văn Bình", "03/02/1970", "001070000002", "TL.01", "--official-date", "01/06/2011"),
        "cuong": _add(cli, "Lê Đức Cường", "07/07/1975", "001075000003", "TL.02", "--official-date", "01/06/2011"),
        "dung": _add(cli, "Phạm Văn Dũng", "09/09/1980", "001080000004", "TL.02", "--membership", "probationary"),
    }
    assert cli("cells", "update", "TL.01", "--national-code", EAST).exit_code == 0
    assert cli("cells", "update", "TL.02", "--national-code", WEST).exit_code == 0
    return ids


def test_national_codes_are_checked_unique_and_in_history(cli, commune):
    r = cli("cells", "update", "TL.01", "--national-code", "38.168.53.0.1")
    assert r.exit_code == 1 and "--national-code 38.168.053.000.001" in r.stderr
    assert cli("cells", "update", "TL.01", "--national-code", EAST).exit_code == 0
    r = cli("cells", "update", "TL.02", "--national-code", EAST)
    assert r.exit_code == 1 and "TL.01" in r.stderr
    history = cli("cells", "show", "TL.01", "--format", "json").json()
    assert any(e.get("field") == "national_code" and e.get("new_value") == EAST for e in history["history"])
    assert cli("cells", "update", "TL.01", "--national-code", "").exit_code == 0


def test_plan_lays_out_the_tree_and_each_checklist(cli, scanned, tmp_path):
    root = tmp_path / "scan"
    run = cli("dossier", "plan", str(root), "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = run.json()
    assert report["members_planned"] == 4 and report["cells_without_national_code"] == []
    folders = sorted(str(p.relative_to(root)) for p in root.glob("*/*"))
    assert folders == [f"{EAST}/001068000001_NguyenVanAn", f"{EAST}/001070000002_TranVanBinh",
                       f"{WEST}/001075000003_LeDucCuong", f"{WEST}/001080000004_PhamVanDung"]
    with open(root / EAST / "001068000001_NguyenVanAn" / rules.CHECKLIST_NAME, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["STT", "Tên tài liệu", "Tên tệp cần có"]
    by_no = {r[0]: r for r in rows[1:]}
    assert by_no["01"][2] == "01.Ly lich cua nguoi xin vao Dang.pdf"
    assert by_no["07"][1] == "Quyết định công nhận đảng viên chính thức"  # official: recognition documents
    dung = (root / WEST / "001080000004_PhamVanDung" / rules.CHECKLIST_NAME).read_text(encoding="utf-8-sig")
    assert "07.Quyet dinh cong nhan" not in dung  # still probationary
    assert oct(os.stat(root / EAST / "001068000001_NguyenVanAn" / rules.CHECKLIST_NAME).st_mode & 0o777) == "0o600"


def test_plan_names_organizations_without_a_code(cli, commune, tmp_path):
    _add(cli, "Nguyễn Văn An", "12/05/1968", "001068000001", "TL.01")
    run = cli("dossier", "plan", str(tmp_path / "scan"))
    assert run.exit_code == 0
    assert "TL.01" in run.stderr and "--national-code" in run.stderr


def _write(path: Path, data: bytes = PDF) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _tree(root: Path) -> dict[str, Path]:
    an = root / EAST / "001068000001_NguyenVanAn"
    binh_wrong_place = root / WEST / "001070000002_TranVanBinh"
    cuong_misnamed = root / WEST / "001075000003_LeDucCuong_cu"  # folder name with a stray suffix
    files = {
        "an_ok": an / "01.Ly lich cua nguoi xin vao Dang.pdf",
        "an_part1": an / "05.Quyet dinh ket nap dang vien.1.pdf",
        "an_part2": an / "05.Quyet dinh ket nap dang vien.2.pdf",
        "an_misnamed": an / "2.Lý lịch đảng viên.PDF",
        "an_empty": an / "03.Phieu dang vien.pdf",
        "an_unknown": an / "anh the.jpg",
        "an_dup_a": an / "37.Don xin vao Dang.pdf",
        "an_dup_b": an / "37.Don xin vao Dang.1.pdf",
        "binh_ok": binh_wrong_place / "01.Ly lich cua nguoi xin vao Dang.pdf",
        "cuong_ok": cuong_misnamed / "01.Ly lich cua nguoi xin vao Dang.pdf",
    }
    for key, path in files.items():
        _write(path, b"" if key == "an_empty" else PDF)
    return files


def test_check_reports_every_file_exactly(cli, scanned, tmp_path, snapshot, isolated_db):
    root = tmp_path / "scan"
    files = _tree(root)
    run = cli("dossier", "check", str(root), "--format", "json")
    assert run.exit_code == 0, run.stderr
    report = run.json()
    assert report["members_checked"] == 4
    assert report["files_seen"] == 10
    assert report["matched"] == 9  # every file but the photo names a document of the catalogue
    assert sorted(report["misnamed"], key=lambda x: x["path"]) == sorted([
        {"path": str(files["an_misnamed"]), "expected": str(files["an_misnamed"].parent / "02.Ly lich dang vien.pdf")},
        {"path": str(root / WEST / "001075000003_LeDucCuong_cu"),
         "expected": str(root / WEST / "001075000003_LeDucCuong")}], key=lambda x: x["path"])
    assert [(m["path"], m["member_id"]) for m in report["misplaced"]] == [
        (str(root / WEST / "001070000002_TranVanBinh"), scanned["binh"])]
    assert report["unreadable"] == [str(files["an_empty"])]
    assert report["unknown"] == [str(files["an_unknown"])]
    assert sorted(d["path"] for d in report["duplicates"]) == sorted([str(files["an_dup_a"]), str(files["an_dup_b"])])
    assert report["members_without_folder"] == [scanned["dung"]]
    assert all(p.exists() for p in files.values())  # nothing renamed without --rename
    show = cli("dossier", "show", str(scanned["an"]), "--format", "json").json()
    states = {d["no"]: (d["state"], d["parts"]) for d in show["documents"]}
    assert states[1] == ("scanned", 1) and states[5] == ("scanned", 2) and states[2] == ("scanned", 1)
    assert states[3] == ("missing", 0)  # an empty file is not a scanned document
    assert states[38] == ("missing", 0)


def test_a_dry_run_writes_nothing_and_renames_nothing(cli, scanned, tmp_path, snapshot, isolated_db):
    root = tmp_path / "scan"
    files = _tree(root)
    before = snapshot(isolated_db)
    run = cli("dossier", "check", str(root), "--rename", "--dry-run", "--format", "json")
    assert run.exit_code == 0, run.stderr
    planned = {(Path(r["path"]).name, Path(r["expected"]).name) for r in run.json()["renamed"]}
    assert ("2.Lý lịch đảng viên.PDF", "02.Ly lich dang vien.pdf") in planned
    assert ("001075000003_LeDucCuong_cu", "001075000003_LeDucCuong") in planned
    assert all(not r["done"] for r in run.json()["renamed"])
    assert all(p.exists() for p in files.values())
    assert snapshot(isolated_db) == before


def test_rename_gives_files_and_folders_their_names(cli, scanned, tmp_path):
    root = tmp_path / "scan"
    files = _tree(root)
    run = cli("dossier", "check", str(root), "--rename", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert not files["an_misnamed"].exists()
    assert (files["an_misnamed"].parent / "02.Ly lich dang vien.pdf").exists()
    assert (root / WEST / "001075000003_LeDucCuong" / "01.Ly lich cua nguoi xin vao Dang.pdf").exists()
    again = cli("dossier", "check", str(root), "--format", "json").json()
    assert again["misnamed"] == []


def test_progress_per_cell(cli, scanned, tmp_path):
    root = tmp_path / "scan"
    _tree(root)
    assert cli("dossier", "check", str(root)).exit_code == 0
    data = cli("dossier", "progress", "--format", "json").json()
    rows = {r["cell_code"]: r for r in data["rows"]}
    assert rows["TL.01"]["members"] == 2 and rows["TL.02"]["members"] == 2
    an = cli("dossier", "show", str(scanned["an"]), "--format", "json").json()["progress"]
    binh = cli("dossier", "show", str(scanned["binh"]), "--format", "json").json()["progress"]
    assert an["scanned"] == 4  # documents 1, 2, 5 and 37
    p1_required = sum(1 for d in cli("dossier", "show", str(scanned["an"]), "--format", "json").json()["documents"]
                      if d["required"] and d["priority"] == 1)
    assert p1_required == 5  # 1, 2, 3, 5, 7
    # TL.01: An has 1, 2, 5 of 5 priority-1 documents; Bình has 1 of 5.
    assert rows["TL.01"]["priority_1_percent"] == round(100 * 4 / 10, 1)
    assert binh["scanned"] == 1


def test_mark_not_applicable_takes_a_document_out_of_the_count(cli, scanned):
    before = cli("dossier", "show", str(scanned["an"]), "--format", "json").json()["progress"]["required"]
    assert cli("dossier", "mark", str(scanned["an"]), "39", "--na").exit_code == 0
    after = cli("dossier", "show", str(scanned["an"]), "--format", "json").json()["progress"]["required"]
    assert after == before - 1
    assert cli("dossier", "mark", str(scanned["an"]), "39").exit_code == 1  # no state given
    assert cli("dossier", "mark", str(scanned["an"]), "500", "--paper").exit_code == 1


def test_the_catalogue_is_the_guidance_s_and_can_be_corrected(tmp_path, monkeypatch):
    catalogue = rules.catalogue()
    assert len(catalogue) == 104
    assert [d.priority for d in catalogue.values()].count(1) == 36
    assert catalogue[104].file() == "104.To khai de nghi truy tang Huy hieu Dang.pdf"
    assert catalogue[5].file(2) == "05.Quyet dinh ket nap dang vien.2.pdf"
    fix = tmp_path / "catalogue.tsv"
    fix.write_text("no\tpriority\tname\tfile_name\n3\t1\tPhiếu đảng viên (mẫu 2-HSĐV)\tPhieu dang vien mau 2\n",
                   encoding="utf-8")
    monkeypatch.setenv("DANGVIEN_DOSSIER_CATALOGUE", str(fix))
    assert rules.catalogue()[3].file() == "03.Phieu dang vien mau 2.pdf"
    assert len(rules.catalogue()) == 104


def test_member_folder_names():
    assert rules.member_folder("012345678901", "Nguyễn Văn A") == "012345678901_NguyenVanA"
    assert rules.member_folder("012345678901", "Đặng thị  Ánh-Tuyết") == "012345678901_DangThiAnhTuyet"


def test_progress_per_committee_sums_its_cells(cli, scanned, tmp_path):
    root = tmp_path / "scan"
    _tree(root)
    assert cli("dossier", "check", str(root)).exit_code == 0
    data = cli("dossier", "progress", "--format", "json").json()
    cells = {r["cell_code"]: r for r in data["rows"]}
    assert [(t["cell_code"], t["level"], t["committee"]) for t in data["tree"]] == [
        ("TL", 0, True), ("TL.01", 1, False), ("TL.02", 1, False)]
    [tl] = data["committees"]
    assert tl["cell_code"] == "TL" and tl["members"] == 4
    for key in ("priority_1_required", "priority_1_scanned", "documents_required", "documents_scanned",
                "members_priority_1_complete"):
        assert tl[key] == cells["TL.01"][key] + cells["TL.02"][key], key
    assert tl["priority_1_percent"] == data["priority_1_percent"] == round(
        100 * tl["priority_1_scanned"] / tl["priority_1_required"], 1)
    # Within one cell: that cell alone, at the top.
    one = cli("dossier", "progress", "--cell", "TL.01", "--format", "json").json()
    assert one["committees"] == [] and [(t["cell_code"], t["level"]) for t in one["tree"]] == [("TL.01", 0)]


def test_progress_counts_what_each_members_checklist_shows(cli, scanned, tmp_path):
    """The progress is tallied without building every checklist: it must agree with each member's own."""
    root = tmp_path / "scan"
    _tree(root)
    assert cli("dossier", "check", str(root)).exit_code == 0
    assert cli("dossier", "mark", str(scanned["an"]), "39", "--na").exit_code == 0
    rows = {r["cell_code"]: r for r in cli("dossier", "progress", "--format", "json").json()["rows"]}
    for code, row in rows.items():
        members = cli("members", "list", "--cell", code, "--format", "json").json()
        shown = [cli("dossier", "show", str(m["id"]), "--format", "json").json()["progress"] for m in members]
        assert row["documents_required"] == sum(p["required"] for p in shown), code
        assert row["documents_scanned"] == sum(p["scanned"] for p in shown), code
