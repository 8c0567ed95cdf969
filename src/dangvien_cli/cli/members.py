"""dangvien members: the member records."""

from __future__ import annotations

from typing import Annotated

import typer

from dangvien_cli import vocab
from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, choices, coded, history_columns, set_limit
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format
from dangvien_cli.formats import date_vi, number_vi

app = typer.Typer(help="Đảng viên: hồ sơ, chuyển sinh hoạt, miễn sinh hoạt, ra khỏi Đảng, lịch sử.",
                  no_args_is_help=True)

RefArg = Annotated[str, typer.Argument(help="Mã số, số thẻ đảng viên hoặc số định danh cá nhân (12 số).")]
Opt = typer.Option

LIST_COLUMNS = [Col("id", "Mã", rank=0), Col("full_name", "Họ và tên", rank=0),
                Col("gender", "Giới tính", codes=vocab.GENDER, rank=5), Col("birth_date", "Ngày sinh", rank=0),
                Col("card_number", "Số thẻ", rank=1), Col("admission_date", "Vào Đảng", rank=6),
                Col("official_date", "Chính thức", rank=7), Col("membership", "Loại", codes=vocab.MEMBERSHIP, rank=4),
                Col("status", "Trạng thái", codes=vocab.STATUS, rank=3), Col("cell_name", "Chi bộ", rank=2)]
_CODED = {"gender": vocab.GENDER, "membership": vocab.MEMBERSHIP, "status": vocab.STATUS}
CSV_COLUMNS = [Col(k, k, codes=_CODED.get(k)) for k in (
    "id", "full_name", "gender", "birth_date", "ethnicity", "religion", "hometown", "national_id", "card_number",
    "decision_date", "admission_date", "official_date", "membership", "status", "cell_code", "cell_name")]


def _party_age(data: dict) -> str:
    age = data.get("party_age_years")
    return "" if age is None else f"{age} năm {data.get('party_age_months') or 0} tháng"


def _host(data: dict) -> str:
    if not data.get("host_until"):
        return ""
    return f"{data.get('host_cell_name') or ''} đến {date_vi(data['host_until'])}"


RECORD = [Col("id", "Mã số"), Col("full_name", "Họ và tên"), Col("other_name", "Tên gọi khác"),
          Col("gender", "Giới tính", codes=vocab.GENDER), Col("birth_date", "Ngày sinh"),
          Col("ethnicity", "Dân tộc"), Col("religion", "Tôn giáo"), Col("hometown", "Quê quán"),
          Col("residence", "Nơi ở hiện nay"), Col("national_id", "Số định danh cá nhân"),
          Col("card_number", "Số thẻ đảng viên"), Col("decision_date", "Ngày quyết định kết nạp"),
          Col("admission_date", "Ngày vào Đảng"), Col("official_date", "Ngày chính thức"),
          Col("membership", "Loại", codes=vocab.MEMBERSHIP), Col("status", "Trạng thái", codes=vocab.STATUS),
          Col("cell_name", "Chi bộ"), Col("host", "Sinh hoạt tạm thời", show=_host),
          Col("party_age", "Tuổi đảng", show=_party_age),
          Col("badges", "Huy hiệu đã nhận", show=lambda d: ", ".join(f"{b} năm" for b in d.get("badges") or [])),
          Col("seriously_ill_since", "Ốm nặng từ ngày"),
          Col("position", "Chức vụ"), Col("occupation", "Nghề nghiệp"), Col("education_general", "Học vấn"),
          Col("education_professional", "Chuyên môn"), Col("political_theory", "Lý luận chính trị"),
          Col("note", "Ghi chú")]


@app.command("add")
def add(
    name: Annotated[str, Opt("--name", help="Họ và tên.")],
    gender: Annotated[str, Opt("--gender", help=choices(vocab.GENDER),
                               callback=coded(vocab.GENDER, "--gender"))],
    birth_date: Annotated[str, Opt("--birth-date", help="Ngày sinh dd/mm/yyyy (hoặc mm/yyyy, yyyy).")],
    cell: Annotated[str, Opt("--cell", help="Mã hoặc tên chi bộ sinh hoạt.")],
    card_number: Annotated[str | None, Opt("--card-number", help="Số thẻ đảng viên.")] = None,
    national_id: Annotated[str | None, Opt("--national-id", help="Số định danh cá nhân (CCCD) 12 chữ số.")] = None,
    admission_date: Annotated[str | None, Opt("--admission-date", help="Ngày vào Đảng (lễ kết nạp).")] = None,
    official_date: Annotated[str | None, Opt("--official-date", help="Ngày chính thức.")] = None,
    decision_date: Annotated[str | None, Opt("--decision-date", help="Ngày ký quyết định kết nạp.")] = None,
    membership: Annotated[str | None, Opt("--membership", help=choices(vocab.MEMBERSHIP),
                                          callback=coded(vocab.MEMBERSHIP, "--membership"))] = None,
    ethnicity: Annotated[str | None, Opt("--ethnicity", help="Dân tộc.")] = None,
    religion: Annotated[str | None, Opt("--religion", help="Tôn giáo.")] = None,
    hometown: Annotated[str | None, Opt("--hometown", help="Quê quán.")] = None,
    residence: Annotated[str | None, Opt("--residence", help="Nơi ở hiện nay.")] = None,
    occupation: Annotated[str | None, Opt("--occupation", help="Nghề nghiệp.")] = None,
    position: Annotated[str | None, Opt("--position", help="Chức vụ.")] = None,
    note: Annotated[str | None, Opt("--note", help="Ghi chú.")] = None,
    allow_duplicate: Annotated[bool, Opt("--allow-duplicate", help="Vẫn thêm khi đã có người cùng họ tên và ngày "
                                         "sinh trong đảng bộ (không có số thẻ, số định danh).")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Thêm một đảng viên.

    Ví dụ: dangvien members add --name "Nguyễn Văn An" --gender male --birth-date 12/05/1968 --cell TL.01
    --card-number 08012345 --admission-date 19/05/1995 --official-date 19/05/1996
    """
    from dangvien_cli.services import members as svc

    if not allow_duplicate:
        from dangvien_cli.services.duplicates import refuse_likely_duplicate

        with database().read() as conn:
            refuse_likely_duplicate(conn, name=name, birth_date=birth_date, cell=cell, card_number=card_number,
                                    national_id=national_id)
    with database().write() as conn:
        member = svc.add_member(conn, svc.MemberInput(
            full_name=name, gender=gender, birth_date=birth_date, cell=cell, card_number=card_number,
            national_id=national_id, admission_date=admission_date, official_date=official_date,
            decision_date=decision_date, membership=membership, ethnicity=ethnicity, religion=religion,
            hometown=hometown, residence=residence, occupation=occupation, position=position, note=note))
        data = svc.show_member(conn, str(member.id))
    if fmt is Format.table:
        output.success(f"Đã thêm đảng viên {data['full_name']} (mã số {data['id']}).")
    else:
        output.emit_record(data, CSV_COLUMNS, fmt)


@app.command("list")
def list_(
    cell: Annotated[str | None, Opt("--cell", help="Chỉ đảng viên thuộc tổ chức này (kể cả các chi bộ trực thuộc).")] = None,
    membership: Annotated[str | None, Opt("--membership", help=choices(vocab.MEMBERSHIP),
                                          callback=coded(vocab.MEMBERSHIP, "--membership"))] = None,
    status: Annotated[str | None, Opt("--status", help="Trạng thái; 'all' = tất cả. Mặc định: đang trong danh sách "
                                      "(active, exempt, suspended). Các trạng thái: " + choices(vocab.STATUS),
                                      callback=coded(vocab.STATUS, "--status", keep=("all",)))] = None,
    born_from: Annotated[int | None, Opt("--born-from", help="Sinh từ năm.")] = None,
    born_to: Annotated[int | None, Opt("--born-to", help="Sinh đến năm.")] = None,
    search: Annotated[str | None, Opt("--search", "-s", help="Tìm theo tên (không cần dấu) hoặc số thẻ, CCCD.")] = None,
    limit: Annotated[int | None, Opt("--limit", help="Số dòng tối đa (bảng, json và csv).", min=1,
                                     callback=set_limit)] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Danh sách đảng viên, xếp theo tên kiểu Việt Nam.

    Ví dụ: dangvien members list --cell TL --search "nguyen van an" --format json
    """
    from dangvien_cli.services import members as svc

    with database().read() as conn:
        rows = svc.list_members(conn, cell=cell, membership=membership, status=status, born_from=born_from,
                                born_to=born_to, search=search, limit=limit)
    output.emit_rows(rows, LIST_COLUMNS, title=f"Đảng viên ({number_vi(len(rows))})", csv_columns=CSV_COLUMNS)


@app.command("show")
def show(ref: RefArg, fmt: FormatOpt = Format.table) -> None:
    """Hồ sơ một đảng viên, tuổi đảng và huy hiệu.

    Ví dụ: dangvien members show 08012345
    """
    from dangvien_cli.services import members as svc

    with database().read() as conn:
        data = svc.show_member(conn, ref)
    output.emit_record(data, RECORD, title=data["full_name"], csv_columns=CSV_COLUMNS)


@app.command("update")
def update(
    ref: RefArg,
    full_name: Annotated[str | None, Opt("--full-name")] = None,
    gender: Annotated[str | None, Opt("--gender", callback=coded(vocab.GENDER, "--gender"))] = None,
    birth_date: Annotated[str | None, Opt("--birth-date")] = None,
    decision_date: Annotated[str | None, Opt("--decision-date")] = None,
    admission_date: Annotated[str | None, Opt("--admission-date")] = None,
    official_date: Annotated[str | None, Opt("--official-date")] = None,
    national_id: Annotated[str | None, Opt("--national-id")] = None,
    card_number: Annotated[str | None, Opt("--card-number")] = None,
    membership: Annotated[str | None, Opt("--membership", callback=coded(vocab.MEMBERSHIP, "--membership"))] = None,
    other_name: Annotated[str | None, Opt("--other-name")] = None,
    ethnicity: Annotated[str | None, Opt("--ethnicity")] = None,
    religion: Annotated[str | None, Opt("--religion")] = None,
    hometown: Annotated[str | None, Opt("--hometown")] = None,
    birthplace: Annotated[str | None, Opt("--birthplace")] = None,
    residence: Annotated[str | None, Opt("--residence")] = None,
    old_id_number: Annotated[str | None, Opt("--old-id-number")] = None,
    biography_number: Annotated[str | None, Opt("--biography-number")] = None,
    occupation: Annotated[str | None, Opt("--occupation")] = None,
    position: Annotated[str | None, Opt("--position")] = None,
    education_general: Annotated[str | None, Opt("--education-general")] = None,
    education_professional: Annotated[str | None, Opt("--education-professional")] = None,
    political_theory: Annotated[str | None, Opt("--political-theory")] = None,
    note: Annotated[str | None, Opt("--note")] = None,
    seriously_ill_since: Annotated[str | None, Opt(
        "--seriously-ill", "--seriously-ill-since",
        help="Ngày ghi nhận đảng viên ốm nặng (Huy hiệu Đảng được xét sớm 12 tháng, mốc 70 năm trở lên 24 tháng); "
             "ghi \"\" khi đã khỏi.")] = None,
    ref_doc: Annotated[str | None, Opt("--ref", help="Căn cứ (số văn bản) ghi vào lịch sử.")] = None,
    if_version: Annotated[int | None, Opt(
        "--if-version", min=1,
        help="Chỉ sửa nếu hồ sơ vẫn ở phiên bản này (khóa version của 'members show'): "
             "không ghi đè lên thay đổi của người khác.")] = None,
) -> None:
    """Sửa hồ sơ: mỗi khóa JSON có một tùy chọn (gạch ngang thay gạch dưới). Ghi "" để xóa một trường.

    Ví dụ: dangvien members update 08012345 --hometown "Xã Tân Lập, tỉnh Bắc Ninh"
    """
    from dangvien_cli.services import members as svc

    given = {k: v for k, v in locals().items() if k not in ("ref", "ref_doc", "if_version", "svc") and v is not None}
    if not given:
        output.error("Chưa có gì để sửa.", "Ghi ít nhất một tùy chọn, ví dụ --hometown \"...\".")
        raise typer.Exit(2)
    changes = {k: (v if v != "" else None) for k, v in given.items()}
    with database().write() as conn:
        member, changed = svc.update_member(conn, ref, changes, reference=ref_doc, read_version=if_version)
        member_id = member.id
    if changed:
        output.success(f"Đã sửa đảng viên mã số {member_id}: {', '.join(vocab.field_label(c) for c in changed)}.")
    else:
        output.info("Không có gì thay đổi.")


@app.command("history")
def history(ref: RefArg, fmt: FormatOpt = Format.table) -> None:
    """Lịch sử mọi thay đổi của một đảng viên: cái gì, từ gì sang gì, khi nào, do lệnh hay tệp nào.

    Ví dụ: dangvien members history 08012345
    """
    from dangvien_cli.services import members as svc

    with database().read() as conn:
        rows = svc.history(conn, ref)
    output.emit_rows(rows, history_columns())


@app.command("transfer")
def transfer(
    ref: RefArg,
    to: Annotated[str | None, Opt("--to", help="Chi bộ đến (trong cơ sở dữ liệu này).")] = None,
    destination: Annotated[str | None, Opt("--destination", help="Nơi đến ngoài cơ sở dữ liệu (chuyển đi).")] = None,
    temporary: Annotated[bool, Opt("--temporary", help="Sinh hoạt tạm thời: giữ chi bộ chính thức.")] = False,
    until: Annotated[str | None, Opt("--until", help="Ngày kết thúc sinh hoạt tạm thời.")] = None,
    end_temporary: Annotated[bool, Opt("--end-temporary", help="Kết thúc sinh hoạt tạm thời (trở về).")] = False,
    date: Annotated[str | None, Opt("--date", help="Ngày chuyển (mặc định hôm nay).")] = None,
    letter: Annotated[str | None, Opt("--letter", help="Số giấy giới thiệu sinh hoạt đảng.")] = None,
    other_province: Annotated[bool | None, Opt(
        "--other-province/--same-province",
        help="Với --destination: chuyển đi tỉnh khác, hay đảng bộ khác trong tỉnh (Biểu 1-BTCTW, mục C5a/C5b; "
             "không ghi thì báo cáo đếm riêng).", show_default=False)] = None,
) -> None:
    """Chuyển sinh hoạt đảng: chính thức (đổi chi bộ hoặc chuyển đi) hay tạm thời (§1.8).

    Ví dụ: dangvien members transfer 08012345 --to TL.02 --date 01/03/2026 --letter 45-GGT/ĐU
    (chuyển đi ngoài cơ sở dữ liệu: --destination "Đảng ủy phường Y, tỉnh Z" --other-province)
    """
    from dangvien_cli.services import members as svc

    with database().write() as conn:
        if end_temporary:
            result = svc.end_temporary_transfer(conn, ref, date=date)
            output.success(f"Đảng viên mã số {result['member_id']} đã trở về sinh hoạt ở chi bộ chính thức.")
            return
        result = svc.transfer(conn, ref, to=to, destination=destination, temporary=temporary, until=until,
                              date=date, letter=letter, other_province=other_province)
    if result["kind"] == "temporary":
        output.success(f"Đã ghi sinh hoạt tạm thời của đảng viên mã số {result['member_id']} đến {date_vi(result['until'])}.")
    else:
        output.success(f"Đã chuyển sinh hoạt chính thức của đảng viên mã số {result['member_id']} đến {result['to']}.")


@app.command("arrive")
def arrive(
    ref: RefArg,
    origin: Annotated[str, Opt("--from", help="Nơi chuyển đi (tên đảng bộ ngoài cơ sở dữ liệu này).")],
    date: Annotated[str, Opt("--date", help="Ngày chuyển đến (ngày nhận giấy giới thiệu).")],
    other_province: Annotated[bool | None, Opt(
        "--other-province/--same-province",
        help="Từ tỉnh khác, hay từ đảng bộ khác trong tỉnh (Biểu 1-BTCTW, mục B2a/B2b; không ghi thì báo cáo "
             "đếm riêng).", show_default=False)] = None,
    letter: Annotated[str | None, Opt("--letter", help="Số giấy giới thiệu sinh hoạt đảng.")] = None,
) -> None:
    """Ghi đảng viên chuyển sinh hoạt chính thức đến từ ngoài cơ sở dữ liệu (§1.8): đảng viên đã thêm bằng
    'dangvien members add' (với ngày vào Đảng) được tính vào danh sách chi bộ từ ngày chuyển đến.

    Ví dụ: dangvien members arrive 08012345 --from "Đảng ủy xã Y, tỉnh Z" --date 01/03/2026 --other-province
    """
    from dangvien_cli.services import members as svc

    with database().write() as conn:
        result = svc.arrive(conn, ref, origin=origin, date=date, other_province=other_province, letter=letter)
    output.success(f"Đã ghi: đảng viên mã số {result['member_id']} chuyển đến chi bộ {result['cell_code']} từ "
                   f"{date_vi(result['date'])}.")


@app.command("restore")
def restore(
    ref: RefArg,
    date: Annotated[str, Opt("--date", help="Ngày của quyết định phục hồi.")],
    ref_doc: Annotated[str, Opt("--ref", help="Số quyết định phục hồi đảng tịch.")],
) -> None:
    """Phục hồi đảng tịch cho đảng viên đã bị xóa tên hoặc khai trừ mà cấp có thẩm quyền hủy quyết định: trở lại
    danh sách chi bộ, tuổi đảng liên tục (§1.4).

    Ví dụ: dangvien members restore 08012345 --date 01/03/2026 --ref 12-QĐ/TU
    """
    from dangvien_cli.services import members as svc

    with database().write() as conn:
        result = svc.restore(conn, ref, date=date, reference=ref_doc)
    output.success(f"Đã phục hồi đảng tịch cho đảng viên mã số {result['member_id']} từ {date_vi(result['date'])}.")


@app.command("exempt")
def exempt(
    ref: RefArg,
    start: Annotated[str | None, Opt("--from", help="Ngày bắt đầu miễn.")] = None,
    end: Annotated[str | None, Opt("--to", help="Ngày kết thúc (nếu có).")] = None,
    reason: Annotated[str, Opt("--reason", help=choices(vocab.EXEMPTION_REASON),
                               callback=coded(vocab.EXEMPTION_REASON, "--reason"))] = "age",
    kind: Annotated[str, Opt("--kind", help="exempt (miễn công tác và sinh hoạt) hoặc temporary_suspension "
                             "(tạm miễn sinh hoạt).")] = "exempt",
    ref_doc: Annotated[str | None, Opt("--ref", help="Số nghị quyết của chi bộ.")] = None,
    end_now: Annotated[bool, Opt("--end", help="Kết thúc miễn sinh hoạt, trở lại sinh hoạt.")] = False,
    date: Annotated[str | None, Opt("--date", help="Với --end: ngày trở lại.")] = None,
) -> None:
    """Miễn công tác và sinh hoạt đảng (§1.7), hoặc kết thúc miễn với --end.

    Ví dụ: dangvien members exempt 08012345 --from 01/01/2026 --reason age --ref 03-NQ/CB
    """
    from dangvien_cli.services import members as svc

    with database().write() as conn:
        if end_now:
            result = svc.end_exemption(conn, ref, date=date)
            output.success(f"Đảng viên mã số {result['member_id']} trở lại sinh hoạt từ {date_vi(result['date'])}.")
            return
        if start is None:
            output.error("Thiếu ngày bắt đầu miễn.", "Ghi --from dd/mm/yyyy.")
            raise typer.Exit(2)
        result = svc.exempt(conn, ref, start=start, end=end, reason=reason, kind=kind, reference=ref_doc)
    output.success(f"Đã ghi miễn sinh hoạt cho đảng viên mã số {result['member_id']} từ {date_vi(result['from'])}.")


@app.command("leave")
def leave(
    ref: RefArg,
    reason: Annotated[str, Opt("--reason", help=choices(vocab.LEAVE_REASON),
                               callback=coded(vocab.LEAVE_REASON, "--reason"))],
    date: Annotated[str, Opt("--date", help="Ngày của quyết định / ngày mất.")],
    ref_doc: Annotated[str | None, Opt("--ref", help="Số quyết định.")] = None,
    ground: Annotated[str | None, Opt("--ground", help="Căn cứ, lý do cụ thể.")] = None,
) -> None:
    """Ghi đảng viên ra khỏi danh sách; hồ sơ và lịch sử được giữ nguyên (§1.9).

    Ví dụ: dangvien members leave 08012345 --reason deceased --date 02/03/2026
    """
    from dangvien_cli.services import members as svc

    with database().write() as conn:
        result = svc.leave(conn, ref, reason=reason, date=date, reference=ref_doc, ground=ground)
    output.success(f"Đã ghi: đảng viên mã số {result['member_id']} — {vocab.STATUS.label(result['status'])} "
                   f"từ {date_vi(result['date'])}.")
