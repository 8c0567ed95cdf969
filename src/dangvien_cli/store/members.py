"""Members: look-ups by reference and the member record."""

from __future__ import annotations

from dangvien_cli.errors import NotFound
from dangvien_cli.store.connection import Connection, Record


def get(conn: Connection, member_id: int) -> Record | None:
    """Every column of one member."""
    return conn.record("SELECT * FROM members WHERE id = ?", (member_id,))


def by_ref(conn: Connection, ref: str | int) -> Record:
    """A member by 12-digit personal id, card number, or id (contract.md "REF")."""
    text = str(ref).strip()
    member = None
    if len(text) == 12 and text.isdigit():
        member = conn.record("SELECT * FROM members WHERE national_id = ?", (text,))
    if member is None and text.isdigit():
        member = conn.record("SELECT * FROM members WHERE card_number = ?", (text,))
    if member is None and text.isdigit() and len(text) <= 9:
        member = get(conn, int(text))
    if member is None:
        raise NotFound(
            f"Không tìm thấy đảng viên '{text}'.",
            hint="Ghi mã số (id), số thẻ đảng viên hoặc số định danh cá nhân 12 chữ số; "
            "tìm theo tên bằng 'dangvien members list --search \"tên\"'.")
    return member
