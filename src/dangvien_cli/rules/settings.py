"""Settings a local committee may change, with their defaults (domain.md, preamble).

domain.md asks that every figure marked unsourced, or likely to change with the next regulation, be a setting
with the sourced value as its default rather than a constant buried in code. This module is the registry of
those settings and the parsing of their textual values. It is pure: storage (a ``settings`` table of
``key, value, updated_at`` text rows) belongs to the store layer, which passes the stored text to
:func:`resolve`.

The rule modules take each threshold as a keyword parameter whose default is ``DEFAULTS[key]``; services pass
``resolve(stored)[key]`` to honour a committee's overrides.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from ..errors import InvalidValue

Kind = Literal["int", "float", "bool", "str"]
Value = int | float | bool | str


@dataclass(frozen=True)
class Setting:
    """One changeable figure: its key, default, type, Vietnamese description and the domain.md section."""

    key: str
    default: Value
    kind: Kind
    description_vi: str
    section: str
    minimum: float | None = None
    maximum: float | None = None


# fmt: off
_SETTINGS: tuple[Setting, ...] = (
    # §1.1 admission conditions
    Setting("admission.min_age_months", 216, "int",
            "Tuổi tối thiểu khi chi bộ xét kết nạp, tính theo tháng (đủ 18 tuổi)", "§1.1", 0, 1200),
    Setting("admission.max_age_months", 720, "int",
            "Tuổi tối đa khi chi bộ xét kết nạp, tính theo tháng (đủ 60 tuổi); quá tuổi này cần "
            "văn bản đồng ý của ban thường vụ tỉnh ủy", "§1.1", 0, 1200),
    Setting("admission.certificate_valid_years", 5, "int",
            "Số năm giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng còn giá trị", "§1.1", 1, 50),
    Setting("admission.introducer_months_together", 12, "int",
            "Số tháng tối thiểu người giới thiệu cùng công tác, học tập hoặc cư trú với người vào Đảng",
            "§1.1", 0, 600),
    # §1.3 deadlines and probation
    Setting("admission.decision_deadline_workdays", 60, "int",
            "Số ngày làm việc cấp ủy có thẩm quyền phải ra quyết định kết nạp kể từ nghị quyết chi bộ",
            "§1.3", 1, 1000),
    Setting("admission.ceremony_deadline_workdays", 30, "int",
            "Số ngày làm việc phải tổ chức lễ kết nạp kể từ khi có quyết định", "§1.3", 1, 1000),
    Setting("admission.recognition_deadline_workdays", 30, "int",
            "Số ngày làm việc chi bộ phải xét công nhận đảng viên chính thức sau khi hết 12 tháng dự bị",
            "§1.3", 1, 1000),
    Setting("admission.probation_months", 12, "int",
            "Số tháng dự bị kể từ ngày lễ kết nạp", "§1.3", 1, 120),
    # §7 admission targets (Bắc Giang plan)
    Setting("admission.target_min_percent", 3.0, "float",
            "Chỉ tiêu kết nạp hằng năm, mức thấp (phần trăm số đảng viên đầu năm)", "§7", 0, 100),
    Setting("admission.target_max_percent", 4.0, "float",
            "Chỉ tiêu kết nạp hằng năm, mức cao (phần trăm số đảng viên đầu năm)", "§7", 0, 100),
    # §1.3 readmission (QĐ 232 §3.5.1)
    Setting("readmission.wait_months", 36, "int",
            "Số tháng tối thiểu kể từ khi ra khỏi Đảng mới được xét kết nạp lại", "§1.3", 0, 1200),
    Setting("readmission.after_record_cleared_months", 60, "int",
            "Số tháng tối thiểu kể từ khi được xóa án tích (tội ít nghiêm trọng) mới được xét kết nạp lại",
            "§1.3", 0, 1200),
    # §2 rating
    Setting("rating.excellent_quota_percent", 20, "int",
            "Số đảng viên xếp loại HTXSNV không vượt quá tỷ lệ này (phần trăm) của số xếp loại HTTNV",
            "§2", 0, 100),
    Setting("rating.min_months_since_admission", 6, "int",
            "Đảng viên kết nạp chưa đủ số tháng này thì không xếp loại", "§2", 0, 120),
    # §1.9 screening
    Setting("screening.absent_months", 3, "int",
            "Số tháng trong năm bỏ sinh hoạt chi bộ không có lý do thì đưa vào danh sách rà soát",
            "§1.9", 1, 12),
    Setting("screening.dues_unpaid_months", 3, "int",
            "Số tháng trong năm không đóng đảng phí không có lý do thì đưa vào danh sách rà soát",
            "§1.9", 1, 12),
    Setting("screening.khtnv_years", 2, "int",
            "Số năm liền xếp loại không hoàn thành nhiệm vụ thì đưa vào danh sách rà soát", "§1.9", 1, 10),
    Setting("screening.recognition_overdue_workdays", 30, "int",
            "Số ngày làm việc sau khi hết dự bị mà chưa công nhận chính thức thì coi là quá hạn",
            "§1.3", 1, 1000),
    # §1.8 transfers
    Setting("transfer.letter_days", 30, "int",
            "Số ngày đảng viên phải nộp giấy giới thiệu sinh hoạt đảng cho nơi đến kể từ ngày ký",
            "§1.8", 1, 365),
    # §4 dues
    Setting("dues.exempt_party_age_years", 50, "int",
            "Tuổi đảng (năm) từ đó đảng viên được miễn đóng đảng phí", "§4", 1, 100),
    Setting("dues.regional_minimum_wage", 0, "int",
            "Lương tối thiểu vùng (đồng/tháng) nơi chi bộ, dùng tính đảng phí của đảng viên không tham gia bảo hiểm "
            "xã hội từ 01/02/2026; 0 = chưa đặt (đảng viên có ghi mức riêng thì theo mức riêng)", "§4", 0, 100_000_000),
    Setting("dues.uninsured_percent", 0.3, "float",
            "Đảng viên không tham gia bảo hiểm xã hội, chưa đến tuổi nghỉ hưu: phần trăm lương tối thiểu vùng "
            "(2026–2027)", "§4", 0, 100),
    Setting("dues.uninsured_percent_2028", 0.5, "float",
            "Như trên, từ năm 2028", "§4", 0, 100),
    Setting("dues.uninsured_retired_percent", 0.2, "float",
            "Đảng viên không tham gia bảo hiểm xã hội, đã đến tuổi nghỉ hưu: phần trăm lương tối thiểu vùng "
            "(2026–2027)", "§4", 0, 100),
    Setting("dues.uninsured_retired_percent_2028", 0.3, "float",
            "Như trên, từ năm 2028", "§4", 0, 100),
    Setting("dues.student_amount", 5000, "int",
            "Đảng phí hằng tháng của đảng viên là học sinh, sinh viên (đồng)", "§4", 0, 1_000_000),
    Setting("dues.old_other_amount", 2000, "int",
            "Trước 01/02/2026 (Quyết định 342-QĐ/TW): mức đảng phí cấp ủy định cho đảng viên khác (2.000–30.000 đ)",
            "§4", 2000, 30000),
    Setting("dues.tolerance", 0, "int",
            "Chênh lệch (đồng) giữa số đã đóng và số phải đóng không coi là đóng thiếu hay đóng thừa", "§4", 0,
            1_000_000),
    # §1.6 organization
    Setting("organization.min_official_members", 3, "int",
            "Số đảng viên chính thức tối thiểu để lập chi bộ", "§1.6", 1, 100),
    Setting("organization.committee_threshold", 9, "int",
            "Chi bộ có từ số đảng viên chính thức này trở lên thì bầu chi ủy", "§1.6", 1, 1000),
    Setting("organization.grassroots_committee_threshold", 30, "int",
            "Tổ chức cơ sở đảng có từ số đảng viên này trở lên thì lập đảng bộ cơ sở", "§1.6", 1, 10000),
    # §1.7 exemption
    Setting("exemption.max_sick_months", 12, "int",
            "Số tháng tối đa mỗi lần miễn công tác và sinh hoạt đảng vì ốm đau", "§1.7", 1, 120),
    # Safety copies kept before changes that touch many records (issue 12)
    Setting("backup.keep_copies", 5, "int",
            "Số bản sao tự động giữ lại trước các thay đổi lớn (giải thể, xóa tên khi rà soát, nhập lại danh sách)",
            "—", 1, 100),
    Setting("backup.import_changes", 20, "int",
            "Nhập lại danh sách sửa hơn số đảng viên này thì giữ bản sao trước khi ghi", "—", 0, 1_000_000),
    # §9 the national database: whether this committee's new 12-digit cards carry the personal id
    Setting("national.card_equals_id", False, "bool",
            "Số thẻ đảng viên mới (12 chữ số) phải trùng số định danh cá nhân", "§9"),
)

REGISTRY: dict[str, Setting] = {s.key: s for s in _SETTINGS}
DEFAULTS: Mapping[str, Value] = {s.key: s.default for s in _SETTINGS}

_TRUE = {"1", "true", "yes", "y", "on", "có", "co", "đúng", "x"}
_FALSE = {"0", "false", "no", "n", "off", "không", "khong", "sai", ""}


def _unknown(key: str) -> InvalidValue:
    return InvalidValue(
        f"Không có thiết lập nào tên '{key}'.",
        hint="Các thiết lập có thể đổi: " + ", ".join(sorted(REGISTRY)) + ".",
    )


def get_setting(key: str) -> Setting:
    """The registered setting, or InvalidValue naming the known keys."""
    try:
        return REGISTRY[key]
    except KeyError:
        raise _unknown(key) from None


def parse_value(key: str, text: str) -> Value:
    """The typed value of ``text`` for setting ``key``; InvalidValue (Vietnamese) for a bad key or value."""
    setting = get_setting(key)
    raw = str(text).strip()
    if setting.kind == "str":
        if not raw:
            raise InvalidValue(f"Thiết lập '{key}' không được để trống.")
        return raw
    if setting.kind == "bool":
        low = raw.casefold()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise InvalidValue(
            f"Giá trị '{raw}' của thiết lập '{key}' không phải là có/không.",
            hint="Hãy ghi 'có' hoặc 'không' (hoặc true/false).",
        )
    number_text = raw.replace(",", ".") if setting.kind == "float" else raw
    try:
        value: int | float = int(number_text) if setting.kind == "int" else float(number_text)
    except ValueError:
        what = "số nguyên" if setting.kind == "int" else "số"
        raise InvalidValue(
            f"Giá trị '{raw}' của thiết lập '{key}' không phải là {what}.",
            hint=f"{setting.description_vi}; mặc định là {format_value(key, setting.default)}.",
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidValue(f"Giá trị '{raw}' của thiết lập '{key}' không phải là số hữu hạn.")
    too_low = setting.minimum is not None and value < setting.minimum
    too_high = setting.maximum is not None and value > setting.maximum
    if too_low or too_high:
        raise InvalidValue(
            f"Giá trị {raw} của thiết lập '{key}' nằm ngoài khoảng cho phép "
            f"({format_value(key, setting.minimum)} đến {format_value(key, setting.maximum)}).",
            hint=f"{setting.description_vi}; mặc định là {format_value(key, setting.default)}.",
        )
    return value


def format_value(key: str, value: Value | float | None) -> str:
    """Text to store for a typed value (the inverse of :func:`parse_value`)."""
    setting = get_setting(key)
    if value is None:
        return ""
    if setting.kind == "bool":
        return "true" if value else "false"
    if setting.kind == "int" or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return str(value)


def resolve(overrides: Mapping[str, str] | None = None) -> dict[str, Value]:
    """Effective settings: every default, replaced by the parsed override where one is stored.

    An unknown key or a bad value raises InvalidValue rather than being ignored silently: a committee that
    changed a figure must not be judged by the default without noticing.
    """
    effective: dict[str, Value] = dict(DEFAULTS)
    for key, text in (overrides or {}).items():
        effective[key] = parse_value(key, text)
    return effective
