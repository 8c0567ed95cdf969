"""Shared fixtures: every test gets its own database file; nothing touches a real one (style.md, llm idiom)."""

from __future__ import annotations

import itertools
import json
import shutil
import sys
from dataclasses import dataclass

import pytest
import typer.main
from typer.testing import CliRunner

from dangvien_cli.cli.app import register
from dbstate import ON_POSTGRESQL, table_contents

app = register()  # every command group, as the installed command builds on demand
# Typer's CliRunner.invoke turns the app into a click command on every call (most of a CLI test's time):
# build it once per run and run it inside the runner's own stream isolation.
command = typer.main.get_command(app)


@pytest.fixture
def snapshot():
    """snapshot(db_path) → every row of every table."""
    return table_contents


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    """One cache directory for the whole run (the computed public holidays), never the user's own."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory):
    """One freshly initialised database for the run; each test gets its own copy (a named path that does not
    exist is refused, so the tests' DANGVIEN_DB must already hold a database)."""
    from dangvien_cli.store.database import Database

    path = tmp_path_factory.mktemp("template") / "empty.db"
    Database(path).close()
    return path


# Fixtures through which a test reaches the database of DANGVIEN_DB: with DANGVIEN_TEST_ENGINE=postgresql such a
# test gets a fresh PostgreSQL database (a copy of one migrated template); the others keep an SQLite file.
_DATABASE_FIXTURES = {"cli", "isolated_db", "snapshot"}
_pg_names = itertools.count(1)


def pytest_terminal_summary(terminalreporter):
    """Say on which engine the run was, and how many tests got a PostgreSQL database of their own."""
    if ON_POSTGRESQL:
        used = next(_pg_names) - 1
        terminalreporter.write_line(f"DANGVIEN_TEST_ENGINE=postgresql: {used} tests ran on a PostgreSQL database "
                                    "of their own")


@pytest.fixture(scope="session")
def pg_template(request):
    """On PostgreSQL: one database migrated to the newest schema, copied (CREATE DATABASE … TEMPLATE) for each
    test; its conninfo."""
    from dangvien_cli.store import postgres

    cluster = request.getfixturevalue("pg_cluster")
    import psycopg

    with psycopg.connect(cluster.conninfo(), autocommit=True) as admin:
        admin.execute('CREATE DATABASE "dv_template"')
    postgres.PostgresDatabase(cluster.conninfo("dv_template"), create=True).close()
    return cluster


@pytest.fixture(autouse=True)
def _test_database(request, tmp_path, monkeypatch, cache_dir, empty_db):
    """Point DANGVIEN_DB at a fresh database and clear the environment that changes behaviour. On PostgreSQL
    (DANGVIEN_TEST_ENGINE=postgresql), for a test that reaches the database (_DATABASE_FIXTURES), the value is
    a new PostgreSQL database's libpq address, not a file."""
    monkeypatch.setenv("DANGVIEN_CACHE_DIR", str(cache_dir))
    for name in ("DANGVIEN_TODAY", "DANGVIEN_CALENDAR", "DANGVIEN_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    if ON_POSTGRESQL and _DATABASE_FIXTURES & set(request.fixturenames):
        import psycopg

        cluster = request.getfixturevalue("pg_template")
        name = f"t{next(_pg_names)}"
        with psycopg.connect(cluster.conninfo(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "dv_template" STRATEGY FILE_COPY')
        conninfo = cluster.conninfo(name)
        monkeypatch.setenv("DANGVIEN_DB", conninfo)
        yield conninfo
        with psycopg.connect(cluster.conninfo(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    path = tmp_path / "test.db"
    shutil.copyfile(empty_db, path)
    path.chmod(0o600)
    monkeypatch.setenv("DANGVIEN_DB", str(path))
    yield path


@pytest.fixture
def isolated_db(_test_database):
    """The test's database (DANGVIEN_DB): a file, or on PostgreSQL a libpq address."""
    return _test_database


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def cli():
    """cli("members", "list", "--format", "json") → Run(exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Run:
        with runner.isolation(input=input) as (out, err, _):
            try:
                command.main(args=[str(a) for a in args], prog_name="dangvien")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
            return Run(code, out.getvalue().decode(), err.getvalue().decode())

    return run


@pytest.fixture
def commune(cli):
    """A commune committee 'TL' with two village cells 'TL.01' and 'TL.02'."""
    assert cli("cells", "add", "Đảng bộ xã Tân Lập", "--code", "TL", "--kind", "commune_committee").exit_code == 0
    assert cli("cells", "add", "Chi bộ thôn Đông", "--code", "TL.01", "--kind", "cell", "--parent", "TL").exit_code == 0
    assert cli("cells", "add", "Chi bộ thôn Tây", "--code", "TL.02", "--kind", "cell", "--parent", "TL").exit_code == 0
    return "TL"


@pytest.fixture(scope="session")
def pg_cluster():
    """One throwaway PostgreSQL cluster for the whole run (tests/pgcluster.py), or a visible skip."""
    from pgcluster import Cluster
    from tools import missing, postgres_bin

    bindir = postgres_bin()
    if bindir is None:
        missing("PostgreSQL server (Debian package postgresql)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing("psycopg (pip install 'psycopg[binary]')")
    cluster = Cluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_database(pg_cluster, request):
    """A fresh, empty PostgreSQL database for one test: its conninfo string."""
    import psycopg

    name = "t_" + "".join(ch if ch.isalnum() else "_" for ch in request.node.name.lower())[:50]
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield pg_cluster.conninfo(name)
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pdf_tools():
    """LibreOffice and pdftotext for the printed-form tests, or a visible skip (a failure under CI)."""
    from tools import program

    program("soffice", package="libreoffice-calc-nogui")
    program("pdftotext", package="poppler-utils")
