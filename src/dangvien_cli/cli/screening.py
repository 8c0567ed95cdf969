"""dangvien screening: the annual screening run (rà soát, sàng lọc đảng viên), domain.md §1.9."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dangvien_cli import vocab
from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, choices, coded
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format
from dangvien_cli.formats import date_vi, number_vi

CHANGES_SHOWN = 20  # new and gone items named one per line; the rest counted

app = typer.Typer(help="Rà soát, sàng lọc đảng viên hằng năm: chạy, xem, ghi quyết định.", no_args_is_help=True)
Opt = typer.Option

def _rule(row: dict) -> str:
    return vocab.SCREENING_RULE.label(row["rule"])


FINDING_COLUMNS = [Col("item_no", "Số mục", rank=0), Col("cell_name", "Chi bộ", rank=3),
                   Col("full_name", "Họ và tên", rank=0), Col("card_number", "Số thẻ", rank=2),
                   Col("rule", "Căn cứ", wrap=True, rank=4, show=_rule), Col("detail", "Chi tiết", wrap=True, rank=0),
                   Col("resolution", "Quyết định", codes=vocab.SCREENING_DECISION, rank=0)]
ORG_COLUMNS = [Col("item_no", "Số mục", rank=0), Col("cell_code", "Mã", rank=0), Col("cell_name", "Tổ chức", rank=1),
               Col("rule", "Căn cứ", wrap=True, rank=0, show=_rule), Col("detail", "Chi tiết", wrap=True, rank=1)]
CSV_COLUMNS = [Col(k, k, show=_rule if k == "rule" else None,
                   codes=vocab.SCREENING_DECISION if k == "resolution" else None)
               for k in ("item_no", "member_id", "card_number", "full_name", "cell_code", "cell_name", "rule",
                         "detail", "suggested_action", "resolution")]


def _is_json(fmt: Format) -> bool:
    return output.VIEW.fmt is Format.json or fmt is Format.json


def _render(data: dict, fmt: Format) -> None:
    if _is_json(fmt):
        # A province-wide run holds tens of thousands of findings: compact JSON (the C encoder).
        output.emit_json(data, compact=True)
        return
    rows = data["findings"] + data["org_findings"]
    if fmt is Format.csv:
        output.emit_csv(rows, CSV_COLUMNS)
        return
    run = data["run_id"] if data["run_id"] is not None else "chạy thử, không lưu"
    output.emit_rows(data["findings"], FINDING_COLUMNS,
                     title=f"Rà soát năm {data['year']} (lần {run}, tính đến {date_vi(data['as_of'])})",
                     empty="Không có mục nào về đảng viên.")
    if data["org_findings"]:
        sys.stdout.write("\n")
        output.emit_rows(data["org_findings"], ORG_COLUMNS, title="Tổ chức đảng")
    output.info(f"{number_vi(len(data['findings']))} mục về đảng viên, {number_vi(len(data['org_findings']))} "
                "mục về tổ chức đảng.")
    changes = data.get("changes")
    if changes:
        output.info(f"So với lần {changes['previous_run_id']}: {number_vi(len(changes['new']))} mục mới, "
                    f"{number_vi(len(changes['gone']))} mục không còn; giữ số mục và "
                    f"{number_vi(changes['decisions_kept'])} quyết định đã ghi.")
        for title, items in (("Mục mới", changes["new"]), ("Mục không còn", changes["gone"])):
            for c in items[:CHANGES_SHOWN]:
                who = c["full_name"] or c["cell_code"] or ""
                decided = (f" (đã quyết định: {vocab.SCREENING_DECISION.label(c['resolution'])})"
                           if c.get("resolution") else "")
                output.info(f"  {title} số {c['item_no']}: {who} — {_rule(c)}{decided}")
            if len(items) > CHANGES_SHOWN:
                output.info(f"  … và {number_vi(len(items) - CHANGES_SHOWN)} {title.lower()} khác "
                            "(xem đủ bằng --format json).")


@app.command("run")
def run(
    year: Annotated[int, Opt("--year", help="Năm rà soát.")],
    as_of: Annotated[str | None, Opt("--as-of", help="Tính đến ngày (mặc định hôm nay).")] = None,
    dry_run: Annotated[bool, Opt("--dry-run", help="Chỉ xem kết quả, không lưu lần rà soát.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Áp dụng mọi căn cứ rà soát mà dữ liệu cho thấy (Điều lệ Đảng; Quy định thi hành Điều lệ
    Đảng, mục 8.1; Quy định 01-QĐ/TW về đảng phí; Quy định 366-QĐ/TW) và lưu kết quả.

    Chạy lại một năm đã rà soát: mục vẫn còn giữ số mục và quyết định đã ghi; lệnh cho biết mục mới và mục
    không còn.

    Ví dụ: dangvien screening run --year 2025 --as-of 15/01/2026 --format json
    """
    from dangvien_cli.services import screening as svc

    with output.progress("Đang rà soát"), database().write(snapshot=True) as conn:
        data = svc.run(conn, year, as_of=as_of, dry_run=dry_run)
        # The JSON is made while a server still checks and stores the findings (store.add_findings), and
        # printed only once they are committed.
        text = output.json_text(data, compact=True) if _is_json(fmt) else None
    if text is None:
        _render(data, fmt)
    else:
        output.emit_text(text)


@app.command("list")
def list_(
    year: Annotated[int | None, Opt("--year", help="Chỉ các lần rà soát của năm này.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Các lần rà soát đã lưu, mới nhất trước.

    Ví dụ: dangvien screening list --year 2025
    """
    from dangvien_cli.services import screening as svc

    with database().read() as conn:
        rows = svc.list_runs(conn, year)
    output.emit_rows(rows, [("run_id", "Lần"), ("year", "Năm"), ("as_of", "Tính đến"), ("finding_count", "Số mục"),
                            ("resolved", "Đã quyết định"), ("previous_run_id", "Lần trước"),
                            ("created_at", "Lúc chạy")], title="Các lần rà soát")


@app.command("show")
def show(
    run_id: Annotated[int | None, typer.Argument(help="Số lần rà soát (mặc định: lần mới nhất).")] = None,
    year: Annotated[int | None, Opt("--year", help="Lần mới nhất của năm này.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Kết quả một lần rà soát đã lưu, kèm quyết định đã ghi; không ghi số lần thì xem lần mới nhất.

    Ví dụ: dangvien screening show --year 2025; dangvien screening show 3 --format json
    """
    from dangvien_cli.services import screening as svc

    with database().read() as conn:
        data = svc.show(conn, run_id, year=year)
    _render(data, fmt)


@app.command("resolve")
def resolve(
    run_id: Annotated[int, typer.Argument(help="Số lần rà soát.")],
    item_no: Annotated[int, typer.Argument(help="Số mục (cột 'Số mục' của 'screening show' và danh sách xuất).")],
    decision: Annotated[str, Opt("--decision", help=choices(vocab.SCREENING_DECISION),
                                 callback=coded(vocab.SCREENING_DECISION, "--decision"))],
    ref: Annotated[str | None, Opt("--ref", help="Số quyết định / nghị quyết (bắt buộc khi xóa tên).")] = None,
    date: Annotated[str | None, Opt("--date", help="Ngày quyết định (mặc định hôm nay).")] = None,
) -> None:
    """Ghi quyết định của cấp ủy về một mục rà soát; removed ghi đảng viên bị xóa tên (Quy định thi hành Điều lệ Đảng, mục 8.1).

    Ví dụ: dangvien screening resolve 3 17 --decision removed --ref 12-QĐ/ĐU --date 20/01/2026
    """
    from dangvien_cli.services import admin
    from dangvien_cli.services import screening as svc

    db = database()
    with admin.copies_before_change(db) as copies, db.write() as conn:
        if decision == "removed":  # a removal changes the member's status and party age: keep a copy first
            copies.append(admin.safety_copy(db, conn, f"xoa-ten-muc-{item_no}"))
        result = svc.resolve(conn, run_id, item_no, decision=decision, reference=ref, date=date)
    for copy in filter(None, copies):
        output.info(f"Bản sao cơ sở dữ liệu trước khi ghi xóa tên: {copy}")
    output.success(f"Đã ghi quyết định '{vocab.SCREENING_DECISION.label(result['decision'])}' cho mục số "
                   f"{result['item_no']} của lần rà soát {result['run_id']}.")
