"""The root command: global options, sub-apps, and the one seam where errors become messages and exit codes.

Nothing here imports SQLAlchemy: ``dangvien --help`` costs about what importing typer and rich costs.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from typer._click import exceptions as click_errors
from typer.core import TyperGroup
from typer.exceptions import TyperException

from dangvien_cli import __version__
from dangvien_cli.cli import i18n, output
from dangvien_cli.cli.context import STATE
from dangvien_cli.errors import DangvienError

i18n.install()


def _set_wide(value: bool) -> bool:
    output.VIEW.wide = output.VIEW.wide or value
    return value


def _set_columns(value: str | None) -> str | None:
    if value:
        output.VIEW.columns = [c.strip() for c in value.split(",") if c.strip()]
    return value


def _set_all(value: bool) -> bool:
    output.VIEW.all = output.VIEW.all or value
    return value


def _set_limit(value: int | None) -> int | None:
    if value is not None:
        output.VIEW.limit = value
    return value


def _view_params() -> dict[str, object]:
    """The options every listing command takes for the table view (handled by the output sink, not by the
    command): built once by Typer from this signature, then added to each command that has ``--format``."""
    view = typer.Typer(add_completion=False)

    @view.command()
    def _options(
        wide: Annotated[bool, typer.Option("--wide", help="Bảng đủ mọi cột, rộng bao nhiêu cũng được.",
                                           callback=_set_wide, expose_value=False)] = False,
        columns: Annotated[str | None, typer.Option("--columns", help="Chỉ các cột này, theo thứ tự, ví dụ "
                                                    "--columns id,full_name,card_number.",
                                                    callback=_set_columns, expose_value=False)] = None,
        all_rows: Annotated[bool, typer.Option("--all", help="Bảng in mọi dòng (mặc định: một trang màn hình).",
                                               callback=_set_all, expose_value=False)] = False,
        limit: Annotated[int | None, typer.Option("--limit", help="Bảng in N dòng đầu.", min=1,
                                                  callback=_set_limit, expose_value=False)] = None,
    ) -> None:
        """View options."""

    command = typer.main.get_command(view)
    return {p.name: p for p in command.params}


def _add_view_options(command, params: dict[str, object]) -> None:  # noqa: ANN001 - click commands
    for child in getattr(command, "commands", {}).values():
        _add_view_options(child, params)
    names = {p.name for p in getattr(command, "params", [])}
    if "fmt" not in names:
        return
    taken = {opt for p in command.params for opt in getattr(p, "opts", [])}
    for param in params.values():
        if not set(param.opts) & taken:
            command.params.append(param)


def _install_completion(ctx, param, value) -> None:  # noqa: ANN001 - Click's callback signature
    """``--install-completion``: Typer's installer, told in Vietnamese."""
    if not value or ctx.resilient_parsing:
        return
    from typer.completion import install

    shell, path = install(shell=value) if isinstance(value, str) else install()
    output.success(f"Đã cài gợi ý lệnh (phím Tab) cho {shell}: {path}")
    output.info("Mở một cửa sổ dòng lệnh mới để bắt đầu dùng.")
    raise typer.Exit(0)


class RootGroup(TyperGroup):
    """The error seam: every domain error becomes one Vietnamese message and the exit code of contract.md;
    Click's usage errors are written in Vietnamese too (cli/i18n.py)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        i18n.localise(self)
        _add_view_options(self, _view_params())

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # noqa: ANN001
        output.reset()
        for param in self.params:  # Typer adds its completion options after building the group
            if param.name == "install_completion":
                param.callback = _install_completion
        try:
            result = super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                  standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            sys.stderr.write(exc.format_message() + "\n")
            code = exc.exit_code
        except click_errors.UsageError as exc:
            ctx = exc.ctx
            if ctx is not None:
                sys.stderr.write(ctx.get_usage() + "\n")
            output.error(i18n.usage_message(exc), i18n.help_hint(ctx))
            code = exc.exit_code
        except click_errors.ClickException as exc:
            output.error(i18n.translate_text(exc.format_message()))
            code = exc.exit_code
        except typer.Abort:
            output.error("Đã hủy.")
            code = 1
        else:
            code = result if isinstance(result, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)

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
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dangvien {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Tệp cơ sở dữ liệu, hoặc địa chỉ máy chủ PostgreSQL (postgresql://… hay "
                     "host=… dbname=…) (mặc định: biến DANGVIEN_DB, rồi dangvien.db trong thư mục "
                     "dữ liệu của người dùng).", metavar="TỆP|ĐỊA_CHỈ"),
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
