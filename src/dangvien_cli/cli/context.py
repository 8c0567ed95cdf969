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

    @property
    def db_given(self) -> str | None:
        """How the clerk named the database (``--db`` or ``DANGVIEN_DB``), or None for the default file."""
        if self.db_option is not None:
            return "--db"
        return "DANGVIEN_DB" if os.environ.get("DANGVIEN_DB") else None

    def database(self, *, create: bool = False) -> Database:
        """The database; a path the clerk named that does not exist is refused (a typo must not look like an
        empty database), unless ``create`` (``db init``). The default file is created on first use."""
        if self._database is None:
            from dangvien_cli.store.database import Database

            path = self.db_path.expanduser()
            given = self.db_given
            if given and not create and not path.exists():
                from dangvien_cli.errors import DatabaseProblem

                how = (f"dangvien --db {path} db init" if given == "--db" else
                       f"DANGVIEN_DB={path} dangvien db init")
                raise DatabaseProblem(f"Chưa có cơ sở dữ liệu ở {path} (đường dẫn lấy từ {given}).",
                                      hint=f"Kiểm tra lại đường dẫn. Nếu muốn tạo cơ sở dữ liệu mới ở đó:\n  {how}")
            self._database = Database(path, create=create or not given)
            from dangvien_cli.cli import output

            self._database.on_wait = output.info
            from dangvien_cli.cli.audit import command_line

            self._database.describe_command = command_line
        return self._database

    def committed(self) -> bool:
        """Whether a write of this command has already been saved (an interrupt after it is not a rollback)."""
        return self._database is not None and self._database.committed

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None


STATE = State()


def database(*, create: bool = False) -> Database:
    """The open database of this invocation (migrated on first use; see State.database for creation)."""
    return STATE.database(create=create)
