"""Benchmark: a clerk's everyday commands on a 100,000-member database, each against `dangvien --help`.

A clerk types dozens of these an hour, so each should feel as instant as the help page. The database is
built once (cached in benchmarks/out/) by the builder of bench_screening.py (members, cells, a year of books
and two years of ratings, through the project's own import functions), plus one stored screening run. Then
each command runs as a whole process, best of N rounds with the contenders in alternating order, and its
time is printed as a ratio to `dangvien --help` measured in the same rounds. Table commands run with their
output on a pseudo-terminal, as a clerk sees them (a terminal shows one page of a long list).

Usage: .venv/bin/python benchmarks/bench_commands.py [--members 100000] [--cells 100] [--repeat 5] [--rebuild]
Target: each ratio ≤ 2.5.
"""

from __future__ import annotations

import argparse
import os
import pty
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_screening import AS_OF, OUT, YEAR, build, compile_package  # noqa: E402


def on_terminal(cmd: list[str], env: dict) -> float:
    """Run ``cmd`` with stdout and stderr on a pseudo-terminal of 80×40 (drained as it writes); seconds."""
    leader, follower = pty.openpty()
    os.set_blocking(leader, True)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 80, 0, 0))

    def drain() -> None:
        try:
            while os.read(leader, 1 << 16):
                pass
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    t = time.perf_counter()
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
                          env=env | {"COLUMNS": "80", "LINES": "40", "TERM": "xterm"})
    elapsed = time.perf_counter() - t
    os.close(follower)
    reader.join(timeout=5)
    os.close(leader)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with exit code {proc.returncode}")
    return elapsed


def main() -> None:
    compile_package()
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--cells", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db_path = OUT / f"commands-{args.members}.db"
    dangvien = shutil.which("dangvien", path=str(Path(sys.executable).parent)) or "dangvien"
    env = dict(os.environ, DANGVIEN_TODAY=AS_OF)
    if args.rebuild or not db_path.exists():
        print(f"Building {db_path.name} ({args.members} members, {args.cells} cells)…", flush=True)
        t = time.perf_counter()
        build(db_path, args.members, args.cells)
        subprocess.run([dangvien, "--db", str(db_path), "screening", "run", "--year", str(YEAR), "--as-of",
                        AS_OF, "--format", "json"], check=True, stdout=subprocess.DEVNULL, env=env)
        print(f"  built in {time.perf_counter() - t:.1f} s", flush=True)
    from dangvien_cli.store.database import Database

    Database(db_path).close()  # bring a cached database to the current schema once, not in a timed run
    with open(db_path, "rb") as fh:  # warm the page cache alike for every contender
        while fh.read(1 << 24):
            pass
    db = ["--db", str(db_path)]
    commands = {
        "dangvien --help": [dangvien, "--help"],
        "members list --search nguyen": [dangvien, *db, "members", "list", "--search", "nguyen"],
        "members show 12345": [dangvien, *db, "members", "show", "12345"],
        "cells tree": [dangvien, *db, "cells", "tree"],
        "admissions due": [dangvien, *db, "admissions", "due", "--as-of", "20/01/2026"],
        "screening show 1": [dangvien, *db, "screening", "show", "1"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    names = list(commands)
    for round_ in range(args.repeat):
        order = names if round_ % 2 == 0 else names[::-1]  # alternate who runs on the colder machine
        for name in order:
            times[name].append(on_terminal(commands[name], env))
    base = min(times["dangvien --help"])
    print(f"{'command':34} {'best':>7}  ratio to --help   (all rounds, s)")
    for name in names:
        best = min(times[name])
        rounds = ", ".join(f"{t:.2f}" for t in times[name])
        print(f"{name:34} {best:6.3f}s  {best / base:5.2f}x          ({rounds})")
    worst = max(min(times[n]) / base for n in names[1:])
    print(f"worst ratio: {worst:.2f}x (target ≤ 2.5x)")


if __name__ == "__main__":
    main()
