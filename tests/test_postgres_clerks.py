"""Many clerks at once on one PostgreSQL server (issue 11): two roster imports into different committees at the
same moment both succeed; a held row is the busy message and a lost connection the lost-connection message,
exit 1, nothing half-written; a clerk bound to a committee works through the tool's own commands and sees,
reports and changes only that committee."""

from __future__ import annotations

import threading

import pytest
from openpyxl import Workbook

from dangvien_cli.services import roster_import
from dangvien_cli.store import postgres

HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Ngày chính thức",
          "Chi bộ"]


def _roster(path, cell_name: str, card_prefix: str, count: int):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for n in range(1, count + 1):
        ws.append([n, f"Nguyễn Văn {card_prefix}{n:03d}", "Nam", "08/03/1972", f"{card_prefix}{n:04d}",
                   "03/02/2000", "03/02/2001", cell_name])
    wb.save(path)
    return path


@pytest.fixture
def province(pg_database, monkeypatch, cli):
    """Two communes on one server, created through the tool itself (DANGVIEN_DB names the server)."""
    monkeypatch.setenv("DANGVIEN_DB", pg_database)
    assert cli("db", "init").exit_code == 0
    for args in (("Đảng bộ tỉnh Bắc Ninh", "--code", "BN", "--kind", "province_committee"),
                 ("Đảng bộ xã Tân Lập", "--code", "TL", "--kind", "commune_committee", "--parent", "BN"),
                 ("Chi bộ thôn Đông", "--code", "TL.01", "--kind", "cell", "--parent", "TL"),
                 ("Đảng bộ xã Hòa Bình", "--code", "HB", "--kind", "commune_committee", "--parent", "BN"),
                 ("Chi bộ thôn Bắc", "--code", "HB.01", "--kind", "cell", "--parent", "HB")):
        run = cli("cells", "add", *args)
        assert run.exit_code == 0, run.stderr
    return pg_database


def test_two_roster_imports_into_different_communes_at_the_same_moment_both_succeed(province, tmp_path):
    files = {"TL": _roster(tmp_path / "tl.xlsx", "Chi bộ thôn Đông", "0801", 40),
             "HB": _roster(tmp_path / "hb.xlsx", "Chi bộ thôn Bắc", "0802", 40)}
    # Each clerk's import writes, then waits for the other's to have written too before committing: if either
    # blocked the other (a lock, an id both wanted) the barrier would break instead.
    both_written = threading.Barrier(2, timeout=30)
    reports, errors = {}, []

    def clerk(commune: str) -> None:
        conn = postgres.connect(province)
        try:
            with conn.transaction(write=True):
                reports[commune] = roster_import.import_roster(conn, files[commune], into=commune)
                both_written.wait()
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=clerk, args=(c,)) for c in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert reports["TL"]["created"] == reports["HB"]["created"] == 40
    conn = postgres.connect(province)
    try:
        with conn.transaction(write=False):
            by_cell = dict(conn.rows("SELECT c.code, count(*) FROM members m JOIN cells c ON c.id = m.cell_id "
                                     "GROUP BY c.code"))
            assert by_cell == {"TL.01": 40, "HB.01": 40}
            assert conn.value("SELECT count(DISTINCT id) FROM members") == 80
            assert conn.value("SELECT count(*) FROM member_events WHERE event = 'created'") == 80
            assert conn.value("SELECT count(*) FROM imports") == 2
    finally:
        conn.close()


def test_a_member_held_by_another_clerk_is_the_busy_message_and_nothing_is_written(province, cli, monkeypatch):
    assert cli("members", "add", "--name", "Nguyễn Văn Ân", "--cell", "TL.01", "--card-number", "08012345",
               "--birth-date", "1960", "--gender", "male").exit_code == 0
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_MS", 200)
    holder = postgres.connect(province)
    try:
        holder.execute("BEGIN")
        holder.execute("SELECT 1 FROM members WHERE card_number = '08012345' FOR UPDATE")
        run = cli("members", "update", "08012345", "--hometown", "Xã Tân Lập")
        holder.execute("ROLLBACK")
        assert run.exit_code == 1
        assert "đang bận" in run.stderr and "Không có gì được ghi" in run.stderr
        with holder.transaction(write=False):
            assert holder.value("SELECT hometown FROM members") is None
            assert holder.value("SELECT version FROM members") == 1
    finally:
        holder.close()


def test_a_connection_lost_in_the_middle_of_an_import_writes_nothing(province, cli, tmp_path, monkeypatch):
    """The server ends the clerk's session while the import streams its rows: the Vietnamese lost-connection
    message, exit 1, and not one member, history row or import record on the server."""
    path = _roster(tmp_path / "tl.xlsx", "Chi bộ thôn Đông", "0801", 30)
    killer = postgres.connect(province)
    copy_rows = postgres.PostgresDialect.copy_rows

    def copy_then_cut(self, raw, table, columns, rows):
        copy_rows(self, raw, table, columns, rows)
        if table == "members":  # the members are sent; the server goes before their history rows
            killer.execute("SELECT pg_terminate_backend(?)", (raw.info.backend_pid,))

    monkeypatch.setattr(postgres.PostgresDialect, "copy_rows", copy_then_cut)
    try:
        run = cli("import", "roster", path, "--into", "TL")
        assert run.exit_code == 1, run.stderr
        assert "Mất kết nối" in run.stderr and "Không có gì được ghi" in run.stderr
        with killer.transaction(write=False):
            assert [killer.value(f"SELECT count(*) FROM {t}") for t in ("members", "member_events", "imports")] \
                == [0, 0, 0]
    finally:
        killer.close()


def test_a_clerk_bound_to_a_commune_through_the_tool(province, cli, monkeypatch, tmp_path):
    for name, cell, card in (("Nguyễn Văn Ân", "TL.01", "08010001"), ("Trần Văn Cường", "HB.01", "08020001")):
        assert cli("members", "add", "--name", name, "--cell", cell, "--card-number", card, "--birth-date",
                   "1960", "--admission-date", "19/05/1985", "--official-date", "19/05/1986", "--gender", "male").exit_code == 0
    run = cli("db", "grant", "clerk_tl", "--cell", "TL")
    assert run.exit_code == 0, run.stderr
    assert "clerk_tl" in run.stderr and "Đảng bộ xã Tân Lập" in run.stderr and "3 tổ chức" not in run.stderr
    try:
        monkeypatch.setenv("DANGVIEN_DB", province.replace("user=postgres", "user=clerk_tl"))
        assert [m["full_name"] for m in cli("members", "list", "-f", "json").json()] == ["Nguyễn Văn Ân"]
        assert [c["code"] for c in cli("cells", "list", "-f", "json").json()] == ["TL", "TL.01"]
        profile = cli("reports", "profile", "--as-of", "01/01/2026", "-f", "json")
        assert profile.exit_code == 0, profile.stderr
        assert profile.json()["total"] == 1  # the report counts the commune's one member, not the province's two
        outside = cli("members", "update", "08020001", "--hometown", "x")
        assert outside.exit_code == 1 and "Không tìm thấy" in outside.stderr
        into_other = cli("members", "add", "--name", "Lê Văn Dũng", "--cell", "HB.01", "--birth-date", "1970", "--gender", "male")
        # the other commune's cell does not exist for this role (the server's own refusal of a row written
        # outside the scope: test_postgres_grants.py)
        assert into_other.exit_code == 1 and "Không có tổ chức đảng nào có mã hoặc tên 'HB.01'" in into_other.stderr
        inside = cli("members", "update", "08010001", "--hometown", "Xã Tân Lập")
        assert inside.exit_code == 0, inside.stderr
        # the roster import of the clerk's own commune goes through row-level security too
        path = _roster(tmp_path / "tl.xlsx", "Chi bộ thôn Đông", "0803", 5)
        imported = cli("import", "roster", path, "--into", "TL", "-f", "json")
        assert imported.exit_code == 0, imported.stderr
        assert imported.json()["created"] == 5
        # a screening run by the commune's clerk screens the commune: its findings name no other commune's cell
        screened = cli("screening", "run", "--year", "2025", "--as-of", "20/01/2026", "-f", "json")
        assert screened.exit_code == 0, screened.stderr
        found = screened.json()
        assert {f["cell_code"] for f in found["org_findings"]} == {"TL.01"}
        assert "HB" not in str(found)
        log = cli("db", "log", "-f", "json").json()
        mine = [row["os_user"] for row in log if row["command_line"] and "import roster" in row["command_line"]]
        assert mine == ["clerk_tl"]  # the audit names the server's role, not the operating-system user
    finally:
        monkeypatch.setenv("DANGVIEN_DB", province)
        conn = postgres.connect(province)
        with conn.transaction(write=False):
            assert conn.value("SELECT count(*) FROM members WHERE hometown = 'x' OR full_name = 'Lê Văn Dũng'") == 0
        conn.execute("DROP OWNED BY clerk_tl")
        conn.execute("DROP ROLE clerk_tl")
        conn.close()
