-- dangvien: the schema. Applied whole to a new database; existing databases move forward through the
-- numbered migrations in src/dangvien_cli/store/migrations.py. tests/test_schema.py proves the SQLModel
-- models in src/dangvien_cli/store/models.py describe exactly these tables, columns, keys and indexes.
--
-- Conventions
--   * Dates are ISO text of the precision given: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' (contract.md "Dates").
--   * Timestamps (created_at ...) are ISO date-times in UTC.
--   * Flags are INTEGER 0/1.
--   * Nothing is deleted: members and organizations change status and leave event rows (style.md idiom 7).
--   * Enumerations are checked with OR chains, never `x IN (...)`: SQLite 3.40 rebuilds an IN list each time a
--     CHECK runs, which made bulk inserts of 100,000 members about a second slower (migration 2).

-- Settings a committee may change; absent keys take the documented default (rules/settings.py).
CREATE TABLE settings (
    key         TEXT PRIMARY KEY NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Party organizations, one tree (domain.md §1.6, §8). kind codes: contract.md. national_code is the
-- organization's code in the national database (M1.M2.M3.M4.M5, dossier.md); it was added by migration 4,
-- which is why it stands where SQLite's ALTER TABLE ADD COLUMN puts it; so does version (migration 9), the row
-- version every update raises and checks, so that a clerk never silently overwrites another's change.
CREATE TABLE cells (
    id                          INTEGER PRIMARY KEY,
    code                        TEXT NOT NULL UNIQUE,
    name                        TEXT NOT NULL,
    search_key                  TEXT NOT NULL,
    kind                        TEXT NOT NULL CHECK (kind = 'province_committee' OR kind = 'commune_committee' OR
                                                     kind = 'district_committee' OR
                                                     kind = 'grassroots_committee' OR kind = 'grassroots_cell' OR
                                                     kind = 'partial_committee' OR kind = 'cell' OR
                                                     kind = 'party_group'),
    parent_id                   INTEGER REFERENCES cells (id),
    unit_type                   TEXT CHECK (unit_type IS NULL OR (unit_type = 'village' OR
                                            unit_type = 'residential_group' OR unit_type = 'agency' OR
                                            unit_type = 'school' OR unit_type = 'state_enterprise' OR
                                            unit_type = 'private_enterprise' OR unit_type = 'military' OR
                                            unit_type = 'police' OR unit_type = 'other')),
    online_meetings             INTEGER NOT NULL DEFAULT 0 CHECK (online_meetings = 0 OR online_meetings = 1),
    secretary_is_village_head   INTEGER NOT NULL DEFAULT 0 CHECK (secretary_is_village_head = 0 OR
                                                                  secretary_is_village_head = 1),
    has_committee               INTEGER NOT NULL DEFAULT 0 CHECK (has_committee = 0 OR has_committee = 1),
    authorized_to_admit         INTEGER NOT NULL DEFAULT 0 CHECK (authorized_to_admit = 0 OR
                                                                  authorized_to_admit = 1),
    has_upper_level_powers      INTEGER NOT NULL DEFAULT 0 CHECK (has_upper_level_powers = 0 OR
                                                                  has_upper_level_powers = 1),
    valid_from                  TEXT CHECK (valid_from IS NULL OR (length(valid_from) = 4 OR
                                            length(valid_from) = 7 OR length(valid_from) = 10)),
    valid_to                    TEXT CHECK (valid_to IS NULL OR (length(valid_to) = 4 OR length(valid_to) = 7 OR
                                            length(valid_to) = 10)),
    replaced_by_id              INTEGER REFERENCES cells (id),
    note                        TEXT,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL, national_code TEXT CHECK (national_code IS NULL OR length(national_code) = 18), version INTEGER NOT NULL DEFAULT 1,
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX ix_cells_parent_id ON cells (parent_id);
CREATE INDEX ix_cells_search_key ON cells (search_key);
CREATE UNIQUE INDEX ux_cells_national_code ON cells (national_code);

-- Each import of a file: what, from where, with which result (issue: Excel in and out).
CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind = 'roster' OR kind = 'ratings' OR kind = 'attendance' OR
                                         kind = 'dues'),
    file_name       TEXT NOT NULL,
    sheet           TEXT,
    sha256          TEXT NOT NULL,
    encoding        TEXT NOT NULL DEFAULT 'unicode' CHECK (encoding = 'unicode' OR encoding = 'tcvn3' OR
                                                           encoding = 'vni'),
    target_cell_id  INTEGER REFERENCES cells (id),
    year            INTEGER,
    rows_read       INTEGER NOT NULL DEFAULT 0,
    created         INTEGER NOT NULL DEFAULT 0,
    updated         INTEGER NOT NULL DEFAULT 0,
    unchanged       INTEGER NOT NULL DEFAULT 0,
    rejected        INTEGER NOT NULL DEFAULT 0,
    cells_created   INTEGER NOT NULL DEFAULT 0,
    details         TEXT,
    created_at      TEXT NOT NULL
, origin TEXT);
CREATE INDEX ix_imports_sha256 ON imports (sha256);

-- Every write command (issue 12, "Audit"): when, who (os_user: the operating-system user; on a PostgreSQL server
-- the database role, current_user), the command line with personal
-- data masked, and the import batch it wrote. Event rows point here: command_id in member_events and
-- cell_events was added by migration 7, which is why it stands where SQLite's ALTER TABLE ADD COLUMN puts it.
CREATE TABLE commands (
    id              INTEGER PRIMARY KEY,
    started_at      TEXT NOT NULL,
    os_user         TEXT NOT NULL,
    command_line    TEXT NOT NULL,
    import_id       INTEGER REFERENCES imports (id)
, origin TEXT);

-- What happened to an organization: created, renamed, moved, merged, split, dissolved, updated (defined after
-- commands, which its rows point to: PostgreSQL wants a referenced table to exist first).
CREATE TABLE cell_events (
    id              INTEGER PRIMARY KEY,
    cell_id         INTEGER NOT NULL REFERENCES cells (id),
    event           TEXT NOT NULL,
    field           TEXT,
    old_value       TEXT,
    new_value       TEXT,
    effective_date  TEXT,
    reference       TEXT,
    source          TEXT NOT NULL,
    created_at      TEXT NOT NULL
, command_id INTEGER REFERENCES commands (id), origin TEXT);
CREATE INDEX ix_cell_events_cell_id ON cell_events (cell_id);

-- Party members (contract.md "Member"). Both admission dates are kept (domain.md §1.4). seriously_ill_since (the
-- day a member was recorded seriously ill: badges up to 12 or 24 months early, §3) was added by migration 10,
-- which is why it stands where ALTER TABLE puts it.
-- version: the row version (migration 9, hence where it stands), raised by every update and checked by the
-- store's updates, so that of two clerks editing the same member the second is told who changed it first (issue 11).
CREATE TABLE members (
    id                      INTEGER PRIMARY KEY,
    full_name               TEXT NOT NULL CHECK (length(full_name) > 0),
    search_key              TEXT NOT NULL,
    sort_key                TEXT NOT NULL,
    other_name              TEXT,
    gender                  TEXT CHECK (gender IS NULL OR (gender = 'male' OR gender = 'female')),
    birth_date              TEXT CHECK (birth_date IS NULL OR (length(birth_date) = 4 OR length(birth_date) = 7 OR
                                        length(birth_date) = 10)),
    ethnicity               TEXT,
    religion                TEXT,
    hometown                TEXT,
    birthplace              TEXT,
    residence               TEXT,
    national_id             TEXT UNIQUE CHECK (national_id IS NULL
                                OR (length(national_id) = 12 AND national_id NOT GLOB '*[^0-9]*')),
    old_id_number           TEXT,
    card_number             TEXT UNIQUE CHECK (card_number IS NULL
                                OR (length(card_number) BETWEEN 4 AND 16 AND card_number NOT GLOB '*[^0-9]*')),
    biography_number        TEXT,
    occupation              TEXT,
    position                TEXT,
    education_general       TEXT,
    education_professional  TEXT,
    political_theory        TEXT,
    decision_date           TEXT CHECK (decision_date IS NULL OR (length(decision_date) = 4 OR
                                        length(decision_date) = 7 OR length(decision_date) = 10)),
    admission_date          TEXT CHECK (admission_date IS NULL OR (length(admission_date) = 4 OR
                                        length(admission_date) = 7 OR length(admission_date) = 10)),
    official_date           TEXT CHECK (official_date IS NULL OR (length(official_date) = 4 OR
                                        length(official_date) = 7 OR length(official_date) = 10)),
    membership              TEXT NOT NULL DEFAULT 'official' CHECK (membership = 'probationary' OR
                                                                    membership = 'official'),
    status                  TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR status = 'exempt' OR
                                                                  status = 'suspended' OR
                                                                  status = 'transferred_out' OR
                                                                  status = 'removed' OR status = 'expelled' OR
                                                                  status = 'resigned' OR status = 'deceased'),
    status_date             TEXT CHECK (status_date IS NULL OR (length(status_date) = 4 OR
                                        length(status_date) = 7 OR length(status_date) = 10)),
    status_reason           TEXT,
    status_reference        TEXT,
    cell_id                 INTEGER NOT NULL REFERENCES cells (id),
    host_cell_id            INTEGER REFERENCES cells (id),
    host_until              TEXT CHECK (host_until IS NULL OR (length(host_until) = 4 OR length(host_until) = 7 OR
                                        length(host_until) = 10)),
    note                    TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
, version INTEGER NOT NULL DEFAULT 1, seriously_ill_since TEXT CHECK (seriously_ill_since IS NULL OR length(seriously_ill_since) = 10), origin TEXT);
CREATE INDEX ix_members_cell_id ON members (cell_id);
CREATE INDEX ix_members_sort_key ON members (sort_key);
CREATE INDEX ix_members_status ON members (status, membership);
-- Only members hosted by another cell (temporary transfer in) have a host cell: a partial index stays small,
-- and a query naming a host cell (= or IN) implies the NOT NULL that lets SQLite use it. search_key has no
-- index: searches match anywhere in the name (LIKE '%…%'), which no B-tree index can serve.
CREATE INDEX ix_members_host_cell_id ON members (host_cell_id) WHERE host_cell_id IS NOT NULL;

-- The history of every change of a member: what, from what to what, when, and which command or file.
CREATE TABLE member_events (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    event           TEXT NOT NULL,
    field           TEXT,
    old_value       TEXT,
    new_value       TEXT,
    effective_date  TEXT,
    reference       TEXT,
    source          TEXT NOT NULL,
    import_id       INTEGER REFERENCES imports (id),
    created_at      TEXT NOT NULL
, command_id INTEGER REFERENCES commands (id), origin TEXT);
CREATE INDEX ix_member_events_member_id ON member_events (member_id);
-- Events written by a bulk import carry its import_id and no command_id: a partial index costs them nothing.
CREATE INDEX ix_member_events_command_id ON member_events (command_id) WHERE command_id IS NOT NULL;

-- Periods deducted from party age (domain.md §1.4): expelled, removed, out of contact, transfer gaps.
CREATE TABLE member_gaps (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    kind        TEXT NOT NULL CHECK (kind = 'expelled' OR kind = 'removed' OR kind = 'lost_contact' OR
                                     kind = 'transfer_gap' OR kind = 'other'),
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    note        TEXT,
    created_at  TEXT NOT NULL, origin TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX ix_member_gaps_member_id ON member_gaps (member_id);

-- Transfers of membership (domain.md §1.8): official, temporary, internal, abroad.
CREATE TABLE transfers (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    kind            TEXT NOT NULL CHECK (kind = 'official' OR kind = 'temporary' OR kind = 'internal' OR
                                         kind = 'abroad'),
    from_cell_id    INTEGER REFERENCES cells (id),
    to_cell_id      INTEGER REFERENCES cells (id),
    destination     TEXT,
    letter_number   TEXT,
    issued_date     TEXT,
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    arrived_date    TEXT,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'arrived' OR
                                                           status = 'returned' OR status = 'cancelled'),
    created_at      TEXT NOT NULL, origin TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX ix_transfers_member_id ON transfers (member_id);
CREATE INDEX ix_transfers_status ON transfers (status, kind);

-- Exemption from work and activity, and temporary suspension of activity (domain.md §1.7, §1.8).
CREATE TABLE exemptions (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    kind            TEXT NOT NULL DEFAULT 'exempt' CHECK (kind = 'exempt' OR kind = 'temporary_suspension'),
    reason          TEXT NOT NULL CHECK (reason = 'age' OR reason = 'health' OR reason = 'far_away' OR
                                         reason = 'other'),
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    reference       TEXT,
    ended_date      TEXT,
    created_at      TEXT NOT NULL, origin TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX ix_exemptions_member_id ON exemptions (member_id);

-- Candidates followed towards admission (domain.md §1.1–§1.3). withdrawn_date and withdrawn_reason (a file closed
-- by `admissions withdraw`) were added by migration 5, which is why they stand where ALTER TABLE puts them.
CREATE TABLE candidates (
    id                      INTEGER PRIMARY KEY,
    full_name               TEXT NOT NULL CHECK (length(full_name) > 0),
    search_key              TEXT NOT NULL,
    sort_key                TEXT NOT NULL,
    gender                  TEXT CHECK (gender IS NULL OR (gender = 'male' OR gender = 'female')),
    birth_date              TEXT NOT NULL CHECK (length(birth_date) = 4 OR length(birth_date) = 7 OR
                                                 length(birth_date) = 10),
    ethnicity               TEXT,
    religion                TEXT,
    hometown                TEXT,
    residence               TEXT,
    national_id             TEXT CHECK (national_id IS NULL
                                OR (length(national_id) = 12 AND national_id NOT GLOB '*[^0-9]*')),
    occupation              TEXT,
    education_general       TEXT,
    youth_union_member      INTEGER NOT NULL DEFAULT 0 CHECK (youth_union_member = 0 OR youth_union_member = 1),
    cell_id                 INTEGER NOT NULL REFERENCES cells (id),
    helper_member_id        INTEGER REFERENCES members (id),
    over_60_approval        TEXT,
    previous_member_id      INTEGER REFERENCES members (id),
    status                  TEXT NOT NULL DEFAULT 'following' CHECK (status = 'following' OR
                                                                     status = 'probationary' OR
                                                                     status = 'official' OR
                                                                     status = 'not_recognized' OR
                                                                     status = 'withdrawn'),
    member_id               INTEGER UNIQUE REFERENCES members (id),
    note                    TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
, withdrawn_date TEXT, withdrawn_reason TEXT, origin TEXT);
CREATE INDEX ix_candidates_cell_id ON candidates (cell_id);
CREATE INDEX ix_candidates_status ON candidates (status);

-- One row per recorded step of a candidate's path, with its date and reference.
CREATE TABLE candidate_steps (
    id              INTEGER PRIMARY KEY,
    candidate_id    INTEGER NOT NULL REFERENCES candidates (id),
    step            TEXT NOT NULL CHECK (step = 'course' OR step = 'application' OR step = 'introduced' OR
                                         step = 'biography_verified' OR step = 'cell_resolution' OR
                                         step = 'committee_resolution' OR step = 'decision' OR step = 'ceremony' OR
                                         step = 'recognition_resolution' OR step = 'recognition'),
    date            TEXT NOT NULL CHECK (length(date) = 10),
    reference       TEXT,
    issuer          TEXT,
    details         TEXT,
    source          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (candidate_id, step)
);

-- Who introduced a candidate: an official member, or a Youth Union / trade-union resolution (§1.1).
CREATE TABLE candidate_introducers (
    id              INTEGER PRIMARY KEY,
    candidate_id    INTEGER NOT NULL REFERENCES candidates (id),
    kind            TEXT NOT NULL CHECK (kind = 'member' OR kind = 'youth_union' OR kind = 'trade_union'),
    member_id       INTEGER REFERENCES members (id),
    together_since  TEXT,
    introduced_date TEXT NOT NULL,
    replacement     INTEGER NOT NULL DEFAULT 0 CHECK (replacement = 0 OR replacement = 1),
    reference       TEXT,
    created_at      TEXT NOT NULL, origin TEXT,
    CHECK ((kind = 'member') = (member_id IS NOT NULL))
);
CREATE INDEX ix_candidate_introducers_candidate_id ON candidate_introducers (candidate_id);

-- Annual quality rating of members (domain.md §2): a level, or not rated with its reason.
CREATE TABLE member_ratings (
    member_id           INTEGER NOT NULL REFERENCES members (id),
    year                INTEGER NOT NULL CHECK (year BETWEEN 1930 AND 2100),
    level               TEXT CHECK (level IS NULL OR (level = 'HTXSNV' OR level = 'HTTNV' OR level = 'HTNV' OR
                                    level = 'KHTNV')),
    not_rated_reason    TEXT CHECK (not_rated_reason IS NULL OR (not_rated_reason = 'exempt' OR
                                    not_rated_reason = 'suspended' OR not_rated_reason = 'new_member' OR
                                    not_rated_reason = 'sick_leave' OR not_rated_reason = 'other')),
    score               REAL CHECK (score IS NULL OR score BETWEEN 0 AND 100),
    proposed_by         TEXT,
    approved_by         TEXT,
    source              TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    PRIMARY KEY (member_id, year),
    CHECK ((level IS NULL) <> (not_rated_reason IS NULL))
);
CREATE INDEX ix_member_ratings_year_level ON member_ratings (year, level);

-- Annual rating of organizations and the "chi bộ 4 tốt" flag (domain.md §2).
CREATE TABLE cell_ratings (
    cell_id     INTEGER NOT NULL REFERENCES cells (id),
    year        INTEGER NOT NULL CHECK (year BETWEEN 1930 AND 2100),
    level       TEXT CHECK (level IS NULL OR (level = 'HTXSNV' OR level = 'HTTNV' OR level = 'HTNV' OR
                            level = 'KHTNV')),
    four_good   INTEGER NOT NULL DEFAULT 0 CHECK (four_good = 0 OR four_good = 1),
    note        TEXT,
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (cell_id, year)
);

-- Monthly attendance book, one row a member a year: 12 marks, one per month (contract.md "Monthly books"):
-- 'x' attended, 'p' excused absence, 'k' absent without reason, '-' no meeting recorded.
CREATE TABLE attendance_books (
    member_id   INTEGER NOT NULL REFERENCES members (id),
    year        INTEGER NOT NULL CHECK (year BETWEEN 1930 AND 2100),
    marks       TEXT NOT NULL CHECK (length(marks) = 12 AND marks NOT GLOB '*[^xpk-]*'),
    source      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (member_id, year)
);

-- Monthly dues book, one row a member a year: 12 marks ('p' paid, 'u' not paid, 'e' exempt that month,
-- '-' nothing recorded) and the amounts paid, a JSON list of 12 integers or nulls (domain.md §4).
CREATE TABLE dues_books (
    member_id   INTEGER NOT NULL REFERENCES members (id),
    year        INTEGER NOT NULL CHECK (year BETWEEN 1930 AND 2100),
    marks       TEXT NOT NULL CHECK (length(marks) = 12 AND marks NOT GLOB '*[^pue-]*'),
    amounts     TEXT NOT NULL,
    source      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (member_id, year)
);

-- Each member's dues category over time (domain.md §4; Quy định 01-QĐ/TW from 1/2/2026, Quyết định 342-QĐ/TW
-- before): what the monthly amount due is computed from. ``base`` is the monthly amount the rate applies to (the
-- social-insurance salary, the pension; for members outside insurance the regional minimum wage where it differs
-- from the committee's setting; under Quyết định 342-QĐ/TW the fixed amount the cell set); valid_to NULL = still
-- in force. A new category closes the one before it the day before (migration 11).
CREATE TABLE dues_categories (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    category    TEXT NOT NULL CHECK (category = 'insured' OR category = 'pension' OR category = 'uninsured' OR
                                    category = 'uninsured_retired' OR category = 'student' OR
                                    category = 'social_pension' OR category = 'hardship'),
    base        INTEGER CHECK (base IS NULL OR base >= 0),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    reference   TEXT,
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX ix_dues_categories_member_id ON dues_categories (member_id, valid_from);

-- Reductions of dues by decision (Quy định 01-QĐ/TW: 30, 50 or 70 %, at most 12 months a decision; migration 11).
CREATE TABLE dues_reductions (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    percent     INTEGER NOT NULL CHECK (percent = 30 OR percent = 50 OR percent = 70),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT NOT NULL,
    reference   TEXT,
    source      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    CHECK (valid_to >= valid_from)
);
CREATE INDEX ix_dues_reductions_member_id ON dues_reductions (member_id, valid_from);

-- Screening runs (domain.md §1.9) and what each found.
CREATE TABLE screening_runs (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    as_of           TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    previous_run_id INTEGER REFERENCES screening_runs (id),
    finding_count   INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL
, origin TEXT);
CREATE INDEX ix_screening_runs_year ON screening_runs (year);

CREATE TABLE screening_findings (
    id                  INTEGER PRIMARY KEY,
    run_id              INTEGER NOT NULL REFERENCES screening_runs (id),
    member_id           INTEGER REFERENCES members (id),
    cell_id             INTEGER REFERENCES cells (id),
    rule                TEXT NOT NULL,
    detail              TEXT NOT NULL,
    suggested_action    TEXT,
    facts               TEXT,
    resolution          TEXT CHECK (resolution IS NULL OR (resolution = 'kept' OR resolution = 'warned' OR
                                    resolution = 'removed')),
    resolution_reference TEXT,
    resolved_at         TEXT, item_no INTEGER NOT NULL DEFAULT 0,
    CHECK ((member_id IS NULL) <> (cell_id IS NULL))
);
-- item_no: the number the clerk reads and `screening resolve` takes, kept for the same finding in every run of
-- a year. Migration 6 added it (hence where it stands) and numbered the findings stored before by their id,
-- the number printed until then; the store always gives it.
CREATE UNIQUE INDEX ux_screening_findings_run_item ON screening_findings (run_id, item_no);

-- Party badges awarded (domain.md §3).
CREATE TABLE badge_awards (
    id              INTEGER PRIMARY KEY,
    member_id       INTEGER NOT NULL REFERENCES members (id),
    milestone       INTEGER NOT NULL CHECK (milestone = 30 OR milestone = 40 OR milestone = 45 OR milestone = 50 OR
                                            milestone = 55 OR milestone = 60 OR milestone = 65 OR milestone = 70 OR
                                            milestone = 75 OR milestone = 80 OR milestone = 85 OR
                                            milestone = 90),
    awarded_date    TEXT NOT NULL,
    reference       TEXT,
    posthumous      INTEGER NOT NULL DEFAULT 0 CHECK (posthumous = 0 OR posthumous = 1),
    created_at      TEXT NOT NULL,
    UNIQUE (member_id, milestone)
);

-- Each member's dossier for the national database (Công văn 1361-CV/BTCTW; dossier.md): per document of the
-- catalogue, on paper, scanned (with its file), missing, or not applicable. Documents without a row are
-- "not yet known"; which ones a member should have follows from the record (rules/dossier.py).
CREATE TABLE dossier_documents (
    member_id       INTEGER NOT NULL REFERENCES members (id),
    doc_no          INTEGER NOT NULL CHECK (doc_no BETWEEN 1 AND 999),
    state           TEXT NOT NULL CHECK (state = 'paper' OR state = 'scanned' OR state = 'missing' OR
                                         state = 'na'),
    file_name       TEXT,
    parts           INTEGER NOT NULL DEFAULT 0 CHECK (parts >= 0),
    source          TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (member_id, doc_no)
);

-- Offline committees (issue 11; migration 12). A committee's file written by `db export` is worked on away from
-- the main database and brought back by `db merge`. ``origin`` on the tables whose rows are appended by a merge
-- says which row of which database a row was copied from ('<database uuid>:<id>'); rows born here have none.
-- Merging a file twice finds its rows by it and adds nothing (unique: one copy of each row).
CREATE UNIQUE INDEX ux_imports_origin ON imports (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_commands_origin ON commands (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_cell_events_origin ON cell_events (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_members_origin ON members (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_member_events_origin ON member_events (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_member_gaps_origin ON member_gaps (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_transfers_origin ON transfers (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_exemptions_origin ON exemptions (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_candidates_origin ON candidates (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_candidate_introducers_origin ON candidate_introducers (origin) WHERE origin IS NOT NULL;
CREATE UNIQUE INDEX ux_screening_runs_origin ON screening_runs (origin) WHERE origin IS NOT NULL;

-- This database among its copies: its own identity ('self', made by its first export or merge) and, in a file
-- written by `db export`, the database it was exported from ('source': that database's identity, the committee
-- exported and when).
CREATE TABLE replicas (
    uuid            TEXT PRIMARY KEY NOT NULL,
    role            TEXT NOT NULL CHECK (role = 'self' OR role = 'source'),
    cell_code       TEXT,
    recorded_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_replicas_role ON replicas (role);

-- The common base against which a merge tells a change made in a file from one made here since (JSON rows).
-- In a file written by `db export`: every exported row as it stood then (table_name the table, the source's
-- ids). In a database that merged a file: the file's rows as last merged (table_name '<table>@<file uuid>',
-- this database's ids), so that a clerk who goes on working on the same file merges again without conflicts.
CREATE TABLE merge_base (
    table_name      TEXT NOT NULL,
    row_key         TEXT NOT NULL,
    data            TEXT NOT NULL,
    PRIMARY KEY (table_name, row_key)
);
