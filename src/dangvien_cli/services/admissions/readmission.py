"""Readmission (kết nạp lại, domain.md §1.3, §1.4): who may come back, when, and the old record brought back."""

from __future__ import annotations

from datetime import date as Date

from dangvien_cli.errors import InvalidValue
from dangvien_cli.rules import admission as rules
from dangvien_cli.rules.membership import ON_ROLL
from dangvien_cli.services.admissions import members as member_calls
from dangvien_cli.services.admissions.base import refuse
from dangvien_cli.services.values import date_value
from dangvien_cli.store import admissions as store
from dangvien_cli.store import audit
from dangvien_cli.store import cells as store_cells
from dangvien_cli.store import members as store_members
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.text import normalize_text
from dangvien_cli.vocab import READMISSION_REASON, STATUS


def readmission_reason(member: Record, given: str | None = None) -> str:
    """The ground on which a former member left, as a code of vocab.READMISSION_REASON (§1.3).

    ``given`` (the clerk's code) wins; else the record's reason when it is a code or its Vietnamese label;
    else the leaving status (resigned, expelled; xóa tên without a known ground is 'other').
    """
    if given:
        if given not in READMISSION_REASON:
            raise InvalidValue(
                f"Không có lý do ra khỏi Đảng '{given}'.",
                hint="Ghi --previous-reason là một trong các mã: " + ", ".join(READMISSION_REASON.codes) + ".",
            )
        return given
    ground = READMISSION_REASON.lookup(member.status_reason)
    if ground is not None:
        return ground
    return {"resigned": "resigned", "expelled": "expelled"}.get(member.status, "other")


def previous_member(conn: Connection, ref: str) -> Record:
    """The record of the former member named by ``--previous-member``: someone who left the Party."""

    previous = store_members.by_ref(conn, ref)
    if previous.status in ON_ROLL:
        raise refuse(
            f"Đảng viên mã số {previous.id} vẫn đang trong danh sách đảng viên, không thể kết nạp lại.",
            rules.READMISSION, "§1.3",
            hint="--previous-member chỉ ghi hồ sơ của người đã ra khỏi Đảng; bỏ --previous-member nếu đây là "
            "người khác.",
        )
    if previous.status in ("transferred_out", "deceased"):
        raise InvalidValue(
            f"Hồ sơ mã số {previous.id} không phải của người đã ra khỏi Đảng "
            f"({STATUS.label(previous.status)}).",
            hint="Ghi --previous-member là hồ sơ có trạng thái xóa tên, khai trừ hoặc xin ra khỏi Đảng.",
        )
    return previous


def readmission_facts(conn: Connection, candidate: Record, on: Date, data, settings: dict) -> dict:
    """The readmission conditions on the day the cell considers the case; the facts kept with the step."""
    previous = store_members.get(conn, candidate.previous_member_id)
    reason = readmission_reason(previous, data.previous_reason)
    left = previous.status_date
    if not left:
        raise refuse(
            f"Hồ sơ cũ (mã số {previous.id}) chưa ghi ngày ra khỏi Đảng nên chưa tính được "
            "thời gian chờ kết nạp lại.",
            rules.READMISSION, "§1.3",
            hint=f"Ghi ngày ra khỏi Đảng vào hồ sơ cũ trước (xem: dangvien members history {previous.id}).",
        )
    cleared = date_value(data.record_cleared, "Ngày được xóa án tích")
    eligible = rules.check_readmission(
        reason,
        left,
        on,
        cleared,
        extreme_family_hardship=data.family_hardship,
        wait_months=int(settings["readmission.wait_months"]),
        after_record_cleared_months=int(settings["readmission.after_record_cleared_months"]),
    )
    return {
        "previous_member_id": previous.id,
        "reason": reason,
        "record_cleared": cleared,
        "family_hardship": data.family_hardship,
        "eligible_from": eligible.isoformat(),
    }


def _cell_label(cell: Record | None) -> str | None:
    """How history names an organization (as services.common.cell_label: code and name at that moment)."""
    return None if cell is None else f"{cell.code} — {cell.name}"


def readmit(conn: Connection, candidate: Record, cell: Record, decision: str, ceremony: str, source: str,
            reference: str | None) -> int:
    """Readmission (domain.md §1.3, §1.4): the member's own record comes back as probationary, so that the
    personal id and card stay with one person and party age runs from the first admission decision minus the
    time outside the Party, recorded as a gap that ends at the new decision. Returns the member's id."""
    member = store_members.get(conn, candidate.previous_member_id)
    if member.status in ON_ROLL:
        raise refuse(f"Đảng viên mã số {member.id} vẫn đang trong danh sách, không cần kết nạp lại.", None, "§1.3",
                     hint=f"Xem hồ sơ: dangvien members show {member.id}.")
    if candidate.national_id and candidate.national_id != member.national_id:
        member_calls.update_member(conn, member.id, {"national_id": candidate.national_id}, source=source)
        member = store_members.get(conn, member.id)
    closed = store.close_open_gaps(conn, member.id, decision)
    if not closed and member.status_date:
        store.add_gap(conn, member.id, "other", member.status_date, decision,
                      f"Ra khỏi Đảng ({member.status}) đến khi kết nạp lại")
    changes: dict = {}
    if member.decision_date is None and member.admission_date:
        # Party age counts from the first admission decision, else the first admission date (§1.4); keep it
        # before the admission date becomes the new ceremony's.
        audit.member_event(conn, member.id, "readmitted", source=source, field="decision_date", old=None,
                           new=member.admission_date, date=ceremony,
                           reference="ngày kết nạp lần đầu, thay cho ngày quyết định chưa ghi (Điều lệ Đảng, "
                           "Điều 5)")
        changes["decision_date"] = member.admission_date
    for field, new in (("status", "active"), ("membership", "probationary"), ("admission_date", ceremony),
                       ("official_date", None), ("cell_id", cell.id)):
        old = member[field]
        if old == new:
            continue
        if field == "cell_id":
            audit.member_event(conn, member.id, "readmitted", source=source, field="cell",
                               old=_cell_label(store_cells.get(conn, old)), new=_cell_label(cell),
                               date=ceremony, reference=normalize_text(reference))
        else:
            audit.member_event(conn, member.id, "readmitted", source=source, field=field, old=old, new=new,
                               date=ceremony, reference=normalize_text(reference))
        changes[field] = new
    changes |= {"status_date": ceremony, "status_reason": None, "status_reference": None}
    store.set_member_fields(conn, member.id, changes)
    return member.id
