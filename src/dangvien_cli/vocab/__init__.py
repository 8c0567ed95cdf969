"""The vocabulary: every code list the tool knows, said once.

Each list holds, for every code, the English code (database, JSON, contract.md), the Vietnamese label a person
reads (tables, history, CSV, printed forms) and the other words a clerk types or a file writes for it. Typed
and written words are compared by their search key (case, diacritics and đ folded, text.search_key), so a list
accepts ``tuoi``, ``Tuổi cao`` and ``age`` alike. ``services/``, ``excel/`` and ``cli/`` all ask this module;
nothing else keeps its own copy of a code list.

The schema's CHECK lists must equal these lists (a test compares them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dangvien_cli.errors import InvalidValue
from dangvien_cli.text import search_key


@dataclass(frozen=True)
class Term:
    """One code: ``code`` (English, stored), ``label`` (Vietnamese, shown), ``words`` (other accepted forms)."""

    code: str
    label: str
    words: tuple[str, ...] = ()
    short: str | None = None  # the abbreviation printed in narrow columns (HTXSNV, "Nam"), if any


@dataclass
class CodeList:
    """A list of codes with their labels and the words that mean them."""

    name: str  # what the list is, in Vietnamese ("giới tính")
    terms: tuple[Term, ...]
    option: str | None = None  # the option that takes this list, named in refusals ("--gender")
    _words: dict[str, str] = field(init=False, repr=False)
    _by_code: dict[str, Term] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code = {t.code: t for t in self.terms}
        self._words = {}
        for term in self.terms:
            for word in (term.code, term.label, term.short, *term.words):
                if word:
                    key = search_key(word)
                    known = self._words.setdefault(key, term.code)
                    if known != term.code:
                        raise ValueError(f"{self.name}: '{word}' means both {known} and {term.code}")

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def label(self, code: str | None) -> str:
        """The Vietnamese label of ``code`` ('' for none; an unknown code is shown as it is)."""
        if code is None:
            return ""
        term = self._by_code.get(code)
        return term.label if term else str(code)

    def short(self, code: str | None) -> str:
        if code is None:
            return ""
        term = self._by_code.get(code)
        return (term.short or term.label) if term else str(code)

    def labels(self) -> dict[str, str]:
        return {t.code: t.label for t in self.terms}

    def lookup(self, text: object) -> str | None:
        """The code a typed or written word means, or None when it means none of them.

        A whole number read from a spreadsheet (``1.0``) is its digits; a trailing full stop or spaces around
        the word ("x.", " HTTNV ") do not change what it means.
        """
        if text is None or text.__class__ is bool:
            return None
        if text.__class__ is float and text.is_integer():
            text = int(text)
        key = search_key(str(text))
        code = self._words.get(key)
        if code is None and key:
            code = self._words.get(key.strip(" ."))
        return code

    def parse(self, text: object, *, option: str | None = None) -> str:
        """The code ``text`` means; refuses with the choices (and the option that takes them) otherwise."""
        code = self.lookup(text)
        if code is None:
            raise InvalidValue(f"{self.name[:1].upper()}{self.name[1:]} '{text}' không hợp lệ.",
                               hint=self.choices_hint(option or self.option))
        return code

    def choices_hint(self, option: str | None = None) -> str:
        choices = "; ".join(f"{t.code} ({t.label})" for t in self.terms)
        where = f"{option}: " if option else ""
        return f"Ghi {where}{choices}."

    def help(self) -> str:
        """The choices for an option's help text: code (Vietnamese word without diacritics)."""
        return ", ".join(f"{t.code} ({t.label})" for t in self.terms)


def _terms(pairs: Iterable[tuple]) -> tuple[Term, ...]:
    return tuple(Term(*p) for p in pairs)


# "1"/"0" are not accepted: files use them both ways round, and a guess would store the wrong gender.
GENDER = CodeList("giới tính", _terms([
    ("male", "Nam", ("m", "trai", "nam gioi")),
    ("female", "Nữ", ("f", "gai", "nu gioi")),
]), option="--gender")

MEMBERSHIP = CodeList("loại đảng viên", _terms([
    ("probationary", "Dự bị", ("du bi", "dang vien du bi", "db")),
    ("official", "Chính thức", ("chinh thuc", "dang vien chinh thuc", "ct")),
]), option="--membership")

STATUS = CodeList("trạng thái", _terms([
    ("active", "Đang sinh hoạt", ("dang sinh hoat", "sinh hoat")),
    ("exempt", "Miễn sinh hoạt", ("mien", "mien sinh hoat", "mien cong tac va sinh hoat dang")),
    ("suspended", "Đình chỉ sinh hoạt", ("dinh chi", "dinh chi sinh hoat")),
    ("transferred_out", "Đã chuyển đi", ("chuyen di", "da chuyen di", "chuyen sinh hoat di")),
    ("removed", "Xóa tên", ("xoa ten", "xoa ten khoi danh sach")),
    ("expelled", "Khai trừ", ("khai tru",)),
    ("resigned", "Xin ra khỏi Đảng", ("xin ra", "ra khoi dang", "xin ra khoi dang")),
    ("deceased", "Từ trần", ("tu tran", "chet", "mat", "qua doi", "tu tran")),
]), option="--status")

# How a member leaves the list (`members leave --reason`, domain.md §1.9).
LEAVE_REASON = CodeList("lý do ra khỏi danh sách", tuple(t for t in STATUS if t.code in (
    "removed", "expelled", "resigned", "deceased")), option="--reason")

ORG_KIND = CodeList("loại tổ chức đảng", _terms([
    ("province_committee", "Đảng bộ tỉnh / Tỉnh ủy", ("dang bo tinh", "tinh uy", "thanh uy")),
    ("commune_committee", "Đảng bộ xã, phường, đặc khu (trực thuộc tỉnh)",
     ("dang bo xa", "dang bo phuong", "dang uy xa", "dang uy phuong", "dac khu")),
    ("district_committee", "Huyện ủy (trước 1/7/2025)", ("huyen uy", "dang bo huyen")),
    ("grassroots_committee", "Đảng bộ cơ sở", ("dang bo co so",)),
    ("grassroots_cell", "Chi bộ cơ sở", ("chi bo co so",)),
    ("partial_committee", "Đảng bộ bộ phận", ("dang bo bo phan",)),
    ("cell", "Chi bộ trực thuộc", ("chi bo", "chi bo truc thuoc")),
    ("party_group", "Tổ đảng", ("to dang",)),
]), option="--kind")

EXEMPTION_REASON = CodeList("lý do miễn sinh hoạt", _terms([
    ("age", "Tuổi cao", ("tuoi", "tuoi cao", "gia yeu")),
    ("health", "Sức khỏe yếu", ("suc khoe", "om", "om dau", "suc khoe yeu")),
    ("far_away", "Đi làm ăn xa", ("di xa", "lam an xa", "di lam an xa")),
    ("other", "Lý do khác", ("khac", "ly do khac")),
]), option="--reason")

RATING_LEVEL = CodeList("mức xếp loại", (
    Term("HTXSNV", "Hoàn thành xuất sắc nhiệm vụ", ("xuat sac", "ht xuat sac", "htxs"), "HTXSNV"),
    Term("HTTNV", "Hoàn thành tốt nhiệm vụ", ("tot", "ht tot", "htt"), "HTTNV"),
    Term("HTNV", "Hoàn thành nhiệm vụ", ("ht", "hoan thanh"), "HTNV"),
    Term("KHTNV", "Không hoàn thành nhiệm vụ", ("khong hoan thanh", "kht"), "KHTNV"),
), option="--level")

# QĐ 366-QĐ/TW score bands of the four levels (domain.md §2): [low, high), the top band includes 100.
SCORE_BANDS: dict[str, tuple[float, float]] = {"HTXSNV": (90, 100), "HTTNV": (70, 90), "HTNV": (50, 70),
                                               "KHTNV": (0, 50)}


def score_level(score: float) -> str:
    """The level whose QĐ 366 band holds ``score`` (0–100): ≥ 90, 70 to < 90, 50 to < 70, < 50."""
    for level, (low, _high) in SCORE_BANDS.items():
        if score >= low:
            return level
    return "KHTNV"


def score_in_band(level: str, score: float) -> bool:
    low, high = SCORE_BANDS[level]
    return low <= score < high or (high == 100 and score == 100)


NOT_RATED_REASON = CodeList("lý do không xếp loại", _terms([
    ("exempt", "Miễn công tác và sinh hoạt đảng", ("mien sinh hoat", "mien")),
    ("suspended", "Đình chỉ sinh hoạt đảng", ("dinh chi sinh hoat", "dinh chi")),
    ("new_member", "Kết nạp chưa đủ 6 tháng",
     ("moi ket nap", "chua du 6 thang", "ket nap chua du 6 thang", "dang vien moi", "moi ket nap duoi 6 thang")),
    ("sick_leave", "Nghỉ ốm dài ngày", ("om dai ngay", "nghi om")),
    ("other", "Lý do khác", ("khong xep loai", "chua xep loai", "kxl", "khong danh gia", "khong danh gia xep loai")),
]), option="--not-rated")

# Attendance marks of the monthly book (contract.md "Monthly books"): stored as one letter a month.
ATTENDANCE = CodeList("dấu sổ sinh hoạt", (
    Term("x", "Có mặt", ("v", "c", "co", "co mat", "du hop", "1", "+", "✓", "✔"), "x"),
    Term("p", "Vắng có phép", ("cp", "vp", "phep", "co phep", "vang co phep"), "p"),
    Term("k", "Vắng không lý do", ("kp", "vk", "khong", "khong phep", "vang", "vang khong phep", "0"), "k"),
    Term("-", "Không ghi", (), "-"),
))

# Dues marks (contract.md "Monthly books"): an amount paid, blank or 0 unpaid, "miễn" exempt.
DUES = CodeList("dấu sổ đảng phí", (
    Term("p", "Đã đóng", ("da dong", "dong", "da nop", "x", "co", "✓", "✔"), "p"),
    Term("u", "Chưa đóng", ("chua dong", "khong dong", "chua nop", "khong", "0"), "u"),
    Term("e", "Miễn", ("mien", "m", "mien dong", "duoc mien", "mien dp", "mien dang phi", "mien nop"), "e"),
    Term("-", "Không ghi", (), "-"),
))

# Dues categories (domain.md §4; Quy định 01-QĐ/TW from 1/2/2026, Quyết định 342-QĐ/TW before): what a member's
# monthly dues are computed from. Recorded per member with dates (dues_categories).
DUES_CATEGORY = CodeList("diện đóng đảng phí", _terms([
    ("insured", "Tham gia bảo hiểm xã hội bắt buộc",
     ("bhxh", "bao hiem xa hoi", "luong", "tien luong", "can bo cong chuc", "cong chuc", "vien chuc")),
    ("pension", "Hưởng lương hưu", ("huu", "luong huu", "huu tri", "nghi huu")),
    ("uninsured", "Không tham gia bảo hiểm xã hội, chưa đến tuổi nghỉ hưu",
     ("khong bhxh", "khong bao hiem", "nong dan", "lao dong tu do")),
    ("uninsured_retired", "Không tham gia bảo hiểm xã hội, đã đến tuổi nghỉ hưu",
     ("khong bhxh da het tuoi", "het tuoi lao dong", "tuoi nghi huu")),
    ("student", "Học sinh, sinh viên", ("hoc sinh", "sinh vien", "hssv")),
    ("social_pension", "Hưởng trợ cấp hưu trí xã hội", ("tro cap huu tri xa hoi", "huu tri xa hoi")),
    ("hardship", "Hoàn cảnh đặc biệt khó khăn (có đơn)",
     ("kho khan", "ho ngheo", "can ngheo", "om dau", "benh hiem ngheo")),
]), option="--category")

# What the check of the dues book says of one month (reports dues, screening dues_short / dues_over).
DUES_CHECK = CodeList("kết quả đối chiếu đảng phí", _terms([
    ("ok", "Đủ"),
    ("short", "Đóng thiếu"),
    ("over", "Đóng thừa"),
    ("unpaid", "Chưa đóng"),
    ("exempt", "Miễn"),
    ("unknown", "Chưa tính được"),
]))

# Why a badge is proposed at an occasion (rules/badges.py, domain.md §3).
BADGE_GROUND = CodeList("căn cứ xét tặng huy hiệu", (
    Term("regular", "Đủ tuổi đảng", (), "Đủ tuổi"),
    Term("seriously_ill", "Ốm nặng, xét tặng sớm", ("om nang",), "Ốm nặng"),
    Term("posthumous", "Truy tặng", ("truy tang",)),
))

# The award occasions (rules/badges.OCCASIONS, HD 01-HD/TW 2021 mục 18), by "mm-dd".
BADGE_OCCASION = CodeList("dịp trao huy hiệu", (
    Term("02-03", "kỷ niệm Ngày thành lập Đảng Cộng sản Việt Nam (3/2)"),
    Term("05-19", "kỷ niệm Ngày sinh Chủ tịch Hồ Chí Minh (19/5)"),
    Term("09-02", "kỷ niệm Quốc khánh (2/9)"),
    Term("11-07", "kỷ niệm Cách mạng Tháng Mười Nga (7/11)"),
))

# Kinds of transfer of membership (transfers.kind; domain.md §1.8).
TRANSFER_KIND = CodeList("loại chuyển sinh hoạt", _terms([
    ("official", "Chuyển sinh hoạt chính thức"),
    ("temporary", "Chuyển sinh hoạt tạm thời"),
    ("internal", "Chuyển sinh hoạt trong đảng bộ"),
    ("abroad", "Chuyển sinh hoạt ra nước ngoài"),
]))

SCREENING_DECISION = CodeList("quyết định rà soát", (
    Term("kept", "Giữ lại", ("giu", "giu lai")),
    Term("warned", "Nhắc nhở, cảnh báo", ("nhac nho", "canh bao"), "Nhắc nhở"),
    Term("removed", "Xóa tên", ("xoa", "xoa ten", "da xoa ten")),
), option="--decision")

# What the yearly screening looks for (rules/screening.py): member findings, then organization findings.
SCREENING_RULE = CodeList("căn cứ rà soát", _terms([
    ("absent_3_months", "Bỏ sinh hoạt chi bộ không có lý do"),
    ("dues_unpaid_3_months", "Không đóng đảng phí không có lý do"),
    ("rated_khtnv_2_years", "Không hoàn thành nhiệm vụ hai năm liền"),
    ("probation_overdue", "Quá hạn xét công nhận đảng viên chính thức"),
    ("temporary_transfer_expired", "Hết hạn sinh hoạt đảng tạm thời"),
    ("transfer_not_presented", "Chưa nộp giấy giới thiệu sinh hoạt đảng"),
    ("exemption_expired", "Hết hạn miễn công tác và sinh hoạt đảng"),
    ("not_rated", "Chưa được đánh giá, xếp loại"),
    ("dues_short", "Đóng thiếu đảng phí"),
    ("dues_over", "Đóng thừa đảng phí"),
    ("cell_too_small", "Chi bộ dưới 3 đảng viên chính thức"),
    ("cell_needs_committee", "Chi bộ từ 9 đảng viên chính thức chưa có chi ủy"),
    ("grassroots_cell_too_large", "Chi bộ cơ sở từ 30 đảng viên"),
    ("ratings_missing", "Chưa ghi kết quả xếp loại đảng viên"),
]))

# The path of a candidate (domain.md §1.2, §1.3), in dossier order. Labels are read inside sentences.
ADMISSION_STEP = CodeList("bước kết nạp", _terms([
    ("course", "học lớp bồi dưỡng nhận thức về Đảng"),
    ("application", "đơn xin vào Đảng"),
    ("introduced", "giới thiệu người vào Đảng"),
    ("biography_verified", "thẩm tra lý lịch người vào Đảng"),
    ("cell_resolution", "nghị quyết chi bộ đề nghị kết nạp"),
    ("committee_resolution", "nghị quyết đảng ủy cơ sở"),
    ("decision", "quyết định kết nạp"),
    ("ceremony", "lễ kết nạp"),
    ("recognition_resolution", "nghị quyết chi bộ đề nghị công nhận chính thức"),
    ("recognition", "công nhận đảng viên chính thức"),
]), option="--step")

CANDIDATE_STATUS = CodeList("tình trạng hồ sơ người vào Đảng", _terms([
    ("following", "Đang bồi dưỡng"),
    ("probationary", "Đảng viên dự bị"),
    ("official", "Đảng viên chính thức"),
    ("not_recognized", "Không được công nhận chính thức"),
    ("withdrawn", "Thôi theo dõi"),
]), option="--status")

# What `admissions due` lists (services/admissions.py deadlines).
ADMISSION_DEADLINE = CodeList("hạn", _terms([
    ("certificate_expiry", "Giấy chứng nhận nhận thức về Đảng hết hạn"),
    ("decision", "Quyết định kết nạp"),
    ("ceremony", "Lễ kết nạp"),
    ("probation_end", "Hết 12 tháng dự bị"),
    ("recognition", "Xét công nhận chính thức"),
]))

# Why a former member left, for readmission (domain.md §1.3, QĐ 232 §3.5.1). Labels are read inside sentences.
READMISSION_REASON = CodeList("lý do ra khỏi Đảng", _terms([
    ("abandoned_activity", "tự bỏ sinh hoạt đảng"),
    ("resigned", "xin ra khỏi Đảng"),
    ("serious_disunity", "gây mất đoàn kết nội bộ nghiêm trọng"),
    ("corruption_conviction", "bị kết án về tội tham nhũng"),
    ("serious_crime_conviction", "bị kết án về tội nghiêm trọng trở lên"),
    ("less_serious_crime_conviction", "bị kết án về tội ít nghiêm trọng"),
    ("dues_unpaid", "không đóng đảng phí"),
    ("lost_standing", "không còn đủ tư cách đảng viên"),
    ("expelled", "bị khai trừ vì vi phạm kỷ luật"),
    ("probation_not_recognized", "không được công nhận đảng viên chính thức"),
    ("other", "lý do khác"),
]), option="--previous-reason")

EXEMPTION_KIND = CodeList("loại miễn", _terms([
    ("exempt", "Miễn công tác và sinh hoạt đảng"),
    ("temporary_suspension", "Tạm miễn sinh hoạt đảng"),
]), option="--kind")

UNIT_TYPE = CodeList("loại đơn vị", _terms([
    ("village", "Thôn, bản, tổ dân phố"),
    ("residential_group", "Khu dân cư"),
    ("agency", "Cơ quan"),
    ("school", "Trường học"),
    ("state_enterprise", "Doanh nghiệp nhà nước"),
    ("private_enterprise", "Doanh nghiệp tư nhân"),
    ("military", "Quân đội"),
    ("police", "Công an"),
    ("other", "Khác"),
]), option="--unit-type")

# Periods deducted from party age (domain.md §1.4).
GAP_KIND = CodeList("khoảng không tính tuổi đảng", _terms([
    ("expelled", "Khai trừ"),
    ("removed", "Xóa tên"),
    ("lost_contact", "Mất liên lạc"),
    ("transfer_gap", "Gián đoạn khi chuyển sinh hoạt"),
    ("other", "Lý do khác"),
]))

# Admission targets of the committee report (services/reports.py).
TARGET_STATUS = CodeList("so với chỉ tiêu", _terms([
    ("below", "Dưới chỉ tiêu"),
    ("within", "Đạt chỉ tiêu"),
    ("above", "Vượt chỉ tiêu"),
]))

# Events of a member's or an organization's history (members history, cells show, db log).
EVENT = CodeList("sự kiện", _terms([
    ("created", "Thêm vào danh sách"),
    ("updated", "Sửa hồ sơ"),
    ("transferred", "Chuyển sinh hoạt"),
    ("transferred_out", "Chuyển sinh hoạt đi"),
    ("transferred_in", "Chuyển sinh hoạt đến"),
    ("temporary_transfer", "Chuyển sinh hoạt tạm thời"),
    ("temporary_transfer_ended", "Kết thúc sinh hoạt tạm thời"),
    ("exempted", "Miễn sinh hoạt"),
    ("exemption_ended", "Kết thúc miễn sinh hoạt"),
    ("left", "Ra khỏi danh sách"),
    ("readmitted", "Kết nạp lại"),
    ("restored", "Phục hồi đảng tịch"),
    ("rated", "Xếp loại"),
    ("attendance", "Sổ sinh hoạt"),
    ("dues", "Sổ đảng phí"),
    ("badge_awarded", "Trao Huy hiệu Đảng"),
    ("screening_decision", "Quyết định rà soát"),
    ("recognized", "Công nhận chính thức"),
    ("moved", "Chuyển cấp trên"),
    ("renamed", "Đổi tên"),
    ("dissolved", "Giải thể"),
    ("merged", "Sáp nhập"),
    ("imported", "Nhập từ tệp"),
]))

# Fields of the member record as people read them (history, messages, the printed sheet).
MEMBER_FIELD = CodeList("trường", _terms([
    ("full_name", "Họ và tên"), ("other_name", "Tên gọi khác"), ("gender", "Giới tính"),
    ("birth_date", "Ngày sinh"), ("ethnicity", "Dân tộc"), ("religion", "Tôn giáo"), ("hometown", "Quê quán"),
    ("birthplace", "Nơi sinh"), ("residence", "Nơi ở hiện nay"), ("national_id", "Số định danh cá nhân"),
    ("old_id_number", "Số CMND cũ"), ("card_number", "Số thẻ đảng viên"), ("biography_number", "Số lý lịch"),
    ("decision_date", "Ngày quyết định kết nạp"), ("admission_date", "Ngày vào Đảng"),
    ("official_date", "Ngày chính thức"), ("membership", "Loại đảng viên"), ("status", "Trạng thái"),
    ("status_date", "Ngày đổi trạng thái"), ("cell_id", "Chi bộ"), ("host_cell_id", "Chi bộ sinh hoạt tạm thời"),
    ("host_until", "Sinh hoạt tạm thời đến"), ("occupation", "Nghề nghiệp"), ("position", "Chức vụ"),
    ("education_general", "Giáo dục phổ thông"), ("education_professional", "Chuyên môn, nghiệp vụ"),
    ("political_theory", "Lý luận chính trị"), ("note", "Ghi chú"), ("seriously_ill_since", "Ốm nặng từ ngày"),
]))


# What stops a record from going into the national party-member database (check national, contract.md).
NATIONAL_PROBLEM = CodeList("vấn đề hồ sơ", _terms([
    ("national_id_missing", "Thiếu số định danh"),
    ("national_id_format", "Số định danh sai cấu trúc"),
    ("national_id_gender", "Định danh trái giới tính"),
    ("national_id_birth_year", "Định danh trái năm sinh"),
    ("national_id_shared", "Định danh trùng người khác"),
    ("card_shared", "Số thẻ là định danh người khác"),
    ("card_differs_from_id", "Thẻ mới khác số định danh"),
    ("likely_duplicate", "Có thể trùng người"),
    ("missing_field", "Thiếu thông tin bắt buộc"),
]))

# A document of a member's dossier (Công văn 1361-CV/BTCTW): the schema's dossier_documents.state.
DOSSIER_STATE = CodeList("tình trạng tài liệu", _terms([
    ("scanned", "Đã scan", ("scan", "da scan")),
    ("paper", "Có bản giấy", ("giay", "ban giay")),
    ("missing", "Còn thiếu", ("thieu",)),
    ("na", "Không áp dụng", ("khong ap dung",)),
]))

# What the first screen (`reports summary`) lists as due this month besides the admissions deadlines.
DUE_KIND = CodeList("việc đến hạn", _terms([
    ("badge", "Trao Huy hiệu Đảng"),
    ("exemption_end", "Hết hạn miễn công tác, sinh hoạt"),
    ("temporary_transfer_end", "Hết hạn sinh hoạt tạm thời"),
]))


def label(codes: CodeList, code: str | None) -> str:
    """Shorthand: ``label(STATUS, "active")`` → "Đang sinh hoạt"."""
    return codes.label(code)


# Fields of an organization's record as people read them (cells show, db log).
CELL_FIELD = CodeList("trường của tổ chức", _terms([
    ("name", "Tên"), ("code", "Mã"), ("kind", "Loại"), ("parent", "Cấp trên"), ("unit_type", "Loại đơn vị"),
    ("online_meetings", "Sinh hoạt trực tuyến"), ("secretary_is_village_head", "Bí thư kiêm trưởng thôn"),
    ("has_committee", "Có chi ủy"), ("note", "Ghi chú"), ("valid_from", "Ngày thành lập"),
    ("valid_to", "Ngày giải thể"), ("cell", "Chi bộ"),
]))

# What a line of `db log` is about.
LOG_KIND = CodeList("loại thay đổi", _terms([
    ("member", "Đảng viên"), ("cell", "Tổ chức"), ("import", "Nhập tệp"),
    ("command", "Lệnh khác"),  # a write that left no history row of its own (settings, restore, admissions)
]))

# What an import read (imports.kind; also the event of its `db log` line).
IMPORT_KIND = CodeList("loại tệp nhập", _terms([
    ("roster", "Danh sách đảng viên"), ("ratings", "Kết quả xếp loại"), ("attendance", "Sổ sinh hoạt"),
    ("dues", "Sổ đảng phí"),
]))

# What a merge of a committee's file could not decide (`db merge`, contract.md "Merge report").
MERGE_CONFLICT = CodeList("loại chỗ vênh khi gộp", _terms([
    ("changed_both", "Sửa ở cả hai nơi"), ("different_values", "Hai bên khác nhau"),
    ("two_candidates", "Hai người có thể là một"), ("identity", "Số thẻ / số định danh của người khác"),
    ("unknown_organization", "Tổ chức chưa có ở đây"),
]))

# The tables a committee's file carries, as the merge report names them.
MERGE_TABLE = CodeList("bảng", _terms([
    ("cells", "Tổ chức đảng"), ("imports", "Lần nhập tệp"), ("commands", "Lệnh đã ghi (nhật ký)"),
    ("members", "Đảng viên"), ("cell_events", "Lịch sử tổ chức"), ("member_events", "Lịch sử đảng viên"),
    ("member_gaps", "Thời gian không tính tuổi đảng"), ("transfers", "Chuyển sinh hoạt"),
    ("exemptions", "Miễn sinh hoạt"), ("candidates", "Hồ sơ kết nạp"), ("candidate_steps", "Bước kết nạp"),
    ("candidate_introducers", "Người giới thiệu"), ("member_ratings", "Xếp loại đảng viên"),
    ("cell_ratings", "Xếp loại tổ chức"), ("attendance_books", "Sổ sinh hoạt"), ("dues_books", "Sổ đảng phí"),
    ("badge_awards", "Huy hiệu Đảng"), ("dossier_documents", "Tài liệu hồ sơ"),
    ("screening_runs", "Lần rà soát"), ("screening_findings", "Mục rà soát"),
]))

# The code list of a field whose stored values are codes (history old/new values).
FIELD_CODES = {"status": STATUS, "membership": MEMBERSHIP, "gender": GENDER, "kind": ORG_KIND}


def field_label(field: str | None) -> str:
    """The Vietnamese name of a member's or an organization's field ('' for none)."""
    if not field:
        return ""
    if field in MEMBER_FIELD:
        return MEMBER_FIELD.label(field)
    return CELL_FIELD.label(field)


def value_label(field: str | None, value: object) -> object:
    """A stored value of ``field`` as a person reads it (a status code becomes its label)."""
    codes = FIELD_CODES.get(field or "")
    if codes is not None and isinstance(value, str) and value in codes:
        return codes.label(value)
    return value


def event_label(event: str | None) -> str:
    """An event of a history or of `db log` (an import's line carries the kind of file)."""
    if event in EVENT:
        return EVENT.label(event)
    return IMPORT_KIND.label(event)


from dangvien_cli.vocab import limits, marks  # noqa: E402,F401 - vocab.marks.rating_value(...), vocab.limits
