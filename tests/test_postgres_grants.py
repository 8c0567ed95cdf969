"""Each clerk sees their own committee (issue 11): `db grant ROLE --cell CODE` binds a PostgreSQL role to one
organization's subtree and the server's row-level security holds it — for plain SQL through psycopg as that
role too, not only for the tool's own commands."""

from __future__ import annotations

import pytest

from dangvien_cli.errors import RuleViolation
from dangvien_cli.services import cells
from dangvien_cli.store import audit, grants, postgres
from dbstate import postgres_schema, sqlite_only

STAMP = "2026-01-01T00:00:00Z"
ROLES = ("clerk_tl", "stranger")


@sqlite_only("the refusal on a file; the grant on a server is the rest of this file")
def test_grant_on_a_sqlite_file_is_refused_in_vietnamese_and_writes_nothing(cli, commune, snapshot, isolated_db):
    before = snapshot(isolated_db)
    run = cli("db", "grant", "canbo_tl", "--cell", "TL")
    assert run.exit_code == 1
    assert "chỉ dùng với cơ sở dữ liệu PostgreSQL" in run.stderr and "--db postgresql://" in run.stderr
    assert snapshot(isolated_db) == before


def _member(conn, name: str, cell: str, card: str) -> int:
    cell_id = cells.store.id_of_code(conn, cell)
    member_id = conn.insert("members", {"full_name": name, "search_key": name.lower(), "sort_key": name.lower(),
                                        "card_number": card, "cell_id": cell_id, "created_at": STAMP,
                                        "updated_at": STAMP})
    audit.member_event(conn, member_id, "created", source="test", field="cell", new=cell)
    conn.execute("INSERT INTO member_ratings (member_id, year, level, source, created_at) "
                 "VALUES (?, 2025, 'HTTNV', 'test', ?)", (member_id, STAMP))
    return member_id


@pytest.fixture
def province(pg_database):
    """Two communes of one province, two members each side; the role clerk_tl bound to commune TL."""
    conn = postgres.connect(pg_database)
    for role in ROLES:  # roles belong to the cluster, not to the test's database: none left from a run before
        conn.execute(f"DROP ROLE IF EXISTS {role}")
    with conn.transaction(write=True):
        postgres_schema(conn, (("BN", "Đảng bộ tỉnh Bắc Ninh", "province_committee", None),
                               ("TL", "Đảng bộ xã Tân Lập", "commune_committee", "BN"),
                               ("TL.01", "Chi bộ thôn Đông", "cell", "TL"),
                               ("HB", "Đảng bộ xã Hòa Bình", "commune_committee", "BN"),
                               ("HB.01", "Chi bộ thôn Bắc", "cell", "HB")))
        _member(conn, "Nguyễn Văn Ân", "TL.01", "08010001")
        _member(conn, "Lê Thị Bình", "TL.01", "08010002")
        _member(conn, "Trần Văn Cường", "HB.01", "08020001")
        _member(conn, "Phạm Thị Dung", "HB.01", "08020002")
        granted = grants.grant(conn, "clerk_tl", cells.store.id_of_code(conn, "TL"))
    assert granted == {"role": "clerk_tl", "created": True, "previous_cell_id": None}
    yield conn, pg_database
    for role in ROLES:
        if grants.role_exists(conn, role):
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")
    conn.close()


def _as(conninfo: str, role: str) -> str:
    return conninfo.replace("user=postgres", f"user={role}")


def test_a_scoped_role_with_plain_sql_sees_only_its_commune(province):
    import psycopg

    admin, conninfo = province
    with psycopg.connect(_as(conninfo, "clerk_tl"), autocommit=True) as clerk:
        assert clerk.execute("SELECT current_user").fetchone() == ("clerk_tl",)
        names = [r[0] for r in clerk.execute("SELECT full_name FROM members ORDER BY card_number")]
        assert names == ["Nguyễn Văn Ân", "Lê Thị Bình"]
        hb01 = admin.value("SELECT id FROM cells WHERE code = 'HB.01'")
        assert clerk.execute("SELECT * FROM members WHERE cell_id = %s", (hb01,)).fetchall() == []
        assert clerk.execute("SELECT count(*) FROM members WHERE card_number LIKE '0802%%'").fetchone() == (0,)
        # the history and the ratings of the other commune's members are out of sight too
        assert clerk.execute("SELECT count(*) FROM member_events").fetchone() == (2,)
        assert clerk.execute("SELECT count(*) FROM member_ratings").fetchone() == (2,)
        assert [r[0] for r in clerk.execute("SELECT code FROM cells ORDER BY code")] == ["TL", "TL.01"]
        # changing another commune's member changes nothing; the binding itself cannot even be read
        assert clerk.execute("UPDATE members SET note = 'x' WHERE card_number = '08020001'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            clerk.execute("SELECT * FROM role_scopes")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            clerk.execute("UPDATE settings SET value = '1'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a member written into the other commune
            clerk.execute("INSERT INTO members (full_name, search_key, sort_key, cell_id, created_at, updated_at) "
                          "VALUES ('X', 'x', 'x', %s, %s, %s)", (hb01, STAMP, STAMP))
    with admin.transaction(write=False):  # the administrator (the tables' owner) still sees the province
        assert admin.value("SELECT count(*) FROM members") == 4
        assert admin.value("SELECT note FROM members WHERE card_number = '08020001'") is None


def test_the_store_as_a_scoped_role_refuses_a_change_outside_in_vietnamese(province):
    admin, conninfo = province
    clerk = postgres.connect(_as(conninfo, "clerk_tl"))
    try:
        hb01 = admin.value("SELECT id FROM cells WHERE code = 'HB.01'")
        with pytest.raises(RuleViolation) as refused, clerk.transaction(write=True):
            audit.begin_command(clerk, "dangvien members add --name *** --cell HB.01")
            clerk.insert("members", {"full_name": "X", "search_key": "x", "sort_key": "x", "cell_id": hb01,
                                     "created_at": STAMP, "updated_at": STAMP})
        assert "ngoài phạm vi" in refused.value.message and "Không có gì được ghi" in refused.value.message
        with clerk.transaction(write=True):  # inside the scope the same role writes, audited under its name
            audit.begin_command(clerk, "dangvien members add --name *** --cell TL.01")
            _member(clerk, "Hoàng Văn Em", "TL.01", "08010003")
            audit.end_command(clerk)
    finally:
        clerk.close()
    with admin.transaction(write=False):
        assert admin.column("SELECT os_user FROM commands") == ["clerk_tl"]
        assert admin.value("SELECT count(*) FROM members WHERE cell_id = ?", (hb01,)) == 2


def test_a_new_cell_and_a_move_change_the_scope_at_once(province):
    import psycopg

    admin, conninfo = province
    with admin.transaction(write=True):
        cells.add_cell(admin, cells.CellInput(name="Chi bộ thôn Nam", code="HB.02", kind="cell", parent="HB"))
        cells.move_cell(admin, "HB.01", "TL")  # HB.01 now belongs to commune TL (with its two members)
    with psycopg.connect(_as(conninfo, "clerk_tl"), autocommit=True) as clerk:
        assert [r[0] for r in clerk.execute("SELECT code FROM cells ORDER BY code")] == ["HB.01", "TL", "TL.01"]
        assert clerk.execute("SELECT count(*) FROM members").fetchone() == (4,)
    with admin.transaction(write=True):  # bound again to the province: everything
        assert grants.grant(admin, "clerk_tl", cells.store.id_of_code(admin, "BN"))["created"] is False
    with psycopg.connect(_as(conninfo, "clerk_tl"), autocommit=True) as clerk:
        assert clerk.execute("SELECT count(*) FROM cells").fetchone() == (6,)


def test_a_role_without_a_binding_sees_nothing(province):
    import psycopg

    admin, conninfo = province
    with admin.transaction(write=True):
        admin.execute("CREATE ROLE stranger LOGIN")
        admin.execute("GRANT SELECT ON members, cells TO stranger")
    with psycopg.connect(_as(conninfo, "stranger"), autocommit=True) as other:
        assert other.execute("SELECT count(*) FROM members").fetchone() == (0,)
        assert other.execute("SELECT count(*) FROM cells").fetchone() == (0,)


def test_the_tool_s_own_lists_and_ratings_as_a_scoped_role_show_only_the_subtree(province):
    from dangvien_cli.errors import NotFound
    from dangvien_cli.services import members, ratings

    admin, conninfo = province
    clerk = postgres.connect(_as(conninfo, "clerk_tl"))
    try:
        with clerk.transaction(write=False):
            assert sorted(m["full_name"] for m in members.list_members(clerk)) == ["Lê Thị Bình", "Nguyễn Văn Ân"]
            assert [c["code"] for c in cells.list_cells(clerk)] == ["TL", "TL.01"]
            assert sorted(r["member_id"] for r in ratings.list_ratings(clerk, 2025)) == [1, 2]
            with pytest.raises(NotFound):  # another commune's member, by card number: not there for this role
                members.show_member(clerk, "08020001")
        with pytest.raises(NotFound), clerk.transaction(write=True):
            members.update_member(clerk, "08020001", {"hometown": "x"})
    finally:
        clerk.close()
    with admin.transaction(write=False):
        assert admin.value("SELECT count(*) FROM members WHERE hometown IS NOT NULL") == 0


def test_only_the_owner_of_the_tables_grants_and_a_bad_role_name_is_refused(province):
    from dangvien_cli.errors import InvalidValue
    from dangvien_cli.services import grants as svc

    admin, conninfo = province
    clerk = postgres.connect(_as(conninfo, "clerk_tl"))
    try:
        with pytest.raises(RuleViolation) as refused, clerk.transaction(write=True):
            svc.grant(clerk, "clerk_tl", "BN")  # a commune's clerk widening their own scope to the province
        assert "Chỉ người quản trị" in refused.value.message
    finally:
        clerk.close()
    with pytest.raises(InvalidValue), admin.transaction(write=True):
        svc.grant(admin, "Cán bộ; DROP TABLE members", "TL")
    with admin.transaction(write=False):
        assert grants.scope_of(admin, "clerk_tl").code == "TL"
        assert admin.value("SELECT count(*) FROM members") == 4
