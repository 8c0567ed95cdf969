"""dangvien attendance / dues: the monthly books, one month by hand (contract.md "Monthly books")."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli import vocab
from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, choices, coded
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Format
from dangvien_cli.formats import date_vi, money_vi

attendance_app = typer.Typer(help="Sổ sinh hoạt chi bộ: ghi từng tháng (nhập cả năm: 'dangvien import attendance').",
                             no_args_is_help=True)
dues_app = typer.Typer(help="Sổ đảng phí: ghi từng tháng (nhập cả năm: 'dangvien import dues').",
                       no_args_is_help=True)
Opt = typer.Option
RefArg = Annotated[str, typer.Argument(help="Mã số, số thẻ đảng viên hoặc số định danh cá nhân (12 số).")]
YearOpt = Annotated[int, Opt("--year", help="Năm của sổ.")]
MonthOpt = Annotated[int, Opt("--month", help="Tháng (1–12).")]

_BOOK_COLUMNS = [("month", "Tháng"), ("attendance", "Sinh hoạt"), ("dues", "Đảng phí"), ("amount", "Số tiền")]


@attendance_app.command("set")
def attendance_set(
    ref: RefArg, year: YearOpt, month: MonthOpt,
    mark: Annotated[str, Opt("--mark", help=choices(vocab.ATTENDANCE),
                             callback=coded(vocab.ATTENDANCE, "--mark"))],
) -> None:
    """Ghi sinh hoạt chi bộ một tháng của một đảng viên.

    Ví dụ: dangvien attendance set 08012345 --year 2025 --month 3 --mark k
    """
    from dangvien_cli.services import books as svc

    with database().write() as conn:
        result = svc.set_attendance(conn, ref, year=year, month=month, mark=mark)
    output.success(f"Đã ghi tháng {month}/{year} của đảng viên mã số {result['member_id']}: "
                   f"{vocab.ATTENDANCE.label(result['mark']).lower()}.")


@attendance_app.command("show")
def attendance_show(ref: RefArg, year: YearOpt, fmt: FormatOpt = Format.table) -> None:
    """Sổ sinh hoạt và đảng phí một năm của một đảng viên.

    Ví dụ: dangvien attendance show 08012345 --year 2025
    """
    _show(ref, year, fmt)


@dues_app.command("show")
def dues_show(ref: RefArg, year: YearOpt, fmt: FormatOpt = Format.table) -> None:
    """Sổ sinh hoạt và đảng phí một năm của một đảng viên.

    Ví dụ: dangvien dues show 08012345 --year 2025
    """
    _show(ref, year, fmt)


def _show(ref: str, year: int, fmt: Format) -> None:
    from dangvien_cli.services import books as svc

    with database().read() as conn:
        data = svc.get_books(conn, ref, year)
    att, dues, amounts = data["attendance"] or svc.EMPTY, data["dues"] or svc.EMPTY, data["dues_amounts"] or []
    rows = [{"month": m, "attendance": vocab.ATTENDANCE.label(att[m - 1]), "dues": vocab.DUES.label(dues[m - 1]),
             "amount": money_vi(amounts[m - 1]) if amounts and amounts[m - 1] else None} for m in range(1, 13)]
    output.emit_rows(rows, _BOOK_COLUMNS, title=f"{data['full_name']} — năm {year}", json_data=data)


@dues_app.command("set")
def dues_set(
    ref: RefArg, year: YearOpt, month: MonthOpt,
    amount: Annotated[int | None, Opt("--amount", help="Số tiền đã đóng (đồng); 0 = chưa đóng.")] = None,
    exempt: Annotated[bool, Opt("--exempt", help="Được miễn đảng phí tháng này (§4).")] = False,
    unpaid: Annotated[bool, Opt("--unpaid", help="Chưa đóng tháng này.")] = False,
) -> None:
    """Ghi đảng phí một tháng của một đảng viên: số tiền, --exempt (miễn) hoặc --unpaid (chưa đóng).

    Ví dụ: dangvien dues set 08012345 --year 2025 --month 3 --amount 50000
    """
    from dangvien_cli.services import books as svc

    with database().write() as conn:
        result = svc.set_dues(conn, ref, year=year, month=month, amount=amount, exempt=exempt, unpaid=unpaid)
    what = f"đã đóng {money_vi(result['amount'])}" if result["mark"] == "p" else vocab.DUES.label(result["mark"]).lower()
    output.success(f"Đã ghi đảng phí tháng {month}/{year} của đảng viên mã số {result['member_id']}: {what}.")


# --- the dues each member owes (Quy định 01-QĐ/TW from 1/2/2026, Quyết định 342-QĐ/TW before; domain.md §4) -------

FromOpt = Annotated[str, Opt("--from", help="Từ ngày (dd/mm/yyyy).")]
RefDocOpt = Annotated[str | None, Opt("--ref", help="Số, ngày văn bản (nghị quyết chi bộ, quyết định).")]


@dues_app.command("category")
def dues_category(
    ref: RefArg, valid_from: FromOpt,
    category: Annotated[str, Opt("--category", help=choices(vocab.DUES_CATEGORY),
                                 callback=coded(vocab.DUES_CATEGORY, "--category"))],
    base: Annotated[int | None, Opt("--base", help="Mức căn cứ hằng tháng (đồng): tiền lương đóng bảo hiểm xã "
                                    "hội, lương hưu; với đảng viên không tham gia bảo hiểm: lương tối thiểu vùng "
                                    "nếu khác thiết lập dues.regional_minimum_wage.")] = None,
    reference: RefDocOpt = None,
) -> None:
    """Ghi diện đóng đảng phí của một đảng viên từ một ngày (diện trước đó kết thúc hôm trước).

    Số phải đóng mỗi tháng tính theo diện và quy định có hiệu lực tháng đó: Quyết định 342-QĐ/TW đến
    31/01/2026, Quy định 01-QĐ/TW từ 01/02/2026 (xem 'dangvien rules list').

    Ví dụ: dangvien dues category 08012345 --category insured --base 6500000 --from 01/01/2026
    """
    from dangvien_cli.services import dues as svc

    with database().write() as conn:
        result = svc.set_category(conn, ref, category=category, valid_from=valid_from, base=base,
                                  reference=reference)
    extra = f", mức căn cứ {money_vi(result['base'])}" if result["base"] is not None else ""
    output.success(f"Đã ghi diện đóng đảng phí của đảng viên mã số {result['member_id']} từ ngày "
                   f"{date_vi(result['valid_from'])}: {vocab.DUES_CATEGORY.label(result['category']).lower()}{extra}.")


@dues_app.command("reduce")
def dues_reduce(
    ref: RefArg, valid_from: FromOpt,
    valid_to: Annotated[str, Opt("--to", help="Đến ngày (dd/mm/yyyy), tối đa 12 tháng.")],
    percent: Annotated[int, Opt("--percent", help="Mức giảm: 30, 50 hoặc 70 (phần trăm).")],
    reference: RefDocOpt = None,
) -> None:
    """Ghi quyết định giảm đảng phí 30 %, 50 % hoặc 70 %, tối đa 12 tháng một lần (Quy định 01-QĐ/TW).

    Ví dụ: dangvien dues reduce 08012345 --percent 50 --from 01/03/2026 --to 28/02/2027 --ref "QĐ 12-QĐ/ĐU"
    """
    from dangvien_cli.services import dues as svc

    with database().write() as conn:
        result = svc.reduce(conn, ref, percent=percent, valid_from=valid_from, valid_to=valid_to,
                            reference=reference)
    output.success(f"Đã ghi giảm {result['percent']} % đảng phí của đảng viên mã số {result['member_id']} "
                   f"từ {date_vi(result['valid_from'])} đến {date_vi(result['valid_to'])}.")


def _month_status(r: dict) -> str:
    if r["status"] in ("short", "over") and r["difference"] is not None:
        return f"{'Thiếu' if r['status'] == 'short' else 'Thừa'} {money_vi(abs(r['difference']))}"
    return vocab.DUES_CHECK.label(r["status"]) if r["status"] else ""


_DUE_COLUMNS = [
    output.Col("month", "Tháng", rank=0),
    output.Col("category", "Diện", codes=vocab.DUES_CATEGORY, wrap=True, rank=3),
    output.Col("due", "Phải đóng", rank=0, show=lambda r: "miễn" if r["exempt"] else money_vi(r["due"])),
    output.Col("basis", "Cách tính", wrap=True, rank=2, show=lambda r: r["basis"] or r["why_unknown"] or ""),
    output.Col("paid", "Đã đóng", rank=0, show=lambda r: money_vi(r["paid"]) if r["mark"] == "p"
               else ("" if r["mark"] == "-" else vocab.DUES.label(r["mark"]))),
    output.Col("status", "Đối chiếu", rank=0, show=_month_status),
    output.Col("citation", "Căn cứ", wrap=True, rank=1),
]


@dues_app.command("due")
def dues_due(ref: RefArg, year: YearOpt, fmt: FormatOpt = Format.table) -> None:
    """Số đảng phí phải đóng từng tháng của một đảng viên, cách tính, văn bản áp dụng, và đối chiếu với sổ.

    Ví dụ: dangvien dues due 08012345 --year 2026
    """
    from dangvien_cli.services import dues as svc

    with database().read() as conn:
        data = svc.member_year(conn, ref, year)
    output.emit_rows(data["months"], _DUE_COLUMNS, json_data=data,
                     title=f"{data['full_name']} — đảng phí năm {year}: phải đóng {money_vi(data['due_total'])}, "
                           f"đã đóng {money_vi(data['paid_total'])}")
    if output.is_table():
        for c in data["categories"]:
            until = f" đến {date_vi(c['valid_to'])}" if c["valid_to"] else ""
            base = f", mức căn cứ {money_vi(c['base'])}" if c["base"] is not None else ""
            output.info(f"Diện từ {date_vi(c['valid_from'])}{until}: "
                        f"{vocab.DUES_CATEGORY.label(c['category']).lower()}{base}.")
        for r in data["reductions"]:
            ref = f" ({r['reference']})" if r["reference"] else ""
            output.info(f"Giảm {r['percent']} % từ {date_vi(r['valid_from'])} đến {date_vi(r['valid_to'])}{ref}.")
        if not data["categories"]:
            output.warn(f"Chưa ghi diện đóng đảng phí: dangvien dues category {data['member_id']} --category ... "
                        "--from dd/mm/yyyy.")
