"""dangvien screening: the annual screening run (rà soát, sàng lọc đảng viên), domain.md §1.9."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Format

app = typer.Typer(help="Rà soát, sàng lọc đảng viên hằng năm: chạy, xem, ghi quyết định.", no_args_is_help=True)
Opt = typer.Option

FINDING_COLUMNS = [("id", "Số mục"), ("cell_name", "Chi bộ"), ("full_name", "Họ và tên"),
                   ("card_number", "Số thẻ"), ("rule_vi", "Căn cứ"), ("detail", "Chi tiết"),
                   ("resolution_vi", "Quyết định")]
ORG_COLUMNS = [("id", "Số mục"), ("cell_code", "Mã"), ("cell_name", "Tổ chức"), ("rule_vi", "Căn cứ"),
               ("detail", "Chi tiết")]
CSV_COLUMNS = [(k, k) for k in ("id", "member_id", "card_number", "full_name", "cell_code", "cell_name", "rule",
                                "detail", "suggested_action", "resolution")]


def _render(data: dict, fmt: Format) -> None:
    from dangvien_cli.rules.screening import RULE_LABELS_VI
    from dangvien_cli.services.screening import DECISIONS

    if fmt is Format.json:
        # A province-wide run holds tens of thousands of findings: compact JSON goes through the C encoder,
        # about ten times faster than the indented output of output.emit_json. Still UTF-8, stdout only.
        sys.stdout.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        sys.stdout.write("\n")
        sys.stdout.flush()
        return
    rows = data["findings"] + data["org_findings"]
    if fmt is Format.csv:
        output.emit_csv(rows, CSV_COLUMNS)
        return
    shown = [f | {"rule_vi": RULE_LABELS_VI.get(f["rule"], f["rule"]),
                  "resolution_vi": DECISIONS.get(f.get("resolution") or "", "")} for f in data["findings"]]
    run = data["run_id"] if data["run_id"] is not None else "chạy thử, không lưu"
    output.emit_table(shown, FINDING_COLUMNS, title=f"Rà soát năm {data['year']} (lần {run}, tính đến {data['as_of']})")
    if data["org_findings"]:
        orgs = [f | {"rule_vi": RULE_LABELS_VI.get(f["rule"], f["rule"])} for f in data["org_findings"]]
        output.emit_table(orgs, ORG_COLUMNS, title="Tổ chức đảng")
    output.info(f"{len(data['findings'])} mục về đảng viên, {len(data['org_findings'])} mục về tổ chức đảng.")
    changes = data.get("changes")
    if changes:
        output.info(f"So với lần {changes['previous_run_id']}: {len(changes['new'])} mục mới, "
                    f"{len(changes['gone'])} mục không còn.")


@app.command("run")
def run(
    year: Annotated[int, Opt("--year", help="Năm rà soát.")],
    as_of: Annotated[str | None, Opt("--as-of", help="Tính đến ngày (mặc định hôm nay).")] = None,
    dry_run: Annotated[bool, Opt("--dry-run", help="Chỉ xem kết quả, không lưu lần rà soát.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Áp dụng mọi căn cứ rà soát mà dữ liệu cho thấy (§1.3, §1.6–§1.9, §2, §4) và lưu kết quả.

    Ví dụ: dangvien screening run --year 2025 --as-of 15/01/2026 --format json
    """
    from dangvien_cli.services import screening as svc

    # Set-based SQL on a plain sqlite3 connection: the yearly run never loads SQLAlchemy.
    with database().raw_transaction() as conn:
        data = svc.run(conn, year, as_of=as_of, dry_run=dry_run)
    _render(data, fmt)


@app.command("list")
def list_(
    year: Annotated[int | None, Opt("--year", help="Chỉ các lần rà soát của năm này.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Các lần rà soát đã lưu, mới nhất trước.

    Ví dụ: dangvien screening list --year 2025
    """
    from dangvien_cli.services import screening as svc

    with database().transaction() as session:
        rows = svc.list_runs(session, year)
    output.emit_rows(rows, [("run_id", "Lần"), ("year", "Năm"), ("as_of", "Tính đến"), ("finding_count", "Số mục"),
                            ("resolved", "Đã quyết định"), ("previous_run_id", "Lần trước"),
                            ("created_at", "Lúc chạy")], fmt)


@app.command("show")
def show(run_id: Annotated[int, typer.Argument(help="Số lần rà soát.")], fmt: FormatOpt = Format.table) -> None:
    """Kết quả một lần rà soát đã lưu, kèm quyết định đã ghi.

    Ví dụ: dangvien screening show 3 --format json
    """
    from dangvien_cli.services import screening as svc

    with database().transaction() as session:
        data = svc.show(session, run_id)
    _render(data, fmt)


@app.command("resolve")
def resolve(
    run_id: Annotated[int, typer.Argument(help="Số lần rà soát.")],
    finding_id: Annotated[int, typer.Argument(help="Số mục (cột 'Số mục' của 'screening show').")],
    decision: Annotated[str, Opt("--decision", help="kept (giữ lại), warned (nhắc nhở) hoặc removed (xóa tên).")],
    ref: Annotated[str | None, Opt("--ref", help="Số quyết định / nghị quyết (bắt buộc khi xóa tên).")] = None,
    date: Annotated[str | None, Opt("--date", help="Ngày quyết định (mặc định hôm nay).")] = None,
) -> None:
    """Ghi quyết định của cấp ủy về một mục rà soát; removed ghi đảng viên bị xóa tên (§1.9).

    Ví dụ: dangvien screening resolve 3 17 --decision removed --ref 12-QĐ/ĐU --date 20/01/2026
    """
    from dangvien_cli.services import screening as svc

    with database().transaction() as session:
        result = svc.resolve(session, run_id, finding_id, decision=decision, reference=ref, date=date)
    output.success(f"Đã ghi quyết định '{svc.DECISIONS[result['decision']]}' cho mục số {result['finding_id']} "
                   f"của lần rà soát {result['run_id']}.")
