"""Candidates through to official membership (domain.md §1.1–§1.3).

A candidate (quần chúng ưu tú) is followed by a cell; each step of the dossier is one ``candidate_steps`` row
with its date and reference. The rules themselves live in :mod:`dangvien_cli.rules.admission`; this package
gathers the facts they need, passes the committee's settings, and writes nothing when a rule refuses (the
whole command is one transaction). Refusals cite the regulation and name the option or command that fixes
them. Every statement is in :mod:`dangvien_cli.store.admissions`.

- ``candidates``: open, look up, list, show and withdraw a file;
- ``steps``: record a step — the checks every step shares, then one handler per step (:data:`steps.HANDLERS`);
- ``introducers``: who introduces the candidate;
- ``readmission``: who may come back, when, and the old record brought back;
- ``recognition``: the end of probation — recognition, or removal when not recognized;
- ``deadlines``: the due list;
- ``members``: the member service's own use cases (add, update, leave) called with this connection.

The ceremony makes the candidate a probationary member through ``services.members.add_member``, so every
member check and the 'created' history event apply; the candidate's file is kept and linked
(``candidates.member_id``). Recognition makes the member official from the day the twelve months end (§1.3).
"""

from __future__ import annotations

from dangvien_cli.services.admissions.base import (
    NOT_RECOGNIZED_GROUND,
    RECORDABLE,
)
from dangvien_cli.services.admissions.candidates import (
    CandidateInput,
    add_candidate,
    candidate_dict,
    get_candidate,
    list_candidates,
    show_candidate,
    steps_of,
    withdraw,
)
from dangvien_cli.services.admissions.deadlines import due
from dangvien_cli.services.admissions.readmission import readmission_reason
from dangvien_cli.services.admissions.recognition import recognize, reject
from dangvien_cli.services.admissions.steps import HANDLERS, StepInput, record_step

__all__ = [
    "HANDLERS", "NOT_RECOGNIZED_GROUND", "RECORDABLE", "CandidateInput",
    "StepInput", "add_candidate", "candidate_dict", "due", "get_candidate", "list_candidates", "readmission_reason",
    "recognize", "record_step", "reject", "show_candidate", "steps_of", "withdraw",
]
