"""dangvien rules: which regulation each rule of the tool comes from, as of a date."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, full_day
from dangvien_cli.cli.output import Col, Format

app = typer.Typer(help="Các quy tắc chương trình áp dụng và văn bản quy định từng quy tắc.", no_args_is_help=True)

COLUMNS = [Col("label", "Quy tắc", wrap=True, rank=0), Col("citation", "Văn bản", wrap=True, rank=0),
           Col("since_vi", "Từ ngày", rank=2), Col("value", "Nội dung", wrap=True, rank=1),
           Col("confidence_vi", "Độ chắc chắn", rank=1), Col("doubt", "Vì sao chưa chắc", wrap=True, rank=3)]


@app.command("list")
def list_rules(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Xem quy định có hiệu lực vào ngày này "
                                              "(mặc định hôm nay).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Mỗi quy tắc chương trình áp dụng: văn bản và mục quy định, ngày có hiệu lực, nội dung, độ chắc chắn.

    Một việc được xét theo quy định có hiệu lực vào ngày của việc đó (một bước kết nạp theo ngày của bước,
    một lần rà soát theo năm rà soát). Quy tắc có độ chắc chắn thấp ghi rõ lý do và thiết lập để cấp ủy sửa.

    Ví dụ: dangvien rules list --as-of 01/03/2025
    """

    from dangvien_cli.rules import regulations
    from dangvien_cli.rules.dates import format_vi, today

    day = full_day(as_of, "--as-of", today())
    rows = regulations.listing(day)
    display = [r | {"since_vi": format_vi(r["since"]), "confidence_vi": regulations.CONFIDENCE[r["confidence"]],
                    "doubt": (r["doubt"] or "") + (f" (thiết lập {r['setting']})" if r["setting"] and r["doubt"]
                                                   else "")} for r in rows]
    output.emit_rows(display, COLUMNS, title=f"Quy tắc áp dụng ngày {format_vi(day.isoformat())}",
                     json_data={"as_of": day.isoformat(), "rules": rows})
    if output.is_table():
        # The doubt is the point of the list: said under the table too, where a narrow screen hides its column.
        low = [r for r in display if r["confidence"] == "low"]
        if low:
            output.warn(f"{len(low)} quy tắc có độ chắc chắn thấp (cấp ủy kiểm tra, sửa bằng thiết lập nếu văn bản "
                        "khác):")
            for r in low:
                output.info(f"- {r['label']} ({r['citation']}): {r['doubt']}.")
