"""Import of member rosters: match, check, then write everything in one transaction or nothing.

The reading (formats, headers, legacy fonts, values) is ``excel/roster.py``; this module decides what each row
means for the database. Flow (style.md idiom 6): read every row → find the cells → match members → check
conflicts → if the file is clean (or ``skip_invalid``), one transaction of bulk statements on the connection;
otherwise ``InputRejected`` with the report, and nothing written.

Matching (issue "Excel in and out"): personal id, then card number, then name with birth date.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from dangvien_cli.errors import InputRejected, InvalidValue, RuleViolation
from dangvien_cli.excel.roster import RosterRead, RosterRow, read_roster
from dangvien_cli.excel.workbook import no_gc
from dangvien_cli.rules.chronology import date_problems
from dangvien_cli.rules.identity import People, match_message, match_person
from dangvien_cli.rules.membership import ON_ROLL_SQL, default_membership
from dangvien_cli.rules.organization import MEMBER_KINDS
from dangvien_cli.services.lookup import CellRow, find_cell, next_child_code, subtree_ids
from dangvien_cli.store.database import now_iso
from dangvien_cli.text import collation_key, normalize_text, search_key
from dangvien_cli.vocab import MEMBER_FIELD, ORG_KIND

if TYPE_CHECKING:
    from sqlmodel import Session

# Fields a roster may set on a member, in the order of the members table.
MEMBER_FIELDS = ("full_name", "other_name", "gender", "birth_date", "ethnicity", "religion", "hometown",
                 "birthplace", "residence", "national_id", "old_id_number", "card_number", "occupation", "position",
                 "education_general", "education_professional", "political_theory", "decision_date",
                 "admission_date", "official_date", "membership", "note")
FIELD_LABELS = {"cell": "Chi bộ", "membership": "Ghi chú"}  # else vocab.MEMBER_FIELD
_DATE_KEYS = ("birth_date", "decision_date", "admission_date", "official_date")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _cell_key(name: str) -> str:
    """Compare cell names without case, diacritics, or a leading "chi bộ"/"tổ đảng"."""
    key = search_key(name)
    for prefix in ("chi bo co so ", "chi bo ", "to dang ", "dang bo bo phan ", "dang bo "):
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


@dataclass
class _Plan:
    inserts: list[int] = field(default_factory=list)  # row positions in the read (RosterRead.columns)
    insert_cells: list[int | str] = field(default_factory=list)  # cell id, or key of a planned cell, per insert
    insert_membership: list[str] = field(default_factory=list)  # per insert
    updates: list[tuple[int, dict, dict, int]] = field(default_factory=list)  # id, old, changes, row
    unchanged: int = 0
    new_cells: dict[str, dict] = field(default_factory=dict)  # cell key → {name, code, temp id}
    errors: list[dict] = field(default_factory=list)
    bad_rows: list[RosterRow] = field(default_factory=list)
    seen_ids: set[int] = field(default_factory=set)


class _Cells:
    """Finds (or plans to create) the cell each row belongs to, under the target organization."""

    def __init__(self, session: Session | sqlite3.Connection, into: str | None):
        conn = _raw(session)
        self.target = find_cell(conn, into) if into else None
        if self.target is not None and self.target.valid_to:
            raise RuleViolation(f"Tổ chức '{self.target.name}' đã giải thể.", hint="Chọn tổ chức đang hoạt động.")
        scope = set(subtree_ids(conn, self.target.id)) if self.target else None
        rows = [CellRow(*r) for r in conn.execute("SELECT id, code, name, kind, parent_id, valid_to FROM cells")]
        self.by_id = {r.id: r for r in rows}
        self.by_key: dict[str, list] = {}
        for r in rows:
            if r.valid_to or (scope is not None and r.id not in scope):
                continue
            self.by_key.setdefault(_cell_key(r.name), []).append(r)
            self.by_key.setdefault(search_key(r.code), []).append(r)
        self.planned: dict[str, dict] = {}
        self._memo: dict[str | None, tuple[int | str | None, str | None]] = {}

    def resolve(self, name: str | None) -> tuple[int | str | None, str | None]:
        """(cell id, or a planned key for a cell to create; error message or None). Memoised per name."""
        if name not in self._memo:
            self._memo[name] = self._resolve(name)
        return self._memo[name]

    def _resolve(self, name: str | None) -> tuple[int | str | None, str | None]:
        if not name:
            if self.target is None:
                return None, "Không biết chi bộ của dòng này: tệp không có mục chi bộ và chưa ghi --into."
            if self.target.kind not in MEMBER_KINDS:
                return None, (f"'{self.target.name}' là {ORG_KIND.label(self.target.kind).lower()}; dòng này không thuộc mục "
                              "chi bộ nào. Thêm cột Chi bộ, hoặc ghi --into một chi bộ.")
            return self.target.id, None
        key = _cell_key(name)
        found = self.by_key.get(key, [])
        if len(found) == 1:
            if found[0].kind not in MEMBER_KINDS:
                return None, f"'{found[0].name}' là {ORG_KIND.label(found[0].kind).lower()}, không phải chi bộ."
            return found[0].id, None
        if len(found) > 1:
            return None, f"Có {len(found)} chi bộ tên '{name}'; ghi --into tổ chức cấp trên để phân biệt."
        if self.target is None:
            return None, f"Chưa có chi bộ '{name}'. Ghi --into MÃ_ĐẢNG_BỘ để tạo chi bộ mới dưới đảng bộ đó."
        if self.target.kind in MEMBER_KINDS:
            if self.target.kind != "party_group" and _cell_key(self.target.name) == key:
                return self.target.id, None
            return None, f"Mục '{name}' không phải chi bộ '{self.target.name}' đã ghi ở --into."
        if self.target.kind not in ("commune_committee", "grassroots_committee", "partial_committee"):
            return None, f"Không thể tạo chi bộ trực tiếp dưới {ORG_KIND.label(self.target.kind).lower()}."
        self.planned.setdefault(key, {"name": name})
        return key, None


# Columns read back for matching, in this order: the id and the fields the plan compares.
_MEMBER_COLUMNS = ("id", "cell_id", "status", "search_key", *MEMBER_FIELDS)
_OLD = {k: i for i, k in enumerate(_MEMBER_COLUMNS)}
_N_HEAD = 4  # id, cell_id, status, search_key come before MEMBER_FIELDS


def _raw(session: Session | sqlite3.Connection) -> sqlite3.Connection:
    """The connection itself (``Database.raw_transaction``: the import never loads SQLAlchemy), or the sqlite3
    connection under a session, inside the same transaction."""
    if isinstance(session, sqlite3.Connection):
        return session
    return session.connection().connection.driver_connection


def _load_members(session: Session | sqlite3.Connection) -> People:
    """The members already in the database, indexed for matching (rules.identity). The full rows are read later,
    one at a time, only for the members the file names (:func:`_compare_matched`)."""
    return People(_raw(session).execute(
        "SELECT id, national_id, card_number, search_key, birth_date FROM members"))


def _label(read: RosterRead, fld: str) -> str:
    col = read.header.column_of(fld)
    return read.header.label_of(col) if col is not None else FIELD_LABELS.get(fld) or MEMBER_FIELD.label(fld)


def plan_roster(session: Session | sqlite3.Connection, read: RosterRead, into: str | None) -> tuple[_Plan, _Cells, dict]:
    """Decide for each row: insert, update, unchanged, or rejected (with the reasons). Works on the read's columns;
    only rejected and updated rows become objects."""
    plan = _Plan()
    cells = _Cells(session, into)
    people = _load_members(session)
    have_members = bool(people)
    n = read.count
    cols = read.columns
    none = [None] * n
    cell_col = cols.get("cell") or none
    name_col = cols.get("full_name") or none
    birth_col = cols.get("birth_date") or none
    nid_col = cols.get("national_id") or none
    card_col = cols.get("card_number") or none
    official_col = cols.get("official_date") or none
    admission_col = cols.get("admission_date") or none
    membership_col = cols.get("membership") or none
    member_cols = [cols.get(k) or none for k in MEMBER_FIELDS]
    sections = read.row_sections
    issues = read.issues
    bad = read.error_rows()
    resolve = cells.resolve
    default_memberships: dict[tuple, str] = {}
    matched: dict[int, int] = {}  # member id → row position, compared with the stored row afterwards
    cell_refs: dict[int, int | str] = {}  # row position → cell, for the matched rows
    for j in range(n):
        row_errors = [(c, m) for c, m, error in issues[j] if error] if j in bad else []
        cell_value = cell_col[j]
        cell_name = cell_value or sections[j]
        cell_ref, cell_error = resolve(cell_name if isinstance(cell_name, str) else None)
        if cell_error:
            row_errors.append((_label(read, "cell") if cell_value else "Chi bộ", cell_error))
        member_id = None
        if not row_errors and have_members:  # with no member in the database nothing can match or clash
            nid, card = nid_col[j], card_col[j]
            found = match_person(people, nid, card, search_key(name_col[j] or ""), birth_col[j])
            member_id = found.member_id
            if found.refused:
                row_errors.append((_label(read, found.field), match_message(
                    found, national_id=nid, card_number=card, name=name_col[j], birth_date=birth_col[j]) + "."))
                member_id = None
            if member_id is not None and member_id in plan.seen_ids:
                row_errors.append((_label(read, "full_name"), "Cùng một đảng viên với một dòng ở trên."))
        if row_errors:
            row = read.row(j)
            row.errors[:] = row_errors
            plan.bad_rows.append(row)
            plan.errors.extend({"row": row.row, "column": c, "message": m} for c, m in row_errors)
            continue
        if member_id is None:
            membership = membership_col[j]
            if membership is None:
                key = (official_col[j], admission_col[j])
                membership = default_memberships.get(key)
                if membership is None:
                    membership = default_memberships[key] = default_membership(*key)
            plan.inserts.append(j)
            plan.insert_cells.append(cell_ref)
            plan.insert_membership.append(membership)
            continue
        plan.seen_ids.add(member_id)
        matched[member_id] = j
        cell_refs[j] = cell_ref
    if matched:
        _compare_matched(session, read, plan, matched, member_cols, membership_col, cell_refs)
    return plan, cells, {"people": people}


def _compare_matched(session: Session | sqlite3.Connection, read: RosterRead, plan: _Plan, matched: dict[int, int], member_cols: list,
                     membership_col: list, cell_refs: dict[int, int | str]) -> None:
    """Compare each matched row with its member's row, read in one pass over the table: updates, unchanged rows,
    and the rows whose dates would contradict the stored ones. Keeps the file order of updates and errors."""
    i_cell, i_membership = _OLD["cell_id"], _OLD["membership"]
    i_dates = [_OLD[k] for k in ("birth_date", "decision_date", "admission_date", "official_date")]
    numbers = read.row_numbers
    updates: list[tuple[int, tuple]] = []
    rejected: list[tuple[int, RosterRow, dict]] = []
    for old in _raw(session).execute(f"SELECT {', '.join(_MEMBER_COLUMNS)} FROM members"):
        j = matched.get(old[0])
        if j is None:
            continue
        changes = {k: v for k, v, o in zip(MEMBER_FIELDS, [c[j] for c in member_cols], old[_N_HEAD:], strict=True)
                   if v is not None and v != o}
        if changes:
            if ("official_date" in changes and membership_col[j] is None
                    and old[i_membership] == "probationary"):
                changes["membership"] = "official"
        # A date the file changes: the record as it would be must have its dates in an order that can be true
        # (rules.chronology). Dates the file leaves as stored are db check's to report.
        problems = ()
        if changes and not changes.keys().isdisjoint(_DATE_KEYS):
            problems = date_problems(*[changes.get(k, old[i]) for k, i in zip(_DATE_KEYS, i_dates, strict=True)])
        if problems:
            row = read.row(j)
            for p in problems:
                row.errors.append((_label(read, p.field), f"{p.message}."))
            rejected.append((j, row, [{"row": row.row, "column": c, "message": m} for c, m in row.errors]))
            continue
        cell_ref = cell_refs[j]
        if isinstance(cell_ref, int) and cell_ref != old[i_cell]:
            changes["cell_id"] = cell_ref
        elif isinstance(cell_ref, str):
            changes["cell_ref"] = cell_ref
        if changes:
            updates.append((j, (old[0], dict(zip(_MEMBER_COLUMNS, old, strict=True)), changes, numbers[j])))
        else:
            plan.unchanged += 1
    updates.sort(key=lambda u: u[0])
    plan.updates.extend(u for _, u in updates)
    if rejected:
        # Rows rejected here join those rejected while matching, in file order (one pass rejects a row at most).
        rejected.sort(key=lambda r: r[0])
        plan.bad_rows = sorted(plan.bad_rows + [r for _, r, _ in rejected], key=lambda r: r.row)
        plan.errors = sorted(plan.errors + [e for _, _, found in rejected for e in found], key=lambda e: e["row"])


def _create_cells(session: Session | sqlite3.Connection, cells: _Cells, source: str) -> dict[str, int]:
    conn = _raw(session)
    created: dict[str, int] = {}
    stamp = now_iso()
    parent = cells.target
    for key, info in cells.planned.items():
        code = next_child_code(conn, parent.code)
        cell_id = conn.execute(
            "INSERT INTO cells (code, name, search_key, kind, parent_id, created_at, updated_at) "
            "VALUES (:code, :name, :sk, 'cell', :parent, :t, :t)",
            {"code": code, "name": info["name"], "sk": search_key(info["name"]), "parent": parent.id, "t": stamp}
        ).lastrowid
        conn.execute("INSERT INTO cell_events (cell_id, event, new_value, source, created_at) "
                     "VALUES (:id, 'created', :new, :source, :t)",
                     {"id": cell_id, "new": f"{code} — {info['name']}", "source": source, "t": stamp})
        created[key] = cell_id
    return created


def _write(session: Session | sqlite3.Connection, plan: _Plan, cells: _Cells, read: RosterRead, path: Path,
           sha: str, progress: Callable[[int], None] | None) -> tuple[int, int]:
    conn = _raw(session)
    stamp = now_iso()
    source = f"import roster {read.file}"
    created_cells = _create_cells(session, cells, source)
    labels = {cid: f"{c.code} — {c.name}" for cid, c in cells.by_id.items()}
    if created_cells:
        for key, cid in created_cells.items():
            code = conn.execute("SELECT code FROM cells WHERE id = ?", (cid,)).fetchone()[0]
            labels[cid] = f"{code} — {cells.planned[key]['name']}"
    import_id = conn.execute((
        "INSERT INTO imports (kind, file_name, sheet, sha256, encoding, target_cell_id, rows_read, created, "
        "updated, unchanged, rejected, cells_created, details, created_at) VALUES ('roster', :file, :sheet, :sha, "
        ":enc, :target, :rows, :created, :updated, :unchanged, :rejected, :cells, :details, :t)"),
        {"file": read.file, "sheet": read.sheet, "sha": sha, "enc": read.encoding,
         "target": cells.target.id if cells.target else None, "rows": read.count, "created": len(plan.inserts),
         "updated": len(plan.updates), "unchanged": plan.unchanged, "rejected": len(plan.bad_rows),
         "cells": len(created_cells), "details": json.dumps({"errors": plan.errors[:1000]}, ensure_ascii=False),
         "t": stamp}).lastrowid
    raw = conn
    next_id = (raw.execute("SELECT coalesce(max(id), 0) FROM members").fetchone()[0]) + 1
    if plan.inserts:
        _insert_members(raw, plan, read, created_cells, next_id, stamp, f"{source}#dòng ", import_id, progress)
    update_events = []
    for member_id, old, changes, row_number in plan.updates:
        if "cell_ref" in changes:
            changes["cell_id"] = created_cells[changes.pop("cell_ref")]
        sets = dict(changes)
        if "full_name" in sets:
            sets["search_key"] = search_key(sets["full_name"])
            sets["sort_key"] = collation_key(sets["full_name"])
        sets["updated_at"] = stamp
        raw.execute(f"UPDATE members SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                    (*sets.values(), member_id))
        for key, new in changes.items():
            if key == "cell_id":
                update_events.append((member_id, "transferred", "cell", labels.get(old["cell_id"]), labels[new], None,
                                      f"{source}#dòng {row_number}", import_id, stamp))
            else:
                update_events.append((member_id, "updated", key, old[key], new, None,
                                      f"{source}#dòng {row_number}", import_id, stamp))
    if progress and plan.updates:
        progress(len(plan.updates))
    raw.executemany(
        "INSERT INTO member_events (member_id, event, field, old_value, new_value, effective_date, source, "
        "import_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", update_events)
    return import_id, len(created_cells)


_STAGE_BATCH = 10_000
_REBUILD_MIN = 20_000


def _insert_members(raw: sqlite3.Connection, plan: _Plan, read: RosterRead, created_cells: dict[str, int],
                    next_id: int, stamp: str, source_prefix: str, import_id: int,
                    progress: Callable[[int], None] | None) -> None:
    """Insert the new members (ids from ``next_id`` in file order) and their 'created' history rows.

    The rows go through a temporary staging table in batches, each copied by one ``INSERT … SELECT``: the members
    table's CHECK constraints use ``IN (…)`` lists, and SQLite builds those lists again on every execution of a
    statement, so one ``executemany`` row at a time into ``members`` costs twice as much as the copy. The
    constraints, foreign keys and unique indexes apply to the copy as to any insert. The history rows are made
    from the staged rows in SQL: the cell label and the source ("import roster FILE#dòng N") come from the same
    values the update events use.
    """
    cols = read.columns
    n = read.count
    positions = plan.inserts
    every = len(positions) == n  # a first import: no row to pick out

    def pick(col: list) -> list:
        return col if every else [col[j] for j in positions]

    # Columns the file leaves empty throughout are not staged; they get the table's default, which is NULL for
    # every one of them (checked against the table, so a column with another default is always staged).
    no_default = {r[1] for r in raw.execute("PRAGMA table_info(members)") if r[4] is None}
    fields = [k for k in MEMBER_FIELDS
              if k == "membership" or (k in cols and (k not in no_default or any(v is not None for v in cols[k])))]
    values = [plan.insert_membership if k == "membership" else pick(cols[k]) for k in fields]
    names = pick(cols["full_name"])  # a row without a name is rejected, so the column is there
    cell_ids = [ref if isinstance(ref, int) else created_cells[ref] for ref in plan.insert_cells]
    rows = zip(range(next_id, next_id + len(positions)), map(search_key, names), map(collation_key, names),
               cell_ids, *values, pick(read.row_numbers), strict=False)
    names_sql = ", ".join(fields)
    raw.execute("DROP TABLE IF EXISTS temp.import_stage")
    raw.execute(f"CREATE TEMP TABLE import_stage (id INTEGER PRIMARY KEY, search_key, sort_key, cell_id, {names_sql}, "
                "excel_row)")
    stage = f"INSERT INTO temp.import_stage VALUES (?, ?, ?, ?, {', '.join('?' * len(fields))}, ?)"
    copy = (f"INSERT INTO members (id, search_key, sort_key, cell_id, created_at, updated_at, {names_sql}) "
            f"SELECT id, search_key, sort_key, cell_id, ?1, ?1, {names_sql} FROM temp.import_stage ORDER BY id")
    admission = "s.admission_date" if "admission_date" in fields else "NULL"
    history = ("INSERT INTO member_events (member_id, event, field, old_value, new_value, effective_date, source, "
               "import_id, created_at) SELECT s.id, 'created', 'cell', NULL, "
               f"(SELECT c.code || ' — ' || c.name FROM cells c WHERE c.id = s.cell_id), {admission}, "
               "?1 || s.excel_row, ?2, ?3 FROM temp.import_stage s ORDER BY s.id")
    # A large import into a small table: the non-unique indexes are cheaper built once at the end (a sort) than
    # kept up row by row. Same transaction, same definitions; unique indexes stay live.
    rebuild = []
    if len(positions) >= _REBUILD_MIN and len(positions) >= next_id - 1:
        rebuild = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' "
                              "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'").fetchall()
        for name, _ in rebuild:
            raw.execute(f'DROP INDEX "{name}"')
    while True:
        raw.executemany(stage, islice(rows, _STAGE_BATCH))
        staged = raw.execute("SELECT count(*) FROM temp.import_stage").fetchone()[0]
        if not staged:
            break
        raw.execute(copy, (stamp,))
        raw.execute(history, (source_prefix, import_id, stamp))
        raw.execute("DELETE FROM temp.import_stage")
        if progress:
            progress(staged)
    raw.execute("DROP TABLE temp.import_stage")
    for _, sql in rebuild:
        raw.execute(sql)


def _missing_members(session: Session | sqlite3.Connection, cells: _Cells, plan: _Plan, read: RosterRead) -> list[dict]:
    """Members of the target organization on the roll that the roster does not name (listed, never deleted)."""
    if cells.target is None:
        return []
    ids = subtree_ids(_raw(session), cells.target.id)
    seen = plan.seen_ids
    rows = _raw(session).execute(
        f"SELECT m.id, m.full_name, m.card_number, c.code FROM members m JOIN cells c ON c.id = m.cell_id "
        f"WHERE m.cell_id IN ({','.join(map(str, ids))}) AND m.status IN {ON_ROLL_SQL} "
        "ORDER BY m.sort_key")
    return [{"id": i, "full_name": name, "card_number": card, "cell_code": code}
            for i, name, card, code in rows if i not in seen]


def write_rejects(read: RosterRead, rows: list[RosterRow], path: Path, cells: _Cells | None = None,
                  session: Session | sqlite3.Connection | None = None) -> Path:
    """The rejected rows, annotated with what is wrong, in a workbook beside the input (excel/rejects_writer)."""
    from dangvien_cli.excel.rejects_writer import write_rejects as write
    from dangvien_cli.services.exports import heading

    head = heading(_raw(session), cells.target) if session is not None and cells is not None else None
    return write(read, rows, path, head=head)


def import_roster(session: Session | sqlite3.Connection, path: Path, *, into: str | None = None, sheet: str | None = None,
                  mapping: dict[str, str] | None = None, dry_run: bool = False, skip_invalid: bool = False,
                  progress: Callable[[int], None] | None = None) -> dict:
    """Import a roster. Returns the report (contract.md "Import report"); raises InputRejected (exit 3) with the
    report when any row is bad and ``skip_invalid`` is not set — then nothing at all is written."""
    path = Path(path)
    if not path.exists():
        raise InputRejected(f"Không có tệp {path.name}.", hint="Kiểm tra lại đường dẫn tệp.")
    # Millions of cell values and hundreds of thousands of short-lived tuples, none in a cycle: the collector
    # would only walk them again and again (~0.3 s of a 100,000-row import).
    with no_gc():
        return _import(session, path, into=into, sheet=sheet, mapping=mapping, dry_run=dry_run,
                       skip_invalid=skip_invalid, progress=progress)


def _import(session: Session | sqlite3.Connection, path: Path, *, into: str | None, sheet: str | None,
            mapping: dict[str, str] | None, dry_run: bool, skip_invalid: bool,
            progress: Callable[[int], None] | None) -> dict:
    read = read_roster(path, sheet=sheet, mapping_overrides=mapping)
    plan, cells, _ = plan_roster(session, read, into)
    report = {
        "file": read.file, "sheet": read.sheet, "encoding": read.encoding, "rows_read": read.count,
        "created": len(plan.inserts), "updated": len(plan.updates), "unchanged": plan.unchanged,
        "rejected": len(plan.bad_rows), "cells_created": len(cells.planned), "errors": plan.errors,
        "warnings": read.warnings + [f"Dòng {w['row']}, cột '{w['column']}': {w['message']}"
                                     for w in read.row_warnings()],
        "unknown_columns": read.unknown_columns, "dry_run": dry_run, "import_id": None, "rejects_file": None,
        "missing_members": [],
    }
    if plan.errors and not skip_invalid:
        report.update(created=0, updated=0, unchanged=0, cells_created=0)
        raise InputRejected(
            f"Tệp {read.file} có {len(plan.bad_rows)} dòng lỗi ({len(plan.errors)} lỗi); không ghi gì cả.",
            report=report,
            hint="Sửa các dòng được nêu rồi nhập lại, hoặc dùng --skip-invalid để nhập các dòng đúng và lưu "
                 "các dòng lỗi ra tệp riêng.")
    report["missing_members"] = _missing_members(session, cells, plan, read)
    if dry_run:
        return report
    if not read.count:
        raise InputRejected(f"Tệp {read.file} không có dòng đảng viên nào.",
                            hint="Kiểm tra trang tính (--sheet) và dòng tiêu đề của tệp.", report=report)
    import_id, created_cells = _write(session, plan, cells, read, path, file_sha256(path), progress)
    report["import_id"] = import_id
    report["cells_created"] = created_cells
    if plan.bad_rows:
        report["rejects_file"] = str(write_rejects(read, plan.bad_rows, path, cells, session))
    return report


def parse_mapping(items: list[str] | None) -> dict[str, str] | None:
    """``--map "Header=field"`` options → {header: field}."""
    if not items:
        return None
    mapping = {}
    for item in items:
        header, sep, fld = item.rpartition("=")
        header, fld = normalize_text(header), normalize_text(fld)
        if not sep or not header or not fld:
            raise InvalidValue(f"--map '{item}' không đúng dạng.", hint="Ghi --map \"Tên cột=trường\", ví dụ "
                               "--map \"Số thẻ=card_number\".")
        mapping[header] = fld
    return mapping


__all__ = ["import_roster", "parse_mapping"]
