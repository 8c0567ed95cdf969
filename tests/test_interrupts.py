"""Ctrl-C and kill during a roster import and a screening run, in a real process (issue 12 point 1): the database is sound, holds all of
the import or none of it, and what the tool says matches what is in the file.

The moments: while the program loads, at fractions of a whole run, and inside the commit. The commit
is found by watching the ``-wal`` file: the import fits in the page cache, so nothing reaches the WAL before
``COMMIT`` writes it — the first bytes there mean the commit is under way.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import xlsxwriter

import dbstate

# The moments to stop at are found from the size of SQLite's WAL file, on database files of the test's own; on
# PostgreSQL the moment is read from the server (test_postgres_interrupts.py, run in both passes).
pytestmark = dbstate.sqlite_only("stops commands at moments read from SQLite's WAL file; "
                                 "test_postgres_interrupts.py stops them on the server")

ROWS = 3000
NOTHING = "Không có gì được ghi"
SAVED = "đã ghi xong"


def make_roster(path: Path, rows: int) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("Danh sách")
    ws.write_row(0, 0, ["DANH SÁCH ĐẢNG VIÊN"])
    ws.write_row(2, 0, ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số định danh cá nhân", "Số thẻ đảng viên",
                        "Ngày vào Đảng", "Ngày chính thức", "Chi bộ"])
    for i in range(rows):
        birth = date(1950, 1, 1) + timedelta(days=(i * 37) % 15000)
        admission = birth + timedelta(days=365 * 25)
        ws.write_row(3 + i, 0, [i + 1, f"Người Thử {i}", "Nam" if i % 2 else "Nữ", birth.strftime("%d/%m/%Y"),
                                f"{999000000000 + i:012d}", f"{90000000 + i}", admission.strftime("%d/%m/%Y"),
                                (admission + timedelta(days=365)).strftime("%d/%m/%Y"), f"Chi bộ số {i % 20}"])
    book.close()
    return path


def run(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dangvien_cli", *args], env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A database with a commune and a few members (the 'before'), the roster, and the count after a full import."""
    tmp = tmp_path_factory.mktemp("interrupts")
    base = tmp / "base.db"
    env = dict(os.environ, DANGVIEN_DB=str(base))
    env.pop("DANGVIEN_DEBUG", None)
    assert run("db", "init", env=env).returncode == 0
    assert run("cells", "add", "Đảng bộ xã Thử Nghiệm", "--code", "TN", "--kind", "commune_committee",
               env=env).returncode == 0
    assert run("cells", "add", "Chi bộ số 0", "--code", "TN.01", "--kind", "cell", "--parent", "TN",
               env=env).returncode == 0
    for i in range(3):
        assert run("members", "add", "--name", f"Người Cũ {i}", "--gender", "male", "--birth-date",
                   f"0{i + 1}/01/1960", "--cell", "TN.01", env=env).returncode == 0
    roster = make_roster(tmp / "roster.xlsx", ROWS)
    full = tmp / "full.db"
    shutil.copy(base, full)
    t0 = time.perf_counter()
    done = run("import", "roster", str(roster), "--into", "TN", env=dict(env, DANGVIEN_DB=str(full)))
    seconds = time.perf_counter() - t0
    assert done.returncode == 0, done.stderr
    return {"tmp": tmp, "base": base, "roster": roster, "env": env, "seconds": seconds,
            "before": count(base), "after": count(full)}


def scalar(db: Path, sql: str):
    conn = dbstate.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def count(db: Path) -> int:
    return scalar(db, "SELECT count(*) FROM members")


def stopped(setup, name: str, command: list[str], source: Path, sig: int, *, after_s: float | None = None,
            wal_bytes: int | None = None) -> tuple[int, str, Path]:
    """Run ``command`` on a copy of ``source`` and send ``sig`` after ``after_s`` seconds, or as soon as the WAL
    holds ``wal_bytes``. Returns (exit code, stderr, the database file, checked sound)."""
    db = setup["tmp"] / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, db)
    wal = Path(f"{db}-wal")
    proc = subprocess.Popen([sys.executable, "-m", "dangvien_cli", *command],
                            env=dict(setup["env"], DANGVIEN_DB=str(db)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if after_s is not None:
        time.sleep(after_s)
    else:
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if wal.stat().st_size >= wal_bytes:
                    break
            except FileNotFoundError:
                pass
    if proc.poll() is None:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert scalar(db, "PRAGMA integrity_check") == "ok"
    return proc.returncode, err, db


def interrupted(setup, name: str, sig: int, **moment):
    """The roster import on a copy of the base database, stopped by ``sig``: (exit code, stderr, members)."""
    code, err, db = stopped(setup, name, ["import", "roster", str(setup["roster"]), "--into", "TN"],
                            setup["base"], sig, **moment)
    return code, err, count(db)


def check_truthful(setup, code: int, err: str, n: int) -> None:
    before, after = setup["before"], setup["after"]
    assert n in (before, after), (code, err)
    assert "Lỗi không mong đợi" not in err, err
    if "Traceback" in err:
        # Ctrl-C inside the interpreter's own start, before any line of the program ran (Python prints that one).
        assert "KeyboardInterrupt" in err and "dangvien_cli" not in err and n == before, err
        return
    if NOTHING in err:
        # 130, or killed by the signal itself (a shell shows both as 130) when it lands as Python exits.
        assert n == before and code in (130, -signal.SIGINT), (code, err)
    if SAVED in err:
        assert n == after and code == 130, (code, err)
    if code == 0:
        assert n == after, err
    if n == before:
        assert NOTHING in err, (code, err)  # stopped, and it says nothing was written
    else:
        # Written: either it finished (exit 0, or a Ctrl-C during the interpreter's own exit after the report),
        # or it was stopped after the commit and says so.
        assert code in (0, 130, -signal.SIGINT) and NOTHING not in err, (code, err)


def test_ctrl_c_at_every_moment_of_an_import_tells_the_truth(setup):
    seconds = setup["seconds"]
    # While the program loads, then at fractions of a whole run (reading, planning, writing to the page cache).
    outcomes = [interrupted(setup, f"int-{i}", signal.SIGINT, after_s=delay)
                for i, delay in enumerate((0.03, 0.35 * seconds, 0.6 * seconds, 0.85 * seconds))]
    # Inside the commit: the first WAL page, a few pages in, and later.
    for wal_bytes in (1, 64 * 1024, 512 * 1024):
        outcomes.append(interrupted(setup, f"int-wal-{wal_bytes}", signal.SIGINT, wal_bytes=wal_bytes))
    for code, err, n in outcomes:
        check_truthful(setup, code, err, n)
    assert outcomes[0][2] == setup["before"]  # Ctrl-C while loading: nothing written, and said so
    # At least one interrupt landed inside the commit and was reported as saved.
    assert any(SAVED in err for _, err, _ in outcomes[4:]), [o[:2] for o in outcomes[4:]]


def test_kill_at_every_moment_of_an_import_leaves_all_or_nothing(setup):
    seconds = setup["seconds"]
    results = [interrupted(setup, f"kill-{i}", signal.SIGKILL, after_s=f * seconds)
               for i, f in enumerate((0.4, 0.8))]
    results += [interrupted(setup, f"kill-wal-{b}", signal.SIGKILL, wal_bytes=b) for b in (1, 256 * 1024)]
    for code, _, n in results:
        assert code == -signal.SIGKILL or code == 0
        assert n in (setup["before"], setup["after"])


def screening_interrupted(setup, name: str, sig: int, **moment):
    """``screening run`` on a copy of the imported database, stopped by ``sig``; returns (exit code, stderr,
    runs stored, findings stored)."""
    code, err, db = stopped(setup, name, ["screening", "run", "--year", "2025", "--as-of", "20/01/2026"],
                            setup["tmp"] / "full.db", sig, **moment)
    runs = scalar(db, "SELECT count(*) FROM screening_runs")
    findings = scalar(db, "SELECT count(*) FROM screening_findings")
    if runs:
        assert findings == scalar(db, "SELECT finding_count FROM screening_runs")  # the whole run, or none of it
    return code, err, runs, findings


def test_ctrl_c_and_kill_during_a_screening_run_tell_the_truth(setup):
    full = dict(setup, before=0, after=1)
    t0 = time.perf_counter()
    code, err, runs, findings = screening_interrupted(setup, "screening-done", signal.SIGINT, after_s=60)
    assert code == 0 and runs == 1 and findings > 0, err
    t0 = time.perf_counter()
    screening_interrupted(setup, "screening-timed", signal.SIGINT, wal_bytes=10**12)  # never: runs to the end
    whole = time.perf_counter() - t0
    # While it starts, while it computes, and from the moment the commit writes the WAL (said: saved).
    moments = [dict(after_s=whole * f) for f in (0.1, 0.3, 0.5, 0.7, 0.85)] + [dict(wal_bytes=1),
                                                                               dict(wal_bytes=4096)]
    outcomes = set()
    for i, moment in enumerate(moments):
        code, err, runs, _ = screening_interrupted(setup, f"screening-int-{i}", signal.SIGINT, **moment)
        if NOTHING in err:
            assert runs == 0 and code in (130, -signal.SIGINT), (moment, code, err)
        elif SAVED in err:
            assert runs == 1 and code == 130, (moment, code, err)
        elif code in (0, -signal.SIGINT) and "mục về tổ chức đảng" in err:
            # It finished and said what it stored; a Ctrl-C that lands as Python exits may end it by the signal.
            assert runs == 1, (moment, err)
        else:
            assert "Traceback" in err and "dangvien_cli" not in err and runs == 0, (moment, code, err)
        assert "Lỗi không mong đợi" not in err, err
        if "Traceback" not in err:
            check_truthful(full, code, err, runs)
        outcomes.add("nothing" if NOTHING in err else "saved" if SAVED in err else "done")
    assert outcomes & {"nothing", "saved"}, outcomes  # some interrupts landed while it ran (timing varies with load)
    for i, moment in enumerate([dict(after_s=0.3), dict(wal_bytes=1)]):
        _, _, runs, _ = screening_interrupted(setup, f"screening-kill-{i}", signal.SIGKILL, **moment)
        assert runs in (0, 1)
