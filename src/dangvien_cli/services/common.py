"""Look-ups and history rows shared by the services."""

from __future__ import annotations

from sqlmodel import Session, select

from dangvien_cli.errors import InvalidValue, NotFound
from dangvien_cli.services.values import date_value  # noqa: F401 - re-exported for the services
from dangvien_cli.store.database import now_iso
from dangvien_cli.store.models import Cell, CellEvent, Member, MemberEvent
from dangvien_cli.text import normalize_text, search_key

MEMBER_KINDS = ("cell", "grassroots_cell", "party_group")


def cell_label(cell: Cell | None) -> str | None:
    """How history names an organization: code and the name it had at that moment."""
    return None if cell is None else f"{cell.code} — {cell.name}"


def get_cell(session: Session, ref: str) -> Cell:
    """A cell by its code or its exact name (contract.md); ambiguous names list the codes to use instead."""
    text = normalize_text(ref)
    if not text:
        raise InvalidValue("Chưa ghi tổ chức đảng.", hint="Ghi mã hoặc tên đúng của tổ chức đảng.")
    cell = session.exec(select(Cell).where(Cell.code == text)).first()
    if cell:
        return cell
    matches = session.exec(select(Cell).where(Cell.name == text)).all()
    if not matches:
        matches = session.exec(select(Cell).where(Cell.search_key == search_key(text))).all()
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        codes = ", ".join(c.code for c in matches)
        raise InvalidValue(
            f"Có {len(matches)} tổ chức đảng cùng tên '{text}'.", hint=f"Hãy ghi mã thay cho tên: {codes}."
        )
    raise NotFound(
        f"Không có tổ chức đảng nào có mã hoặc tên '{text}'.",
        hint="Xem danh sách bằng 'dangvien cells list' hoặc 'dangvien cells tree'.",
    )


def get_member(session: Session, ref: str | int) -> Member:
    """A member by 12-digit personal id, card number, or id (contract.md "REF")."""
    text = str(ref).strip()
    member = None
    if len(text) == 12 and text.isdigit():
        member = session.exec(select(Member).where(Member.national_id == text)).first()
    if member is None and text.isdigit():
        member = session.exec(select(Member).where(Member.card_number == text)).first()
    if member is None and text.isdigit() and len(text) <= 9:
        member = session.get(Member, int(text))
    if member is None:
        raise NotFound(
            f"Không tìm thấy đảng viên '{text}'.",
            hint="Ghi mã số (id), số thẻ đảng viên hoặc số định danh cá nhân 12 chữ số; "
            "tìm theo tên bằng 'dangvien members list --search \"tên\"'.",
        )
    return member


def member_event(session: Session, member_id: int, event: str, *, source: str, field: str | None = None,
                 old: object = None, new: object = None, date: str | None = None, reference: str | None = None,
                 import_id: int | None = None) -> None:
    session.add(MemberEvent(
        member_id=member_id, event=event, field=field,
        old_value=None if old is None else str(old), new_value=None if new is None else str(new),
        effective_date=date, reference=reference, source=source, import_id=import_id, created_at=now_iso(),
    ))


def cell_event(session: Session, cell_id: int, event: str, *, source: str, field: str | None = None,
               old: object = None, new: object = None, date: str | None = None,
               reference: str | None = None) -> None:
    session.add(CellEvent(
        cell_id=cell_id, event=event, field=field,
        old_value=None if old is None else str(old), new_value=None if new is None else str(new),
        effective_date=date, reference=reference, source=source, created_at=now_iso(),
    ))
