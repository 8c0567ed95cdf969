"""Benchmark: the member and organization writes, the audit log and the search against hand-written SQL.

bench_commands.py times the everyday reads on a terminal; this one adds what it does not: the writes, each
with its history rows and its audit row, run on a fresh copy of the file every time (``members update``,
``cells dissolve`` moving a 1,000-member cell), ``db log`` (the latest 50 of 100,000 history rows),
``db check``, and ``members list --search -f json`` against the same SELECT in a bare
``python -c 'import sqlite3…'`` process (the store must add little to a LIKE over every search key).
Each is a ratio to ``dangvien --help`` in the same run (issue 9: a clerk's command ≤ 2.5× it).

Builds (once, cached in benchmarks/out/) 100,000 members in 100 cells with bulk SQL in the shape the roster
importer writes, each with its 'created' event.

Usage: .venv/bin/python benchmarks/bench_members.py [--members 100000] [--runs 5] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Quang", "Ngọc", "Đức"]
LAST = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hòa", "Lan", "Mai", "Nam", "Phúc", "Sơn", "Tâm", "Yến"]


def build(db_path: Path, members: int, cells: int = 100) -> None:
    from dangvien_cli.store.database import Database, now_iso
    from dangvien_cli.text import collation_key, search_key

    rng = random.Random(2026)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    Database(db_path)
    stamp = now_iso()
    conn = Database(db_path).raw_connection()
    conn.execute("BEGIN")
    conn.execute("INSERT INTO cells (id, code, name, search_key, kind, created_at, updated_at) VALUES "
                 "(1, 'H', 'Đảng bộ xã', 'dang bo xa', 'commune_committee', ?, ?)", (stamp, stamp))
    conn.executemany("INSERT INTO cells (id, code, name, search_key, kind, parent_id, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, 'cell', 1, ?, ?)",
                     [(10 + c, f"H.{c:03d}", f"Chi bộ {c}", f"chi bo {c}", stamp, stamp) for c in range(cells)])
    rows, events = [], []
    for i in range(1, members + 1):
        name = f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}"
        year = rng.randint(1940, 2000)
        rows.append((i, name, search_key(name), collation_key(name), "male" if i % 2 else "female", str(year),
                     f"{i:08d}", f"{year + 25}", f"{year + 26}", 10 + i % cells, stamp, stamp))
        events.append((i, stamp))
    conn.executemany("INSERT INTO members (id, full_name, search_key, sort_key, gender, birth_date, card_number, "
                     "admission_date, official_date, cell_id, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO member_events (member_id, event, source, created_at) VALUES (?, 'created', "
                     "'bench', ?)", events)
    conn.execute("COMMIT")
    conn.close()


def timed(cmd: list[str], runs: int, setup=None) -> float:
    best = float("inf")
    for _ in range(runs):
        if setup:
            setup()
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t0)
    return best


HAND_SEARCH = """
import sqlite3, sys, json
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute("SELECT m.*, c.code, c.name FROM members m JOIN cells c ON c.id = m.cell_id "
                    "WHERE m.status IN ('active', 'exempt', 'suspended') AND m.search_key LIKE ? "
                    "ORDER BY m.sort_key, m.id", ("%nguyen van an%",)).fetchall()
json.dump([list(r) for r in rows], sys.stdout, ensure_ascii=False)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / f"members-{args.members}.db"
    if args.rebuild or not db.exists():
        t0 = time.perf_counter()
        build(db, args.members)
        print(f"built {db.name} in {time.perf_counter() - t0:.1f} s")
    work = OUT / "members-work.db"

    def fresh_copy() -> None:
        for suffix in ("-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(db, work)

    fresh_copy()
    exe = [sys.executable, "-m", "dangvien_cli"]
    env_db = ["--db", str(work)]
    os.environ.setdefault("DANGVIEN_CACHE_DIR", str(OUT / "cache"))
    help_s = timed([*exe, "--help"], args.runs)
    figures = {
        "members list --search (JSON)": timed([*exe, *env_db, "members", "list", "--search", "nguyen van an",
                                               "-f", "json"], args.runs),
        "db check": timed([*exe, *env_db, "db", "check", "-f", "json"], args.runs),
        "db log": timed([*exe, *env_db, "db", "log"], args.runs),
        "members update": timed([*exe, *env_db, "members", "update", "00004242", "--hometown", "Xã Tân Lập"],
                                args.runs, fresh_copy),
        "cells dissolve (1,000 members moved)": timed(
            [*exe, *env_db, "cells", "dissolve", "H.005", "--date", "01/07/2025", "--move-members-to", "H.006"],
            args.runs, fresh_copy),
    }
    hand = timed([sys.executable, "-c", HAND_SEARCH, str(work)], args.runs)
    print(f"dangvien --help: {help_s:.3f} s (reference)")
    for name, seconds in figures.items():
        print(f"{name}: {seconds:.3f} s = {seconds / help_s:.2f}× --help")
    search = figures["members list --search (JSON)"]
    print(f"search by hand (python + sqlite3): {hand:.3f} s; members list --search = {search / hand:.2f}× it")


if __name__ == "__main__":
    main()
