"""Each clerk sees their own committee (issue 11): a PostgreSQL role bound to one organization's subtree, enforced
by the server's row-level security, so that it holds for every command of the tool and for anyone who connects
with ``psql`` as that role.

- ``role_scopes`` says which organization a role is bound to. Only the owner of the tables (the province's
  administrator, who runs ``db grant``) reads or writes it; a clerk's role has no right on it at all.
- ``dangvien_scope_cells(role)`` is the organization and everything under it, walked on the tree itself
  (``parent_id``), so a move or a new cell changes the scope at once, with no stored path to keep in step. It
  runs with the owner's rights (SECURITY DEFINER) to read ``role_scopes`` and every cell; a role with no binding
  gets an empty scope: it sees nothing.
- Every table that holds a committee's data gets a policy: organizations by their id, members by their home or
  host cell, every member-related table through its member (the members policy applies inside that subquery),
  candidates by their cell and their steps through the candidate. A row outside the scope is not seen, not
  changed, and cannot be written (WITH CHECK): the server refuses it.
- The owner is not subject to the policies (PostgreSQL's rule for a table's owner): the administrator sees the
  whole province. Settings and the schema version are read-only for a clerk; the audit of commands stays open
  to every role (its command lines are masked).

This module is PostgreSQL's own: ``db grant`` refuses on a SQLite file before it comes here.
"""

from __future__ import annotations

from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.store.database import now_iso

# The scope of the role running the statement, computed once per statement (the sub-select is an InitPlan).
_SCOPE = "CAST((SELECT dangvien_scope_cells(current_user)) AS integer[])"
_IN_SCOPE = f"= ANY ({_SCOPE})"
_MEMBER = "EXISTS (SELECT 1 FROM members m WHERE m.id = {t}.member_id)"
_CANDIDATE = "EXISTS (SELECT 1 FROM candidates c WHERE c.id = {t}.candidate_id)"

#: table → (who may see a row, which rows may be written); None for the second: the same as the first
POLICIES: dict[str, tuple[str, str | None]] = {
    "cells": (f"id {_IN_SCOPE}", f"id {_IN_SCOPE} OR parent_id {_IN_SCOPE}"),
    "cell_events": (f"cell_id {_IN_SCOPE}", None),
    "cell_ratings": (f"cell_id {_IN_SCOPE}", None),
    "imports": (f"target_cell_id {_IN_SCOPE}", None),
    # a member hosted here (temporary transfer in) is seen by the host, changed only by the home committee
    "members": (f"cell_id {_IN_SCOPE} OR host_cell_id {_IN_SCOPE}", f"cell_id {_IN_SCOPE}"),
    **{table: (_MEMBER.format(t=table), None) for table in (
        "member_events", "member_gaps", "transfers", "exemptions", "member_ratings", "attendance_books",
        "dues_books", "badge_awards", "dossier_documents")},
    "screening_findings": (f"{_MEMBER.format(t='screening_findings')} OR cell_id {_IN_SCOPE}", None),
    "candidates": (f"cell_id {_IN_SCOPE}", None),
    "candidate_steps": (_CANDIDATE.format(t="candidate_steps"), None),
    "candidate_introducers": (_CANDIDATE.format(t="candidate_introducers"), None),
}
#: tables a clerk's role reads but never writes
READ_ONLY = ("settings", "schema_migrations")
#: the binding itself: no right at all for a clerk's role
PRIVATE = ("role_scopes",)

_SETUP = (
    "CREATE TABLE IF NOT EXISTS role_scopes (role_name TEXT PRIMARY KEY, "
    "cell_id INTEGER NOT NULL REFERENCES cells (id), granted_at TEXT NOT NULL, granted_by TEXT NOT NULL)",
    "REVOKE ALL ON role_scopes FROM PUBLIC",
    # Walks down from the role's organization; the CAST gives the recursive term its type (cells.subtree_ids).
    "CREATE OR REPLACE FUNCTION dangvien_scope_cells(who name) RETURNS integer[] "
    "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$ "
    "WITH RECURSIVE sub(id) AS (SELECT CAST(cell_id AS INTEGER) FROM role_scopes WHERE role_name = who "
    "UNION SELECT c.id FROM cells c JOIN sub ON c.parent_id = sub.id) "
    "SELECT coalesce(array_agg(id), '{}') FROM sub $$",
)


def is_owner(conn: Connection) -> bool:
    """Whether the role running the tool owns the tables (only the owner can set up and grant scopes)."""
    return bool(conn.value("SELECT pg_has_role(current_user, tableowner, 'USAGE') FROM pg_tables "
                           "WHERE schemaname = 'public' AND tablename = 'members'"))


def role_exists(conn: Connection, role: str) -> bool:
    return conn.value("SELECT 1 FROM pg_roles WHERE rolname = ?", (role,)) is not None


def _quoted(conn: Connection, role: str) -> str:
    return conn.value("SELECT quote_ident(?)", (role,))


def set_up_row_security(conn: Connection) -> None:
    """The binding table, the scope function and a policy on every table of a committee's data (idempotent:
    the policies are written again, so a newer version of the tool brings them up to date)."""
    for statement in _SETUP:
        conn.execute(statement)
    for table, (using, check) in POLICIES.items():
        conn.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        conn.execute(f"DROP POLICY IF EXISTS committee_scope ON {table}")
        conn.execute(f"CREATE POLICY committee_scope ON {table} USING ({using}) WITH CHECK ({check or using})")


def grant(conn: Connection, role: str, cell_id: int) -> dict:
    """Create the role if need be (LOGIN, no password yet), give it the rights of a clerk, bind it to the
    organization's subtree. Returns ``{role, created, previous_cell_id}``."""
    set_up_row_security(conn)
    created = not role_exists(conn, role)
    who = _quoted(conn, role)
    if created:
        conn.execute(f"CREATE ROLE {who} LOGIN")
    tables = conn.column("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    writable = [t for t in tables if t not in READ_ONLY and t not in PRIVATE]
    database = conn.value("SELECT quote_ident(current_database())")
    conn.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {who}")
    conn.execute(f"GRANT USAGE ON SCHEMA public TO {who}")
    conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(writable)} TO {who}")
    read_only = [t for t in READ_ONLY if t in tables]
    if read_only:
        conn.execute(f"REVOKE ALL ON {', '.join(read_only)} FROM {who}")
        conn.execute(f"GRANT SELECT ON {', '.join(read_only)} TO {who}")
    conn.execute(f"REVOKE ALL ON {', '.join(PRIVATE)} FROM {who}")
    conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {who}")
    conn.execute(f"GRANT EXECUTE ON FUNCTION dangvien_scope_cells(name) TO {who}")
    previous = conn.value("SELECT cell_id FROM role_scopes WHERE role_name = ?", (role,))
    conn.execute("INSERT INTO role_scopes (role_name, cell_id, granted_at, granted_by) "
                 "VALUES (?, ?, ?, current_user) ON CONFLICT (role_name) DO UPDATE SET cell_id = excluded.cell_id, "
                 "granted_at = excluded.granted_at, granted_by = excluded.granted_by", (role, cell_id, now_iso()))
    return {"role": role, "created": created, "previous_cell_id": previous}


def scope_of(conn: Connection, role: str) -> Record | None:
    """The organization a role is bound to (``cell_id``, ``code``, ``name``), or None."""
    return conn.record("SELECT s.cell_id, c.code, c.name FROM role_scopes s JOIN cells c ON c.id = s.cell_id "
                       "WHERE s.role_name = ?", (role,))


def cells_in_scope(conn: Connection, role: str) -> int:
    return conn.value("SELECT cardinality(dangvien_scope_cells(?))", (role,))
