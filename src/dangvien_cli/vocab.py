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
        """The code a typed or written word means, or None when it means none of them."""
        if text is None:
            return None
        return self._words.get(search_key(str(text)))

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


GENDER = CodeList("giới tính", _terms([
    ("male", "Nam", ("m", "trai", "nam gioi", "1")),
    ("female", "Nữ", ("f", "gai", "nu gioi", "0")),
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

NOT_RATED_REASON = CodeList("lý do không xếp loại", _terms([
    ("exempt", "Miễn công tác và sinh hoạt đảng", ("mien sinh hoat", "mien")),
    ("suspended", "Đình chỉ sinh hoạt đảng", ("dinh chi sinh hoat", "dinh chi")),
    ("new_member", "Kết nạp chưa đủ 6 tháng",
     ("moi ket nap", "chua du 6 thang", "ket nap chua du 6 thang", "dang vien moi")),
    ("sick_leave", "Nghỉ ốm dài ngày", ("om dai ngay", "nghi om")),
    ("other", "Lý do khác", ("khong xep loai", "chua xep loai", "kxl", "khong danh gia")),
]), option="--not-rated")

# Attendance marks of the monthly book (contract.md "Monthly books"): stored as one letter a month.
ATTENDANCE = CodeList("dấu sổ sinh hoạt", (
    Term("x", "Có mặt", ("v", "co", "co mat", "1", "+"), "x"),
    Term("p", "Vắng có phép", ("cp", "vp", "co phep", "vang co phep"), "p"),
    Term("k", "Vắng không lý do", ("kp", "vk", "khong", "khong phep", "vang", "vang khong phep", "0"), "k"),
    Term("-", "Không ghi", (), "-"),
))

# Dues marks (contract.md "Monthly books"): an amount paid, blank or 0 unpaid, "miễn" exempt.
DUES = CodeList("dấu sổ đảng phí", (
    Term("p", "Đã đóng", ("da dong", "dong"), "p"),
    Term("u", "Chưa đóng", ("chua dong", "khong dong"), "u"),
    Term("e", "Miễn", ("mien", "m", "mien dong", "duoc mien"), "e"),
    Term("-", "Không ghi", (), "-"),
))

SCREENING_DECISION = CodeList("quyết định rà soát", _terms([
    ("kept", "Giữ lại", ("giu", "giu lai")),
    ("warned", "Nhắc nhở, cảnh báo", ("nhac nho", "canh bao")),
    ("removed", "Xóa tên", ("xoa", "xoa ten")),
]), option="--decision")

# Events of a member's or an organization's history (members history, cells show, db log).
EVENT = CodeList("sự kiện", _terms([
    ("created", "Thêm vào danh sách"),
    ("updated", "Sửa hồ sơ"),
    ("transferred", "Chuyển sinh hoạt"),
    ("transferred_out", "Chuyển sinh hoạt đi"),
    ("temporary_transfer", "Chuyển sinh hoạt tạm thời"),
    ("temporary_transfer_ended", "Kết thúc sinh hoạt tạm thời"),
    ("exempted", "Miễn sinh hoạt"),
    ("exemption_ended", "Kết thúc miễn sinh hoạt"),
    ("left", "Ra khỏi danh sách"),
    ("readmitted", "Kết nạp lại"),
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
    ("political_theory", "Lý luận chính trị"), ("note", "Ghi chú"),
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
]))

# What an import read (imports.kind; also the event of its `db log` line).
IMPORT_KIND = CodeList("loại tệp nhập", _terms([
    ("roster", "Danh sách đảng viên"), ("ratings", "Kết quả xếp loại"), ("attendance", "Sổ sinh hoạt"),
    ("dues", "Sổ đảng phí"),
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
