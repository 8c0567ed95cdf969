"""What every import of a file shares: the file's fingerprint, ``--map``, and for the yearly
books and ratings sheets the reading, the matching of rows to members and the refusal of a bad file.

The roster import itself is ``services/roster_import.py``; the books ``services/books.py``; the ratings
``services/ratings.py``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dangvien_cli.errors import InputRejected, InvalidValue
from dangvien_cli.rules.dates import format_vi
from dangvien_cli.rules.identity import People, match_message, match_person
from dangvien_cli.store import imports as store
from dangvien_cli.store import roster as roster_store
from dangvien_cli.store.connection import Connection
from dangvien_cli.text import normalize_text, search_key
from dangvien_cli.vocab import MEMBER_FIELD


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_mapping(items: list[str] | None) -> dict[str, str] | None:
    """``--map "Header=field"`` options → {header: field}."""
    if not items:
        return None
    mapping = {}
    for item in items:
        header, sep, fld = item.rpartition("=")
        header, fld = normalize_text(header), normalize_text(fld)
        if not sep or not header or not fld:
            raise InvalidValue(f"--map '{item}' không đúng dạng.", hint="Ghi --map \"Tên cột=trường\", ví dụ "
                               "--map \"Số thẻ=card_number\".")
        mapping[header] = fld
    return mapping


# --- the yearly sheets: attendance and dues books, ratings ------------------------------------------------------


class MemberMatcher:
    """Finds the members that book rows name, by the one matching rule (rules.identity): personal id, then card
    number, then name (search key) with birth date, never guessing between two members."""

    def __init__(self, conn: Connection):
        self.people = People(roster_store.member_index(conn))

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


def record_import(conn: Connection, kind: str, path: Path, report: dict, year: int | None) -> int:
    return store.record(
        conn, kind=kind, file_name=path.name, sheet=report.get("sheet"), sha256=file_sha256(path),
        encoding=report.get("encoding") or "unicode", year=year, rows_read=report["rows_read"],
        created=report["created"], updated=report["updated"], unchanged=report["unchanged"],
        rejected=report["rejected"], details={"warnings": report.get("warnings", [])})


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
