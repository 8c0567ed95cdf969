"""ORM look-ups and history rows, kept only for the services still on a SQLModel session (books, ratings,
reports and one step of screening, while their store helpers move them): the store's own versions are
store.members.by_ref, store.cells.find and store.audit.member_event / cell_event. Delete this module with
its last importer; it cannot be a thin re-export, as its callers change the ORM objects it returns."""

from __future__ import annotations

from sqlmodel import Session, select

from dangvien_cli.errors import NotFound
from dangvien_cli.rules.organization import MEMBER_KINDS  # noqa: F401 - re-exported for the services
from dangvien_cli.services.values import date_value  # noqa: F401 - re-exported for the services
from dangvien_cli.store.database import now_iso
from dangvien_cli.store.models import Cell, CellEvent, Member, MemberEvent


def cell_label(cell: Cell | None) -> str | None:
    """How history names an organization: code and the name it had at that moment."""
    return None if cell is None else f"{cell.code} — {cell.name}"


def get_cell(session: Session, ref: str) -> Cell:
    """A cell by its code or its exact name (contract.md); ambiguous names list the codes to use instead."""
    from dangvien_cli.services.lookup import find_cell

    return session.get(Cell, find_cell(session.connection().connection.driver_connection, ref).id)


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
        command_id=session.info.get("command_id"),
    ))


def cell_event(session: Session, cell_id: int, event: str, *, source: str, field: str | None = None,
               old: object = None, new: object = None, date: str | None = None,
               reference: str | None = None) -> None:
    session.add(CellEvent(
        cell_id=cell_id, event=event, field=field,
        old_value=None if old is None else str(old), new_value=None if new is None else str(new),
        effective_date=date, reference=reference, source=source, created_at=now_iso(),
        command_id=session.info.get("command_id"),
    ))
