"""Party organizations: one tree with history (domain.md §1.6, §8)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, select

from dangvien_cli.errors import Conflict, InvalidValue, RuleViolation
from dangvien_cli.rules.dates import format_vi, today
from dangvien_cli.rules.membership import ON_ROLL, ON_ROLL_SQL
from dangvien_cli.rules.organization import ALLOWED_PARENTS
from dangvien_cli.services.common import (
    MEMBER_KINDS,
    cell_event,
    cell_label,
    date_value,
    get_cell,
    member_event,
)
from dangvien_cli.services.lookup import subtree_ids
from dangvien_cli.store.database import now_iso
from dangvien_cli.store.models import Cell, Member
from dangvien_cli.text import normalize_text, search_key
from dangvien_cli.vocab import ORG_KIND, UNIT_TYPE

FLAGS = ("online_meetings", "secretary_is_village_head", "has_committee", "authorized_to_admit",
         "has_upper_level_powers")


def _kind_label(kind: str | None) -> str:
    return "cấp cao nhất" if kind is None else ORG_KIND.label(kind)


def check_kind(kind: str) -> None:
    if kind not in ORG_KIND:
        raise InvalidValue(f"Loại tổ chức '{kind}' không có.", hint="Dùng một trong: " + ", ".join(ORG_KIND.codes) + ".")


def check_parent(kind: str, parent: Cell | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    parent_kind = None if parent is None else parent.kind
    if parent_kind not in allowed:
        where = "ở cấp cao nhất" if parent is None else f"dưới {ORG_KIND.label(parent.kind).lower()} '{parent.name}'"
        choices = ", ".join(_kind_label(k) for k in allowed)
        raise RuleViolation(
            f"{ORG_KIND.label(kind)} không thể đặt {where} (domain.md §1.6).",
            hint=f"{ORG_KIND.label(kind)} chỉ đặt được dưới: {choices}.", rule="§1.6",
        )


def descendant_ids(session: Session, cell_id: int) -> list[int]:
    """The cell and everything under it."""
    return subtree_ids(session.connection().connection.driver_connection, cell_id)


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


def add_cell(session: Session, data: CellInput, *, source: str = "cells add") -> Cell:
    name = normalize_text(data.name)
    code = normalize_text(data.code)
    if not name:
        raise InvalidValue("Tên tổ chức đảng không được để trống.")
    if not code or " " in code:
        raise InvalidValue("Mã tổ chức đảng không được để trống hay chứa dấu cách.", hint="Ví dụ: --code 38.168.053")
    check_kind(data.kind)
    _check_unit_type(data.unit_type)
    if session.exec(select(Cell).where(Cell.code == code)).first():
        raise Conflict(f"Mã '{code}' đã dùng cho một tổ chức đảng khác.", hint="Chọn mã khác cho --code (xem các mã đã dùng: dangvien cells list).")
    parent = get_cell(session, data.parent) if data.parent else None
    if parent is not None and parent.valid_to:
        raise RuleViolation(f"Tổ chức '{parent.name}' đã giải thể, không thể thêm tổ chức trực thuộc.")
    check_parent(data.kind, parent)
    stamp = now_iso()
    cell = Cell(
        code=code, name=name, search_key=search_key(name), kind=data.kind,
        parent_id=parent.id if parent else None, unit_type=data.unit_type,
        valid_from=date_value(data.valid_from, "Ngày thành lập"), note=normalize_text(data.note),
        created_at=stamp, updated_at=stamp,
        **{flag: int(getattr(data, flag)) for flag in FLAGS},
    )
    session.add(cell)
    session.flush()
    cell_event(session, cell.id, "created", source=source, new=cell_label(cell), date=cell.valid_from)
    return cell


def cell_dict(cell: Cell, parent_code: str | None, member_count: int) -> dict:
    return {
        "id": cell.id, "code": cell.code, "name": cell.name, "kind": cell.kind, "parent_code": parent_code,
        "member_count": member_count, "unit_type": cell.unit_type, "valid_from": cell.valid_from,
        "valid_to": cell.valid_to, **{flag: bool(getattr(cell, flag)) for flag in FLAGS},
    }




def list_cells(session: Session, *, under: str | None = None, include_dissolved: bool = False) -> list[dict]:
    """Every organization with its own member count (members on the roll: active, exempt, suspended)."""
    ids = None
    if under:
        ids = set(descendant_ids(session, get_cell(session, under).id))
    counts = dict(session.connection().execute(text(
        f"SELECT cell_id, count(*) FROM members WHERE status IN {ON_ROLL_SQL} GROUP BY cell_id")).all())
    cells = session.exec(select(Cell).order_by(Cell.code)).all()
    codes = {c.id: c.code for c in cells}
    return [
        cell_dict(c, codes.get(c.parent_id), counts.get(c.id, 0))
        for c in cells
        if (ids is None or c.id in ids) and (include_dissolved or not c.valid_to)
    ]


def tree(session: Session, *, root: str | None = None, include_dissolved: bool = False) -> list[dict]:
    """Nested dicts with ``children``; ``total`` counts members of the organization and all below it."""
    rows = list_cells(session, include_dissolved=include_dissolved)
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
        wanted = get_cell(session, root).id
        return [by_id[wanted]] if wanted in by_id else []
    return sorted(roots, key=lambda n: n["code"])


def show_cell(session: Session, ref: str) -> dict:
    cell = get_cell(session, ref)
    parent = session.get(Cell, cell.parent_id) if cell.parent_id else None
    conn = session.connection()
    counts = dict(conn.execute(text(
        f"SELECT membership, count(*) FROM members WHERE cell_id = :id AND status IN {ON_ROLL_SQL} "
        "GROUP BY membership"), {"id": cell.id}).all())
    children = session.exec(select(Cell).where(Cell.parent_id == cell.id).order_by(Cell.code)).all()
    events = conn.execute(text(
        "SELECT event, field, old_value, new_value, effective_date, reference, source, created_at "
        "FROM cell_events WHERE cell_id = :id ORDER BY id"), {"id": cell.id}).mappings().all()
    replaced = session.get(Cell, cell.replaced_by_id) if cell.replaced_by_id else None
    result = cell_dict(cell, parent.code if parent else None, sum(counts.values()))
    result.update({
        "parent_name": parent.name if parent else None,
        "kind_label": ORG_KIND.label(cell.kind),
        "official_members": counts.get("official", 0),
        "probationary_members": counts.get("probationary", 0),
        "children": [{"code": c.code, "name": c.name, "kind": c.kind, "valid_to": c.valid_to} for c in children],
        "replaced_by_code": replaced.code if replaced else None,
        "note": cell.note,
        "history": [dict(e) for e in events],
    })
    return result


def update_cell(session: Session, ref: str, changes: dict, *, date: str | None = None,
                reference: str | None = None, source: str = "cells update") -> Cell:
    """Rename or change attributes; every change leaves an event (a rename keeps the old name in history)."""
    cell = get_cell(session, ref)
    effective = date_value(date, "Ngày hiệu lực")
    if "code" in changes:
        new_code = normalize_text(changes["code"])
        if not new_code or " " in new_code:
            raise InvalidValue("Mã tổ chức đảng không được để trống hay chứa dấu cách.")
        other = session.exec(select(Cell).where(Cell.code == new_code)).first()
        if other and other.id != cell.id:
            raise Conflict(f"Mã '{new_code}' đã dùng cho tổ chức '{other.name}'.")
        changes["code"] = new_code
    if "name" in changes:
        changes["name"] = normalize_text(changes["name"])
        if not changes["name"]:
            raise InvalidValue("Tên tổ chức đảng không được để trống.")
    if "kind" in changes:
        check_kind(changes["kind"])
        parent = session.get(Cell, cell.parent_id) if cell.parent_id else None
        check_parent(changes["kind"], parent)
        for child in session.exec(select(Cell).where(Cell.parent_id == cell.id, Cell.valid_to.is_(None))).all():
            if changes["kind"] not in ALLOWED_PARENTS[child.kind]:
                raise RuleViolation(
                    f"Không đổi được loại: '{child.name}' ({ORG_KIND.label(child.kind)}) không thể nằm dưới "
                    f"{ORG_KIND.label(changes['kind']).lower()} (domain.md §1.6).", rule="§1.6")
    if "unit_type" in changes:
        _check_unit_type(changes["unit_type"])
    for key in ("valid_from",):
        if key in changes:
            changes[key] = date_value(changes[key], "Ngày thành lập")
    changed = False
    for key, new in changes.items():
        old = getattr(cell, key)
        if key in FLAGS:
            new = int(bool(new))
        if old == new:
            continue
        event = "renamed" if key == "name" else "updated"
        cell_event(session, cell.id, event, source=source, field=key, old=old, new=new, date=effective,
                   reference=reference)
        setattr(cell, key, new)
        changed = True
    if changed:
        if "name" in changes:
            cell.search_key = search_key(cell.name)
        cell.updated_at = now_iso()
        session.add(cell)
    return cell


def move_cell(session: Session, ref: str, new_parent: str | None, *, date: str | None = None,
              reference: str | None = None, source: str = "cells move") -> Cell:
    cell = get_cell(session, ref)
    parent = get_cell(session, new_parent) if new_parent else None
    if parent is not None:
        if parent.id in descendant_ids(session, cell.id):
            raise RuleViolation(
                f"Không thể chuyển '{cell.name}' vào dưới '{parent.name}': đó là chính nó hoặc tổ chức trực thuộc nó.",
                hint="Chọn một tổ chức cấp trên nằm ngoài nhánh này.")
        if parent.valid_to:
            raise RuleViolation(f"Tổ chức '{parent.name}' đã giải thể.")
    check_parent(cell.kind, parent)
    old_parent = session.get(Cell, cell.parent_id) if cell.parent_id else None
    if (old_parent.id if old_parent else None) == (parent.id if parent else None):
        return cell
    cell_event(session, cell.id, "moved", source=source, field="parent", old=cell_label(old_parent),
               new=cell_label(parent), date=date_value(date, "Ngày hiệu lực"), reference=reference)
    cell.parent_id = parent.id if parent else None
    cell.updated_at = now_iso()
    session.add(cell)
    return cell


def dissolve_cell(session: Session, ref: str, *, date: str | None = None, move_members_to: str | None = None,
                  merged_into: str | None = None, reference: str | None = None,
                  source: str = "cells dissolve") -> dict:
    """End an organization. Refused while members or sub-organizations remain, unless members move too."""
    cell = get_cell(session, ref)
    if cell.valid_to:
        raise RuleViolation(f"Tổ chức '{cell.name}' đã giải thể ngày {format_vi(cell.valid_to)}.")
    effective = date_value(date, "Ngày giải thể") or today().isoformat()
    children = session.exec(select(Cell).where(Cell.parent_id == cell.id, Cell.valid_to.is_(None))).all()
    if children:
        names = ", ".join(c.code for c in children[:5])
        raise RuleViolation(
            f"Tổ chức '{cell.name}' còn {len(children)} tổ chức trực thuộc ({names}).",
            hint="Chuyển ('dangvien cells move') hoặc giải thể các tổ chức trực thuộc trước.")
    members = session.exec(select(Member).where(Member.cell_id == cell.id,
                                                Member.status.in_(ON_ROLL))).all()
    target_ref = move_members_to or merged_into
    target = get_cell(session, target_ref) if target_ref else None
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
    for m in members:
        member_event(session, m.id, "transferred", source=source, field="cell", old=cell_label(cell),
                     new=cell_label(target), date=effective, reference=reference)
        m.cell_id = target.id
        m.updated_at = stamp
        session.add(m)
    event = "merged" if merged_into else "dissolved"
    cell_event(session, cell.id, event, source=source, field="valid_to", new=effective, date=effective,
               reference=reference)
    cell.valid_to = effective
    if merged_into:
        cell.replaced_by_id = target.id
    cell.updated_at = stamp
    session.add(cell)
    return {"code": cell.code, "name": cell.name, "valid_to": effective, "members_moved": len(members),
            "moved_to": target.code if target else None}
