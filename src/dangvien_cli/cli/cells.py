"""dangvien cells: the tree of party organizations."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from dangvien_cli import vocab
from dangvien_cli.cli import output
from dangvien_cli.cli.common import FormatOpt, choices, coded, history_columns
from dangvien_cli.cli.context import database
from dangvien_cli.cli.output import Col, Format
from dangvien_cli.formats import date_vi

app = typer.Typer(help="Tổ chức đảng: đảng bộ, chi bộ, tổ đảng và lịch sử sáp nhập, đổi tên.", no_args_is_help=True)

KIND_HELP = "Loại: " + choices(vocab.ORG_KIND)
UNIT_HELP = ("Loại đơn vị: village, residential_group, agency, school, state_enterprise, private_enterprise, "
             "military, police, other.")
COLUMNS = [Col("code", "Mã", rank=0), Col("name", "Tên", rank=0), Col("kind", "Loại", codes=vocab.ORG_KIND, rank=2),
           Col("parent_code", "Cấp trên", rank=1), Col("member_count", "Số đảng viên", count=True, rank=0)]
CSV_COLUMNS = [Col(k, k, codes=vocab.ORG_KIND if k == "kind" else None)
               for k in ("code", "name", "kind", "parent_code", "member_count")]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Tên tổ chức, ví dụ \"Chi bộ thôn Đông\".")],
    code: Annotated[str, typer.Option("--code", help="Mã duy nhất, ví dụ 38.168.053.001.")],
    kind: Annotated[str, typer.Option("--kind", help=KIND_HELP, callback=coded(vocab.ORG_KIND, "--kind"))],
    parent: Annotated[str | None, typer.Option("--parent", help="Mã hoặc tên tổ chức cấp trên.")] = None,
    unit_type: Annotated[str | None, typer.Option("--unit-type", help=UNIT_HELP)] = None,
    valid_from: Annotated[str | None, typer.Option("--valid-from", help="Ngày thành lập (dd/mm/yyyy).")] = None,
    online_meetings: Annotated[bool, typer.Option("--online-meetings", help="Được sinh hoạt trực tuyến.")] = False,
    secretary_is_village_head: Annotated[
        bool, typer.Option("--secretary-is-village-head", help="Bí thư kiêm trưởng thôn.")] = False,
    has_committee: Annotated[bool, typer.Option("--has-committee", help="Có chi ủy.")] = False,
    note: Annotated[str | None, typer.Option("--note", help="Ghi chú.")] = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Thêm một tổ chức đảng vào cây.

    Ví dụ: dangvien cells add "Chi bộ thôn Đông" --code TL.01 --kind cell --parent TL
    """
    from dangvien_cli.services import cells as svc

    with database().write() as conn:
        cell = svc.add_cell(conn, svc.CellInput(
            name=name, code=code, kind=kind, parent=parent, unit_type=unit_type, valid_from=valid_from,
            note=note, online_meetings=online_meetings, secretary_is_village_head=secretary_is_village_head,
            has_committee=has_committee))
        result = svc.show_cell(conn, cell.code)
    if fmt is Format.table:
        output.success(f"Đã thêm {result['kind_label'].lower()} '{result['name']}' (mã {result['code']}).")
    else:
        output.emit_record(result, COLUMNS, fmt, csv_columns=CSV_COLUMNS)


@app.command("list")
def list_(
    under: Annotated[str | None, typer.Option("--under", help="Chỉ các tổ chức thuộc tổ chức này.")] = None,
    include_dissolved: Annotated[bool, typer.Option("--include-dissolved", help="Kể cả tổ chức đã giải thể.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Danh sách tổ chức đảng với số đảng viên.

    Ví dụ: dangvien cells list --format json
    """
    from dangvien_cli.services import cells as svc

    with database().read() as conn:
        rows = svc.list_cells(conn, under=under, include_dissolved=include_dissolved)
    output.emit_rows(rows, COLUMNS, title="Tổ chức đảng", csv_columns=CSV_COLUMNS)


@app.command("tree")
def tree(
    root: Annotated[str | None, typer.Argument(help="Bắt đầu từ tổ chức này (mặc định: toàn bộ).")] = None,
    include_dissolved: Annotated[bool, typer.Option("--include-dissolved", help="Kể cả tổ chức đã giải thể.")] = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Cây tổ chức đảng với số đảng viên (của riêng tổ chức / cả nhánh).

    Ví dụ: dangvien cells tree TL
    """
    from dangvien_cli.services import cells as svc

    with database().read() as conn:
        roots = svc.tree(conn, root=root, include_dissolved=include_dissolved)
    if fmt is not Format.table:
        flat = []

        def walk(node: dict, depth: int) -> None:
            flat.append({k: v for k, v in node.items() if k != "children"} | {"depth": depth})
            for child in node["children"]:
                walk(child, depth + 1)

        for node in roots:
            walk(node, 0)
        output.emit_rows(flat, CSV_COLUMNS + [Col("total", "total"), Col("depth", "depth")], fmt, json_data=roots)
        return

    def label(node: dict) -> str:
        text = f"{node['name']} [{node['code']}] {node['member_count']} đv"
        if node["children"]:
            text += f" / {node['total']} cả nhánh"
        if node.get("valid_to"):
            text += f" (giải thể {date_vi(node['valid_to'])})"
        return text

    if not roots:
        output.info("Chưa có tổ chức đảng nào. Thêm bằng 'dangvien cells add'.")
        return
    output.emit_tree(roots, label)


@app.command("show")
def show(cell: Annotated[str, typer.Argument(help="Mã hoặc tên tổ chức.")], fmt: FormatOpt = Format.table) -> None:
    """Thông tin một tổ chức: cấp trên, số đảng viên, tổ chức trực thuộc, lịch sử.

    Ví dụ: dangvien cells show TL.01
    """
    from dangvien_cli.services import cells as svc

    with database().read() as conn:
        data = svc.show_cell(conn, cell)
    labels = [("code", "Mã"), ("name", "Tên"), ("kind_label", "Loại"), ("parent_code", "Mã cấp trên"),
              ("parent_name", "Cấp trên"), ("unit_type", "Loại đơn vị"), ("member_count", "Số đảng viên"),
              ("official_members", "Chính thức"), ("probationary_members", "Dự bị"),
              ("has_committee", "Có chi ủy"), ("online_meetings", "Sinh hoạt trực tuyến"),
              ("secretary_is_village_head", "Bí thư kiêm trưởng thôn"), ("valid_from", "Thành lập"),
              ("valid_to", "Giải thể"), ("replaced_by_code", "Sáp nhập vào"),
              ("national_code", "Mã trên CSDL quốc gia"), ("note", "Ghi chú")]
    output.emit_record(data, labels, title=data["name"])
    if output.is_table() and data["history"]:
        sys.stdout.write("\n")
        output.emit_rows(data["history"], history_columns(), title="Lịch sử")


@app.command("update")
def update(
    cell: Annotated[str, typer.Argument(help="Mã hoặc tên tổ chức.")],
    name: Annotated[str | None, typer.Option("--name", help="Tên mới (đổi tên; tên cũ giữ trong lịch sử).")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Mã mới.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=KIND_HELP,
                                             callback=coded(vocab.ORG_KIND, "--kind"))] = None,
    unit_type: Annotated[str | None, typer.Option("--unit-type", help=UNIT_HELP)] = None,
    online_meetings: Annotated[bool | None, typer.Option("--online-meetings/--no-online-meetings")] = None,
    secretary_is_village_head: Annotated[
        bool | None, typer.Option("--secretary-is-village-head/--no-secretary-is-village-head")] = None,
    has_committee: Annotated[bool | None, typer.Option("--has-committee/--no-has-committee")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Ngày hiệu lực của thay đổi.")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="Số quyết định.")] = None,
    national_code: Annotated[str | None, typer.Option(
        "--national-code", help="Mã của tổ chức trên cơ sở dữ liệu đảng viên quốc gia, dạng M1.M2.M3.M4.M5 "
        "(ví dụ 38.168.053.000.001); ghi \"\" để xóa.")] = None,
) -> None:
    """Sửa thông tin hoặc đổi tên một tổ chức; mỗi thay đổi được ghi vào lịch sử.

    Ví dụ: dangvien cells update TL.01 --name "Chi bộ thôn Đông Tiến" --date 01/07/2025 --ref 12-QĐ/ĐU
    """
    from dangvien_cli.services import cells as svc

    changes = {k: v for k, v in {
        "name": name, "code": code, "kind": kind, "unit_type": unit_type, "online_meetings": online_meetings,
        "secretary_is_village_head": secretary_is_village_head, "has_committee": has_committee, "note": note,
    }.items() if v is not None}
    if not changes and national_code is None:
        output.error("Chưa có gì để sửa.", "Ghi ít nhất một tùy chọn, ví dụ --name \"Tên mới\".")
        raise typer.Exit(2)
    with database().write() as conn:
        code_now = cell
        if national_code is not None:  # the organization's code in the national database (dossiers, 2026)
            from dangvien_cli.services import dossier

            code_now = dossier.set_national_code(conn, cell, national_code.strip() or None)["cell_code"]
        if changes:
            code_now = svc.update_cell(conn, code_now, changes, date=date, reference=ref).code
    output.success(f"Đã cập nhật tổ chức {code_now}.")


@app.command("move")
def move(
    cell: Annotated[str, typer.Argument(help="Mã hoặc tên tổ chức cần chuyển.")],
    parent: Annotated[str | None, typer.Option("--parent", help="Cấp trên mới (bỏ trống = lên cấp cao nhất).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Ngày hiệu lực.")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="Số quyết định.")] = None,
) -> None:
    """Chuyển một tổ chức sang cấp trên khác (ví dụ sau sáp nhập đơn vị hành chính).

    Ví dụ: dangvien cells move TL.01 --parent PHUONG-MOI --date 01/07/2025
    """
    from dangvien_cli.services import cells as svc

    with database().write() as conn:
        moved = svc.move_cell(conn, cell, parent, date=date, reference=ref)
        code_now = moved.code
    output.success(f"Đã chuyển tổ chức {code_now}.")


@app.command("dissolve")
def dissolve(
    cell: Annotated[str, typer.Argument(help="Mã hoặc tên tổ chức.")],
    date: Annotated[str | None, typer.Option("--date", help="Ngày giải thể (mặc định hôm nay).")] = None,
    move_members_to: Annotated[
        str | None, typer.Option("--move-members-to", help="Chuyển đảng viên còn lại sang chi bộ này.")] = None,
    merged_into: Annotated[
        str | None, typer.Option("--merged-into", help="Sáp nhập vào tổ chức này (đảng viên chuyển theo).")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="Số quyết định.")] = None,
) -> None:
    """Giải thể hoặc sáp nhập một tổ chức. Bị từ chối nếu còn đảng viên, trừ khi chuyển họ đi trong cùng lệnh.

    Ví dụ: dangvien cells dissolve TL.03 --merged-into TL.01 --date 01/07/2025 --ref 15-QĐ/ĐU
    """
    from dangvien_cli.services import admin
    from dangvien_cli.services import cells as svc

    db = database()
    with admin.copies_before_change(db) as copies, db.write() as conn:
        copies.append(admin.safety_copy(db, conn, f"giai-the-{cell}"))
        result = svc.dissolve_cell(conn, cell, date=date, move_members_to=move_members_to,
                                   merged_into=merged_into, reference=ref)
    moved = f"; {result['members_moved']} đảng viên chuyển sang {result['moved_to']}" if result["members_moved"] else ""
    output.success(f"Đã giải thể tổ chức {result['code']} từ ngày {date_vi(result['valid_to'])}{moved}.")
    for copy in filter(None, copies):
        output.info(f"Bản sao cơ sở dữ liệu trước khi giải thể: {copy}")
