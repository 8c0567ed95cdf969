"""The cells, settings, members and audit statements of the store run unchanged on PostgreSQL (issue 11): the
same use cases as on SQLite, on a throwaway cluster (skipped, with the reason, when PostgreSQL is absent)."""

from __future__ import annotations

import pytest

from dangvien_cli.services import cells, members, settings
from dangvien_cli.store import audit, postgres
from dbstate import postgres_schema


@pytest.fixture
def pg(pg_database):
    conn = postgres.connect(pg_database)
    with conn.transaction(write=True):
        postgres_schema(conn, (("TL", "Đảng bộ xã Tân Lập", "commune_committee", None),
                               ("TL.01", "Chi bộ thôn Đông", "cell", "TL"),
                               ("TL.02", "Chi bộ thôn Tây", "cell", "TL")))
    yield conn
    conn.close()


def test_cells_settings_and_the_audit_on_postgresql(pg):
    with pg.transaction(write=True):
        audit.begin_command(pg, "dangvien cells update TL.02 --name 'Chi bộ thôn Tây Mới'")
        cells.update_cell(pg, "TL.02", {"name": "Chi bộ thôn Tây Mới"})
        cells.move_cell(pg, "TL.02", "TL")  # the same parent: nothing to record
        settings.set_value(pg, "rating.excellent_quota_percent", "15")
        settings.set_value(pg, "rating.excellent_quota_percent", "12")  # the upsert replaces the row
        cells.dissolve_cell(pg, "TL.01", date="01/07/2025")
        audit.end_command(pg)
    with pg.transaction(write=False):
        assert settings.effective(pg)["rating.excellent_quota_percent"] == 12
        assert cells.show_cell(pg, "TL.01")["valid_to"] == "2025-07-01"
        assert [c["code"] for c in cells.list_cells(pg, under="TL")] == ["TL", "TL.02"]
        assert cells.tree(pg)[0]["children"][0]["name"] == "Chi bộ thôn Tây Mới"
        log = audit.log(pg, limit=100)
        ours = [(r.kind, r.event) for r in log if r.command_line]
        assert sorted(ours) == [("cell", "dissolved"), ("cell", "renamed")]
        # the server's role, not the operating-system user of whoever ran the command (issue 11, "Audit")
        assert {r.os_user for r in log if r.command_line} == {"postgres"} != {audit.os_user()}


def test_members_on_postgresql(pg):
    with pg.transaction(write=True):
        members.add_member(pg, members.MemberInput(full_name="Nguyễn_Thị 100% Bình", cell="TL.01",
                                                   gender="female", birth_date="1960", card_number="08012346"))
    with pg.transaction(write=False):
        assert [m["full_name"] for m in members.list_members(pg, search="100%")] == ["Nguyễn_Thị 100% Bình"]
        assert members.list_members(pg, search="08012346")[0]["cell_code"] == "TL.01"
