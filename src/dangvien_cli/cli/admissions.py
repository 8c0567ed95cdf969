"""dangvien admissions: candidates through to official membership (domain.md §1.1–§1.3)."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli import vocab
from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, choices, coded
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format
from dangvien_cli.formats import number_vi

app = typer.Typer(
    help="Kết nạp đảng viên: theo dõi người vào Đảng qua từng bước, lễ kết nạp, dự bị, công nhận chính thức "
    "và các thời hạn (Điều lệ Đảng, Điều 4–5; QĐ 232-QĐ/TW; HD 12-HD/BTCTW).",
    no_args_is_help=True,
)
Opt = typer.Option

IdArg = Annotated[str, typer.Argument(help="Mã số người vào Đảng (in ra khi 'admissions add').")]
MemberRefArg = Annotated[
    str, typer.Argument(help="Đảng viên dự bị: mã số, số thẻ đảng viên hoặc số định danh cá nhân (12 số).")
]
STEP_HELP = (
    "Bước: course (học lớp nhận thức về Đảng), application (đơn xin vào Đảng), introduced (giới thiệu), "
    "biography_verified (thẩm tra lý lịch), cell_resolution (nghị quyết chi bộ), committee_resolution "
    "(nghị quyết đảng ủy cơ sở), decision (quyết định kết nạp), ceremony (lễ kết nạp: thành đảng viên dự bị)."
)

LIST_COLUMNS = [
    ("id", "Mã"),
    ("full_name", "Họ và tên"),
    ("birth_vi", "Ngày sinh"),
    ("cell_name", "Chi bộ"),
    ("status_vi", "Tình trạng"),
    ("last_vi", "Bước đã ghi"),
    ("next_vi", "Bước tiếp theo"),
    ("member_id", "Mã đảng viên"),
]
def _step(key: str):  # noqa: ANN202
    def label(row: dict) -> str:
        return vocab.ADMISSION_STEP.label(row.get(key))

    return label


def _status(row: dict) -> str:
    return vocab.CANDIDATE_STATUS.label(row.get("status"))


_CSV_SHOW = {"status": _status, "last_step": _step("last_step"), "next_step": _step("next_step")}
CSV_COLUMNS = [
    Col(k, k, codes=vocab.GENDER if k == "gender" else None, show=_CSV_SHOW.get(k))
    for k in (
        "id",
        "full_name",
        "gender",
        "birth_date",
        "national_id",
        "cell_code",
        "cell_name",
        "status",
        "last_step",
        "last_step_date",
        "next_step",
        "member_id",
    )
]
DUE_COLUMNS = [
    Col("due_date", "Hạn", rank=0),
    Col("label", "Việc", rank=0),
    Col("full_name", "Họ và tên", rank=0),
    Col("cell_code", "Chi bộ", rank=1),
    Col("overdue", "Tình trạng", rank=0,
        show=lambda r: f"Quá hạn {r['days_overdue']} ngày" if r["overdue"] else "Sắp đến hạn"),
    Col("candidate_id", "Mã hồ sơ", rank=2),
    Col("member_id", "Mã ĐV", rank=0),
]
DUE_CSV = [
    (k, k)
    for k in ("candidate_id", "member_id", "full_name", "cell_code", "what", "due_date", "overdue", "days_overdue")
]


def _display(row: dict) -> dict:
    from dangvien_cli.rules.dates import format_vi
    from dangvien_cli.vocab import ADMISSION_STEP, CANDIDATE_STATUS

    last = row.get("last_step")
    return row | {
        "birth_vi": format_vi(row.get("birth_date")),
        "status_vi": CANDIDATE_STATUS.label(row.get("status")),
        "last_vi": f"{ADMISSION_STEP.label(last)} ({format_vi(row.get('last_step_date'))})" if last else "",
        "next_vi": ADMISSION_STEP.label(row.get("next_step")),
    }


@app.command("add")
def add(
    name: Annotated[str, Opt("--name", help="Họ và tên.")],
    gender: Annotated[str, Opt("--gender", help=choices(vocab.GENDER),
                               callback=coded(vocab.GENDER, "--gender"))],
    birth_date: Annotated[str, Opt("--birth-date", help="Ngày sinh dd/mm/yyyy.")],
    cell: Annotated[str, Opt("--cell", help="Mã hoặc tên chi bộ theo dõi, bồi dưỡng.")],
    national_id: Annotated[str | None, Opt("--national-id", help="Số định danh cá nhân (CCCD) 12 chữ số.")] = None,
    ethnicity: Annotated[str | None, Opt("--ethnicity", help="Dân tộc.")] = None,
    religion: Annotated[str | None, Opt("--religion", help="Tôn giáo.")] = None,
    hometown: Annotated[str | None, Opt("--hometown", help="Quê quán.")] = None,
    residence: Annotated[str | None, Opt("--residence", help="Nơi ở hiện nay.")] = None,
    occupation: Annotated[str | None, Opt("--occupation", help="Nghề nghiệp.")] = None,
    education: Annotated[str | None, Opt("--education", help="Trình độ giáo dục phổ thông, ví dụ 12/12.")] = None,
    youth_union: Annotated[bool, Opt("--youth-union", help="Là đoàn viên Đoàn TNCS Hồ Chí Minh.")] = False,
    helper: Annotated[
        str | None, Opt("--helper", help="Đảng viên chính thức được phân công giúp đỡ (mã số hoặc số thẻ).")
    ] = None,
    over_60_approval: Annotated[
        str | None,
        Opt(
            "--over-60-approval",
            help="Số, ngày văn bản đồng ý của ban thường vụ tỉnh ủy cho người trên 60 tuổi (HD 01-HD/TW, mục 1.1).",
        ),
    ] = None,
    previous_member: Annotated[
        str | None,
        Opt("--previous-member", help="Kết nạp lại: hồ sơ đảng viên cũ (mã số, số thẻ) của người này (QĐ 232-QĐ/TW, mục 3.5.1)."),
    ] = None,
    note: Annotated[str | None, Opt("--note", help="Ghi chú.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Thêm một quần chúng ưu tú được chi bộ theo dõi; in mã số hồ sơ.

    Ví dụ: dangvien admissions add --name "Lê Thị Hoa" --gender female --birth-date 14/08/1998 --cell TL.01
    """
    from dangvien_cli.services import admissions as svc

    with database().write() as conn:
        candidate = svc.add_candidate(
            conn,
            svc.CandidateInput(
                full_name=name,
                cell=cell,
                birth_date=birth_date,
                gender=gender,
                national_id=national_id,
                ethnicity=ethnicity,
                religion=religion,
                hometown=hometown,
                residence=residence,
                occupation=occupation,
                education_general=education,
                youth_union_member=youth_union,
                helper=helper,
                over_60_approval=over_60_approval,
                previous_member=previous_member,
                note=note,
            ),
        )
        data = svc.candidate_dict(conn, candidate)
    if fmt is Format.json:
        output.emit_json({"id": data["id"], "full_name": data["full_name"], "cell_code": data["cell_code"],
                          "status": data["status"]})
    elif fmt is Format.csv:
        output.emit_csv([data], [("id", "id")])
    else:
        typer.echo(data["id"])
        output.success(f"Đã thêm người vào Đảng {data['full_name']} (mã số hồ sơ {data['id']}).")


@app.command("record")
def record(
    candidate_id: IdArg,
    step: Annotated[str, Opt("--step", help=STEP_HELP)],
    date: Annotated[str, Opt("--date", help="Ngày của bước (dd/mm/yyyy).")],
    introducer: Annotated[
        list[str] | None,
        Opt("--introducer", help="Đảng viên chính thức giới thiệu (mã số, số thẻ); ghi hai lần cho hai người."),
    ] = None,
    together_since: Annotated[
        list[str] | None,
        Opt(
            "--together-since",
            help="Ngày người giới thiệu bắt đầu cùng công tác, học tập, cư trú với người vào Đảng; "
            "một ngày cho mỗi --introducer, cùng thứ tự.",
        ),
    ] = None,
    replacement: Annotated[
        bool,
        Opt("--replacement", help="Người giới thiệu được chi bộ phân công thay (không cần đủ 12 tháng, QĐ 24-QĐ/TW, mục 3.2.2)."),
    ] = False,
    youth_union_resolution: Annotated[
        str | None, Opt("--youth-union-resolution", help="Số nghị quyết giới thiệu của BCH Đoàn cơ sở.")
    ] = None,
    trade_union_resolution: Annotated[
        str | None, Opt("--trade-union-resolution", help="Số nghị quyết giới thiệu của BCH Công đoàn cơ sở.")
    ] = None,
    ref: Annotated[
        str | None,
        Opt("--ref", help="Số văn bản: số nghị quyết, số quyết định, số giấy chứng nhận."),
    ] = None,
    certificate_number: Annotated[
        str | None, Opt("--certificate-number", help="Với course: số giấy chứng nhận (như --ref).")
    ] = None,
    issuer: Annotated[
        str | None,
        Opt("--issuer", help="Nơi cấp giấy chứng nhận (course) hoặc cấp ủy ra quyết định (decision)."),
    ] = None,
    over_60_approval: Annotated[
        str | None, Opt("--over-60-approval", help="Văn bản đồng ý kết nạp người trên 60 tuổi (HD 01-HD/TW, mục 1.1).")
    ] = None,
    previous_reason: Annotated[
        str | None,
        Opt(
            "--previous-reason",
            help="Kết nạp lại, với cell_resolution: mã lý do đã ra khỏi Đảng (resigned, expelled, "
            "dues_unpaid, lost_standing, less_serious_crime_conviction, ...), nếu hồ sơ cũ chưa ghi.",
        ),
    ] = None,
    record_cleared: Annotated[
        str | None, Opt("--record-cleared", help="Kết nạp lại: ngày được xóa án tích (tội ít nghiêm trọng).")
    ] = None,
    family_hardship: Annotated[
        bool, Opt("--family-hardship", help="Kết nạp lại người đã xin ra vì hoàn cảnh gia đình đặc biệt khó khăn.")
    ] = False,
    background_check_exempt: Annotated[
        bool,
        Opt("--background-check-exempt",
            help="Với cell_resolution: chi bộ xét không cần thẩm tra lý lịch vì cha mẹ, anh chị em ruột hoặc con "
            "là đảng viên và đã khai đầy đủ (Hướng dẫn 06-HD/TW, mục 3.4c, từ 09/06/2025)."),
    ] = False,
    note: Annotated[str | None, Opt("--note", help="Ghi chú cho bước này.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Ghi một bước của hồ sơ kết nạp; lễ kết nạp làm người vào Đảng thành đảng viên dự bị.

    Ví dụ: dangvien admissions record 1 --step introduced --date 02/03/2026 --introducer 08012345 --together-since 01/01/2020 --youth-union-resolution 05-NQ/ĐTN
    """
    from dangvien_cli.services import admissions as svc

    if ref and certificate_number and ref != certificate_number:
        output.error("--ref và --certificate-number khác nhau.", "Chỉ ghi một trong hai.")
        raise typer.Exit(2)
    with database().write() as conn:
        result = svc.record_step(
            conn,
            candidate_id,
            svc.StepInput(
                step=step,
                date=date,
                reference=ref or certificate_number,
                issuer=issuer,
                introducers=tuple(introducer or ()),
                together_since=tuple(together_since or ()),
                replacement=replacement,
                youth_union_resolution=youth_union_resolution,
                trade_union_resolution=trade_union_resolution,
                over_60_approval=over_60_approval,
                previous_reason=previous_reason,
                record_cleared=record_cleared,
                family_hardship=family_hardship,
                background_check_exempt=background_check_exempt,
                note=note,
            ),
        )
    for warning in result["warnings"]:
        output.warn(warning)
    if fmt is not Format.table:
        output.emit_record(result, [(k, k) for k in ("candidate_id", "step", "date", "member_id")], fmt)
        return
    from dangvien_cli.rules.dates import format_vi

    output.success(
        f"Đã ghi bước '{vocab.ADMISSION_STEP.label(result['step'])}' ngày {format_vi(result['date'])} "
        f"cho hồ sơ mã số {result['candidate_id']}."
    )
    if result["member_id"]:
        output.success(f"Đã kết nạp: đảng viên dự bị mã số {result['member_id']}.")


@app.command("list")
def list_(
    cell: Annotated[str | None, Opt("--cell", help="Chỉ hồ sơ thuộc tổ chức này (kể cả cấp dưới).")] = None,
    status: Annotated[
        str | None,
        Opt("--status", help="following, probationary, official, not_recognized, withdrawn hoặc all (mặc định)."),
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Danh sách người vào Đảng và bước đã đến.

    Ví dụ: dangvien admissions list --cell TL --status following
    """
    from dangvien_cli.services import admissions as svc

    with database().read() as conn:
        rows = svc.list_candidates(conn, cell=cell, status=status)
    shown = rows if not output.is_table() else [_display(r) for r in rows]
    output.emit_rows(shown, LIST_COLUMNS, title=f"Người vào Đảng ({number_vi(len(rows))})", csv_columns=CSV_COLUMNS)


@app.command("show")
def show(candidate_id: IdArg, fmt: FormatOpt = Format.table) -> None:
    """Hồ sơ một người vào Đảng: các bước, người giới thiệu, thời hạn.

    Ví dụ: dangvien admissions show 1
    """
    from dangvien_cli.rules.dates import format_vi
    from dangvien_cli.services import admissions as svc

    with database().read() as conn:
        data = svc.show_candidate(conn, candidate_id)
    if fmt is not Format.table:
        output.emit_record(data, CSV_COLUMNS, fmt)
        return
    shown = _display(data)
    shown["helper"] = data["helper_name"] or ""
    shown["withdrawn_vi"] = format_vi(data["withdrawn_date"]) if data["withdrawn_date"] else ""
    labels = [
        ("id", "Mã số hồ sơ"),
        ("full_name", "Họ và tên"),
        ("birth_vi", "Ngày sinh"),
        ("national_id", "Số định danh cá nhân"),
        ("cell_name", "Chi bộ"),
        ("helper", "Người giúp đỡ"),
        ("status_vi", "Tình trạng"),
        ("next_vi", "Bước tiếp theo"),
        ("member_id", "Mã đảng viên"),
        ("over_60_approval", "Văn bản đồng ý (trên 60 tuổi)"),
        ("previous_member_id", "Hồ sơ đảng viên cũ"),
    ]
    if data["withdrawn_date"]:
        labels += [("withdrawn_vi", "Thôi theo dõi từ"), ("withdrawn_reason", "Lý do thôi theo dõi")]
    output.emit_record(shown, labels, fmt, title=data["full_name"])
    steps = [
        s
        | {
            "date_vi": format_vi(s["date"]),
            "extra": ", ".join(
                f"{k}: {format_vi(v) if isinstance(v, str) and len(v) == 10 and v[4] == '-' else v}"
                for k, v in s["details"].items()
            ),
        }
        for s in data["steps"]
    ]
    output.emit_table(
        steps,
        [("label", "Bước"), ("date_vi", "Ngày"), ("reference", "Số văn bản"), ("issuer", "Nơi cấp / ban hành"),
         ("extra", "Chi tiết")],
        title="Các bước",
    )
    if data["introducers"]:
        intro = [
            i
            | {
                "who": i["full_name"] or {"youth_union": "BCH Đoàn cơ sở", "trade_union": "BCH Công đoàn cơ sở"}[i["kind"]],
                "since": format_vi(i["together_since"]),
            }
            for i in data["introducers"]
        ]
        output.emit_table(
            intro,
            [("who", "Người / tổ chức giới thiệu"), ("since", "Cùng công tác từ"), ("replacement", "Phân công thay"),
             ("reference", "Số văn bản")],
            title="Giới thiệu",
        )


@app.command("recognize")
def recognize(
    ref: MemberRefArg,
    date: Annotated[str, Opt("--date", help="Ngày quyết định công nhận đảng viên chính thức.")],
    ref_doc: Annotated[str | None, Opt("--ref", help="Số quyết định / nghị quyết công nhận.")] = None,
    resolution_date: Annotated[
        str | None, Opt("--resolution-date", help="Ngày nghị quyết chi bộ đề nghị công nhận (nếu khác --date).")
    ] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Công nhận đảng viên chính thức: chính thức từ ngày đủ 12 tháng dự bị, dù ngày duyệt muộn hơn (Điều lệ Đảng, Điều 5).

    Ví dụ: dangvien admissions recognize 15 --date 20/03/2027 --ref 112-QĐ/ĐU
    """
    from dangvien_cli.rules.dates import format_vi
    from dangvien_cli.services import admissions as svc

    with database().write() as conn:
        result = svc.recognize(conn, ref, date=date, reference=ref_doc, resolution_date=resolution_date)
    for warning in result["warnings"]:
        output.warn(warning)
    if fmt is not Format.table:
        output.emit_record(result, [(k, k) for k in ("member_id", "candidate_id", "official_date", "approved")], fmt)
        return
    output.success(
        f"Đảng viên mã số {result['member_id']} là đảng viên chính thức từ ngày {format_vi(result['official_date'])}."
    )


@app.command("reject")
def reject(
    ref: MemberRefArg,
    date: Annotated[str, Opt("--date", help="Ngày quyết định xóa tên.")],
    ref_doc: Annotated[str, Opt("--ref", help="Số quyết định xóa tên đảng viên dự bị.")],
    ground: Annotated[str | None, Opt("--ground", help="Lý do cụ thể.")] = None,
) -> None:
    """Xóa tên đảng viên dự bị không được công nhận chính thức (Điều lệ Đảng, Điều 5).

    Ví dụ: dangvien admissions reject 15 --date 20/03/2027 --ref 113-QĐ/ĐU
    """
    from dangvien_cli.rules.dates import format_vi
    from dangvien_cli.services import admissions as svc

    with database().write() as conn:
        result = svc.reject(conn, ref, date=date, reference=ref_doc, ground=ground)
    output.success(
        f"Đã xóa tên đảng viên dự bị mã số {result['member_id']} từ ngày {format_vi(result['date'])}; "
        "hồ sơ được giữ lại."
    )


@app.command("withdraw")
def withdraw(
    candidate_id: IdArg,
    date: Annotated[str, Opt("--date", help="Ngày chi bộ thôi theo dõi (dd/mm/yyyy).")],
    reason: Annotated[
        str, Opt("--reason", help="Lý do: chuyển đi nơi khác, không còn đủ điều kiện, không muốn vào Đảng...")
    ],
    fmt: FormatOpt = Format.table,
) -> None:
    """Đóng hồ sơ người vào Đảng mà chi bộ thôi theo dõi; hồ sơ vẫn được giữ, không còn trong 'admissions due'.

    Ví dụ: dangvien admissions withdraw 3 --date 15/10/2026 --reason "chuyển đi nơi khác"
    """
    from dangvien_cli.rules.dates import format_vi
    from dangvien_cli.services import admissions as svc

    with database().write() as conn:
        result = svc.withdraw(conn, candidate_id, date=date, reason=reason)
    if fmt is not Format.table:
        output.emit_record(result, [(k, k) for k in ("candidate_id", "status", "date", "reason")], fmt)
        return
    output.success(
        f"Đã thôi theo dõi hồ sơ mã số {result['candidate_id']} từ ngày {format_vi(result['date'])}; "
        "hồ sơ được giữ lại."
    )


@app.command("due")
def due(
    as_of: Annotated[str | None, Opt("--as-of", help="Tính đến ngày (mặc định hôm nay).")] = None,
    within: Annotated[int, Opt("--within", help="Báo trước các hạn trong số ngày này.", min=0)] = 30,
    cell: Annotated[str | None, Opt("--cell", help="Chỉ tổ chức này (kể cả cấp dưới).")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Các hạn sắp đến và quá hạn: quyết định kết nạp (60 ngày làm việc), lễ kết nạp (30 ngày làm việc), hết dự bị, xét công nhận chính thức (30 ngày làm việc), giấy chứng nhận nhận thức về Đảng hết hạn (QĐ 232-QĐ/TW, mục 4.1, 4.3.1; QĐ 24-QĐ/TW, mục 4.2).

    Liệt kê các hạn trong --within ngày tới và mọi hạn đã quá; khi đã hết 12 tháng dự bị thì việc xét công nhận luôn được liệt kê. Gồm cả đảng viên dự bị nhập từ danh sách, không có hồ sơ kết nạp.

    Ngày làm việc: trừ thứ Bảy, Chủ nhật, ngày lễ, Tết (kể cả Tết Nguyên đán, Giỗ Tổ Hùng Vương) và ngày nghỉ trong tệp lịch (biến DANGVIEN_CALENDAR).

    Ví dụ: dangvien admissions due --as-of 01/03/2026 --within 60
    """
    from dangvien_cli.services import admissions as svc
    from dangvien_cli.services.values import date_value

    with database().read() as conn:
        rows = svc.due(conn, as_of=date_value(as_of, "Ngày tính", allow_future=True), within=within, cell=cell)
    output.emit_rows(rows, DUE_COLUMNS, title=f"Thời hạn kết nạp ({number_vi(len(rows))})", csv_columns=DUE_CSV)
