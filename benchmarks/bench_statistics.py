"""Benchmark (issue 13, "Speed"): Biểu 1-BTCTW and Biểu 3-BTCTW for a whole province of 400,000 members with
five years of history, as of a past date, against hand-written SQL computing the same counts, in the same run.

The province (cached in benchmarks/out/): 100 commune committees of 20 cells; members admitted 1960–2025 (one
in a hundred with only the year, one in two hundred with no date); one in twelve with history in 2021–2025 —
moves between cells, transfers out (to another province, within it, or not said), arrivals from outside, and
leaving for every reason, with or without its history row (an import of someone already gone).

Ours: ``dangvien reports changes --from 01/01/2024 --to 31/12/2024 --format json`` (this period and the same
period a year before) and ``dangvien reports profile --as-of 31/12/2024 --format json``, each a whole process.
Reference: one SQL script run by the ``sqlite3`` shell computing the same rows of both periods (A, B1, B2a/b,
C1–C5a/b, D, and those it cannot place) and the profile's groups in one grouped scan, written as well as we
could (Biểu 1's per-row flags behind LIMIT -1, which keeps SQLite from computing them again at each mention, as
ours does; the profile without, which is faster there). Before timing, the
reference's counts (run through Python's sqlite3) are compared with ours: the benchmark stops if they differ.

Target: ≤ 1.5×. Rounds alternate who goes first; each round's ratio and the median are printed, on the CPU time
of the processes (user + system: what the work costs, steady on a machine other programs share) and on the
wall clock.

Usage: .venv/bin/python benchmarks/bench_statistics.py [--members 400000] [--repeat 3] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
COMMUNES, CELLS_PER_COMMUNE = 100, 20
PERIODS = (("2024-01-01", "2024-12-31"), ("2023-01-01", "2023-12-31"))  # this period, the same a year before
AS_OF = "2024-12-31"
LEAVING = ("deceased", "expelled", "removed", "resigned")

# --- the reference ------------------------------------------------------------------------------------------
_MEMBERS = """
WITH ev AS MATERIALIZED (
  SELECT member_id, max(CASE WHEN event = 'transferred_in' AND field = 'cell' THEN effective_date END) AS arrived,
         max(CASE WHEN event = 'transferred_in' AND field = 'scope' THEN new_value END) AS in_sc,
         max(CASE WHEN event = 'transferred_out' AND field = 'scope' THEN new_value END) AS out_sc
  FROM member_events WHERE event = 'transferred_in' OR event = 'transferred_out' GROUP BY member_id),
m AS (SELECT m.*, CASE length(m.admission_date) WHEN 4 THEN m.admission_date || '-01-01' ELSE m.admission_date END
             AS a_lo,
             CASE length(m.admission_date) WHEN 4 THEN m.admission_date || '-12-31' ELSE m.admission_date END AS a_hi,
             ev.arrived, ev.in_sc, ev.out_sc,
             m.status IN ('deceased', 'expelled', 'removed', 'resigned', 'transferred_out') AS gone
      FROM members m LEFT JOIN ev ON ev.member_id = m.id)
"""


def changes_sql(before: str, end: str) -> str:
    b, e = f"'{before}'", f"'{end}'"
    gone_in = f"gone AND status_date > {b} AND status_date <= {e}"
    return _MEMBERS + f""", p AS (SELECT *, (arrived IS NULL AND (a_lo IS NULL OR (a_lo <= {b} AND {b} < a_hi)
                 OR (a_lo <= {e} AND {e} < a_hi))) AS lost, coalesce(arrived, a_hi) AS start FROM m LIMIT -1)
SELECT sum(NOT lost AND start <= {b} AND NOT (gone AND status_date <= {b})),
       sum(NOT lost AND arrived IS NULL AND a_lo > {b} AND a_hi <= {e}),
       sum(NOT lost AND arrived > {b} AND arrived <= {e} AND in_sc = 'other_province'),
       sum(NOT lost AND arrived > {b} AND arrived <= {e} AND in_sc = 'same_province'),
       sum(NOT lost AND arrived > {b} AND arrived <= {e} AND in_sc IS NULL),
       sum(NOT lost AND {gone_in} AND status = 'deceased'), sum(NOT lost AND {gone_in} AND status = 'expelled'),
       sum(NOT lost AND {gone_in} AND status = 'removed'),
       sum(NOT lost AND {gone_in} AND status = 'removed' AND (official_date > status_date
           OR (official_date IS NULL AND membership = 'probationary'))),
       sum(NOT lost AND {gone_in} AND status = 'resigned'),
       sum(NOT lost AND {gone_in} AND status = 'transferred_out' AND out_sc = 'other_province'),
       sum(NOT lost AND {gone_in} AND status = 'transferred_out' AND out_sc = 'same_province'),
       sum(NOT lost AND {gone_in} AND status = 'transferred_out' AND out_sc IS NULL),
       sum(NOT lost AND start <= {e} AND NOT (gone AND status_date <= {e})),
       sum(lost) FROM p;
"""


CHANGE_KEYS = ("A", "B1", "B2a", "B2b", "B2_unclassified", "C1", "C2", "C3", "C3_probationary", "C4", "C5a", "C5b",
               "C5_unclassified", "D", "unplaced")


def profile_sql(day: str) -> str:
    d = f"'{day}'"
    start = "coalesce(decision_date, a_lo)"
    return _MEMBERS + f""", p AS (SELECT *, (arrived IS NULL AND (a_lo IS NULL OR (a_lo <= {d} AND {d} < a_hi))) AS lost,
                 coalesce(arrived, a_hi) AS start,
                 CAST(substr({d}, 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER)
                   - (substr({d}, 6, 5) < substr(birth_date, 6, 5)) AS age,
                 ((CAST(substr({d}, 1, 4) AS INTEGER) - CAST(substr({start}, 1, 4) AS INTEGER)) * 12
                   + CAST(substr({d}, 6, 2) AS INTEGER) - CAST(substr({start}, 6, 2) AS INTEGER)
                   - (substr({d}, 9, 2) < substr({start}, 9, 2))) / 12 AS party_years FROM m)
SELECT gender,
       CASE WHEN age <= 30 THEN 'Đến 30 tuổi' WHEN age <= 40 THEN 'Từ 31 đến 40 tuổi'
            WHEN age <= 50 THEN 'Từ 41 đến 50 tuổi' WHEN age <= 60 THEN 'Từ 51 đến 60 tuổi'
            WHEN age <= 70 THEN 'Từ 61 đến 70 tuổi' ELSE 'Trên 70 tuổi' END,
       coalesce(ethnicity, 'Không rõ'), coalesce(religion, 'Không'), coalesce(education_general, 'Không rõ'),
       coalesce(political_theory, 'Chưa qua đào tạo'), coalesce(occupation, 'Không rõ'),
       CASE WHEN party_years < 10 THEN 'Dưới 10 năm' WHEN party_years < 20 THEN 'Từ 10 đến dưới 20 năm'
            WHEN party_years < 30 THEN 'Từ 20 đến dưới 30 năm' WHEN party_years < 40 THEN 'Từ 30 đến dưới 40 năm'
            WHEN party_years < 50 THEN 'Từ 40 đến dưới 50 năm' ELSE 'Từ 50 năm trở lên' END,
       CASE WHEN official_date IS NOT NULL THEN official_date > {d} ELSE membership = 'probationary' END,
       count(*)
FROM p WHERE NOT lost AND start <= {d} AND NOT (gone AND status_date <= {d})
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
"""


PROFILE_GROUPS = ("gender", "age_band", "ethnicity", "religion", "education_general", "political_theory",
                  "occupation", "party_age_band", "membership")


def reference_script() -> str:
    day_before = [(date.fromisoformat(a) - timedelta(days=1)).isoformat() for a, _ in PERIODS]
    return ".output /dev/null\n" + "".join(changes_sql(b, e) for b, (_, e) in zip(day_before, PERIODS, strict=True)) \
        + profile_sql(AS_OF)


# --- the province -------------------------------------------------------------------------------------------
def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def build(db_path: Path, members: int) -> None:
    from dangvien_cli.store.database import Database, now_iso
    from dangvien_cli.text import collation_key, search_key

    rng = random.Random(13)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = Database(db_path)
    stamp = now_iso()
    conn = db.raw_connection()
    conn.execute("BEGIN")
    conn.execute("INSERT INTO cells (id, code, name, search_key, kind, created_at, updated_at) VALUES "
                 "(1, 'T', 'Đảng bộ tỉnh', 'dang bo tinh', 'province_committee', ?, ?)", (stamp, stamp))
    cells, labels = [], {}
    for k in range(COMMUNES):
        cid = 10 + k
        conn.execute("INSERT INTO cells (id, code, name, search_key, kind, parent_id, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, 'commune_committee', 1, ?, ?)",
                     (cid, f"X{k:03d}", f"Đảng bộ xã {k}", f"dang bo xa {k}", stamp, stamp))
        for j in range(CELLS_PER_COMMUNE):
            cell = 1000 + k * CELLS_PER_COMMUNE + j
            code, name = f"X{k:03d}.{j:02d}", f"Chi bộ thôn {k}.{j}"
            conn.execute("INSERT INTO cells (id, code, name, search_key, kind, parent_id, created_at, updated_at) "
                         "VALUES (?, ?, ?, ?, 'cell', ?, ?, ?)", (cell, code, name, search_key(name), cid, stamp,
                                                                  stamp))
            cells.append(cell)
            labels[cell] = f"{code} — {name}"
    rows, events = [], []

    def event(mid: int, kind: str, field: str, old: str | None, new: str | None, day: str) -> None:
        events.append((mid, kind, field, old, new, day, "bench", stamp))

    for i in range(1, members + 1):
        name = f"Đảng Viên Số {i}"
        birth = _day(rng, date(1935, 1, 1), date(2004, 12, 31))
        admitted = _day(rng, max(birth + timedelta(days=18 * 366), date(1960, 1, 1)), date(2025, 12, 31))
        admission = admitted.isoformat()
        roll = rng.random()
        if roll < 0.005:
            admission = None
        elif roll < 0.015:
            admission = admission[:4]
        probationary = admitted > date(2024, 12, 31)
        official = None if probationary or rng.random() < 0.3 else (admitted + timedelta(days=366)).isoformat()
        cell = rng.choice(cells)
        status, status_date = "active", None
        history = rng.random() < 1 / 12 and admission is not None and len(admission) == 10 and \
            admitted < date(2021, 1, 1)
        if history:
            day = _day(rng, date(2021, 1, 1), date(2025, 6, 30))
            what = rng.random()
            if what < 0.45:  # moved once or twice
                for _ in range(rng.choice((1, 1, 2))):
                    target = rng.choice(cells)
                    if target != cell:
                        event(i, "transferred", "cell", labels[cell], labels[target], day.isoformat())
                        cell = target
                    day += timedelta(days=rng.randrange(30, 300))
            elif what < 0.6:  # transferred out, the scope said or not
                status, status_date = "transferred_out", day.isoformat()
                event(i, "transferred_out", "status", "active", "transferred_out", status_date)
                scope = rng.choice(("other_province", "same_province", None))
                if scope:
                    event(i, "transferred_out", "scope", None, scope, status_date)
            elif what < 0.7:  # arrived from outside the database
                event(i, "transferred_in", "cell", "Đảng ủy xã ngoài tỉnh", labels[cell], day.isoformat())
                scope = rng.choice(("other_province", "same_province", None))
                if scope:
                    event(i, "transferred_in", "scope", None, scope, day.isoformat())
            else:  # left, with its history row
                status, status_date = rng.choice(LEAVING), day.isoformat()
                event(i, "left", "status", "active", status, status_date)
        elif rng.random() < 0.04 and admission is not None and earliest_day(admission) < date(2025, 6, 1):
            # already gone when imported: no history row
            first = max(earliest_day(admission), date(1990, 1, 1))
            status = rng.choice((*LEAVING, "transferred_out"))
            status_date = _day(rng, first + timedelta(days=1), date(2025, 12, 31)).isoformat()
        rows.append((i, name, search_key(name), collation_key(name), rng.choice(("male", "female")),
                     birth.isoformat(), admission, official, "probationary" if probationary else "official", status,
                     status_date, cell, rng.choice(("Kinh",) * 8 + ("Tày", "Mường")),
                     rng.choice((None,) * 8 + ("Phật giáo", "Công giáo")), rng.choice((None, "12/12", "9/12")),
                     rng.choice((None, None, "Sơ cấp", "Trung cấp", "Cao cấp")),
                     rng.choice((None, "Nông dân", "Công chức", "Hưu trí")), stamp, stamp))
    conn.executemany(
        "INSERT INTO members (id, full_name, search_key, sort_key, gender, birth_date, admission_date, official_date, "
        "membership, status, status_date, cell_id, ethnicity, religion, education_general, political_theory, "
        "occupation, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.executemany("INSERT INTO member_events (member_id, event, field, old_value, new_value, effective_date, "
                     "source, created_at) VALUES (?,?,?,?,?,?,?,?)", events)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    db.close()


def earliest_day(iso: str) -> date:
    return date.fromisoformat(iso if len(iso) == 10 else f"{iso}-01-01")


# --- comparing and timing -----------------------------------------------------------------------------------
def _vi(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def check_counts(db: Path, dangvien: list[str]) -> None:
    """The reference's counts equal ours, row by row and group by group, or the benchmark stops."""
    ours = json.loads(subprocess.run([*dangvien, "--db", str(db), "reports", "changes", "--from", _vi(PERIODS[0][0]),
                                      "--to", _vi(PERIODS[0][1]), "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)
    conn = sqlite3.connect(db)
    for column, (start, end) in zip(("this_period", "same_period_last_year"), PERIODS, strict=True):
        before = (date.fromisoformat(start) - timedelta(days=1)).isoformat()
        ref = dict(zip(CHANGE_KEYS, conn.execute(changes_sql(before, end)).fetchone(), strict=True))
        rows = {r["code"]: r[column] for r in ours["rows"]}
        got = {k: rows[k] for k in CHANGE_KEYS if k in rows}
        got |= {"B2_unclassified": (ours["unclassified"] if column == "this_period" else
                                    ours["unclassified_last_year"])["B2"],
                "C5_unclassified": (ours["unclassified"] if column == "this_period" else
                                    ours["unclassified_last_year"])["C5"],
                "unplaced": ours["unplaced"] if column == "this_period" else ours["unplaced_last_year"]}
        if got != ref:
            sys.exit(f"Biểu 1 {start}–{end}: ours {got} ≠ reference {ref}")
    profile = json.loads(subprocess.run([*dangvien, "--db", str(db), "reports", "profile", "--as-of", _vi(AS_OF),
                                         "--format", "json"], check=True, capture_output=True, text=True).stdout)
    ref_groups: dict[str, dict] = {g: {} for g in PROFILE_GROUPS}
    labels = {"male": "Nam", "female": "Nữ", 1: "Dự bị", 0: "Chính thức"}
    for *keys, n in conn.execute(profile_sql(AS_OF)):
        for group, key in zip(PROFILE_GROUPS, keys, strict=True):
            key = labels.get(key, key) if group in ("gender", "membership") else key
            ref_groups[group][key] = ref_groups[group].get(key, 0) + n
    for group in PROFILE_GROUPS:
        got = {i["key"]: i["count"] for i in profile["groups"][group]}
        if got != ref_groups[group]:
            sys.exit(f"Biểu 3 {group}: ours {got} ≠ reference {ref_groups[group]}")
    conn.close()
    print(f"counts agree: Biểu 1 (A {ours['rows'][0]['this_period']}, D {ours['rows'][-1]['this_period']}, "
          f"unplaced {ours['unplaced']}) and Biểu 3 ({profile['total']} members, {len(PROFILE_GROUPS)} groups)")


def timed(command: list[str], stdin: str | None = None) -> tuple[float, float]:
    """(wall clock, CPU time of the process) of running ``command``."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, input=stdin, text=stdin is not None)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _sum(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(r[0] for r in runs), sum(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    python = sys.executable
    subprocess.run([python, "-m", "compileall", "-q", str(Path(__file__).resolve().parent.parent / "src")], check=True)
    dangvien = [python, "-m", "dangvien_cli"]
    db = OUT / f"statistics_{args.members}.db"
    if args.rebuild or not db.exists():
        t = time.perf_counter()
        part = db.with_suffix(".part")  # a build interrupted half-way is never taken for the province
        build(part, args.members)
        part.rename(db)
        print(f"built {db.name} ({args.members} members) in {time.perf_counter() - t:.1f} s")
    shell = shutil.which("sqlite3")
    if shell is None:
        sys.exit("sqlite3 shell not found (Debian package sqlite3): the reference cannot run")
    check_counts(db, dangvien)
    ours = [[*dangvien, "--db", str(db), "reports", "changes", "--from", _vi(PERIODS[0][0]), "--to",
             _vi(PERIODS[0][1]), "--format", "json"],
            [*dangvien, "--db", str(db), "reports", "profile", "--as-of", _vi(AS_OF), "--format", "json"]]
    script = reference_script()
    cpu_ratios, wall_ratios = [], []
    for r in range(args.repeat):
        if r % 2 == 0:
            a = _sum([timed(c) for c in ours])
            b = timed([shell, str(db)], stdin=script)
        else:
            b = timed([shell, str(db)], stdin=script)
            a = _sum([timed(c) for c in ours])
        wall_ratios.append(a[0] / b[0])
        cpu_ratios.append(a[1] / b[1])
        print(f"  round {r + 1}: Biểu 1 + Biểu 3 CPU {a[1]:.2f} s vs reference SQL {b[1]:.2f} s → {a[1] / b[1]:.2f}× "
              f"(wall {a[0]:.2f} s vs {b[0]:.2f} s → {a[0] / b[0]:.2f}×)")
    print(f"Biểu 1 + Biểu 3, {args.members} members: median of rounds {statistics.median(cpu_ratios):.2f}× on CPU "
          f"time, {statistics.median(wall_ratios):.2f}× on the wall clock (target ≤ 1.5×)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "")
    main()
