"""The end of probation (domain.md §1.3): recognition as an official member, or removal when not recognized."""

from __future__ import annotations

import json

from dangvien_cli.errors import InvalidValue
from dangvien_cli.rules import admission as rules
from dangvien_cli.rules.dates import format_vi
from dangvien_cli.rules.membership import ON_ROLL
from dangvien_cli.rules.workdays import default_calendar
from dangvien_cli.services.admissions import members as member_calls
from dangvien_cli.services.admissions.base import NOT_RECOGNIZED_GROUND, day, refuse
from dangvien_cli.services.settings import effective
from dangvien_cli.services.values import date_value
from dangvien_cli.store import admissions as store
from dangvien_cli.store import audit
from dangvien_cli.store import members as store_members
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.text import normalize_text
from dangvien_cli.vocab import STATUS


def _probationary(member: Record, what: str) -> None:

    if member.membership != "probationary":
        raise refuse(f"Đảng viên mã số {member.id} không phải là đảng viên dự bị; không thể {what}.",
                     rules.PROBATION, "§1.3",
                     hint=f"Xem hồ sơ: dangvien members show {member.id}; đảng viên dự bị có trong "
                     "'dangvien members list --membership probationary'.")
    if member.status not in ON_ROLL:
        raise refuse(
            f"Đảng viên mã số {member.id} không còn trong danh sách "
            f"({STATUS.label(member.status)}); không thể {what}.",
            rules.PROBATION, "§1.3",
            hint=f"Xem hồ sơ và lịch sử: dangvien members history {member.id}.",
        )
    if not member.admission_date:
        raise refuse(
            f"Hồ sơ đảng viên mã số {member.id} chưa có ngày vào Đảng (lễ kết nạp), nên chưa tính "
            "được 12 tháng dự bị.",
            rules.PROBATION, "§1.3",
            hint=f"Ghi ngày vào Đảng: dangvien members update {member.id} --admission-date dd/mm/yyyy.",
        )


def recognize(
    conn: Connection,
    ref: str,
    *,
    date: str,
    reference: str | None = None,
    resolution_date: str | None = None,
    source: str = "admissions recognize",
) -> dict:
    """Official from the day the 12 months end, whatever day the approval came (§1.3)."""
    member = store_members.by_ref(conn, ref)
    _probationary(member, "công nhận chính thức")
    approved = date_value(date, "Ngày công nhận chính thức")
    resolution = date_value(resolution_date, "Ngày nghị quyết chi bộ") or approved
    if approved is None:
        raise InvalidValue("Thiếu ngày.", hint="Ghi --date dd/mm/yyyy.")
    if resolution > approved:
        raise InvalidValue("Nghị quyết chi bộ lại sau quyết định công nhận.",
                           hint="Ghi --resolution-date (ngày nghị quyết chi bộ) không sau --date (ngày quyết định).")
    settings = effective(conn)
    months = int(settings["admission.probation_months"])
    official = rules.check_recognition(member.admission_date, resolution, months)
    if approved != resolution:
        rules.check_recognition(member.admission_date, approved, months)
    member_calls.update_member(conn, member.id, {"membership": "official", "official_date": official.isoformat()},
                               source=source, reference=reference)
    audit.member_event(conn, member.id, "recognized", source=source, field="membership", old="probationary",
                       new="official", date=official.isoformat(), reference=normalize_text(reference))
    candidate = store.of_member(conn, member.id)
    if candidate is not None:
        if resolution != approved:
            store.add_step(conn, candidate.id, "recognition_resolution", resolution, source=source)
        store.add_step(conn, candidate.id, "recognition", approved, source=source,
                       reference=normalize_text(reference),
                       details=json.dumps({"official_date": official.isoformat()}))
        store.update(conn, candidate.id, {"status": "official"})
    due = rules.recognition_due(
        official, default_calendar(), int(settings["admission.recognition_deadline_workdays"])
    )
    warnings = []
    if day(resolution) > due:
        warnings.append(
            f"Chi bộ xét công nhận ngày {format_vi(resolution)}, quá hạn {format_vi(due.isoformat())} "
            "(30 ngày làm việc sau khi hết 12 tháng dự bị, "
            f"{rules.cite('admission.recognition_deadline', resolution)})."
        )
    return {
        "member_id": member.id,
        "candidate_id": candidate.id if candidate else None,
        "official_date": official.isoformat(),
        "approved": approved,
        "warnings": warnings,
    }


def reject(
    conn: Connection,
    ref: str,
    *,
    date: str,
    reference: str | None,
    ground: str | None = None,
    source: str = "admissions reject",
) -> dict:
    """A probationary member not recognized is removed from the list (xóa tên, Charter Art. 5.2, §1.3)."""
    member = store_members.by_ref(conn, ref)
    _probationary(member, "xóa tên đảng viên dự bị")
    if not reference:
        raise refuse(
            "Xóa tên đảng viên dự bị cần số quyết định của cấp ủy có thẩm quyền.",
            rules.PROBATION, "§1.3",
            hint='Ghi --ref "số quyết định".',
        )
    result = member_calls.leave(conn, member.id, reason="removed", date=date, reference=reference,
                                ground=ground or NOT_RECOGNIZED_GROUND, source=source)
    candidate = store.of_member(conn, member.id)
    if candidate is not None:
        store.update(conn, candidate.id, {"status": "not_recognized"})
    return result | {"candidate_id": candidate.id if candidate else None}
