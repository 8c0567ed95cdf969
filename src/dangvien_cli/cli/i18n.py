"""Typer's and Click's own words in Vietnamese, through the hooks they offer (no library file is changed).

Typer 0.28 vendors Click as ``typer._click``; three kinds of words reach the clerk:
1. Typer's own (``Options``, ``Commands``, ``Arguments``, ``required``, ``default: …``, ``Missing command.``,
   ``No such command …``, ``Aborted!``) go through ``gettext.gettext`` of the default text domain. We ship a
   catalog for them (``locale/vi/LC_MESSAGES/dangvien.po``, compiled to ``.mo``), make ``dangvien`` the default
   domain and put Vietnamese first in ``LANGUAGE`` (GNU gettext's own variable: messages only, no locale change).
2. The vendored Click writes literal English into help pages (``Usage:``, ``[OPTIONS]``, ``Show this message
   and exit.``, ``TEXT``/``INTEGER``): Click's documented extension points carry our words instead — a
   ``Context`` subclass whose ``formatter_class`` writes Vietnamese, set as every command's ``context_class``.
3. Usage errors (``Missing option``, ``No such option``, ``Did you mean``, ``Try … for help``, ``Invalid
   value``) are Click exceptions; the root command's ``main`` (the error seam) catches them and writes them in
   Vietnamese from the exception's own fields (which parameter, which option, which close matches).
"""

from __future__ import annotations

import gettext
import os
import re
from pathlib import Path

import typer
from typer import _click  # the Click that Typer 0.28 vendors; only its public classes are used here
from typer._click import exceptions as click_errors

from dangvien_cli.sources import cite

DOMAIN = "dangvien"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def install() -> None:
    """Make Typer's gettext calls answer in Vietnamese (idempotent)."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    languages = [x for x in os.environ.get("LANGUAGE", "").split(":") if x and x != "vi"]
    os.environ["LANGUAGE"] = ":".join(["vi", *languages])


# -- help pages ---------------------------------------------------------------------------------------------

_HELP_WORDS = {
    "Show this message and exit.": "Xem hướng dẫn này rồi thoát.",
    "Install completion for the current shell.": "Cài gợi ý lệnh (phím Tab) cho shell đang dùng (bash, zsh).",
    "Show completion for the current shell, to copy it or customize the installation.":
        "In đoạn mã gợi ý lệnh cho shell đang dùng, để chép hoặc tự cài.",
}
_METAVARS = {"<file>": "<tệp>", "<path>": "<tệp>", "<str>": "<chữ>", "<int>": "<số>", "<int range>": "<số>",
             "<float>": "<số>", "<float range>": "<số>", "<bool>": "<có/không>", "TEXT": "CHỮ", "INTEGER": "SỐ", "FLOAT": "SỐ", "PATH": "TỆP", "FILE": "TỆP", "BOOLEAN": "CÓ/KHÔNG",
             "[OPTIONS]": "[TÙY CHỌN]", "COMMAND": "LỆNH", "[ARGS]...": "[THAM SỐ]..."}
_METAVAR_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(_METAVARS, key=len, reverse=True))
                         + r")(?![\w-])")


def _metavars(text: str) -> str:
    text = re.sub(r"\{(\w+)\}", lambda m: m.group(1).upper(), text)  # an argument's name: {ref} → REF
    return _METAVAR_RE.sub(lambda m: _METAVARS[m.group(1)], text)


class HelpFormatter(_click.HelpFormatter):
    """Click's help formatter with the Vietnamese words of usage lines and definition lists."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, _metavars(args), "Cách dùng: " if prefix is None else prefix)

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:  # noqa: ANN001
        rows = [(_metavars(term), cite(_HELP_WORDS.get(text, text))) for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)

    def write_text(self, text: str) -> None:
        super().write_text(cite(text))


class Context(typer.Context):
    formatter_class = HelpFormatter


def localise(command) -> None:  # noqa: ANN001 - a click command
    """Give ``command`` and everything below it the Vietnamese help formatter."""
    command.context_class = Context
    if getattr(command, "subcommand_metavar", None):
        command.subcommand_metavar = "LỆNH [THAM SỐ]..."
    for child in getattr(command, "commands", {}).values():
        localise(child)


# -- usage errors -------------------------------------------------------------------------------------------

_TYPE_NAMES = {"integer": "số nguyên", "int": "số nguyên", "int range": "số nguyên", "float range": "số", "float": "số", "boolean": "có/không (true/false)", "uuid": "UUID",
               "text": "chữ"}
# Click's English sentence → ours; {name} fields are the sentence's own parts.
_MESSAGES = [(re.compile(pattern, re.S), template) for pattern, template in (
    (r"(?P<v>'.*') is not a valid (?P<t>[\w ]+?)\.?(?: Recognized values: .*)?", "{v} không phải {t}."),
    (r"(?P<v>'.*') is not one of (?P<c>.*)\.", "{v} không thuộc các lựa chọn: {c}."),
    (r"(?P<v>.*) is not in the range (?P<r>.*)\.", "{v} nằm ngoài khoảng {r}."),
    (r"Option (?P<o>'.*') requires an argument\.", "Tùy chọn {o} cần một giá trị."),
    (r"Option (?P<o>'.*') requires (?P<n>\d+) arguments\.", "Tùy chọn {o} cần {n} giá trị."),
    (r"Option (?P<o>'.*') does not take a value\.", "Tùy chọn {o} không nhận giá trị."),
    (r"Got unexpected extra arguments? \((?P<a>.*)\)", "Thừa tham số: {a}."),
    (r"(?P<msg>.*)\. Did you mean (?P<s>.*)\?", "{msg}. Có phải ý bạn là {s}?"),
    (r"No such command (?P<c>'.*')\.", "Không có lệnh {c}."),
    (r"Missing command\.", "Thiếu lệnh."),
)]


def _parts(groups: dict[str, str]) -> dict[str, str]:
    if "t" in groups:
        groups["t"] = _TYPE_NAMES.get(groups["t"], groups["t"])
    if "c" in groups:
        groups["c"] = groups["c"].replace("'", "")
    if "msg" in groups:
        groups["msg"] = translate_text(groups["msg"] + ".")[:-1]
    return groups


def translate_text(message: str) -> str:
    for pattern, template in _MESSAGES:
        match = pattern.fullmatch(message)
        if match:
            return template.format(**_parts(match.groupdict()))
    return message


def _hint(exc, ctx) -> str:  # noqa: ANN001
    if exc.param_hint is not None:
        hint = exc.param_hint
    elif exc.param is not None:
        hint = exc.param.get_error_hint(ctx) if ctx is not None else exc.param.name
    else:
        return ""
    if not isinstance(hint, str):
        hint = " / ".join(repr(x) for x in hint)
    return hint


def usage_message(exc: click_errors.UsageError) -> str:
    """The Vietnamese sentence for a Click usage error."""
    ex = click_errors
    ctx = exc.ctx
    if isinstance(exc, ex.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        what = {"option": "tùy chọn", "argument": "tham số"}.get(kind, "giá trị")
        hint = _hint(exc, ctx)
        return f"Thiếu {what} {hint}.".replace("  ", " ")
    if isinstance(exc, ex.NoSuchOption):
        text = f"Không có tùy chọn {exc.option_name}."
        if exc.possibilities:
            text += " Có phải ý bạn là: " + ", ".join(sorted(exc.possibilities)) + "?"
        return text
    if isinstance(exc, ex.BadParameter):
        hint = _hint(exc, ctx)
        detail = translate_text(exc.message)
        return f"Giá trị không hợp lệ cho {hint}: {detail}" if hint else f"Giá trị không hợp lệ: {detail}"
    return translate_text(exc.message)


def help_hint(ctx) -> str | None:  # noqa: ANN001
    if ctx is None or ctx.command.get_help_option(ctx) is None:
        return None
    return f"Xem hướng dẫn: {ctx.command_path} {ctx.help_option_names[0]}"
