"""Recording one step of an admission file (domain.md §1.2, §1.3): the checks every step shares, then the
step's own handler from :data:`HANDLERS`, then the step row.

Each handler receives the :class:`StepContext` and adds what its step means: the introducers, the conditions
checked on the day the cell votes, the deadline of the decision, the ceremony that makes a member.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date as Date

from dangvien_cli.errors import Conflict, InvalidValue
from dangvien_cli.rules import admission as rules
from dangvien_cli.rules.dates import format_vi
from dangvien_cli.rules.workdays import WorkCalendar, default_calendar
from dangvien_cli.services.admissions import members as member_calls
from dangvien_cli.services.admissions import readmission
from dangvien_cli.services.admissions.base import RECORDABLE, day, refuse
from dangvien_cli.services.admissions.candidates import get_candidate
from dangvien_cli.services.admissions.introducers import record_introducers
from dangvien_cli.services.settings import effective
from dangvien_cli.services.values import date_value
from dangvien_cli.store import admissions as store
from dangvien_cli.store import audit
from dangvien_cli.store import cells as store_cells
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.text import normalize_text
from dangvien_cli.vocab import ADMISSION_STEP, CANDIDATE_STATUS


@dataclass
class StepInput:
    step: str
    date: str
    reference: str | None = None
    issuer: str | None = None
    introducers: tuple[str, ...] = ()
    together_since: tuple[str, ...] = ()
    replacement: bool = False
    youth_union_resolution: str | None = None
    trade_union_resolution: str | None = None
    over_60_approval: str | None = None
    previous_reason: str | None = None
    record_cleared: str | None = None
    family_hardship: bool = False
    background_check_exempt: bool = False
    note: str | None = None


@dataclass
class StepContext:
    """One `admissions record`: the file, its steps so far, and what the handler adds."""

    conn: Connection
    candidate: Record
    cell: Record
    steps: dict[str, Record]
    data: StepInput
    iso: str
    on: Date
    settings: dict
    calendar: WorkCalendar
    source: str
    existing: bool
    details: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: changes to the file itself, written with the step
    changes: dict = field(default_factory=dict)
    member_id: int | None = None
    #: False when the step adds to one already recorded (a replacement introducer) rather than recording it
    write_step: bool = True

    def setting(self, key: str) -> int:
        return int(self.settings[key])


# --- the handlers, one per step
def _dossier_item(ctx: StepContext) -> None:
    """Course certificate, application, biography verification, committee resolution: the date and the
    document are the whole step; its place in the order is checked before every handler."""


def _introduced(ctx: StepContext) -> None:
    rows = record_introducers(ctx.conn, ctx.candidate, ctx.data, ctx.on, ctx.settings, ctx.existing)
    ctx.details["introducers"] = [r["member_id"] for r in rows if r["kind"] == "member"]
    ctx.write_step = not ctx.existing


def _cell_resolution(ctx: StepContext) -> None:
    """The conditions checked on the day the cell considers the case (§1.1, §1.3)."""
    candidate = ctx.candidate
    ctx.details["age_months"] = rules.check_age(
        candidate.birth_date,
        ctx.on,
        over_60_approved=bool(candidate.over_60_approval),
        min_months=ctx.setting("admission.min_age_months"),
        max_months=ctx.setting("admission.max_age_months"),
    )
    course = ctx.steps.get("course")
    expiry = rules.check_certificate(course.date if course else None, ctx.on,
                                     ctx.setting("admission.certificate_valid_years"), candidate=candidate.id)
    ctx.details["certificate_expiry"] = expiry.isoformat()
    if candidate.previous_member_id is not None:
        ctx.details["readmission"] = readmission.readmission_facts(ctx.conn, candidate, ctx.on, ctx.data,
                                                                   ctx.settings)


def _decision(ctx: StepContext) -> None:
    due = rules.decision_due(ctx.steps["cell_resolution"].date, ctx.calendar,
                             ctx.setting("admission.decision_deadline_workdays"))
    ctx.details["decision_due"] = due.isoformat()
    if ctx.on > due:
        ctx.warnings.append(
            f"Quyết định kết nạp ngày {format_vi(ctx.iso)} quá hạn {format_vi(due.isoformat())} "
            f"(60 ngày làm việc kể từ nghị quyết chi bộ, {rules.cite('admission.decision_deadline', ctx.on)})."
        )


def _ceremony(ctx: StepContext) -> None:
    """The ceremony makes the candidate a probationary member (a readmitted person: their old record)."""
    from dangvien_cli.services.members import MemberInput

    candidate, iso = ctx.candidate, ctx.iso
    decision = ctx.steps["decision"].date
    due = rules.ceremony_due(decision, ctx.calendar, ctx.setting("admission.ceremony_deadline_workdays"))
    ctx.details["ceremony_due"] = due.isoformat()
    if ctx.on > due:
        ctx.warnings.append(
            f"Lễ kết nạp ngày {format_vi(iso)} quá hạn {format_vi(due.isoformat())} (30 ngày làm "
            "việc kể từ quyết định); cần ý kiến đồng ý của cấp ủy cấp trên "
            f"({rules.cite('admission.ceremony_deadline', ctx.on)})."
        )
    if candidate.previous_member_id is not None:
        member_id = readmission.readmit(ctx.conn, candidate, ctx.cell, decision, iso, ctx.source,
                                        ctx.data.reference)
    else:
        member_id = member_calls.add_member(
            ctx.conn,
            MemberInput(
                full_name=candidate.full_name,
                cell=ctx.cell.code,
                gender=candidate.gender,
                birth_date=candidate.birth_date,
                national_id=candidate.national_id,
                decision_date=decision,
                admission_date=iso,
                membership="probationary",
                ethnicity=candidate.ethnicity,
                religion=candidate.religion,
                hometown=candidate.hometown,
                residence=candidate.residence,
                occupation=candidate.occupation,
                education_general=candidate.education_general,
            ),
            source=ctx.source,
        )
    audit.member_event(ctx.conn, member_id, "admitted", source=ctx.source, field="membership",
                       new="probationary", date=iso, reference=normalize_text(ctx.data.reference))
    ctx.member_id = member_id
    if store.of_member(ctx.conn, member_id) is None:  # a readmitted member may still be linked to the first file
        ctx.changes["member_id"] = member_id
    ctx.changes["status"] = "probationary"
    ctx.details["probation_end"] = rules.probation_end(iso, ctx.setting("admission.probation_months")).isoformat()


HANDLERS: dict[str, Callable[[StepContext], None]] = {
    "course": _dossier_item,
    "application": _dossier_item,
    "introduced": _introduced,
    "biography_verified": _dossier_item,
    "cell_resolution": _cell_resolution,
    "committee_resolution": _dossier_item,
    "decision": _decision,
    "ceremony": _ceremony,
}


# --- the checks every step shares
def _background_check_exemption(candidate: Record, step: str, iso: str, data: StepInput) -> str:
    """--background-check-exempt: the cell votes without the background check, where the regulation in force
    on the day allows it; returns that regulation's citation."""
    if step != "cell_resolution":
        raise InvalidValue("--background-check-exempt chỉ dùng khi ghi nghị quyết chi bộ.",
                           hint=f"Ghi với --step cell_resolution: dangvien admissions record {candidate.id} "
                           "--step cell_resolution --date dd/mm/yyyy --background-check-exempt.")
    exemption = rules.background_check_exemption(iso)
    if exemption is None:
        raise refuse(
            f"Ngày {format_vi(iso)} việc thẩm tra lý lịch người vào Đảng là bắt buộc, không có trường hợp miễn.",
            rules.cite("admission.background_check", iso), "§1.2",
            hint=f"Bỏ --background-check-exempt và ghi bước thẩm tra trước: "
            f"{rules.record_command(candidate.id, 'biography_verified')}.")
    return exemption


def _context(conn: Connection, ref: str, data: StepInput, source: str) -> StepContext:
    candidate = get_candidate(conn, ref)
    step = data.step
    if step in ("recognition", "recognition_resolution"):
        raise InvalidValue(
            "Công nhận đảng viên chính thức ghi bằng lệnh riêng.",
            hint="Dùng: dangvien admissions recognize MÃ_ĐẢNG_VIÊN --date dd/mm/yyyy --ref ...",
        )
    if step not in HANDLERS:
        raise InvalidValue(f"Không có bước '{step}'.",
                           hint="Ghi --step là một trong các bước: " + ", ".join(RECORDABLE) + ".")
    if candidate.status != "following":
        raise refuse(
            f"Hồ sơ người vào Đảng mã số {candidate.id} đang ở tình trạng '{CANDIDATE_STATUS.label(candidate.status)}'; "
            "không ghi thêm bước kết nạp.",
            None, "§1.2",
            hint=("Công nhận chính thức: dangvien admissions recognize "
                  f"{candidate.member_id} --date dd/mm/yyyy --ref SỐ_QUYẾT_ĐỊNH."
                  if candidate.status == "probationary" else
                  f"Xem hồ sơ: dangvien admissions show {candidate.id}."),
        )
    iso = date_value(data.date, f"Ngày {ADMISSION_STEP.label(step)}")
    if iso is None or len(iso) != 10:
        raise InvalidValue("Ngày của bước phải đầy đủ ngày/tháng/năm.", hint="Ghi --date dd/mm/yyyy.")
    steps = store.steps_of(conn, candidate.id)
    existing = step in steps
    if existing and not (step == "introduced" and data.replacement):
        raise Conflict(
            f"Bước '{ADMISSION_STEP.label(step)}' đã ghi ngày {format_vi(steps[step].date)}.",
            hint=f"Xem hồ sơ: dangvien admissions show {candidate.id}.",
        )
    if step != "introduced" and (data.introducers or data.youth_union_resolution or data.trade_union_resolution):
        raise InvalidValue("Người giới thiệu chỉ ghi ở bước 'introduced'.",
                           hint=f"Ghi --introducer với --step introduced: dangvien admissions record {candidate.id} "
                           "--step introduced --date dd/mm/yyyy --introducer MÃ_SỐ --together-since dd/mm/yyyy.")
    exemption = _background_check_exemption(candidate, step, iso, data) if data.background_check_exempt else None
    cell = store_cells.get(conn, candidate.cell_id)
    if not existing:
        rules.check_step_order({k: v.date for k, v in steps.items()}, step, iso,
                               committee_resolution_required=cell.kind != "grassroots_cell",
                               background_check_required=exemption is None, candidate=candidate.id)
    ctx = StepContext(conn=conn, candidate=Record(candidate), cell=cell, steps=steps, data=data, iso=iso,
                      on=day(iso), settings=effective(conn), calendar=default_calendar(), source=source,
                      existing=existing)
    if exemption and "biography_verified" not in steps:
        ctx.details["background_check_exempt"] = exemption
    if data.over_60_approval:
        ctx.candidate["over_60_approval"] = ctx.changes["over_60_approval"] = normalize_text(data.over_60_approval)
    return ctx


def record_step(conn: Connection, ref: str, data: StepInput, *, source: str = "admissions record") -> dict:
    """Record one step; returns {candidate_id, step, date, member_id, warnings}."""
    ctx = _context(conn, ref, data, source)
    HANDLERS[data.step](ctx)
    candidate_id = ctx.candidate.id
    if ctx.write_step:
        if data.note:
            ctx.details["note"] = normalize_text(data.note)
        store.add_step(conn, candidate_id, data.step, ctx.iso, source=source,
                       reference=normalize_text(data.reference), issuer=normalize_text(data.issuer),
                       details=json.dumps(ctx.details, ensure_ascii=False) if ctx.details else None)
        store.update(conn, candidate_id, ctx.changes)
    elif ctx.changes:
        store.update(conn, candidate_id, ctx.changes)
    return {
        "candidate_id": candidate_id,
        "step": data.step,
        "date": ctx.iso,
        "member_id": ctx.member_id,
        "warnings": ctx.warnings,
    }
