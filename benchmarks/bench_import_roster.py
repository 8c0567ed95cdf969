"""The whole `import roster` and `export roster` processes against the fastest possible references.

    .venv/bin/python benchmarks/bench_import_roster.py [ROWS] [REPEAT]    (default 100,000 rows, 1 round)
    .venv/bin/python benchmarks/bench_import_roster.py --engine postgresql [ROWS] [REPEAT]

Import target (issue 10; issue "Excel in and out" asked 2×): the `dangvien import roster` process within 1.5× of
a reference process that reads every cell with python-calamine and inserts the rows with sqlite3.executemany in
one transaction, and under 400 MiB peak. Export target (issue 10): `dangvien export roster` within 1.2× of
xlsxwriter writing the same rows, as many rounds as the import.
Every figure is a separate process, timed wall-clock, peak memory from the kernel (ru_maxrss of the child).
Generated files live in a temporary directory; nothing is kept.

With ``--engine postgresql`` (issue 11) a throwaway cluster is started in a temporary folder (tests/pgcluster.py:
initdb, a Unix socket, no TCP port) and each import goes into a fresh database on it; the reference reads the
same file with calamine and loads it with one COPY into an equivalent 20-column table (target ≤ 1.5×). With REPEAT > 1 the reference and the first
import are run that many times, alternating, each import into a fresh database, and the best and worst of each
are printed (the machine may be shared: compare best with best).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_read_roster import HEADERS, make_file  # noqa: E402

REFERENCE_IMPORT = r"""
import sqlite3, sys, python_calamine as pc
rows = pc.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
conn = sqlite3.connect(sys.argv[2])
conn.execute("CREATE TABLE r (" + ", ".join(f"c{i}" for i in range(20)) + ")")
data = [tuple(row[:20]) + (None,) * (20 - len(row[:20])) for row in rows[4:]]
with conn:
    conn.executemany("INSERT INTO r VALUES (" + ",".join("?" * 20) + ")", data)
print(len(data))
"""

REFERENCE_IMPORT_PG = r"""
import psycopg, sys, python_calamine as pc
rows = pc.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
with psycopg.connect(sys.argv[2]) as conn:
    conn.execute("CREATE TABLE r (" + ", ".join(f"c{i} text" for i in range(20)) + ")")
    with conn.cursor().copy("COPY r FROM STDIN") as copy:
        for row in rows[4:]:
            cells = [None if v == "" else str(v) for v in row[:20]]
            copy.write_row(cells + [None] * (20 - len(cells)))
print(len(rows) - 4)
"""

REFERENCE_EXPORT = r"""
import sqlite3, sys, xlsxwriter
conn = sqlite3.connect(sys.argv[1])
cols = "full_name, other_name, gender, birth_date, ethnicity, religion, hometown, birthplace, residence, " \
       "national_id, old_id_number, card_number, decision_date, admission_date, official_date, education_general, " \
       "education_professional, political_theory, position, occupation, note"
book = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True})
sheet = book.add_worksheet()
for r, row in enumerate(conn.execute(f"SELECT {cols} FROM members ORDER BY cell_id, sort_key")):
    sheet.write_number(r, 0, r + 1)
    for c, v in enumerate(row, start=1):
        if v is not None:
            sheet.write_string(r, c, v)
book.close()
"""


#: CPU seconds (user + system) of each child, by what it was: steadier than wall time on a shared machine.
CPU: dict[str, list[float]] = {}


def run(cmd: list[str], cpu: str | None = None, **kw) -> tuple[float, float]:
    """(seconds, peak MiB) of one child process, its own peak from wait4; its CPU time kept under ``cpu``."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, **kw)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    if cpu:
        CPU.setdefault(cpu, []).append(usage.ru_utime + usage.ru_stime)
    return seconds, usage.ru_maxrss / 1024


def compile_package() -> None:
    """Byte-compile the package as ``pip install`` does, so that no timed run compiles it from source (an
    editable install under PYTHONDONTWRITEBYTECODE never writes .pyc files)."""
    import compileall

    import dangvien_cli

    compileall.compile_dir(str(Path(dangvien_cli.__file__).parent), quiet=1)


def main_postgresql(args: list[str]) -> None:
    """Import into PostgreSQL vs calamine + one COPY, each round into fresh databases of one local cluster."""
    import psycopg
    from local_cluster import create_database, throwaway_cluster

    rows = int(args[0]) if args else 100_000
    repeat = int(args[1]) if len(args) > 1 else 1
    exe = str(Path(sys.executable).with_name("dangvien"))
    with throwaway_cluster() as cluster, tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.xlsx"
        make_file(roster, rows)
        print(f"input: {rows} rows × {len(HEADERS)} columns, {roster.stat().st_size / 1e6:.1f} MB; "
              f"PostgreSQL {cluster.bindir}, a throwaway cluster on a Unix socket")
        refs, imps = [], []
        for k in range(repeat):
            refs.append(run([sys.executable, "-c", REFERENCE_IMPORT_PG, str(roster),
                             create_database(cluster, f"ref{k}")], "ref"))
            env = dict(os.environ, DANGVIEN_DB=create_database(cluster, f"bench{k}"))
            subprocess.run([exe, "db", "init"], check=True, env=env, capture_output=True)
            subprocess.run([exe, "cells", "add", "Đảng bộ xã Thử Nghiệm", "--code", "TN", "--kind",
                            "commune_committee"], check=True, env=env, stderr=subprocess.DEVNULL)
            imps.append(run([exe, "import", "roster", str(roster), "--into", "TN", "--format", "json"],
                            "import", env=env))
        with psycopg.connect(cluster.conninfo("bench0")) as check:
            stored = check.execute("SELECT count(*) FROM members").fetchone()[0]
        (ref_s, ref_mb), (imp_s, imp_mb) = min(refs), min(imps)
        if repeat > 1:
            paired = sorted(i[0] / r[0] for r, i in zip(refs, imps, strict=True))
            print(f"ratio per round: {', '.join(f'{x:.2f}' for x in paired)} "
                  f"(median {paired[len(paired) // 2]:.2f})")
        print(f"reference import (calamine + one COPY):    {ref_s:6.2f} s  peak {ref_mb:6.0f} MiB")
        print(f"dangvien import roster on PostgreSQL:      {imp_s:6.2f} s  peak {imp_mb:6.0f} MiB  "
              f"ratio {imp_s / ref_s:.2f}× (target ≤ 1.5×); {stored} members stored")
        print(f"CPU time of the clients (user + system):   {min(CPU['ref']):6.2f} s / {min(CPU['import']):.2f} s"
              " (the server's own time is in neither)")


def main() -> None:
    compile_package()
    if "--engine" in sys.argv:
        at = sys.argv.index("--engine")
        engine = sys.argv[at + 1]
        rest = sys.argv[1:at] + sys.argv[at + 2:]
        if engine == "postgresql":
            main_postgresql(rest)
            return
        if engine != "sqlite":
            raise SystemExit("--engine sqlite|postgresql")
        sys.argv[1:] = rest
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    exe = str(Path(sys.executable).with_name("dangvien"))
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        roster = tmpdir / "roster.xlsx"
        t0 = time.perf_counter()
        make_file(roster, rows)
        print(f"input: {rows} rows × {len(HEADERS)} columns, title rows above the header, "
              f"{roster.stat().st_size / 1e6:.1f} MB, generated in {time.perf_counter() - t0:.1f} s")
        repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
        refs, imps = [], []
        for k in range(repeat):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{tmpdir / 'ref.db'}{suffix}").unlink(missing_ok=True)
            refs.append(run([sys.executable, "-c", REFERENCE_IMPORT, str(roster), str(tmpdir / "ref.db")], "ref"))
            db = tmpdir / f"bench{k}.db"
            env = dict(os.environ, DANGVIEN_DB=str(db))
            subprocess.run([exe, "db", "init"], check=True, env=env, capture_output=True)  # --db must exist
            subprocess.run([exe, "cells", "add", "Đảng bộ xã Thử Nghiệm", "--code", "TN", "--kind",
                            "commune_committee"], check=True, env=env, stderr=subprocess.DEVNULL)
            imps.append(run([exe, "import", "roster", str(roster), "--into", "TN", "--format", "json"], "import",
                            env=env))
        (ref_s, ref_mb), (imp_s, imp_mb) = min(refs), min(imps)
        spread = (f"  (of {repeat}: worst {max(refs)[0]:.2f} s / {max(imps)[0]:.2f} s, peaks up to "
                  f"{max(m for _, m in imps):.0f} MiB)" if repeat > 1 else "")
        if repeat > 1:
            # Each round runs both back to back, so a round's ratio is measured under the same machine load.
            paired = sorted(i[0] / r[0] for r, i in zip(refs, imps, strict=True))
            print(f"ratio per round: {', '.join(f'{x:.2f}' for x in paired)} (median {paired[len(paired) // 2]:.2f})")
        print(f"reference import (calamine + executemany): {ref_s:6.2f} s  peak {ref_mb:6.0f} MiB")
        print(f"dangvien import roster (new members):      {imp_s:6.2f} s  peak {imp_mb:6.0f} MiB  "
              f"ratio {imp_s / ref_s:.2f}× (target ≤ 1.5×, ≤ 400 MiB){spread}")
        print(f"CPU time (user + system), best of each:    {min(CPU['ref']):6.2f} s / {min(CPU['import']):.2f} s  "
              f"ratio {min(CPU['import']) / min(CPU['ref']):.2f}× (less sensitive to other load than wall time)")
        again_s, again_mb = run([exe, "import", "roster", str(roster), "--into", "TN", "--format", "json"], env=env)
        print(f"dangvien import roster (same file again):  {again_s:6.2f} s  peak {again_mb:6.0f} MiB  "
              f"ratio {again_s / ref_s:.2f}×")

        # The export as many rounds as the import, alternating with its reference, best of each.
        ref_xs, exps = [], []
        for _ in range(repeat):
            ref_xs.append(run([sys.executable, "-c", REFERENCE_EXPORT, str(db), str(tmpdir / "ref.xlsx")], "ref_x"))
            (tmpdir / "out.xlsx").unlink(missing_ok=True)
            exps.append(run([exe, "export", "roster", str(tmpdir / "out.xlsx")], "export", env=env))
        (ref_x, _), (exp_s, exp_mb) = min(ref_xs), min(exps)
        print(f"reference export (xlsxwriter, same rows):  {ref_x:6.2f} s")
        print(f"dangvien export roster:                    {exp_s:6.2f} s  peak {exp_mb:6.0f} MiB  "
              f"ratio {exp_s / ref_x:.2f}× (target ≤ 1.2×)")
        print(f"CPU time (user + system), best of each:    {min(CPU['ref_x']):6.2f} s / {min(CPU['export']):.2f} s  "
              f"ratio {min(CPU['export']) / min(CPU['ref_x']):.2f}×")


if __name__ == "__main__":
    main()
