"""SQLModel table models: the same tables as ``data/schema.sql`` (tests/test_schema.py proves it).

The schema file is what creates the database; these models are how the services read and write single rows.
Bulk paths (imports, screening) use SQL on the same connection. Flags are ``int`` 0/1 and dates ISO text, as
in the schema.
"""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


def defaulted(value: int | str, **kwargs):
    """A column with a default in the schema too (``DEFAULT 0``, ``DEFAULT 'active'``): bulk SQL inserts that leave
    the column out rely on it, so the model declares it and the drift test compares it."""
    literal = str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"
    return Field(default=value, sa_column_kwargs={"server_default": text(literal)}, **kwargs)


class Setting(SQLModel, table=True):
    __tablename__ = "settings"
    key: str = Field(primary_key=True)
    value: str
    updated_at: str


class Cell(SQLModel, table=True):
    __tablename__ = "cells"
    __table_args__ = (Index("ux_cells_national_code", "national_code", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True)
    name: str
    search_key: str = Field(index=True)
    kind: str
    parent_id: int | None = Field(default=None, foreign_key="cells.id", index=True)
    unit_type: str | None = None
    online_meetings: int = defaulted(0)
    secretary_is_village_head: int = defaulted(0)
    has_committee: int = defaulted(0)
    authorized_to_admit: int = defaulted(0)
    has_upper_level_powers: int = defaulted(0)
    valid_from: str | None = None
    valid_to: str | None = None
    replaced_by_id: int | None = Field(default=None, foreign_key="cells.id")
    national_code: str | None = None
    note: str | None = None
    created_at: str
    updated_at: str
    version: int = defaulted(1)  # the row version (migration 9): raised by every update, checked by the store


class CellEvent(SQLModel, table=True):
    __tablename__ = "cell_events"
    __table_args__ = (Index("ux_cell_events_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    cell_id: int = Field(foreign_key="cells.id", index=True)
    event: str
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    effective_date: str | None = None
    reference: str | None = None
    source: str
    created_at: str
    command_id: int | None = Field(default=None, foreign_key="commands.id")
    origin: str | None = None


class Import(SQLModel, table=True):
    __tablename__ = "imports"
    __table_args__ = (Index("ux_imports_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    file_name: str
    sheet: str | None = None
    sha256: str = Field(index=True)
    encoding: str = defaulted("unicode")
    target_cell_id: int | None = Field(default=None, foreign_key="cells.id")
    year: int | None = None
    rows_read: int = defaulted(0)
    created: int = defaulted(0)
    updated: int = defaulted(0)
    unchanged: int = defaulted(0)
    rejected: int = defaulted(0)
    cells_created: int = defaulted(0)
    details: str | None = None
    created_at: str
    origin: str | None = None


class Member(SQLModel, table=True):
    __tablename__ = "members"
    __table_args__ = (Index("ix_members_status", "status", "membership"),
                      Index("ix_members_host_cell_id", "host_cell_id", sqlite_where=text("host_cell_id IS NOT NULL")),
                      Index("ux_members_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")))
    id: int | None = Field(default=None, primary_key=True)
    full_name: str
    search_key: str
    sort_key: str = Field(index=True)
    other_name: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    hometown: str | None = None
    birthplace: str | None = None
    residence: str | None = None
    national_id: str | None = Field(default=None, unique=True)
    old_id_number: str | None = None
    card_number: str | None = Field(default=None, unique=True)
    biography_number: str | None = None
    occupation: str | None = None
    position: str | None = None
    education_general: str | None = None
    education_professional: str | None = None
    political_theory: str | None = None
    decision_date: str | None = None
    admission_date: str | None = None
    official_date: str | None = None
    membership: str = defaulted("official")
    status: str = defaulted("active")
    status_date: str | None = None
    status_reason: str | None = None
    status_reference: str | None = None
    cell_id: int = Field(foreign_key="cells.id", index=True)
    host_cell_id: int | None = Field(default=None, foreign_key="cells.id")
    host_until: str | None = None
    note: str | None = None
    created_at: str
    updated_at: str
    version: int = defaulted(1)  # the row version (migration 9): raised by every update, checked by the store
    seriously_ill_since: str | None = None  # migration 10
    origin: str | None = None


class MemberEvent(SQLModel, table=True):
    __tablename__ = "member_events"
    __table_args__ = (Index("ix_member_events_command_id", "command_id",
                            sqlite_where=text("command_id IS NOT NULL")),
                      Index("ux_member_events_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")))
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", index=True)
    event: str
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    effective_date: str | None = None
    reference: str | None = None
    source: str
    import_id: int | None = Field(default=None, foreign_key="imports.id")
    created_at: str
    command_id: int | None = Field(default=None, foreign_key="commands.id")
    origin: str | None = None


class Command(SQLModel, table=True):
    __tablename__ = "commands"
    __table_args__ = (Index("ux_commands_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    started_at: str
    os_user: str
    command_line: str
    import_id: int | None = Field(default=None, foreign_key="imports.id")
    origin: str | None = None


class MemberGap(SQLModel, table=True):
    __tablename__ = "member_gaps"
    __table_args__ = (Index("ux_member_gaps_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", index=True)
    kind: str
    start_date: str
    end_date: str | None = None
    note: str | None = None
    created_at: str
    origin: str | None = None


class Transfer(SQLModel, table=True):
    __tablename__ = "transfers"
    __table_args__ = (Index("ix_transfers_status", "status", "kind"),
                      Index("ux_transfers_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")))
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", index=True)
    kind: str
    from_cell_id: int | None = Field(default=None, foreign_key="cells.id")
    to_cell_id: int | None = Field(default=None, foreign_key="cells.id")
    destination: str | None = None
    letter_number: str | None = None
    issued_date: str | None = None
    start_date: str
    end_date: str | None = None
    arrived_date: str | None = None
    status: str = defaulted("pending")
    created_at: str
    origin: str | None = None


class Exemption(SQLModel, table=True):
    __tablename__ = "exemptions"
    __table_args__ = (Index("ux_exemptions_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", index=True)
    kind: str = defaulted("exempt")
    reason: str
    start_date: str
    end_date: str | None = None
    reference: str | None = None
    ended_date: str | None = None
    created_at: str
    origin: str | None = None


class Candidate(SQLModel, table=True):
    __tablename__ = "candidates"
    __table_args__ = (Index("ux_candidates_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    full_name: str
    search_key: str
    sort_key: str
    gender: str | None = None
    birth_date: str
    ethnicity: str | None = None
    religion: str | None = None
    hometown: str | None = None
    residence: str | None = None
    national_id: str | None = None
    occupation: str | None = None
    education_general: str | None = None
    youth_union_member: int = defaulted(0)
    cell_id: int = Field(foreign_key="cells.id", index=True)
    helper_member_id: int | None = Field(default=None, foreign_key="members.id")
    over_60_approval: str | None = None
    previous_member_id: int | None = Field(default=None, foreign_key="members.id")
    status: str = defaulted("following", index=True)
    member_id: int | None = Field(default=None, foreign_key="members.id", unique=True)
    note: str | None = None
    created_at: str
    updated_at: str
    withdrawn_date: str | None = None
    withdrawn_reason: str | None = None
    origin: str | None = None


class CandidateStep(SQLModel, table=True):
    __tablename__ = "candidate_steps"
    __table_args__ = (UniqueConstraint("candidate_id", "step"),)
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidates.id")
    step: str
    date: str
    reference: str | None = None
    issuer: str | None = None
    details: str | None = None
    source: str
    created_at: str


class CandidateIntroducer(SQLModel, table=True):
    __tablename__ = "candidate_introducers"
    __table_args__ = (Index("ux_candidate_introducers_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidates.id", index=True)
    kind: str
    member_id: int | None = Field(default=None, foreign_key="members.id")
    together_since: str | None = None
    introduced_date: str
    replacement: int = defaulted(0)
    reference: str | None = None
    created_at: str
    origin: str | None = None


class MemberRating(SQLModel, table=True):
    __tablename__ = "member_ratings"
    __table_args__ = (Index("ix_member_ratings_year_level", "year", "level"),)
    member_id: int = Field(foreign_key="members.id", primary_key=True)
    year: int = Field(primary_key=True)
    level: str | None = None
    not_rated_reason: str | None = None
    score: float | None = None
    proposed_by: str | None = None
    approved_by: str | None = None
    source: str
    created_at: str


class CellRating(SQLModel, table=True):
    __tablename__ = "cell_ratings"
    cell_id: int = Field(foreign_key="cells.id", primary_key=True)
    year: int = Field(primary_key=True)
    level: str | None = None
    four_good: int = defaulted(0)
    note: str | None = None
    source: str
    created_at: str


class AttendanceBook(SQLModel, table=True):
    __tablename__ = "attendance_books"
    member_id: int = Field(foreign_key="members.id", primary_key=True)
    year: int = Field(primary_key=True)
    marks: str
    source: str
    updated_at: str


class DuesBook(SQLModel, table=True):
    __tablename__ = "dues_books"
    member_id: int = Field(foreign_key="members.id", primary_key=True)
    year: int = Field(primary_key=True)
    marks: str
    amounts: str
    source: str
    updated_at: str


class DuesCategory(SQLModel, table=True):
    __tablename__ = "dues_categories"
    __table_args__ = (Index("ix_dues_categories_member_id", "member_id", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id")
    category: str
    base: int | None = None
    valid_from: str
    valid_to: str | None = None
    reference: str | None = None
    source: str
    created_at: str


class DuesReduction(SQLModel, table=True):
    __tablename__ = "dues_reductions"
    __table_args__ = (Index("ix_dues_reductions_member_id", "member_id", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id")
    percent: int
    valid_from: str
    valid_to: str
    reference: str | None = None
    source: str
    created_at: str


class ScreeningRun(SQLModel, table=True):
    __tablename__ = "screening_runs"
    __table_args__ = (Index("ux_screening_runs_origin", "origin", unique=True, sqlite_where=text("origin IS NOT NULL")),)
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    as_of: str
    fingerprint: str
    previous_run_id: int | None = Field(default=None, foreign_key="screening_runs.id")
    finding_count: int = defaulted(0)
    created_at: str
    origin: str | None = None


class ScreeningFinding(SQLModel, table=True):
    __tablename__ = "screening_findings"
    __table_args__ = (Index("ux_screening_findings_run_item", "run_id", "item_no", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="screening_runs.id")
    member_id: int | None = Field(default=None, foreign_key="members.id")
    cell_id: int | None = Field(default=None, foreign_key="cells.id")
    rule: str
    detail: str
    suggested_action: str | None = None
    facts: str | None = None
    resolution: str | None = None
    resolution_reference: str | None = None
    resolved_at: str | None = None
    item_no: int = defaulted(0)  # DEFAULT 0 only for migration 6 (see schema.sql); the store always gives it


class BadgeAward(SQLModel, table=True):
    __tablename__ = "badge_awards"
    __table_args__ = (UniqueConstraint("member_id", "milestone"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id")
    milestone: int
    awarded_date: str
    reference: str | None = None
    posthumous: int = defaulted(0)
    created_at: str


class DossierDocument(SQLModel, table=True):
    __tablename__ = "dossier_documents"
    member_id: int = Field(foreign_key="members.id", primary_key=True)
    doc_no: int = Field(primary_key=True)
    state: str
    file_name: str | None = None
    parts: int = defaulted(0)
    source: str
    updated_at: str


class Replica(SQLModel, table=True):
    __tablename__ = "replicas"
    __table_args__ = (Index("ux_replicas_role", "role", unique=True),)
    uuid: str = Field(primary_key=True)
    role: str
    cell_code: str | None = None
    recorded_at: str


class MergeBase(SQLModel, table=True):
    __tablename__ = "merge_base"
    table_name: str = Field(primary_key=True)
    row_key: str = Field(primary_key=True)
    data: str
