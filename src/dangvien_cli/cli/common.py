"""Options shared by the command modules."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.output import Format


def _set_format(value: Format | None) -> Format | None:
    """The output sink owns the format: the option tells it once, commands need not pass it on."""
    if value is not None:
        output.VIEW.fmt = Format(value)
    return value


def set_limit(value: int | None) -> int | None:
    """For a command whose own ``--limit`` also sizes the table page."""
    if value is not None:
        output.VIEW.limit = value
    return value


FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="Cách in kết quả: table (bảng), json (cho script) hoặc csv "
                         "(mở bằng Excel).", callback=_set_format)
]


def history_columns(*, subject: bool = False) -> list:
    """The columns of a history (members history, cells show, db log): events, fields and coded values in
    Vietnamese, times in Vietnam's time; ``subject`` adds what each line is about (db log)."""
    from dangvien_cli import vocab
    from dangvien_cli.cli.output import Col

    cols = [Col("created_at", "Lúc ghi", rank=0)]
    if subject:
        cols += [Col("kind", "Loại", codes=vocab.LOG_KIND, rank=3), Col("subject", "Mã", rank=0)]
    cols += [Col("event", "Sự kiện", rank=0, show=lambda r: vocab.event_label(r.get("event"))),
             Col("field", "Trường", rank=2, show=lambda r: vocab.field_label(r.get("field"))),
             Col("old_value", "Cũ", wrap=True, rank=1, show=lambda r: vocab.value_label(r.get("field"), r.get("old_value"))),
             Col("new_value", "Mới", wrap=True, rank=1, show=lambda r: vocab.value_label(r.get("field"), r.get("new_value")))]
    if not subject:
        cols += [Col("effective_date", "Ngày hiệu lực", rank=4), Col("reference", "Căn cứ", wrap=True, rank=5)]
    cols.append(Col("source", "Nguồn", rank=6))
    return cols


def choices(codes) -> str:  # noqa: ANN001 - a vocab.CodeList
    """An option's help: every code with its Vietnamese label, and that either may be typed."""
    return f"{codes.help()} (gõ mã hoặc chữ Việt, không cần dấu)."


def coded(codes, option: str, *, keep: tuple[str, ...] = ()):  # noqa: ANN001, ANN201 - a vocab.CodeList
    """An option callback: the English code the typed word means (``--reason tuoi`` → ``age``; ``--gender nu``
    → ``female``), refusing with the choices otherwise; ``keep`` are extra words passed on as they are."""

    def parse(value: str | None) -> str | None:
        if value is None or value in keep:
            return value
        return codes.parse(value, option=option)

    return parse


def full_day(value: str | None, option: str, default=None):  # noqa: ANN001, ANN201 - a date or the default
    """A whole day (dd/mm/yyyy) typed for ``option``, or ``default`` when none was typed; refused naming the
    option when it is not a date or only a month or a year."""
    from datetime import date

    from dangvien_cli.errors import InvalidValue
    from dangvien_cli.rules.dates import DateError, parse_date

    if value is None:
        return default
    hint = f"Ghi ngày dạng dd/mm/yyyy, ví dụ {option} 31/12/2025."
    try:
        iso = parse_date(value)
    except DateError as exc:
        raise InvalidValue(f"{option}: {exc}", hint=hint) from None
    if iso is None or len(iso) != 10:
        raise InvalidValue(f"{option} '{value}' chưa đủ ngày, tháng, năm.", hint=hint)
    return date.fromisoformat(iso)
