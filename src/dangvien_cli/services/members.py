"""Members: the record, its changes and its history (domain.md §1.4, §1.7–§1.9).

Nothing is deleted: leaving sets a status and writes an event (style.md idiom 7). Each change of a recorded fact
writes one event row naming the field, the old and new value, and the command or file it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date as Date

from dangvien_cli.errors import Conflict, InvalidValue, RuleViolation
from dangvien_cli.rules.chronology import date_problems
from dangvien_cli.rules.dates import date_value, earliest, format_vi, is_after, today
from dangvien_cli.rules.identity import card_problem, clean_number, national_id_problem
from dangvien_cli.rules.membership import ON_ROLL, default_membership
from dangvien_cli.rules.organization import MEMBER_KINDS
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import members as store
from dangvien_cli.store.audit import member_event, refuse_stale
from dangvien_cli.store.cells import label as cell_label
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.store.database import now_iso
from dangvien_cli.text import collation_key, normalize_text, search_key
from dangvien_cli.vocab import (
    EXEMPTION_KIND,
    EXEMPTION_REASON,
    GENDER,
    LEAVE_REASON,
    MEMBER_FIELD,
    MEMBERSHIP,
    ORG_KIND,
    STATUS,
)
from dangvien_cli.vocab.limits import FIELD_LIMITS, bad_name, too_long

TEXT_FIELDS = ("other_name", "ethnicity", "religion", "hometown", "birthplace", "residence", "old_id_number",
               "biography_number", "occupation", "position", "education_general", "education_professional",
               "political_theory", "note")
DATE_FIELDS = ("birth_date", "decision_date", "admission_date", "official_date")
# Every field `members update` may change, one option per JSON key (contract.md).
UPDATABLE = ("full_name", "gender", *DATE_FIELDS, "national_id", "card_number", "membership", *TEXT_FIELDS,
             "seriously_ill_since")


def normalize_national_id(value: str | None) -> str | None:
    """The personal id as typed, checked by the one rule (rules.identity); None for blank."""
    v = normalize_text(value)
    if v is None:
        return None
    v = clean_number(v)
    problem = national_id_problem(v)
    if problem:
        raise InvalidValue(f"{problem}.", hint="Kiểm tra lại số trên thẻ căn cước; số CMND cũ 9 chữ số ghi vào "
                           "--old-id-number.")
    return v


def normalize_card_number(value: str | None) -> str | None:
    """The card number as typed, checked by the one rule (rules.identity); None for blank."""
    v = normalize_text(value)
    if v is None:
        return None
    v = clean_number(v)
    problem = card_problem(v)
    if problem:
        raise InvalidValue(f"{problem}.", hint="Ghi đủ các chữ số in trên thẻ đảng viên, kể cả số 0 ở đầu.")
    return v


def check_dates(values: dict) -> None:
    """The dates of one record in an order that can be true (rules.chronology): the first problem refuses."""
    problems = date_problems(values.get("birth_date"), values.get("decision_date"), values.get("admission_date"),
                             values.get("official_date"))
    if problems:
        first = problems[0]
        raise RuleViolation(f"{first.message}.", hint=f"{first.hint} Căn cứ: {first.rule}.", rule=first.rule)


def _check_unique(conn: Connection, field: str, value: str | None, member_id: int | None) -> None:
    if value is None:
        return
    other = store.holder(conn, field, value)
    if other is not None and other != member_id:
        what = "Số định danh cá nhân" if field == "national_id" else "Số thẻ đảng viên"
        raise Conflict(f"{what} {value} đã thuộc về một đảng viên khác (mã số {other}).",
                       hint="Kiểm tra lại số; nếu cùng một người thì sửa hồ sơ đó (dangvien members update REF) "
                       "thay vì thêm mới.")


def check_member_cell(cell: Record) -> None:
    if cell.valid_to:
        raise RuleViolation(f"Tổ chức '{cell.name}' đã giải thể ngày {format_vi(cell.valid_to)}.",
                            hint="Chọn chi bộ đang hoạt động.")
    if cell.kind not in MEMBER_KINDS:
        raise RuleViolation(
            f"'{cell.name}' là {ORG_KIND.label(cell.kind).lower()}; đảng viên sinh hoạt ở chi bộ hoặc tổ đảng.",
            hint="Ghi mã chi bộ (xem 'dangvien cells tree').", rule="§1.6")


@dataclass
class MemberInput:
    full_name: str
    cell: str
    gender: str | None = None
    birth_date: str | None = None
    card_number: str | None = None
    national_id: str | None = None
    decision_date: str | None = None
    admission_date: str | None = None
    official_date: str | None = None
    membership: str | None = None
    other_name: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    hometown: str | None = None
    birthplace: str | None = None
    residence: str | None = None
    old_id_number: str | None = None
    biography_number: str | None = None
    occupation: str | None = None
    position: str | None = None
    education_general: str | None = None
    education_professional: str | None = None
    political_theory: str | None = None
    note: str | None = None


def _clean(raw: dict) -> dict:
    """Normalise the values a clerk typed; raise InvalidValue naming the field."""
    values: dict = {}
    for key, value in raw.items():
        if key == "full_name":
            name = normalize_text(value)
            if not name:
                raise InvalidValue("Họ và tên không được để trống.")
            problem = bad_name(name)
            if problem:
                raise InvalidValue(f"{problem}.", hint="Ghi --name \"Họ và tên\" như trên giấy tờ.")
            values[key] = name
        elif key == "gender":
            values[key] = None if value is None else GENDER.parse(value)
        elif key in DATE_FIELDS:
            values[key] = date_value(value, MEMBER_FIELD.label(key))
        elif key == "seriously_ill_since":
            # Badges may come early from this day on (domain.md §3): a whole day, as the occasions are.
            values[key] = date_value(value, MEMBER_FIELD.label(key))
            if values[key] is not None and len(values[key]) != 10:
                raise InvalidValue(f"{MEMBER_FIELD.label(key)}: cần đủ ngày, tháng, năm.",
                                   hint="Ví dụ --seriously-ill 15/03/2026; ghi \"\" để bỏ.")
        elif key == "national_id":
            values[key] = normalize_national_id(value)
        elif key == "card_number":
            values[key] = normalize_card_number(value)
        elif key == "membership":
            values[key] = None if value is None else MEMBERSHIP.parse(value)
        else:
            values[key] = normalize_text(value)
            problem = too_long(key, values[key])
            if problem:
                raise InvalidValue(f"{problem}.", hint=f"Ghi --{key.replace('_', '-')} ngắn hơn (tối đa "
                                   f"{FIELD_LIMITS[key]} ký tự).")
    return values


def add_member(conn: Connection, data: MemberInput, *, source: str = "members add") -> Record:
    """Add one member; returns the stored record."""
    raw = {f.name: getattr(data, f.name) for f in fields(data) if f.name != "cell"}
    values = _clean(raw)
    check_dates(values)
    cell = cell_store.find(conn, data.cell)
    check_member_cell(cell)
    _check_unique(conn, "national_id", values.get("national_id"), None)
    _check_unique(conn, "card_number", values.get("card_number"), None)
    values["membership"] = values.get("membership") or default_membership(values.get("official_date"),
                                                                            values.get("admission_date"))
    if values["membership"] == "probationary" and values.get("official_date"):
        raise RuleViolation("Đảng viên dự bị không thể có ngày chính thức.",
                            hint="Bỏ --official-date, hoặc ghi --membership official.")
    stamp = now_iso()
    member_id = store.insert(conn, {**values, "search_key": search_key(values["full_name"]),
                                    "sort_key": collation_key(values["full_name"]), "cell_id": cell.id,
                                    "created_at": stamp, "updated_at": stamp})
    member_event(conn, member_id, "created", source=source, field="cell", new=cell_label(cell),
                 date=values.get("admission_date"))
    return store.get(conn, member_id)


def update_member(conn: Connection, ref: str, changes: dict, *, source: str = "members update",
                  reference: str | None = None, read_version: int | None = None) -> tuple[Record, list[str]]:
    """Apply changes; returns the member as stored after them and the fields that really changed (each leaves
    an event). ``read_version``: the row version the clerk saw (``members show``); refused, saying who changed
    the member and when, if it is no longer the stored one. Without it the version read here is checked, so a
    clerk whose command another's commit overtakes is refused rather than overwriting."""
    member = store.by_ref(conn, ref)
    if read_version is not None and read_version != member.version:
        refuse_stale(conn, "member", member.id)
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise InvalidValue(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    values = _clean(changes)
    merged = {key: member[key] for key in DATE_FIELDS} | {k: v for k, v in values.items() if k in DATE_FIELDS}
    check_dates(merged)
    _check_unique(conn, "national_id", values.get("national_id"), member.id)
    _check_unique(conn, "card_number", values.get("card_number"), member.id)
    if "full_name" in values and values["full_name"] is None:
        raise InvalidValue("Họ và tên không được để trống.")
    membership = values.get("membership", member.membership)
    official = values.get("official_date", member.official_date)
    if membership == "probationary" and official:
        raise RuleViolation("Đảng viên dự bị không thể có ngày chính thức.",
                            hint="Công nhận chính thức bằng 'dangvien admissions recognize'.")
    changed = {}
    for key, new in values.items():
        old = member[key]
        if old == new:
            continue
        member_event(conn, member.id, "updated", source=source, field=key, old=old, new=new,
                     reference=reference)
        changed[key] = new
    if changed:
        if "full_name" in changed:
            changed["search_key"] = search_key(changed["full_name"])
            changed["sort_key"] = collation_key(changed["full_name"])
        store.update(conn, member.id, changed | {"updated_at": now_iso()}, version=member.version)
        member = store.get(conn, member.id)
    return member, [key for key in values if key in changed]


def member_dict(member: Record, cell: Record | None) -> dict:
    """The contract.md "Member" shape, and a few more keys."""
    return {
        "id": member.id, "full_name": member.full_name, "gender": member.gender, "birth_date": member.birth_date,
        "ethnicity": member.ethnicity, "religion": member.religion, "hometown": member.hometown,
        "national_id": member.national_id, "card_number": member.card_number,
        "decision_date": member.decision_date, "admission_date": member.admission_date,
        "official_date": member.official_date, "membership": member.membership, "status": member.status,
        "cell_code": cell.code if cell else None, "cell_name": cell.name if cell else None,
        "other_name": member.other_name, "birthplace": member.birthplace, "residence": member.residence,
        "old_id_number": member.old_id_number, "biography_number": member.biography_number,
        "occupation": member.occupation, "position": member.position,
        "education_general": member.education_general, "education_professional": member.education_professional,
        "political_theory": member.political_theory, "status_date": member.status_date,
        "status_reason": member.status_reason, "status_reference": member.status_reference,
        "note": member.note, "seriously_ill_since": member.seriously_ill_since,
    }


LIST_COLUMNS = store.LIST_COLUMNS


def list_members(conn: Connection, *, cell: str | None = None, membership: str | None = None,
                 status: str | None = None, born_from: int | None = None, born_to: int | None = None,
                 search: str | None = None, limit: int | None = None) -> list[dict]:
    """Members in Vietnamese name order. ``status`` None means those on the roll (active, exempt, suspended);
    'all' means everyone; ``cell`` includes every organization under it."""
    cell_ids = cell_store.subtree_ids(conn, cell_store.find(conn, cell).id) if cell else None
    if membership:
        membership = MEMBERSHIP.parse(membership)
    if status in (None, "on_roll"):
        statuses = ON_ROLL
    elif status == "all":
        statuses = None
    else:
        if status not in STATUS:
            raise InvalidValue(f"Trạng thái '{status}' không có.", hint="Dùng: all, " + ", ".join(STATUS.codes))
        statuses = (status,)
    name_key = number = None
    if search:
        name_key = search_key(search)
        digits = name_key.replace(" ", "")
        number = digits if digits.isdigit() else None
    return [dict(r) for r in store.listing(conn, cell_ids=cell_ids, membership=membership or None,
                                           statuses=statuses, born_from=born_from, born_to=born_to,
                                           name_key=name_key, number=number, limit=limit)]


def gaps_of(conn: Connection, member_id: int) -> list[tuple[str, str | None]]:
    return store.gaps(conn, member_id)


# Leaving the list this way stops party age (a transfer out does not: the member goes on elsewhere).
STOPS_PARTY_AGE = ("deceased", "resigned", "removed", "expelled")


def show_member(conn: Connection, ref: str, *, on: Date | None = None) -> dict:
    from dangvien_cli.rules.party_age import party_age

    member = store.by_ref(conn, ref)
    cell = cell_store.get(conn, member.cell_id)
    result = member_dict(member, cell)
    host = cell_store.get(conn, member.host_cell_id) if member.host_cell_id else None
    result["host_cell_code"] = host.code if host else None
    result["host_cell_name"] = host.name if host else None
    result["host_until"] = member.host_until
    result["version"] = member.version  # what `members update --if-version` takes back
    on = on or today()
    if member.status in STOPS_PARTY_AGE and member.status_date:
        # Party age stops on the day the member died, resigned, was removed or expelled (Điều lệ Đảng, Điều 5;
        # domain.md §1.4); a readmission starts the list again and the time outside is a gap.
        on = min(on, earliest(member.status_date))
    age = None
    if member.decision_date or member.admission_date:
        age = party_age(member.decision_date, member.admission_date, gaps_of(conn, member.id), on)
    result["party_age_years"] = age.years if age else None
    result["party_age_months"] = age.months if age else None
    result["badges"] = store.badges(conn, member.id)
    exemption = store.open_exemption(conn, member.id)
    result["exemption"] = None if exemption is None else dict(exemption)
    return result


def history(conn: Connection, ref: str) -> list[dict]:
    member = store.by_ref(conn, ref)
    return [dict(r) for r in store.events(conn, member.id)]


def _require_on_roll(member: Record, action: str) -> None:
    if member.status not in ON_ROLL:
        raise RuleViolation(
            f"Đảng viên mã số {member.id} có trạng thái '{STATUS.label(member.status)}', không thể {action}.",
            hint="Xem lại hồ sơ bằng 'dangvien members show'.")


def _scope(other_province: bool | None) -> str | None:
    """Where a transfer from or to outside the database goes, for Biểu 1-BTCTW rows B2a/B2b and C5a/C5b."""
    return None if other_province is None else "other_province" if other_province else "same_province"


def transfer(conn: Connection, ref: str, *, to: str | None = None, destination: str | None = None,
             temporary: bool = False, until: str | None = None, date: str | None = None,
             letter: str | None = None, other_province: bool | None = None,
             source: str = "members transfer") -> dict:
    """Official transfer moves the member (or marks them transferred out of this database); a temporary
    transfer records the host cell and an end date and keeps the home cell (domain.md §1.8).

    ``other_province`` (a transfer out of the database): True to another province, False within the
    province, None not recorded (Biểu 1-BTCTW then counts it in C5 without C5a or C5b)."""
    member = store.by_ref(conn, ref)
    _require_on_roll(member, "chuyển sinh hoạt")
    effective = date_value(date, "Ngày chuyển") or today().isoformat()
    home = cell_store.get(conn, member.cell_id)
    target = cell_store.find(conn, to) if to else None
    if target is None and not destination:
        raise InvalidValue("Chưa ghi nơi chuyển đến.",
                           hint="Ghi --to MÃ_CHI_BỘ (trong cơ sở dữ liệu) hoặc --destination \"tên đảng bộ nơi đến\".")
    if target is not None:
        check_member_cell(target)
        if target.id == member.cell_id:
            raise InvalidValue("Chi bộ đến trùng với chi bộ đang sinh hoạt.")
    if other_province is not None and (target is not None or temporary):
        raise InvalidValue("--other-province / --same-province chỉ dùng khi chuyển sinh hoạt chính thức ra ngoài cơ "
                           "sở dữ liệu (--destination).",
                           hint="Chuyển trong cơ sở dữ liệu (--to) thì tỉnh đã rõ từ cây tổ chức: bỏ tùy chọn này.")
    stamp = now_iso()
    movement = {"member_id": member.id, "from_cell_id": home.id, "to_cell_id": target.id if target else None,
                "destination": normalize_text(destination), "letter_number": normalize_text(letter),
                "issued_date": effective, "start_date": effective, "status": "arrived" if target else "pending",
                "created_at": stamp}
    if temporary:
        end = date_value(until, "Ngày hết hạn sinh hoạt tạm thời", allow_future=True)
        if end is None:
            raise InvalidValue("Sinh hoạt tạm thời cần ngày kết thúc.", hint="Ghi --until dd/mm/yyyy (§1.8).")
        if not is_after(end, effective):
            raise InvalidValue("Ngày kết thúc phải sau ngày bắt đầu sinh hoạt tạm thời.")
        store.add_transfer(conn, movement | {"kind": "temporary", "end_date": end})
        old_host = cell_store.get(conn, member.host_cell_id) if member.host_cell_id else None
        member_event(conn, member.id, "temporary_transfer", source=source, field="host_cell",
                     old=cell_label(old_host), new=cell_label(target) if target else normalize_text(destination),
                     date=effective, reference=letter)
        store.update(conn, member.id, {"host_cell_id": target.id if target else None, "host_until": end,
                                       "updated_at": stamp}, version=member.version)
        return {"member_id": member.id, "kind": "temporary", "until": end}
    store.add_transfer(conn, movement | {"kind": "official" if target is None else "internal",
                                         "arrived_date": effective if target else None})
    changes: dict = {"host_cell_id": None, "host_until": None, "updated_at": stamp}
    if target is not None:
        member_event(conn, member.id, "transferred", source=source, field="cell", old=cell_label(home),
                     new=cell_label(target), date=effective, reference=letter)
        changes["cell_id"] = target.id
    else:
        member_event(conn, member.id, "transferred_out", source=source, field="status", old=member.status,
                     new="transferred_out", date=effective, reference=letter)
        if other_province is not None:
            member_event(conn, member.id, "transferred_out", source=source, field="scope",
                         new=_scope(other_province), date=effective, reference=letter)
        changes |= {"status": "transferred_out", "status_date": effective,
                    "status_reference": normalize_text(letter), "status_reason": normalize_text(destination)}
    store.update(conn, member.id, changes, version=member.version)
    return {"member_id": member.id, "kind": "official", "to": target.code if target else destination}


def arrive(conn: Connection, ref: str, *, origin: str, date: str, other_province: bool | None = None,
           letter: str | None = None, source: str = "members arrive") -> dict:
    """An official transfer received from outside this database (chuyển đến, domain.md §1.8): the member,
    entered with their record, is on the list of their cell from ``date``, not from their admission."""
    member = store.by_ref(conn, ref)
    _require_on_roll(member, "ghi chuyển đến")
    effective = date_value(date, "Ngày chuyển đến")
    if effective is None:
        raise InvalidValue("Thiếu ngày chuyển đến.", hint="Ghi --date dd/mm/yyyy (ngày nhận giấy giới thiệu).")
    origin = normalize_text(origin)
    if not origin:
        raise InvalidValue("Chưa ghi nơi chuyển đi.", hint='Ghi --from "tên đảng bộ nơi chuyển đi".')
    if member.admission_date and is_after(member.admission_date, effective):
        raise InvalidValue("Ngày chuyển đến trước ngày vào Đảng.", hint="Xem lại --date và ngày vào Đảng.")
    cell = cell_store.get(conn, member.cell_id)
    store.add_transfer(conn, {"member_id": member.id, "kind": "official", "from_cell_id": None,
                              "to_cell_id": cell.id, "destination": None, "letter_number": normalize_text(letter),
                              "issued_date": effective, "start_date": effective, "arrived_date": effective,
                              "status": "arrived", "created_at": now_iso()})
    member_event(conn, member.id, "transferred_in", source=source, field="cell", old=origin, new=cell_label(cell),
                 date=effective, reference=letter)
    if other_province is not None:
        member_event(conn, member.id, "transferred_in", source=source, field="scope", new=_scope(other_province),
                     date=effective, reference=letter)
    return {"member_id": member.id, "cell_code": cell.code, "date": effective, "scope": _scope(other_province)}


def restore(conn: Connection, ref: str, *, date: str, reference: str, source: str = "members restore") -> dict:
    """Membership restored (phục hồi đảng tịch): a removal or expulsion annulled by the competent committee.
    The member is back on the list of their cell; party age is continuous (domain.md §1.4)."""
    member = store.by_ref(conn, ref)
    if member.status not in ("removed", "expelled"):
        raise RuleViolation(f"Đảng viên mã số {member.id} có trạng thái '{STATUS.label(member.status)}': chỉ phục "
                            "hồi đảng tịch cho người đã bị xóa tên hoặc khai trừ.",
                            hint="Người đã ra khỏi Đảng muốn trở lại thì làm thủ tục kết nạp lại "
                                 "('dangvien admissions').")
    effective = date_value(date, "Ngày phục hồi đảng tịch")
    if effective is None or not reference:
        raise InvalidValue("Phục hồi đảng tịch cần ngày và số quyết định của cấp có thẩm quyền.",
                           hint='Ghi --date dd/mm/yyyy --ref "số quyết định".')
    if member.status_date and is_after(member.status_date, effective):
        raise InvalidValue("Ngày phục hồi đảng tịch trước ngày xóa tên / khai trừ.")
    store.close_leaving_gap(conn, member.id, f"Phục hồi đảng tịch ngày {format_vi(effective)} ({reference}): "
                                             "tuổi đảng liên tục")
    member_event(conn, member.id, "restored", source=source, field="status", old=member.status, new="active",
                 date=effective, reference=reference)
    store.update(conn, member.id, {"status": "active", "status_date": effective, "status_reason": None,
                                   "status_reference": normalize_text(reference), "updated_at": now_iso()})
    return {"member_id": member.id, "status": "active", "date": effective}


def end_temporary_transfer(conn: Connection, ref: str, *, date: str | None = None,
                           source: str = "members transfer") -> dict:
    member = store.by_ref(conn, ref)
    if member.host_until is None:
        raise RuleViolation("Đảng viên này không đang sinh hoạt tạm thời ở nơi khác.")
    effective = date_value(date, "Ngày trở về") or today().isoformat()
    store.return_temporary_transfers(conn, member.id)
    host = cell_store.get(conn, member.host_cell_id) if member.host_cell_id else None
    member_event(conn, member.id, "temporary_transfer_ended", source=source, field="host_cell",
                 old=cell_label(host) if host else member.host_until, new=None, date=effective)
    store.update(conn, member.id, {"host_cell_id": None, "host_until": None, "updated_at": now_iso()}, version=member.version)
    return {"member_id": member.id, "returned": effective}


def exempt(conn: Connection, ref: str, *, start: str, end: str | None = None, reason: str,
           kind: str = "exempt", reference: str | None = None, source: str = "members exempt") -> dict:
    """Exemption from work and activity (miễn công tác và sinh hoạt, domain.md §1.7) or temporary suspension
    of activity for members far away (tạm miễn sinh hoạt, §1.8). The cell decides; the member is not rated."""
    member = store.by_ref(conn, ref)
    if member.status != "active":
        raise RuleViolation(f"Đảng viên mã số {member.id} đang ở trạng thái '{STATUS.label(member.status)}'.",
                            hint="Chỉ đảng viên đang sinh hoạt mới được miễn sinh hoạt.")
    reason = EXEMPTION_REASON.parse(reason)
    kind = EXEMPTION_KIND.parse(kind)
    start_iso = date_value(start, "Ngày bắt đầu miễn sinh hoạt")
    end_iso = date_value(end, "Ngày kết thúc miễn sinh hoạt", allow_future=True)
    if start_iso is None:
        raise InvalidValue("Thiếu ngày bắt đầu miễn sinh hoạt.", hint="Ghi --from dd/mm/yyyy.")
    if end_iso and not is_after(end_iso, start_iso):
        raise InvalidValue("Ngày kết thúc miễn sinh hoạt phải sau ngày bắt đầu.")
    stamp = now_iso()
    store.add_exemption(conn, {"member_id": member.id, "kind": kind, "reason": reason, "start_date": start_iso,
                               "end_date": end_iso, "reference": normalize_text(reference), "created_at": stamp})
    member_event(conn, member.id, "exempted", source=source, field="status", old=member.status, new="exempt",
                 date=start_iso, reference=reference)
    store.update(conn, member.id, {"status": "exempt", "status_date": start_iso, "status_reason": reason,
                                   "status_reference": normalize_text(reference), "updated_at": stamp}, version=member.version)
    return {"member_id": member.id, "status": "exempt", "from": start_iso, "to": end_iso}


def end_exemption(conn: Connection, ref: str, *, date: str | None = None, source: str = "members exempt") -> dict:
    member = store.by_ref(conn, ref)
    if member.status != "exempt":
        raise RuleViolation("Đảng viên này không đang được miễn sinh hoạt.")
    effective = date_value(date, "Ngày trở lại sinh hoạt") or today().isoformat()
    store.end_exemptions(conn, member.id, effective)
    member_event(conn, member.id, "exemption_ended", source=source, field="status", old="exempt",
                 new="active", date=effective)
    store.update(conn, member.id, {"status": "active", "status_date": effective, "status_reason": None,
                                   "status_reference": None, "updated_at": now_iso()}, version=member.version)
    return {"member_id": member.id, "status": "active", "date": effective}


def leave(conn: Connection, ref: str, *, reason: str, date: str, reference: str | None = None,
          ground: str | None = None, source: str = "members leave") -> dict:
    """Leaving the Party (domain.md §1.9): removed (xóa tên), expelled (khai trừ), resigned, deceased.
    Removal and expulsion open a gap in party age (§1.4)."""
    member = store.by_ref(conn, ref)
    reason = LEAVE_REASON.parse(reason)
    _require_on_roll(member, "ghi ra khỏi danh sách")
    effective = date_value(date, "Ngày")
    if effective is None:
        raise InvalidValue("Thiếu ngày.", hint="Ghi --date dd/mm/yyyy (ngày của quyết định).")
    if member.admission_date and is_after(member.admission_date, effective):
        raise InvalidValue("Ngày ra khỏi danh sách trước ngày vào Đảng.")
    if reason in ("removed", "expelled") and not reference:
        raise RuleViolation("Xóa tên và khai trừ cần số quyết định của cấp có thẩm quyền (domain.md §1.9).",
                            hint="Ghi --ref \"số quyết định\".", rule="§1.9")
    stamp = now_iso()
    if reason in ("removed", "expelled"):
        store.add_gap(conn, member.id, reason, effective, stamp)
    member_event(conn, member.id, "left", source=source, field="status", old=member.status, new=reason,
                 date=effective, reference=reference)
    store.update(conn, member.id, {"status": reason, "status_date": effective,
                                   "status_reference": normalize_text(reference),
                                   "status_reason": normalize_text(ground), "host_cell_id": None,
                                   "host_until": None, "updated_at": stamp}, version=member.version)
    return {"member_id": member.id, "status": reason, "date": effective}


def stats(conn: Connection) -> dict:
    return {"on_roll": store.count_on_roll(conn)}
