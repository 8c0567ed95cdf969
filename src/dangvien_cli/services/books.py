"""Monthly books: attendance at cell meetings and party dues (contract.md "Monthly books", domain.md §1.6, §4).

One row a member a year, 12 marks. Attendance: 'x' attended, 'p' excused absence, 'k' absent without reason,
'-' no meeting recorded. Dues: 'p' paid (with the amount), 'u' not paid, 'e' exempt that month (§4: 50 years of
party age, the social pension, hardship on application), '-' nothing recorded.

Imports read the whole file first (``excel/books.py``), match every row to a member (card number, else name and
birth date), check every value, and either report every problem with its Excel row and column (InputRejected,
exit 3, nothing written) or write all rows in one transaction of bulk statements (style.md idiom 6).
"""

from __future__ import annotations

import json
from pathlib import Path

from dangvien_cli.errors import InvalidValue
from dangvien_cli.services.file_import import MemberMatcher, read_row, read_rows, record_import, reject
from dangvien_cli.services.values import check_year
from dangvien_cli.store import audit
from dangvien_cli.store import books as store
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import now_iso
from dangvien_cli.store.members import by_ref
from dangvien_cli.vocab import DUES
from dangvien_cli.vocab.marks import attendance_mark

EMPTY = "-" * 12


def _check_year(year: int) -> None:
    check_year(year, "Ghi năm của sổ, ví dụ --year 2025.")


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidValue(f"Tháng {month} không có.", hint="Ghi --month từ 1 đến 12.")


def _replace(marks: str, month: int, mark: str) -> str:
    return marks[: month - 1] + mark + marks[month:]


def set_attendance(conn: Connection, ref: str, *, year: int, month: int, mark: str,
                   source: str = "attendance set") -> dict:
    """Record one month of attendance by hand."""
    _check_year(year)
    _check_month(month)
    try:
        value = attendance_mark(mark)
    except ValueError as exc:
        raise InvalidValue(str(exc) + ".") from None
    member = by_ref(conn, ref)
    old = store.attendance(conn, member.id, year) or EMPTY
    new = _replace(old, month, value)
    store.put_attendance(conn, member.id, year, new, source)
    if old[month - 1] != value:
        audit.member_event(conn, member.id, "attendance", source=source, field=f"attendance_{year}_{month:02d}",
                           old=None if old[month - 1] == "-" else old[month - 1], new=value)
    return {"member_id": member.id, "year": year, "month": month, "mark": value, "marks": new}


def set_dues(conn: Connection, ref: str, *, year: int, month: int, amount: int | None = None,
             exempt: bool = False, unpaid: bool = False, source: str = "dues set") -> dict:
    """Record one month of dues by hand: an amount paid, exempt that month, or not paid."""
    _check_year(year)
    _check_month(month)
    if sum(x for x in (amount is not None, exempt, unpaid)) != 1:
        raise InvalidValue("Ghi đúng một trong: --amount SỐ_TIỀN, --exempt hoặc --unpaid.")
    if amount is not None and amount < 0:
        raise InvalidValue(f"Số tiền {amount} âm.")
    mark = "e" if exempt else ("p" if amount else "u")
    paid = amount if mark == "p" else None
    member = by_ref(conn, ref)
    old_marks, amounts = store.dues(conn, member.id, year) or (EMPTY, [None] * 12)
    new_marks = _replace(old_marks, month, mark)
    old_amount = amounts[month - 1]
    amounts[month - 1] = paid
    store.put_dues(conn, member.id, year, new_marks, amounts, source)
    if old_marks[month - 1] != mark or old_amount != paid:
        def label(m: str, a: int | None) -> str | None:
            return None if m == "-" else (str(a) if m == "p" else DUES.label(m))
        audit.member_event(conn, member.id, "dues", source=source, field=f"dues_{year}_{month:02d}",
                           old=label(old_marks[month - 1], old_amount), new=label(mark, paid))
    return {"member_id": member.id, "year": year, "month": month, "mark": mark, "amount": paid,
            "marks": new_marks}


def get_books(conn: Connection, ref: str, year: int) -> dict:
    member = by_ref(conn, ref)
    dues = store.dues(conn, member.id, year)
    return {"member_id": member.id, "full_name": member.full_name, "year": year,
            "attendance": store.attendance(conn, member.id, year), "dues": dues[0] if dues else None,
            "dues_amounts": dues[1] if dues else None}


# --- imports ---------------------------------------------------------------------------------------------------


def _import_book(conn: Connection, path: str | Path, year: int, kind: str, sheet: str | None) -> dict:
    _check_year(year)
    path = Path(path)
    report, rows = read_rows(path, kind, sheet)
    matcher = MemberMatcher(conn)
    parsed: dict[int, tuple[int, str, list]] = {}
    errors = report["errors"]
    existing = store.year_rows(conn, kind, year)
    blank_rows = []
    for excel_row, member, months, values, row_errors in rows:
        member_id, _column = read_row(report, matcher, excel_row, member, row_errors)
        # A row left wholly blank for a member the book has nothing for records nothing (marks None): a book sent
        # out by 'export attendance|dues' comes back with such rows, and importing it must not invent a year.
        blank = bool(values.get("blank")) and member_id not in existing
        # A blank dues month reads as not paid, except where the member's row records nothing for that month
        # ('-', from 'dues set' by hand): the book sent out leaves those blank, and they stay as they were.
        kept = existing[member_id][0] if kind == "dues" and member_id in existing else None
        left_blank = set(values.get("blank_months", ()))
        marks, amounts = [], []
        for m in range(1, 13):
            value = months.get(m)
            if kind == "attendance":
                marks.append(value or "-")
            else:
                mark, amount = value if isinstance(value, tuple) else ("-", None)
                if kept is not None and m in left_blank and kept[m - 1] == "-":
                    mark = "-"
                marks.append(mark)
                amounts.append(amount if mark == "p" else None)
        if member_id is not None:
            if member_id in parsed:
                errors.append({"row": excel_row, "column": "Họ và tên",
                               "message": f"Đảng viên này đã có ở dòng {parsed[member_id][0]} của tệp"})
            elif blank:
                blank_rows.append(excel_row)
                parsed[member_id] = (excel_row, None, None)
            else:
                parsed[member_id] = (excel_row, "".join(marks), amounts)
    if errors:
        errors.sort(key=lambda e: (e["row"] or 0))
        raise reject(report, "sổ sinh hoạt" if kind == "attendance" else "sổ đảng phí")
    if blank_rows and kind == "dues":
        report["warnings"].append(
            f"{len(blank_rows)} dòng không ghi tháng nào (dòng {', '.join(map(str, blank_rows[:10]))}"
            f"{'…' if len(blank_rows) > 10 else ''}): chưa có sổ đảng phí năm {year} của các đảng viên này, không "
            "ghi gì. Nếu đảng viên chưa đóng tháng nào, ghi 0 vào các tháng rồi nhập lại.")
    source = f"import {kind} {path.name}"
    stamp = now_iso()
    to_write = []
    for member_id, (_, marks, amounts) in parsed.items():
        if marks is None:
            report["unchanged"] += 1
            continue
        amounts_json = json.dumps(amounts) if kind == "dues" else None
        old = existing.get(member_id)
        new = [marks] if kind == "attendance" else [marks, amounts_json]
        if old is None:
            report["created"] += 1
        elif list(old) == new:
            report["unchanged"] += 1
            continue
        else:
            report["updated"] += 1
        to_write.append((member_id, year, *new, source, stamp))
    if kind == "attendance":
        store.put_attendance_rows(conn, to_write)
    else:
        store.put_dues_rows(conn, to_write)
    report["import_id"] = record_import(conn, kind, path, report, year)
    return report


def import_attendance(conn: Connection, path: str | Path, year: int, *, sheet: str | None = None) -> dict:
    """Import a year's attendance book; the import report of contract.md. InputRejected if any row is bad."""
    return _import_book(conn, path, year, "attendance", sheet)


def import_dues(conn: Connection, path: str | Path, year: int, *, sheet: str | None = None) -> dict:
    """Import a year's dues book; the import report of contract.md. InputRejected if any row is bad."""
    return _import_book(conn, path, year, "dues", sheet)
