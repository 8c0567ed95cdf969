"""Annual quality rating of members and organizations (domain.md §2).

- Four levels (QĐ 124 Art. 12; QĐ 366 Art. 11): HTXSNV, HTTNV, HTNV, KHTNV; or "not rated" with its reason.
- Not rated (QĐ 124 Art. 5.2; HD 21-2019): members exempt from work and activity, members suspended, members
  admitted less than 6 months before the year's end (setting ``rating.min_months_since_admission``). A level is
  refused for them, with the reason.
- Score 0–100 (QĐ 366). A score outside the band of the level gives a warning, not a refusal: the bands are
  for individuals and collectives add conditions of their own (§2 table).
- Quota: HTXSNV may not exceed 20 % of those rated HTTNV within a committee (setting
  ``rating.excellent_quota_percent``); ``summary`` shows every organization over it.
- Every change of a member's rating leaves a member_events row (style.md idiom 7).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dangvien_cli.errors import InvalidValue, RuleViolation
from dangvien_cli.rules.dates import add_months, earliest, format_vi, latest
from dangvien_cli.services.file_import import MemberMatcher, read_row, read_rows, record_import, reject
from dangvien_cli.services.values import check_year
from dangvien_cli.store import audit, cells, imports
from dangvien_cli.store import ratings as store
from dangvien_cli.store.connection import Connection, Record
from dangvien_cli.store.database import now_iso
from dangvien_cli.store.members import by_ref
from dangvien_cli.text import normalize_text
from dangvien_cli.vocab import NOT_RATED_REASON, RATING_LEVEL, SCORE_BANDS, score_in_band
from dangvien_cli.vocab.marks import rating_value


def not_rated_reason(status: str, admission_date: str | None, exemptions: list[tuple], year: int,
                     min_months: int) -> str | None:
    """Why a member may not be rated for ``year`` (§2), or None when a level may be given.

    ``exemptions`` are ``(kind, start_date, end_date, ended_date)``; an exemption from work and activity that
    runs over the year's end means not rated; without exemption records the member's status decides.
    """
    year_end = date(year, 12, 31)
    for kind, start, end, ended in exemptions:
        if kind != "exempt":
            continue
        stop = ended or end
        if earliest(start) <= year_end and (stop is None or earliest(stop) > year_end):
            return "exempt"
    if not exemptions and status == "exempt":
        return "exempt"
    if status == "suspended":
        return "suspended"
    if admission_date and latest(admission_date) > add_months(year_end, -min_months):
        return "new_member"
    return None


def _level_label(level: str | None, reason: str | None) -> str | None:
    if level:
        return level
    if reason:
        return f"Không xếp loại ({NOT_RATED_REASON.label(reason)})"
    return None


def set_rating(conn: Connection, ref: str | int, *, year: int, level: str | None = None,
               not_rated: str | None = None, score: float | None = None, proposed_by: str | None = None,
               approved_by: str | None = None, source: str = "ratings set", import_id: int | None = None,
               member: Record | None = None, settings: dict | None = None) -> dict:
    """Record a member's rating for ``year``; returns the row as a dict plus ``warnings`` and ``changed``."""
    from dangvien_cli.services.settings import effective

    check_year(year)
    member = member or by_ref(conn, ref)
    if (level is None) == (not_rated is None):
        raise InvalidValue("Ghi đúng một trong hai: --level MỨC hoặc --not-rated LÝ_DO.",
                           hint="Mức: HTXSNV, HTTNV, HTNV, KHTNV; lý do: " + ", ".join(NOT_RATED_REASON.codes) + ".")
    if level is not None:
        try:
            level, reason_from_text = rating_value(level)
        except ValueError as exc:
            raise InvalidValue(str(exc) + ".") from None
        if level is None:
            not_rated = reason_from_text
    if not_rated is not None:
        not_rated = NOT_RATED_REASON.parse(not_rated)
    if member.admission_date and earliest(member.admission_date) > date(year, 12, 31):
        raise RuleViolation(f"Đảng viên mã số {member.id} vào Đảng ngày {format_vi(member.admission_date)}, "
                            f"chưa là đảng viên trong năm {year}.", rule="§2")
    settings = settings or effective(conn)
    warnings: list[str] = []
    if level is not None:
        exemptions = store.exemptions_of(conn, member.id)
        reason = not_rated_reason(member.status, member.admission_date, exemptions, year,
                                  settings["rating.min_months_since_admission"])
        if reason is not None:
            raise RuleViolation(
                f"Đảng viên mã số {member.id} không được xếp loại năm {year}: {NOT_RATED_REASON.label(reason).lower()} "
                "(domain.md §2).",
                hint=f"Ghi --not-rated {reason} thay cho mức xếp loại.", rule="§2")
        if score is not None and 0 <= score <= 100:
            low, high = SCORE_BANDS[level]
            if not score_in_band(level, score):
                warnings.append(f"Điểm {score:g} không thuộc khung của mức {level} ({low:g} đến dưới {high:g}, "
                                "QĐ 366).")
    if score is not None and not 0 <= score <= 100:
        raise InvalidValue(f"Điểm {score:g} ngoài thang 0–100 (QĐ 366).")
    row = store.member_rating(conn, member.id, year)
    old = _level_label(row.level, row.not_rated_reason) if row else None
    new = _level_label(level, not_rated)
    values = {"level": level, "not_rated_reason": not_rated, "score": score,
              "proposed_by": normalize_text(proposed_by), "approved_by": normalize_text(approved_by)}
    changed = row is None or any(row[k] != v for k, v in values.items())
    if changed:
        store.put_member_rating(conn, member.id, year, values, source=source, created_at=now_iso())
        audit.member_event(conn, member.id, "rated", source=source, field=f"rating_{year}", old=old,
                           new=new if score is None else f"{new} ({score:g} điểm)", import_id=import_id)
    return {"member_id": member.id, "year": year, **values, "warnings": warnings, "changed": changed,
            "created": old is None}


def list_ratings(conn: Connection, year: int, *, cell: str | None = None) -> list[dict]:
    ids = cells.subtree_ids(conn, cells.find(conn, cell).id) if cell else None
    return [dict(r) for r in store.member_list(conn, year, ids)]


def summary(conn: Connection, year: int) -> dict:
    """Counts per level per organization (each cell, and every committee above it, counting all below), with
    the HTXSNV quota checked on each (§2)."""
    from dangvien_cli.services.settings import effective

    quota = effective(conn)["rating.excellent_quota_percent"]
    by_id = {r.id: r for r in cells.all_cells(conn)}
    per_cell: dict[int, dict[str, int]] = {}
    for cell_id, level, reason, n in store.counts_by_cell(conn, year):
        key = level or "not_rated"
        node = cell_id
        seen = set()
        while node is not None and node not in seen:
            seen.add(node)
            counts = per_cell.setdefault(node, dict.fromkeys([*RATING_LEVEL.codes, "not_rated"], 0))
            counts[key] += n
            node = by_id[node].parent_id
        _ = reason
    rows = []
    for cell_id, counts in per_cell.items():
        c = by_id[cell_id]
        allowed = counts["HTTNV"] * quota / 100
        rows.append({"cell_code": c.code, "cell_name": c.name, "kind": c.kind, **counts,
                     "rated": sum(counts[k] for k in RATING_LEVEL.codes), "excellent_allowed": int(allowed),
                     "over_quota": counts["HTXSNV"] > allowed})
    rows.sort(key=lambda r: r["cell_code"])
    return {"year": year, "quota_percent": quota, "rows": rows,
            "over_quota": [r["cell_code"] for r in rows if r["over_quota"]]}


def set_cell_rating(conn: Connection, cell: str, *, year: int, level: str | None = None,
                    four_good: bool | None = None, note: str | None = None, source: str = "ratings set-cell") -> dict:
    """An organization's rating for ``year`` and its "chi bộ 4 tốt" flag (Nghị quyết 21-NQ/TW, §2)."""
    check_year(year)
    target = cells.find(conn, cell)
    if level is not None:
        try:
            level, reason = rating_value(level)
        except ValueError as exc:
            raise InvalidValue(str(exc) + ".") from None
        if level is None:
            raise InvalidValue("Tổ chức đảng: ghi một trong bốn mức HTXSNV, HTTNV, HTNV, KHTNV.")
    if level is None and four_good is None and note is None:
        raise InvalidValue("Chưa có gì để ghi.", hint="Ghi --level MỨC và/hoặc --four-good / --no-four-good.")
    row = store.cell_rating(conn, target.id, year)
    old = (row.level, row.four_good) if row else (None, 0)
    if row is None:
        row = Record(level=level, four_good=int(bool(four_good)), note=note)
    else:
        if level is not None:
            row["level"] = level
        if four_good is not None:
            row["four_good"] = int(four_good)
        if note is not None:
            row["note"] = normalize_text(note)
    store.put_cell_rating(conn, target.id, year, level=row.level, four_good=row.four_good, note=row.note,
                          source=source, created_at=now_iso())
    if (row.level, row.four_good) != old:
        audit.cell_event(conn, target.id, "rated", source=source, field=f"rating_{year}",
                         old=f"{old[0] or ''}{' / 4 tốt' if old[1] else ''}" or None,
                         new=f"{row.level or ''}{' / 4 tốt' if row.four_good else ''}" or None)
    return {"cell_code": target.code, "cell_name": target.name, "year": year, "level": row.level,
            "four_good": bool(row.four_good), "note": row.note}


def list_cell_ratings(conn: Connection, year: int) -> list[dict]:
    return [dict(r) | {"four_good": bool(r["four_good"])} for r in store.cell_list(conn, year)]


# --- import ------------------------------------------------------------------------------------------------------


def import_ratings(conn: Connection, path: str | Path, year: int, *, sheet: str | None = None) -> dict:
    """Import a year's ratings sheet (full labels or abbreviations; member by card number, else name and birth
    date). All rows are checked first with the same rules as ``ratings set``; any bad row rejects the file
    (InputRejected with every problem, exit 3, nothing written)."""
    from dangvien_cli.services.settings import effective

    check_year(year)
    path = Path(path)
    report, rows = read_rows(path, "ratings", sheet)
    matcher = MemberMatcher(conn)
    settings = effective(conn)
    min_months = settings["rating.min_months_since_admission"]
    errors = report["errors"]
    good: list[tuple[int, int, dict]] = []
    seen: dict[int, int] = {}
    candidates: list[tuple[int, int, str | None, str | None, float | None, dict]] = []
    blank_rows = []
    for excel_row, member, _months, values, row_errors in rows:
        member_id, column = read_row(report, matcher, excel_row, member, row_errors)
        if values.get("blank"):
            blank_rows.append(excel_row)
        level, reason = values.get("rating"), values.get("not_rated_reason")
        score = values.get("score")
        if member_id is not None and (level or reason):
            if member_id in seen:
                errors.append({"row": excel_row, "column": column,
                               "message": f"Đảng viên này đã có ở dòng {seen[member_id]} của tệp"})
                continue
            seen[member_id] = excel_row
            candidates.append((excel_row, member_id, level, reason, score, values))
    # Rules of §2, checked for every matched row before anything is written (one query, not one per row).
    facts = store.member_facts(conn) if candidates else {}
    exemptions = store.all_exemptions(conn)
    year_end = date(year, 12, 31)
    for excel_row, member_id, level, reason, score, _values in candidates:
        status, admission = facts[member_id]
        if admission and earliest(admission) > year_end:
            errors.append({"row": excel_row, "column": "Xếp loại",
                           "message": f"Vào Đảng ngày {format_vi(admission)}, chưa là đảng viên năm {year}"})
            continue
        if level is not None:
            why = not_rated_reason(status, admission, exemptions.get(member_id, []), year, min_months)
            if why is not None:
                errors.append({"row": excel_row, "column": "Xếp loại",
                               "message": f"Không được xếp loại năm {year}: {NOT_RATED_REASON.label(why).lower()} (domain.md §2)"})
                continue
        if level is None and reason is None:
            continue
        proposed = None
        good.append((excel_row, member_id, {"level": level, "not_rated_reason": reason, "score": score,
                                            "proposed_by": proposed}))
    if errors:
        errors.sort(key=lambda e: (e["row"] or 0))
        raise reject(report, "xếp loại")
    if blank_rows:
        report["unchanged"] += len(blank_rows)
        report["warnings"].append(
            f"{len(blank_rows)} dòng chưa ghi xếp loại (dòng {', '.join(map(str, blank_rows[:10]))}"
            f"{'…' if len(blank_rows) > 10 else ''}): không ghi gì cho các đảng viên này.")
    import_id = record_import(conn, "ratings", path, report, year)
    source = f"import ratings {path.name}"
    stamp = now_iso()
    existing = store.year_ratings(conn, year)
    upserts, events = [], []
    for _, member_id, v in good:
        old = existing.get(member_id)
        if v["proposed_by"] is None and old is not None:
            v["proposed_by"] = old[3]  # the sheet has no column for who proposed: what was recorded stays
        new = (v["level"], v["not_rated_reason"], v["score"], v["proposed_by"])
        if old is None:
            report["created"] += 1
        elif old == new:
            report["unchanged"] += 1
            continue
        else:
            report["updated"] += 1
        upserts.append((member_id, year, *new, source, stamp))
        old_label = _level_label(old[0], old[1]) if old else None
        new_label = _level_label(v["level"], v["not_rated_reason"])
        if v["score"] is not None:
            new_label = f"{new_label} ({v['score']:g} điểm)"
        events.append((member_id, "rated", f"rating_{year}", old_label, new_label, None, source, import_id, stamp))
    store.put_member_ratings(conn, upserts)
    imports.member_events(conn, events)
    imports.set_counts(conn, import_id, created=report["created"], updated=report["updated"],
                       unchanged=report["unchanged"])
    report["import_id"] = import_id
    return report


def _text(value: object) -> str | None:
    return normalize_text(None if value is None else str(value))
