"""The header vocabulary: which words in a roster's or a book's header cell mean which field.

Only the words: where the header sits, how two-row headers and numbering rows are read, and how the columns are
mapped is ``excel/headers.py``. Labels are compared by :func:`label_key` (no diacritics, any case, ``*`` marks,
line breaks and punctuation ignored), so "HỌ VÀ TÊN*", "Ho va ten" and "Họ và\\ntên" are one label. Add a
clerk's wording here, not in the reader.
"""

from __future__ import annotations

import re

from dangvien_cli.text import search_key

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def label_key(text: object) -> str:
    """'Họ và tên *' → 'ho va ten'; 'Ngày, tháng,\\nnăm sinh' → 'ngay thang nam sinh'."""
    if text is None or text == "":
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return _NON_ALNUM.sub(" ", search_key(str(text))).strip()


# --- Field names ---------------------------------------------------------------------------------------------
ROSTER_FIELDS = (
    "seq", "full_name", "other_name", "gender", "male_mark", "female_mark", "birth_date", "birth_male",
    "birth_female", "ethnicity", "religion", "hometown", "birthplace", "residence", "national_id",
    "old_id_number", "card_number", "admission_date", "official_date", "decision_date", "cell", "cell_national_code",
    "position",
    "education_general", "education_professional", "political_theory", "occupation", "note",
)
MONTH_FIELDS = tuple(f"m{i}" for i in range(1, 13))
RATING_FIELDS = ("rating", "rating_self", "rating_proposed", "score", "rating_reason")
ALL_FIELDS = frozenset(ROSTER_FIELDS + MONTH_FIELDS + RATING_FIELDS + ("ignore",))

# Labels of one header cell → field. Keys go through label_key, so write them as clerks do.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "seq": ("STT", "TT", "Số TT", "Số thứ tự"),
    "full_name": ("Họ và tên", "Họ tên", "Họ và tên đảng viên", "Họ tên đảng viên", "Họ và tên khai sinh",
                  "Tên đảng viên", "Đảng viên"),
    "other_name": ("Tên gọi khác", "Bí danh"),
    "gender": ("Giới tính", "Nam/Nữ", "Nam, Nữ", "Giới"),
    "birth_date": ("Ngày sinh", "Sinh ngày", "Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Năm sinh",
                   "Ngày/tháng/năm sinh", "Ngày sinh (dd/mm/yyyy)"),
    "ethnicity": ("Dân tộc",),
    "religion": ("Tôn giáo",),
    "hometown": ("Quê quán", "Nguyên quán"),
    "birthplace": ("Nơi sinh", "Nơi đăng ký khai sinh"),
    "residence": ("Nơi ở hiện nay", "Nơi ở", "Thường trú", "Nơi thường trú", "Nơi cư trú", "Chỗ ở hiện nay",
                  "Địa chỉ", "Nơi ở hiện tại"),
    "national_id": ("Số định danh cá nhân", "Số định danh", "CCCD", "Căn cước", "Căn cước công dân", "Số CCCD",
                    "CMND", "Số CMND", "CMND/CCCD", "Số CMND/CCCD", "CCCD/CMND", "Số căn cước",
                    "Số căn cước công dân", "Mã định danh"),
    "old_id_number": ("Số CMND cũ", "CMND cũ"),
    "card_number": ("Số thẻ đảng viên", "Số thẻ Đảng", "Số thẻ ĐV", "Số thẻ", "Thẻ đảng viên",
                    "Số thẻ Đảng theo QĐ 85"),
    "admission_date": ("Ngày vào Đảng", "Ngày kết nạp", "Ngày kết nạp Đảng", "Ngày vào Đảng CSVN",
                       "Ngày vào Đảng Cộng sản Việt Nam", "Ngày vào Đảng (dự bị)", "Ngày vào Đảng dự bị"),
    "official_date": ("Ngày chính thức", "Ngày công nhận chính thức", "Ngày công nhận đảng viên chính thức",
                      "Ngày vào Đảng chính thức", "Ngày chuyển chính thức"),
    "decision_date": ("Ngày quyết định kết nạp", "Ngày ký quyết định kết nạp", "Ngày QĐ kết nạp"),
    "cell": ("Chi bộ", "Tổ chức Đảng sinh hoạt", "Chi bộ sinh hoạt", "Tổ chức đảng", "Sinh hoạt tại chi bộ",
             "Tên chi bộ", "Đơn vị"),
    # The organization's code in the national database (M1.M2.M3.M4.M5; Công văn 1361-CV/BTCTW): per cell.
    "cell_national_code": ("Mã tổ chức đảng", "Mã tổ chức", "Mã tổ chức đảng trên CSDL quốc gia",
                           "Mã tổ chức trên cơ sở dữ liệu quốc gia", "Mã số tổ chức đảng", "Mã CSDL quốc gia",
                           "Mã tổ chức (M1.M2.M3.M4.M5)", "M1.M2.M3.M4.M5"),
    "position": ("Chức vụ", "Chức vụ, chức danh", "Chức danh", "Chức vụ đảng", "Chức vụ chính quyền"),
    "education_general": ("Trình độ học vấn", "Học vấn", "Văn hóa", "GDPT", "Trình độ văn hóa",
                          "Giáo dục phổ thông", "Trình độ GDPT"),
    "education_professional": ("Chuyên môn", "Trình độ chuyên môn", "Chuyên môn nghiệp vụ",
                               "Trình độ chuyên môn nghiệp vụ"),
    "political_theory": ("Lý luận chính trị", "LLCT", "Chính trị", "Trình độ lý luận chính trị",
                         "Trình độ LLCT", "Lý luận"),
    "occupation": ("Nghề nghiệp", "Nghề nghiệp hiện nay", "Công việc"),
    "note": ("Ghi chú",),
    # books: ratings
    "rating": ("Xếp loại", "Xếp loại chất lượng", "Kết quả xếp loại", "Mức xếp loại", "Mức xếp loại chất lượng",
               "Đánh giá, xếp loại", "Kết quả đánh giá, xếp loại", "Cấp ủy xếp loại", "Đảng ủy xếp loại",
               "Cấp có thẩm quyền quyết định", "Kết quả"),
    "rating_self": ("Tự xếp loại", "Tự đánh giá", "Tự nhận mức xếp loại", "Cá nhân tự xếp loại"),
    "rating_proposed": ("Chi bộ đề nghị", "Chi bộ xếp loại", "Chi bộ đánh giá", "Chi bộ đề xuất"),
    "score": ("Điểm", "Tổng điểm", "Điểm đánh giá", "Số điểm", "Điểm tự chấm"),
    "rating_reason": ("Lý do", "Lý do không xếp loại", "Lý do không đánh giá"),
}
LABELS: dict[str, str] = {label_key(lbl): f for f, labels in FIELD_WORDS.items() for lbl in labels}
for _m in range(1, 13):
    for _form in (f"T{_m}", f"T {_m}", f"Th{_m}", f"Th {_m}", f"Tháng {_m}", f"Tháng {_m:02d}", f"T{_m:02d}",
                  f"Th.{_m}", f"Th{_m:02d}"):
        LABELS[label_key(_form)] = f"m{_m}"
# Labels only meaningful as group labels over sub-labels (not fields on their own).
GROUP_LABELS = {
    "admission": ("Ngày vào Đảng", "Ngày vào Đảng CSVN", "Ngày vào Đảng Cộng sản Việt Nam", "Vào Đảng"),
    "birth": ("Ngày, tháng, năm sinh", "Ngày sinh", "Sinh ngày", "Năm sinh", "Ngày tháng năm sinh"),
    "gender": ("Giới tính", "Giới"),
    "education": ("Trình độ", "Trình độ học vấn, chuyên môn", "Trình độ đào tạo"),
    "month": ("Tháng", "Các tháng trong năm", "Tháng trong năm", "Sinh hoạt các tháng", "Đảng phí các tháng",
              "Dự sinh hoạt", "Đóng đảng phí", "Tham gia sinh hoạt", "Sinh hoạt chi bộ"),
    "rating": ("Xếp loại", "Xếp loại chất lượng", "Kết quả xếp loại", "Đánh giá, xếp loại",
               "Mức xếp loại chất lượng", "Kết quả đánh giá, xếp loại"),
}
GROUP_OF: dict[str, str] = {label_key(lbl): g for g, labels in GROUP_LABELS.items() for lbl in labels}
SUB_LABELS: dict[str, dict[str, str]] = {
    "admission": {"ket nap": "admission_date", "du bi": "admission_date", "vao dang": "admission_date",
                  "ngay ket nap": "admission_date", "chinh thuc": "official_date",
                  "ngay chinh thuc": "official_date", "cong nhan chinh thuc": "official_date",
                  "quyet dinh": "decision_date", "ngay quyet dinh": "decision_date"},
    "birth": {"nam": "birth_male", "nu": "birth_female"},
    "gender": {"nam": "male_mark", "nu": "female_mark"},
    "education": {"hoc van": "education_general", "van hoa": "education_general", "gdpt": "education_general",
                  "giao duc pho thong": "education_general", "chuyen mon": "education_professional",
                  "ly luan chinh tri": "political_theory", "llct": "political_theory",
                  "chinh tri": "political_theory", "ly luan": "political_theory"},
    "month": {str(m): f"m{m}" for m in range(1, 13)} | {f"{m:02d}": f"m{m}" for m in range(1, 10)},
    "rating": {"tu xep loai": "rating_self", "ca nhan tu xep loai": "rating_self", "tu danh gia": "rating_self",
               "chi bo de nghi": "rating_proposed", "chi bo xep loai": "rating_proposed",
               "chi bo de xuat": "rating_proposed", "cap uy quyet dinh": "rating",
               "dang uy quyet dinh": "rating", "cap co tham quyen quyet dinh": "rating",
               "cap tren quyet dinh": "rating", "ket qua": "rating", "muc xep loai": "rating", "diem": "score",
               "tong diem": "score", "ly do": "rating_reason"},
}
STANDALONE_SUB = {"nam": "male_mark", "nu": "female_mark", "ket nap": "admission_date",
                   "chinh thuc": "official_date"}
ALL_SUB_KEYS = frozenset(k for sub in SUB_LABELS.values() for k in sub)

ROSTER_KEY_FIELDS = frozenset({"full_name", "birth_date", "birth_male", "birth_female", "admission_date",
                               "card_number", "national_id", "gender", "male_mark", "official_date"})


def field_of_label(text: object) -> str | None:
    """The field a single header label names, or None."""
    key = label_key(text)
    if not key:
        return None
    if key in LABELS:
        return LABELS[key]
    return fuzzy_field(key)


# Contained phrases, in order, for labels that carry extra words ("Họ và tên (chữ in hoa)").
CONTAINS = (
    ("so cmnd cu", "old_id_number"), ("ma to chuc", "cell_national_code"), ("ma so to chuc", "cell_national_code"),
    ("ho va ten", "full_name"), ("ho ten", "full_name"), ("ten goi khac", "other_name"),
    ("dinh danh", "national_id"), ("can cuoc", "national_id"), ("cccd", "national_id"), ("cmnd", "national_id"),
    ("so the", "card_number"),
    ("quyet dinh ket nap", "decision_date"), ("qd ket nap", "decision_date"),
    ("chinh thuc", "official_date"), ("vao dang", "admission_date"), ("ket nap", "admission_date"),
    ("ngay sinh", "birth_date"), ("sinh ngay", "birth_date"), ("nam sinh", "birth_date"),
    ("gioi tinh", "gender"), ("dan toc", "ethnicity"), ("ton giao", "religion"), ("que quan", "hometown"),
    ("noi sinh", "birthplace"), ("noi o", "residence"), ("thuong tru", "residence"), ("cu tru", "residence"),
    ("ly luan", "political_theory"), ("llct", "political_theory"), ("hoc van", "education_general"),
    ("chuyen mon", "education_professional"), ("chuc vu", "position"), ("nghe nghiep", "occupation"),
    ("ghi chu", "note"), ("chi bo", "cell"), ("xep loai", "rating"), ("diem", "score"),
)


def fuzzy_field(key: str) -> str | None:
    padded = f" {key} "
    for phrase, fld in CONTAINS:
        if f" {phrase} " in padded:
            return fld
    return None


