"""data/schema.sql and the SQLModel models describe the same tables, columns, defaults, keys and indexes
(style.md idiom 5); the schema's CHECK lists are the vocabulary's codes; migrations are recorded; every
connection has its PRAGMAs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine
from sqlmodel import SQLModel

from dangvien_cli.store import migrations, models  # noqa: F401 - registers the tables
from dangvien_cli.store.database import Database
from dbstate import version_1_database


def _affinity(declared: str) -> str:
    """SQLite's type affinity rules (https://www.sqlite.org/datatype3.html §3.1)."""
    t = declared.upper()
    if "INT" in t:
        return "INTEGER"
    if any(s in t for s in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in t or not t:
        return "BLOB"
    if any(s in t for s in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def describe(conn: sqlite3.Connection) -> dict:
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name <> 'schema_migrations' ORDER BY name")]
    result = {}
    for table in tables:
        columns = {}
        for _cid, name, decl, notnull, default, pk in conn.execute(f"PRAGMA table_info({table})"):
            # An INTEGER PRIMARY KEY is the rowid and never null, whatever the declaration says. The default is
            # compared too: bulk inserts that leave a column out rely on it (imports' _create_cells).
            columns[name] = (_affinity(decl), bool(notnull) or bool(pk), pk, default)
        fks = sorted((r[2], r[3], r[4]) for r in conn.execute(f"PRAGMA foreign_key_list({table})"))
        indexes = set()
        for _seq, name, unique, origin, partial in conn.execute(f"PRAGMA index_list({table})"):
            if origin == "pk":
                continue
            cols = tuple(r[2] for r in conn.execute(f"PRAGMA index_info({name})"))
            label = name if origin == "c" else "auto"
            indexes.add((label, bool(unique), cols, bool(partial)))
        result[table] = {"columns": columns, "foreign_keys": fks, "indexes": sorted(indexes)}
    return result


def test_models_match_schema_sql(tmp_path):
    db = Database(tmp_path / "from_schema.db")
    from_schema = describe(db.raw_connection())
    engine = create_engine(f"sqlite:///{tmp_path / 'from_models.db'}")
    SQLModel.metadata.create_all(engine)
    from_models = describe(sqlite3.connect(tmp_path / "from_models.db"))
    assert sorted(from_schema) == sorted(from_models)
    for table in from_schema:
        assert from_schema[table] == from_models[table], table


def test_schema_has_the_constraints_scripts_rely_on(tmp_path):
    conn = Database(tmp_path / "x.db").raw_connection()
    conn.execute("INSERT INTO cells (code, name, search_key, kind, created_at, updated_at) "
                 "VALUES ('A', 'A', 'a', 'commune_committee', 't', 't')")
    for bad in ("'12345678901A'", "'1234'"):
        try:
            conn.execute("INSERT INTO members (full_name, search_key, sort_key, national_id, cell_id, created_at,"
                         f" updated_at) VALUES ('X', 'x', 'x', {bad}, 1, 't', 't')")
        except sqlite3.IntegrityError:
            continue
        raise AssertionError(f"national_id {bad} accepted")
    try:
        conn.execute("INSERT INTO members (full_name, search_key, sort_key, cell_id, created_at, updated_at) "
                     "VALUES ('X', 'x', 'x', 99, 't', 't')")
    except sqlite3.IntegrityError as exc:
        assert "FOREIGN KEY" in str(exc)
    else:
        raise AssertionError("foreign keys are off")


def test_new_database_is_recorded_at_latest_version_and_private(tmp_path):
    path = tmp_path / "new.db"
    db = Database(path)
    conn = db.raw_connection()
    assert migrations.current_version(conn) == migrations.LATEST
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert path.stat().st_mode & 0o077 == 0
    # Opening again runs nothing more.
    Database(path)
    assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(migrations.MIGRATIONS)


def test_every_engine_connection_gets_the_pragmas(tmp_path):
    db = Database(tmp_path / "p.db")
    with db.read() as conn:
        assert conn.value("PRAGMA foreign_keys") == 1
        assert conn.value("PRAGMA busy_timeout") >= 5000
        assert conn.value("PRAGMA journal_mode") == "wal"


def test_a_failed_transaction_leaves_nothing(tmp_path):
    db = Database(tmp_path / "t.db")
    try:
        with db.write() as conn:
            conn.insert("cells", {"code": "A", "name": "A", "search_key": "a", "kind": "commune_committee",
                                  "created_at": "t", "updated_at": "t"})
            with conn.atomic():
                conn.insert("cells", {"code": "B", "name": "B", "search_key": "b", "kind": "commune_committee",
                                      "created_at": "t", "updated_at": "t"})
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert db.raw_connection().execute("SELECT count(*) FROM cells").fetchone()[0] == 0


def test_a_file_that_is_not_ours_is_refused(tmp_path, cli):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    r = cli("--db", other, "db", "info")
    assert r.exit_code == 1
    assert "không phải của dangvien" in r.stderr
    text_file = tmp_path / "notes.db"
    text_file.write_text("hello, this is not sqlite at all")
    r = cli("--db", text_file, "db", "info")
    assert r.exit_code == 1
    assert "không phải là cơ sở dữ liệu SQLite" in r.stderr


def test_a_version_1_database_migrates_to_the_current_schema(tmp_path):
    """A database made by the first schema (CHECKs with IN lists) ends up exactly like a new one, data kept."""
    old = tmp_path / "v1.db"
    conn = version_1_database(old)
    conn.execute("INSERT INTO cells (code, name, search_key, kind, created_at, updated_at) "
                 "VALUES ('A', 'A', 'a', 'commune_committee', 't', 't')")
    conn.commit()
    conn.close()
    migrated = Database(old).raw_connection()
    fresh = Database(tmp_path / "new.db").raw_connection()
    assert migrations.current_version(migrated) == migrations.LATEST
    assert describe(migrated) == describe(fresh)
    table_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations' ORDER BY 1"
    assert migrated.execute(table_sql).fetchall() == fresh.execute(table_sql).fetchall()
    index_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY 1"
    assert migrated.execute(index_sql).fetchall() == fresh.execute(index_sql).fetchall()
    assert migrated.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert migrated.execute("SELECT code FROM cells").fetchall() == [("A",)]
    try:
        migrated.execute("UPDATE cells SET kind = 'huyen' WHERE code = 'A'")
    except sqlite3.IntegrityError:
        pass
    else:
        raise AssertionError("the migrated CHECK constraints do not hold")


# --- the CHECK lists are the vocabulary (issue 10) -------------------------------------------------------------

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "schema.sql"


def _split_top(body: str) -> list[str]:
    """The comma-separated elements of a CREATE TABLE body, at parenthesis depth 0."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return [p.strip() for p in parts if p.strip()]


def check_lists(sql: str) -> dict[tuple[str, str], list[str]]:
    """{(table, column): the values its CHECK allows} for every column CHECK written as ``col = 'x' OR …``."""
    import re

    sql = re.sub(r"--[^\n]*", "", sql)
    found = {}
    for m in re.finditer(r"CREATE TABLE (\w+) \(", sql):
        table, depth, end = m[1], 1, m.end()
        while depth:  # the body ends at the parenthesis that closes the one after the name
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            end += 1
        body = sql[m.end():end - 1]
        for element in _split_top(body):
            column = element.split()[0]
            if column in ("CHECK", "UNIQUE", "PRIMARY", "FOREIGN") or "CHECK" not in element:
                continue
            values = re.findall(rf"\b{column}\s*=\s*'([^']*)'", element)
            if values:
                found[(table, column)] = values
    return found


def test_check_lists_are_the_vocabulary():
    from dangvien_cli import vocab

    expected = {
        ("cells", "kind"): vocab.ORG_KIND, ("cells", "unit_type"): vocab.UNIT_TYPE,
        ("members", "gender"): vocab.GENDER, ("members", "membership"): vocab.MEMBERSHIP,
        ("members", "status"): vocab.STATUS, ("member_gaps", "kind"): vocab.GAP_KIND,
        ("exemptions", "kind"): vocab.EXEMPTION_KIND, ("exemptions", "reason"): vocab.EXEMPTION_REASON,
        ("candidates", "gender"): vocab.GENDER, ("candidates", "status"): vocab.CANDIDATE_STATUS,
        ("candidate_steps", "step"): vocab.ADMISSION_STEP, ("member_ratings", "level"): vocab.RATING_LEVEL,
        ("member_ratings", "not_rated_reason"): vocab.NOT_RATED_REASON, ("cell_ratings", "level"): vocab.RATING_LEVEL,
        ("screening_findings", "resolution"): vocab.SCREENING_DECISION, ("dossier_documents", "state"): vocab.DOSSIER_STATE,
    }
    lists = check_lists(SCHEMA.read_text(encoding="utf-8"))
    for key, codes in expected.items():
        assert key in lists, f"{key}: no CHECK list found in schema.sql"
        assert sorted(lists[key]) == sorted(codes.codes), key
    # The marks strings: one character a month, each a code of the list.
    text_sql = SCHEMA.read_text(encoding="utf-8")
    assert "marks NOT GLOB '*[^xpk-]*'" in text_sql and sorted("xpk-") == sorted(vocab.ATTENDANCE.codes)
    assert "marks NOT GLOB '*[^pue-]*'" in text_sql and sorted("pue-") == sorted(vocab.DUES.codes)


def test_the_check_parser_sees_a_list_that_drifted():
    sql = ("CREATE TABLE members (\n    id INTEGER PRIMARY KEY,\n    status TEXT CHECK (status = 'active' OR "
           "status = 'gone'),\n    CHECK (id > 0)\n, added TEXT);\nCREATE TABLE b (kind TEXT CHECK (kind = 'x'));")
    assert check_lists(sql) == {("members", "status"): ["active", "gone"], ("b", "kind"): ["x"]}


def test_the_drift_test_sees_a_missing_default(tmp_path):
    """`_create_cells` inserts cells without the flag columns: the models must declare their DEFAULT 0."""
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    SQLModel.metadata.create_all(engine)
    columns = describe(sqlite3.connect(tmp_path / "m.db"))["cells"]["columns"]
    assert columns["online_meetings"][3] == "0" and columns["kind"][3] is None
    assert describe(sqlite3.connect(tmp_path / "m.db"))["members"]["columns"]["status"][3] == "'active'"


def test_a_version_6_database_gets_the_audit_and_keeps_its_history(tmp_path):
    from dbstate import database_at_version

    old = tmp_path / "v6.db"
    conn = database_at_version(old, 6)
    assert "command_id" not in "".join(r[0] or "" for r in conn.execute("SELECT sql FROM sqlite_master"))
    conn.execute("INSERT INTO cells (code, name, search_key, kind, created_at, updated_at) "
                 "VALUES ('A', 'A', 'a', 'commune_committee', 't', 't')")
    conn.execute("INSERT INTO cell_events (cell_id, event, source, created_at) VALUES (1, 'created', 'x', 't')")
    conn.close()
    migrated = Database(old).raw_connection()
    fresh = Database(tmp_path / "new.db").raw_connection()
    assert migrations.current_version(migrated) == migrations.LATEST
    assert describe(migrated) == describe(fresh)
    table_sql = "SELECT name, sql FROM sqlite_master WHERE name <> 'schema_migrations' AND sql IS NOT NULL ORDER BY 1"
    assert migrated.execute(table_sql).fetchall() == fresh.execute(table_sql).fetchall()
    assert migrated.execute("SELECT event, command_id FROM cell_events").fetchall() == [("created", None)]
    assert migrated.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert migrated.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_version_7_database_gets_sort_keys_without_nul_in_the_same_order(tmp_path):
    """Migration 8: name keys stored with U+0000 (refused by PostgreSQL) are written again, same order."""
    from dangvien_cli.text import collation_key
    from dbstate import database_at_version

    def old_key(name: str) -> str:  # text.collation_key as it was up to version 7
        return collation_key(name).replace("\x01", "\x00").replace("\x02", "\x01")

    names = ["Nguyễn Văn An", "Trần Thị Ân", "Lê An", "Phạm Văn Bình", "Đỗ Thị Ánh", "Hoàng Anh", "Vũ Ấn"]
    old = tmp_path / "v7.db"
    conn = database_at_version(old, 7)
    conn.execute("INSERT INTO cells (code, name, search_key, kind, created_at, updated_at) "
                 "VALUES ('A', 'A', 'a', 'cell', 't', 't')")
    conn.executemany("INSERT INTO members (full_name, search_key, sort_key, cell_id, created_at, updated_at) "
                     "VALUES (?, 'x', ?, 1, 't', 't')", [(n, old_key(n)) for n in names])
    conn.execute("INSERT INTO candidates (full_name, search_key, sort_key, birth_date, cell_id, created_at, "
                 "updated_at) VALUES (?, 'x', ?, '2000', 1, 't', 't')", (names[0], old_key(names[0])))
    before = [r[0] for r in conn.execute("SELECT full_name FROM members ORDER BY sort_key")]
    conn.close()
    migrated = Database(old).raw_connection()
    assert migrations.current_version(migrated) == migrations.LATEST
    assert migrated.execute("SELECT count(*) FROM members WHERE instr(sort_key, char(0)) > 0").fetchone() == (0,)
    assert [r[0] for r in migrated.execute("SELECT full_name FROM members ORDER BY sort_key")] == before
    assert dict(migrated.execute("SELECT full_name, sort_key FROM members")) == {n: collation_key(n) for n in names}
    assert migrated.execute("SELECT sort_key FROM candidates").fetchone() == (collation_key(names[0]),)


def test_a_migration_numbered_below_the_newest_recorded_one_still_runs(tmp_path):
    """Branches number their migrations apart: a database made with 12 before 8 existed gets 8 all the same."""
    from dangvien_cli.text import collation_key
    from dbstate import database_at_version

    old = tmp_path / "v12.db"
    conn = database_at_version(old, 12)
    conn.execute("DELETE FROM schema_migrations WHERE version = 8")
    conn.execute("INSERT INTO cells (code, name, search_key, kind, created_at, updated_at) "
                 "VALUES ('A', 'A', 'a', 'cell', 't', 't')")
    conn.execute("INSERT INTO members (full_name, search_key, sort_key, cell_id, created_at, updated_at) "
                 "VALUES ('Lê Văn An', 'le van an', ?, 1, 't', 't')",
                 (collation_key("Lê Văn An").replace("\x01", "\x00"),))
    conn.close()
    migrated = Database(old).raw_connection()
    assert migrations.applied_versions(migrated) == migrations.KNOWN
    assert migrated.execute("SELECT sort_key FROM members").fetchone() == (collation_key("Lê Văn An"),)


def test_a_database_with_a_migration_this_program_does_not_know_is_refused(tmp_path, cli):
    path = tmp_path / "later.db"
    Database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'a later version', 't')")
    conn.commit()
    conn.close()
    r = cli("--db", path, "members", "list")
    assert r.exit_code == 1 and "mới hơn" in r.stderr and "cập nhật dangvien" in r.stderr
