"""dangvien cells: the organization tree, its rules (domain.md §1.6, §8) and its history."""

from __future__ import annotations


def test_add_and_list_as_json(cli, commune):
    rows = cli("cells", "list", "--format", "json").json()
    assert [(r["code"], r["kind"], r["parent_code"], r["member_count"]) for r in rows] == [
        ("TL", "commune_committee", None, 0), ("TL.01", "cell", "TL", 0), ("TL.02", "cell", "TL", 0)]
    assert set(rows[0]) >= {"id", "code", "name", "kind", "parent_code", "member_count"}


def test_kind_under_wrong_parent_is_refused(cli, commune, isolated_db, snapshot):
    before = snapshot(isolated_db)
    r = cli("cells", "add", "Tổ 1", "--code", "T1", "--kind", "party_group", "--parent", "TL")
    assert r.exit_code == 1
    assert "Tổ đảng không thể đặt dưới" in r.stderr and "Điều lệ Đảng, Điều 21–24" in r.stderr and "domain.md" not in r.stderr
    r = cli("cells", "add", "Chi bộ lạc", "--code", "X", "--kind", "cell")
    assert r.exit_code == 1 and "cấp cao nhất" in r.stderr
    assert snapshot(isolated_db) == before


def test_party_group_inside_a_cell(cli, commune):
    assert cli("cells", "add", "Tổ đảng 1", "--code", "TL.01.1", "--kind", "party_group", "--parent", "TL.01").exit_code == 0
    rows = {r["code"]: r for r in cli("cells", "list", "-f", "json").json()}
    assert rows["TL.01.1"]["parent_code"] == "TL.01"


def test_duplicate_code_and_unknown_parent(cli, commune, isolated_db, snapshot):
    before = snapshot(isolated_db)
    r = cli("cells", "add", "Khác", "--code", "TL.01", "--kind", "cell", "--parent", "TL")
    assert r.exit_code == 1 and "đã dùng" in r.stderr
    r = cli("cells", "add", "Khác", "--code", "TL.09", "--kind", "cell", "--parent", "KHONG-CO")
    assert r.exit_code == 1 and "Không có tổ chức đảng" in r.stderr
    r = cli("cells", "add", "Khác", "--code", "TL.09", "--kind", "huyen")
    assert r.exit_code == 1 and "'huyen' không hợp lệ" in r.stderr and "--kind" in r.stderr
    assert snapshot(isolated_db) == before
    r = cli("cells", "add", "Tổ 1", "--code", "TL.01.1", "--kind", "to dang", "--parent", "TL.01")  # Vietnamese word
    assert r.exit_code == 0 and cli("cells", "show", "TL.01.1", "-f", "json").json()["kind"] == "party_group"


def test_found_by_exact_name_and_ambiguous_name(cli, commune):
    r = cli("cells", "show", "Chi bộ thôn Đông", "-f", "json")
    assert r.exit_code == 0 and r.json()["code"] == "TL.01"
    cli("cells", "add", "Đảng bộ xã Hòa Bình", "--code", "HB", "--kind", "commune_committee")
    cli("cells", "add", "Chi bộ thôn Đông", "--code", "HB.01", "--kind", "cell", "--parent", "HB")
    r = cli("cells", "show", "Chi bộ thôn Đông")
    assert r.exit_code == 1 and "HB.01" in r.stderr and "TL.01" in r.stderr


def test_tree_counts_members_of_the_branch(cli, commune):
    cli("members", "add", "--name", "Lê Văn Cường", "--gender", "male", "--birth-date", "1970", "--cell", "TL.01")
    cli("members", "add", "--name", "Lê Thị Dung", "--gender", "female", "--birth-date", "1972", "--cell", "TL.02")
    tree = cli("cells", "tree", "--format", "json").json()
    assert tree[0]["code"] == "TL" and tree[0]["total"] == 2
    assert [c["member_count"] for c in tree[0]["children"]] == [1, 1]
    r = cli("cells", "tree")
    assert r.exit_code == 0 and "Chi bộ thôn Đông" in r.stdout and "2 cả nhánh" in r.stdout


def test_rename_keeps_the_old_name_in_history(cli, commune):
    cli("members", "add", "--name", "Lê Văn Cường", "--gender", "male", "--birth-date", "1970", "--cell", "TL.01")
    r = cli("cells", "update", "TL.01", "--name", "Chi bộ thôn Đông Tiến", "--date", "01/07/2025", "--ref", "12-QĐ/ĐU")
    assert r.exit_code == 0
    data = cli("cells", "show", "TL.01", "-f", "json").json()
    assert data["name"] == "Chi bộ thôn Đông Tiến"
    renamed = [e for e in data["history"] if e["event"] == "renamed"]
    assert renamed[0]["old_value"] == "Chi bộ thôn Đông" and renamed[0]["effective_date"] == "2025-07-01"
    # The member's own history still names the cell as it was when they joined it.
    history = cli("members", "history", "1", "-f", "json").json()
    assert history[0]["new_value"] == "TL.01 — Chi bộ thôn Đông"


def test_move_refuses_own_descendant(cli, commune, isolated_db, snapshot):
    cli("cells", "add", "Đảng bộ tỉnh", "--code", "T", "--kind", "province_committee")
    assert cli("cells", "move", "TL", "--parent", "T").exit_code == 0
    rows = {r["code"]: r for r in cli("cells", "list", "-f", "json").json()}
    assert rows["TL"]["parent_code"] == "T"
    cli("cells", "add", "Tổ đảng 1", "--code", "TL.01.1", "--kind", "party_group", "--parent", "TL.01")
    before = snapshot(isolated_db)
    r = cli("cells", "move", "TL.01", "--parent", "TL.01.1")
    assert r.exit_code == 1 and "tổ chức trực thuộc nó" in r.stderr
    r = cli("cells", "move", "TL", "--parent", "TL")
    assert r.exit_code == 1
    assert snapshot(isolated_db) == before


def test_dissolve_refused_while_members_remain_then_moves_them(cli, commune, isolated_db, snapshot):
    cli("members", "add", "--name", "Lê Văn Cường", "--gender", "male", "--birth-date", "1970", "--cell", "TL.02")
    before = snapshot(isolated_db)
    r = cli("cells", "dissolve", "TL.02", "--date", "01/07/2025")
    assert r.exit_code == 1 and "còn 1 đảng viên" in r.stderr and "--move-members-to" in r.stderr
    assert snapshot(isolated_db) == before
    r = cli("cells", "dissolve", "TL.02", "--date", "01/07/2025", "--merged-into", "TL.01", "--ref", "15-QĐ/ĐU")
    assert r.exit_code == 0, r.stderr
    member = cli("members", "show", "1", "-f", "json").json()
    assert member["cell_code"] == "TL.01"
    assert [r["code"] for r in cli("cells", "list", "-f", "json").json()] == ["TL", "TL.01"]
    dissolved = cli("cells", "show", "TL.02", "-f", "json").json()
    assert dissolved["valid_to"] == "2025-07-01" and dissolved["replaced_by_code"] == "TL.01"
    history = cli("members", "history", "1", "-f", "json").json()
    assert history[-1]["old_value"] == "TL.02 — Chi bộ thôn Tây" and history[-1]["new_value"] == "TL.01 — Chi bộ thôn Đông"
    r = cli("members", "add", "--name", "Mới", "--gender", "male", "--birth-date", "1990", "--cell", "TL.02")
    assert r.exit_code == 1 and "giải thể" in r.stderr


def test_dissolve_refused_while_sub_organizations_remain(cli, commune):
    r = cli("cells", "dissolve", "TL")
    assert r.exit_code == 1 and "tổ chức trực thuộc" in r.stderr


def test_update_kind_checks_children(cli, commune):
    r = cli("cells", "update", "TL", "--kind", "province_committee")
    assert r.exit_code == 1 and "Không đổi được loại" in r.stderr
    assert cli("cells", "update", "TL.01", "--has-committee").exit_code == 0
    assert cli("cells", "show", "TL.01", "-f", "json").json()["has_committee"] is True
