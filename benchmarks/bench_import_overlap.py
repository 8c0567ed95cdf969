"""How fast could a roster import into PostgreSQL be if the rows went to the server while the file is still read?

    .venv/bin/python benchmarks/bench_import_overlap.py [ROWS] [REPEAT]    (default 100,000 rows, 2 rounds)

An ideal the import cannot reach, measured to know whether streaming is worth building (README, "Đo tốc độ"): in
one process, the client's whole reading of the roster (guard, pieces, conversion, checks, the plan against the
database) runs at the same time as the server's whole writing of the rows of an earlier read of the same file
(``COPY`` of the members and their history rows, in one transaction), both from the first moment, sharing the
machine's cores. A real streamed import would also wait for its first rows before the server could start. Compared
with the same two steps one after the other (what ``import roster`` does). A throwaway cluster as in
``bench_import_roster.py --engine postgresql``; each round writes into a fresh database.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_read_roster import make_file  # noqa: E402
from local_cluster import create_database, throwaway_cluster  # noqa: E402

from dangvien_cli.services import roster_import  # noqa: E402
from dangvien_cli.store.database import open_database  # noqa: E402


def one_round(url: str, roster: Path, together: bool) -> tuple[float, float]:
    """(seconds until the reading is done, seconds until both are done)."""
    db = open_database(url, create=False)
    try:
        return _timed(db, roster, together)
    finally:
        db.close()


def _timed(db, roster: Path, together: bool) -> tuple[float, float]:  # noqa: ANN001 - a store database
    with db.read() as conn:
        read = roster_import.read_roster(roster)
        plan, cells, _ = roster_import.plan_roster(conn, read, "TN")

    failed: list[BaseException] = []

    def write() -> None:
        try:
            with db.write() as conn:
                roster_import._write(conn, plan, cells, read, roster, "0" * 64, None, [])
        except BaseException as exc:  # noqa: BLE001 - raised below, in the main thread
            failed.append(exc)

    def read_again() -> None:
        with db.read() as conn:
            roster_import.plan_roster(conn, roster_import.read_roster(roster), "TN")

    gc.collect()
    t0 = time.perf_counter()
    writer = threading.Thread(target=write) if together else None
    if writer is not None:
        writer.start()
    read_again()
    read_done = time.perf_counter() - t0
    if writer is not None:
        writer.join()
    else:
        write()
    if failed:
        raise failed[0]
    return read_done, time.perf_counter() - t0


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    exe = str(Path(sys.executable).with_name("dangvien"))
    with throwaway_cluster() as cluster, tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "roster.xlsx"
        make_file(roster, rows)
        results: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
        for k in range(repeat):
            for together in (False, True):
                url = create_database(cluster, f"o{k}{int(together)}")
                env = dict(os.environ, DANGVIEN_DB=url)
                subprocess.run([exe, "db", "init"], check=True, env=env, capture_output=True)
                subprocess.run([exe, "cells", "add", "Đảng bộ xã Thử Nghiệm", "--code", "TN", "--kind",
                                "commune_committee"], check=True, env=env, capture_output=True)
                gc.disable()
                try:
                    results[together].append(one_round(url, roster, together))
                finally:
                    gc.enable()
        print(f"input: {rows} rows; PostgreSQL {cluster.bindir}")
        for together, label in ((False, "one after the other"), (True, "side by side (the ideal)")):
            shown = ", ".join(f"{total:.2f} s (reading {read:.2f} s)" for read, total in results[together])
            print(f"{label:26} {shown}")


if __name__ == "__main__":
    main()
