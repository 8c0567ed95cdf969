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

from sqlmodel import Session

from dangvien_cli.errors import InputRejected, InvalidValue
from dangvien_cli.rules.dates import format_vi
from dangvien_cli.rules.identity import People, match_message, match_person
from dangvien_cli.services.common import get_member, member_event
from dangvien_cli.services.imports import file_sha256
from dangvien_cli.services.values import check_year
from dangvien_cli.store.database import now_iso
from dangvien_cli.text import search_key
from dangvien_cli.vocab import DUES, MEMBER_FIELD
from dangvien_cli.vocab.marks import attendance_mark

EMPTY = "-" * 12


def _check_year(year: int) -> None:
    check_year(year, "Ghi năm của sổ, ví dụ --year 2025.")


def _check_month(month: int) -> None:
    if not 1 <= month <= 12:
        raise InvalidValue(f"Tháng {month} không có.", hint="Ghi --month từ 1 đến 12.")


def _raw(session: Session):
    return session.connection().connection.driver_connection


def _replace(marks: str, month: int, mark: str) -> str:
    return marks[: month - 1] + mark + marks[month:]


def set_attendance(session: Session, ref: str, *, year: int, month: int, mark: str,
                   source: str = "attendance set") -> dict:
    """Record one month of attendance by hand."""
    _check_year(year)
    _check_month(month)
    try:
        value = attendance_mark(mark)
    except ValueError as exc:
        raise InvalidValue(str(exc) + ".") from None
    member = get_member(session, ref)
    conn = _raw(session)
    row = conn.execute("SELECT marks FROM attendance_books WHERE member_id = ? AND year = ?",
                       (member.id, year)).fetchone()
    old = row[0] if row else EMPTY
    new = _replace(old, month, value)
    conn.execute("INSERT INTO attendance_books (member_id, year, marks, source, updated_at) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (member_id, year) DO UPDATE SET marks = excluded.marks, source = excluded.source, "
                 "updated_at = excluded.updated_at", (member.id, year, new, source, now_iso()))
    if old[month - 1] != value:
        member_event(session, member.id, "attendance", source=source, field=f"attendance_{year}_{month:02d}",
                     old=None if old[month - 1] == "-" else old[month - 1], new=value)
    return {"member_id": member.id, "year": year, "month": month, "mark": value, "marks": new}


def set_dues(session: Session, ref: str, *, year: int, month: int, amount: int | None = None,
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
    member = get_member(session, ref)
    conn = _raw(session)
    row = conn.execute("SELECT marks, amounts FROM dues_books WHERE member_id = ? AND year = ?",
                       (member.id, year)).fetchone()
    old_marks, amounts = (row[0], json.loads(row[1])) if row else (EMPTY, [None] * 12)
    new_marks = _replace(old_marks, month, mark)
    old_amount = amounts[month - 1]
    amounts[month - 1] = paid
    conn.execute("INSERT INTO dues_books (member_id, year, marks, amounts, source, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (member_id, year) DO UPDATE SET marks = excluded.marks, "
                 "amounts = excluded.amounts, source = excluded.source, updated_at = excluded.updated_at",
                 (member.id, year, new_marks, json.dumps(amounts), source, now_iso()))
    if old_marks[month - 1] != mark or old_amount != paid:
        def label(m: str, a: int | None) -> str | None:
            return None if m == "-" else (str(a) if m == "p" else DUES.label(m))
        member_event(session, member.id, "dues", source=source, field=f"dues_{year}_{month:02d}",
                     old=label(old_marks[month - 1], old_amount), new=label(mark, paid))
    return {"member_id": member.id, "year": year, "month": month, "mark": mark, "amount": paid,
            "marks": new_marks}


def get_books(session: Session, ref: str, year: int) -> dict:
    member = get_member(session, ref)
    conn = _raw(session)
    att = conn.execute("SELECT marks FROM attendance_books WHERE member_id = ? AND year = ?",
                       (member.id, year)).fetchone()
    dues = conn.execute("SELECT marks, amounts FROM dues_books WHERE member_id = ? AND year = ?",
                        (member.id, year)).fetchone()
    return {"member_id": member.id, "full_name": member.full_name, "year": year,
            "attendance": att[0] if att else None, "dues": dues[0] if dues else None,
            "dues_amounts": json.loads(dues[1]) if dues else None}


# --- imports ---------------------------------------------------------------------------------------------------


class MemberMatcher:
    """Finds the members that book rows name, by the one matching rule (rules.identity): personal id, then card
    number, then name (search key) with birth date, never guessing between two members."""

    def __init__(self, conn):
        self.people = People(conn.execute("SELECT id, national_id, card_number, search_key, birth_date FROM members"))

    def match(self, member: dict) -> tuple[int | None, str | None, str]:
        """(member_id, None, column) or (None, Vietnamese reason, column) for a row's identity fields."""
        nid, card = member.get("national_id"), member.get("card_number")
        name, birth = member.get("full_name"), member.get("birth_date")
        card = str(card).strip() if card else None
        found = match_person(self.people, national_id=nid, card_number=card,
                             name_key=search_key(name) if name else None, birth_date=birth)
        field = found.field or found.by or ("card_number" if card else "full_name")
        column = MEMBER_FIELD.label("full_name" if field == "name_birth" else field)
        if found.refused:
            return None, match_message(found, national_id=nid, card_number=card, name=name, birth_date=birth), column
        if found.member_id is not None:
            return found.member_id, None, column
        if card and not (name and birth):
            return None, f"Không có đảng viên nào số thẻ {card}", column
        if not name:
            return None, "Thiếu họ và tên (hoặc số thẻ đảng viên) để nhận ra đảng viên", column
        if not birth:
            return None, f"Không có số thẻ, thiếu ngày sinh để nhận ra đảng viên '{name}'", column
        return None, (f"Không có đảng viên '{name}' sinh {format_vi(birth)}"
                      + (f" (số thẻ {card} cũng không có)" if card else "")), column


def empty_report(path: Path, sheet: str | None, encoding: str = "unicode") -> dict:
    return {"file": path.name, "sheet": sheet, "encoding": encoding, "rows_read": 0, "created": 0, "updated": 0,
            "unchanged": 0, "rejected": 0, "cells_created": 0, "errors": []}


def record_import(conn, kind: str, path: Path, report: dict, year: int | None) -> int:
    cur = conn.execute(
        "INSERT INTO imports (kind, file_name, sheet, sha256, encoding, year, rows_read, created, updated, "
        "unchanged, rejected, cells_created, details, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        (kind, path.name, report.get("sheet"), file_sha256(path), report.get("encoding") or "unicode", year,
         report["rows_read"], report["created"], report["updated"], report["unchanged"], report["rejected"],
         json.dumps({"warnings": report.get("warnings", [])}, ensure_ascii=False), now_iso()))
    return cur.lastrowid


def reject(report: dict, what: str) -> InputRejected:
    rows = sorted({e["row"] for e in report["errors"] if e.get("row") is not None})
    report["rejected"] = len(rows)
    return InputRejected(
        f"Tệp {report['file']} bị từ chối: {len(report['errors'])} lỗi ở {len(rows)} dòng. Không có gì được ghi.",
        report=report, hint=f"Sửa từng dòng theo danh sách lỗi rồi nhập lại cả tệp {what}.")


def read_rows(path: Path, kind: str, sheet: str | None) -> tuple[dict, list]:
    """Read a book with ``excel/books.read_book``; returns (report skeleton, rows), each row as
    ``(excel_row, member keys, months, values, errors)``: ``member`` holds card_number / national_id /
    full_name / birth_date, ``months`` the converted month values (keys 1–12), ``errors`` (column, message)."""
    from dangvien_cli.excel.books import read_book

    book = read_book(path, kind=kind, sheet=sheet)
    report = empty_report(path, book.sheet, book.encoding or "unicode")
    report["warnings"] = list(book.warnings) + [f"Dòng {r.row}, cột {col}: {msg}" for r in book.rows
                                                for col, msg in r.warnings][:200]
    rows = [(r.row, r.member, r.months, r.values, list(r.errors)) for r in book.rows]
    return report, rows


def read_row(report: dict, matcher: MemberMatcher, excel_row: int, member: dict,
             row_errors: list[tuple[str, str]]) -> tuple[int | None, str]:
    """Count a book row, record its reading errors and the member it names: (member id or None, the column
    that named the member)."""
    report["rows_read"] += 1
    errors = report["errors"]
    for column, message in row_errors:
        errors.append({"row": excel_row, "column": column, "message": message})
    member_id, why, column = match_row(matcher, member)
    if member_id is None and (member.get("card_number") or member.get("full_name")):
        errors.append({"row": excel_row, "column": column, "message": why})
    return member_id, column


def match_row(matcher: MemberMatcher, member: dict) -> tuple[int | None, str | None, str]:
    """(member_id, reason, column) for a file row (rules.identity.match_person)."""
    return matcher.match(member)


def _import_book(session: Session, path: str | Path, year: int, kind: str, sheet: str | None) -> dict:
    _check_year(year)
    path = Path(path)
    report, rows = read_rows(path, kind, sheet)
    conn = _raw(session)
    matcher = MemberMatcher(conn)
    parsed: dict[int, tuple[int, str, list]] = {}
    errors = report["errors"]
    for excel_row, member, months, _values, row_errors in rows:
        member_id, _column = read_row(report, matcher, excel_row, member, row_errors)
        marks, amounts = [], []
        for m in range(1, 13):
            value = months.get(m)
            if kind == "attendance":
                marks.append(value or "-")
            else:
                mark, amount = value if isinstance(value, tuple) else ("-", None)
                marks.append(mark)
                amounts.append(amount if mark == "p" else None)
        if member_id is not None:
            if member_id in parsed:
                errors.append({"row": excel_row, "column": "Họ và tên",
                               "message": f"Đảng viên này đã có ở dòng {parsed[member_id][0]} của tệp"})
            else:
                parsed[member_id] = (excel_row, "".join(marks), amounts)
    if errors:
        errors.sort(key=lambda e: (e["row"] or 0))
        raise reject(report, "sổ sinh hoạt" if kind == "attendance" else "sổ đảng phí")
    table = "attendance_books" if kind == "attendance" else "dues_books"
    existing = {mid: rest for mid, *rest in conn.execute(
        f"SELECT member_id, marks{', amounts' if kind == 'dues' else ''} FROM {table} WHERE year = ?", (year,))}
    source = f"import {kind} {path.name}"
    stamp = now_iso()
    to_write = []
    for member_id, (_, marks, amounts) in parsed.items():
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
        conn.executemany(
            "INSERT INTO attendance_books (member_id, year, marks, source, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (member_id, year) DO UPDATE SET marks = excluded.marks, source = excluded.source, "
            "updated_at = excluded.updated_at", to_write)
    else:
        conn.executemany(
            "INSERT INTO dues_books (member_id, year, marks, amounts, source, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (member_id, year) DO UPDATE SET marks = excluded.marks, amounts = excluded.amounts, "
            "source = excluded.source, updated_at = excluded.updated_at", to_write)
    report["import_id"] = record_import(conn, kind, path, report, year)
    return report


def import_attendance(session: Session, path: str | Path, year: int, *, sheet: str | None = None) -> dict:
    """Import a year's attendance book; the import report of contract.md. InputRejected if any row is bad."""
    return _import_book(session, path, year, "attendance", sheet)


def import_dues(session: Session, path: str | Path, year: int, *, sheet: str | None = None) -> dict:
    """Import a year's dues book; the import report of contract.md. InputRejected if any row is bad."""
    return _import_book(session, path, year, "dues", sheet)
