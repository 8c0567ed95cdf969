"""The root command: global options, sub-apps, and the one seam where errors become messages and exit codes.

Nothing here imports SQLAlchemy: ``dangvien --help`` costs about what importing typer and rich costs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from dangvien_cli import __version__
from dangvien_cli.cli import output
from dangvien_cli.cli.context import STATE
from dangvien_cli.errors import DangvienError


class RootGroup(TyperGroup):
    """Turns every domain error into one Vietnamese message and the exit code of contract.md."""

    def invoke(self, ctx):  # noqa: ANN001 - typer's Context
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except DangvienError as exc:
            output.error(exc.message, exc.hint)
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:
            # The reader (head, less) stopped reading: nothing is wrong. Silence the final flush too.
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            if STATE.committed():
                output.error("Đã dừng theo yêu cầu, sau khi đã ghi xong: mọi thay đổi của lệnh này đã được lưu.",
                             "Xem lại bằng 'dangvien db log' trước khi chạy lại lệnh.")
            else:
                output.error("Đã dừng theo yêu cầu. Không có gì được ghi.")
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, no personal data
            if os.environ.get("DANGVIEN_DEBUG"):
                raise
            translated = None
            if "dangvien_cli.store.connection" in sys.modules:  # loaded by every command that opened the database
                from dangvien_cli.store.connection import engine_error

                translated = engine_error(exc)
            if translated is None:
                output.error(
                    f"Lỗi không mong đợi ({type(exc).__name__}). Không có gì được ghi dở dang.",
                    "Chạy lại với biến môi trường DANGVIEN_DEBUG=1 để xem chi tiết kỹ thuật và gửi cho người quản trị.",
                )
            else:
                output.error(translated.message, translated.hint)
            raise typer.Exit(1) from None
        finally:
            STATE.close()


app = typer.Typer(
    cls=RootGroup,
    name="dangvien",
    help="Quản lý tổ chức đảng, đảng viên, kết nạp, xếp loại và rà soát hằng năm.\n\n"
    "Ví dụ: dangvien members list --cell CB01",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dangvien {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Tệp cơ sở dữ liệu (mặc định: biến DANGVIEN_DB, rồi dangvien.db trong thư mục "
                     "dữ liệu của người dùng).", dir_okay=False),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát.")
    ] = False,
) -> None:
    """Quản lý tổ chức đảng, đảng viên, kết nạp, xếp loại và rà soát hằng năm."""
    STATE.db_option = db


# name → (module, attribute) of every command group. Only the group a command line names is imported and
# built: Typer turns every command of every registered group into a click command on each start (reading
# each signature), which for all groups costs more than the yearly screening's own Python work.
GROUPS: dict[str, tuple[str, str]] = {
    "db": ("dangvien_cli.cli.db", "app"),
    "cells": ("dangvien_cli.cli.cells", "app"),
    "members": ("dangvien_cli.cli.members", "app"),
    "settings": ("dangvien_cli.cli.settings", "app"),
    "import": ("dangvien_cli.cli.imports", "app"),
    "export": ("dangvien_cli.cli.export", "app"),
    "admissions": ("dangvien_cli.cli.admissions", "app"),
    "reports": ("dangvien_cli.cli.reports", "app"),
    "ratings": ("dangvien_cli.cli.ratings", "app"),
    "screening": ("dangvien_cli.cli.screening", "app"),
    "badges": ("dangvien_cli.cli.badges", "app"),
    "attendance": ("dangvien_cli.cli.books", "attendance_app"),
    "dues": ("dangvien_cli.cli.books", "dues_app"),
    "check": ("dangvien_cli.cli.check", "app"),
    "dossier": ("dangvien_cli.cli.dossier", "app"),
    "rules": ("dangvien_cli.cli.rules", "app"),
}
_registered: set[str] = set()


def register(names: set[str] | None = None) -> typer.Typer:
    """Add the command groups ``names`` (all when None) to the root app, once each; returns the app."""
    from importlib import import_module

    for name, (module, attr) in GROUPS.items():
        if name not in _registered and (names is None or name in names):
            app.add_typer(getattr(import_module(module), attr), name=name)
            _registered.add(name)
    return app


def wanted_groups(argv: list[str]) -> set[str] | None:
    """The one group a command line runs, or None when it needs them all (root help, version, a typo that
    deserves the full list of commands)."""
    args = iter(argv)
    for token in args:
        if token == "--db":
            next(args, None)
        elif token.startswith("-"):
            if not token.startswith("--db="):
                return None
        else:
            return {token} if token in GROUPS else None
    return None


def main() -> None:
    register(wanted_groups(sys.argv[1:]))
    app(prog_name="dangvien")
