"""The rows an import could not take, in a workbook beside the input: each with its row number in the file and
what is wrong, then the row's values under the file's own column labels (so that the clerk can correct them
and import the file again). Printed like every form of ``layout.py``: title block, header repeated, signature.

Values are the file's own (personal ids in full: this is a copy of the clerk's file for correcting it); dates
are printed dd/mm/yyyy.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dangvien_cli import vocab
from dangvien_cli.excel.layout import (
    Column,
    Page,
    SheetWriter,
    fit_columns,
    lengths_of,
    open_book,
    place_date_line,
    sign_titles,
)
from dangvien_cli.formats import number_vi
from dangvien_cli.rules.dates import format_vi

CODED = {"gender": vocab.GENDER, "membership": vocab.MEMBERSHIP, "status": vocab.STATUS}


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    if len(text) in (4, 7, 10) and text[:4].isdigit() and (len(text) == 4 or text[4] == "-"):
        try:
            return format_vi(text)
        except ValueError:
            return text
    return text


def write_rejects(read, rows: list, path: Path, *, head: dict | None = None,  # noqa: ANN001 - a RosterRead
                  on: date | None = None) -> Path:
    """Write ``rows`` (RosterRow) of ``read`` to ``<input stem>-dong-loi.xlsx`` beside ``path``."""
    out = path.with_name(f"{path.stem}-dong-loi.xlsx")
    head = head or {"committee": None, "superior": None, "sign": sign_titles(None)}
    fields = sorted(read.header.fields.items())
    columns = [Column("_row", "Dòng trong tệp gốc", width=9, kind="number", keep=True),
               Column("_errors", "Lỗi", width=50, min_width=24, keep=True)]
    columns += [Column(fld, read.header.label_of(col), width=36) if fld == "full_name"  # a name is never wrapped
                else Column(fld, read.header.label_of(col), width=22, min_width=8) for col, fld in fields]
    lines = []
    for row in rows:
        line = {fld: CODED[fld].label(v) if fld in CODED and isinstance(v := row.values.get(fld), str)
                else _text(row.values.get(fld)) for _, fld in fields}
        line["_row"] = row.row
        line["_errors"] = "; ".join(f"{c}: {m.rstrip('.')}" for c, m in row.errors) + "."
        lines.append(line)
    page = Page(landscape=True)
    chosen = fit_columns(columns, lengths_of(lines, columns), page)
    with open_book(out, "ds-dong-loi.xlsx") as book:
        w = SheetWriter(book, "Dòng lỗi", chosen, page=page)
        w.title_block(head["committee"], head["superior"], "CÁC DÒNG CHƯA NHẬP ĐƯỢC VÀO DANH SÁCH ĐẢNG VIÊN",
                      f"(Từ tệp {path.name}, trang tính {read.sheet}: {number_vi(len(rows))} dòng; sửa theo cột "
                      "'Lỗi' rồi nhập lại)", place_date_line(None, on or date.today()))
        w.header()
        for line in lines:
            w.record(line)
        w.note(f"Tổng số: {number_vi(len(rows))} dòng chưa nhập được.")
        w.signature(["NGƯỜI LẬP BIỂU"], head["sign"])
        w.page_setup()
    return out
