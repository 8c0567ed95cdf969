"""Admission rules, domain.md §1.1–§1.3: pure checks that raise :class:`RuleViolation` or return quietly.

Every threshold is a keyword parameter whose default is the setting of ``settings.py``; services pass the
committee's effective value. Messages are Vietnamese, say what is wrong, and the hint says what to do.

Partial dates (old records: ``1968`` or ``1968-05``) are read **conservatively**: a check never passes
because of a day nobody recorded. When the answer depends on the missing day, the check refuses and asks for
the full date. Deadlines count from the latest day a partial date can mean, so nothing is reported overdue
that may not be. Working-day counting follows ``workdays.py``: "within N working days of X" is
``add_working_days(X, N)``, X itself not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from ..errors import InvalidValue, RuleViolation
from ..vocab import ADMISSION_STEP, READMISSION_REASON
from . import regulations
from .dates import add_months, earliest, format_vi, latest, months_between, today
from .settings import DEFAULTS
from .workdays import WorkCalendar, default_calendar

DateLike = str | date


def _first(value: DateLike) -> date:
    return value if isinstance(value, date) else earliest(value)


def _last(value: DateLike) -> date:
    return value if isinstance(value, date) else latest(value)


def _is_partial(value: DateLike) -> bool:
    return not isinstance(value, date) and len(value) != 10


def _show(value: DateLike) -> str:
    return format_vi(value.isoformat() if isinstance(value, date) else value)


def _age_text(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{years} tuổi {rest} tháng" if rest else f"{years} tuổi"


def _setting(key: str) -> int:
    return int(DEFAULTS[key])


# What the clerk reads cites the regulation itself; ``rule`` keeps the section of domain.md that quotes it.
# Rules with versions in the registry (rules/regulations.py) cite the version in force on the day of the fact
# they judge; the others cite the document domain.md quotes for them.
def _doc(code: str, section: str) -> str:
    return regulations.REGULATIONS[code].cite(section)


def cite(key: str, day: DateLike) -> str:
    """The regulation of rule ``key`` in force on ``day`` (a partial date: its earliest day)."""
    return regulations.cite(key, _first(day))


DOSSIER = _doc("12-HD/BTCTW", "mục II.1.1")  # domain.md §1.1 certificate, §1.2 the dossier and its order
# domain.md §1.1: over 60, introducers, the introduction set — cited as in force on the day judged.


def _introduction(on: date | None) -> str:
    return f"{_doc('Điều lệ', 'Điều 4')}; {cite('admission.introduction', on or today())}"


READMISSION = _doc("232-QĐ/TW", "mục 3.5.1")  # domain.md §1.3
PROBATION = _doc("Điều lệ", "Điều 5")  # domain.md §1.3 (Art. 5.1 probation, 5.2 removal)

#: how a hint names the candidate's file or a member when the caller has not said which
FILE = "MÃ_HỒ_SƠ"
MEMBER = "MÃ_SỐ"


def refusal(message: str, source: str, *, rule: str, hint: str | None = None) -> RuleViolation:
    """A refusal that cites ``source`` (the regulation) in its message; ``rule`` is domain.md's section."""
    text = f"{message[:-1]} ({source})." if message.endswith(".") else f"{message} ({source})"
    return RuleViolation(text, hint=hint, rule=rule)


# --- §1.1 age ---
def check_age(
    birth_date: DateLike,
    on: date,
    over_60_approved: bool = False,
    *,
    min_months: int = _setting("admission.min_age_months"),
    max_months: int = _setting("admission.max_age_months"),
) -> int:
    """Age at the cell's consideration, counted in months: from a full 18 to a full 60 years (§1.1).

    Over 60 only with the recorded written approval of the provincial standing committee. Returns the age in
    months. A birth date with only a month or a year must be sure to be old enough (its latest day) and,
    without approval, sure not to be past 60 (its earliest day); otherwise the full date is asked for.
    """
    youngest = months_between(_last(birth_date), on)
    oldest = months_between(_first(birth_date), on)
    need_full = "Ghi ngày sinh đầy đủ (ngày/tháng/năm) theo giấy khai sinh hoặc căn cước."
    if oldest < min_months:
        raise refusal(
            f"Người vào Đảng mới {_age_text(max(oldest, 0))} vào ngày {_show(on)}, "
            f"chưa đủ {_age_text(min_months)} (tính theo tháng).", cite("admission.age", on),
            hint=f"Chỉ xét kết nạp từ ngày {_show(add_months(_last(birth_date), min_months))}: "
            "ghi --date của nghị quyết chi bộ từ ngày đó trở đi.",
            rule="§1.1",
        )
    if youngest < min_months:
        raise refusal(
            f"Ngày sinh chỉ ghi {_show(birth_date)} nên chưa chắc người vào Đảng đã đủ "
            f"{_age_text(min_months)} vào ngày {_show(on)}.", cite("admission.age", on),
            hint=need_full,
            rule="§1.1",
        )
    if over_60_approved:
        return youngest
    approval = (
        "Trên 60 tuổi chỉ kết nạp khi có văn bản đồng ý của ban thường vụ tỉnh ủy (thành ủy); "
        "ghi văn bản đó bằng --over-60-approval \"số, ngày văn bản\"."
    )
    if youngest > max_months:
        raise refusal(
            f"Người vào Đảng đã {_age_text(youngest)} vào ngày {_show(on)}, quá {_age_text(max_months)}.",
            f"{cite('admission.age', on)}; {cite('admission.over_60', on)}",
            hint=approval,
            rule="§1.1",
        )
    if oldest > max_months:
        raise refusal(
            f"Ngày sinh chỉ ghi {_show(birth_date)} nên người vào Đảng có thể đã quá "
            f"{_age_text(max_months)} vào ngày {_show(on)}.", f"{cite('admission.age', on)}; {cite('admission.over_60', on)}",
            hint=need_full + " " + approval,
            rule="§1.1",
        )
    return youngest


# --- §1.1 certificate ---
def certificate_expiry(
    issued: DateLike, valid_years: int = _setting("admission.certificate_valid_years")
) -> date:
    """The **last** day the awareness-course certificate is valid (§1.1: valid 5 years).

    Issued 10/3/2020 → valid through 9/3/2025. A partial issue date counts from its earliest day.
    """
    return add_months(_first(issued), 12 * valid_years) - timedelta(days=1)


def check_certificate(
    issued: DateLike | None,
    on: date,
    valid_years: int = _setting("admission.certificate_valid_years"),
    *,
    candidate: str | int = FILE,
) -> date:
    """The certificate must exist, be issued by ``on`` and be valid on ``on`` (§1.1). Returns its expiry."""
    if not issued:
        raise refusal(
            "Chưa có giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng.", DOSSIER,
            hint=f"Ghi giấy chứng nhận trước khi chi bộ xét: dangvien admissions record {candidate} --step course "
            "--date dd/mm/yyyy --ref SỐ_GIẤY.",
            rule="§1.1",
        )
    if _first(issued) > on:
        raise refusal(
            f"Giấy chứng nhận học lớp nhận thức về Đảng cấp ngày {_show(issued)}, sau ngày xét {_show(on)}.",
            DOSSIER,
            hint=f"Chi bộ xét sau khi có giấy chứng nhận: ghi --date từ ngày {_show(issued)} trở đi.",
            rule="§1.1",
        )
    expiry = certificate_expiry(issued, valid_years)
    if on > expiry:
        raise refusal(
            f"Giấy chứng nhận học lớp nhận thức về Đảng cấp ngày {_show(issued)} đã hết giá trị "
            f"từ ngày {_show(expiry + timedelta(days=1))} (giá trị {valid_years} năm, thiết lập "
            "admission.certificate_valid_years).", DOSSIER,
            hint="Người vào Đảng cần học lại lớp bồi dưỡng nhận thức về Đảng; hồ sơ này không ghi được giấy "
            f"thứ hai: đóng hồ sơ bằng 'dangvien admissions withdraw {candidate} --date dd/mm/yyyy --reason ...' "
            "rồi mở hồ sơ mới bằng 'dangvien admissions add'.",
            rule="§1.1",
        )
    return expiry


# --- §1.1 introducers ---
_STATUS_VI = {
    "exempt": "đang được miễn công tác và sinh hoạt đảng",
    "suspended": "đang bị đình chỉ sinh hoạt đảng",
    "transferred_out": "đã chuyển sinh hoạt đi nơi khác",
    "removed": "đã bị xóa tên",
    "expelled": "đã bị khai trừ",
    "resigned": "đã ra khỏi Đảng",
    "deceased": "đã từ trần",
}


def check_introducer(
    *,
    membership: str | None,
    official_date: DateLike | None,
    status: str,
    together_since: DateLike | None,
    on: date,
    replacement: bool = False,
    months_together: int = _setting("admission.introducer_months_together"),
    member: str | int = MEMBER,
) -> None:
    """An introducer must be an official, active member on the day of introduction ``on`` (§1.1).

    Facts as of ``on``: ``membership`` ('official' | 'probationary' | None for not a member),
    ``official_date`` (when known), ``status`` (contract.md member status; only 'active' may introduce: an
    exempt, suspended or departed member cannot follow the candidate), ``together_since`` (start of working,
    studying or living with the candidate). The introducer must have been together with the candidate for
    ``months_together`` months, except a replacement introducer assigned by the cell (QĐ 24 §3.2.2).
    ``member`` is how hints name the introducer (their id).
    """
    other = ("Ghi --introducer là một đảng viên chính thức khác (thêm --replacement nếu chi bộ phân công "
             "người đó thay).")
    if status != "active":
        what = _STATUS_VI.get(status, f"có trạng thái '{status}'")
        raise refusal(
            f"Người giới thiệu {what} vào ngày {_show(on)}, không thể giới thiệu người vào Đảng.",
            cite("admission.introducer_replacement", on),
            hint="Chi bộ phân công một đảng viên chính thức khác giới thiệu: " + other[0].lower() + other[1:],
            rule="§1.1",
        )
    if membership != "official":
        what = "mới là đảng viên dự bị" if membership == "probationary" else "không phải là đảng viên"
        raise refusal(
            f"Người giới thiệu {what} vào ngày {_show(on)}; người giới thiệu phải là đảng viên chính thức.",
            cite("admission.introducer", on),
            hint=other,
            rule="§1.1",
        )
    if official_date:
        if _first(official_date) > on:
            raise refusal(
                f"Người giới thiệu chỉ là đảng viên chính thức từ ngày {_show(official_date)}, "
                f"sau ngày giới thiệu {_show(on)}.", cite("admission.introducer", on),
                hint=f"Ghi --date từ ngày {_show(official_date)} trở đi, hoặc chọn người khác: " + other[0].lower()
                + other[1:],
                rule="§1.1",
            )
        if _last(official_date) > on:
            raise refusal(
                f"Ngày chính thức của người giới thiệu chỉ ghi {_show(official_date)}, chưa chắc đã trước "
                f"ngày giới thiệu {_show(on)}.", cite("admission.introducer", on),
                hint="Ghi đầy đủ ngày công nhận đảng viên chính thức của người giới thiệu: "
                f"dangvien members update {member} --official-date dd/mm/yyyy.",
                rule="§1.1",
            )
    if replacement:
        return
    if not together_since:
        raise refusal(
            "Chưa ghi từ khi nào người giới thiệu cùng công tác, học tập hoặc cư trú với người vào Đảng.",
            cite("admission.introducer", on),
            hint=f"Ghi --together-since dd/mm/yyyy (ngày bắt đầu) cho mỗi --introducer; cần ít nhất "
            f"{months_together} tháng, trừ người được chi bộ phân công thay (--replacement).",
            rule="§1.1",
        )
    months = months_between(_last(together_since), on)
    if months < months_together:
        raise refusal(
            f"Người giới thiệu mới cùng công tác, học tập hoặc cư trú với người vào Đảng "
            f"{max(months, 0)} tháng (từ {_show(together_since)}), chưa đủ {months_together} tháng.", cite("admission.introducer", on),
            hint=f"Ghi --date giới thiệu từ ngày {_show(add_months(_last(together_since), months_together))}, "
            "hoặc ghi --introducer là đảng viên chính thức khác đủ thời gian.",
            rule="§1.1",
        )


def check_introduction_set(official_introducers: int, union_resolution: bool = False,
                           on: date | None = None) -> None:
    """Two official members, or a Youth Union / trade-union resolution plus one official member (§1.1), as
    the regulation in force on ``on`` (the day of the introduction; today when not given) says."""
    if official_introducers > 2:
        raise refusal(
            f"Có {official_introducers} người giới thiệu; mỗi người vào Đảng có nhiều nhất "
            "hai người giới thiệu.", _introduction(on),
            hint="Chỉ ghi hai --introducer: hai đảng viên chính thức được chi bộ phân công.",
            rule="§1.1",
        )
    needed = 1 if union_resolution else 2
    if official_introducers < needed:
        if union_resolution:
            text = (
                "Có nghị quyết giới thiệu của Đoàn hoặc Công đoàn nhưng chưa có "
                "đảng viên chính thức giới thiệu."
            )
            hint = "Ghi thêm một --introducer (đảng viên chính thức) với --together-since."
        else:
            text = f"Mới có {official_introducers} đảng viên chính thức giới thiệu; cần hai người."
            hint = (
                "Ghi thêm --introducer, hoặc ghi nghị quyết giới thiệu của BCH Đoàn cơ sở "
                "(--youth-union-resolution) hay BCH Công đoàn cơ sở (--trade-union-resolution) kèm một "
                "đảng viên chính thức."
            )
        raise refusal(text, _introduction(on), hint=hint, rule="§1.1")


# --- §1.2 step order ---
STEPS: tuple[str, ...] = (
    "course",
    "application",
    "introduced",
    "biography_verified",
    "cell_resolution",
    "committee_resolution",
    "decision",
    "ceremony",
    "recognition",
)

# The dossier before the cell votes (§1.2: certificate, application, introduction, the biography and its
# verification) may come in any order; the cell votes only on a complete dossier; then each step needs the
# one before it (§1.2, §1.3).
PREREQUISITES: dict[str, tuple[str, ...]] = {
    "course": (),
    "application": (),
    "introduced": (),
    "biography_verified": (),
    "cell_resolution": ("course", "application", "introduced", "biography_verified"),
    "committee_resolution": ("cell_resolution",),
    "decision": ("committee_resolution",),
    "ceremony": ("decision",),
    "recognition": ("ceremony",),
}

# What `admissions record` needs besides --date to record a step, for the hint that asks for it.
_STEP_OPTIONS = {
    "course": " --ref SỐ_GIẤY",
    "introduced": " --introducer MÃ_SỐ --introducer MÃ_SỐ --together-since dd/mm/yyyy",
    "biography_verified": " --ref SỐ_VĂN_BẢN",
    "cell_resolution": " --ref SỐ_NGHỊ_QUYẾT",
    "committee_resolution": " --ref SỐ_NGHỊ_QUYẾT",
    "decision": " --ref SỐ_QUYẾT_ĐỊNH",
}


def record_command(candidate: str | int, step: str) -> str:
    """The command that records ``step`` of a file."""
    if step == "recognition":
        return "dangvien admissions recognize MÃ_ĐẢNG_VIÊN --date dd/mm/yyyy --ref SỐ_QUYẾT_ĐỊNH"
    return f"dangvien admissions record {candidate} --step {step} --date dd/mm/yyyy{_STEP_OPTIONS.get(step, '')}"


def background_check_exemption(day: DateLike) -> str | None:
    """The regulation that lets the cell vote without the background check on ``day`` — since HD 06-HD/TW,
    mục 3.4c, when a parent, sibling or child is a member and the biography is fully declared — or None when
    the version in force on that day requires the check in every case."""
    version = regulations.rule("admission.background_check").on(_first(day))
    return None if version.value == "bắt buộc" else version.cite()


def _prerequisites(step: str, committee_resolution_required: bool, background_check_required: bool = True
                   ) -> tuple[str, ...]:
    if step == "decision" and not committee_resolution_required:
        return ("cell_resolution",)
    if step == "cell_resolution" and not background_check_required:
        return tuple(s for s in PREREQUISITES[step] if s != "biography_verified")
    return PREREQUISITES[step]


def check_step_order(
    recorded: Mapping[str, DateLike | None],
    new_step: str,
    new_date: DateLike,
    *,
    committee_resolution_required: bool = True,
    background_check_required: bool = True,
    candidate: str | int = FILE,
) -> None:
    """Refuse a step whose prerequisite is missing or dated after it, or that would come after a later step.

    ``recorded`` maps the steps already recorded to their dates. Only a prerequisite **surely** after the new
    date refuses (old partial dates do not block). ``committee_resolution_required=False`` lets a decision
    follow the cell resolution directly (a grassroots cell, chi bộ cơ sở, has no grassroots committee);
    ``background_check_required=False`` lets the cell vote without the background check, where
    :func:`background_check_exemption` allows it. A missing step is named with the command that records it
    (``candidate`` is the file's id).
    """
    if new_step not in PREREQUISITES:
        raise InvalidValue(
            f"Không có bước '{new_step}'.",
            hint="Ghi --step là một trong các bước: " + ", ".join(STEPS) + ".",
        )
    label = ADMISSION_STEP.label(new_step)
    needed = _prerequisites(new_step, committee_resolution_required, background_check_required)
    missing = [b for b in needed if not recorded.get(b)]
    if missing:
        names = ", ".join(f"'{ADMISSION_STEP.label(b)}'" for b in missing)
        source = DOSSIER
        hint = ("Ghi trước: " + record_command(candidate, missing[0]) if len(missing) == 1 else
                "Ghi trước:" + "".join(f"\n  {record_command(candidate, b)}" for b in missing))
        if "biography_verified" in missing:
            source = f"{DOSSIER}; {cite('admission.background_check', new_date)}"
            exemption = background_check_exemption(new_date)
            if exemption:
                hint += (f"\nKhông cần thẩm tra lý lịch khi cha mẹ, anh chị em ruột hoặc con là đảng viên và đã khai "
                         f"đầy đủ ({exemption}): ghi thêm --background-check-exempt.")
        raise refusal(f"Chưa có bước {names} nên chưa thể ghi '{label}'.", source, hint=hint, rule="§1.2")
    for before in needed:
        when = recorded[before]
        if _first(when) > _last(new_date):
            raise refusal(
                f"'{label}' ngày {_show(new_date)} lại trước '{ADMISSION_STEP.label(before)}' ngày {_show(when)}.",
                DOSSIER,
                hint=f"Ghi --date của bước này từ ngày {_show(when)} trở đi; xem các bước đã ghi bằng "
                f"'dangvien admissions show {candidate}'.",
                rule="§1.2",
            )
    for after in PREREQUISITES:
        when = recorded.get(after)
        if (
            new_step in _prerequisites(after, committee_resolution_required, background_check_required)
            and when
            and _last(when) < _first(new_date)
        ):
            raise refusal(
                f"'{label}' ngày {_show(new_date)} lại sau '{ADMISSION_STEP.label(after)}' "
                f"đã ghi ngày {_show(when)}.", DOSSIER,
                hint=f"Ghi --date của bước này đến ngày {_show(when)} là muộn nhất; xem các bước đã ghi bằng "
                f"'dangvien admissions show {candidate}'.",
                rule="§1.2",
            )


# --- §1.3 probation, deadlines ---
def probation_end(ceremony_date: DateLike, months: int = _setting("admission.probation_months")) -> date:
    """The day probation ends and the member is official: ceremony + 12 months (Điều lệ Đảng, Điều 5; §1.3).

    The one "12 months of probation" of the tool: ``admissions due`` and ``recognize``, the screening's
    ``probation_overdue`` and the roster's "still probationary?" (rules.membership) all ask it.

    A partial ceremony date ("05/2024", "2024") counts from its **latest** possible day, because every question
    asked of it is a "not yet" one — not yet official, not yet overdue: nobody is made official, or flagged as
    overdue, earlier than is sure. "05/2024" ends on 31/05/2025, never 01/05/2025.
    """
    return add_months(_last(ceremony_date), months)


def check_recognition(
    ceremony_date: DateLike,
    resolution_date: DateLike,
    months: int = _setting("admission.probation_months"),
) -> date:
    """The cell's recognition resolution must be dated on or after the end of probation (§1.3).

    Returns the official date (:func:`probation_end`).
    """
    official = probation_end(ceremony_date, months)
    if _first(resolution_date) < official:
        raise refusal(
            f"Chưa hết {months} tháng dự bị: lễ kết nạp ngày {_show(ceremony_date)}, "
            f"đảng viên chỉ đủ điều kiện xét công nhận chính thức từ ngày {_show(official)}.",
            cite("admission.probation", resolution_date),
            hint=f"Chi bộ xét công nhận từ ngày {_show(official)} trở đi: ghi --date (và --resolution-date "
            "nếu có) từ ngày đó.",
            rule="§1.3",
        )
    return official


def _due(start: DateLike, workdays: int, calendar: WorkCalendar | None) -> date:
    return (calendar or default_calendar()).add_working_days(_last(start), workdays)


def decision_due(
    cell_resolution_date: DateLike,
    calendar: WorkCalendar | None = None,
    workdays: int = _setting("admission.decision_deadline_workdays"),
) -> date:
    """Last day for the admission decision: 60 working days after the cell's resolution (§1.3)."""
    return _due(cell_resolution_date, workdays, calendar)


def ceremony_due(
    decision_date: DateLike,
    calendar: WorkCalendar | None = None,
    workdays: int = _setting("admission.ceremony_deadline_workdays"),
) -> date:
    """Last day for the admission ceremony: 30 working days after the decision (§1.3)."""
    return _due(decision_date, workdays, calendar)


def recognition_due(
    probation_end_date: DateLike,
    calendar: WorkCalendar | None = None,
    workdays: int = _setting("admission.recognition_deadline_workdays"),
) -> date:
    """Last day for the cell to consider recognition: 30 working days after probation ends (§1.3)."""
    return _due(probation_end_date, workdays, calendar)


# --- §1.3 readmission ---
NEVER_READMITTED: frozenset[str] = frozenset(
    {
        "abandoned_activity",
        "resigned",
        "serious_disunity",
        "corruption_conviction",
        "serious_crime_conviction",
    }
)


def check_readmission(
    left_reason: str,
    left_date: DateLike,
    on: date,
    record_cleared_date: DateLike | None = None,
    *,
    extreme_family_hardship: bool = False,
    wait_months: int = _setting("readmission.wait_months"),
    after_record_cleared_months: int = _setting("readmission.after_record_cleared_months"),
) -> date:
    """Whether a former member may be considered for readmission on ``on`` (§1.3, QĐ 232 §3.5.1).

    At least 36 months after leaving; after a conviction for a less serious crime, also 60 months after the
    record is cleared. Never for the reasons in :data:`NEVER_READMITTED` (resignation is allowed with extreme
    family hardship). Returns the first day readmission may be considered. Partial dates count from their
    latest day.
    """
    if left_reason not in READMISSION_REASON:
        raise InvalidValue(
            f"Không có lý do ra khỏi Đảng '{left_reason}'.",
            hint="Ghi --previous-reason là một trong các mã: " + ", ".join(READMISSION_REASON.codes) + ".",
        )
    reason_vi = READMISSION_REASON.label(left_reason)
    if left_reason in NEVER_READMITTED and not (left_reason == "resigned" and extreme_family_hardship):
        raise refusal(
            f"Không xem xét kết nạp lại người đã ra khỏi Đảng vì {reason_vi}.", READMISSION,
            hint=("Chỉ khi có hoàn cảnh gia đình đặc biệt khó khăn: ghi thêm --family-hardship."
                  if left_reason == "resigned" else
                  "Quy định không cho kết nạp lại trường hợp này; nếu lý do ra khỏi Đảng ghi sai, ghi lý do đúng "
                  "bằng --previous-reason."),
            rule="§1.3",
        )
    eligible = add_months(_last(left_date), wait_months)
    because = f"{wait_months} tháng kể từ khi ra khỏi Đảng ({_show(left_date)})"
    if left_reason == "less_serious_crime_conviction":
        if not record_cleared_date:
            raise refusal(
                "Người bị kết án về tội ít nghiêm trọng chỉ được xét kết nạp lại sau khi được xóa án tích.",
                READMISSION,
                hint="Ghi ngày được xóa án tích: --record-cleared dd/mm/yyyy.",
                rule="§1.3",
            )
        after_record = add_months(_last(record_cleared_date), after_record_cleared_months)
        if after_record > eligible:
            eligible = after_record
            cleared = _show(record_cleared_date)
            because = f"{after_record_cleared_months} tháng kể từ khi được xóa án tích ({cleared})"
    if on < eligible:
        raise refusal(
            f"Chưa đủ {because}: chỉ được xét kết nạp lại từ ngày {_show(eligible)}.", READMISSION,
            hint=f"Chi bộ xét lại từ ngày {_show(eligible)}: ghi --date từ ngày đó trở đi.",
            rule="§1.3",
        )
    return eligible
