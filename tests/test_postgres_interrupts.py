"""Ctrl-C and kill of a roster import into a PostgreSQL database (issue 11), in a real process: the server holds
the whole import or none of it, and what the tool says matches. The moment is found on the server itself: the
import's session is seen inside its transaction, writing members (pg_stat_activity), and the signal is sent
then. Runs in both passes of the suite, on a fresh database of the throwaway cluster."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest

from test_interrupts import NOTHING, make_roster

ROWS = 3000


def _run(db: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DANGVIEN_DB=db)
    env.pop("DANGVIEN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "dangvien_cli", *args], env=env, capture_output=True, text=True)


@pytest.fixture
def server(pg_database, tmp_path):
    """A server database with a commune, a cell and three members; the roster of ROWS new members."""
    for args in (("db", "init"),
                 ("cells", "add", "Đảng bộ xã Tân Nam", "--code", "TN", "--kind", "commune_committee"),
                 ("cells", "add", "Chi bộ số 0", "--code", "TN.01", "--kind", "cell", "--parent", "TN"),
                 *(("members", "add", "--name", f"Người Cũ {i}", "--gender", "male", "--birth-date",
                    f"0{i + 1}/01/1960", "--cell", "TN.01") for i in range(3))):
        done = _run(pg_database, *args)
        assert done.returncode == 0, done.stderr
    return pg_database, make_roster(tmp_path / "roster.xlsx", ROWS)


def _members(db: str) -> int:
    with psycopg.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM members").fetchone()[0]


def _stopped_while_writing(db: str, roster, sig: int) -> tuple[int, str]:
    """The import, stopped by ``sig`` once its session has begun writing members inside its transaction."""
    env = dict(os.environ, DANGVIEN_DB=db)
    env.pop("DANGVIEN_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "dangvien_cli", "import", "roster", str(roster), "--into", "TN"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    name = psycopg.conninfo.conninfo_to_dict(db)["dbname"]
    seen = False
    with psycopg.connect(db, autocommit=True) as watcher:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            seen = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                "AND xact_start IS NOT NULL AND (query LIKE 'INSERT INTO members %%' OR query LIKE 'COPY members %%')",
                (name,)).fetchone()[0] > 0  # the import streams its members by COPY (store/roster.py)
            if seen:
                proc.send_signal(sig)
                break
    _, err = proc.communicate(timeout=60)
    assert seen, f"the import finished before it was seen writing: {err}"
    return proc.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_an_import_stopped_while_writing_leaves_nothing_and_says_so(server, sig):
    db, roster = server
    code, err = _stopped_while_writing(db, roster, sig)
    assert _members(db) == 3  # the server rolled the whole transaction back
    if sig == signal.SIGINT:
        assert code == 130 and NOTHING in err, (code, err)
        assert "Lỗi không mong đợi" not in err and "Traceback" not in err, err
    else:
        assert code == -signal.SIGKILL
    # Nothing is left held on the server: the same import then runs whole.
    again = _run(db, "import", "roster", str(roster), "--into", "TN")
    assert again.returncode == 0, again.stderr
    assert _members(db) == 3 + ROWS
