"""Scanning every member's dossier for the national database (Công văn 1361-CV/BTCTW; issue 14).

``plan`` lays out the folder tree the guidance names and writes each member's checklist; ``check`` reads a
folder of scanned PDFs back, matches folders to members and files to documents by the naming rule, records
what it finds, and lists what is misnamed, misplaced, duplicated, unreadable or missing. Nothing on disk is
moved or renamed unless the clerk asks (``rename=True``), and a dry run shows the renames first.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dangvien_cli.errors import Conflict, InvalidValue, NotFound
from dangvien_cli.rules import dossier as rules
from dangvien_cli.store import cells as cell_store
from dangvien_cli.store import dossier as store
from dangvien_cli.store import members as member_store
from dangvien_cli.store.connection import Connection
from dangvien_cli.vocab import DOSSIER_STATE

PRIORITY = {1: "Ưu tiên 1", 2: "Ưu tiên 2", 3: "Ưu tiên 3"}


def _scope(conn: Connection, cell: str | None) -> list[int] | None:
    return cell_store.subtree_ids(conn, cell_store.find(conn, cell).id) if cell else None


def _facts(member: dict, counts: dict[str, dict[int, int]]) -> rules.MemberFacts:
    mid = member["id"]
    return rules.MemberFacts(
        official=member["membership"] == "official", status=member["status"],
        readmitted=bool(counts["readmitted"].get(mid)),
        youth_union_introduced=bool(counts["youth_union_introduced"].get(mid)),
        trade_union_introduced=bool(counts["trade_union_introduced"].get(mid)),
        official_transfers=counts["official_transfers"].get(mid, 0),
        temporary_transfers=counts["temporary_transfers"].get(mid, 0),
        badges=counts["badges"].get(mid, 0), posthumous_badges=counts["posthumous_badges"].get(mid, 0),
        exemptions=counts["exemptions"].get(mid, 0), health_exemptions=counts["health_exemptions"].get(mid, 0))


def _members(conn: Connection, cell_ids: list[int] | None) -> list[dict]:
    return [dict(zip(store.MEMBER_COLUMNS, r, strict=True)) for r in store.members(conn, cell_ids)]


@dataclass
class _Checklist:
    """One member's documents: what the record calls for and what is recorded."""

    member: dict
    items: list[dict] = field(default_factory=list)

    def tally(self) -> tuple[int, int, int, int]:
        """(priority-1 required, priority-1 scanned, all required, all scanned); "not applicable" counts as
        not required."""
        return _tally((item["priority"], item["state"]) for item in self.items if item["required"])


def _tally(required: Iterable[tuple[int, str]]) -> tuple[int, int, int, int]:
    """(priority-1 required, priority-1 scanned, all required, all scanned) of the (priority, state) of the
    documents a member must have; a document marked "not applicable" is not counted."""
    p1 = p1_done = total = done = 0
    for priority, state in required:
        if state == "na":
            continue
        total += 1
        done += state == "scanned"
        if priority == 1:
            p1 += 1
            p1_done += state == "scanned"
    return p1, p1_done, total, done


def _checklists(conn: Connection, members: list[dict]) -> list[_Checklist]:
    catalogue = rules.catalogue()
    counts = store.counts(conn)
    recorded = store.documents(conn, [m["id"] for m in members])
    by_member: dict[int, dict[int, tuple]] = {}
    for (mid, no), value in recorded.items():
        by_member.setdefault(mid, {})[no] = value
    out = []
    for member in members:
        needed = rules.required(_facts(member, counts))
        mine = by_member.get(member["id"], {})
        checklist = _Checklist(member)
        for no in sorted(set(needed) | set(mine)):
            doc = catalogue.get(no)
            if doc is None:
                continue
            state, file_name, parts, _source = mine.get(no, ("missing", None, 0, None))
            checklist.items.append({"no": no, "name": doc.name, "priority": doc.priority, "required": no in needed,
                                    "why": needed.get(no), "state": state, "state_label": DOSSIER_STATE.label(state),
                                    "file_name": file_name or doc.file(), "parts": parts})
        out.append(checklist)
    return out


def _cell_figures(conn: Connection, cell_ids: list[int] | None) -> dict[int, list[int]]:
    """Per cell id: [members, members with every priority-1 document scanned, then the four counts of
    ``_tally``], without building the checklists. What the record calls for is the same for every member with
    the same facts (worked out once per distinct facts; most members have none beyond membership and status),
    and only the documents recorded for a member are looked up: a province has 400,000 members, ten million
    checklist lines."""
    catalogue = rules.catalogue()
    counts = store.counts(conn)
    special = set().union(*(set(c) for c in counts.values()))  # members with a fact beyond membership and status
    states: dict[int, dict[int, str]] = {}
    for (mid, no), (state, *_rest) in store.documents(conn).items():
        states.setdefault(mid, {})[no] = state
    needed: dict[object, tuple[list[tuple[int, int]], tuple[int, int, int, int]]] = {}
    seen: Counter = Counter()
    for mid, status, membership, cell_id in store.roll(conn, cell_ids):
        key = _facts({"id": mid, "status": status, "membership": membership}, counts) if mid in special else (
            membership, status)
        found = needed.get(key)
        if found is None:
            facts = key if mid in special else _facts({"id": mid, "status": status, "membership": membership}, counts)
            docs = [(no, catalogue[no].priority) for no in rules.required(facts) if no in catalogue]
            found = needed[key] = (docs, _tally((priority, "missing") for _, priority in docs))
        docs, untouched = found
        mine = states.get(mid)
        seen[cell_id, untouched if mine is None else _tally((p, mine.get(no, "missing")) for no, p in docs)] += 1
    figures: dict[int, list[int]] = {}
    for (cell_id, tally), n in seen.items():
        f = figures.setdefault(cell_id, [0] * 6)
        _plus(f, [n, n * (tally[0] == tally[1]), *(n * t for t in tally)])
    return figures


def _plus(figures: list[int], more: list[int]) -> None:
    for i, value in enumerate(more):
        figures[i] += value


def _percent(done: int, total: int) -> float:
    return round(100.0 * done / total, 1) if total else 100.0


def show(conn: Connection, ref: str) -> dict:
    """One member's dossier checklist."""
    record = member_store.by_ref(conn, ref)
    members = [m for m in _members(conn, [record.cell_id]) if m["id"] == record.id]
    if not members:
        raise NotFound(f"Đảng viên mã số {record.id} không còn trong danh sách đảng viên.",
                       hint="Hồ sơ số hóa chỉ lập cho đảng viên đang trong danh sách.")
    checklist = _checklists(conn, members)[0]
    p1, p1_done, total, done = checklist.tally()
    member = checklist.member
    folder = (f"{member['national_code'] or '<mã tổ chức>'}/"
              f"{rules.member_folder(member['national_id'], member['full_name']) if member['national_id'] else '<số định danh>_<Tên>'}")
    return {"member_id": member["id"], "full_name": member["full_name"], "cell_code": member["cell_code"],
            "folder": folder, "documents": checklist.items,
            "progress": {"priority_1_percent": _percent(p1_done, p1), "all_percent": _percent(done, total),
                         "required": total, "scanned": done}}


def mark(conn: Connection, ref: str, doc_no: int, state: str, file_name: str | None = None) -> dict:
    """Record one document's state by hand (on paper, scanned, missing, not applicable)."""
    if state not in DOSSIER_STATE:
        raise InvalidValue(f"Tình trạng '{state}' không hợp lệ.", hint="Dùng --scanned, --paper, --missing hoặc --na.")
    doc = rules.catalogue().get(doc_no)
    if doc is None:
        raise InvalidValue(f"Không có tài liệu số {doc_no} trong danh mục hồ sơ.",
                           hint="Xem danh mục bằng 'dangvien dossier show MÃ_ĐẢNG_VIÊN'.")
    member = member_store.by_ref(conn, ref)
    store.record(conn, [(member.id, doc_no, state, file_name if state == "scanned" else None,
                         1 if state == "scanned" else 0)], "dossier mark")
    return {"member_id": member.id, "no": doc_no, "name": doc.name, "state": state, "state_label": DOSSIER_STATE.label(state)}


def set_national_code(conn: Connection, cell: str, code: str | None) -> dict:
    """An organization's code in the national database (``cells update --national-code``)."""
    target = cell_store.find(conn, cell)
    text = rules.check_national_code(code) if code else None
    if text:
        holder = store.cell_with_national_code(conn, text)
        if holder and holder[0] != target.code:
            raise Conflict(f"Mã {text} đã là mã của tổ chức '{holder[1]}' ({holder[0]}).",
                           hint="Mỗi tổ chức có một mã riêng trên cơ sở dữ liệu quốc gia; kiểm tra lại mã.")
    old = store.set_national_code(conn, target.id, text)
    from dangvien_cli.store.audit import cell_event

    if old != text:
        cell_event(conn, target.id, "updated", source="cells update", field="national_code", old=old, new=text)
    return {"cell_code": target.code, "national_code": text}


def _progress_line(org, figures: list[int]) -> dict:  # noqa: ANN001 - a cells Record
    members, complete, p1, p1_done, total, done = figures
    return {"cell_code": org.code, "cell_name": org.name, "kind": org.kind, "members": members,
            "members_priority_1_complete": complete, "priority_1_required": p1, "priority_1_scanned": p1_done,
            "documents_required": total, "documents_scanned": done,
            "priority_1_percent": _percent(p1_done, p1), "all_percent": _percent(done, total)}


def progress(conn: Connection, cell: str | None = None) -> dict:
    """Per cell (``rows``: its own members) and per committee above the cells (``committees``: everything under
    it): members, members with every priority-1 document scanned, priority-1 and all-document percentages; and
    the whole scope. ``tree`` is both in the order of the organization tree, each with its ``level`` (0 at the
    top of the scope); a committee's line there sums everything under it."""
    orgs = {c.id: c for c in cell_store.all_cells(conn)}
    own = {orgs[cid].code: figures for cid, figures in _cell_figures(conn, _scope(conn, cell)).items()}
    by_code = {c.code: c for c in orgs.values()}
    top = cell_store.find(conn, cell).id if cell else None

    def path(code: str) -> list[str]:
        """The codes from the top of the scope down to ``code``."""
        out = [by_code[code]]
        while out[-1].id != top and out[-1].parent_id in orgs:
            out.append(orgs[out[-1].parent_id])
        return [o.code for o in reversed(out)]

    under: dict[str, list[int]] = {}
    totals = [0] * 6
    paths = {code: path(code) for code in own}
    for code, figures in own.items():
        for above in paths[code][:-1]:
            _plus(under.setdefault(above, [0] * 6), figures)
        _plus(totals, figures)
    for code, figures in own.items():  # a committee with members of its own counts them too
        if code in under:
            _plus(under[code], figures)
    for code in under:
        paths.setdefault(code, path(code))
    rows = [{k: v for k, v in _progress_line(by_code[c], own[c]).items() if k != "kind"} for c in sorted(own)]
    committees = [_progress_line(by_code[c], under[c]) for c in sorted(under, key=paths.get)]
    tree = [_progress_line(by_code[c], under.get(c) or own[c]) | {"level": len(paths[c]) - 1, "committee": c in under}
            for c in sorted(set(own) | set(under), key=paths.get)]
    return {"cell_code": cell, "rows": rows, "committees": committees, "tree": tree, "members": totals[0],
            "members_priority_1_complete": totals[1], "priority_1_percent": _percent(totals[3], totals[2]),
            "all_percent": _percent(totals[5], totals[4])}


def _private_dir(path: Path) -> bool:
    if path.is_dir():
        return False
    path.mkdir(mode=0o700, parents=True)
    return True


def plan(conn: Connection, root: Path, cell: str | None = None) -> dict:
    """Create ``root/M1.M2.M3.M4.M5/{id}_{Name}/`` for every member in scope and write the checklist there."""
    members = _members(conn, _scope(conn, cell))
    checklists = _checklists(conn, members)
    cell_ids = {m["cell_id"] for m in members if not m["national_code"]}
    without_code = [{"cell_code": c, "cell_name": n} for c, n in store.cells_without_national_code(conn, cell_ids)]
    without_id = [m["id"] for m in members if m["national_code"] and not m["national_id"]]
    created = planned = 0
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    for checklist in checklists:
        m = checklist.member
        if not m["national_code"] or not m["national_id"]:
            continue
        folder = root / m["national_code"] / rules.member_folder(m["national_id"], m["full_name"])
        created += _private_dir(folder)
        _write_checklist(folder / rules.CHECKLIST_NAME, checklist)
        planned += 1
    return {"dir": str(root), "members_planned": planned, "folders_created": created,
            "cells_without_national_code": without_code, "members_without_national_id": without_id}


def _write_checklist(path: Path, checklist: _Checklist) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["STT", "Tên tài liệu", "Tên tệp cần có", "Mức ưu tiên", "Vì sao cần", "Tình trạng"])
            catalogue = rules.catalogue()
            for item in checklist.items:
                writer.writerow([rules.stt(item["no"]), item["name"], catalogue[item["no"]].file(),
                                 PRIORITY[item["priority"]], item["why"] or "", item["state_label"]])
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


_PDF_MAGIC = b"%PDF-"


def _readable_pdf(path: str, size: int) -> bool:
    if size < len(_PDF_MAGIC):
        return False
    try:
        with open(path, "rb") as fh:
            return fh.read(len(_PDF_MAGIC)) == _PDF_MAGIC
    except OSError:
        return False


def check(conn: Connection, root: Path, cell: str | None = None, *, rename: bool = False,
          dry_run: bool = False) -> dict:
    """Read the scanned folder tree back against the record; see the module docstring.

    The folder is walked outside any transaction; what was found is recorded in the one write at the end
    (the caller's transaction), unless ``dry_run``."""
    if not root.is_dir():
        raise NotFound(f"Không có thư mục {root}.", hint="Ghi đúng thư mục chứa các thư mục tổ chức đã scan.")
    members = _members(conn, _scope(conn, cell))
    by_nid = {m["national_id"]: m for m in members if m["national_id"]}
    catalogue = rules.catalogue()
    report: dict = {"dir": str(root), "members_checked": len(members), "files_seen": 0, "matched": 0,
                    "misnamed": [], "misplaced": [], "unknown": [], "duplicates": [], "unreadable": [],
                    "members_without_folder": [], "renamed": []}
    seen_folder: dict[int, str] = {}
    found: dict[int, dict[int, list[tuple[int | None, str]]]] = {}
    renames: list[tuple[str, str]] = []
    for org in os.scandir(root):
        if not org.is_dir():
            report["files_seen"] += 1
            report["unknown"].append(org.path)
            continue
        for folder in os.scandir(org.path):
            if not folder.is_dir():
                report["files_seen"] += 1
                report["unknown"].append(folder.path)
                continue
            match = rules.MEMBER_FOLDER.match(folder.name)
            member = by_nid.get(match.group(1)) if match else None
            if member is None:
                report["unknown"].append(folder.path)
                report["files_seen"] += sum(1 for e in os.scandir(folder.path) if e.is_file())
                continue
            mid = member["id"]
            expected_folder = rules.member_folder(member["national_id"], member["full_name"])
            if folder.name != expected_folder:
                target = os.path.join(org.path, expected_folder)
                report["misnamed"].append({"path": folder.path, "expected": target})
                renames.append((folder.path, target))
            if member["national_code"] != org.name:
                report["misplaced"].append({"path": folder.path, "member_id": mid,
                                            "expected": os.path.join(member["national_code"] or "<mã tổ chức>",
                                                                     expected_folder)})
            if mid in seen_folder:
                report["duplicates"].append({"path": folder.path, "member_id": mid, "other": seen_folder[mid]})
            seen_folder.setdefault(mid, folder.path)
            docs = found.setdefault(mid, {})
            for entry in os.scandir(folder.path):
                if entry.name == rules.CHECKLIST_NAME or entry.name.startswith("."):
                    continue
                report["files_seen"] += 1
                parsed = rules.parse_file(entry.name) if entry.is_file() else None
                if parsed is None or parsed[0] not in catalogue:
                    report["unknown"].append(entry.path)
                    continue
                no, _name, part = parsed
                expected = catalogue[no].file(part)
                report["matched"] += 1
                if entry.name != expected:
                    target = os.path.join(folder.path, expected)
                    report["misnamed"].append({"path": entry.path, "expected": target})
                    renames.append((entry.path, target))
                if not _readable_pdf(entry.path, entry.stat().st_size):
                    report["unreadable"].append(entry.path)
                    continue
                docs.setdefault(no, []).append((part, entry.path))
    for mid, docs in found.items():
        for no, parts in docs.items():
            numbers = [p for p, _ in parts]
            clash = len(set(numbers)) < len(numbers) or (None in numbers and len(numbers) > 1)
            if clash:
                report["duplicates"].extend({"path": path, "member_id": mid, "no": no} for _, path in parts)
    report["members_without_folder"] = [m["id"] for m in members if m["id"] not in seen_folder]
    rows = []
    for m in members:
        if m["id"] in found:
            for no, parts in found[m["id"]].items():
                rows.append((m["id"], no, "scanned", catalogue[no].file(), len(parts)))
    previously = store.documents(conn, [m["id"] for m in members])
    present = {(r[0], r[1]) for r in rows}
    for (mid, no), (state, _f, _p, source) in previously.items():
        if state == "scanned" and source == "dossier check" and (mid, no) not in present and mid in seen_folder:
            rows.append((mid, no, "missing", None, 0))
    if not dry_run:
        store.record(conn, rows, "dossier check")
    if rename:
        report["renamed"] = _rename(renames, dry_run)
    checklists = _checklists(conn, members)
    if dry_run:  # the record is unchanged: show the progress the found files would give
        scanned = {(r[0], r[1]) for r in rows if r[2] == "scanned"}
        for checklist in checklists:
            for item in checklist.items:
                if (checklist.member["id"], item["no"]) in scanned:
                    item["state"] = "scanned"
    totals = [sum(t) for t in zip(*(c.tally() for c in checklists), strict=True)] if checklists else [0, 0, 0, 0]
    report["progress"] = {"priority_1_percent": _percent(totals[1], totals[0]),
                          "all_percent": _percent(totals[3], totals[2])}
    return report


def _rename(renames: list[tuple[str, str]], dry_run: bool) -> list[dict]:
    """Files first, then folders (deepest first), never over an existing file."""
    done = []
    for source, target in sorted(renames, key=lambda r: (os.path.isdir(r[0]), -r[0].count(os.sep))):
        if os.path.exists(target) and os.path.normcase(source) != os.path.normcase(target):
            done.append({"path": source, "expected": target, "done": False, "why": "đã có tệp trùng tên"})
            continue
        if not dry_run:
            os.rename(source, target)
        done.append({"path": source, "expected": target, "done": not dry_run})
    return done
