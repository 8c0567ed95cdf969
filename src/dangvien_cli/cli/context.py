"""Where the database is, opened lazily so that ``--help`` never loads SQLAlchemy (contract.md "Invocation")."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dangvien_cli.store.database import BaseDatabase


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("dangvien", appauthor=False)) / "dangvien.db"


@dataclass
class State:
    #: what ``--db`` said: a file, or a PostgreSQL address (``postgresql://…``, ``host=… dbname=…``)
    db_option: str | None = None
    _database: BaseDatabase | None = None

    @property
    def db_target(self) -> str:
        """The database named by ``--db``, else ``DANGVIEN_DB``, else the default file: a path or an address."""
        if self.db_option is not None:
            return self.db_option
        return os.environ.get("DANGVIEN_DB") or str(default_db_path())

    @property
    def on_server(self) -> bool:
        from dangvien_cli.store.postgres import is_url

        return is_url(self.db_target)

    @property
    def db_path(self) -> Path:
        """The database file (SQLite)."""
        return Path(self.db_target)

    @property
    def db_given(self) -> str | None:
        """How the clerk named the database (``--db`` or ``DANGVIEN_DB``), or None for the default file."""
        if self.db_option is not None:
            return "--db"
        return "DANGVIEN_DB" if os.environ.get("DANGVIEN_DB") else None

    def database(self, *, create: bool = False) -> BaseDatabase:
        """The database; a path the clerk named that does not exist is refused (a typo must not look like an
        empty database), unless ``create`` (``db init``). The default file is created on first use. A server
        database is created by its administrator; ``db init`` gives it the schema."""
        if self._database is None:
            from dangvien_cli.store.database import Database, open_database

            given = self.db_given
            if self.on_server:
                self._database = open_database(self.db_target, create=create)
                return self._configure(self._database)
            path = self.db_path.expanduser()
            if given and not create and not path.exists():
                from dangvien_cli.errors import DatabaseProblem

                how = (f"dangvien --db {path} db init" if given == "--db" else
                       f"DANGVIEN_DB={path} dangvien db init")
                raise DatabaseProblem(f"Chưa có cơ sở dữ liệu ở {path} (đường dẫn lấy từ {given}).",
                                      hint=f"Kiểm tra lại đường dẫn. Nếu muốn tạo cơ sở dữ liệu mới ở đó:\n  {how}")
            self._database = Database(path, create=create or not given)
            self._configure(self._database)
        return self._database

    @staticmethod
    def _configure(db: BaseDatabase) -> BaseDatabase:
        from dangvien_cli.cli import output
        from dangvien_cli.cli.audit import command_line

        db.on_wait = output.info
        db.describe_command = command_line
        return db

    def committed(self) -> bool:
        """Whether a write of this command has already been saved (an interrupt after it is not a rollback)."""
        return self._database is not None and self._database.committed

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
            self._database = None


STATE = State()


def database(*, create: bool = False) -> BaseDatabase:
    """The open database of this invocation (migrated on first use; see State.database for creation)."""
    return STATE.database(create=create)
