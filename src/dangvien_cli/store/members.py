"""Members: look-ups by reference and the member record."""

from __future__ import annotations

from dangvien_cli.errors import NotFound
from dangvien_cli.rules.membership import ON_ROLL, ON_ROLL_SQL
from dangvien_cli.store import audit
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


# --- the members aggregate (services/members.py) ------------------------------------------------------------

#: columns of a member in ``listing`` (contract.md "Member"), besides the cell's code and name
LIST_COLUMNS = ("id", "full_name", "gender", "birth_date", "ethnicity", "religion", "hometown", "national_id",
                "card_number", "decision_date", "admission_date", "official_date", "membership", "status",
                "other_name", "birthplace", "residence", "old_id_number", "biography_number", "occupation",
                "position", "education_general", "education_professional", "political_theory", "status_date",
                "status_reason", "status_reference", "note")

def holder(conn: Connection, field: str, value: str) -> int | None:
    """The id of the member whose ``field`` (national_id or card_number, both unique) is ``value``."""
    if field not in ("national_id", "card_number"):
        raise ValueError(field)
    return conn.value(f"SELECT id FROM members WHERE {field} = ?", (value,))


def insert(conn: Connection, values: dict) -> int:
    return conn.insert("members", values)


def update(conn: Connection, member_id: int, values: dict, *, version: int | None = None) -> None:
    """Change a member and raise its row version; with ``version`` (the one read) refuse, saying who and when,
    if another clerk changed the member since."""
    if not conn.update_versioned("members", member_id, values, version):
        audit.refuse_stale(conn, "member", member_id)


def like_pattern(text: str) -> str:
    """``%text%`` for ``LIKE … ESCAPE '\\'``, with the wildcards of ``text`` taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def listing(conn: Connection, *, cell_ids: list[int] | None = None, membership: str | None = None,
            statuses: tuple[str, ...] | None = ON_ROLL, born_from: int | None = None, born_to: int | None = None,
            name_key: str | None = None, number: str | None = None, limit: int | None = None) -> list[Record]:
    """Members in Vietnamese name order with their cell's code and name. ``cell_ids``: members of those cells
    or hosted by them; ``statuses`` None = everyone; ``name_key`` matches anywhere in the search key (a plain
    ``LIKE '%…%'`` scan, about 30 ms over 100,000 members: no index can serve it); ``number`` also matches a
    card number or personal id exactly."""
    where: list[str] = []
    params: list = []
    if cell_ids is not None:
        marks = ", ".join("?" * len(cell_ids))
        where.append(f"(m.cell_id IN ({marks}) OR m.host_cell_id IN ({marks}))")
        params += [*cell_ids, *cell_ids]
    if membership:
        where.append("m.membership = ?")
        params.append(membership)
    if statuses is not None:
        where.append(f"m.status IN ({', '.join('?' * len(statuses))})")
        params += statuses
    if born_from is not None:
        where.append("substr(m.birth_date, 1, 4) >= ?")
        params.append(f"{born_from:04d}")
    if born_to is not None:
        where.append("substr(m.birth_date, 1, 4) <= ?")
        params.append(f"{born_to:04d}")
    if name_key is not None:
        clause = "m.search_key LIKE ? ESCAPE '\\'"
        params.append(like_pattern(name_key))
        if number:
            clause += " OR m.card_number = ? OR m.national_id = ?"
            params += [number, number]
        where.append(f"({clause})")
    sql = (f"SELECT {', '.join('m.' + c for c in LIST_COLUMNS)}, c.code AS cell_code, c.name AS cell_name "
           "FROM members m JOIN cells c ON c.id = m.cell_id"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY m.sort_key, m.id")
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    return conn.records(sql, params)


def count_on_roll(conn: Connection) -> int:
    return conn.value(f"SELECT count(*) FROM members WHERE status IN {ON_ROLL_SQL}")


def gaps(conn: Connection, member_id: int) -> list[tuple[str, str | None]]:
    """Periods deducted from the member's party age (start, end or None)."""
    return [tuple(r) for r in conn.rows("SELECT start_date, end_date FROM member_gaps WHERE member_id = ? "
                                        "ORDER BY start_date, id", (member_id,))]


def add_gap(conn: Connection, member_id: int, kind: str, start: str, stamp: str) -> None:
    conn.insert("member_gaps", {"member_id": member_id, "kind": kind, "start_date": start, "created_at": stamp})


def close_leaving_gap(conn: Connection, member_id: int, note: str) -> None:
    """Membership restored (phục hồi đảng tịch): the open gap of the removal or expulsion is annulled — party
    age runs on as if it never opened (domain.md §1.4) — and kept, closed on its own first day, with a note."""
    conn.execute("UPDATE member_gaps SET end_date = start_date, note = ? WHERE member_id = ? AND end_date IS NULL "
                 "AND (kind = 'removed' OR kind = 'expelled')", (note, member_id))


def badges(conn: Connection, member_id: int) -> list[int]:
    return conn.column("SELECT milestone FROM badge_awards WHERE member_id = ? ORDER BY milestone", (member_id,))


def events(conn: Connection, member_id: int) -> list[Record]:
    """The member's history, oldest first, with the user and the (masked) command line of each change."""
    return conn.records(
        "SELECT e.id, e.event, e.field, e.old_value, e.new_value, e.effective_date, e.reference, e.source, "
        "e.import_id, e.created_at, e.command_id, c.os_user, c.command_line "
        "FROM member_events e LEFT JOIN commands c ON c.id = e.command_id WHERE e.member_id = ? ORDER BY e.id",
        (member_id,))


def open_exemption(conn: Connection, member_id: int) -> Record | None:
    return conn.record("SELECT kind, reason, start_date, end_date, reference FROM exemptions "
                       "WHERE member_id = ? AND ended_date IS NULL ORDER BY id LIMIT 1", (member_id,))


def add_exemption(conn: Connection, values: dict) -> int:
    return conn.insert("exemptions", values)


def end_exemptions(conn: Connection, member_id: int, day: str) -> None:
    conn.execute("UPDATE exemptions SET ended_date = ? WHERE member_id = ? AND ended_date IS NULL", (day, member_id))


def add_transfer(conn: Connection, values: dict) -> int:
    return conn.insert("transfers", values)


def return_temporary_transfers(conn: Connection, member_id: int) -> None:
    """Close the member's open temporary transfers (the member is back at the home cell)."""
    conn.execute("UPDATE transfers SET status = 'returned' WHERE member_id = ? AND kind = 'temporary' "
                 "AND (status = 'pending' OR status = 'arrived')", (member_id,))
