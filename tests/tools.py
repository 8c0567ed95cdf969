"""External programs some tests need (LibreOffice, poppler, PostgreSQL): found, or skipped with the reason.

Under CI (``DANGVIEN_REQUIRE_TOOLS=1``, set by .ci/run, which installs them) a missing program fails the test
instead of skipping it, so a green CI run never hides a test that did not run.
"""

from __future__ import annotations

import glob
import os
import shutil

import pytest


def missing(what: str) -> None:
    """Skip (or, under CI, fail) a test that needs a program this machine lacks."""
    if os.environ.get("DANGVIEN_REQUIRE_TOOLS"):
        pytest.fail(f"{what} is required here (DANGVIEN_REQUIRE_TOOLS=1) but was not found")
    pytest.skip(f"{what} not installed")


def program(name: str, *, package: str) -> str:
    """The path of ``name`` on PATH, or skip naming the Debian package that brings it."""
    path = shutil.which(name)
    if path is None:
        missing(f"'{name}' (Debian package {package})")
    return path


def postgres_bin() -> str | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), newest version first."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return os.path.dirname(found[0])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None
