"""Party organizations: one tree with history (domain.md §1.6, §8)."""

from __future__ import annotations

from dataclasses import dataclass

from dangvien_cli.errors import Conflict, InvalidValue, RuleViolation
from dangvien_cli.rules.dates import date_value, format_vi, today
from dangvien_cli.rules.organization import ALLOWED_PARENTS, MEMBER_KINDS
from dangvien_cli.store import cells as store
from dangvien_cli.store.audit import cell_event, member_events
from dangvien_cli.store.cells import label as cell_label
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.store.database import now_iso
from dangvien_cli.text import normalize_text, search_key
from dangvien_cli.vocab import ORG_KIND, UNIT_TYPE

FLAGS = ("online_meetings", "secretary_is_village_head", "has_committee", "authorized_to_admit",
         "has_upper_level_powers")


def _kind_label(kind: str | None) -> str:
    return "cấp cao nhất" if kind is None else ORG_KIND.label(kind)


def check_kind(kind: str) -> None:
    if kind not in ORG_KIND:
        raise InvalidValue(f"Loại tổ chức '{kind}' không có.", hint="Dùng một trong: " + ", ".join(ORG_KIND.codes) + ".")


def check_parent(kind: str, parent: Record | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = None if parent is None else parent.kind
    if parent_kind not in allowed:
        where = "ở cấp cao nhất" if parent is None else f"dưới {ORG_KIND.label(parent.kind).lower()} '{parent.name}'"
        choices = ", ".join(_kind_label(k) for k in allowed)
        raise RuleViolation(
            f"{ORG_KIND.label(kind)} không thể đặt {where} (domain.md §1.6).",
            hint=f"{ORG_KIND.label(kind)} chỉ đặt được dưới: {choices}.", rule="§1.6",
        )


def descendant_ids(conn: Connection, cell_id: int) -> list[int]:
    """The cell and everything under it."""
    return store.subtree_ids(conn, cell_id)


@dataclass
class CellInput:
    name: str
    code: str
    kind: str
    parent: str | None = None
    unit_type: str | None = None
    valid_from: str | None = None
    note: str | None = None
    online_meetings: bool = False
    secretary_is_village_head: bool = False
    has_committee: bool = False
    authorized_to_admit: bool = False
    has_upper_level_powers: bool = False


def _check_unit_type(unit_type: str | None) -> None:
    if unit_type is not None and unit_type not in UNIT_TYPE:
        raise InvalidValue(f"Loại đơn vị '{unit_type}' không có.", hint="Dùng một trong: " + ", ".join(UNIT_TYPE.codes))


def add_cell(conn: Connection, data: CellInput, *, source: str = "cells add") -> Record:
    name = normalize_text(data.name)
    code = normalize_text(data.code)
    if not name:
        raise InvalidValue("Tên tổ chức đảng không được để trống.")
    if not code or " " in code:
        raise InvalidValue("Mã tổ chức đảng không được để trống hay chứa dấu cách.", hint="Ví dụ: --code 38.168.053")
    check_kind(data.kind)
    _check_unit_type(data.unit_type)
    if store.id_of_code(conn, code) is not None:
        raise Conflict(f"Mã '{code}' đã dùng cho một tổ chức đảng khác.", hint="Chọn mã khác cho --code (xem các mã đã dùng: dangvien cells list).")
    parent = store.find(conn, data.parent) if data.parent else None
    if parent is not None and parent.valid_to:
        raise RuleViolation(f"Tổ chức '{parent.name}' đã giải thể, không thể thêm tổ chức trực thuộc.")
    check_parent(data.kind, parent)
    stamp = now_iso()
    valid_from = date_value(data.valid_from, "Ngày thành lập")
    cell_id = store.insert(conn, {
        "code": code, "name": name, "search_key": search_key(name), "kind": data.kind,
        "parent_id": parent.id if parent else None, "unit_type": data.unit_type, "valid_from": valid_from,
        "note": normalize_text(data.note), "created_at": stamp, "updated_at": stamp,
        **{flag: int(getattr(data, flag)) for flag in FLAGS},
    })
    cell = store.get(conn, cell_id)
    cell_event(conn, cell_id, "created", source=source, new=cell_label(cell), date=valid_from)
    return cell


def cell_dict(cell: Record, parent_code: str | None, member_count: int) -> dict:
    return {
        "id": cell.id, "code": cell.code, "name": cell.name, "kind": cell.kind, "parent_code": parent_code,
        "member_count": member_count, "unit_type": cell.unit_type, "valid_from": cell.valid_from,
        "valid_to": cell.valid_to, **{flag: bool(getattr(cell, flag)) for flag in FLAGS},
    }




def list_cells(conn: Connection, *, under: str | None = None, include_dissolved: bool = False) -> list[dict]:
    """Every organization with its own member count (members on the roll: active, exempt, suspended)."""
    ids = None
    if under:
        ids = set(descendant_ids(conn, store.find(conn, under).id))
    counts = store.members_on_roll_by_cell(conn)
    cells = store.listing(conn)
    codes = {c.id: c.code for c in cells}
    return [
        cell_dict(c, codes.get(c.parent_id), counts.get(c.id, 0))
        for c in cells
        if (ids is None or c.id in ids) and (include_dissolved or not c.valid_to)
    ]


def tree(conn: Connection, *, root: str | None = None, include_dissolved: bool = False) -> list[dict]:
    """Nested dicts with ``children``; ``total`` counts members of the organization and all below it."""
    rows = list_cells(conn, include_dissolved=include_dissolved)
    by_id = {r["id"]: {**r, "children": []} for r in rows}
    code_to_id = {r["code"]: r["id"] for r in rows}
    roots = []
    for node in by_id.values():
        parent_id = code_to_id.get(node["parent_code"]) if node["parent_code"] else None
        if parent_id in by_id:
            by_id[parent_id]["children"].append(node)
        else:
            roots.append(node)

    def total(node: dict) -> int:
        node["children"].sort(key=lambda n: n["code"])
        node["total"] = node["member_count"] + sum(total(ch) for ch in node["children"])
        return node["total"]

    for node in roots:
        total(node)
    if root:
        wanted = store.find(conn, root).id
        return [by_id[wanted]] if wanted in by_id else []
    return sorted(roots, key=lambda n: n["code"])


def show_cell(conn: Connection, ref: str) -> dict:
    cell = store.get(conn, store.find(conn, ref).id)
    parent = store.get(conn, cell.parent_id) if cell.parent_id else None
    counts = store.members_on_roll_by_membership(conn, cell.id)
    children = store.children(conn, cell.id)
    events = store.events(conn, cell.id)
    replaced = store.get(conn, cell.replaced_by_id) if cell.replaced_by_id else None
    result = cell_dict(cell, parent.code if parent else None, sum(counts.values()))
    result.update({
        "parent_name": parent.name if parent else None,
        "kind_label": ORG_KIND.label(cell.kind),
        "official_members": counts.get("official", 0),
        "probationary_members": counts.get("probationary", 0),
        "children": [{"code": c.code, "name": c.name, "kind": c.kind, "valid_to": c.valid_to} for c in children],
        "replaced_by_code": replaced.code if replaced else None,
        "note": cell.note,
        "national_code": cell.national_code,  # its code in the national database (M1.M2.M3.M4.M5)
        "history": [dict(e) for e in events],
    })
    return result


def update_cell(conn: Connection, ref: str, changes: dict, *, date: str | None = None,
                reference: str | None = None, source: str = "cells update") -> Record:
    """Rename or change attributes; every change leaves an event (a rename keeps the old name in history)."""
    cell = store.get(conn, store.find(conn, ref).id)
    effective = date_value(date, "Ngày hiệu lực")
    if "code" in changes:
        new_code = normalize_text(changes["code"])
        if not new_code or " " in new_code:
            raise InvalidValue("Mã tổ chức đảng không được để trống hay chứa dấu cách.")
        other_id = store.id_of_code(conn, new_code)
        if other_id is not None and other_id != cell.id:
            raise Conflict(f"Mã '{new_code}' đã dùng cho tổ chức '{store.get(conn, other_id).name}'.")
        changes["code"] = new_code
    if "name" in changes:
        changes["name"] = normalize_text(changes["name"])
        if not changes["name"]:
            raise InvalidValue("Tên tổ chức đảng không được để trống.")
    if "kind" in changes:
        check_kind(changes["kind"])
        parent = store.get(conn, cell.parent_id) if cell.parent_id else None
        check_parent(changes["kind"], parent)
        for child in store.children(conn, cell.id, active_only=True):
            if changes["kind"] not in ALLOWED_PARENTS[child.kind]:
                raise RuleViolation(
                    f"Không đổi được loại: '{child.name}' ({ORG_KIND.label(child.kind)}) không thể nằm dưới "
                    f"{ORG_KIND.label(changes['kind']).lower()} (domain.md §1.6).", rule="§1.6")
    if "unit_type" in changes:
        _check_unit_type(changes["unit_type"])
    for key in ("valid_from",):
        if key in changes:
            changes[key] = date_value(changes[key], "Ngày thành lập")
    changed = {}
    for key, new in changes.items():
        old = cell[key]
        if key in FLAGS:
            new = int(bool(new))
        if old == new:
            continue
        event = "renamed" if key == "name" else "updated"
        cell_event(conn, cell.id, event, source=source, field=key, old=old, new=new, date=effective,
                   reference=reference)
        changed[key] = new
    if changed:
        if "name" in changed:
            changed["search_key"] = search_key(changed["name"])
        store.update(conn, cell.id, changed | {"updated_at": now_iso()}, version=cell.version)
        cell = store.get(conn, cell.id)
    return cell


def move_cell(conn: Connection, ref: str, new_parent: str | None, *, date: str | None = None,
              reference: str | None = None, source: str = "cells move") -> Record:
    cell = store.find(conn, ref)
    parent = store.find(conn, new_parent) if new_parent else None
    if parent is not None:
        if parent.id in descendant_ids(conn, cell.id):
            raise RuleViolation(
                f"Không thể chuyển '{cell.name}' vào dưới '{parent.name}': đó là chính nó hoặc tổ chức trực thuộc nó.",
                hint="Chọn một tổ chức cấp trên nằm ngoài nhánh này.")
        if parent.valid_to:
            raise RuleViolation(f"Tổ chức '{parent.name}' đã giải thể.")
    check_parent(cell.kind, parent)
    old_parent = store.get(conn, cell.parent_id) if cell.parent_id else None
    if (old_parent.id if old_parent else None) == (parent.id if parent else None):
        return store.get(conn, cell.id)
    cell_event(conn, cell.id, "moved", source=source, field="parent", old=cell_label(old_parent),
               new=cell_label(parent), date=date_value(date, "Ngày hiệu lực"), reference=reference)
    store.update(conn, cell.id, {"parent_id": parent.id if parent else None, "updated_at": now_iso()})
    return store.get(conn, cell.id)


def dissolve_cell(conn: Connection, ref: str, *, date: str | None = None, move_members_to: str | None = None,
                  merged_into: str | None = None, reference: str | None = None,
                  source: str = "cells dissolve") -> dict:
    """End an organization. Refused while members or sub-organizations remain, unless members move too."""
    cell = store.find(conn, ref)
    if cell.valid_to:
        raise RuleViolation(f"Tổ chức '{cell.name}' đã giải thể ngày {format_vi(cell.valid_to)}.")
    effective = date_value(date, "Ngày giải thể") or today().isoformat()
    children = store.children(conn, cell.id, active_only=True)
    if children:
        names = ", ".join(c.code for c in children[:5])
        raise RuleViolation(
            f"Tổ chức '{cell.name}' còn {len(children)} tổ chức trực thuộc ({names}).",
            hint="Chuyển ('dangvien cells move') hoặc giải thể các tổ chức trực thuộc trước.")
    members = store.member_ids_on_roll(conn, cell.id)
    target_ref = move_members_to or merged_into
    target = store.find(conn, target_ref) if target_ref else None
    if members and target is None:
        raise RuleViolation(
            f"Tổ chức '{cell.name}' còn {len(members)} đảng viên.",
            hint="Thêm --move-members-to MÃ_CHI_BỘ để chuyển họ sang chi bộ khác trong cùng lệnh.")
    if target is not None:
        if target.id == cell.id:
            raise InvalidValue("Không thể chuyển đảng viên vào chính tổ chức đang giải thể.")
        if target.valid_to:
            raise RuleViolation(f"Tổ chức '{target.name}' đã giải thể.")
        if members and target.kind not in MEMBER_KINDS:
            raise RuleViolation(f"'{target.name}' là {ORG_KIND.label(target.kind).lower()}, không sinh hoạt đảng viên trực tiếp.",
                                hint="Chọn một chi bộ.")
    stamp = now_iso()
    if members:  # every member moves in the same transaction as the dissolve, each with a history row
        member_events(conn, members, "transferred", source=source, field="cell", old=cell_label(cell),
                      new=cell_label(target), date=effective, reference=reference)
        store.move_members(conn, members, target.id, stamp)
    event = "merged" if merged_into else "dissolved"
    cell_event(conn, cell.id, event, source=source, field="valid_to", new=effective, date=effective,
               reference=reference)
    ended = {"valid_to": effective, "updated_at": stamp}
    if merged_into:
        ended["replaced_by_id"] = target.id
    store.update(conn, cell.id, ended)
    return {"code": cell.code, "name": cell.name, "valid_to": effective, "members_moved": len(members),
            "moved_to": target.code if target else None}
