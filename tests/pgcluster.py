"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, the server on a Unix socket
there (no TCP port), stopped and removed at the end of the run."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path


class Cluster:
    def __init__(self, bindir: str):
        self.bindir = Path(bindir)
        self.root = Path(tempfile.mkdtemp(prefix="dangvien-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.user = None
        if os.geteuid() == 0:  # initdb refuses to run as root: run the server as the packaged postgres user
            self.user = "postgres"
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self) -> None:
        try:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync")
            # Speed over durability: a test cluster is thrown away at the end.
            options = (f"-k {self.root} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                       "-c full_page_writes=off -c max_connections=60")
            self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")
        except BaseException:  # a cluster that did not start (or an interrupt): leave no folder behind
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.root} dbname={dbname} user=postgres"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
