"""Which regulation says what, and since when (issue 14; domain.md §0 and §9).

The rules under a committee's feet changed three times in one year (294-QĐ/TW → QĐ 20 → QĐ 208; HD 01 (2021)
→ HD 06 (2025) → HD 01 (2026); dues under 01-QĐ/TW from 1/2/2026). A rule is judged by the regulation in
force on the date of the fact it judges — an admission step by its date, a screening by its year — and what
a person reads cites that regulation. This module is the registry: the documents with their dates, and for
each rule the tool enforces, the versions of it, each with the document and section it comes from, the
dates it holds, and how sure the project is of its content. Where the 2026 content is uncertain (domain.md
§9 "low"), the rule keeps the last known value, marked with the source of doubt, and its figure is a setting
(``settings_key``) a committee can change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from dangvien_cli.errors import NotFound


@dataclass(frozen=True)
class Regulation:
    code: str  # as cited: "294-QĐ/TW"
    kind: str  # how a citation names it: "Quy định", "Hướng dẫn", "Quyết định", "Công văn", "Điều lệ Đảng"
    title: str  # Vietnamese: "Quy định thi hành Điều lệ Đảng"
    signed: date
    in_force: date
    replaces: str | None = None
    confidence: str = "high"  # high | medium | low — of the document's existence and dates (domain.md)

    def cite(self, section: str | None = None) -> str:
        name = self.kind if self.code == "Điều lệ" else f"{self.kind} {self.code}"
        return f"{name}, {section}" if section else name


_R = Regulation
REGULATIONS: dict[str, Regulation] = {r.code: r for r in (
    _R("Điều lệ", "Điều lệ Đảng", "Điều lệ Đảng (Đại hội XI)", date(2011, 1, 19), date(2011, 1, 19)),
    _R("24-QĐ/TW", "Quy định", "Quy định thi hành Điều lệ Đảng", date(2021, 7, 30), date(2021, 7, 30), "29-QĐ/TW"),
    _R("232-QĐ/TW", "Quy định", "Quy định thi hành Điều lệ Đảng", date(2025, 1, 20), date(2025, 1, 20), "24-QĐ/TW"),
    _R("294-QĐ/TW", "Quy định", "Quy định thi hành Điều lệ Đảng", date(2025, 5, 26), date(2025, 7, 1), "232-QĐ/TW"),
    _R("20-QĐ/TW", "Quy định", "Quy định thi hành Điều lệ Đảng", date(2026, 4, 8), date(2026, 4, 8), "294-QĐ/TW", "medium"),
    _R("208-QĐ/TW", "Quy định", "Quy định thi hành Điều lệ Đảng", date(2026, 7, 26), date(2026, 7, 26), "20-QĐ/TW", "medium"),
    _R("01-HD/TW (2021)", "Hướng dẫn", "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng", date(2021, 9, 28),
       date(2021, 9, 28)),
    _R("06-HD/TW", "Hướng dẫn", "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng", date(2025, 6, 9), date(2025, 6, 9),
       "01-HD/TW (2021)", "medium"),
    _R("01-HD/TW (2026)", "Hướng dẫn", "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng", date(2026, 5, 19),
       date(2026, 5, 19), "06-HD/TW", "low"),
    _R("12-HD/BTCTW", "Hướng dẫn", "Hướng dẫn nghiệp vụ công tác đảng viên", date(2022, 1, 18), date(2022, 1, 18)),
    _R("124-QĐ/TW", "Quy định", "Quy định kiểm điểm, đánh giá, xếp loại chất lượng", date(2023, 10, 4), date(2023, 10, 4)),
    _R("366-QĐ/TW", "Quy định", "Quy định kiểm điểm, đánh giá, xếp loại chất lượng", date(2025, 8, 30), date(2025, 8, 30),
       "124-QĐ/TW"),
    _R("342-QĐ/TW", "Quyết định", "Quyết định về chế độ đảng phí", date(2010, 12, 28), date(2011, 4, 1)),
    _R("01-QĐ/TW", "Quy định", "Quy định về chế độ đảng phí", date(2026, 2, 3), date(2026, 2, 1), "342-QĐ/TW"),
    _R("11-HD/BTCTW", "Hướng dẫn", "Hướng dẫn biểu thống kê cơ bản", date(2021, 12, 13), date(2021, 12, 13)),
    _R("1361-CV/BTCTW", "Công văn", "Số hóa hồ sơ đảng viên vào cơ sở dữ liệu đảng viên 4.0", date(2026, 6, 30),
       date(2026, 6, 30), None, "medium"),
)}


@dataclass(frozen=True)
class Version:
    """One version of a rule: what it says (``value``, in words), where, and from when."""

    regulation: str
    section: str | None
    since: date
    value: str
    confidence: str = "high"  # of the content
    doubt: str | None = None  # why the content is uncertain, shown in `rules list`

    def cite(self) -> str:
        return REGULATIONS[self.regulation].cite(self.section)


@dataclass(frozen=True)
class Rule:
    key: str
    label: str  # Vietnamese
    versions: tuple[Version, ...]  # oldest first
    settings_key: str | None = None

    def on(self, day: date) -> Version:
        """The version in force on ``day`` (the oldest known one for a day before all of them)."""
        current = self.versions[0]
        for version in self.versions:
            if version.since <= day:
                current = version
        return current


_LOW_208 = ("QĐ 208-QĐ/TW chưa có văn bản công khai; nội dung chỉ được thuật lại trong một bộ câu hỏi: "
            "giữ quy định trước, cấp ủy sửa bằng thiết lập nếu văn bản mới khác")
_LOW_20 = ("QĐ 20-QĐ/TW chưa có văn bản công khai, nội dung chưa rõ: giữ quy định trước, cấp ủy sửa bằng thiết "
           "lập nếu văn bản khác")
_LOW_HD_2026 = ("HD 01-HD/TW (2026) chỉ thấy nhắc trong một kho mã nguồn, nội dung chưa rõ: giữ hướng dẫn trước")
_KHTNV = "'hai năm liền vi phạm tư cách' được hiểu là hai năm liền KHTNV; chưa có nguồn xác nhận"
_KEPT = "nguồn chỉ trích văn bản trước; các văn bản sau được thuật lại là giữ nội dung này"


def _implementing(section: str, value: str, sourced: tuple[str, ...] = ("24-QĐ/TW",)) -> tuple[Version, ...]:
    """The versions of a rule of the regulation implementing the Charter, one per regulation in force since
    2021 (24 → 232 → 294 → QĐ 20 → QĐ 208, domain.md §0, §9): the content domain.md quotes from ``sourced``,
    the later ones reported to keep it (medium), QĐ 20 and 208 unknown (low, sections unnumbered)."""
    out = []
    for code in ("24-QĐ/TW", "232-QĐ/TW", "294-QĐ/TW"):
        sure = code in sourced
        out.append(Version(code, section, REGULATIONS[code].in_force, value, "high" if sure else "medium",
                           None if sure else _KEPT))
    out.append(Version("20-QĐ/TW", None, REGULATIONS["20-QĐ/TW"].in_force, value, "low", _LOW_20))
    out.append(Version("208-QĐ/TW", None, REGULATIONS["208-QĐ/TW"].in_force, value, "low", _LOW_208))
    return tuple(out)


def _guidance(section: str, value: str) -> tuple[Version, ...]:
    """The versions of a rule of the Secretariat's guidance: HD 01 (2021) as domain.md quotes it → HD 06 (2025)
    → HD 01 (2026), both reported or assumed to keep it."""
    return (Version("01-HD/TW (2021)", section, date(2021, 9, 28), value),
            Version("06-HD/TW", None, date(2025, 6, 9), value, "medium", _KEPT),
            Version("01-HD/TW (2026)", None, date(2026, 5, 19), value, "low", _LOW_HD_2026))


# Why the dues rules of 01-QĐ/TW (domain.md §4, §9) are not "high".
_DUES_REPORTED = "nội dung theo báo và trang của cấp ủy thuật lại; chưa có toàn văn"
_DUES_APPS = "chỉ thấy trong ứng dụng của hai cấp ủy, chưa có văn bản công khai"
_DUES_342_FIXED = "mức cụ thể trong khoảng do từng cấp ủy định: thiết lập dues.old_other_amount"
_V = Version
RULES: dict[str, Rule] = {r.key: r for r in (
    Rule("admission.age", "Tuổi được xét kết nạp (tính theo tháng)", (
        _V("24-QĐ/TW", "mục 1.1", date(2021, 7, 30), "đủ 18 đến đủ 60 tuổi"),
        _V("232-QĐ/TW", "mục 1.1", date(2025, 1, 20), "đủ 18 đến đủ 60 tuổi"),
        _V("294-QĐ/TW", "mục 1.1", date(2025, 7, 1), "đủ 18 đến đủ 60 tuổi"),
        _V("20-QĐ/TW", None, date(2026, 4, 8), "đủ 18 đến đủ 60 tuổi", "low", _LOW_20),
        _V("208-QĐ/TW", None, date(2026, 7, 26), "đủ 18 đến đủ 60 tuổi", "low", _LOW_208),
    ), "admission.min_age_months"),
    Rule("admission.probation", "Thời gian dự bị", (
        _V("Điều lệ", "Điều 5", date(2011, 1, 19), "12 tháng kể từ ngày kết nạp"),
    )),
    Rule("admission.decision_deadline", "Thời hạn ra quyết định kết nạp", (
        _V("24-QĐ/TW", "mục 4.3.1", date(2021, 7, 30), "60 ngày làm việc từ nghị quyết chi bộ"),
        _V("232-QĐ/TW", "mục 4.3.1", date(2025, 1, 20), "60 ngày làm việc từ nghị quyết chi bộ"),
        _V("294-QĐ/TW", "mục 4.3.1", date(2025, 7, 1), "60 ngày làm việc từ nghị quyết chi bộ", "medium",
           "chưa đối chiếu được văn bản 294 đầy đủ; các nguồn thuật lại như 232"),
        _V("20-QĐ/TW", None, date(2026, 4, 8), "60 ngày làm việc từ nghị quyết chi bộ", "low", _LOW_20),
        _V("208-QĐ/TW", None, date(2026, 7, 26), "60 ngày làm việc từ nghị quyết chi bộ", "low", _LOW_208),
    ), "admission.decision_deadline_workdays"),
    Rule("admission.ceremony_deadline", "Thời hạn tổ chức lễ kết nạp", (
        _V("232-QĐ/TW", "mục 4.1", date(2025, 1, 20), "30 ngày làm việc từ khi nhận quyết định"),
        _V("294-QĐ/TW", "mục 4.1", date(2025, 7, 1), "30 ngày làm việc từ khi nhận quyết định", "medium",
           "các nguồn thuật lại như 232"),
        _V("20-QĐ/TW", None, date(2026, 4, 8), "30 ngày làm việc từ khi nhận quyết định", "low", _LOW_20),
        _V("208-QĐ/TW", None, date(2026, 7, 26), "30 ngày làm việc từ khi nhận quyết định", "low", _LOW_208),
    ), "admission.ceremony_deadline_workdays"),
    Rule("admission.recognition_deadline", "Thời hạn xét công nhận đảng viên chính thức", (
        _V("24-QĐ/TW", "mục 4.2", date(2021, 7, 30), "30 ngày làm việc sau khi hết 12 tháng dự bị"),
        _V("294-QĐ/TW", "mục 4.2", date(2025, 7, 1), "30 ngày làm việc sau khi hết 12 tháng dự bị", "medium",
           "các nguồn thuật lại như 24 và 29"),
        _V("20-QĐ/TW", None, date(2026, 4, 8), "30 ngày làm việc sau khi hết 12 tháng dự bị", "low", _LOW_20),
        _V("208-QĐ/TW", None, date(2026, 7, 26), "chính thức từ ngày hết 12 tháng dự bị", "low", _LOW_208),
    ), "admission.recognition_deadline_workdays"),
    Rule("admission.background_check", "Thẩm tra lý lịch người vào Đảng", (
        _V("01-HD/TW (2021)", "mục 3.4", date(2021, 9, 28), "bắt buộc"),
        _V("06-HD/TW", "mục 3.4c", date(2025, 6, 9),
           "không bắt buộc khi cha mẹ, anh chị em ruột hoặc con là đảng viên và đã khai đầy đủ", "medium",
           "nội dung được thuật lại trong hai bộ câu hỏi và một danh mục văn bản của xã"),
        _V("01-HD/TW (2026)", None, date(2026, 5, 19),
           "không bắt buộc khi cha mẹ, anh chị em ruột hoặc con là đảng viên và đã khai đầy đủ", "low", _LOW_HD_2026),
    )),
    Rule("admission.over_60", "Kết nạp người trên 60 tuổi", _guidance(
        "mục 1.1", "cấp ủy trực thuộc Trung ương quyết định, có văn bản đồng ý của ban thường vụ tỉnh ủy")),
    Rule("admission.introducer", "Người giới thiệu người vào Đảng", _implementing(
        "mục 3.2.1", "đảng viên chính thức, cùng công tác, học tập, cư trú ít nhất 12 tháng"),
        "admission.introducer_months_together"),
    Rule("admission.introducer_replacement", "Người giới thiệu được chi bộ phân công thay", _implementing(
        "mục 3.2.2", "đảng viên chính thức khác; không cần đủ 12 tháng")),
    Rule("admission.introduction", "Giới thiệu người vào Đảng", _implementing(
        "mục 3.1", "hai đảng viên chính thức, hoặc nghị quyết của Đoàn / Công đoàn cơ sở và một đảng viên chính thức")),
    Rule("screening.dues_unpaid", "Xóa tên khi không đóng đảng phí", (
        *_implementing("mục 8.1", "3 tháng trong năm không đóng đảng phí, không có lý do")[:3],
        _V("01-QĐ/TW", None, date(2026, 2, 1), "3 tháng trong năm không đóng đảng phí, không có lý do"),
    )),
    Rule("screening.absent", "Xóa tên khi bỏ sinh hoạt đảng", _implementing(
        "mục 8.1", "bỏ sinh hoạt đảng 3 tháng trong năm, không có lý do"), "screening.absent_months"),
    Rule("screening.standards_two_years", "Vi phạm tư cách đảng viên hai năm liền", tuple(
        replace(v, confidence="low", doubt=_KHTNV if v.doubt is None else f"{_KHTNV}; {v.doubt}")
        for v in _implementing("mục 8.1", "hai năm liền xếp loại không hoàn thành nhiệm vụ")),
        "screening.khtnv_years"),
    Rule("transfer.temporary", "Chuyển sinh hoạt đảng tạm thời", _implementing(
        "mục 6.3.2", "đi làm, cư trú 3 tháng đến dưới 1 năm, đi học 3 tháng đến 2 năm; hết hạn thì trở về")),
    Rule("exemption.activity", "Miễn công tác và sinh hoạt đảng", _implementing(
        "mục 7.1", "chi bộ xem xét, quyết định; vì ốm đau tối đa 12 tháng mỗi lần"), "exemption.max_sick_months"),
    Rule("rating.levels", "Các mức xếp loại chất lượng đảng viên", (
        _V("124-QĐ/TW", "Điều 12", date(2023, 10, 4), "4 mức: HTXSNV, HTTNV, HTNV, KHTNV"),
        _V("366-QĐ/TW", "Điều 11", date(2025, 8, 30), "4 mức theo thang 100 điểm: ≥ 90, 70–< 90, 50–< 70, < 50"),
    )),
    Rule("rating.excellent_quota", "Tỷ lệ xếp loại hoàn thành xuất sắc", (
        _V("124-QĐ/TW", None, date(2023, 10, 4), "không quá 20 % số được xếp loại HTTNV"),
        _V("366-QĐ/TW", None, date(2025, 8, 30), "không quá 20 % số được xếp loại HTTNV", "low",
           "chưa thấy 366-QĐ/TW hay 43-HD/BTCTW giữ mức 20 %"),
    )),
    Rule("badges.milestones", "Mốc tặng Huy hiệu Đảng", (
        _V("01-HD/TW (2021)", "mục 18", date(2021, 9, 28), "30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 năm"),
        _V("06-HD/TW", None, date(2025, 6, 9), "30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 năm", "medium",
           "các ứng dụng năm 2026 vẫn dùng các mốc này; chưa thấy văn bản thay đổi"),
        _V("01-HD/TW (2026)", None, date(2026, 5, 19), "30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90 năm", "low",
           "các ứng dụng năm 2026 vẫn dùng các mốc này; " + _LOW_HD_2026),
    )),
    Rule("dues.rates", "Mức đóng đảng phí", (
        _V("342-QĐ/TW", None, date(2011, 4, 1), "1 % tiền lương; hưu trí 0,5 %; khác 2.000–30.000 đ/tháng"),
        _V("01-QĐ/TW", None, date(2026, 2, 1),
           "1 % tiền lương đóng bảo hiểm xã hội tháng trước; hưu trí 0,5 %; miễn khi đủ 50 năm tuổi Đảng", "medium",
           "mức cho người không tham gia bảo hiểm xã hội chỉ thấy trong ứng dụng của hai cấp ủy"),
    )),
    Rule("dues.insured", "Đảng phí của đảng viên hưởng lương, tham gia bảo hiểm xã hội", (
        _V("342-QĐ/TW", None, date(2011, 4, 1), "1 % tiền lương, phụ cấp hằng tháng"),
        _V("01-QĐ/TW", None, date(2026, 2, 1), "1 % tiền lương làm căn cứ đóng bảo hiểm xã hội tháng trước",
           "medium", _DUES_REPORTED),
    )),
    Rule("dues.pension", "Đảng phí của đảng viên hưởng lương hưu", (
        _V("342-QĐ/TW", None, date(2011, 4, 1), "0,5 % lương hưu"),
        _V("01-QĐ/TW", None, date(2026, 2, 1), "0,5 % lương hưu", "medium",
           _DUES_REPORTED),
    )),
    Rule("dues.uninsured", "Đảng phí của đảng viên không tham gia bảo hiểm xã hội, chưa đến tuổi nghỉ hưu", (
        _V("342-QĐ/TW", None, date(2011, 4, 1), "2.000–30.000 đ/tháng, mức do cấp ủy định", "medium",
           _DUES_342_FIXED),
        _V("01-QĐ/TW", None, date(2026, 2, 1), "0,3 % lương tối thiểu vùng (2026–2027), 0,5 % từ năm 2028", "low",
           _DUES_APPS),
    ), "dues.uninsured_percent"),
    Rule("dues.uninsured_retired", "Đảng phí của đảng viên không tham gia bảo hiểm xã hội, đã đến tuổi nghỉ hưu", (
        _V("342-QĐ/TW", None, date(2011, 4, 1), "50 % mức của đảng viên khác"),
        _V("01-QĐ/TW", None, date(2026, 2, 1), "0,2 % lương tối thiểu vùng (2026–2027), 0,3 % từ năm 2028", "low",
           _DUES_APPS),
    ), "dues.uninsured_retired_percent"),
    Rule("dues.student", "Đảng phí của đảng viên là học sinh, sinh viên", (
        _V("342-QĐ/TW", None, date(2011, 4, 1), "2.000–30.000 đ/tháng, mức do cấp ủy định", "medium",
           _DUES_342_FIXED),
        _V("01-QĐ/TW", None, date(2026, 2, 1), "5.000 đ/tháng", "low",
           _DUES_APPS),
    ), "dues.student_amount"),
    Rule("dues.exempt", "Miễn đóng đảng phí", (
        _V("01-QĐ/TW", None, date(2026, 2, 1), "đủ 50 năm tuổi Đảng; hưởng trợ cấp hưu trí xã hội; hoàn cảnh đặc "
           "biệt khó khăn, có đơn", "medium", _DUES_REPORTED),
    ), "dues.exempt_party_age_years"),
    Rule("dues.reduction", "Giảm đảng phí", (
        _V("01-QĐ/TW", None, date(2026, 2, 1), "giảm 30 %, 50 % hoặc 70 %, tối đa 12 tháng mỗi lần", "medium",
           _DUES_REPORTED),
    )),
    Rule("dossier.catalogue", "Danh mục hồ sơ đảng viên số hóa", (
        _V("1361-CV/BTCTW", "Phụ lục 1, 2", date(2026, 6, 30), "104 loại tài liệu, ba mức ưu tiên", "medium",
           "văn bản chính thức chưa công khai; theo bản chép của hai kho mã nguồn"),
    )),
)}


def rule(key: str) -> Rule:
    try:
        return RULES[key]
    except KeyError:
        raise NotFound(f"Không có quy tắc '{key}'.", hint="Xem danh sách bằng 'dangvien rules list'.") from None


def cite(key: str, day: date) -> str:
    """The citation of rule ``key`` as in force on ``day``: "Quy định 294-QĐ/TW, mục 4.1"."""
    return rule(key).on(day).cite()


CONFIDENCE = {"high": "cao", "medium": "trung bình", "low": "thấp"}


def listing(day: date) -> list[dict]:
    """Every rule with the version in force on ``day`` and the versions before and after it."""
    out = []
    for r in RULES.values():
        current = r.on(day)
        out.append({
            "key": r.key, "label": r.label, "regulation": current.regulation, "section": current.section,
            "citation": current.cite(), "since": current.since.isoformat(), "value": current.value,
            "confidence": current.confidence, "doubt": current.doubt, "setting": r.settings_key,
            "versions": [{"regulation": v.regulation, "section": v.section, "since": v.since.isoformat(),
                          "value": v.value, "confidence": v.confidence, "doubt": v.doubt} for v in r.versions],
        })
    return out
