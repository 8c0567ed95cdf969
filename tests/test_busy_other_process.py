"""Another process holds the write lock (a clerk's import still running): one writing command of every group
is refused with the busy message, exit 1, nothing written; one reading command of every group answers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HOLDER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[2])
    import dbstate

    class Patch:  # the holder's own timeouts do not matter: it never waits
        def setattr(self, *args):
            pass

    conn = dbstate.hold_write_lock(sys.argv[1], Patch())
    conn.execute("UPDATE settings SET value = value")
    print("held", flush=True)
    sys.stdin.read()  # until the test closes our stdin
""")


@pytest.fixture
def held(cli, commune, isolated_db, monkeypatch):
    assert cli("members", "add", "--name", "Nguyễn Văn An", "--gender", "male", "--birth-date", "01/01/1970",
               "--cell", "TL.01", "--admission-date", "01/01/2000", "--official-date", "01/01/2001").exit_code == 0
    assert cli("settings", "set", "backup.keep_copies", "3").exit_code == 0
    monkeypatch.setattr("dangvien_cli.store.database.BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr("dangvien_cli.store.postgres.LOCK_TIMEOUT_MS", 200)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(isolated_db), str(Path(__file__).parent)],
                            stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    yield
    proc.stdin.close()
    proc.wait(timeout=10)


WRITERS = [
    ("cells", "add", "Chi bộ mới", "--code", "TL.09", "--kind", "cell", "--parent", "TL"),
    ("members", "update", "1", "--hometown", "Thôn Bắc"),
    ("settings", "set", "backup.keep_copies", "4"),
    ("admissions", "add", "--name", "Lò Văn Sáng", "--gender", "male", "--birth-date", "01/02/2000", "--cell", "TL.01"),
    ("ratings", "set", "1", "--year", "2025", "--level", "HTTNV"),
    ("attendance", "set", "1", "--year", "2025", "--month", "3", "--mark", "x"),
    ("screening", "run", "--year", "2025", "--as-of", "20/01/2026"),
    ("badges", "award", "1", "--milestone", "30", "--date", "03/02/2026"),
    ("dossier", "mark", "1", "5", "--paper"),
    ("db", "backup", "{tmp}/sao.db"),
]
READERS = [
    ("cells", "tree"), ("members", "list"), ("members", "show", "1"), ("settings", "list"), ("admissions", "due"),
    ("ratings", "list", "--year", "2025"), ("screening", "list"), ("badges", "due"), ("db", "check"), ("db", "log"),
    ("reports", "profile"), ("check", "national"), ("rules", "list"), ("dossier", "show", "1"),
]


@pytest.mark.parametrize("args", WRITERS, ids=lambda a: " ".join(a[:2]))
def test_a_writer_of_every_group_is_refused_with_the_busy_message(cli, held, args, snapshot, isolated_db, tmp_path):
    before = snapshot(isolated_db)
    r = cli(*[a.format(tmp=tmp_path) for a in args])
    if args[0] == "db":  # a backup only reads: it is never refused for a writer (it copies the last commit)
        assert r.exit_code == 0, r.stderr
        return
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert "đang bận" in r.stderr and "Lỗi không mong đợi" not in r.stderr
    assert snapshot(isolated_db) == before


@pytest.mark.parametrize("args", READERS, ids=lambda a: " ".join(a[:2]))
def test_a_reader_of_every_group_answers_while_another_process_writes(cli, held, args):
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    assert "đang bận" not in r.stderr
