"""dangvien ratings: annual quality rating of members and organizations (domain.md §2)."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli import vocab
from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, choices, coded
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format
from dangvien_cli.formats import number_vi, percent_vi

app = typer.Typer(help="Đánh giá, xếp loại chất lượng đảng viên và tổ chức đảng hằng năm (§2).", no_args_is_help=True)
Opt = typer.Option

def _level_vi(row: dict) -> str:
    if row.get("level"):
        return row["level"]
    return f"Không xếp loại ({vocab.NOT_RATED_REASON.label(row.get('not_rated_reason'))})"


LIST_COLUMNS = [Col("member_id", "Mã", rank=0), Col("full_name", "Họ và tên", rank=0),
                Col("card_number", "Số thẻ", rank=3), Col("cell_name", "Chi bộ", rank=2),
                Col("level", "Xếp loại", rank=0, show=_level_vi), Col("score", "Điểm", rank=1),
                Col("approved_by", "Cấp quyết định", rank=4)]
CSV_COLUMNS = [Col(k, k, codes=vocab.NOT_RATED_REASON if k == "not_rated_reason" else None)
               for k in ("member_id", "card_number", "full_name", "cell_code", "cell_name", "year", "level",
                         "not_rated_reason", "score", "proposed_by", "approved_by")]


@app.command("set")
def set_(
    ref: Annotated[str, typer.Argument(help="Mã số, số thẻ đảng viên hoặc số định danh cá nhân.")],
    year: Annotated[int, Opt("--year", help="Năm xếp loại.")],
    level: Annotated[str | None, Opt("--level", help=choices(vocab.RATING_LEVEL),
                                     callback=coded(vocab.RATING_LEVEL, "--level"))] = None,
    not_rated: Annotated[str | None, Opt("--not-rated", help="Không xếp loại, lý do: " + vocab.NOT_RATED_REASON.help()
                                         + ".", callback=coded(vocab.NOT_RATED_REASON, "--not-rated"))] = None,
    score: Annotated[float | None, Opt("--score", help="Điểm 0–100 (QĐ 366).")] = None,
    proposed_by: Annotated[str | None, Opt("--proposed-by", help="Ai đề xuất (ví dụ: Chi bộ thôn Đông).")] = None,
    approved_by: Annotated[str | None, Opt("--approved-by", help="Cấp quyết định (ví dụ: Đảng ủy xã).")] = None,
) -> None:
    """Ghi xếp loại một đảng viên trong một năm; mỗi thay đổi được ghi vào lịch sử.

    Ví dụ: dangvien ratings set 08012345 --year 2025 --level HTTNV --score 82 --approved-by "Đảng ủy xã"
    """
    from dangvien_cli.services import ratings as svc

    with database().write() as conn:
        result = svc.set_rating(conn, ref, year=year, level=level, not_rated=not_rated, score=score,
                                proposed_by=proposed_by, approved_by=approved_by)
    for w in result["warnings"]:
        output.warn(w)
    what = result["level"] or f"không xếp loại ({vocab.NOT_RATED_REASON.label(result['not_rated_reason']).lower()})"
    if result["changed"]:
        output.success(f"Đã ghi xếp loại năm {year} của đảng viên mã số {result['member_id']}: {what}.")
    else:
        output.info("Không có gì thay đổi.")


@app.command("list")
def list_(
    year: Annotated[int, Opt("--year", help="Năm xếp loại.")],
    cell: Annotated[str | None, Opt("--cell", help="Chỉ tổ chức này (kể cả các chi bộ trực thuộc).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Kết quả xếp loại đảng viên của một năm.

    Ví dụ: dangvien ratings list --year 2025 --cell TL.01 --format json
    """
    from dangvien_cli.services import ratings as svc

    with database().read() as conn:
        rows = svc.list_ratings(conn, year, cell=cell)
    output.emit_rows(rows, LIST_COLUMNS, title=f"Xếp loại năm {year} ({number_vi(len(rows))})",
                     csv_columns=CSV_COLUMNS)


@app.command("summary")
def summary(year: Annotated[int, Opt("--year", help="Năm xếp loại.")], fmt: FormatOpt = Format.table) -> None:
    """Số đảng viên mỗi mức theo từng tổ chức, và tổ chức vượt tỷ lệ HTXSNV (20% số HTTNV, §2).

    Ví dụ: dangvien ratings summary --year 2025
    """
    from dangvien_cli.services import ratings as svc

    with database().read() as conn:
        data = svc.summary(conn, year)
    columns = [Col("cell_code", "Mã", rank=0), Col("cell_name", "Tổ chức", rank=5),
               *(Col(k, k, count=True, rank=0) for k in ("HTXSNV", "HTTNV", "HTNV", "KHTNV")),
               Col("not_rated", "Không xếp loại", count=True, rank=2),
               Col("excellent_allowed", "HTXSNV tối đa", count=True, rank=1), Col("over_quota", "Vượt tỷ lệ", rank=0)]
    output.emit_rows(data["rows"], columns, fmt, title=f"Tổng hợp xếp loại năm {year}", json_data=data)
    if fmt is Format.table and data["over_quota"]:
        over = data["over_quota"]
        more = f" và {number_vi(len(over) - 10)} tổ chức khác (cột 'Vượt tỷ lệ')" if len(over) > 10 else ""
        output.warn(f"{number_vi(len(over))} tổ chức vượt tỷ lệ HTXSNV ({percent_vi(data['quota_percent'], 0)} số "
                    f"HTTNV): " + ", ".join(over[:10]) + more + ".")


@app.command("set-cell")
def set_cell(
    cell: Annotated[str, typer.Argument(help="Mã hoặc tên tổ chức đảng.")],
    year: Annotated[int, Opt("--year", help="Năm xếp loại.")],
    level: Annotated[str | None, Opt("--level", help="HTXSNV, HTTNV, HTNV hoặc KHTNV.")] = None,
    four_good: Annotated[bool | None, Opt("--four-good/--no-four-good",
                                          help="Đạt (hay không) danh hiệu \"chi bộ 4 tốt\" (NQ 21-NQ/TW).")] = None,
    note: Annotated[str | None, Opt("--note", help="Ghi chú.")] = None,
) -> None:
    """Ghi xếp loại một tổ chức đảng trong năm, và cờ "chi bộ 4 tốt".

    Ví dụ: dangvien ratings set-cell TL.01 --year 2025 --level HTXSNV --four-good
    """
    from dangvien_cli.services import ratings as svc

    with database().write() as conn:
        result = svc.set_cell_rating(conn, cell, year=year, level=level, four_good=four_good, note=note)
    extra = ", chi bộ 4 tốt" if result["four_good"] else ""
    output.success(f"Đã ghi xếp loại năm {year} của {result['cell_name']}: {result['level'] or 'chưa xếp loại'}{extra}.")


@app.command("list-cells")
def list_cells(year: Annotated[int, Opt("--year", help="Năm xếp loại.")], fmt: FormatOpt = Format.table) -> None:
    """Xếp loại các tổ chức đảng trong năm và cờ "chi bộ 4 tốt".

    Ví dụ: dangvien ratings list-cells --year 2025 --format json
    """
    from dangvien_cli.services import ratings as svc

    with database().read() as conn:
        rows = svc.list_cell_ratings(conn, year)
    output.emit_rows(rows, [("cell_code", "Mã"), ("cell_name", "Tổ chức"), ("level", "Xếp loại"),
                            ("four_good", "Chi bộ 4 tốt"), ("note", "Ghi chú")], fmt)
