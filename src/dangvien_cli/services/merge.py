"""Offline committees (issue 11): `db export` writes one committee's records to a file a clerk takes away and
works on with ``--db FILE``; `db merge` brings such a file (or any dangvien file) back.

The merge, row by row, in the order of ``store.merge.SPECS`` (a row after the rows it names):

- organizations are matched by code; a code unknown here is a conflict (the clerk creates it here first);
- people: a row copied from here (or merged here before) is found by its identity (``origin``); any other by
  the one matching rule of ``rules/identity.py`` (personal id, card number, name with birth date), refusing to
  guess between two; a person found by neither is created;
- history rows (events, commands, imports, screening runs) are appended once, found again by their identity;
- every other row is found by its identity or its natural key (a rating by member and year) and compared field
  by field with the file *and* with the base the export kept (``merge_base``): changed only in the file → the
  file's value is taken; changed only here → kept; changed on both sides → a conflict with both values. A file
  that did not come from this database has no common base: any difference is a conflict.

Conflicts are listed, never guessed: one conflict and the whole merge is refused, nothing written. A dry run
takes the same path without writing (ids of new rows are stand-ins), so its report is the real one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dangvien_cli import vocab
from dangvien_cli.errors import InputRejected, InvalidValue
from dangvien_cli.rules.identity import AMBIGUOUS, People, match_message, match_person
from dangvien_cli.store import audit, migrations
from dangvien_cli.store import cells as cells_store
from dangvien_cli.store import merge as store
from dangvien_cli.store import roster as roster_store
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import Database, now_iso

SQLITE_HEADER = b"SQLite format 3\x00"
#: the tables whose new rows are history rows (the report's history_rows_added)
HISTORY_TABLES = ("member_events", "cell_events")


# --- export ------------------------------------------------------------------------------------------------

def export(conn: Connection, cell_ref: str, dest: Path) -> dict:
    """Write the committee ``cell_ref`` and everything under it to the new file ``dest``: written beside it
    under a temporary name and moved in place only when complete (an interrupted export leaves nothing), never
    over an existing file. The export is recorded in this database's log (who took which records away)."""
    dest = dest.expanduser()
    _check_new_file(dest)
    cell = cells_store.find(conn, cell_ref)
    source_uuid = store.ensure_identity(conn)
    audit.keep_command(conn)
    rows = store.export_rows(conn, cell.id)
    exported_at = now_iso()
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    _remove(tmp)
    try:
        Database(tmp).close()  # a new database with the current schema
        file_conn = store.open_file(tmp, readonly=False)
        try:
            file_uuid = store.write_file(file_conn, rows, store.settings_rows(conn), source_uuid=source_uuid,
                                         cell_code=cell.code, exported_at=exported_at)
            store.settle_file(file_conn)
        finally:
            file_conn.close()
        _move_into_place(tmp, dest)
    finally:
        _remove(tmp)
    counts = {t: len(r) for t, r in rows.items()}
    return {"file": str(dest), "cell_code": cell.code, "cell_name": cell.name, "exported_at": exported_at,
            "database": source_uuid, "file_database": file_uuid, "members": counts["members"],
            "history_rows": counts["member_events"] + counts["cell_events"], "tables": counts,
            "size_bytes": dest.stat().st_size}


def _check_new_file(dest: Path) -> None:
    if dest.exists():
        raise InvalidValue(f"Tệp {dest} đã có: không ghi đè lên tệp cũ.",
                           hint="Chọn một tên tệp khác, hoặc đổi tên/chuyển tệp cũ đi trước.")
    if not dest.parent.is_dir():
        raise InvalidValue(f"Thư mục {dest.parent} không tồn tại.", hint="Tạo thư mục trước hoặc chọn nơi khác.")


def _move_into_place(tmp: Path, dest: Path) -> None:
    """Give the finished file its name, never replacing a file that appeared meanwhile (a hard link fails if the
    name is taken; a USB stick's FAT has no links, so there the name is checked just before)."""
    try:
        os.link(tmp, dest)
    except FileExistsError:
        _check_new_file(dest)
        raise
    except OSError:
        _check_new_file(dest)
        os.rename(tmp, dest)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- merge -------------------------------------------------------------------------------------------------

def open_merge_file(path: Path):  # noqa: ANN201 - a store Connection
    """The file to merge, checked: it exists, is a dangvien database of this schema version, and knows its own
    identity (a file that never had one is given one now, so that merging it again finds the same rows)."""
    path = path.expanduser()
    if not path.is_file():
        raise InputRejected(f"Không có tệp {path}.", hint="Kiểm tra lại đường dẫn của tệp cần gộp.")
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head != SQLITE_HEADER:
        raise InputRejected(f"Tệp {path.name} không phải là cơ sở dữ liệu SQLite của dangvien: không gộp được.",
                            hint="Chọn tệp .db do 'dangvien db export' tạo ra (hoặc tệp cơ sở dữ liệu của một "
                                 "tổ chức khác).")
    try:
        file_conn = store.open_file(path, readonly=True)
        version = migrations.current_version(file_conn.raw)
    except Exception:
        raise InputRejected(f"Tệp {path.name} bị hỏng hoặc không đọc được: không gộp được.",
                            hint="Chép lại tệp từ máy của tổ chức đó rồi gộp lại.") from None
    problem = None
    if version == 0:
        problem = (f"Tệp {path.name} là cơ sở dữ liệu SQLite nhưng không phải của dangvien: không gộp được.",
                   "Chọn tệp .db do 'dangvien db export' tạo ra.")
    elif version > migrations.LATEST:
        problem = (f"Tệp {path.name} có lược đồ phiên bản {version}, mới hơn phiên bản {migrations.LATEST} mà "
                   "chương trình này hiểu: không gộp được.", "Hãy cập nhật dangvien lên bản mới nhất rồi gộp lại.")
    elif version < migrations.LATEST or migrations.missing(file_conn.raw):
        problem = (f"Tệp {path.name} có lược đồ phiên bản {version}, cũ hơn phiên bản {migrations.LATEST} của "
                   "chương trình này: không gộp được.",
                   f"Nâng cấp tệp trước (chỉ cần mở một lần): dangvien --db {path} db info — rồi gộp lại.")
    if problem is not None:
        file_conn.close()
        raise InputRejected(problem[0], hint=problem[1])
    if store.identity(file_conn) is None:
        file_conn.close()
        writable = store.open_file(path, readonly=False)
        try:
            with writable.transaction(write=True):
                store.ensure_identity(writable)
        finally:
            writable.close()
        file_conn = store.open_file(path, readonly=True)
    return file_conn


def merge(conn: Connection, path: Path, *, dry_run: bool = False, before_commit=None) -> dict:  # noqa: ANN001
    """Bring the file at ``path`` into this database (see the module docstring); returns the report of
    contract.md. Conflicts: :class:`InputRejected` carrying the report, nothing written. ``before_commit`` is
    called once everything is in place and something changed (the safety copy of the database as it was)."""
    file_conn = open_merge_file(path)
    try:
        file_uuid = store.identity(file_conn)
        here_uuid = store.identity(conn) if dry_run else store.ensure_identity(conn)
        if file_uuid == here_uuid:
            raise InputRejected(f"Tệp {path.name} là một bản sao của chính cơ sở dữ liệu này: không có gì để gộp.",
                                hint="Gộp tệp do 'dangvien db export' tạo ra, không gộp bản sao lưu.")
        source = store.source(file_conn)
        from_here = source is not None and here_uuid is not None and source.uuid == here_uuid
        run = _Merge(conn, file_conn, file_uuid=file_uuid, here_uuid=here_uuid or "", dry_run=dry_run,
                     base=store.base_rows(file_conn) if from_here else {})
        run.all()
    finally:
        file_conn.close()
    report = run.report(path, source, from_here)
    if run.conflicts:
        raise InputRejected(f"Tệp {path.name} có {len(run.conflicts)} chỗ vênh với cơ sở dữ liệu này: không gộp gì.",
                            report=report,
                            hint="Xem từng chỗ trong danh sách; sửa cho hai bên khớp nhau (ở đây hoặc trong tệp) "
                                 "rồi gộp lại.")
    if not dry_run and run.changed and before_commit is not None:
        report["safety_copy"] = before_commit()
    return report


@dataclass
class _Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Merge:
    conn: Connection
    file: Connection
    file_uuid: str
    here_uuid: str
    dry_run: bool
    base: dict[str, dict[str, dict]]
    #: table → {id in the file: id here}
    ids: dict[str, dict[int, int]] = field(default_factory=dict)
    counts: dict[str, _Counts] = field(default_factory=dict)
    conflicts: list[dict] = field(default_factory=list)
    cell_codes: dict[int, str] = field(default_factory=dict)  # id here → code (what a conflict shows)
    #: the file's organizations that have, or had when exported, an organization above them
    parented: set[int] = field(default_factory=set)
    #: the file's rows as this database last merged them (table → key → facts, in this database's ids)
    merged: dict[str, dict[str, dict]] = field(default_factory=dict)
    _stand_in: int = 0

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    # --- the walk ------------------------------------------------------------------------------------------
    def all(self) -> None:
        self.merged = store.merged_rows(self.conn, self.file_uuid)
        for spec in store.SPECS:
            self.ids[spec.name] = {}
            self.counts[spec.name] = _Counts()
        self._cells()
        for spec in store.SPECS[1:]:
            if spec.name == "members":
                self._members()
            else:
                for row in store.file_rows(self.file, spec.name):
                    self._row(spec, row)

    def _cells(self) -> None:
        spec = store.SPEC["cells"]
        here = store.cell_ids_by_code(self.conn)
        self.cell_codes = {v: k for k, v in here.items()}
        rows = store.file_rows(self.file, "cells")
        codes = {r["id"]: r["code"] for r in rows}
        base = self.base.get("cells", {})
        self.parented = {r["id"] for r in rows if r["parent_id"] is not None or
                         (base.get(store.row_key(spec, r)) or {}).get("parent_id") is not None}
        for row in rows:
            if row["code"] in here:
                self.ids["cells"][row["id"]] = here[row["code"]]
            else:
                parent = f" --parent {codes[row['parent_id']]}" if row["parent_id"] in codes else ""
                self._conflict("unknown_organization", None, "cells", row, detail=(
                    f"Tổ chức mã {row['code']} ('{row['name']}') có trong tệp nhưng chưa có ở đây; tạo nó trước: "
                    f"dangvien cells add \"{row['name']}\" --code {row['code']} --kind {row['kind']}{parent}"))
        for row in rows:
            if row["id"] in self.ids["cells"]:
                self._compare(spec, row, store.get(self.conn, "cells", self.ids["cells"][row["id"]]))

    def _members(self) -> None:
        spec = store.SPEC["members"]
        people = People(roster_store.member_index(self.conn))
        for row in store.file_rows(self.file, "members"):
            origin = self._origin(row)
            by_origin = self._find_by_origin("members", origin)
            base = self._base(spec, row)
            facts = self._mapped(spec, row, _facts(row))
            if by_origin is not None and base is not None and facts is not None and base.get("id") == by_origin \
                    and _facts_of(base, facts) == facts:  # not changed in the file since: nothing to look at
                self.ids["members"][row["id"]] = by_origin
                self.counts["members"].unchanged += 1
                continue
            match = match_person(people, row["national_id"], row["card_number"], row["search_key"],
                                 row["birth_date"])
            if by_origin is None and match.refused:
                kind = "two_candidates" if match.problem == AMBIGUOUS else "identity"
                self._conflict(kind, None, "members", row, detail=self._person(row) + ": " + match_message(
                    match, national_id=row["national_id"], card_number=row["card_number"], name=row["full_name"],
                    birth_date=row["birth_date"]) + ".")
                continue
            if by_origin is not None and match.member_id not in (None, by_origin):
                self._conflict("two_candidates", by_origin, "members", row, detail=(
                    f"{self._person(row)} là đảng viên mã số {by_origin} ở đây, nhưng số định danh / số thẻ / họ "
                    f"tên và ngày sinh trong tệp lại khớp đảng viên mã số {match.member_id}: không đoán là ai."))
                continue
            here_id = by_origin if by_origin is not None else match.member_id
            if here_id is None:
                new_id = self._insert(spec, row, origin)
                if new_id is not None:
                    people.add(new_id, row["national_id"], row["card_number"], row["search_key"], row["birth_date"])
            else:
                self.ids["members"][row["id"]] = here_id
                self._compare(spec, row, store.get(self.conn, "members", here_id))

    def _row(self, spec: store.Spec, row: dict) -> None:
        if spec.by_origin:
            origin = self._origin(row)
            here_id = self._find_by_origin(spec.name, origin)
            here = store.get(self.conn, spec.name, here_id) if here_id is not None else None
        else:
            key = self._mapped(spec, row, spec.key)
            if key is None:
                return
            stand_in = any(key[c] < 0 for c in spec.key if c in spec.refs)  # a row a dry run did not write
            here = None if stand_in else store.by_natural_key(self.conn, spec, [key[c] for c in spec.key])
            origin = None
        if here is None:
            self._insert(spec, row, origin)
        elif spec.history:
            self.ids[spec.name][row["id"]] = here["id"]
            self.counts[spec.name].unchanged += 1
        else:
            if spec.by_origin:
                self.ids[spec.name][row["id"]] = here["id"]
            self._compare(spec, row, here)

    # --- one row -------------------------------------------------------------------------------------------
    def _origin(self, row: dict) -> str:
        return row["origin"] or f"{self.file_uuid}:{row['id']}"

    def _find_by_origin(self, table: str, origin: str) -> int | None:
        database, _, row_id = origin.rpartition(":")
        if database == self.here_uuid:
            return int(row_id) if store.get(self.conn, table, int(row_id)) is not None else None
        return store.id_of_origin(self.conn, table, origin)

    def _mapped(self, spec: store.Spec, row: dict, columns) -> dict | None:  # noqa: ANN001
        """``columns`` of ``row`` with the ids it names turned into this database's ids; None when it names a
        row that is not here (a person or an organization already listed as a conflict)."""
        values = {}
        for column in columns:
            value = row[column]
            target = spec.refs.get(column)
            if target is not None and value is not None:
                value = self.ids[target].get(value)
                if value is None:
                    return None
            values[column] = value
        return values

    def _insert(self, spec: store.Spec, row: dict, origin: str | None) -> int | None:
        values = self._mapped(spec, row, [c for c in row if c != "id"])
        if values is None:
            return None
        if spec.by_origin:
            values["origin"] = origin
        if self.dry_run:
            self._stand_in -= 1
            new_id = self._stand_in
        else:
            new_id = store.insert(self.conn, spec, values)
        if "id" in row and new_id is not None:
            self.ids[spec.name][row["id"]] = new_id
        self.counts[spec.name].created += 1
        if not spec.history:
            self._remember(spec, row, values, new_id)
        return new_id

    def _base(self, spec: store.Spec, row: dict) -> dict | None:
        """The common ancestor of the file's row and this database's: the row as this database last merged it
        from this file, else as it was exported from here."""
        key = store.row_key(spec, row)
        found = self.merged.get(spec.name, {}).get(key)
        return found if found is not None else self.base.get(spec.name, {}).get(key)

    def _remember(self, spec: store.Spec, row: dict, values: dict, here_id: int | None) -> None:
        """Keep the file's row as merged (its facts, in this database's ids) as the base of the next merge of
        this file, unless the base already says the same (a second merge writes nothing)."""
        if self.dry_run:
            return
        facts = {c: values[c] for c in _facts(values)}
        if here_id is not None and spec.by_origin:  # a row of a natural key is that key
            facts["id"] = here_id
        facts.update({c: values[c] for c in spec.key if c in values})
        key = store.row_key(spec, row)
        if self._base(spec, row) is None or _facts_of(self._base(spec, row), facts) != facts:
            store.remember(self.conn, f"{spec.name}@{self.file_uuid}", key, facts)

    def _compare(self, spec: store.Spec, row: dict, here: dict) -> None:
        """Three-way: the file's row, this database's, and the base the export kept (when the two are the same
        row): take what changed only in the file, keep what changed only here, list what changed on both."""
        mapped = self._mapped(spec, row, [c for c in row if c not in store.NOT_COMPARED])
        if mapped is None:
            return
        base = self._base(spec, row)
        if base is not None and any(base[c] != here[c] for c in ("id", *spec.key) if c in base and c in here):
            base = None  # the file's row was matched to another row than the one exported (a person by the rule)
        changes, clashes = {}, []
        for column, value in mapped.items():
            now_here = here.get(column)
            if value == now_here:
                continue
            if spec.name == "cells" and column == "parent_id" and value is None and row["id"] not in self.parented:
                continue  # the top of a commune's own file: the file does not hold the levels above it
            if base is None:
                clashes.append(("different_values", column, value, now_here))
            elif value == base.get(column):
                continue  # changed here only: kept
            elif now_here == base.get(column):
                changes[column] = value  # changed in the file only: taken
            else:
                clashes.append(("changed_both", column, value, now_here))
        member_id = here["id"] if spec.name == "members" else (
            here.get("member_id") if "member_id" in here else None)
        for kind, column, value, now_here in clashes:
            self._conflict(kind, member_id, spec.name, row, column=column, file_value=value, here_value=now_here)
        if clashes:
            return
        self._remember(spec, row, {**mapped, **{c: here[c] for c in spec.key if c in here}}, here.get("id"))
        if not changes:
            self.counts[spec.name].unchanged += 1
            return
        for follower in ("search_key", "sort_key"):
            if follower in row and ("full_name" in changes or "name" in changes):
                changes[follower] = row[follower]
        if "updated_at" in here:
            changes["updated_at"] = now_iso()
        if not self.dry_run:
            store.update(self.conn, spec, here, changes)
        self.counts[spec.name].updated += 1

    # --- what the clerk reads ----------------------------------------------------------------------------
    def _person(self, row: dict) -> str:
        return f"Đảng viên mã số {row['id']} trong tệp ({row['full_name']})"

    def _shown(self, column: str, value: object) -> str:
        if value is None or value == "":
            return "(trống)"
        if column in ("cell_id", "host_cell_id", "parent_id", "from_cell_id", "to_cell_id"):
            return self.cell_codes.get(value, str(value))
        return str(vocab.value_label(column, value))

    def _conflict(self, kind: str, member_id: int | None, table: str, row: dict, *, detail: str | None = None,
                  column: str | None = None, file_value: object = None, here_value: object = None) -> None:
        if detail is None:
            where = row.get("id") or "/".join(str(row[c]) for c in store.SPEC[table].key)
            what = (self._person(row) if table == "members" else
                    f"Tổ chức {row['code']} ({row['name']})" if table == "cells" else
                    f"{vocab.MERGE_TABLE.label(table)} (dòng {where} trong tệp)")
            label = _field_label(column) if table in ("members", "cells") else column
            both = ("đã sửa ở cả hai nơi sau khi xuất tệp" if kind == "changed_both" else
                    "khác nhau; dòng này thêm vào tệp sau khi xuất nên không có bản gốc chung để biết bên nào "
                    "mới hơn" if self.base else
                    "khác nhau; tệp không xuất từ cơ sở dữ liệu này nên không có bản gốc chung để biết bên nào "
                    "mới hơn")
            detail = (f"{what}, {label}: trong tệp “{self._shown(column, file_value)}”, ở đây "
                      f"“{self._shown(column, here_value)}” — {both}.")
        self.conflicts.append({"kind": kind, "member_id": member_id, "detail": detail, "table": table,
                               "file_row_id": row.get("id"), "field": column, "file_value": file_value,
                               "here_value": here_value})

    def report(self, path: Path, source, from_here: bool) -> dict:  # noqa: ANN001
        members = self.counts["members"]
        return {"file": str(path), "dry_run": self.dry_run, "created": members.created, "updated": members.updated,
                "unchanged": members.unchanged,
                "history_rows_added": sum(self.counts[t].created for t in HISTORY_TABLES),
                "conflicts": self.conflicts,
                "source": {"database": source.uuid, "cell_code": source.cell_code,
                           "exported_at": source.recorded_at} if source is not None else None,
                "from_here": from_here,
                "tables": {t: vars(c) for t, c in self.counts.items()}}


def _field_label(column: str) -> str:
    """A field as the clerk reads it; a reference column under the name of what it names (parent_id: Cấp trên)."""
    label = vocab.field_label(column)
    if label == column and column.endswith("_id"):
        label = vocab.field_label(column.removesuffix("_id"))
    return label


def _facts(row: dict) -> list[str]:
    """The columns of a row that a merge compares (not its id, origin, stamps or name keys)."""
    return [c for c in row if c not in store.NOT_COMPARED]


def _facts_of(base: dict, like: dict) -> dict:
    """``base`` cut to the columns of ``like`` (a base row may hold more: a whole exported row)."""
    return {c: base.get(c) for c in like}
