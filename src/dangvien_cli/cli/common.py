"""Options shared by the command modules."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli.cli.output import Format

FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="Cách in kết quả: table (bảng), json (cho script) hoặc csv.")
]
