"""Candidates through to official membership (domain.md §1.1–§1.3).

A candidate (quần chúng ưu tú) is followed by a cell; each step of the dossier is one ``candidate_steps`` row
with its date and reference. The rules themselves live in :mod:`dangvien_cli.rules.admission`; this module
gathers the facts they need, passes the committee's settings, and writes nothing when a rule refuses (the
whole command is one transaction). Refusals name the section of domain.md they come from.

The ceremony makes the candidate a probationary member through :func:`services.members.add_member`, so every
member check and the 'created' history event apply; the candidate's file is kept and linked
(``candidates.member_id``). Recognition makes the member official from the day the twelve months end (§1.3).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta

from sqlmodel import Session, select

from dangvien_cli.errors import Conflict, InvalidValue, NotFound, RuleViolation
from dangvien_cli.rules import admission as rules
from dangvien_cli.rules.dates import earliest, format_vi, today
from dangvien_cli.rules.membership import ON_ROLL
from dangvien_cli.rules.workdays import default_calendar
from dangvien_cli.services import members as member_svc
from dangvien_cli.services.common import date_value, get_cell, get_member, member_event
from dangvien_cli.services.settings import effective
from dangvien_cli.store.database import now_iso
from dangvien_cli.store.models import Candidate, CandidateIntroducer, CandidateStep, Cell, Member, MemberGap
from dangvien_cli.text import collation_key, normalize_text, search_key

# Steps a clerk records with `admissions record` (contract.md), in dossier order.
RECORDABLE = (
    "course",
    "application",
    "introduced",
    "biography_verified",
    "cell_resolution",
    "committee_resolution",
    "decision",
    "ceremony",
)
STEP_LABELS = dict(rules.STEP_LABELS_VI) | {
    "biography_verified": "thẩm tra lý lịch người vào Đảng",
    "recognition_resolution": "nghị quyết chi bộ đề nghị công nhận chính thức",
    "recognition": "công nhận đảng viên chính thức",
}
STATUSES = {
    "following": "Đang bồi dưỡng",
    "probationary": "Đảng viên dự bị",
    "official": "Đảng viên chính thức",
    "not_recognized": "Không được công nhận chính thức",
    "withdrawn": "Thôi theo dõi",
}
WHAT_LABELS = {
    "certificate_expiry": "Giấy chứng nhận nhận thức về Đảng hết hạn",
    "decision": "Quyết định kết nạp",
    "ceremony": "Lễ kết nạp",
    "probation_end": "Hết 12 tháng dự bị",
    "recognition": "Xét công nhận chính thức",
}
NOT_RECOGNIZED_GROUND = "không được công nhận đảng viên chính thức"


@contextmanager
def cited() -> Iterator[None]:
    """Make every rule refusal name its section of domain.md in the message the clerk reads."""
    try:
        yield
    except RuleViolation as exc:
        if exc.rule and "§" not in exc.message:
            exc.message = f"{exc.message} (domain.md {exc.rule})"
        raise


def _refuse(message: str, rule: str, hint: str | None = None) -> RuleViolation:
    return RuleViolation(f"{message} (domain.md {rule})", hint=hint, rule=rule)


def _d(iso: str) -> Date:
    return Date.fromisoformat(iso)


# --- look-ups
def get_candidate(session: Session, ref: str | int) -> Candidate:
    text = str(ref).strip()
    candidate = session.get(Candidate, int(text)) if text.isdigit() and len(text) <= 9 else None
    if candidate is None and len(text) == 12 and text.isdigit():
        candidate = session.exec(
            select(Candidate).where(Candidate.national_id == text).order_by(Candidate.id.desc())
        ).first()
    if candidate is None:
        raise NotFound(
            f"Không có người vào Đảng mã số '{text}'.", hint="Xem danh sách bằng 'dangvien admissions list'."
        )
    return candidate


def steps_of(session: Session, candidate_id: int) -> dict[str, CandidateStep]:
    rows = session.exec(select(CandidateStep).where(CandidateStep.candidate_id == candidate_id)).all()
    return {r.step: r for r in rows}


def _details(step: CandidateStep | None) -> dict:
    if step is None or not step.details:
        return {}
    try:
        return json.loads(step.details)
    except ValueError:
        return {}


# --- add
@dataclass
class CandidateInput:
    full_name: str
    cell: str
    birth_date: str
    gender: str | None = None
    national_id: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    hometown: str | None = None
    residence: str | None = None
    occupation: str | None = None
    education_general: str | None = None
    youth_union_member: bool = False
    helper: str | None = None
    over_60_approval: str | None = None
    previous_member: str | None = None
    note: str | None = None


def readmission_reason(member: Member, given: str | None = None) -> str:
    """The ground on which a former member left, as a code of rules.admission.READMISSION_REASONS (§1.3).

    ``given`` (the clerk's code) wins; else the record's reason when it is a code or its Vietnamese label;
    else the leaving status (resigned, expelled; xóa tên without a known ground is 'other').
    """
    if given:
        if given not in rules.READMISSION_REASONS:
            raise InvalidValue(
                f"Không có lý do ra khỏi Đảng '{given}'.",
                hint="Các mã lý do: " + ", ".join(rules.READMISSION_REASONS) + ".",
            )
        return given
    ground = (member.status_reason or "").strip()
    if ground in rules.READMISSION_REASONS:
        return ground
    for code, label in rules.READMISSION_REASONS.items():
        if ground.casefold() == label.casefold():
            return code
    return {"resigned": "resigned", "expelled": "expelled"}.get(member.status, "other")


def _previous_member(session: Session, ref: str) -> Member:
    previous = get_member(session, ref)
    if previous.status in ON_ROLL:
        raise _refuse(
            f"Đảng viên mã số {previous.id} vẫn đang trong danh sách đảng viên, không thể kết nạp lại.",
            "§1.3",
            hint="--previous-member chỉ ghi hồ sơ của người đã ra khỏi Đảng.",
        )
    if previous.status in ("transferred_out", "deceased"):
        raise InvalidValue(
            f"Hồ sơ mã số {previous.id} không phải của người đã ra khỏi Đảng "
            f"({member_svc.STATUSES[previous.status]}).",
            hint="Ghi hồ sơ có trạng thái xóa tên, khai trừ hoặc xin ra khỏi Đảng.",
        )
    return previous


def add_candidate(session: Session, data: CandidateInput, *, source: str = "admissions add") -> Candidate:
    name = normalize_text(data.full_name)
    if not name:
        raise InvalidValue("Họ và tên không được để trống.")
    birth = date_value(data.birth_date, "Ngày sinh")
    if birth is None:
        raise InvalidValue("Thiếu ngày sinh.", hint="Ghi --birth-date dd/mm/yyyy.")
    gender = member_svc.normalize_gender(data.gender)
    national_id = member_svc.normalize_national_id(data.national_id)
    cell = get_cell(session, data.cell)
    member_svc.check_member_cell(cell)
    if national_id:
        member = session.exec(select(Member).where(Member.national_id == national_id)).first()
        if member is not None and member.status in ON_ROLL:
            raise Conflict(
                f"Số định danh cá nhân {national_id} là của đảng viên mã số {member.id}.",
                hint="Người này đã là đảng viên; không theo dõi kết nạp nữa.",
            )
        other = session.exec(
            select(Candidate).where(Candidate.national_id == national_id, Candidate.status == "following")
        ).first()
        if other is not None:
            raise Conflict(
                f"Số định danh cá nhân {national_id} đã có trong hồ sơ người vào Đảng mã số {other.id}.",
                hint=f"Xem hồ sơ đó: dangvien admissions show {other.id}.",
            )
    helper_id = None
    if data.helper:
        helper = get_member(session, data.helper)
        if helper.status not in ON_ROLL or helper.membership != "official":
            raise _refuse(
                f"Người được phân công giúp đỡ (mã số {helper.id}) phải là đảng viên chính thức "
                "đang sinh hoạt.",
                "§1.2",
                hint="Chi bộ phân công một đảng viên chính thức khác.",
            )
        helper_id = helper.id
    previous_id = None
    if data.previous_member:
        previous = _previous_member(session, data.previous_member)
        reason = readmission_reason(previous)
        if reason in rules.NEVER_READMITTED and reason != "resigned":
            with cited():
                rules.check_readmission(
                    reason, previous.status_date or previous.admission_date or "1900", today()
                )
        previous_id = previous.id
    stamp = now_iso()
    candidate = Candidate(
        full_name=name,
        search_key=search_key(name),
        sort_key=collation_key(name),
        gender=gender,
        birth_date=birth,
        ethnicity=normalize_text(data.ethnicity),
        religion=normalize_text(data.religion),
        hometown=normalize_text(data.hometown),
        residence=normalize_text(data.residence),
        national_id=national_id,
        occupation=normalize_text(data.occupation),
        education_general=normalize_text(data.education_general),
        youth_union_member=int(bool(data.youth_union_member)),
        cell_id=cell.id,
        helper_member_id=helper_id,
        over_60_approval=normalize_text(data.over_60_approval),
        previous_member_id=previous_id,
        note=normalize_text(data.note),
        created_at=stamp,
        updated_at=stamp,
    )
    session.add(candidate)
    session.flush()
    return candidate


# --- record a step
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
    note: str | None = None


def _status_on(member: Member, on: Date) -> str:
    """The member's status on ``on``: one who left after that day was still active then."""
    if member.status != "active" and member.status_date and earliest(member.status_date) > on:
        return "active"
    return member.status


def _membership_on(member: Member, on: Date) -> str | None:
    """None when the person was not yet a member on ``on``; the rule checks the official date."""
    if member.admission_date and earliest(member.admission_date) > on:
        return None
    return member.membership


def _record_introducers(
    session: Session, candidate: Candidate, data: StepInput, on: Date, settings: dict, existing: bool
) -> list[CandidateIntroducer]:
    if data.together_since and len(data.together_since) not in (1, len(data.introducers)):
        raise InvalidValue(
            f"Có {len(data.introducers)} người giới thiệu nhưng {len(data.together_since)} "
            "ngày --together-since.",
            hint="Ghi một --together-since cho mỗi --introducer, theo cùng thứ tự.",
        )
    rows: list[CandidateIntroducer] = []
    seen = {
        r.member_id
        for r in session.exec(
            select(CandidateIntroducer).where(
                CandidateIntroducer.candidate_id == candidate.id, CandidateIntroducer.kind == "member"
            )
        ).all()
    }
    stamp = now_iso()
    for index, ref in enumerate(data.introducers):
        member = get_member(session, ref)
        if member.id in seen:
            raise Conflict(f"Đảng viên mã số {member.id} đã là người giới thiệu người này.")
        if candidate.previous_member_id == member.id:
            raise InvalidValue("Người giới thiệu không thể là chính người vào Đảng.")
        seen.add(member.id)
        since_text = (
            data.together_since[index]
            if len(data.together_since) > 1
            else (data.together_since[0] if data.together_since else None)
        )
        since = date_value(since_text, "Ngày bắt đầu cùng công tác, học tập, cư trú")
        with cited():
            try:
                rules.check_introducer(
                    membership=_membership_on(member, on),
                    official_date=member.official_date,
                    status=_status_on(member, on),
                    together_since=since,
                    on=on,
                    replacement=data.replacement,
                    months_together=int(settings["admission.introducer_months_together"]),
                )
            except RuleViolation as exc:
                exc.message = f"{member.full_name} (mã số {member.id}) — {exc.message}"
                raise
        rows.append(
            CandidateIntroducer(
                candidate_id=candidate.id,
                kind="member",
                member_id=member.id,
                together_since=since,
                introduced_date=on.isoformat(),
                replacement=int(data.replacement),
                reference=normalize_text(data.reference),
                created_at=stamp,
            )
        )
    for kind, ref in (
        ("youth_union", data.youth_union_resolution),
        ("trade_union", data.trade_union_resolution),
    ):
        if ref:
            rows.append(
                CandidateIntroducer(
                    candidate_id=candidate.id,
                    kind=kind,
                    member_id=None,
                    introduced_date=on.isoformat(),
                    reference=normalize_text(ref),
                    created_at=stamp,
                )
            )
    if not existing:
        unions = sum(1 for r in rows if r.kind != "member")
        if unions > 1:
            raise InvalidValue("Chỉ ghi một nghị quyết giới thiệu: của Đoàn hoặc của Công đoàn.")
        with cited():
            rules.check_introduction_set(
                sum(1 for r in rows if r.kind == "member"), union_resolution=unions == 1
            )
    elif not data.replacement:
        raise Conflict(
            "Bước giới thiệu đã được ghi.",
            hint="Người giới thiệu được chi bộ phân công thay thì ghi thêm với --replacement.",
        )
    for row in rows:
        session.add(row)
    return rows


def _check_cell_resolution(
    session: Session,
    candidate: Candidate,
    steps: dict[str, CandidateStep],
    on: Date,
    data: StepInput,
    settings: dict,
) -> dict:
    """The conditions checked on the day the cell considers the case (§1.1, §1.3)."""
    facts: dict = {}
    with cited():
        age = rules.check_age(
            candidate.birth_date,
            on,
            over_60_approved=bool(candidate.over_60_approval),
            min_months=int(settings["admission.min_age_months"]),
            max_months=int(settings["admission.max_age_months"]),
        )
        facts["age_months"] = age
        course = steps.get("course")
        expiry = rules.check_certificate(
            course.date if course else None, on, int(settings["admission.certificate_valid_years"])
        )
        facts["certificate_expiry"] = expiry.isoformat()
        if candidate.previous_member_id is not None:
            previous = session.get(Member, candidate.previous_member_id)
            reason = readmission_reason(previous, data.previous_reason)
            left = previous.status_date
            if not left:
                raise _refuse(
                    f"Hồ sơ cũ (mã số {previous.id}) chưa ghi ngày ra khỏi Đảng nên chưa tính được "
                    "thời gian chờ kết nạp lại.",
                    "§1.3",
                    hint="Ghi ngày ra khỏi Đảng vào hồ sơ cũ trước.",
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
            facts["readmission"] = {
                "previous_member_id": previous.id,
                "reason": reason,
                "record_cleared": cleared,
                "family_hardship": data.family_hardship,
                "eligible_from": eligible.isoformat(),
            }
    return facts



def _readmit(session: Session, candidate: Candidate, cell: Cell, decision: str, ceremony: str, source: str,
             reference: str | None) -> Member:
    """Readmission (domain.md §1.3, §1.4): the member's own record comes back as probationary, so that the
    personal id and card stay with one person and party age runs from the first admission decision minus the
    time outside the Party, recorded as a gap that ends at the new decision."""
    member = session.get(Member, candidate.previous_member_id)
    if member.status in ON_ROLL:
        raise RuleViolation(f"Đảng viên mã số {member.id} vẫn đang trong danh sách, không cần kết nạp lại.")
    if candidate.national_id and candidate.national_id != member.national_id:
        member_svc.update_member(session, str(member.id), {"national_id": candidate.national_id}, source=source)
    open_gaps = session.exec(select(MemberGap).where(MemberGap.member_id == member.id,
                                                     MemberGap.end_date.is_(None))).all()
    for gap in open_gaps:
        gap.end_date = decision
        session.add(gap)
    if not open_gaps and member.status_date:
        session.add(MemberGap(member_id=member.id, kind="other", start_date=member.status_date, end_date=decision,
                              note=f"Ra khỏi Đảng ({member.status}) đến khi kết nạp lại", created_at=now_iso()))
    if member.decision_date is None and member.admission_date:
        # Party age counts from the first admission decision, else the first admission date (§1.4); keep it
        # before the admission date becomes the new ceremony's.
        member_event(session, member.id, "readmitted", source=source, field="decision_date", old=None,
                     new=member.admission_date, date=ceremony,
                     reference="ngày kết nạp lần đầu, thay cho ngày quyết định chưa ghi (§1.4)")
        member.decision_date = member.admission_date
    for field, new in (("status", "active"), ("membership", "probationary"), ("admission_date", ceremony),
                       ("official_date", None), ("cell_id", cell.id)):
        old = getattr(member, field)
        if old == new:
            continue
        if field == "cell_id":
            member_event(session, member.id, "readmitted", source=source, field="cell",
                         old=member_svc.cell_label(session.get(Cell, old)), new=member_svc.cell_label(cell),
                         date=ceremony, reference=normalize_text(reference))
        else:
            member_event(session, member.id, "readmitted", source=source, field=field, old=old, new=new,
                         date=ceremony, reference=normalize_text(reference))
        setattr(member, field, new)
    member.status_date = ceremony
    member.status_reason = None
    member.status_reference = None
    member.updated_at = now_iso()
    session.add(member)
    session.flush()
    return member

def record_step(session: Session, ref: str, data: StepInput, *, source: str = "admissions record") -> dict:
    """Record one step; returns {candidate_id, step, date, member_id, warnings}."""
    candidate = get_candidate(session, ref)
    step = data.step
    if step in ("recognition", "recognition_resolution"):
        raise InvalidValue(
            "Công nhận đảng viên chính thức ghi bằng lệnh riêng.",
            hint="Dùng: dangvien admissions recognize MÃ_ĐẢNG_VIÊN --date dd/mm/yyyy --ref ...",
        )
    if step not in RECORDABLE:
        raise InvalidValue(f"Không có bước '{step}'.", hint="Các bước: " + ", ".join(RECORDABLE) + ".")
    if candidate.status != "following":
        raise _refuse(
            f"Hồ sơ người vào Đảng mã số {candidate.id} đang ở tình trạng '{STATUSES[candidate.status]}'; "
            "không ghi thêm bước kết nạp.",
            "§1.2",
        )
    iso = date_value(data.date, f"Ngày {STEP_LABELS[step]}")
    if iso is None or len(iso) != 10:
        raise InvalidValue("Ngày của bước phải đầy đủ ngày/tháng/năm.", hint="Ghi --date dd/mm/yyyy.")
    on = _d(iso)
    settings = effective(session)
    cell = session.get(Cell, candidate.cell_id)
    steps = steps_of(session, candidate.id)
    existing = step in steps
    if existing and not (step == "introduced" and data.replacement):
        raise Conflict(
            f"Bước '{STEP_LABELS[step]}' đã ghi ngày {format_vi(steps[step].date)}.",
            hint=f"Xem hồ sơ: dangvien admissions show {candidate.id}.",
        )
    if data.over_60_approval:
        candidate.over_60_approval = normalize_text(data.over_60_approval)
    recorded = {k: v.date for k, v in steps.items()}
    if step == "biography_verified":
        later = steps.get("cell_resolution")
        if later and later.date < iso:
            raise _refuse(
                f"Thẩm tra lý lịch ngày {format_vi(iso)} lại sau nghị quyết chi bộ ngày "
                f"{format_vi(later.date)}.",
                "§1.2",
                hint="Lý lịch được thẩm tra trước khi chi bộ xét.",
            )
    elif not (existing and step == "introduced"):
        with cited():
            rules.check_step_order(
                recorded, step, iso, committee_resolution_required=cell.kind != "grassroots_cell"
            )
    details: dict = {}
    warnings: list[str] = []
    calendar = default_calendar()
    if step == "introduced":
        rows = _record_introducers(session, candidate, data, on, settings, existing)
        details["introducers"] = [r.member_id for r in rows if r.kind == "member"]
        if existing:
            session.add(candidate)
            return {
                "candidate_id": candidate.id,
                "step": step,
                "date": iso,
                "member_id": None,
                "warnings": warnings,
            }
    elif data.introducers or data.youth_union_resolution or data.trade_union_resolution:
        raise InvalidValue("Người giới thiệu chỉ ghi ở bước 'introduced'.")
    if step == "cell_resolution":
        details |= _check_cell_resolution(session, candidate, steps, on, data, settings)
    if step == "decision":
        proposal = steps["cell_resolution"].date
        due = rules.decision_due(proposal, calendar, int(settings["admission.decision_deadline_workdays"]))
        details["decision_due"] = due.isoformat()
        if on > due:
            warnings.append(
                f"Quyết định kết nạp ngày {format_vi(iso)} quá hạn {format_vi(due.isoformat())} "
                "(60 ngày làm việc kể từ nghị quyết chi bộ, domain.md §1.3)."
            )
    member_id = None
    if step == "ceremony":
        decision = steps["decision"].date
        due = rules.ceremony_due(decision, calendar, int(settings["admission.ceremony_deadline_workdays"]))
        details["ceremony_due"] = due.isoformat()
        if on > due:
            warnings.append(
                f"Lễ kết nạp ngày {format_vi(iso)} quá hạn {format_vi(due.isoformat())} (30 ngày làm "
                "việc kể từ quyết định); cần ý kiến đồng ý của cấp ủy cấp trên (domain.md §1.3)."
            )
        if candidate.previous_member_id is not None:
            member = _readmit(session, candidate, cell, decision, iso, source, data.reference)
        else:
            member = member_svc.add_member(
                session,
                member_svc.MemberInput(
                    full_name=candidate.full_name,
                    cell=cell.code,
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
                source=source,
            )
        member_event(
            session,
            member.id,
            "admitted",
            source=source,
            field="membership",
            new="probationary",
            date=iso,
            reference=normalize_text(data.reference),
        )
        member_id = member.id
        linked = session.exec(select(Candidate).where(Candidate.member_id == member.id)).first()
        if linked is None:  # a readmitted member may still be linked to the file of their first admission
            candidate.member_id = member.id
        candidate.status = "probationary"
        details["probation_end"] = rules.probation_end(
            iso, int(settings["admission.probation_months"])
        ).isoformat()
    if data.note:
        details["note"] = normalize_text(data.note)
    session.add(
        CandidateStep(
            candidate_id=candidate.id,
            step=step,
            date=iso,
            reference=normalize_text(data.reference),
            issuer=normalize_text(data.issuer),
            details=json.dumps(details, ensure_ascii=False) if details else None,
            source=source,
            created_at=now_iso(),
        )
    )
    candidate.updated_at = now_iso()
    session.add(candidate)
    session.flush()
    return {
        "candidate_id": candidate.id,
        "step": step,
        "date": iso,
        "member_id": member_id,
        "warnings": warnings,
    }


# --- recognition and removal
def _candidate_of(session: Session, member_id: int) -> Candidate | None:
    return session.exec(select(Candidate).where(Candidate.member_id == member_id)).first()


def _probationary(member: Member, what: str) -> None:
    if member.membership != "probationary":
        raise _refuse(f"Đảng viên mã số {member.id} không phải là đảng viên dự bị; không thể {what}.", "§1.3")
    if member.status not in ON_ROLL:
        raise _refuse(
            f"Đảng viên mã số {member.id} không còn trong danh sách "
            f"({member_svc.STATUSES[member.status]}); không thể {what}.",
            "§1.3",
        )
    if not member.admission_date:
        raise _refuse(
            f"Hồ sơ đảng viên mã số {member.id} chưa có ngày vào Đảng (lễ kết nạp), nên chưa tính "
            "được 12 tháng dự bị.",
            "§1.3",
            hint=f"Ghi ngày vào Đảng: dangvien members update {member.id} --admission-date dd/mm/yyyy.",
        )


def recognize(
    session: Session,
    ref: str,
    *,
    date: str,
    reference: str | None = None,
    resolution_date: str | None = None,
    source: str = "admissions recognize",
) -> dict:
    """Official from the day the 12 months end, whatever day the approval came (§1.3)."""
    member = get_member(session, ref)
    _probationary(member, "công nhận chính thức")
    approved = date_value(date, "Ngày công nhận chính thức")
    resolution = date_value(resolution_date, "Ngày nghị quyết chi bộ") or approved
    if approved is None:
        raise InvalidValue("Thiếu ngày.", hint="Ghi --date dd/mm/yyyy.")
    if resolution > approved:
        raise InvalidValue("Nghị quyết chi bộ lại sau quyết định công nhận.")
    settings = effective(session)
    months = int(settings["admission.probation_months"])
    with cited():
        official = rules.check_recognition(member.admission_date, resolution, months)
        if approved != resolution:
            rules.check_recognition(member.admission_date, approved, months)
    member_svc.update_member(
        session,
        str(member.id),
        {"membership": "official", "official_date": official.isoformat()},
        source=source,
        reference=reference,
    )
    member_event(
        session,
        member.id,
        "recognized",
        source=source,
        field="membership",
        old="probationary",
        new="official",
        date=official.isoformat(),
        reference=normalize_text(reference),
    )
    candidate = _candidate_of(session, member.id)
    if candidate is not None:
        stamp = now_iso()
        if resolution != approved:
            session.add(
                CandidateStep(
                    candidate_id=candidate.id,
                    step="recognition_resolution",
                    date=resolution,
                    source=source,
                    created_at=stamp,
                )
            )
        session.add(
            CandidateStep(
                candidate_id=candidate.id,
                step="recognition",
                date=approved,
                reference=normalize_text(reference),
                details=json.dumps({"official_date": official.isoformat()}),
                source=source,
                created_at=stamp,
            )
        )
        candidate.status = "official"
        candidate.updated_at = stamp
        session.add(candidate)
    due = rules.recognition_due(
        official, default_calendar(), int(settings["admission.recognition_deadline_workdays"])
    )
    warnings = []
    if _d(resolution) > due:
        warnings.append(
            f"Chi bộ xét công nhận ngày {format_vi(resolution)}, quá hạn {format_vi(due.isoformat())} "
            "(30 ngày làm việc sau khi hết 12 tháng dự bị, domain.md §1.3)."
        )
    return {
        "member_id": member.id,
        "candidate_id": candidate.id if candidate else None,
        "official_date": official.isoformat(),
        "approved": approved,
        "warnings": warnings,
    }


def reject(
    session: Session,
    ref: str,
    *,
    date: str,
    reference: str | None,
    ground: str | None = None,
    source: str = "admissions reject",
) -> dict:
    """A probationary member not recognized is removed from the list (xóa tên, Charter Art. 5.2, §1.3)."""
    member = get_member(session, ref)
    _probationary(member, "xóa tên đảng viên dự bị")
    if not reference:
        raise _refuse(
            "Xóa tên đảng viên dự bị cần số quyết định của cấp ủy có thẩm quyền.",
            "§1.3",
            hint='Ghi --ref "số quyết định".',
        )
    result = member_svc.leave(
        session,
        str(member.id),
        reason="removed",
        date=date,
        reference=reference,
        ground=ground or NOT_RECOGNIZED_GROUND,
        source=source,
    )
    candidate = _candidate_of(session, member.id)
    if candidate is not None:
        candidate.status = "not_recognized"
        candidate.updated_at = now_iso()
        session.add(candidate)
    return result | {"candidate_id": candidate.id if candidate else None}


# --- read
def _next_step(candidate: Candidate, steps: dict, cell: Cell | None) -> str | None:
    if candidate.status == "probationary":
        return "recognition"
    if candidate.status != "following":
        return None
    for step in rules.STEPS[:-1]:  # every step up to the ceremony; recognition has its own command
        if step == "committee_resolution" and cell is not None and cell.kind == "grassroots_cell":
            continue
        if step not in steps:
            return step
    return None


def candidate_dict(session: Session, candidate: Candidate, steps: dict | None = None) -> dict:
    cell = session.get(Cell, candidate.cell_id)
    steps = steps_of(session, candidate.id) if steps is None else steps
    last = max(steps.values(), key=lambda s: (s.date, s.id), default=None)
    return {
        "id": candidate.id,
        "full_name": candidate.full_name,
        "gender": candidate.gender,
        "birth_date": candidate.birth_date,
        "ethnicity": candidate.ethnicity,
        "religion": candidate.religion,
        "hometown": candidate.hometown,
        "residence": candidate.residence,
        "national_id": candidate.national_id,
        "occupation": candidate.occupation,
        "education_general": candidate.education_general,
        "youth_union_member": bool(candidate.youth_union_member),
        "cell_code": cell.code if cell else None,
        "cell_name": cell.name if cell else None,
        "helper_member_id": candidate.helper_member_id,
        "over_60_approval": candidate.over_60_approval,
        "previous_member_id": candidate.previous_member_id,
        "status": candidate.status,
        "member_id": candidate.member_id,
        "last_step": last.step if last else None,
        "last_step_date": last.date if last else None,
        "next_step": _next_step(candidate, steps, cell),
        "note": candidate.note,
    }


def list_candidates(session: Session, *, cell: str | None = None, status: str | None = None) -> list[dict]:
    from dangvien_cli.services.cells import descendant_ids

    query = select(Candidate)
    if cell:
        query = query.where(Candidate.cell_id.in_(descendant_ids(session, get_cell(session, cell).id)))
    if status and status != "all":
        if status not in STATUSES:
            raise InvalidValue(f"Trạng thái '{status}' không có.", hint="Dùng: all, " + ", ".join(STATUSES))
        query = query.where(Candidate.status == status)
    rows = session.exec(query.order_by(Candidate.sort_key, Candidate.id)).all()
    return [candidate_dict(session, c) for c in rows]


def show_candidate(session: Session, ref: str) -> dict:
    candidate = get_candidate(session, ref)
    steps = steps_of(session, candidate.id)
    data = candidate_dict(session, candidate, steps)
    order = {s: i for i, s in enumerate((*RECORDABLE, "recognition_resolution", "recognition"))}
    data["steps"] = [
        {
            "step": s.step,
            "label": STEP_LABELS.get(s.step, s.step),
            "date": s.date,
            "reference": s.reference,
            "issuer": s.issuer,
            "details": _details(s),
        }
        for s in sorted(steps.values(), key=lambda s: (order.get(s.step, 99), s.date))
    ]
    introducers = []
    for r in session.exec(
        select(CandidateIntroducer)
        .where(CandidateIntroducer.candidate_id == candidate.id)
        .order_by(CandidateIntroducer.id)
    ).all():
        member = session.get(Member, r.member_id) if r.member_id else None
        introducers.append(
            {
                "kind": r.kind,
                "member_id": r.member_id,
                "full_name": member.full_name if member else None,
                "together_since": r.together_since,
                "introduced_date": r.introduced_date,
                "replacement": bool(r.replacement),
                "reference": r.reference,
            }
        )
    data["introducers"] = introducers
    helper = session.get(Member, candidate.helper_member_id) if candidate.helper_member_id else None
    data["helper_name"] = helper.full_name if helper else None
    data["due"] = [
        d for d in due(session, as_of=today().isoformat(), within=36500) if d["candidate_id"] == candidate.id
    ]
    return data


# --- deadlines
def due(
    session: Session, *, as_of: str | None = None, within: int = 30, cell: str | None = None
) -> list[dict]:
    """Pending steps with their last day (§1.1 certificate, §1.3 deadlines), due soon or overdue.

    ``what``: certificate_expiry, decision, ceremony, probation_end (the twelve months end soon), recognition
    (due 30 working days after the twelve months end; listed from the day they end, whatever the horizon,
    since the cell has to act now). Probationary members without a candidate file
    are included (candidate_id null).
    """
    from dangvien_cli.services.cells import descendant_ids

    on = _d(as_of) if as_of else today()
    horizon = on + timedelta(days=within)
    settings = effective(session)
    calendar = default_calendar()
    allowed = set(descendant_ids(session, get_cell(session, cell).id)) if cell else None
    cells = {c.id: c for c in session.exec(select(Cell)).all()}
    items: list[dict] = []

    def add(candidate_id, member_id, name, cell_id, what, when: Date, **extra) -> None:
        if when > horizon and what != "recognition":  # probation over: the recognition is pending now
            return
        c = cells.get(cell_id)
        items.append(
            {
                "candidate_id": candidate_id,
                "member_id": member_id,
                "full_name": name,
                "cell_code": c.code if c else None,
                "what": what,
                "due_date": when.isoformat(),
                "overdue": on > when,
                "days_overdue": (on - when).days if on > when else 0,
                "label": WHAT_LABELS[what],
            }
            | extra
        )

    for candidate in session.exec(
        select(Candidate).where(Candidate.status.in_(("following", "probationary")))
    ):
        if allowed is not None and candidate.cell_id not in allowed:
            continue
        if candidate.status != "following":
            continue
        steps = steps_of(session, candidate.id)
        args = (candidate.id, None, candidate.full_name, candidate.cell_id)
        if "decision" in steps:
            add(
                *args,
                "ceremony",
                rules.ceremony_due(
                    steps["decision"].date, calendar, int(settings["admission.ceremony_deadline_workdays"])
                ),
            )
        elif "cell_resolution" in steps:
            add(
                *args,
                "decision",
                rules.decision_due(
                    steps["cell_resolution"].date,
                    calendar,
                    int(settings["admission.decision_deadline_workdays"]),
                ),
            )
        elif "course" in steps:
            add(
                *args,
                "certificate_expiry",
                rules.certificate_expiry(
                    steps["course"].date, int(settings["admission.certificate_valid_years"])
                ),
            )
    months = int(settings["admission.probation_months"])
    workdays = int(settings["admission.recognition_deadline_workdays"])
    members = session.exec(
        select(Member).where(
            Member.membership == "probationary",
            Member.status.in_(ON_ROLL),
            Member.admission_date.is_not(None),
        )
    ).all()
    by_member = {
        c.member_id: c.id for c in session.exec(select(Candidate).where(Candidate.member_id.is_not(None)))
    }
    for member in members:
        if allowed is not None and member.cell_id not in allowed:
            continue
        end = rules.probation_end(member.admission_date, months)
        args = (by_member.get(member.id), member.id, member.full_name, member.cell_id)
        if on < end:
            add(*args, "probation_end", end)
        else:
            add(
                *args,
                "recognition",
                rules.recognition_due(end, calendar, workdays),
                probation_end=end.isoformat(),
            )
    items.sort(key=lambda r: (r["due_date"], r["full_name"]))
    return items
