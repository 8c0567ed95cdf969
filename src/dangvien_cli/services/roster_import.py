"""Import of member rosters: match, check, then write everything in one transaction or nothing.

The reading (formats, headers, legacy fonts, values) is ``excel/roster.py``; this module decides what each row
means for the database. Flow (style.md idiom 6): read every row → find the cells → match members → check
conflicts → if the file is clean (or ``skip_invalid``), one transaction of bulk statements on the connection;
otherwise ``InputRejected`` with the report, and nothing written.

Matching (issue "Excel in and out"): personal id, then card number, then name with birth date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import repeat
from pathlib import Path

from dangvien_cli.errors import InputRejected, RuleViolation
from dangvien_cli.excel.roster import RosterRead, RosterRow, read_roster
from dangvien_cli.memory import no_gc
from dangvien_cli.rules.chronology import date_problems
from dangvien_cli.rules.dates import format_vi
from dangvien_cli.rules.identity import AMBIGUOUS, Match, People, match_message, match_person
from dangvien_cli.rules.membership import roster_membership
from dangvien_cli.rules.organization import MEMBER_KINDS
from dangvien_cli.services.duplicates import committee_of
from dangvien_cli.services.file_import import file_sha256, parse_mapping
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import dossier as dossier_store
from dangvien_cli.store import imports as import_store
from dangvien_cli.store import members as member_store
from dangvien_cli.store import roster as store
from dangvien_cli.store.audit import cell_event
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import now_iso
from dangvien_cli.text import collation_key, search_key
from dangvien_cli.vocab import MEMBER_FIELD, ORG_KIND

# Fields a roster may set on a member, in the order of the members table.
MEMBER_FIELDS = ("full_name", "other_name", "gender", "birth_date", "ethnicity", "religion", "hometown",
                 "birthplace", "residence", "national_id", "old_id_number", "card_number", "occupation", "position",
                 "education_general", "education_professional", "political_theory", "decision_date",
                 "admission_date", "official_date", "membership", "note")
FIELD_LABELS = {"cell": "Chi bộ", "membership": "Ghi chú"}  # else vocab.MEMBER_FIELD
_DATE_KEYS = ("birth_date", "decision_date", "admission_date", "official_date")


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
    # The organizations' national codes the file gives: cell (id or planned key) → (code, Excel row).
    national_codes: dict[int | str, tuple[str, int]] = field(default_factory=dict)


class _Cells:
    """Finds (or plans to create) the cell each row belongs to, under the target organization."""

    def __init__(self, conn: Connection, into: str | None):
        self.target = cell_store.find(conn, into) if into else None
        if self.target is not None and self.target.valid_to:
            raise RuleViolation(f"Tổ chức '{self.target.name}' đã giải thể.", hint="Chọn tổ chức đang hoạt động.")
        scope = set(cell_store.subtree_ids(conn, self.target.id)) if self.target else None
        rows = cell_store.all_cells(conn)
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
_MEMBER_COLUMNS = ("id", "cell_id", "status", "search_key", *MEMBER_FIELDS, "version")
_OLD = {k: i for i, k in enumerate(_MEMBER_COLUMNS)}
_N_HEAD = 4  # id, cell_id, status, search_key come before MEMBER_FIELDS; the row version comes last


def _load_members(conn: Connection) -> People:
    """The members already in the database, indexed for matching (rules.identity). The full rows are read later,
    one at a time, only for the members the file names (:func:`_compare_matched`)."""
    return People(store.member_index(conn))


def _label(read: RosterRead, fld: str) -> str:
    col = read.header.column_of(fld)
    return read.header.label_of(col) if col is not None else FIELD_LABELS.get(fld) or MEMBER_FIELD.label(fld)


def plan_roster(conn: Connection, read: RosterRead, into: str | None) -> tuple[_Plan, _Cells, dict]:
    """Decide for each row: insert, update, unchanged, or rejected (with the reasons). Works on the read's columns;
    only rejected and updated rows become objects."""
    plan = _Plan()
    cells = _Cells(conn, into)
    people = _load_members(conn)
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
    code_col = cols.get("cell_national_code") or none
    member_cols = [cols.get(k) or none for k in MEMBER_FIELDS]
    sections = read.row_sections
    issues = read.issues
    bad = read.error_rows()
    resolve = cells.resolve
    default_memberships: dict[tuple, str] = {}
    # The file states probationary members when it has an official-date column; its own date is "as of".
    states_official = "official_date" in cols
    as_of = date.fromisoformat(read.as_of) if read.as_of and len(read.as_of) == 10 else None
    committee = _SameCommittee(conn, cells)
    matched: dict[int, int] = {}  # member id → row position, compared with the stored row afterwards
    cell_refs: dict[int, int | str] = {}  # row position → cell, for the matched rows
    for j in range(n):
        row_errors = [(c, m) for c, m, error in issues[j] if error] if j in bad else []
        cell_value = cell_col[j]
        cell_name = cell_value or sections[j]
        cell_ref, cell_error = resolve(cell_name if isinstance(cell_name, str) else None)
        if cell_error:
            row_errors.append((_label(read, "cell") if cell_value else "Chi bộ", cell_error))
        code = code_col[j]
        if code is not None and not cell_error:
            given = plan.national_codes.get(cell_ref)
            if given is not None and given[0] != code:
                row_errors.append((_label(read, "cell_national_code"), f"Mã tổ chức {code} khác mã {given[0]} ghi ở "
                                   f"dòng {given[1]} cho cùng chi bộ; một tổ chức chỉ có một mã."))
        member_id = None
        if not row_errors and have_members:  # with no member in the database nothing can match or clash
            nid, card = nid_col[j], card_col[j]
            found = match_person(people, nid, card, search_key(name_col[j] or ""), birth_col[j])
            if found.problem == AMBIGUOUS and not nid and not card:
                # Two members fit the name and birth date: the one of the row's committee, if only one (issue 12).
                within = committee.same_person((search_key(name_col[j] or ""), birth_col[j]), cell_ref,
                                               people.by_name_birth, plan.seen_ids)
                if len(within) == 1:
                    found = Match(within[0], "name_birth")
            member_id = found.member_id
            if found.refused:
                row_errors.append((_label(read, found.field), match_message(
                    found, national_id=nid, card_number=card, name=name_col[j], birth_date=birth_col[j]) + "."))
                member_id = None
            if member_id is not None and member_id in plan.seen_ids:
                row_errors.append((_label(read, "full_name"), "Cùng một đảng viên với một dòng ở trên."))
        if member_id is None and not row_errors and have_members and not nid_col[j] and not card_col[j]:
            # No id to go by: the one member of the same committee with this name and birth date (or with
            # this name and no birth date, as the file gives none), so that a re-import does not add them again.
            # Two of them: refuse to guess, rather than add a third.
            same = committee.same_person((search_key(name_col[j] or ""), birth_col[j]), cell_ref,
                                         people.by_name_birth, plan.seen_ids)
            if len(same) == 1:
                member_id = same[0]
            elif same:
                born = f"sinh {format_vi(birth_col[j])}" if birth_col[j] else "không ghi ngày sinh"
                row_errors.append((_label(read, "full_name"),
                                   f"Có {len(same)} đảng viên cùng họ tên, {born}, trong đảng bộ này (mã số "
                                   f"{', '.join(map(str, same))}): không biết dòng này là ai. Ghi số thẻ đảng viên "
                                   "hoặc số định danh cá nhân."))
        if row_errors:
            row = read.row(j)
            row.errors[:] = row_errors
            plan.bad_rows.append(row)
            plan.errors.extend({"row": row.row, "column": c, "message": m} for c, m in row_errors)
            continue
        if code is not None:
            plan.national_codes.setdefault(cell_ref, (code, read.row_numbers[j]))
        if member_id is None:
            membership = membership_col[j]
            if membership is None:
                key = (official_col[j], admission_col[j])
                membership = default_memberships.get(key)
                if membership is None:
                    membership = default_memberships[key] = roster_membership(
                        *key, states_official=states_official, as_of=as_of)
            plan.inserts.append(j)
            plan.insert_cells.append(cell_ref)
            plan.insert_membership.append(membership)
            continue
        plan.seen_ids.add(member_id)
        matched[member_id] = j
        cell_refs[j] = cell_ref
    if matched:
        _compare_matched(conn, read, plan, matched, member_cols, membership_col, cell_refs)
    return plan, cells, {"people": people}


def _national_codes(conn: Connection, plan: _Plan, cells: _Cells) -> tuple[list[dict], list[dict]]:
    """The organizations' codes the file gives: (to set, conflicts). A code already recorded differently, or
    recorded for another organization, is a conflict: reported, never written over (the file may be the stale
    one; ``cells update --national-code`` settles it)."""
    recorded = dossier_store.national_codes(conn)
    by_cell = {cid: nc for nc, (cid, _, _) in recorded.items()}
    to_set, conflicts = [], []
    for ref, (code, row) in plan.national_codes.items():
        org = cells.by_id.get(ref) if isinstance(ref, int) else None
        cell_code = org.code if org else None
        cell_name = org.name if org else cells.planned[ref]["name"]
        holder = recorded.get(code)
        now = by_cell.get(ref) if isinstance(ref, int) else None
        if now == code:
            continue
        entry = {"row": row, "cell_code": cell_code, "cell_name": cell_name, "national_code": code}
        if now is not None:
            conflicts.append(entry | {"recorded": now, "held_by": None})
        elif holder is not None:
            conflicts.append(entry | {"recorded": None, "held_by": holder[1]})
        else:
            to_set.append(entry | {"_ref": ref})
    return to_set, conflicts


def _shown(codes: list[dict]) -> list[dict]:
    return [{k: v for k, v in c.items() if k != "_ref"} for c in codes]


def _conflict_warning(c: dict) -> str:
    where = f"{c['cell_name']} ({c['cell_code']})" if c["cell_code"] else c["cell_name"]
    if c["recorded"]:
        return (f"Dòng {c['row']}: mã tổ chức {c['national_code']} của {where} khác mã đã ghi {c['recorded']}; giữ mã "
                f"đã ghi. Nếu mã trong tệp mới đúng: dangvien cells update {c['cell_code']} --national-code "
                f"{c['national_code']}.")
    return (f"Dòng {c['row']}: mã tổ chức {c['national_code']} ghi cho {where} đã là mã của tổ chức {c['held_by']}; "
            "không ghi. Kiểm tra lại mã của hai tổ chức.")


class _SameCommittee:
    """Members by committee, built on first use (only rows with no card number and no personal id need it)."""

    def __init__(self, conn: Connection, cells: _Cells):
        self.conn = conn
        self.cells = cells
        self._member_cell: dict[int, int] | None = None
        self._committee: dict[int, int] = {}

    def committee(self, cell_ref: int | str) -> int:
        if isinstance(cell_ref, str):  # a cell the roster creates under the target
            cell_ref = self.cells.target.id
        if cell_ref not in self._committee:
            self._committee[cell_ref] = committee_of(cell_ref, self.cells.by_id.get)
        return self._committee[cell_ref]

    def same_person(self, name_key: tuple, cell_ref: int | str, by_name: dict, seen: set[int]) -> list[int]:
        """The members not yet named by the file with this (search key, birth date) in the row's committee."""
        ids = by_name.get(name_key)
        if not ids:
            return []
        if self._member_cell is None:
            self._member_cell = store.member_cells(self.conn)
        here = self.committee(cell_ref)
        found = [i for i in ids if i not in seen and self.committee(self._member_cell[i]) == here]
        return found


def _compare_matched(conn: Connection, read: RosterRead, plan: _Plan, matched: dict[int, int], member_cols: list,
                     membership_col: list, cell_refs: dict[int, int | str]) -> None:
    """Compare each matched row with its member's row, read in one pass over the table: updates, unchanged rows,
    and the rows whose dates would contradict the stored ones. Keeps the file order of updates and errors."""
    i_cell, i_membership = _OLD["cell_id"], _OLD["membership"]
    i_dates = [_OLD[k] for k in ("birth_date", "decision_date", "admission_date", "official_date")]
    numbers = read.row_numbers
    updates: list[tuple[int, tuple]] = []
    rejected: list[tuple[int, RosterRow, dict]] = []
    for old in store.member_rows(conn, _MEMBER_COLUMNS):
        j = matched.get(old[0])
        if j is None:
            continue
        changes = {k: v for k, v, o in zip(MEMBER_FIELDS, [c[j] for c in member_cols], old[_N_HEAD:-1], strict=True)
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


def _create_cells(conn: Connection, cells: _Cells, source: str) -> dict[str, int]:
    created: dict[str, int] = {}
    stamp = now_iso()
    parent = cells.target
    for key, info in cells.planned.items():
        code = cell_store.next_child_code(conn, parent.code)
        created[key] = store.create_cell(conn, code=code, name=info["name"], parent_id=parent.id, source=source,
                                         stamp=stamp)
    return created


def _write(conn: Connection, plan: _Plan, cells: _Cells, read: RosterRead, path: Path,
           sha: str, progress: Callable[[int], None] | None, codes: list[dict]) -> tuple[int, int]:
    stamp = now_iso()
    source = f"import roster {read.file}"
    created_cells = _create_cells(conn, cells, source)
    for c in codes:  # the organizations' national codes (conflicts were left out: reported, not written)
        cid = c["_ref"] if isinstance(c["_ref"], int) else created_cells[c["_ref"]]
        old = dossier_store.set_national_code(conn, cid, c["national_code"])
        cell_event(conn, cid, "updated", source=f"{source}#dòng {c['row']}", field="national_code", old=old,
                   new=c["national_code"])
        c["cell_code"] = c["cell_code"] or cell_store.get(conn, cid).code
    labels = {cid: f"{c.code} — {c.name}" for cid, c in cells.by_id.items()}
    for key, cid in created_cells.items():
        labels[cid] = f"{cell_store.get(conn, cid).code} — {cells.planned[key]['name']}"
    import_id = import_store.record(
        conn, kind="roster", file_name=read.file, sheet=read.sheet, sha256=sha, encoding=read.encoding,
        target_cell_id=cells.target.id if cells.target else None, rows_read=read.count,
        created=len(plan.inserts), updated=len(plan.updates), unchanged=plan.unchanged,
        rejected=len(plan.bad_rows), cells_created=len(created_cells), details={"errors": plan.errors[:1000]},
        created_at=stamp)
    if plan.inserts:
        _insert_members(conn, plan, read, created_cells, stamp, f"{source}#dòng ", import_id, progress)
    update_events = []
    for member_id, old, changes, row_number in plan.updates:
        if "cell_ref" in changes:
            changes["cell_id"] = created_cells[changes.pop("cell_ref")]
        sets = dict(changes)
        if "full_name" in sets:
            sets["search_key"] = search_key(sets["full_name"])
            sets["sort_key"] = collation_key(sets["full_name"])
        sets["updated_at"] = stamp
        member_store.update(conn, member_id, sets, version=old["version"])  # the version read while matching
        for key, new in changes.items():
            if key == "cell_id":
                update_events.append((member_id, "transferred", "cell", labels.get(old["cell_id"]), labels[new], None,
                                      f"{source}#dòng {row_number}", import_id, stamp))
            else:
                update_events.append((member_id, "updated", key, old[key], new, None,
                                      f"{source}#dòng {row_number}", import_id, stamp))
    if progress and plan.updates:
        progress(len(plan.updates))
    import_store.member_events(conn, update_events)
    return import_id, len(created_cells)


_REBUILD_MIN = 20_000


def _insert_members(conn: Connection, plan: _Plan, read: RosterRead, created_cells: dict[str, int],
                    stamp: str, source_prefix: str, import_id: int, progress: Callable[[int], None] | None) -> None:
    """Insert the new members (consecutive ids in file order) and their 'created' history rows, in bulk
    (:func:`store.roster.insert_members`)."""
    cols = read.columns
    n = read.count
    positions = plan.inserts
    every = len(positions) == n  # a first import: no row to pick out

    def pick(col: list) -> list:
        return col if every else [col[j] for j in positions]

    # Columns the file leaves empty throughout are not staged; they get the table's default, which is NULL for
    # every one of them (checked against the table, so a column with another default is always staged).
    with_default = store.columns_with_default(conn, "members")
    fields = [k for k in MEMBER_FIELDS
              if k == "membership" or (k in cols and (k in with_default or any(v is not None for v in cols[k])))]
    values = [plan.insert_membership if k == "membership" else pick(cols[k]) for k in fields]
    names = pick(cols["full_name"])  # a row without a name is rejected, so the column is there
    cell_ids = [ref if isinstance(ref, int) else created_cells[ref] for ref in plan.insert_cells]
    ids = store.new_member_ids(conn, len(positions))
    # The keys of each distinct name once (a roster's names repeat): fewer calls, and one key object per name
    # for the driver to encode (excel.rows.shared).
    search_keys = {n: search_key(n) for n in set(names)}
    sort_keys = {n: collation_key(n) for n in search_keys}
    rows = zip(ids, map(search_keys.__getitem__, names), map(sort_keys.__getitem__, names), cell_ids, repeat(stamp),
               repeat(stamp), *values, strict=False)
    # A large import into a small table: rebuild the non-unique indexes once at the end.
    rebuild = len(positions) >= _REBUILD_MIN and len(positions) >= ids[0] - 1
    store.insert_members(conn, fields, rows, zip(ids, pick(read.row_numbers), strict=True), stamp=stamp,
                         source_prefix=source_prefix, import_id=import_id, rebuild_indexes=rebuild,
                         progress=progress)


def _missing_members(conn: Connection, cells: _Cells, plan: _Plan) -> list[dict]:
    """Members of the target organization on the roll that the roster does not name (listed, never deleted)."""
    if cells.target is None:
        return []
    seen = plan.seen_ids
    rows = store.roll_in(conn, cell_store.subtree_ids(conn, cells.target.id))
    return [{"id": i, "full_name": name, "card_number": card, "cell_code": code}
            for i, name, card, code in rows if i not in seen]


def write_rejects(read: RosterRead, rows: list[RosterRow], path: Path, cells: _Cells | None = None,
                  conn: Connection | None = None) -> Path:
    """The rejected rows, annotated with what is wrong, in a workbook beside the input (excel/rejects_writer)."""
    from dangvien_cli.excel.rejects_writer import write_rejects as write
    from dangvien_cli.services.exports import heading

    head = heading(conn, cells.target) if conn is not None and cells is not None else None
    return write(read, rows, path, head=head)


# A roster must say who each member is: without one of these columns every row would be stored incomplete.
# (field, the fields that can carry it, an example of a file's own header for it)
_REQUIRED_COLUMNS = (
    ("full_name", ("full_name",), "Họ tên"),
    ("birth_date", ("birth_date", "birth_male", "birth_female"), "NS"),
    ("gender", ("gender", "male_mark", "female_mark", "birth_male", "birth_female"), "Phái"),
)


def _check_required_columns(read: RosterRead) -> None:
    """Refuse the whole file (exit 3) when a column it must have is not found, saying how to map it."""
    present = set(read.header.fields.values())
    missing = [(fld, MEMBER_FIELD.label(fld) + (" (hoặc Nam/Nữ)" if fld == "gender" else ""), example)
               for fld, carriers, example in _REQUIRED_COLUMNS if not present.intersection(carriers)]
    if not missing:
        return
    names = ", ".join(f"'{label}'" for _, label, _ in missing)
    maps = " ".join(f'--map "{example}={fld}"' for fld, _, example in missing)
    unknown = (" Các cột chưa nhận ra trong tệp: " + ", ".join(f"'{u}'" for u in read.unknown_columns) + "."
               if read.unknown_columns else "")
    raise InputRejected(
        f"Tệp {read.file} (trang '{read.sheet}') không có cột {names}, là cột bắt buộc. Không có gì được ghi.",
        hint=f"Nếu tệp có cột đó dưới tên khác, chỉ rõ bằng --map \"Tên cột=trường\", ví dụ {maps}; nếu không, "
             f"bổ sung cột vào tệp rồi nhập lại.{unknown}")


def import_roster(conn: Connection, path: Path, *, into: str | None = None, sheet: str | None = None,
                  mapping: dict[str, str] | None = None, dry_run: bool = False, skip_invalid: bool = False,
                  progress: Callable[[int], None] | None = None,
                  before_many_changes: Callable[[int], None] | None = None) -> dict:
    """Import a roster. Returns the report (contract.md "Import report"); raises InputRejected (exit 3) with the
    report when any row is bad and ``skip_invalid`` is not set — then nothing at all is written.

    ``before_many_changes(n)`` is called before writing when the file changes more stored members than the
    ``backup.import_changes`` setting allows without a safety copy."""
    path = Path(path)
    if not path.exists():
        raise InputRejected(f"Không có tệp {path.name}.", hint="Kiểm tra lại đường dẫn tệp.")
    # Millions of cell values and hundreds of thousands of short-lived tuples, none in a cycle: the collector
    # would only walk them again and again (~0.3 s of a 100,000-row import).
    with no_gc():
        return _import(conn, path, into=into, sheet=sheet, mapping=mapping, dry_run=dry_run,
                       skip_invalid=skip_invalid, progress=progress, before_many_changes=before_many_changes)


def _import(conn: Connection, path: Path, *, into: str | None, sheet: str | None,
            mapping: dict[str, str] | None, dry_run: bool, skip_invalid: bool,
            progress: Callable[[int], None] | None,
            before_many_changes: Callable[[int], None] | None = None) -> dict:
    read = read_roster(path, sheet=sheet, mapping_overrides=mapping)
    _check_required_columns(read)
    plan, cells, _ = plan_roster(conn, read, into)
    codes_to_set, code_conflicts = _national_codes(conn, plan, cells)
    report = {
        "file": read.file, "sheet": read.sheet, "encoding": read.encoding, "rows_read": read.count,
        "created": len(plan.inserts), "updated": len(plan.updates), "unchanged": plan.unchanged,
        "rejected": len(plan.bad_rows), "cells_created": len(cells.planned), "errors": plan.errors,
        "warnings": read.warnings + [f"Dòng {w['row']}, cột '{w['column']}': {w['message']}"
                                     for w in read.row_warnings()],
        "unknown_columns": read.unknown_columns, "dry_run": dry_run, "import_id": None, "rejects_file": None,
        "missing_members": [], "roster_date": read.as_of,
        "national_codes_set": _shown(codes_to_set),
        "national_code_conflicts": code_conflicts,
    }
    report["warnings"] += [_conflict_warning(c) for c in code_conflicts]
    if plan.errors and not skip_invalid:
        report.update(created=0, updated=0, unchanged=0, cells_created=0)
        raise InputRejected(
            f"Tệp {read.file} có {len(plan.bad_rows)} dòng lỗi ({len(plan.errors)} lỗi); không ghi gì cả.",
            report=report,
            hint="Sửa các dòng được nêu rồi nhập lại, hoặc dùng --skip-invalid để nhập các dòng đúng và lưu "
                 "các dòng lỗi ra tệp riêng.")
    report["missing_members"] = _missing_members(conn, cells, plan)
    if dry_run:
        return report
    if not read.count:
        raise InputRejected(f"Tệp {read.file} không có dòng đảng viên nào.",
                            hint="Kiểm tra trang tính (--sheet) và dòng tiêu đề của tệp.", report=report)
    if before_many_changes is not None and plan.updates:
        from dangvien_cli.services.settings import effective

        if len(plan.updates) > int(effective(conn)["backup.import_changes"]):
            before_many_changes(len(plan.updates))
    import_id, created_cells = _write(conn, plan, cells, read, path, file_sha256(path), progress, codes_to_set)
    report["national_codes_set"] = _shown(codes_to_set)  # with the codes of the cells the import created
    report["import_id"] = import_id
    report["cells_created"] = created_cells
    if plan.bad_rows:
        report["rejects_file"] = str(write_rejects(read, plan.bad_rows, path, cells, conn))
    return report


__all__ = ["import_roster", "parse_mapping"]
