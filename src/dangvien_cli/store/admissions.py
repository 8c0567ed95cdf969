"""Admissions: candidates (quần chúng ưu tú), the steps of their files, introducers, readmission, the due list.

Every statement of ``services/admissions/`` lives here; each function takes the command's ``Connection`` and
plain values and returns Records or plain data. Written in portable SQL (ids from the engine, no ``rowid``).
"""

from __future__ import annotations

from collections.abc import Iterable

from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.store.database import now_iso

# --- candidates -----------------------------------------------------------------------------------------


def get(conn: Connection, candidate_id: int) -> Record | None:
    return conn.record("SELECT * FROM candidates WHERE id = ?", (candidate_id,))


def latest_by_national_id(conn: Connection, national_id: str) -> Record | None:
    """The newest file of a person (a readmitted person may have had an earlier one)."""
    return conn.record("SELECT * FROM candidates WHERE national_id = ? ORDER BY id DESC LIMIT 1", (national_id,))


def following_with_national_id(conn: Connection, national_id: str) -> Record | None:
    return conn.record("SELECT id FROM candidates WHERE national_id = ? AND status = 'following' LIMIT 1",
                       (national_id,))


def of_member(conn: Connection, member_id: int) -> Record | None:
    """The file that made this person a member (``candidates.member_id``), if any."""
    return conn.record("SELECT * FROM candidates WHERE member_id = ? LIMIT 1", (member_id,))


def insert(conn: Connection, values: dict) -> int:
    stamp = now_iso()
    return conn.insert("candidates", values | {"created_at": stamp, "updated_at": stamp})


def update(conn: Connection, candidate_id: int, values: dict) -> None:
    conn.update("candidates", candidate_id, values | {"updated_at": now_iso()})


def listing(conn: Connection, *, cell_ids: Iterable[int] | None = None, status: str | None = None) -> list[Record]:
    """Candidates in name order (the collation key), optionally of some organizations and one status."""
    where, params = [], []
    if cell_ids is not None:
        ids = list(cell_ids)
        where.append(f"cell_id IN ({', '.join('?' * len(ids)) or 'NULL'})")
        params += ids
    if status is not None:
        where.append("status = ?")
        params.append(status)
    sql = "SELECT * FROM candidates" + (" WHERE " + " AND ".join(where) if where else "")
    return conn.records(sql + " ORDER BY sort_key, id", params)


def member_links(conn: Connection) -> dict[int, int]:
    """member id → the id of the file that admitted the member."""
    return dict(conn.rows("SELECT member_id, id FROM candidates WHERE member_id IS NOT NULL"))


# --- steps ----------------------------------------------------------------------------------------------


def steps_of(conn: Connection, candidate_id: int) -> dict[str, Record]:
    """step → its row, for one file."""
    return {r.step: r for r in conn.records("SELECT * FROM candidate_steps WHERE candidate_id = ? ORDER BY id",
                                            (candidate_id,))}


def steps_of_many(conn: Connection, candidate_ids: Iterable[int] | None = None) -> dict[int, dict[str, Record]]:
    """candidate id → step → row, for many files in one statement (``None``: every file)."""
    if candidate_ids is None:
        rows = conn.records("SELECT * FROM candidate_steps ORDER BY id")
    else:
        ids = list(candidate_ids)
        if not ids:
            return {}
        rows = conn.records(
            f"SELECT * FROM candidate_steps WHERE candidate_id IN ({', '.join('?' * len(ids))}) ORDER BY id", ids)
    found: dict[int, dict[str, Record]] = {}
    for r in rows:
        found.setdefault(r.candidate_id, {})[r.step] = r
    return found


def add_step(conn: Connection, candidate_id: int, step: str, date: str, *, source: str,
             reference: str | None = None, issuer: str | None = None, details: str | None = None) -> int:
    return conn.insert("candidate_steps", {
        "candidate_id": candidate_id, "step": step, "date": date, "reference": reference, "issuer": issuer,
        "details": details, "source": source, "created_at": now_iso()})


# --- introducers ----------------------------------------------------------------------------------------


def introducer_member_ids(conn: Connection, candidate_id: int) -> set[int]:
    return set(conn.column("SELECT member_id FROM candidate_introducers WHERE candidate_id = ? AND kind = 'member'",
                           (candidate_id,)))


def add_introducer(conn: Connection, candidate_id: int, kind: str, *, introduced_date: str,
                   member_id: int | None = None, together_since: str | None = None, replacement: bool = False,
                   reference: str | None = None) -> int:
    return conn.insert("candidate_introducers", {
        "candidate_id": candidate_id, "kind": kind, "member_id": member_id, "together_since": together_since,
        "introduced_date": introduced_date, "replacement": int(replacement), "reference": reference,
        "created_at": now_iso()})


def introducers_of(conn: Connection, candidate_id: int) -> list[Record]:
    """The introducers of one file in the order recorded, with the introducing member's name."""
    return conn.records(
        "SELECT i.kind, i.member_id, m.full_name, i.together_since, i.introduced_date, i.replacement, i.reference "
        "FROM candidate_introducers i LEFT JOIN members m ON m.id = i.member_id "
        "WHERE i.candidate_id = ? ORDER BY i.id", (candidate_id,))


# --- readmission ----------------------------------------------------------------------------------------


def close_open_gaps(conn: Connection, member_id: int, end_date: str) -> int:
    """End every open gap of a member's party age on ``end_date``; returns how many there were."""
    ids = conn.column("SELECT id FROM member_gaps WHERE member_id = ? AND end_date IS NULL", (member_id,))
    for gap_id in ids:
        conn.update("member_gaps", gap_id, {"end_date": end_date})
    return len(ids)


def add_gap(conn: Connection, member_id: int, kind: str, start_date: str, end_date: str | None,
            note: str | None) -> int:
    return conn.insert("member_gaps", {"member_id": member_id, "kind": kind, "start_date": start_date,
                                       "end_date": end_date, "note": note, "created_at": now_iso()})


def set_member_fields(conn: Connection, member_id: int, values: dict) -> None:
    """Write fields of the member record (the readmission brings the old record back)."""
    conn.update_versioned("members", member_id, values | {"updated_at": now_iso()}, None)


# --- the due list ---------------------------------------------------------------------------------------


def probationary_on_roll(conn: Connection, on_roll: Iterable[str]) -> list[Record]:
    """Probationary members on the roll whose admission date is known: their probation ends some day."""
    statuses = list(on_roll)
    return conn.records(
        "SELECT id, full_name, cell_id, admission_date FROM members WHERE membership = 'probationary' "
        f"AND status IN ({', '.join('?' * len(statuses))}) AND admission_date IS NOT NULL", statuses)


def cell_codes(conn: Connection) -> dict[int, str]:
    return dict(conn.rows("SELECT id, code FROM cells"))


# --- people the admissions look up by their personal id ------------------------------------------------


def member_with_national_id(conn: Connection, national_id: str) -> Record | None:
    return conn.record("SELECT id, status FROM members WHERE national_id = ? LIMIT 1", (national_id,))
