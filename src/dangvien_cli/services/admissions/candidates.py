"""Candidates (quần chúng ưu tú): opening a file, looking it up, listing, showing, closing it (domain.md §1.1–§1.2)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from dangvien_cli.errors import Conflict, InvalidValue, NotFound
from dangvien_cli.rules import admission as rules
from dangvien_cli.rules.dates import format_vi, is_after, today
from dangvien_cli.rules.membership import ON_ROLL
from dangvien_cli.services.admissions import readmission
from dangvien_cli.services.admissions.base import RECORDABLE, refuse
from dangvien_cli.services.values import date_value
from dangvien_cli.store import admissions as store
from dangvien_cli.store import cells as store_cells
from dangvien_cli.store import members as store_members
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.text import collation_key, normalize_text, search_key
from dangvien_cli.vocab import ADMISSION_STEP, CANDIDATE_STATUS, GENDER
from dangvien_cli.vocab.limits import bad_name


# --- look-ups
def get_candidate(conn: Connection, ref: str | int) -> Record:
    """A file by its id, or the newest file of a 12-digit personal id."""
    text = str(ref).strip()
    candidate = store.get(conn, int(text)) if text.isdigit() and len(text) <= 9 else None
    if candidate is None and len(text) == 12 and text.isdigit():
        candidate = store.latest_by_national_id(conn, text)
    if candidate is None:
        raise NotFound(
            f"Không có người vào Đảng mã số '{text}'.", hint="Xem danh sách bằng 'dangvien admissions list'."
        )
    return candidate


def steps_of(conn: Connection, candidate_id: int) -> dict[str, Record]:
    return store.steps_of(conn, candidate_id)


def _details(step: Record | None) -> dict:
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


def add_candidate(conn: Connection, data: CandidateInput, *, source: str = "admissions add") -> Record:
    from dangvien_cli.services import members as member_svc

    name = normalize_text(data.full_name)
    if not name:
        raise InvalidValue("Họ và tên không được để trống.", hint='Ghi --name "Họ và tên".')
    if problem := bad_name(name):
        raise InvalidValue(f"{problem}.", hint='Ghi --name "Họ và tên" như trên giấy tờ.')
    birth = date_value(data.birth_date, "Ngày sinh")
    if birth is None:
        raise InvalidValue("Thiếu ngày sinh.", hint="Ghi --birth-date dd/mm/yyyy.")
    gender = None if data.gender is None else GENDER.parse(data.gender)
    national_id = member_svc.normalize_national_id(data.national_id)
    cell = store_cells.find(conn, data.cell)
    member_svc.check_member_cell(cell)
    if national_id:
        member = store.member_with_national_id(conn, national_id)
        if member is not None and member.status in ON_ROLL:
            raise Conflict(
                f"Số định danh cá nhân {national_id} là của đảng viên mã số {member.id}.",
                hint=f"Người này đã là đảng viên (xem: dangvien members show {member.id}); không theo dõi kết "
                "nạp nữa.",
            )
        other = store.following_with_national_id(conn, national_id)
        if other is not None:
            raise Conflict(
                f"Số định danh cá nhân {national_id} đã có trong hồ sơ người vào Đảng mã số {other.id}.",
                hint=f"Xem hồ sơ đó: dangvien admissions show {other.id}.",
            )
    helper_id = None
    if data.helper:
        helper = store_members.by_ref(conn, data.helper)
        if helper.status not in ON_ROLL or helper.membership != "official":
            raise refuse(
                f"Người được phân công giúp đỡ (mã số {helper.id}) phải là đảng viên chính thức "
                "đang sinh hoạt.",
                rules.DOSSIER, "§1.2",
                hint="Chi bộ phân công một đảng viên chính thức khác: ghi --helper với mã số hoặc số thẻ của "
                "người đó.",
            )
        helper_id = helper.id
    previous_id = None
    if data.previous_member:
        previous = readmission.previous_member(conn, data.previous_member)
        reason = readmission.readmission_reason(previous)
        if reason in rules.NEVER_READMITTED and reason != "resigned":
            rules.check_readmission(reason, previous.status_date or previous.admission_date or "1900", today())
        previous_id = previous.id
    candidate_id = store.insert(conn, {
        "full_name": name,
        "search_key": search_key(name),
        "sort_key": collation_key(name),
        "gender": gender,
        "birth_date": birth,
        "ethnicity": normalize_text(data.ethnicity),
        "religion": normalize_text(data.religion),
        "hometown": normalize_text(data.hometown),
        "residence": normalize_text(data.residence),
        "national_id": national_id,
        "occupation": normalize_text(data.occupation),
        "education_general": normalize_text(data.education_general),
        "youth_union_member": int(bool(data.youth_union_member)),
        "cell_id": cell.id,
        "helper_member_id": helper_id,
        "over_60_approval": normalize_text(data.over_60_approval),
        "previous_member_id": previous_id,
        "note": normalize_text(data.note),
    })
    return store.get(conn, candidate_id)


# --- withdraw
def withdraw(conn: Connection, ref: str, *, date: str, reason: str, source: str = "admissions withdraw") -> dict:
    """Close the file of a candidate the cell stops following (moved away, no longer eligible, declined).

    The file stays, with its steps, as ``withdrawn`` with the day and the reason; it leaves the due list. A
    candidate already admitted is a member: leaving is then the member's own record (``members leave``)."""
    candidate = get_candidate(conn, ref)
    if candidate.status in ("probationary", "official"):
        member = candidate.member_id
        raise refuse(
            f"Người vào Đảng mã số {candidate.id} đã được kết nạp (đảng viên mã số {member}, "
            f"{CANDIDATE_STATUS.label(candidate.status).lower()}); không đóng hồ sơ kết nạp được nữa.",
            None, "§1.9",
            hint=f"Ghi việc ra khỏi Đảng trên hồ sơ đảng viên: dangvien members leave {member} --reason "
            "resigned|removed|expelled|deceased --date dd/mm/yyyy --ref SỐ_QUYẾT_ĐỊNH"
            + (f"; đảng viên dự bị không được công nhận chính thức: dangvien admissions reject {member} "
               "--date dd/mm/yyyy --ref SỐ_QUYẾT_ĐỊNH." if candidate.status == "probationary" else "."),
        )
    if candidate.status == "withdrawn":
        raise Conflict(
            f"Hồ sơ người vào Đảng mã số {candidate.id} đã thôi theo dõi từ ngày "
            f"{format_vi(candidate.withdrawn_date)}.",
            hint=f"Xem hồ sơ: dangvien admissions show {candidate.id}.",
        )
    if candidate.status != "following":
        raise Conflict(
            f"Hồ sơ người vào Đảng mã số {candidate.id} đã đóng ({CANDIDATE_STATUS.label(candidate.status)}).",
            hint=f"Xem hồ sơ: dangvien admissions show {candidate.id}.",
        )
    on = date_value(date, "Ngày thôi theo dõi")
    if on is None:
        raise InvalidValue("Thiếu ngày thôi theo dõi.", hint="Ghi --date dd/mm/yyyy.")
    why = normalize_text(reason)
    if not why:
        raise InvalidValue("Chưa ghi lý do thôi theo dõi.",
                           hint='Ghi --reason, ví dụ --reason "chuyển đi nơi khác" hoặc "không còn đủ điều kiện".')
    steps = store.steps_of(conn, candidate.id)
    last = max(steps.values(), key=lambda s: (s.date, s.id), default=None)
    if last is not None and is_after(last.date, on):
        raise InvalidValue(
            f"Ngày thôi theo dõi {format_vi(on)} trước bước '{ADMISSION_STEP.label(last.step)}' đã ghi ngày "
            f"{format_vi(last.date)}.",
            hint=f"Ghi --date từ ngày {format_vi(last.date)} trở đi.",
        )
    store.update(conn, candidate.id, {"status": "withdrawn", "withdrawn_date": on, "withdrawn_reason": why})
    return {"candidate_id": candidate.id, "status": "withdrawn", "date": on, "reason": why, "source": source}


# --- read
def next_step(candidate: Record, steps: dict, cell: Record | None) -> str | None:
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


def candidate_dict(conn: Connection, candidate: Record, steps: dict | None = None,
                   cell: Record | None = None) -> dict:
    cell = cell if cell is not None else store_cells.get(conn, candidate.cell_id)
    steps = store.steps_of(conn, candidate.id) if steps is None else steps
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
        "next_step": next_step(candidate, steps, cell),
        "withdrawn_date": candidate.withdrawn_date,
        "withdrawn_reason": candidate.withdrawn_reason,
        "note": candidate.note,
    }


def list_candidates(conn: Connection, *, cell: str | None = None, status: str | None = None) -> list[dict]:
    cell_ids = store_cells.subtree_ids(conn, store_cells.find(conn, cell).id) if cell else None
    if status and status != "all":
        if status not in CANDIDATE_STATUS:
            raise InvalidValue(f"Trạng thái '{status}' không có.",
                               hint="Ghi --status là một trong: all, " + ", ".join(CANDIDATE_STATUS.codes) + ".")
    else:
        status = None
    rows = store.listing(conn, cell_ids=cell_ids, status=status)
    steps = store.steps_of_many(conn, [c.id for c in rows])
    cells: dict[int, Record | None] = {}
    for c in rows:
        if c.cell_id not in cells:
            cells[c.cell_id] = store_cells.get(conn, c.cell_id)
    return [candidate_dict(conn, c, steps.get(c.id, {}), cells[c.cell_id]) for c in rows]


def show_candidate(conn: Connection, ref: str) -> dict:
    from dangvien_cli.services.admissions.deadlines import due

    candidate = get_candidate(conn, ref)
    steps = store.steps_of(conn, candidate.id)
    data = candidate_dict(conn, candidate, steps)
    order = {s: i for i, s in enumerate((*RECORDABLE, "recognition_resolution", "recognition"))}
    data["steps"] = [
        {
            "step": s.step,
            "label": ADMISSION_STEP.label(s.step),
            "date": s.date,
            "reference": s.reference,
            "issuer": s.issuer,
            "details": _details(s),
        }
        for s in sorted(steps.values(), key=lambda s: (order.get(s.step, 99), s.date))
    ]
    data["introducers"] = [
        {
            "kind": r.kind,
            "member_id": r.member_id,
            "full_name": r.full_name,
            "together_since": r.together_since,
            "introduced_date": r.introduced_date,
            "replacement": bool(r.replacement),
            "reference": r.reference,
        }
        for r in store.introducers_of(conn, candidate.id)
    ]
    helper = store_members.get(conn, candidate.helper_member_id) if candidate.helper_member_id else None
    data["helper_name"] = helper.full_name if helper else None
    data["due"] = [
        d for d in due(conn, as_of=today().isoformat(), within=36500) if d["candidate_id"] == candidate.id
    ]
    return data
