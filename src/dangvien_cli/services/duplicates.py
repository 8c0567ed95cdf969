"""A likely duplicate person: the same normalised name and birth date in the same committee, without a card
number or a personal id to tell the two apart (issue 12: "the same person added twice, silently").

The committee of a member is the organization that holds its cell: walking up from the cell over party groups,
cells and partial committees to the grassroots or commune committee (or the cell itself when it is a
grassroots cell, or the top of this database's tree).
"""

from __future__ import annotations

from collections.abc import Callable

from dangvien_cli.errors import Conflict, DangvienError
from dangvien_cli.rules.dates import DateError, format_vi, parse_date
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import roster as store
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.text import normalize_text, search_key

# Organizations that sit inside a committee: a member of any of them belongs to the committee above.
_INSIDE = ("cell", "party_group", "partial_committee")


def committee_of(cell_id: int, get: Callable[[int], Record | None]) -> int:
    """The id of the committee that holds ``cell_id`` (``get`` returns an organization by id)."""
    node = get(cell_id)
    while node is not None and node.kind in _INSIDE and node.parent_id is not None:
        parent = get(node.parent_id)
        if parent is None:
            break
        node = parent
    return node.id if node is not None else cell_id


def likely_duplicates(conn: Connection, *, name: str, birth_date: str | None, cell_id: int) -> list[Record]:
    """Members of the committee of ``cell_id`` with the same normalised name and birth date."""
    committee = committee_of(cell_id, lambda i: cell_store.get(conn, i))
    return store.same_name_and_birth(conn, search_key(normalize_text(name) or ""), birth_date,
                                     cell_store.subtree_ids(conn, committee))


def refuse_likely_duplicate(conn: Connection, *, name: str, birth_date: str | None, cell: str,
                            card_number: str | None = None, national_id: str | None = None) -> None:
    """Refuse (exit 1) a new member without card number or personal id who looks like one already recorded
    in the same committee; the message names the existing member's id and how to insist.

    Values the add itself will refuse (a bad date, an unknown cell) are left to it: nothing is checked then.
    """
    if normalize_text(card_number) or normalize_text(national_id) or not normalize_text(name):
        return
    try:
        birth = parse_date(birth_date)
        target = cell_store.find(conn, cell)
    except (DateError, DangvienError):
        return
    found = likely_duplicates(conn, name=name, birth_date=birth, cell_id=target.id)
    if not found:
        return
    first = found[0]
    ids = ", ".join(str(m.id) for m in found)
    raise Conflict(
        f"Đã có đảng viên {first.full_name}, sinh {format_vi(birth) or '(không rõ)'}, trong cùng đảng bộ "
        f"(mã số {ids}, chi bộ {first.cell_code}): có thể đây là cùng một người. Chưa thêm.",
        hint=f"Xem bằng 'dangvien members show {first.id}'. Nếu đúng là người khác, ghi thêm số thẻ đảng viên "
             "hoặc số định danh cá nhân, hoặc chạy lại lệnh với --allow-duplicate.")
