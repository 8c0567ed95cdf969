"""Clean for the national database (issue 14; the 2025 campaign "đúng – đủ – sạch – sống"): a worklist per
cell of what stops a member's record from being moved into the national party-member database.

Everything here is reported, never refused: a personal id that contradicts the record may be right while
the record is wrong, and only the clerk, with the member's papers, can tell (domain.md §9).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dangvien_cli.rules import national_id as idrules
from dangvien_cli.rules.organization import MEMBER_KINDS
from dangvien_cli.services.exports import mask_id
from dangvien_cli.services.settings import effective
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import national as store
from dangvien_cli.store.connection import Connection
from dangvien_cli.vocab import GENDER, NATIONAL_PROBLEM

_REQUIRED = {"gender": "giới tính", "birth_date": "ngày sinh", "admission_date": "ngày vào Đảng"}
_OPTION = {"gender": "--gender male|female", "birth_date": "--birth-date dd/mm/yyyy",
           "admission_date": "--admission-date dd/mm/yyyy"}


@dataclass(frozen=True)
class Problem:
    member_id: int
    full_name: str
    cell_code: str
    cell_name: str
    problem: str
    detail: str
    fix: str

    def as_dict(self) -> dict:
        return {"member_id": self.member_id, "full_name": self.full_name, "cell_code": self.cell_code,
                "cell_name": self.cell_name, "problem": self.problem, "problem_label": NATIONAL_PROBLEM.label(self.problem),
                "detail": self.detail, "fix": self.fix}


def _year(date_text: str | None) -> int | None:
    return int(date_text[:4]) if date_text and date_text[:4].isdigit() else None


def _member_problems(row: dict, card_equals_id: bool) -> list[tuple[str, str, str]]:
    """(problem, detail, fix) for one member's own record."""
    ref = row["id"]
    out: list[tuple[str, str, str]] = []
    nid = row["national_id"]
    if nid is None:
        out.append(("national_id_missing", "Hồ sơ chưa ghi số định danh cá nhân (12 chữ số trên căn cước).",
                    f"dangvien members update {ref} --national-id <12 chữ số>"))
    else:
        facts = idrules.facts(nid)
        if facts is None:
            out.append(("national_id_format", f"Số định danh {nid}: {idrules.format_problem(nid)}.",
                        f"Đối chiếu căn cước rồi sửa: dangvien members update {ref} --national-id <12 chữ số>"))
        else:
            for what in idrules.contradictions(nid, row["gender"], _year(row["birth_date"])):
                expected = idrules.expected_digits(row["gender"], _year(row["birth_date"]))
                if what == "gender":
                    detail = (f"Chữ số thứ 4 của số định danh ({nid[3]}) là của người "
                              f"{GENDER.label(facts.gender).lower()}; hồ sơ ghi {GENDER.label(row['gender']).lower()}.")
                    fix = (f"Đối chiếu căn cước: sửa giới tính (dangvien members update {ref} --gender …) "
                           "hoặc số định danh (--national-id …).")
                else:
                    detail = (f"Chữ số 4–6 của số định danh ({nid[3:6]}) chỉ năm sinh "
                              f"{facts.century_start + facts.year_suffix}; hồ sơ ghi năm {_year(row['birth_date'])}"
                              + (f" (cần {expected})" if expected else "") + ".")
                    fix = (f"Đối chiếu căn cước: sửa ngày sinh (dangvien members update {ref} --birth-date …) "
                           "hoặc số định danh (--national-id …).")
                out.append((f"national_id_{what}", detail, fix))
    for field, label in _REQUIRED.items():
        if row[field] is None:
            out.append(("missing_field", f"Thiếu {label}.", f"dangvien members update {ref} {_OPTION[field]}"))
    if row["cell_valid_to"] is not None or row["cell_kind"] not in MEMBER_KINDS:
        why = "đã giải thể" if row["cell_valid_to"] is not None else "không phải chi bộ hay tổ đảng"
        out.append(("missing_field", f"Chưa có chi bộ sinh hoạt: '{row['cell_name']}' {why}.",
                    f"dangvien members transfer {ref} --to <mã chi bộ>"))
    card = row["card_number"]
    if card_equals_id and nid and card and len(card) == 12 and card != nid:
        out.append(("card_differs_from_id", f"Số thẻ {card} khác số định danh {nid}; cấp ủy quy định hai số trùng nhau.",
                    f"Đối chiếu thẻ đảng viên mới rồi sửa: dangvien members update {ref} --card-number …"))
    return out


def check(conn: Connection, cell: str | None = None) -> list[Problem]:
    """Every readiness problem of the members on the roll (of ``cell`` and everything under it), per cell."""
    cell_ids = cell_store.subtree_ids(conn, cell_store.find(conn, cell).id) if cell else None
    card_equals_id = bool(effective(conn)["national.card_equals_id"])
    columns = store.MEMBER_COLUMNS
    rows = {r[0]: dict(zip(columns, r, strict=True)) for r in store.members_to_judge(conn, cell_ids, card_equals_id)}
    found: dict[int, list[tuple[str, str, str]]] = {}
    for row in rows.values():
        problems = _member_problems(row, card_equals_id)
        if problems:
            found[row["id"]] = problems
    groups = store.same_name_and_birth(conn)
    cards = store.cards_that_are_ids_of_others(conn)
    candidates = store.ids_held_by_candidates(conn)
    others = {i for group in groups for i in group} | {a for a, _, _ in cards} | {b for _, b, _ in cards} | {
        m for m, _, _ in candidates}
    for r in store.members_by_id(conn, sorted(others - set(rows)), cell_ids):
        rows[r[0]] = dict(zip(columns, r, strict=True))

    def add(member_id: int, problem: str, detail: str, fix: str) -> None:
        if member_id in rows:
            found.setdefault(member_id, []).append((problem, detail, fix))

    for group in groups:
        for member_id in group:
            other_ids = [o for o in group if o != member_id]
            names = ", ".join(f"mã số {o}" for o in other_ids)
            add(member_id, "likely_duplicate", f"Cùng họ tên và ngày sinh với {names}.",
                f"Xem hai hồ sơ (dangvien members show {member_id}; dangvien members show {other_ids[0]}); "
                "nếu là một người thì giữ một hồ sơ, ghi hồ sơ kia ra khỏi danh sách.")
    for card_holder, id_holder, number in cards:
        add(card_holder, "card_shared", f"Số thẻ {number} là số định danh của đảng viên mã số {id_holder}.",
            f"Đối chiếu thẻ và căn cước của hai người; sửa bằng dangvien members update {card_holder} --card-number …")
        add(id_holder, "national_id_shared", f"Số định danh {number} là số thẻ của đảng viên mã số {card_holder}.",
            f"Đối chiếu căn cước; sửa bằng dangvien members update {id_holder} --national-id …")
    for member_id, candidate_id, number in candidates:
        add(member_id, "national_id_shared", f"Số định danh {number} cũng ghi cho người vào Đảng mã {candidate_id}.",
            f"Đối chiếu căn cước; sửa người vào Đảng bằng dangvien admissions show {candidate_id}.")
    ordered = sorted((rows[mid] for mid in found), key=lambda r: (r["cell_code"], r["sort_key"], r["id"]))
    out = []
    for row in ordered:
        for problem, detail, fix in found[row["id"]]:
            out.append(Problem(row["id"], row["full_name"], row["cell_code"], row["cell_name"], problem, detail, fix))
    return out


def summary(problems: list[Problem]) -> list[dict]:
    """Per cell: how many members have at least one problem, and how many of each."""
    cells: dict[str, dict] = {}
    for p in problems:
        entry = cells.setdefault(p.cell_code, {"cell_code": p.cell_code, "cell_name": p.cell_name,
                                               "members": set(), "counts": {}})
        entry["members"].add(p.member_id)
        entry["counts"][p.problem] = entry["counts"].get(p.problem, 0) + 1
    return [{"cell_code": e["cell_code"], "cell_name": e["cell_name"], "members": len(e["members"]),
             "counts": e["counts"]} for e in cells.values()]


_LONG_NUMBER = re.compile(r"\b\d{9,}\b")  # a personal id (12 digits) or an old identity card number (9)


def worklist(problems: list[Problem], *, full_ids: bool = False) -> list[dict]:
    """The problems as the printed worklist shows them: personal ids in the texts cut to their last 4 digits
    unless ``full_ids`` (a printed list leaves the office)."""
    rows = [p.as_dict() for p in problems]
    if not full_ids:
        for row in rows:
            for key in ("detail", "fix"):
                row[key] = _LONG_NUMBER.sub(lambda m: mask_id(m.group(0)), row[key])
    return rows
