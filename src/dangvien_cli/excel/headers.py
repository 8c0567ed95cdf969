"""Find a roster's or a book's header wherever it sits and map its columns to field names (domain.md §6.1).

Real rosters put title rows above the header ("ĐẢNG BỘ …", "DANH SÁCH ĐẢNG VIÊN", "(Tính đến ngày …)"), use
two-row headers with merged group labels ("Ngày vào Đảng" over "Kết nạp" | "Chính thức"), and often a numbering
row "(1) (2) (3) …" under the header. Which words mean which field is the header vocabulary,
:mod:`dangvien_cli.vocab.headers`; this module is the matching.

Column indices are 0-based Excel columns (A=0), the same as :class:`workbook.SheetData` grids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from dangvien_cli.errors import InvalidValue
from dangvien_cli.excel.workbook import SheetData, column_letter
from dangvien_cli.vocab import MEMBER_FIELD
from dangvien_cli.vocab.headers import (
    ALL_FIELDS,
    ALL_SUB_KEYS,
    GROUP_OF,
    LABELS,
    MONTH_FIELDS,
    RATING_FIELDS,
    STANDALONE_SUB,
    SUB_LABELS,
    field_of_label,
    fuzzy_field,
    label_key,
)

_NUMBER_TOKEN = re.compile(r"^\(?\s*\d{1,2}\s*[a-z]?\s*\)?$")


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
            fld = fuzzy_field(key)
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
            score += sum(1 for k in (label_key(v) for v in sheet.grid[i + 1]) if k in ALL_SUB_KEYS) // 2
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
            if (k in ALL_SUB_KEYS and (not under or under in GROUP_OF)) or (k in LABELS and not under):
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
        if any(k in GROUP_OF for k in prev_keys) and any(k in ALL_SUB_KEYS for k in top_keys):
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
                fld = SUB_LABELS[group].get(sub_key)
                if fld is None and group == "month":
                    fld = LABELS.get(sub_key) if LABELS.get(sub_key, "").startswith("m") else None
            if fld is None:
                fld = LABELS.get(sub_key) or STANDALONE_SUB.get(sub_key)
            if fld is None and gkey:
                fld = field_of_label(f"{group_text[c]} {sub_text}")
            if fld is None:
                fld = fuzzy_field(sub_key)
        elif own_text:
            label = own_text
            fld = field_of_label(own_text) or STANDALONE_SUB.get(label_key(own_text))
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
