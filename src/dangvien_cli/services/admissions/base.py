"""What every part of the admissions service shares: the labels, and how a refusal cites its regulation."""

from __future__ import annotations

from datetime import date as Date

from dangvien_cli.errors import RuleViolation
from dangvien_cli.rules import admission as rules

# Steps a clerk records with `admissions record` (contract.md), in dossier order: every step of the rules up
# to the ceremony (recognition has its own command).
RECORDABLE = rules.STEPS[:-1]
STEP_LABELS = dict(rules.STEP_LABELS_VI) | {
    "biography_verified": "thẩm tra lý lịch người vào Đảng",
    "recognition_resolution": "nghị quyết chi bộ đề nghị công nhận chính thức",
    "recognition": "công nhận đảng viên chính thức",
}
STATUSES = {
    "following": "Đang bồi dưỡng",
    "probationary": "Đảng viên dự bị",
    "official": "Đảng viên chính thức",
    "not_recognized": "Không được công nhận chính thức",
    "withdrawn": "Thôi theo dõi",
}
WHAT_LABELS = {
    "certificate_expiry": "Giấy chứng nhận nhận thức về Đảng hết hạn",
    "decision": "Quyết định kết nạp",
    "ceremony": "Lễ kết nạp",
    "probation_end": "Hết 12 tháng dự bị",
    "recognition": "Xét công nhận chính thức",
}
NOT_RECOGNIZED_GROUND = "không được công nhận đảng viên chính thức"


def refuse(message: str, source: str | None, rule: str, hint: str | None = None) -> RuleViolation:
    """A refusal of the admissions service: ``source`` is the regulation the clerk reads (None for a refusal
    that is the tool's own bookkeeping), ``rule`` the section of domain.md that quotes it."""
    if source is None:
        return RuleViolation(message, hint=hint, rule=rule)
    return rules.refusal(message, source, rule=rule, hint=hint)


def day(iso: str) -> Date:
    return Date.fromisoformat(iso)
