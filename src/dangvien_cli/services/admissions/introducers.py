"""Introducers (người giới thiệu, domain.md §1.1): two official members, or a Youth Union / trade-union
resolution and one official member; a replacement assigned by the cell later."""

from __future__ import annotations

from datetime import date as Date

from dangvien_cli.errors import Conflict, InvalidValue, RuleViolation
from dangvien_cli.rules import admission as rules
from dangvien_cli.rules.dates import earliest
from dangvien_cli.services.values import date_value
from dangvien_cli.store import admissions as store
from dangvien_cli.store import members as store_members
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.text import normalize_text


def _status_on(member: Record, on: Date) -> str:
    """The member's status on ``on``: one who left after that day was still active then."""
    if member.status != "active" and member.status_date and earliest(member.status_date) > on:
        return "active"
    return member.status


def _membership_on(member: Record, on: Date) -> str | None:
    """None when the person was not yet a member on ``on``; the rule checks the official date."""
    if member.admission_date and earliest(member.admission_date) > on:
        return None
    return member.membership


def record_introducers(conn: Connection, candidate: Record, data, on: Date, settings: dict,
                       existing: bool) -> list[dict]:
    """Check every introducer of the step, then write them; returns the rows written (kind, member_id).

    ``existing``: the step is already recorded, so only a replacement introducer may be added."""
    if data.together_since and len(data.together_since) not in (1, len(data.introducers)):
        raise InvalidValue(
            f"Có {len(data.introducers)} người giới thiệu nhưng {len(data.together_since)} "
            "ngày --together-since.",
            hint="Ghi một --together-since cho mỗi --introducer, theo cùng thứ tự.",
        )
    rows: list[dict] = []
    seen = store.introducer_member_ids(conn, candidate.id)
    for index, ref in enumerate(data.introducers):
        member = store_members.by_ref(conn, ref)
        if member.id in seen:
            raise Conflict(f"Đảng viên mã số {member.id} đã là người giới thiệu người này.",
                           hint=f"Bỏ --introducer {ref}; xem người giới thiệu đã ghi: "
                           f"dangvien admissions show {candidate.id}.")
        if candidate.previous_member_id == member.id:
            raise InvalidValue("Người giới thiệu không thể là chính người vào Đảng.",
                               hint="Ghi --introducer là một đảng viên chính thức khác.")
        seen.add(member.id)
        since_text = (
            data.together_since[index]
            if len(data.together_since) > 1
            else (data.together_since[0] if data.together_since else None)
        )
        since = date_value(since_text, "Ngày bắt đầu cùng công tác, học tập, cư trú")
        try:
            rules.check_introducer(
                membership=_membership_on(member, on),
                official_date=member.official_date,
                status=_status_on(member, on),
                together_since=since,
                on=on,
                replacement=data.replacement,
                months_together=int(settings["admission.introducer_months_together"]),
                member=member.id,
            )
        except RuleViolation as exc:
            exc.message = f"{member.full_name} (mã số {member.id}) — {exc.message}"
            raise
        rows.append({"kind": "member", "member_id": member.id, "together_since": since,
                     "replacement": data.replacement, "reference": normalize_text(data.reference)})
    for kind, ref in (
        ("youth_union", data.youth_union_resolution),
        ("trade_union", data.trade_union_resolution),
    ):
        if ref:
            rows.append({"kind": kind, "member_id": None, "together_since": None, "replacement": False,
                         "reference": normalize_text(ref)})
    if not existing:
        unions = sum(1 for r in rows if r["kind"] != "member")
        if unions > 1:
            raise InvalidValue("Chỉ ghi một nghị quyết giới thiệu: của Đoàn hoặc của Công đoàn.",
                               hint="Ghi --youth-union-resolution hoặc --trade-union-resolution, không ghi cả hai.")
        rules.check_introduction_set(sum(1 for r in rows if r["kind"] == "member"), union_resolution=unions == 1,
                                     on=on)
    elif not data.replacement:
        raise Conflict(
            "Bước giới thiệu đã được ghi.",
            hint="Người giới thiệu được chi bộ phân công thay thì ghi thêm với --replacement.",
        )
    for row in rows:
        store.add_introducer(conn, candidate.id, row["kind"], introduced_date=on.isoformat(),
                             member_id=row["member_id"], together_since=row["together_since"],
                             replacement=row["replacement"], reference=row["reference"])
    return rows
