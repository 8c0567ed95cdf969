"""Party dues: each member's category and reductions, the amount due each month, and the check of the dues book
against it (domain.md §4, §9; rules/dues.py holds the rule, store/dues.py the statements).

``set_category`` records a category from a day (closing the one before it the day before); ``reduce`` records a
reduction decision (Quy định 01-QĐ/TW: 30, 50 or 70 %, at most 12 months). ``member_year`` gives one member's
twelve months due and checked; ``report`` every member of a dues book (in a cell) with the months paid short or
over; ``discrepancies`` is what the screening grounds ``dues_short`` and ``dues_over`` read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, timedelta

from dangvien_cli.errors import InvalidValue, RuleViolation
from dangvien_cli.rules import dues as rules
from dangvien_cli.rules.dates import check_year, date_value, earliest, format_vi
from dangvien_cli.rules.screening import dues_exempt_from
from dangvien_cli.store import audit
from dangvien_cli.store import books as book_store
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import dues as store
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.members import by_ref
from dangvien_cli.store.screening import party_age_inputs
from dangvien_cli.vocab import DUES_CATEGORY

EMPTY = "-" * 12


def _day(value: str, what: str, option: str) -> str:
    iso = date_value(value, what, allow_future=True)
    if iso is None or len(iso) != 10:
        raise InvalidValue(f"{what} phải đủ ngày, tháng, năm.", hint=f"Ghi {option} dd/mm/yyyy.")
    return iso


def set_category(conn: Connection, ref: str, *, category: str, valid_from: str, base: int | None = None,
                 reference: str | None = None, source: str = "dues category") -> dict:
    """Record the member's dues category from ``valid_from``; the open category before it ends the day before."""
    category = DUES_CATEGORY.parse(category)
    start = _day(valid_from, "Ngày bắt đầu", "--from")
    label = DUES_CATEGORY.label(category)
    if base is not None and base <= 0:
        raise InvalidValue(f"Mức căn cứ {base} không hợp lệ.", hint="Ghi --base là số tiền đồng, lớn hơn 0.")
    if category in rules.BASE_REQUIRED and base is None:
        what = "tiền lương làm căn cứ đóng bảo hiểm xã hội" if category == "insured" else "lương hưu hằng tháng"
        raise InvalidValue(f"Diện '{label}' cần {what}.", hint="Ghi --base SỐ_TIỀN, ví dụ --base 6500000.")
    if category not in rules.BASE_ALLOWED and base is not None:
        raise InvalidValue(f"Diện '{label}' không tính theo mức căn cứ.", hint="Bỏ --base.")
    member = by_ref(conn, ref)
    existing = store.categories(conn, member.id)
    later = [c for c in existing if c.valid_from >= start]
    if later:
        raise RuleViolation(
            f"Đảng viên đã có diện đóng đảng phí từ ngày {format_vi(later[-1].valid_from)}.",
            hint="Ghi diện mới từ một ngày sau ngày đó (xem: dangvien dues due REF --year NĂM).")
    previous = existing[-1] if existing else None
    if previous is not None and previous.valid_to is None:
        end = (earliest(start) - timedelta(days=1)).isoformat()
        store.close_category(conn, previous.id, end)
    new_id = store.add_category(conn, member.id, category, base, start, reference, source)
    text = label + (f", {base}" if base is not None else "")
    audit.member_event(conn, member.id, "dues", source=source, field="dues_category",
                       old=DUES_CATEGORY.label(previous.category) if previous else None, new=text, date=start,
                       reference=reference)
    return {"member_id": member.id, "id": new_id, "category": category, "base": base, "valid_from": start,
            "previous_closed": previous is not None and previous.valid_to is None}


def reduce(conn: Connection, ref: str, *, percent: int, valid_from: str, valid_to: str,
           reference: str | None = None, source: str = "dues reduce") -> dict:
    """Record a reduction decision: 30, 50 or 70 % from ``valid_from`` to ``valid_to``, at most 12 months,
    from 1/2/2026 (Quy định 01-QĐ/TW)."""
    from dangvien_cli.rules.regulations import cite

    start = _day(valid_from, "Ngày bắt đầu giảm", "--from")
    end = _day(valid_to, "Ngày hết giảm", "--to")
    citation = cite("dues.reduction", rules.NEW_RULE)
    if percent not in rules.REDUCTIONS:
        raise InvalidValue(f"Mức giảm {percent} % không có.", hint=f"Ghi --percent 30, 50 hoặc 70 ({citation}).")
    if earliest(start) < rules.NEW_RULE:
        raise RuleViolation(f"Giảm đảng phí theo {citation}, áp dụng từ ngày {format_vi(rules.NEW_RULE.isoformat())}.",
                            hint="Ghi --from từ ngày 01/02/2026.")
    if end < start:
        raise InvalidValue(f"Ngày hết giảm {format_vi(end)} trước ngày bắt đầu {format_vi(start)}.")
    limit = rules.reduction_end_limit(start)
    if earliest(end) > limit:
        raise RuleViolation(
            f"Mỗi lần giảm đảng phí tối đa {rules.MAX_REDUCTION_MONTHS} tháng ({citation}): giảm từ "
            f"{format_vi(start)} thì đến chậm nhất ngày {format_vi(limit.isoformat())}.",
            hint="Ghi --to sớm hơn; hết hạn thì chi bộ xét, cấp ủy ra quyết định giảm lần mới.")
    member = by_ref(conn, ref)
    for r in store.reductions(conn, member.id):
        if r.valid_from <= end and r.valid_to >= start:
            raise RuleViolation(
                f"Đảng viên đã được giảm {r.percent} % từ {format_vi(r.valid_from)} đến {format_vi(r.valid_to)}.",
                hint="Ghi lần giảm mới từ sau ngày hết giảm đó.")
    new_id = store.add_reduction(conn, member.id, percent, start, end, reference, source)
    audit.member_event(conn, member.id, "dues", source=source, field="dues_reduction", new=f"{percent} %",
                       date=start, reference=reference)
    return {"member_id": member.id, "id": new_id, "percent": percent, "valid_from": start, "valid_to": end}


# --- what is due, and the book against it ------------------------------------------------------------------

def _periods(rows: Iterable[tuple]) -> list[rules.Period]:
    return [rules.Period(cat, base, start, end) for cat, base, start, end in rows]


def _reductions(rows: Iterable[tuple]) -> list[rules.Reduction]:
    return [rules.Reduction(pct, start, end) for pct, start, end in rows]


def _exempt_from(conn: Connection, member_ids: list[int], year: int, cfg: dict) -> dict[int, date | None]:
    """{member id: the day the member reaches the exemption's party age} for those of ``member_ids`` who reach
    it by the end of ``year``. Only from 1/2/2026 (01-QĐ/TW), and only members whose party age started early
    enough are read (store.dues.started_by)."""
    years = cfg["dues.exempt_party_age_years"]
    if date(year, 12, 31) < rules.NEW_RULE:
        return {}
    old = store.started_by(conn, f"{year - years:04d}-12-31")
    out = {}
    for mid, (decision, admission, gaps) in party_age_inputs(conn, [m for m in member_ids if m in old]).items():
        out[mid] = dues_exempt_from(decision, admission, gaps, years, year)
    return out


def year_checks(conn: Connection, year: int, cfg: dict, members: list, *,
                judged_only: bool = False) -> dict[int, list[rules.Check] | None]:
    """{member id: the 12 months checked} for the members given (rows with id, marks, amounts JSON). A member
    with no category recorded and no exemption by party age maps to None (every month "not computable": most
    of a province's book before its categories are entered, so no Check is built for it); ``judged_only``
    leaves such members out."""
    # From December of the year before: under 01-QĐ/TW January's due rests on December's salary.
    cats, reds = store.year_periods(conn, f"{year - 1}-12-01", f"{year}-12-31")
    exempt = _exempt_from(conn, [m["id"] for m in members], year, cfg)
    out: dict[int, list[rules.Check] | None] = {}
    for m in members:
        mid = m["id"]
        if mid not in cats and not exempt.get(mid):
            if not judged_only:
                out[mid] = None
            continue
        out[mid] = rules.year_checks(year, m["marks"], json.loads(m["amounts"]), _periods(cats.get(mid, ())),
                                     _reductions(reds.get(mid, ())), exempt.get(mid), cfg)
    return out


def _uncomputed(year: int, cfg: dict, marks: str, amounts: list) -> list[rules.Check]:
    """The twelve months of a member with no category and no exemption: each 'not computable' by the book."""
    return [rules.check(rules.due(year, m, (), (), None, cfg), marks[m - 1], amounts[m - 1]) for m in range(1, 13)]


def discrepancies(conn: Connection, year: int, cfg: dict) -> dict[int, list[rules.Check]]:
    """{member id: the months of ``year`` paid short or over} for the members on the roll whose book shows a
    payment and whose dues can be computed (a category recorded, or old enough in the Party to be exempt)."""
    exempt_years = cfg["dues.exempt_party_age_years"]
    # The exemption at 50 years exists from 1/2/2026 (01-QĐ/TW): before that, no member is judged by age.
    started_by = f"{year - exempt_years:04d}-12-31" if date(year, 12, 31) >= rules.NEW_RULE else None
    members = store.judged_book_rows(conn, year, f"{year - 1}-12-01", f"{year}-12-31", started_by)
    return {mid: [c for c in checks if c.status in ("short", "over")]
            for mid, checks in year_checks(conn, year, cfg, members, judged_only=True).items()}


def _month_json(c: rules.Check) -> dict:
    d = c.due
    return {"month": d.month, "category": d.category, "base": d.base, "reduction_percent": d.reduction,
            "due": d.amount, "exempt": d.exempt, "basis": d.basis or None, "why_unknown": d.why,
            "regulation": d.regulation, "citation": d.citation, "mark": c.mark, "paid": c.paid,
            "status": c.status, "difference": c.difference}


def member_year(conn: Connection, ref: str, year: int) -> dict:
    """One member's twelve months: the category, the amount due and how, the regulation, the book's mark and
    amount, and the check."""
    from dangvien_cli.services.settings import effective

    check_year(year, "Ghi năm của sổ, ví dụ --year 2026.")
    member = by_ref(conn, ref)
    book = book_store.dues(conn, member.id, year)
    marks, amounts = book if book else (EMPTY, [None] * 12)
    row = {"id": member.id, "marks": marks, "amounts": json.dumps(amounts)}
    cfg = effective(conn)
    checks = year_checks(conn, year, cfg, [row])[member.id] or _uncomputed(year, cfg, marks, amounts)
    return {"member_id": member.id, "full_name": member.full_name, "year": year, "book": book is not None,
            "categories": [dict(c) for c in store.categories(conn, member.id)],
            "reductions": [dict(r) for r in store.reductions(conn, member.id)],
            "months": [_month_json(c) for c in checks],
            "due_total": sum(c.due.amount or 0 for c in checks),
            "paid_total": sum(c.paid or 0 for c in checks if c.mark == "p")}


def report(conn: Connection, year: int, cell: str | None = None) -> dict:
    """Every member of the year's dues book (in ``cell`` and below): totals due and paid, the months short,
    over, unpaid and not computable; ``rows`` one per month paid short or over."""
    from dangvien_cli.services.settings import effective

    check_year(year, "Ghi năm của sổ, ví dụ --year 2026.")
    code = None
    allowed = None
    if cell:
        c = cell_store.find(conn, cell)
        allowed, code = cell_store.subtree_ids(conn, c.id), c.code
    members = store.book_members(conn, year, allowed)
    cfg = effective(conn)
    checks = year_checks(conn, year, cfg, members)
    month_citation = [rules.due(year, m, (), (), None, cfg).citation for m in range(1, 13)]
    rows, per_member = [], []
    counts = {"short": 0, "over": 0, "unpaid": 0, "unknown": 0}
    cited: dict[str, set[int]] = {}
    # A month "not computable" only because no category is recorded reads from the book's mark alone.
    plain = {"p": "unknown", "u": "unpaid", "e": "exempt"}
    for m in members:
        who = {"member_id": m["id"], "card_number": m["card_number"], "full_name": m["full_name"],
               "cell_code": m["cell_code"], "cell_name": m["cell_name"]}
        months = checks[m["id"]]
        status: dict[str, list[int]] = {s: [] for s in (*counts, "exempt")}
        if months is None:
            for i, mark in enumerate(m["marks"]):
                if mark in plain:
                    status[plain[mark]].append(i + 1)
                    cited.setdefault(month_citation[i], set()).add(i + 1)
            paid = sum(a or 0 for a in json.loads(m["amounts"])) if "p" in m["marks"] else 0
            due_total = 0
        else:
            for c in months:
                if c.status is not None:
                    cited.setdefault(c.due.citation, set()).add(c.due.month)
                    if c.status in status:
                        status[c.status].append(c.due.month)
                if c.status in ("short", "over"):
                    rows.append(who | {"month": c.due.month, "due": c.due.amount, "exempt": c.due.exempt,
                                       "paid": c.paid, "difference": c.difference, "status": c.status,
                                       "basis": c.due.basis, "regulation": c.due.regulation,
                                       "citation": c.due.citation})
            paid = sum(c.paid or 0 for c in months if c.mark == "p")
            due_total = sum(c.due.amount or 0 for c in months)
        for s in counts:
            counts[s] += len(status[s])
        per_member.append(who | {
            "due_total": due_total, "paid_total": paid,
            "months_short": status["short"], "months_over": status["over"], "months_unpaid": status["unpaid"],
            "months_unknown": status["unknown"]})
    return {"year": year, "cell_code": code, "members_checked": len(members),
            "months_short": counts["short"], "months_over": counts["over"], "months_unpaid": counts["unpaid"],
            "months_unknown": counts["unknown"],
            "short_total": -sum(r["difference"] for r in rows if r["status"] == "short"),
            "over_total": sum(r["difference"] for r in rows if r["status"] == "over"),
            "regulations": [{"citation": text, "months": sorted(months)}
                            for text, months in sorted(cited.items(), key=lambda kv: min(kv[1]))],
            "rows": rows, "members": per_member}
