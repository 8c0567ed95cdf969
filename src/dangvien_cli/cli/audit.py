"""The command line recorded with each write (issue 12, "Audit"), personal data masked.

The line is rebuilt from what click parsed rather than copied from ``sys.argv``: every spelling of an option
(``--name X``, ``--name=X``, an abbreviation) reaches the same parameter, so the rule cannot be dodged.

The rule: only what the clerk typed is shown (defaults are left out), and the value of every parameter that
can carry a person's data is replaced by ``***`` — names, dates of birth, personal ids and card numbers, the
member reference (a card number or personal id is a REF too), places of origin and residence, ethnicity and
religion, occupation and position, notes and grounds. Codes of cells, dates of decisions, reasons, years and
file names stay: they say what was done, and the rows of the log name the member by internal id. As a safety
net for parameters not in the list, any value that is a number of eight digits or more (the length of a card
number or a personal id) is masked too.
"""

from __future__ import annotations

import re
import shlex
from enum import Enum
from typing import Any

MASK = "***"
_LONG_NUMBER = re.compile(r"\d{8,}")

#: parameters (their Python names) whose values are personal data, in every command group
PERSONAL = frozenset({
    "name", "full_name", "other_name", "gender", "birth_date", "national_id", "card_number", "old_id_number",
    "biography_number", "hometown", "birthplace", "residence", "ethnicity", "religion", "occupation", "position",
    "education", "education_general", "education_professional", "political_theory", "note", "ground",
    "destination", "ref", "member", "introducer", "introducers", "search", "youth_union", "scanned",
})
#: groups whose parameters name organizations and settings, never people (a cell's name is public)
IMPERSONAL_GROUPS = frozenset({"cells", "settings", "db"})


def _shown(value: object) -> str:
    if isinstance(value, Enum):
        value = value.value
    text = str(value)
    if _LONG_NUMBER.fullmatch(re.sub(r"[ .]", "", text)):  # a whole value of digits, spaces and dots
        return MASK
    return shlex.quote(text)


def _current_context() -> Any:
    """The context of the command being run (Typer carries its own copy of click)."""
    try:
        from typer._click.globals import get_current_context
    except ImportError:  # a Typer that uses the click package itself
        from click import get_current_context
    return get_current_context(silent=True)


def _parts(ctx: Any, masked: bool) -> list[str]:
    parts: list[str] = []
    for param in ctx.command.params:
        source = ctx.get_parameter_source(param.name)
        if source is None or source.name in ("DEFAULT", "DEFAULT_MAP"):  # only what the clerk typed
            continue
        value = ctx.params.get(param.name)
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        hide = masked and param.name in PERSONAL
        if param.param_type_name == "option":
            if param.is_flag and not param.count:
                flags = param.opts if value else param.secondary_opts
                if flags:
                    parts.append(flags[0])
                continue
            for v in values:
                parts += [param.opts[0], MASK if hide else _shown(v)]
        else:
            parts += [MASK if hide else _shown(v) for v in values]
    return parts


def command_line() -> str:
    """``dangvien members update *** --hometown ***`` for the command being run."""
    ctx = _current_context()
    if ctx is None:
        return "dangvien"
    chain = []
    while ctx is not None:
        chain.append(ctx)
        ctx = ctx.parent
    chain.reverse()
    group = chain[1].info_name if len(chain) > 1 else None
    masked = group not in IMPERSONAL_GROUPS
    words = ["dangvien"]
    for i, c in enumerate(chain):
        if i:
            words.append(c.info_name or "")
        if i:  # the root's own options (--db PATH) say nothing about what was done
            words += _parts(c, masked)
    return " ".join(words)
