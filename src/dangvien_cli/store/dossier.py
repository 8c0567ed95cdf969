"""Dossiers: the checklist rows of each member, the facts that decide what a dossier holds, organizations'
national codes. Set-based reads (a province holds 400,000 dossiers); writes in one statement per batch."""

from __future__ import annotations

from collections.abc import Iterable

from dangvien_cli.rules.membership import ON_ROLL_SQL
from dangvien_cli.store.connection import Connection
from dangvien_cli.store.database import now_iso

MEMBER_COLUMNS = ("id", "full_name", "national_id", "status", "membership", "cell_id", "cell_code", "cell_name",
                  "national_code")


def roll(conn: Connection, cell_ids: list[int] | None) -> list[tuple[int, str, str, int]]:
    """(id, status, membership, cell id) of the members on the roll (of ``cell_ids``, or all), in no order:
    what the progress needs of each of a province's members."""
    where, params = "", ()
    if cell_ids is not None:
        where, params = f" AND cell_id IN ({','.join('?' * len(cell_ids))})", tuple(cell_ids)
    return conn.rows(f"SELECT id, status, membership, cell_id FROM members WHERE status IN {ON_ROLL_SQL}{where}",
                     params)


def members(conn: Connection, cell_ids: list[int] | None) -> list[tuple]:
    """Members on the roll (of the organizations ``cell_ids``, or all), in cell then name order."""
    where, params = "", ()
    if cell_ids is not None:
        where, params = f" AND m.cell_id IN ({','.join('?' * len(cell_ids))})", tuple(cell_ids)
    return conn.rows(
        "SELECT m.id, m.full_name, m.national_id, m.status, m.membership, m.cell_id, c.code, c.name, "
        f"c.national_code FROM members m JOIN cells c ON c.id = m.cell_id WHERE m.status IN {ON_ROLL_SQL}{where} "
        "ORDER BY c.code, m.sort_key, m.id", params)


def counts(conn: Connection) -> dict[str, dict[int, int]]:
    """Per member, how many of each record fact that calls for a document (only members that have one)."""
    queries = {
        "official_transfers": "SELECT member_id, count(*) FROM transfers WHERE kind = 'official' "
                              "AND status <> 'cancelled' GROUP BY member_id",
        "temporary_transfers": "SELECT member_id, count(*) FROM transfers WHERE kind = 'temporary' "
                               "AND status <> 'cancelled' GROUP BY member_id",
        "badges": "SELECT member_id, count(*) FROM badge_awards GROUP BY member_id",
        "posthumous_badges": "SELECT member_id, count(*) FROM badge_awards WHERE posthumous = 1 GROUP BY member_id",
        "exemptions": "SELECT member_id, count(*) FROM exemptions WHERE kind = 'exempt' GROUP BY member_id",
        "health_exemptions": "SELECT member_id, count(*) FROM exemptions WHERE kind = 'exempt' "
                             "AND reason = 'health' GROUP BY member_id",
        "readmitted": "SELECT member_id, count(*) FROM member_events WHERE event = 'readmitted' GROUP BY member_id",
        "youth_union_introduced": "SELECT k.member_id, count(*) FROM candidate_introducers i JOIN candidates k "
                                  "ON k.id = i.candidate_id WHERE i.kind = 'youth_union' AND k.member_id IS NOT NULL "
                                  "GROUP BY k.member_id",
        "trade_union_introduced": "SELECT k.member_id, count(*) FROM candidate_introducers i JOIN candidates k "
                                  "ON k.id = i.candidate_id WHERE i.kind = 'trade_union' AND k.member_id IS NOT NULL "
                                  "GROUP BY k.member_id",
    }
    return {name: dict(conn.rows(sql)) for name, sql in queries.items()}


def documents(conn: Connection, member_ids: Iterable[int] | None = None) -> dict[tuple[int, int], tuple]:
    """(member, document) → (state, file_name, parts, source) of the recorded checklist rows."""
    rows = conn.rows("SELECT member_id, doc_no, state, file_name, parts, source FROM dossier_documents")
    wanted = None if member_ids is None else set(member_ids)
    return {(m, d): (s, f, p, src) for m, d, s, f, p, src in rows if wanted is None or m in wanted}


def record(conn: Connection, rows: list[tuple[int, int, str, str | None, int]], source: str) -> None:
    """Write checklist rows (member, document, state, file name, parts), replacing what was recorded."""
    stamp = now_iso()
    conn.executemany(
        "INSERT INTO dossier_documents (member_id, doc_no, state, file_name, parts, source, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (member_id, doc_no) DO UPDATE SET state = excluded.state, "
        "file_name = excluded.file_name, parts = excluded.parts, source = excluded.source, "
        "updated_at = excluded.updated_at",
        [(*row, source, stamp) for row in rows])


def cells_without_national_code(conn: Connection, cell_ids: Iterable[int]) -> list[tuple[str, str]]:
    """(code, name) of the given organizations that have no national code yet."""
    ids = list(cell_ids)
    if not ids:
        return []
    return conn.rows(f"SELECT code, name FROM cells WHERE national_code IS NULL AND id IN ({','.join('?' * len(ids))}) "
                     "ORDER BY code", tuple(ids))


def set_national_code(conn: Connection, cell_id: int, code: str | None) -> str | None:
    """Give an organization its national code; returns the old one. Refused (IntegrityError) if another has it."""
    old = conn.value("SELECT national_code FROM cells WHERE id = ?", (cell_id,))
    conn.update_versioned("cells", cell_id, {"national_code": code, "updated_at": now_iso()}, None)
    return old


def national_codes(conn: Connection) -> dict[str, tuple[int, str, str]]:
    """national code → (id, code, name) of every organization that has one."""
    return {nc: (cid, code, name) for cid, code, name, nc in
            conn.rows("SELECT id, code, name, national_code FROM cells WHERE national_code IS NOT NULL")}


def cell_with_national_code(conn: Connection, code: str) -> tuple[str, str] | None:
    return conn.row("SELECT code, name FROM cells WHERE national_code = ?", (code,))
