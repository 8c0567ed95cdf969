"""The one output sink: tables, JSON or CSV on stdout; messages on stderr (style.md idiom 3).

JSON goes to stdout alone, UTF-8, never mixed with messages, colour or progress bars (contract.md).
User text is escaped before Rich renders it, so a name like ``[Tổ 1]`` survives. Consoles are built lazily so
tests see the right width and streams.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _stderr_console():
    from rich.console import Console

    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


def _stdout_console():
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def info(message: str) -> None:
    """A message for the clerk (stderr)."""
    _stderr_console().print(message, markup=False)


def success(message: str) -> None:
    from rich.text import Text

    _stderr_console().print(Text(message, style="green"))


def warn(message: str) -> None:
    from rich.text import Text

    _stderr_console().print(Text("Cảnh báo: ", style="bold yellow") + Text(message))


def error(message: str, hint: str | None = None) -> None:
    from rich.text import Text

    console = _stderr_console()
    console.print(Text("Lỗi: ", style="bold red") + Text(message))
    if hint:
        console.print(Text("→ ", style="bold") + Text(hint))


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def emit_csv(rows: Iterable[dict], columns: Sequence[tuple[str, str]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([key for key, _ in columns])
    for row in rows:
        writer.writerow([_plain(row.get(key)) for key, _ in columns])
    sys.stdout.flush()


def emit_table(rows: Sequence[dict], columns: Sequence[tuple[str, str]], title: str | None = None) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False, header_style="bold")
    for _, header in columns:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*(Text(_plain(row.get(key))) for key, _ in columns))
    _stdout_console().print(table)


def emit_rows(rows: Sequence[dict], columns: Sequence[tuple[str, str]], fmt: Format, *,
              title: str | None = None, json_data: Any = None) -> None:
    """Render a list of records. ``json_data`` replaces ``rows`` in JSON when the JSON shape differs."""
    if fmt is Format.json:
        emit_json(rows if json_data is None else json_data)
    elif fmt is Format.csv:
        emit_csv(rows, columns)
    else:
        emit_table(rows, columns, title)
        if not rows:
            info("(không có dòng nào)")


def emit_record(record: dict, labels: Sequence[tuple[str, str]], fmt: Format, *, title: str | None = None,
                json_data: Any = None) -> None:
    """Render one record: label/value pairs as a table, or the record as JSON / one CSV row."""
    if fmt is Format.json:
        emit_json(record if json_data is None else json_data)
    elif fmt is Format.csv:
        emit_csv([record], labels)
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, show_header=False, box=None, pad_edge=False)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for key, label in labels:
            table.add_row(Text(label), Text(_plain(record.get(key))))
        _stdout_console().print(table)
