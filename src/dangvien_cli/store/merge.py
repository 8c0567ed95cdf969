"""Offline committees (issue 11): the statements of `db export` and `db merge`.

A committee's file is an ordinary dangvien database holding one subtree of organizations and what hangs from
it. ``export_rows`` selects those rows; ``write_file`` puts them, ids unchanged, into a new file; the merge reads
the file through its own ``Connection`` (always SQLite) and finds, inserts and updates rows of this database
(SQLite or PostgreSQL) through the functions below. Statements are portable: ``?`` placeholders, ids from
``conn.insert``, ``WITH RECURSIVE`` (both engines), no engine's own functions.

Identity of rows: a row copied from another database carries ``origin`` = '<that database's uuid>:<its id
there>'; a row born here has none, and its identity is '<this database's uuid>:<id>'. ``replicas`` holds this
database's uuid ('self') and, in an exported file, the database it came from ('source').
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dangvien_cli.store.connection import SQLITE, Connection, Record
from dangvien_cli.store.database import now_iso


@dataclass(frozen=True)
class Spec:
    """How a table's rows are found again in another database and what they point to."""

    name: str
    #: ("id",): found by its origin; otherwise the natural key (with the referring columns mapped first)
    key: tuple[str, ...] = ("id",)
    #: column → table whose row it names
    refs: dict[str, str] = field(default_factory=dict)
    #: history: appended once, never changed (no base kept, never compared)
    history: bool = False

    @property
    def by_origin(self) -> bool:
        return self.key == ("id",)


#: every table a committee's file carries, in the order a merge takes them (a row after the rows it names)
SPECS: tuple[Spec, ...] = (
    Spec("cells", key=("code",), refs={"parent_id": "cells", "replaced_by_id": "cells"}),
    Spec("imports", refs={"target_cell_id": "cells"}, history=True),
    Spec("commands", refs={"import_id": "imports"}, history=True),
    Spec("members", refs={"cell_id": "cells", "host_cell_id": "cells"}),
    Spec("cell_events", refs={"cell_id": "cells", "command_id": "commands"}, history=True),
    Spec("member_events", refs={"member_id": "members", "import_id": "imports", "command_id": "commands"},
         history=True),
    Spec("member_gaps", refs={"member_id": "members"}),
    Spec("transfers", refs={"member_id": "members", "from_cell_id": "cells", "to_cell_id": "cells"}),
    Spec("exemptions", refs={"member_id": "members"}),
    Spec("candidates", refs={"cell_id": "cells", "helper_member_id": "members", "previous_member_id": "members",
                             "member_id": "members"}),
    Spec("candidate_steps", key=("candidate_id", "step"), refs={"candidate_id": "candidates"}),
    Spec("candidate_introducers", refs={"candidate_id": "candidates", "member_id": "members"}),
    Spec("member_ratings", key=("member_id", "year"), refs={"member_id": "members"}),
    Spec("cell_ratings", key=("cell_id", "year"), refs={"cell_id": "cells"}),
    Spec("attendance_books", key=("member_id", "year"), refs={"member_id": "members"}),
    Spec("dues_books", key=("member_id", "year"), refs={"member_id": "members"}),
    # a member's categories and reductions never start on the same day twice (services/dues.py refuses it)
    Spec("dues_categories", key=("member_id", "valid_from"), refs={"member_id": "members"}),
    Spec("dues_reductions", key=("member_id", "valid_from"), refs={"member_id": "members"}),
    Spec("badge_awards", key=("member_id", "milestone"), refs={"member_id": "members"}),
    Spec("dossier_documents", key=("member_id", "doc_no"), refs={"member_id": "members"}),
    Spec("screening_runs", refs={"previous_run_id": "screening_runs"}, history=True),
    Spec("screening_findings", key=("run_id", "item_no"),
         refs={"run_id": "screening_runs", "member_id": "members", "cell_id": "cells"}),
)
SPEC = {s.name: s for s in SPECS}

#: columns that are not facts to compare: the row's own identity, stamps, keys derived from the name, and the
#: row version each database counts for itself (migration 9)
NOT_COMPARED = frozenset({"id", "origin", "created_at", "updated_at", "search_key", "sort_key", "version"})
#: columns a NOT NULL reference makes necessary: a row whose referenced row is not exported is left out
REQUIRED_REFS = {"member_events": "member_id", "member_gaps": "member_id", "transfers": "member_id",
                 "exemptions": "member_id", "candidate_introducers": "member_id",
                 "member_ratings": "member_id", "attendance_books": "member_id", "dues_books": "member_id",
                 "badge_awards": "member_id", "dossier_documents": "member_id", "dues_categories": "member_id",
                 "dues_reductions": "member_id"}


# --- identity of a database --------------------------------------------------------------------------------

def identity(conn: Connection) -> str | None:
    """This database's uuid, or None before its first export or merge."""
    return conn.value("SELECT uuid FROM replicas WHERE role = 'self'")


def ensure_identity(conn: Connection) -> str:
    """This database's uuid, made now if it has none yet (inside the caller's write transaction)."""
    found = identity(conn)
    if found is None:
        found = uuid.uuid4().hex
        conn.execute("INSERT INTO replicas (uuid, role, cell_code, recorded_at) VALUES (?, 'self', NULL, ?)",
                     (found, now_iso()))
    return found


def source(conn: Connection) -> Record | None:
    """In an exported file: the database it came from, the committee and when (uuid, cell_code, recorded_at)."""
    return conn.record("SELECT uuid, cell_code, recorded_at FROM replicas WHERE role = 'source'")


def row_key(spec: Spec, row: dict) -> str:
    """The key of ``row`` in ``merge_base``: its id, or its natural key, as the exporting database wrote it."""
    return str(row["id"]) if spec.by_origin else json.dumps([row[c] for c in spec.key], ensure_ascii=False)


# --- export: what one committee's file holds -------------------------------------------------------------

_SUBTREE = ("WITH RECURSIVE sub(id) AS (SELECT CAST(? AS INTEGER) UNION SELECT c.id FROM cells c "
            "JOIN sub ON c.parent_id = sub.id) ")
_MEMBERS = "SELECT id FROM members WHERE cell_id IN (SELECT id FROM sub)"
_CANDIDATES = "SELECT id FROM candidates WHERE cell_id IN (SELECT id FROM sub)"
_CHUNK = 500  # ids named in one IN list: far below any engine's limit on parameters


def _under(conn: Connection, table: str, where: str, cell_id: int) -> list[Record]:
    return conn.records(f"{_SUBTREE}SELECT * FROM {table} WHERE {where} ORDER BY 1", (cell_id,))


def _by_ids(conn: Connection, table: str, ids: Iterable[int]) -> list[Record]:
    wanted = sorted(set(ids))
    found: list[Record] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        found += conn.records(f"SELECT * FROM {table} WHERE id IN ({marks}) ORDER BY id", chunk)
    return found


def export_rows(conn: Connection, cell_id: int) -> dict[str, list[Record]]:
    """Every row of the committee ``cell_id`` and what hangs from it, by table; the organizations its rows name
    outside the subtree (a host cell, a transfer's destination) and their parents come too, so that every
    reference in the file resolves. References to members of other committees are cleared (or, where the row
    cannot stand without them, the row is left out): a committee's file holds no one else's personal data."""
    rows: dict[str, list[Record]] = {}
    rows["members"] = _under(conn, "members", "cell_id IN (SELECT id FROM sub)", cell_id)
    for table in ("member_events", "member_gaps", "transfers", "exemptions", "member_ratings", "attendance_books",
                  "dues_books", "dues_categories", "dues_reductions", "badge_awards", "dossier_documents"):
        rows[table] = _under(conn, table, f"member_id IN ({_MEMBERS})", cell_id)
    for table in ("cell_events", "cell_ratings", "candidates"):
        rows[table] = _under(conn, table, "cell_id IN (SELECT id FROM sub)", cell_id)
    for table in ("candidate_steps", "candidate_introducers"):
        rows[table] = _under(conn, table, f"candidate_id IN ({_CANDIDATES})", cell_id)
    rows["screening_findings"] = _under(
        conn, "screening_findings", f"member_id IN ({_MEMBERS}) OR cell_id IN (SELECT id FROM sub)", cell_id)
    rows["screening_runs"] = _by_ids(conn, "screening_runs", (f["run_id"] for f in rows["screening_findings"]))
    command_ids = {e["command_id"] for t in ("member_events", "cell_events") for e in rows[t] if e["command_id"]}
    rows["commands"] = _by_ids(conn, "commands", command_ids)
    import_ids = {e["import_id"] for e in rows["member_events"] if e["import_id"]}
    import_ids |= {c["import_id"] for c in rows["commands"] if c["import_id"]}
    rows["imports"] = _by_ids(conn, "imports", import_ids)
    rows["cells"] = _cells_named(conn, cell_id, rows)
    _clear_outside_members(rows)
    return rows


def _cells_named(conn: Connection, cell_id: int, rows: dict[str, list[Record]]) -> list[Record]:
    """The subtree, every organization a row names, and the parents of all of them."""
    every = {c["id"]: c for c in conn.records("SELECT * FROM cells ORDER BY id")}
    wanted = set(conn.column(f"{_SUBTREE}SELECT id FROM sub", (cell_id,)))
    for table, rows_of in rows.items():
        for column, target in SPEC[table].refs.items():
            if target == "cells":
                wanted |= {r[column] for r in rows_of if r[column] is not None}
    pending = list(wanted)
    while pending:
        node = every.get(pending.pop())
        for named in (node["parent_id"], node["replaced_by_id"]) if node is not None else ():
            if named is not None and named not in wanted:
                wanted.add(named)
                pending.append(named)
    return [every[i] for i in sorted(wanted) if i in every]


def _clear_outside_members(rows: dict[str, list[Record]]) -> None:
    members = {m["id"] for m in rows["members"]}
    runs = {r["id"] for r in rows["screening_runs"]}
    for table, rows_of in rows.items():
        refs = SPEC[table].refs
        kept = []
        for row in rows_of:
            for column, target in refs.items():
                inside = members if target == "members" else runs if target == "screening_runs" else None
                if inside is not None and row[column] is not None and row[column] not in inside:
                    row[column] = None
            if REQUIRED_REFS.get(table) and row[REQUIRED_REFS[table]] is None and (
                    table != "candidate_introducers" or row["kind"] == "member"):
                continue
            kept.append(row)
        rows[table] = kept


def settings_rows(conn: Connection) -> list[Record]:
    return conn.records("SELECT * FROM settings ORDER BY key")


def open_file(path: Path, *, readonly: bool) -> Connection:
    """A committee's file (always SQLite), through a connection of its own."""
    raw = sqlite3.connect(f"file:{path}?mode={'ro' if readonly else 'rw'}", uri=True, isolation_level=None)
    raw.execute("PRAGMA foreign_keys=ON")
    return Connection(raw, SQLITE)


def write_file(conn: Connection, rows: dict[str, list[Record]], settings: list[Record], *, source_uuid: str,
               cell_code: str, exported_at: str) -> str:
    """Fill the new file behind ``conn`` (schema applied, empty): the rows with their ids, each appendable row's
    origin, the base of a later merge, this file's own identity and where it came from. Returns its uuid."""
    file_uuid = uuid.uuid4().hex
    with conn.transaction(write=True):
        conn.execute("PRAGMA defer_foreign_keys=ON")  # SQLite's own: an organization may come before its parent
        _insert_all(conn, "settings", settings)
        for spec in SPECS:
            table_rows = rows.get(spec.name, [])
            if spec.by_origin:
                for row in table_rows:
                    row["origin"] = row["origin"] or f"{source_uuid}:{row['id']}"
            _insert_all(conn, spec.name, table_rows)
            if not spec.history:
                conn.executemany("INSERT INTO merge_base (table_name, row_key, data) VALUES (?, ?, ?)",
                                 ((spec.name, row_key(spec, r), json.dumps(r, ensure_ascii=False))
                                  for r in table_rows))
        conn.execute("INSERT INTO replicas (uuid, role, cell_code, recorded_at) VALUES (?, 'self', NULL, ?)",
                     (file_uuid, exported_at))
        conn.execute("INSERT INTO replicas (uuid, role, cell_code, recorded_at) VALUES (?, 'source', ?, ?)",
                     (source_uuid, cell_code, exported_at))
    return file_uuid


def _insert_all(conn: Connection, table: str, rows: Sequence[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.executemany(sql, ([r[c] for c in columns] for r in rows))


def settle_file(conn: Connection) -> None:
    """A file to carry away is one file: no write-ahead log beside it."""
    conn.execute("PRAGMA journal_mode=DELETE")


# --- merge: reading the file -----------------------------------------------------------------------------

def file_rows(conn: Connection, table: str) -> list[Record]:
    return conn.records(f"SELECT * FROM {table} ORDER BY 1")  # by id: a run before the run that follows it


def base_rows(conn: Connection) -> dict[str, dict[str, dict]]:
    """The rows of an exported file as they were exported, by table and key."""
    base: dict[str, dict[str, dict]] = {}
    for table, key, data in conn.rows("SELECT table_name, row_key, data FROM merge_base"):
        base.setdefault(table, {})[key] = json.loads(data)
    return base


# --- merge: this database ----------------------------------------------------------------------------------

def merged_rows(conn: Connection, file_uuid: str) -> dict[str, dict[str, dict]]:
    """The rows of the file ``file_uuid`` as this database last merged them ('<table>@<file uuid>' in
    ``merge_base``), by table and key."""
    found: dict[str, dict[str, dict]] = {}
    for table, key, data in conn.rows("SELECT table_name, row_key, data FROM merge_base WHERE table_name LIKE ?",
                                      (f"%@{file_uuid}",)):
        found.setdefault(table.split("@", 1)[0], {})[key] = json.loads(data)
    return found


def remember(conn: Connection, table_name: str, key: str, data: dict) -> None:
    """Keep (or replace) one row's base for the next merge of the same file."""
    conn.execute("INSERT INTO merge_base (table_name, row_key, data) VALUES (?, ?, ?) ON CONFLICT (table_name, "
                 "row_key) DO UPDATE SET data = excluded.data", (table_name, key, json.dumps(data, ensure_ascii=False)))


def cell_ids_by_code(conn: Connection) -> dict[str, int]:
    return dict(conn.rows("SELECT code, id FROM cells"))


def get(conn: Connection, table: str, row_id: int) -> Record | None:
    return conn.record(f"SELECT * FROM {table} WHERE id = ?", (row_id,))


def id_of_origin(conn: Connection, table: str, origin: str) -> int | None:
    return conn.value(f"SELECT id FROM {table} WHERE origin = ?", (origin,))


def by_natural_key(conn: Connection, spec: Spec, values: Sequence) -> Record | None:
    where = " AND ".join(f"{c} = ?" for c in spec.key)
    return conn.record(f"SELECT * FROM {spec.name} WHERE {where}", tuple(values))


def insert(conn: Connection, spec: Spec, values: dict) -> int | None:
    """A new row; its id when the table has one."""
    if spec.by_origin:
        return conn.insert(spec.name, values)
    columns = ", ".join(values)
    conn.execute(f"INSERT INTO {spec.name} ({columns}) VALUES ({', '.join('?' * len(values))})",
                 tuple(values.values()))
    return None


def update(conn: Connection, spec: Spec, here: dict, values: dict) -> None:
    """Change ``values`` of the row ``here`` (found by its id, or its natural key)."""
    key = ("id",) if "id" in here else spec.key
    # a merged change is a change: a clerk who read the row before is refused (row versions, issue 11)
    sets = ", ".join([f"{c} = ?" for c in values] + (["version = version + 1"] if "version" in here else []))
    where = " AND ".join(f"{c} = ?" for c in key)
    conn.execute(f"UPDATE {spec.name} SET {sets} WHERE {where}", (*values.values(), *(here[c] for c in key)))
