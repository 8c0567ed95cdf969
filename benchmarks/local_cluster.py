"""A throwaway PostgreSQL cluster for the benchmarks' ``--engine postgresql`` runs: the tests' own (tests/pgcluster.py:
initdb in a temporary folder, the server on a Unix socket there, no TCP port), stopped and removed at the end."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from pgcluster import Cluster  # noqa: E402
from tools import postgres_bin  # noqa: E402


@contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    bindir = postgres_bin()
    if bindir is None:
        raise SystemExit("PostgreSQL's server programs are not installed (Debian package postgresql).")
    cluster = Cluster(bindir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def create_database(cluster: Cluster, name: str, template: str | None = None) -> str:
    """A new database on the cluster (a copy of ``template`` if given); its libpq address."""
    import psycopg

    with psycopg.connect(cluster.conninfo(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
    return cluster.conninfo(name)
