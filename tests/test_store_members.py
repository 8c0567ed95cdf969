"""The members, cells and settings use cases on a temporary database, without the CLI: the filters and
escapes of the member search, what an update returns, settings read through either connection."""

from __future__ import annotations

import pytest

import dbstate
from dangvien_cli.services import cells, members, settings


@pytest.fixture
def db(isolated_db):
    database = dbstate.database(isolated_db)
    with database.write() as conn:
        cells.add_cell(conn, cells.CellInput(name="Đảng bộ xã Tân Lập", code="TL", kind="commune_committee"))
        for code, name in (("TL.01", "Chi bộ thôn Đông"), ("TL.02", "Chi bộ thôn Tây")):
            cells.add_cell(conn, cells.CellInput(name=name, code=code, kind="cell", parent="TL"))
        for name, cell, card, birth in (("Nguyễn Văn An", "TL.01", "08012345", "1960"),
                                        ("Nguyễn_Thị 100% Bình", "TL.01", "08012346", "1975"),
                                        ("Lê Văn Cường", "TL.02", "08012347", "1990")):
            members.add_member(conn, members.MemberInput(full_name=name, cell=cell, gender="male",
                                                         birth_date=birth, card_number=card))
    yield database
    database.close()


def names(rows) -> list[str]:
    return [r["full_name"] for r in rows]


def test_search_takes_wildcards_literally_and_matches_numbers_exactly(db):
    with db.read() as conn:
        assert names(members.list_members(conn, search="100%")) == ["Nguyễn_Thị 100% Bình"]
        assert names(members.list_members(conn, search="_")) == ["Nguyễn_Thị 100% Bình"]
        assert names(members.list_members(conn, search="nguyen")) == ["Nguyễn Văn An", "Nguyễn_Thị 100% Bình"]
        assert names(members.list_members(conn, search="08012347")) == ["Lê Văn Cường"]
        assert names(members.list_members(conn, search="0801234")) == []  # a number is matched whole


def test_filters_by_cell_birth_year_status_and_limit(db):
    with db.write() as conn:
        members.leave(conn, "08012345", reason="deceased", date="01/01/2025")
        members.transfer(conn, "08012347", to="TL.01", temporary=True, until="01/01/2027", date="01/01/2025")
    with db.read() as conn:
        # by given name first (Vietnamese order): Bình before Cường; the hosted member is listed by the host
        assert names(members.list_members(conn, cell="TL.01")) == ["Nguyễn_Thị 100% Bình", "Lê Văn Cường"]
        assert names(members.list_members(conn, status="all", born_to=1975)) == ["Nguyễn Văn An",
                                                                                 "Nguyễn_Thị 100% Bình"]
        assert names(members.list_members(conn, status="deceased")) == ["Nguyễn Văn An"]
        assert names(members.list_members(conn, born_from=1976)) == ["Lê Văn Cường"]
        assert len(members.list_members(conn, status="all", limit=2)) == 2
        assert members.stats(conn) == {"on_roll": 2}


def test_an_update_returns_the_stored_record_and_only_the_fields_that_changed(db):
    with db.write() as conn:
        member, changed = members.update_member(conn, "08012345", {"full_name": "Nguyễn Văn Ánh",
                                                                   "hometown": "Xã Tân Lập", "gender": "male"})
    assert changed == ["full_name", "hometown"]
    assert (member.full_name, member.search_key, member.hometown) == ("Nguyễn Văn Ánh", "nguyen van anh",
                                                                      "Xã Tân Lập")
    with db.read() as conn:
        assert [(e["field"], e["old_value"], e["new_value"]) for e in members.history(conn, "08012345")][1:] == [
            ("full_name", "Nguyễn Văn An", "Nguyễn Văn Ánh"), ("hometown", None, "Xã Tân Lập")]


def test_settings_set_reset_and_effective(db):
    with db.write() as conn:
        settings.set_value(conn, "rating.excellent_quota_percent", "15")
        settings.set_value(conn, "rating.excellent_quota_percent", "12")  # replaces, never a second row
    with db.read() as conn:
        assert settings.effective(conn)["rating.excellent_quota_percent"] == 12
        assert [s["changed"] for s in settings.listing(conn) if s["key"] == "rating.excellent_quota_percent"] == [
            True]
    with db.write() as conn:
        settings.reset(conn, "rating.excellent_quota_percent")
    with db.read() as conn:
        assert not any(s["changed"] for s in settings.listing(conn))


def test_settings_are_read_through_the_store_connection(db):
    with db.write() as conn:
        settings.set_value(conn, "rating.excellent_quota_percent", "15")
    with db.read() as conn:
        assert settings.effective(conn)["rating.excellent_quota_percent"] == 15
