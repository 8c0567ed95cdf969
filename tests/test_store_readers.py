"""Connection.readers on a file (SQLite): a writer's snapshot shared with read-only connections, so that the
rules of a screening read side by side; a reader's is not shared."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from dangvien_cli.store.database import Database


def test_a_writers_readers_see_what_it_saw_and_nobody_commits_meanwhile(tmp_path):
    db = Database(tmp_path / "x.db")
    setup = db.connect()
    with setup.transaction(write=True):
        setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        setup.execute("INSERT INTO t (v) VALUES ('before')")
    setup.close()
    conn = db.connect()
    try:
        with conn.transaction(write=True):
            conn.execute("INSERT INTO t (v) VALUES ('the writer''s own')")
            with conn.readers(2) as readers:
                assert len(readers) == 2
                # each used from a thread of its own, as the screening's workers do
                seen: list = []
                threads = [threading.Thread(target=lambda r=r: seen.append(r.column("SELECT v FROM t")))
                           for r in readers]
                for th in threads:
                    th.start()
                for th in threads:
                    th.join()
                assert seen == [["before"], ["before"]]  # the writer's own change is its own
                with pytest.raises(sqlite3.OperationalError, match="locked|busy"):
                    readers[0].raw.execute("PRAGMA busy_timeout=0")
                    readers[0].raw.execute("INSERT INTO t (v) VALUES ('from a reader')")
            assert conn.column("SELECT v FROM t ORDER BY id") == ["before", "the writer's own"]
        with conn.transaction(write=False):
            with conn.readers(2) as readers:
                assert readers == []  # a reader's snapshot is not shared: the work stays on one connection
    finally:
        conn.close()


def test_the_threads_the_tool_starts_leave_ctrl_c_to_the_main_thread():
    """A signal lands on any thread that does not block it; one landing on a worker (even a finishing one) while
    the main thread commits with the signals held made the clerk read "nothing was written" about a commit
    that happened (tests/test_interrupts.py, under load). Every thread the tool starts blocks them."""
    import signal

    from dangvien_cli import threads

    def mask() -> set:
        return set(signal.pthread_sigmask(signal.SIG_BLOCK, []))

    with threads.pool(2, "test") as pool:
        assert all(threads.INTERRUPTS <= m for m in pool.map(lambda _: mask(), range(4)))
    seen: list[set] = []
    threads.start(lambda: seen.append(mask()), "test").join()
    assert threads.INTERRUPTS <= seen[0]
    assert not threads.INTERRUPTS & mask()  # the main thread's own are untouched


def test_a_screenings_rules_run_on_threads_that_leave_ctrl_c_to_the_main_thread(cli, commune, monkeypatch):
    import signal

    from dangvien_cli import threads
    from dangvien_cli.services import screening as svc

    masks: list[set] = []

    def watching(scope):
        masks.append(set(signal.pthread_sigmask(signal.SIG_BLOCK, [])))
        return []

    monkeypatch.setattr(svc, "ORG_RULES", (*svc.ORG_RULES, watching))
    r = cli("screening", "run", "--year", "2025", "--as-of", "20/01/2026", "--dry-run", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert masks and threads.INTERRUPTS <= masks[0]
