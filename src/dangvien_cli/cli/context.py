"""Where the database is, opened lazily so that ``--help`` never loads SQLAlchemy (contract.md "Invocation")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dangvien_cli.store.database import Database


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("dangvien", appauthor=False)) / "dangvien.db"


@dataclass
class State:
    db_option: Path | None = None
    _database: Database | None = None

    @property
    def db_path(self) -> Path:
        if self.db_option is not None:
            return self.db_option
        env = os.environ.get("DANGVIEN_DB")
        if env:
            return Path(env)
        return default_db_path()

    def database(self) -> Database:
        if self._database is None:
            from dangvien_cli.store.database import Database

            self._database = Database(self.db_path.expanduser())
            from dangvien_cli.cli import output

            self._database.on_wait = output.info
        return self._database

    def committed(self) -> bool:
        """Whether a write of this command has already been saved (an interrupt after it is not a rollback)."""
        return self._database is not None and self._database.committed

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None


STATE = State()


def database() -> Database:
    """The open database of this invocation (created and migrated on first use)."""
    return STATE.database()
