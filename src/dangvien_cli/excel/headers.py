"""Find a roster's or a book's header wherever it sits and map its columns to field names (domain.md §6.1).

Real rosters put title rows above the header ("ĐẢNG BỘ …", "DANH SÁCH ĐẢNG VIÊN", "(Tính đến ngày …)"), use
two-row headers with merged group labels ("Ngày vào Đảng" over "Kết nạp" | "Chính thức"), and often a numbering
row "(1) (2) (3) …" under the header. Labels are matched on :func:`label_key` (no diacritics, any case, ``*``
marks, line breaks and punctuation ignored), so "HỌ VÀ TÊN*", "Ho va ten" and "Họ và\\ntên" are one label.

Column indices are 0-based Excel columns (A=0), the same as :class:`workbook.SheetData` grids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from dangvien_cli.errors import InvalidValue
from dangvien_cli.excel.workbook import SheetData, column_letter
from dangvien_cli.text import search_key
from dangvien_cli.vocab import MEMBER_FIELD

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
    "old_id_number", "card_number", "admission_date", "official_date", "decision_date", "cell", "position",
    "education_general", "education_professional", "political_theory", "occupation", "note",
)
MONTH_FIELDS = tuple(f"m{i}" for i in range(1, 13))
RATING_FIELDS = ("rating", "rating_self", "rating_proposed", "score", "rating_reason")
ALL_FIELDS = frozenset(ROSTER_FIELDS + MONTH_FIELDS + RATING_FIELDS + ("ignore",))

# Labels of one header cell → field. Keys go through label_key, so write them as clerks do.
_LABELS: dict[str, tuple[str, ...]] = {
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
LABELS: dict[str, str] = {label_key(lbl): f for f, labels in _LABELS.items() for lbl in labels}
for _m in range(1, 13):
    for _form in (f"T{_m}", f"T {_m}", f"Th{_m}", f"Th {_m}", f"Tháng {_m}", f"Tháng {_m:02d}", f"T{_m:02d}",
                  f"Th.{_m}", f"Th{_m:02d}"):
        LABELS[label_key(_form)] = f"m{_m}"
# Labels only meaningful as group labels over sub-labels (not fields on their own).
_GROUPS = {
    "admission": ("Ngày vào Đảng", "Ngày vào Đảng CSVN", "Ngày vào Đảng Cộng sản Việt Nam", "Vào Đảng"),
    "birth": ("Ngày, tháng, năm sinh", "Ngày sinh", "Sinh ngày", "Năm sinh", "Ngày tháng năm sinh"),
    "gender": ("Giới tính", "Giới"),
    "education": ("Trình độ", "Trình độ học vấn, chuyên môn", "Trình độ đào tạo"),
    "month": ("Tháng", "Các tháng trong năm", "Tháng trong năm", "Sinh hoạt các tháng", "Đảng phí các tháng",
              "Dự sinh hoạt", "Đóng đảng phí", "Tham gia sinh hoạt", "Sinh hoạt chi bộ"),
    "rating": ("Xếp loại", "Xếp loại chất lượng", "Kết quả xếp loại", "Đánh giá, xếp loại",
               "Mức xếp loại chất lượng", "Kết quả đánh giá, xếp loại"),
}
GROUP_OF: dict[str, str] = {label_key(lbl): g for g, labels in _GROUPS.items() for lbl in labels}
_SUB_LABELS: dict[str, dict[str, str]] = {
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
_STANDALONE_SUB = {"nam": "male_mark", "nu": "female_mark", "ket nap": "admission_date",
                   "chinh thuc": "official_date"}
_ALL_SUB_KEYS = frozenset(k for sub in _SUB_LABELS.values() for k in sub)
_NUMBER_TOKEN = re.compile(r"^\(?\s*\d{1,2}\s*[a-z]?\s*\)?$")

ROSTER_KEY_FIELDS = frozenset({"full_name", "birth_date", "birth_male", "birth_female", "admission_date",
                               "card_number", "national_id", "gender", "male_mark", "official_date"})


def field_of_label(text: object) -> str | None:
    """The field a single header label names, or None."""
    key = label_key(text)
    if not key:
        return None
    if key in LABELS:
        return LABELS[key]
    return _fuzzy_field(key)


# Contained phrases, in order, for labels that carry extra words ("Họ và tên (chữ in hoa)").
_CONTAINS = (
    ("so cmnd cu", "old_id_number"),
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


def _fuzzy_field(key: str) -> str | None:
    padded = f" {key} "
    for phrase, fld in _CONTAINS:
        if f" {phrase} " in padded:
            return fld
    return None


@dataclass
class HeaderMap:
    """Where the header is and what each column means.

    ``header_rows``: Excel row numbers of the header (one or two rows); ``data_start_row``: first Excel row after
    the header (and after the numbering row, if any); ``fields``: {column: field}; ``labels``: {column: label as
    the file shows it, "Group / Sub" for two-row headers}; ``unknown``: {column: label} of labelled columns not
    mapped to any field (kept and listed, never dropped silently); ``ignored``: columns a ``--map`` override set
    to "ignore".
    """

    header_rows: tuple[int, ...]
    data_start_row: int
    fields: dict[int, str]
    labels: dict[int, str]
    unknown: dict[int, str] = field(default_factory=dict)
    numbering_row: int | None = None
    ignored: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def column_of(self, fld: str) -> int | None:
        for col, f in self.fields.items():
            if f == fld:
                return col
        return None

    def label_of(self, col: int) -> str:
        return self.labels.get(col) or f"Cột {column_letter(col)}"

    def field_label(self, fld: str) -> str:
        """The label the file shows for ``fld`` (or the Vietnamese name of the field if it has no column)."""
        col = self.column_of(fld)
        if col is None:
            return MEMBER_FIELD.label(fld)
        return self.label_of(col)


_SCAN_ROWS = 40


def _cell_text(v: object) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return " ".join(str(v).split())


def _row_score(keys: list[str], kind: str) -> tuple[int, set[str]]:
    found: set[str] = set()
    groups = 0
    for key in keys:
        if not key:
            continue
        fld = LABELS.get(key)
        if fld is None and key in GROUP_OF:
            groups += 1
            continue
        if fld is None and len(key) <= 40:
            fld = _fuzzy_field(key)
        if fld is not None:
            found.add(fld)
    score = len(found) * 2 + groups
    if "full_name" in found:
        score += 4
    if kind != "roster":
        score += sum(1 for f in found if f in MONTH_FIELDS or f in RATING_FIELDS)
    return score, found


def looks_like_roster(sheet: SheetData, kind: str = "roster") -> int:
    """How much the best header candidate of ``sheet`` looks like a roster (or a ``kind`` book): 0 = not at all."""
    best = 0
    for i, row in enumerate(sheet.grid[:_SCAN_ROWS]):
        keys = [label_key(v) for v in row]
        score, found = _row_score(keys, kind)
        if i + 1 < len(sheet.grid):
            score += sum(1 for k in (label_key(v) for v in sheet.grid[i + 1]) if k in _ALL_SUB_KEYS) // 2
        if "full_name" not in found and "card_number" not in found:
            score //= 2
        best = max(best, score)
    return best


def _is_numbering_row(row: list, name_col: int | None) -> bool:
    tokens = [v for v in row if v is not None and v != ""]
    if len(tokens) < 2:
        return False
    for v in tokens:
        if isinstance(v, bool):
            return False
        if isinstance(v, (int, float)):
            if not (float(v).is_integer() and 0 <= v <= 99):
                return False
        elif not _NUMBER_TOKEN.match(str(v).strip().lower()):
            return False
    if name_col is not None:
        return name_col < len(row) and row[name_col] not in (None, "")
    return True


def find_header(
    sheet: SheetData,
    mapping_overrides: dict[str, str] | None = None,
    kind: str = "roster",
) -> HeaderMap:
    """Locate the header in ``sheet`` and map its columns. Raises :class:`InvalidValue` when there is none.

    ``kind`` is 'roster' or a book kind ('attendance', 'dues', 'ratings'); it only weighs the candidates.
    ``mapping_overrides`` ({header text: field}, the CLI's ``--map "Header=field"``) wins over the built-in
    labels; the field 'ignore' drops a column on purpose.
    """
    grid = sheet.grid
    best_i, best_score, best_found = -1, 0, set()
    for i, row in enumerate(grid[:_SCAN_ROWS]):
        keys = [label_key(v) for v in row]
        score, found = _row_score(keys, kind)
        if score > best_score:
            best_i, best_score, best_found = i, score, found
    if best_i < 0 or best_score < 5:
        raise InvalidValue(
            f"Không tìm thấy dòng tiêu đề trong trang tính '{sheet.name}' (cần các cột như 'Họ và tên', "
            "'Ngày sinh', 'Số thẻ đảng viên').",
            hint="Kiểm tra tên cột, hoặc dùng --map \"Tên cột=trường\" để chỉ rõ.",
        )
    top_i = best_i
    top = grid[top_i]
    width = max(len(top), sheet.width)
    top_keys = [label_key(v) for v in top]
    merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in sheet.merged}
    abs_top = sheet.first_row - 1 + top_i  # 0-based absolute row of the top header row

    # Two-row header: the next row holds sub-labels under group labels (or under blanks of merged groups).
    # A data row or a numbering row fills the name (or card) column; a sub-label row leaves it blank, because
    # "Họ và tên" is merged down over both header rows.
    key_col = next((c for c, k in enumerate(top_keys) if LABELS.get(k) == "full_name"), None)
    if key_col is None:
        key_col = next((c for c, k in enumerate(top_keys) if LABELS.get(k) == "card_number"), None)
    sub_i: int | None = None
    if top_i + 1 < len(grid):
        nxt = grid[top_i + 1]
        nxt_keys = [label_key(v) for v in nxt]
        subs = 0
        for c, k in enumerate(nxt_keys):
            if not k:
                continue
            under = top_keys[c] if c < len(top_keys) else ""
            if (k in _ALL_SUB_KEYS and (not under or under in GROUP_OF)) or (k in LABELS and not under):
                subs += 1
        key_blank = key_col is None or key_col >= len(nxt) or nxt[key_col] in ("", None)
        # Under a plain field label ("STT", "Số thẻ") a sub-label row is blank (merged down); a data row is not.
        plain_filled = any(
            k and c < len(nxt) and nxt[c] not in ("", None) and k not in GROUP_OF
            for c, k in enumerate(top_keys)
        )
        has_values = any(isinstance(v, (date, datetime, bool)) for v in nxt)
        if subs >= 1 and key_blank and not plain_filled and not has_values:
            sub_i = top_i + 1
    if sub_i is None and top_i > 0:
        # The best row may itself be the sub-row, with groups above it.
        prev_keys = [label_key(v) for v in grid[top_i - 1]]
        if any(k in GROUP_OF for k in prev_keys) and any(k in _ALL_SUB_KEYS for k in top_keys):
            sub_i, top_i = top_i, top_i - 1
            top = grid[top_i]
            top_keys = prev_keys
            abs_top -= 1

    # Carry group labels across their merged width (or across blanks while sub-labels continue).
    group_at: list[str] = [""] * width
    group_text: list[str] = [""] * width
    for c in range(width):
        k = top_keys[c] if c < len(top_keys) else ""
        if k:
            span_end = c
            if (abs_top, c) in merged:
                span_end = merged[(abs_top, c)][1]
            elif sub_i is not None:
                sub_row = grid[sub_i]
                e = c + 1
                while (e < width and (e >= len(top_keys) or not top_keys[e])
                       and e < len(sub_row) and label_key(sub_row[e])):
                    e += 1
                span_end = e - 1 if e - 1 > c else c
            for cc in range(c, min(span_end, width - 1) + 1):
                group_at[cc] = k
                group_text[cc] = _cell_text(top[c])

    fields: dict[int, str] = {}
    labels: dict[int, str] = {}
    unknown: dict[int, str] = {}
    sub_row = grid[sub_i] if sub_i is not None else []
    for c in range(width):
        sub_text = _cell_text(sub_row[c]) if c < len(sub_row) else ""
        sub_key = label_key(sub_text)
        own_text = _cell_text(top[c]) if c < len(top) else ""
        gkey = group_at[c]
        if sub_key:
            label = f"{group_text[c]} / {sub_text}" if group_text[c] else sub_text
            group = GROUP_OF.get(gkey)
            fld = None
            if group:
                fld = _SUB_LABELS[group].get(sub_key)
                if fld is None and group == "month":
                    fld = LABELS.get(sub_key) if LABELS.get(sub_key, "").startswith("m") else None
            if fld is None:
                fld = LABELS.get(sub_key) or _STANDALONE_SUB.get(sub_key)
            if fld is None and gkey:
                fld = field_of_label(f"{group_text[c]} {sub_text}")
            if fld is None:
                fld = _fuzzy_field(sub_key)
        elif own_text:
            label = own_text
            fld = field_of_label(own_text) or _STANDALONE_SUB.get(label_key(own_text))
        else:
            continue
        labels[c] = label
        if fld is None:
            unknown[c] = label
        else:
            fields[c] = fld

    hm = HeaderMap(
        header_rows=tuple(sheet.first_row + i for i in ((top_i, sub_i) if sub_i is not None else (top_i,))),
        data_start_row=sheet.first_row + (sub_i if sub_i is not None else top_i) + 1,
        fields=fields,
        labels=labels,
        unknown=unknown,
    )
    if mapping_overrides:
        _apply_overrides(hm, mapping_overrides)
    _drop_duplicates(hm)

    # Numbering row "(1) (2) (3)" or "1 2 3" right under the header: skip it.
    nxt = hm.data_start_row - sheet.first_row
    if nxt < len(grid) and _is_numbering_row(grid[nxt], hm.column_of("full_name")):
        hm.numbering_row = hm.data_start_row
        hm.data_start_row += 1
    del best_found
    return hm


def _apply_overrides(hm: HeaderMap, overrides: dict[str, str]) -> None:
    for header_text, fld in overrides.items():
        fld = fld.strip()
        if fld not in ALL_FIELDS:
            known = ", ".join(sorted(ALL_FIELDS))
            raise InvalidValue(
                f"--map \"{header_text}={fld}\": không có trường '{fld}'.", hint=f"Các trường dùng được: {known}."
            )
        want = label_key(header_text)
        hits = [c for c, lbl in hm.labels.items()
                if label_key(lbl) == want or label_key(lbl.split(" / ")[-1]) == want]
        if not hits:
            shown = "; ".join(hm.labels.values())
            raise InvalidValue(
                f"--map \"{header_text}={fld}\": không có cột tiêu đề '{header_text}' trong tệp.",
                hint=f"Các cột trong tệp: {shown}.",
            )
        for c in hits:
            hm.unknown.pop(c, None)
            if fld == "ignore":
                hm.fields.pop(c, None)
                hm.ignored[c] = hm.labels[c]
            else:
                for other, f in list(hm.fields.items()):
                    if f == fld and other != c:
                        del hm.fields[other]
                        hm.unknown[other] = hm.labels[other]
                hm.fields[c] = fld


def _drop_duplicates(hm: HeaderMap) -> None:
    seen: dict[str, int] = {}
    for c in sorted(hm.fields):
        fld = hm.fields[c]
        if fld in seen:
            del hm.fields[c]
            hm.unknown[c] = hm.labels[c]
            hm.warnings.append(
                f"Cột '{hm.labels[c]}' ({column_letter(c)}) trùng nghĩa với cột '{hm.labels[seen[fld]]}' "
                f"({column_letter(seen[fld])}); chỉ dùng cột đầu. Dùng --map nếu cần chọn cột khác."
            )
        else:
            seen[fld] = c
