"""Benchmark: the whole `screening run` process on a province-sized database vs. the same rules by hand in SQL.

Builds (once, cached in benchmarks/out/) a database of 400,000 members in 300 cells with two years of ratings
and a year of attendance and dues. Cells and members are inserted with bulk SQL in the shape the roster importer
writes (the member rows, a 'created' event each); the books and ratings go through the project's own import
functions (services.books.import_attendance / import_dues, services.ratings.import_ratings) from generated
.xlsx files. Then it measures, in the same run:

- ``dangvien --db X screening run --year 2025 --as-of 2026-01-20 --format json > /dev/null`` as a subprocess;
- the same rules written by hand as plain SQL, run by the ``sqlite3`` command-line shell in one process.

and, outside the ratio, a second run of the same year on the last copy (the re-run that matches every finding
to the first run's, keeping item numbers and decisions).

With ``--engine postgresql`` (issue 11) a throwaway cluster is started in a temporary folder (tests/pgcluster.py:
initdb, a Unix socket, no TCP port); the cached SQLite database is loaded into it table by table with COPY, and
the same screening run is timed against the same rules written by hand in PostgreSQL's SQL, run by ``psql``
(target ≤ 1.5×). Each round works on a fresh copy of the loaded database (CREATE DATABASE … TEMPLATE).

Usage: .venv/bin/python benchmarks/bench_screening.py [--members 400000] [--cells 300] [--rebuild]
                                                      [--engine sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
YEAR = 2025
AS_OF = "2026-01-20"
FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Quang", "Ngọc", "Đức"]
BOOK_MEMBERS = 200_000
LAST = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hòa", "Lan", "Mai", "Nam", "Phúc", "Sơn", "Tâm", "Yến"]


def build(db_path: Path, members: int, cells: int) -> None:
    from dangvien_cli.services.books import import_attendance, import_dues
    from dangvien_cli.services.ratings import import_ratings
    from dangvien_cli.store.database import Database, now_iso
    from dangvien_cli.text import collation_key, search_key

    rng = random.Random(2025)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = Database(db_path)
    stamp = now_iso()
    t0 = time.perf_counter()
    conn = db.raw_connection()
    conn.execute("BEGIN")
    conn.execute("INSERT INTO cells (id, code, name, search_key, kind, created_at, updated_at) VALUES "
                 "(1, 'T', 'Đảng bộ tỉnh', 'dang bo tinh', 'province_committee', ?, ?)", (stamp, stamp))
    communes = max(1, cells // 30)
    for c in range(communes):
        conn.execute("INSERT INTO cells (id, code, name, search_key, kind, parent_id, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, 'commune_committee', 1, ?, ?)",
                     (2 + c, f"X{c:03d}", f"Đảng bộ xã {c}", f"dang bo xa {c}", stamp, stamp))
    cell_ids = []
    for c in range(cells):
        cid = 1000 + c
        cell_ids.append(cid)
        conn.execute("INSERT INTO cells (id, code, name, search_key, kind, parent_id, has_committee, created_at, "
                     "updated_at) VALUES (?, ?, ?, ?, 'cell', ?, ?, ?, ?)",
                     (cid, f"X{c % communes:03d}.{c:03d}", f"Chi bộ số {c}", f"chi bo so {c}", 2 + c % communes,
                      int(c % 3 != 0), stamp, stamp))
    rows, events, people = [], [], []
    for i in range(1, members + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}"
        birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 65))
        probationary = rng.random() < 0.03
        if probationary:
            admission = date(2024, 6, 1) + timedelta(days=rng.randrange(0, 540))
        else:
            admission = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 58))
        admission = max(admission, birth + timedelta(days=365 * 18 + 5))
        if admission > date(2025, 12, 31):
            admission = date(2025, 12, 1)
        official = None if probationary else (admission + timedelta(days=366)).isoformat()
        card = f"{i:08d}"
        cell = cell_ids[i % len(cell_ids)]
        rows.append((i, name, search_key(name), collation_key(name), "male" if i % 2 else "female",
                     birth.isoformat(), card, admission.isoformat(), official,
                     "probationary" if probationary else "official", cell, stamp, stamp))
        events.append((i, "created", "cell", cell, "benchmark build", stamp))
        people.append((card, name, birth, admission))
    conn.executemany("INSERT INTO members (id, full_name, search_key, sort_key, gender, birth_date, card_number, "
                     "admission_date, official_date, membership, cell_id, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO member_events (member_id, event, field, new_value, source, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)", events)
    # some exemptions, temporary transfers and letters
    exempted: set[str] = set()
    for i in rng.sample(range(1, members + 1), members // 400):
        exempted.add(f"{i:08d}")
        conn.execute("INSERT INTO exemptions (member_id, kind, reason, start_date, end_date, created_at) "
                     "VALUES (?, 'exempt', 'health', '2025-03-01', ?, ?)",
                     (i, rng.choice(["2025-09-30", "2026-06-30", None]), stamp))
        conn.execute("UPDATE members SET status = 'exempt' WHERE id = ?", (i,))
    for i in rng.sample(range(1, members + 1), members // 400):
        conn.execute("INSERT INTO transfers (member_id, kind, from_cell_id, destination, issued_date, start_date, "
                     "end_date, status, created_at) VALUES (?, 'temporary', ?, 'Đảng bộ nơi khác', '2025-02-01', "
                     "'2025-02-01', ?, 'pending', ?)", (i, cell_ids[i % len(cell_ids)],
                                                       rng.choice(["2025-11-30", "2026-08-01"]), stamp))
    conn.execute("COMMIT")
    conn.close()
    print(f"  members, cells, exemptions, transfers: {time.perf_counter() - t0:.1f} s", flush=True)

    def write_book(path: Path, kind: str, year: int, people: list) -> None:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = wb.add_worksheet("Sheet1")
        head = ["STT", "Họ và tên", "Ngày sinh", "Số thẻ đảng viên"]
        head += [f"T{m}" for m in range(1, 13)] if kind != "ratings" else ["Xếp loại", "Điểm"]
        ws.write_row(0, 0, head)
        r = 1
        for seq, (card, name, birth, admission) in enumerate(people, start=1):
            row: list = [seq, name, birth.strftime("%d/%m/%Y"), card]
            if kind == "attendance":
                marks = ["x"] * 12
                roll = rng.random()
                if roll < 0.01:
                    for m in rng.sample(range(12), 3):
                        marks[m] = "k"
                elif roll < 0.05:
                    for m in rng.sample(range(12), 2):
                        marks[m] = "k"
                elif roll < 0.10:
                    for m in rng.sample(range(12), 3):
                        marks[m] = "p"
                row += marks
            elif kind == "dues":
                paid: list = [20000] * 12
                roll = rng.random()
                if roll < 0.01:
                    for m in rng.sample(range(12), 3):
                        paid[m] = ""
                elif roll < 0.03:
                    for m in rng.sample(range(12), 3):
                        paid[m] = "miễn"
                row += paid
            else:
                if admission > date(year, 6, 30):
                    continue
                if year == YEAR and card in exempted:
                    row += ["Không xếp loại (miễn sinh hoạt)", ""]
                    ws.write_row(r, 0, row)
                    r += 1
                    continue
                roll = rng.random()
                if roll < 0.006 or (card[-3:] == "777"):
                    level = "KHTNV" if year == 2025 or roll < 0.004 else "HTNV"
                    level = "KHTNV" if card[-3:] == "777" else level
                else:
                    level = rng.choice(["HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV", "Hoàn thành tốt nhiệm vụ"])
                row += [level, ""]
            ws.write_row(r, 0, row)
            r += 1
        wb.close()

    from dangvien_cli.store.database import Database as Db

    db2 = Db(db_path)
    everyone = people
    for kind, year, fn in (("attendance", YEAR, import_attendance), ("dues", YEAR, import_dues),
                           ("ratings", YEAR - 1, import_ratings), ("ratings", YEAR, import_ratings)):
        # A book of 400,000 members is more cells than one sheet may hold (excel/guard.py): one file per
        # BOOK_MEMBERS members, as a province's committees would send theirs.
        for part in range(0, len(everyone), BOOK_MEMBERS):
            path = OUT / f"{kind}-{year}-{part // BOOK_MEMBERS + 1}.xlsx"
            t = time.perf_counter()
            write_book(path, kind, year, everyone[part:part + BOOK_MEMBERS])
            t_write = time.perf_counter() - t
            t = time.perf_counter()
            with db2.write() as conn:
                report = fn(conn, path, year)
            print(f"  import {path.name}: wrote xlsx {t_write:.1f} s, imported {report['rows_read']} rows in "
                  f"{time.perf_counter() - t:.1f} s (created {report['created']})", flush=True)
    db2.close()
    db.close()


def _hand_parts() -> tuple[int, str, tuple[str, str]]:
    """The year, the statuses on the roll, and the hand-written statements both engines spell alike (the others
    differ in their date arithmetic)."""
    from dangvien_cli.rules import screening as rules
    from dangvien_cli.rules.workdays import default_calendar

    end_cutoff = rules.probation_cutoff(date.fromisoformat(AS_OF), default_calendar(), 30)
    ceremony_cutoff = rules.ceremony_cutoff(end_cutoff, 12).isoformat()
    y = YEAR
    on_roll = "('active','exempt','suspended')"
    return y, on_roll, (f"""SELECT r.member_id, m.card_number, m.full_name, c.code, c.name FROM member_ratings r
  JOIN members m ON m.id = r.member_id JOIN cells c ON c.id = m.cell_id
  JOIN member_ratings p ON p.member_id = r.member_id AND p.year = {y - 1} AND p.level = 'KHTNV'
  WHERE r.year = {y} AND r.level = 'KHTNV' AND m.status IN {on_roll};
SELECT m.id, m.card_number, m.full_name, c.code, c.name, m.admission_date FROM members m JOIN cells c ON c.id = m.cell_id
  WHERE m.status IN {on_roll} AND m.membership = 'probationary' AND m.official_date IS NULL
  AND m.admission_date <= '{ceremony_cutoff}';
SELECT t.member_id, t.end_date FROM transfers t JOIN members m ON m.id = t.member_id
  WHERE t.kind = 'temporary' AND t.status IN ('pending','arrived') AND t.end_date < '{AS_OF}' AND m.status IN {on_roll};""",
                        f"""SELECT e.member_id, e.end_date FROM exemptions e JOIN members m ON m.id = e.member_id
  WHERE e.ended_date IS NULL AND e.end_date < '{AS_OF}' AND m.status IN {on_roll};
SELECT m.id, m.card_number, m.full_name FROM members m WHERE m.status = 'active'
  AND m.cell_id IN (SELECT DISTINCT mm.cell_id FROM member_ratings r JOIN members mm ON mm.id = r.member_id
  WHERE r.year = {y}) AND (m.admission_date IS NULL OR m.admission_date <= '{y}-06-30')
  AND NOT EXISTS (SELECT 1 FROM member_ratings r WHERE r.member_id = m.id AND r.year = {y});""")


def hand_sql(db_path: Path) -> str:
    """The same rules as plain SQL (the probation cutoff is computed from the working-day calendar, as a
    clerk with a calendar would; party age for dues is counted without gaps, which this data has none of)."""
    y, on_roll, same = _hand_parts()
    months = "WITH RECURSIVE mo(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM mo WHERE m < 12) "
    cover = ("EXISTS (SELECT 1 FROM exemptions e WHERE e.member_id = x.member_id {kinds} AND e.start_date <= "
             "date('{y}-01-01', '+' || mo.m || ' months', '-1 day') AND (coalesce(e.ended_date, e.end_date) IS NULL "
             "OR coalesce(e.ended_date, e.end_date) >= printf('{y}-%02d-01', mo.m)))")
    return f"""
.mode list
.output /dev/null
{months}, x AS MATERIALIZED (SELECT a.member_id, a.marks FROM attendance_books a JOIN members m ON m.id = a.member_id
  WHERE a.year = {y} AND length(a.marks) - length(replace(a.marks, 'k', '')) >= 3 AND m.status IN {on_roll})
SELECT x.member_id, m.card_number, m.full_name, c.code, c.name, group_concat(mo.m) FROM x JOIN mo
  JOIN members m ON m.id = x.member_id JOIN cells c ON c.id = m.cell_id
  WHERE substr(x.marks, mo.m, 1) = 'k' AND NOT {cover.format(kinds='', y=y)}
  GROUP BY x.member_id HAVING count(*) >= 3;
{months}, x AS MATERIALIZED (SELECT d.member_id, d.marks, coalesce(m.decision_date, m.admission_date) AS start FROM dues_books d
  JOIN members m ON m.id = d.member_id
  WHERE d.year = {y} AND length(d.marks) - length(replace(d.marks, 'u', '')) >= 3 AND m.status IN {on_roll})
SELECT x.member_id, m.card_number, m.full_name, c.code, c.name, group_concat(mo.m) FROM x JOIN mo
  JOIN members m ON m.id = x.member_id JOIN cells c ON c.id = m.cell_id
  WHERE substr(x.marks, mo.m, 1) = 'u' AND NOT {cover.format(kinds="AND e.kind = 'exempt'", y=y)}
  AND date(x.start, '+50 years') > date('{y}-01-01', '+' || mo.m || ' months', '-1 day')
  GROUP BY x.member_id HAVING count(*) >= 3;
{same[0]}
SELECT t.member_id FROM transfers t JOIN members m ON m.id = t.member_id WHERE t.status = 'pending'
  AND t.arrived_date IS NULL AND coalesce(t.issued_date, t.start_date) >= '{y}-01-01'
  AND date(coalesce(t.issued_date, t.start_date), '+30 days') < '{AS_OF}';
{same[1]}
WITH n AS (SELECT CASE WHEN c.kind = 'party_group' THEN c.parent_id ELSE c.id END AS cid,
  sum(m.membership = 'official') AS official, count(*) AS total FROM members m JOIN cells c ON c.id = m.cell_id
  WHERE m.status IN {on_roll} GROUP BY cid)
SELECT c.code, c.name, n.official, n.total FROM cells c LEFT JOIN n ON n.cid = c.id
  WHERE c.kind IN ('cell','grassroots_cell') AND c.valid_to IS NULL AND (coalesce(n.official, 0) < 3
  OR (n.official >= 9 AND c.has_committee = 0) OR (c.kind = 'grassroots_cell' AND n.total >= 30));
"""


def hand_sql_postgresql() -> str:
    """The same rules as :func:`hand_sql`, in PostgreSQL's spelling (months by generate_series, dates by interval
    arithmetic on the ISO text, string_agg for the list of months)."""
    y, on_roll, same = _hand_parts()
    month_end = f"to_char(date '{y}-01-01' + mo.m * interval '1 month' - interval '1 day', 'YYYY-MM-DD')"
    month_start = f"to_char(date '{y}-01-01' + (mo.m - 1) * interval '1 month', 'YYYY-MM-DD')"
    cover = ("EXISTS (SELECT 1 FROM exemptions e WHERE e.member_id = x.member_id {kinds} AND e.start_date <= "
             f"{month_end} AND (coalesce(e.ended_date, e.end_date) IS NULL "
             f"OR coalesce(e.ended_date, e.end_date) >= {month_start}))")
    months = "generate_series(1, 12) AS mo(m)"
    return f"""
\\set QUIET on
\\o /dev/null
WITH x AS MATERIALIZED (SELECT a.member_id, a.marks FROM attendance_books a JOIN members m ON m.id = a.member_id
  WHERE a.year = {y} AND length(a.marks) - length(replace(a.marks, 'k', '')) >= 3 AND m.status IN {on_roll})
SELECT x.member_id, m.card_number, m.full_name, c.code, c.name, string_agg(mo.m::text, ',') FROM x CROSS JOIN {months}
  JOIN members m ON m.id = x.member_id JOIN cells c ON c.id = m.cell_id
  WHERE substr(x.marks, mo.m, 1) = 'k' AND NOT {cover.format(kinds='')}
  GROUP BY x.member_id, m.card_number, m.full_name, c.code, c.name HAVING count(*) >= 3;
WITH x AS MATERIALIZED (SELECT d.member_id, d.marks, coalesce(m.decision_date, m.admission_date) AS start
  FROM dues_books d JOIN members m ON m.id = d.member_id
  WHERE d.year = {y} AND length(d.marks) - length(replace(d.marks, 'u', '')) >= 3 AND m.status IN {on_roll})
SELECT x.member_id, m.card_number, m.full_name, c.code, c.name, string_agg(mo.m::text, ',') FROM x CROSS JOIN {months}
  JOIN members m ON m.id = x.member_id JOIN cells c ON c.id = m.cell_id
  WHERE substr(x.marks, mo.m, 1) = 'u' AND NOT {cover.format(kinds="AND e.kind = 'exempt'")}
  AND to_char(x.start::date + interval '50 years', 'YYYY-MM-DD') > {month_end}
  GROUP BY x.member_id, m.card_number, m.full_name, c.code, c.name HAVING count(*) >= 3;
{same[0]}
SELECT t.member_id FROM transfers t JOIN members m ON m.id = t.member_id WHERE t.status = 'pending'
  AND t.arrived_date IS NULL AND coalesce(t.issued_date, t.start_date) >= '{y}-01-01'
  AND to_char(coalesce(t.issued_date, t.start_date)::date + 30, 'YYYY-MM-DD') < '{AS_OF}';
{same[1]}
WITH n AS (SELECT CASE WHEN c.kind = 'party_group' THEN c.parent_id ELSE c.id END AS cid,
  count(*) FILTER (WHERE m.membership = 'official') AS official, count(*) AS total FROM members m
  JOIN cells c ON c.id = m.cell_id WHERE m.status IN {on_roll} GROUP BY 1)
SELECT c.code, c.name, n.official, n.total FROM cells c LEFT JOIN n ON n.cid = c.id
  WHERE c.kind IN ('cell','grassroots_cell') AND c.valid_to IS NULL AND (coalesce(n.official, 0) < 3
  OR (n.official >= 9 AND c.has_committee = 0) OR (c.kind = 'grassroots_cell' AND n.total >= 30));
"""


def load_into_postgresql(sqlite_path: Path, conninfo: str, dangvien: str) -> None:
    """The cached SQLite database, table by table by COPY, into a new PostgreSQL database of the same schema
    (created by ``dangvien db init``); the identity sequences continue after the loaded ids."""
    import sqlite3

    import psycopg

    from dangvien_cli.store import migrations

    subprocess.run([dangvien, "--db", conninfo, "db", "init"], check=True, capture_output=True)
    lite = sqlite3.connect(sqlite_path)
    with psycopg.connect(conninfo) as pg:
        for table in migrations.table_statements(migrations.schema_sql()):
            columns = [r[1] for r in lite.execute(f"PRAGMA table_info({table})")]
            with pg.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in lite.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                    copy.write_row(row)
            if "id" in columns:
                pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")
    with psycopg.connect(conninfo, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
    lite.close()


def warm(conninfo: str) -> None:
    """Read every table and index of a fresh copy once (into the kernel's page cache, pg_prewarm's 'read' mode),
    so that whichever contender runs first does not pay for a cold copy: the SQLite run reads its file likewise."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as pg:
        pg.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        pg.execute("SELECT pg_prewarm(c.oid, 'read') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i')")


def main_postgresql(db_path: Path, repeat: int, dangvien: str, env: dict) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from local_cluster import create_database, throwaway_cluster

    with throwaway_cluster() as cluster:
        t = time.perf_counter()
        load_into_postgresql(db_path, create_database(cluster, "loaded"), dangvien)
        print(f"  loaded into PostgreSQL {cluster.bindir} in {time.perf_counter() - t:.1f} s", flush=True)
        sql_file = OUT / "screening-hand-postgresql.sql"
        sql_file.write_text(hand_sql_postgresql(), encoding="utf-8")
        psql = str(cluster.bindir / "psql")
        ours, hand = [], []
        for round_ in range(repeat):
            work = create_database(cluster, f"work{round_}", template="loaded")
            warm(work)
            ours_cmd = [dangvien, "--db", work, "screening", "run", "--year", str(YEAR), "--as-of", AS_OF,
                        "--format", "json"]
            hand_cmd = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", work, "-f", str(sql_file)]
            with open(os.devnull, "w") as null:
                if round_ % 2 == 0:
                    ours.append(timed(ours_cmd, stdout=null, env=env))
                    hand.append(timed(hand_cmd, stdout=null))
                else:
                    hand.append(timed(hand_cmd, stdout=null))
                    ours.append(timed(ours_cmd, stdout=null, env=env))
        result = subprocess.run([dangvien, "--db", cluster.conninfo("work0"), "screening", "show", "1", "--format",
                                 "json"], capture_output=True, text=True, env=env)
        if result.returncode:
            raise SystemExit(f"screening show failed: {result.stderr}")
        print(f"findings of run 1: {json.loads(result.stdout)['counts']}")
        print(f"dangvien screening run on PostgreSQL: {', '.join(f'{t:.2f}' for t in ours)} s; best {min(ours):.2f} s")
        print(f"hand-written SQL (psql):              {', '.join(f'{t:.2f}' for t in hand)} s; best {min(hand):.2f} s")
        paired = sorted(o / h for o, h in zip(ours, hand, strict=True))
        print(f"ratio per round: {', '.join(f'{x:.2f}' for x in paired)} (median {paired[len(paired) // 2]:.2f})")
        print(f"ratio: {min(ours) / min(hand):.2f}x (target ≤ 1.5x)")


def timed(cmd: list[str], **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, **kw)
    return time.perf_counter() - t


def compile_package() -> None:
    """Byte-compile the package as ``pip install`` does, so that no timed run compiles it from source (an
    editable install under PYTHONDONTWRITEBYTECODE never writes .pyc files)."""
    import compileall

    import dangvien_cli

    compileall.compile_dir(str(Path(dangvien_cli.__file__).parent), quiet=1)


def main() -> None:
    compile_package()
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=400_000)
    parser.add_argument("--cells", type=int, default=300)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / f"screening-{args.members}.db"
    if args.rebuild or not db_path.exists():
        print(f"Building {db_path.name} ({args.members} members, {args.cells} cells)…", flush=True)
        t = time.perf_counter()
        build(db_path, args.members, args.cells)
        print(f"  built in {time.perf_counter() - t:.1f} s", flush=True)
    from dangvien_cli.store.database import Database

    Database(db_path).close()  # bring a cached database to the current schema once, not in every timed run
    dangvien = shutil.which("dangvien", path=str(Path(sys.executable).parent)) or "dangvien"
    env = dict(os.environ, DANGVIEN_TODAY=AS_OF)
    if args.engine == "postgresql":
        main_postgresql(db_path, args.repeat, dangvien, env)
        return
    sql_file = OUT / "screening-hand.sql"
    sql_file.write_text(hand_sql(db_path), encoding="utf-8")
    # a scratch copy per run so that stored runs do not pile up between measurements
    work = OUT / "screening-work.db"
    ours, hand = [], []
    for round_ in range(args.repeat):
        shutil.copyfile(db_path, work)
        for suffix in ("-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        # Flush the copy to disk before timing: otherwise the kernel writes its ~300 MB back during whichever
        # contender runs first. Then warm the page cache for both alike.
        os.sync()
        with open(work, "rb") as fh:
            while fh.read(1 << 24):
                pass
        ours_cmd = [dangvien, "--db", str(work), "screening", "run", "--year", str(YEAR), "--as-of", AS_OF,
                    "--format", "json"]
        with open(os.devnull, "w") as null, open(sql_file) as sql:
            # alternate who goes first, so neither always runs on the colder machine
            if round_ % 2 == 0:
                ours.append(timed(ours_cmd, stdout=null, env=env))
                hand.append(timed(["sqlite3", str(work)], stdin=sql, stdout=null))
            else:
                hand.append(timed(["sqlite3", str(work)], stdin=sql, stdout=null))
                ours.append(timed(ours_cmd, stdout=null, env=env))
    with open(os.devnull, "w") as null:
        # the same year again: every finding matched to run 1's, keeping its item number and decision
        rerun = timed(ours_cmd, stdout=null, env=env)
    result = subprocess.run([dangvien, "--db", str(work), "screening", "show", "1", "--format", "json"],
                            capture_output=True, text=True, env=env, check=True)
    counts = json.loads(result.stdout)["counts"]
    best_ours, best_hand = min(ours), min(hand)
    print(f"findings of run 1: {counts}")
    print(f"dangvien screening run (subprocess): {', '.join(f'{t:.2f}' for t in ours)} s; best {best_ours:.2f} s")
    print(f"hand-written SQL (sqlite3 shell):     {', '.join(f'{t:.2f}' for t in hand)} s; best {best_hand:.2f} s")
    paired = sorted(o / h for o, h in zip(ours, hand, strict=True))  # back to back: same machine load
    print(f"ratio per round: {', '.join(f'{x:.2f}' for x in paired)} (median {paired[len(paired) // 2]:.2f})")
    print(f"ratio: {best_ours / best_hand:.2f}x (target ≤ 1.2x, and under 30 s)")
    print(f"re-run of the same year (matched to the previous run): {rerun:.2f} s")


if __name__ == "__main__":
    main()
