"""dangvien attendance / dues: the monthly books, one month by hand (contract.md "Monthly books")."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli import vocab
from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, choices, coded
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Format
from dangvien_cli.formats import money_vi

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
