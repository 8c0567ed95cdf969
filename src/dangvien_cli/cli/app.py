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
            output.error("Đã dừng theo yêu cầu. Không có gì được ghi dở dang.")
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, no personal data
            if os.environ.get("DANGVIEN_DEBUG"):
                raise
            sqlite3 = sys.modules.get("sqlite3")  # imported only by commands that opened the database
            if sqlite3 is None or not isinstance(exc, sqlite3.OperationalError):
                output.error(
                    f"Lỗi không mong đợi ({type(exc).__name__}). Không có gì được ghi dở dang.",
                    "Chạy lại với biến môi trường DANGVIEN_DEBUG=1 để xem chi tiết kỹ thuật và gửi cho người quản trị.",
                )
                raise typer.Exit(1) from None
            if "locked" in str(exc) or "busy" in str(exc):
                output.error("Cơ sở dữ liệu đang bận (một lệnh khác đang ghi). Không có gì được ghi.",
                             "Chờ lệnh kia xong rồi chạy lại.")
            else:
                output.error("Không đọc/ghi được cơ sở dữ liệu. Không có gì được ghi.",
                             "Kiểm tra tệp, quyền ghi và chỗ trống trên đĩa; chạy 'dangvien db check'.")
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


def _register() -> None:
    from dangvien_cli.cli import cells, db, members, settings

    app.add_typer(db.app, name="db")
    app.add_typer(cells.app, name="cells")
    app.add_typer(members.app, name="members")
    app.add_typer(settings.app, name="settings")
    from dangvien_cli.cli import export, imports

    app.add_typer(imports.app, name="import")
    app.add_typer(export.app, name="export")
    from dangvien_cli.cli import admissions

    app.add_typer(admissions.app, name="admissions")
    from dangvien_cli.cli import reports

    app.add_typer(reports.app, name="reports")
    from dangvien_cli.cli import badges, books, ratings, screening

    app.add_typer(ratings.app, name="ratings")
    app.add_typer(screening.app, name="screening")
    app.add_typer(badges.app, name="badges")
    app.add_typer(books.attendance_app, name="attendance")
    app.add_typer(books.dues_app, name="dues")


_register()


def main() -> None:
    app(prog_name="dangvien")
