"""Typed errors of the library. The CLI maps each to a Vietnamese message and an exit code (contract.md).

Services raise these with a message that already says what is wrong and what to do; they never print.
Messages may name the record the clerk asked about, but never carry personal data of others.
"""

from __future__ import annotations


class DangvienError(Exception):
    """Base: a refusal the clerk can act on. ``exit_code`` follows contract.md."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None, rule: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.rule = rule


class NotFound(DangvienError):
    """A member, cell, candidate or run that does not exist (exit 1)."""


class RuleViolation(DangvienError):
    """Refused by a rule of domain.md; ``rule`` names the section, e.g. '§1.1' (exit 1)."""


class Conflict(DangvienError):
    """A unique fact already held by someone else: card number, personal id, cell code (exit 1)."""


class InvalidValue(DangvienError):
    """A value that cannot be what it claims: a date, a 12-digit id with letters, an unknown code (exit 1)."""


class InputRejected(DangvienError):
    """An input file was rejected as a whole; nothing was written (exit 3). ``report`` is printed as JSON."""

    exit_code = 3

    def __init__(self, message: str, *, report: dict | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.report = report


class DatabaseProblem(DangvienError):
    """The database file is missing, unreadable, or not a dangvien database (exit 1)."""


class DatabaseBusy(DatabaseProblem):
    """Another command holds the write lock longer than the tool waits (exit 1; nothing was written)."""
