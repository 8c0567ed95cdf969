"""What every part of the admissions service shares: the steps a clerk records, and how a refusal cites its
regulation. The labels of steps, statuses and deadlines are the vocabulary's (vocab.ADMISSION_STEP, …)."""

from __future__ import annotations

from datetime import date as Date

from dangvien_cli.errors import RuleViolation
from dangvien_cli.rules import admission as rules

# Steps a clerk records with `admissions record` (contract.md), in dossier order: every step of the rules up
# to the ceremony (recognition has its own command).
RECORDABLE = rules.STEPS[:-1]
NOT_RECOGNIZED_GROUND = "không được công nhận đảng viên chính thức"


def refuse(message: str, source: str | None, rule: str, hint: str | None = None) -> RuleViolation:
    """A refusal of the admissions service: ``source`` is the regulation the clerk reads (None for a refusal
    that is the tool's own bookkeeping), ``rule`` the section of domain.md that quotes it."""
    if source is None:
        return RuleViolation(message, hint=hint, rule=rule)
    return rules.refusal(message, source, rule=rule, hint=hint)


def day(iso: str) -> Date:
    return Date.fromisoformat(iso)
