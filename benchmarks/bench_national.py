"""Benchmark: the 2026 readiness work (issue 14) against plain references, as whole processes, in one run.

1. ``dangvien check national --format json`` on a province of 400,000 members (cached in benchmarks/out/),
   vs the same checks written as one SQL script run by the ``sqlite3`` shell (missing ids, digit 4 against
   gender and century, digits 5–6 against the birth year, cards that are another's id, same name and birth).
2. ``dangvien dossier check DIR --dry-run --format json`` over a tree of 100,000 scanned files (10,000 members
   × 10 documents, empty PDFs), vs a plain ``os.walk`` script doing the same matching (folder and file name
   patterns, the expected names, the PDF header of every file) in one process.

Target (issue 14): each ≤ 2×. Rounds alternate who goes first; each round's ratio and the median are printed.

Usage: .venv/bin/python benchmarks/bench_national.py [--members 400000] [--files-members 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Quang", "Ngọc", "Đức"]
LAST = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hòa", "Lan", "Mai", "Nam", "Phúc", "Sơn", "Tâm", "Yến"]
PDF = b"%PDF-1.4\n%%EOF\n"

REFERENCE_SQL = """
.output /dev/null
SELECT m.id, c.code, CASE
  WHEN m.national_id IS NULL THEN 'national_id_missing'
  WHEN CAST(substr(m.national_id, 1, 3) AS INTEGER) NOT BETWEEN 1 AND 96 OR substr(m.national_id, 4, 1) > '5'
       THEN 'national_id_format'
  WHEN (CAST(substr(m.national_id, 4, 1) AS INTEGER) % 2 = 1) <> (m.gender = 'female') THEN 'national_id_gender'
  WHEN 1900 + 100 * (CAST(substr(m.national_id, 4, 1) AS INTEGER) / 2) + CAST(substr(m.national_id, 5, 2) AS INTEGER)
       <> CAST(substr(m.birth_date, 1, 4) AS INTEGER) THEN 'national_id_birth_year'
  END AS problem
FROM members m JOIN cells c ON c.id = m.cell_id
WHERE m.status IN ('active', 'exempt', 'suspended') ORDER BY c.code, m.sort_key, m.id;
SELECT a.id, b.id FROM members a JOIN members b ON b.search_key = a.search_key AND b.birth_date = a.birth_date
  AND b.id <> a.id WHERE a.status IN ('active', 'exempt', 'suspended') AND b.status IN ('active', 'exempt', 'suspended');
SELECT a.id, b.id FROM members a JOIN members b ON b.national_id = a.card_number WHERE b.id <> a.id;
"""

WALK_REFERENCE = r'''
import os, re, sys, sqlite3, unicodedata
root, db = sys.argv[1], sys.argv[2]
def fold(t):
    t = t.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", t) if not unicodedata.combining(c))
conn = sqlite3.connect(db)
members = {nid: (i, name, code) for i, nid, name, code in conn.execute(
    "SELECT m.id, m.national_id, m.full_name, c.national_code FROM members m JOIN cells c ON c.id = m.cell_id "
    "WHERE m.status IN ('active', 'exempt', 'suspended') AND m.national_id IS NOT NULL")}
folder_re = re.compile(r"^(\d{12})_(.+)$")
file_re = re.compile(r"^(\d{1,3})\.(.+?)(?:\.(\d{1,2}))?\.pdf$", re.I)
names = {n: f for n, f in ((int(l.split("\t")[0]), l.split("\t")[3].strip()) for l in open(sys.argv[3], encoding="utf-8")
                          if l[:1].isdigit())}
misnamed = unreadable = matched = 0
for dirpath, dirnames, filenames in os.walk(root):
    folder = os.path.basename(dirpath)
    m = folder_re.match(folder)
    if not m:
        continue
    member = members.get(m.group(1))
    if member is None:
        continue
    words = re.sub(r"[^A-Za-z0-9 ]", " ", fold(member[1])).split()
    expected_folder = member[0], m.group(1) + "_" + "".join(w[:1].upper() + w[1:].lower() for w in words)
    for name in filenames:
        f = file_re.match(name)
        if not f or int(f.group(1)) not in names:
            continue
        matched += 1
        no = int(f.group(1))
        expected = (f"{no:02d}" if no < 100 else f"{no:03d}") + "." + names[no] + (
            "." + f.group(3) if f.group(3) else "") + ".pdf"
        misnamed += name != expected
        path = os.path.join(dirpath, name)
        with open(path, "rb") as fh:
            unreadable += os.stat(path).st_size < 5 or fh.read(5) != b"%PDF-"
print(matched, misnamed, unreadable)
'''


def _person(rng: random.Random, i: int) -> tuple:
    name = f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}"
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 65))
    gender = "male" if i % 2 else "female"
    code = 2 * ((birth.year - 1900) // 100) + (gender == "female")
    nid = f"001{code}{birth.year % 100:02d}{i:06d}"
    roll = rng.random()
    if roll < 0.02:
        nid = None
    elif roll < 0.03:  # digit 4 of the other gender
        nid = f"001{code ^ 1}{nid[4:]}"
    elif roll < 0.04:
        nid = f"001{code}{(birth.year + 1) % 100:02d}{i:06d}"
    return name, birth.isoformat(), gender, nid


def build(db_path: Path, members: int, cells: int, national_codes: bool) -> None:
    from dangvien_cli.store.database import Database, now_iso
    from dangvien_cli.text import collation_key, search_key

    rng = random.Random(2026)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = Database(db_path)
    stamp = now_iso()
    conn = db.raw_connection()
    conn.execute("BEGIN")
    conn.execute("INSERT INTO cells (id, code, name, search_key, kind, created_at, updated_at) VALUES "
                 "(1, 'T', 'Đảng bộ tỉnh', 'dang bo tinh', 'province_committee', ?, ?)", (stamp, stamp))
    for c in range(cells):
        code = f"38.168.{c // 100:03d}.000.{c % 100 + 1:03d}" if national_codes else None
        conn.execute("INSERT INTO cells (id, code, name, search_key, kind, parent_id, national_code, created_at, "
                     "updated_at) VALUES (?, ?, ?, ?, 'cell', 1, ?, ?, ?)",
                     (10 + c, f"C{c:04d}", f"Chi bộ số {c}", f"chi bo so {c}", code, stamp, stamp))
    rows = []
    for i in range(1, members + 1):
        name, birth, gender, nid = _person(rng, i)
        rows.append((i, name, search_key(name), collation_key(name), gender, birth, nid, f"{i:08d}",
                     "2000-01-01", "2001-01-01", 10 + i % cells, stamp, stamp))
    conn.executemany(
        "INSERT INTO members (id, full_name, search_key, sort_key, gender, birth_date, national_id, card_number, "
        "admission_date, official_date, cell_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    db.close()


def build_tree(root: Path, db_path: Path) -> int:
    """Ten documents for every member with an id and a coded cell; one in twenty misnamed, one in fifty empty."""
    import sqlite3

    from dangvien_cli.rules import dossier as rules

    catalogue = rules.catalogue()
    docs = [1, 2, 3, 5, 7, 37, 38, 39, 43, 45]
    conn = sqlite3.connect(db_path)
    count = 0
    for i, (nid, name, code) in enumerate(conn.execute(
            "SELECT m.national_id, m.full_name, c.national_code FROM members m JOIN cells c ON c.id = m.cell_id "
            "WHERE m.national_id IS NOT NULL ORDER BY m.id")):
        folder = root / code / rules.member_folder(nid, name)
        folder.mkdir(parents=True, exist_ok=True)
        for n, no in enumerate(docs):
            file = catalogue[no].file()
            if (i + n) % 20 == 0:
                file = file.lower()
            (folder / file).write_bytes(b"" if (i + n) % 50 == 0 else PDF)
            count += 1
    conn.close()
    return count


def timed(command: list[str], env: dict | None = None, stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, input=stdin, text=stdin is not None,
                   env=env)
    return time.perf_counter() - start


def pair(label: str, ours: list[str], theirs: list[str], repeat: int, stdin: str | None = None) -> None:
    ratios, best_ours, best_ref = [], float("inf"), float("inf")
    for r in range(repeat):
        if r % 2 == 0:
            a = timed(ours)
            b = timed(theirs, stdin=stdin)
        else:
            b = timed(theirs, stdin=stdin)
            a = timed(ours)
        ratios.append(a / b)
        best_ours, best_ref = min(best_ours, a), min(best_ref, b)
        print(f"  {label} round {r + 1}: {a:.2f} s vs {b:.2f} s → {a / b:.2f}×")
    print(f"{label}: best {best_ours:.2f} s vs reference {best_ref:.2f} s → {best_ours / best_ref:.2f}× "
          f"(median of rounds {statistics.median(ratios):.2f}×)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=400_000)
    parser.add_argument("--files-members", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    python = sys.executable
    subprocess.run([python, "-m", "compileall", "-q", str(Path(__file__).resolve().parent.parent / "src")], check=True)
    dangvien = [python, "-m", "dangvien_cli"]

    db = OUT / f"national_{args.members}.db"
    if args.rebuild or not db.exists():
        t = time.perf_counter()
        build(db, args.members, 300, national_codes=False)
        print(f"built {db.name} ({args.members} members) in {time.perf_counter() - t:.1f} s")
    sqlite3_shell = shutil.which("sqlite3")
    if sqlite3_shell is None:
        print("sqlite3 shell not found (Debian package sqlite3): skipping check national")
    else:
        pair("check national", [*dangvien, "--db", str(db), "check", "national", "--format", "json"],
             [sqlite3_shell, str(db)], args.repeat, stdin=REFERENCE_SQL)

    with tempfile.TemporaryDirectory(prefix="dangvien-dossier-", dir=OUT) as tmp:
        small = Path(tmp) / "dossier.db"
        build(small, args.files_members, 100, national_codes=True)
        root = Path(tmp) / "scan"
        t = time.perf_counter()
        files = build_tree(root, small)
        print(f"built a tree of {files} files in {time.perf_counter() - t:.1f} s")
        script = Path(tmp) / "walk.py"
        script.write_text(WALK_REFERENCE, encoding="utf-8")
        from importlib import resources

        catalogue = resources.files("dangvien_cli").joinpath("data/dossier_catalogue.tsv")
        pair("dossier check", [*dangvien, "--db", str(small), "dossier", "check", str(root), "--dry-run",
                               "--format", "json"],
             [python, str(script), str(root), str(small), str(catalogue)], args.repeat)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "")
    main()
