"""Member dossiers for the national database: the catalogue, the naming rule, and which documents a member's
record calls for (Công văn 1361-CV/BTCTW, 30/6/2026, Phụ lục 1 and 2, as transcribed in dossier.md —
medium confidence, so the catalogue is data a committee can correct and the mapping is data too).

Naming (Phụ lục 2): one folder per organization named by its national code ``M1.M2.M3.M4.M5`` (two digits,
then four groups of three); inside, one folder per member ``{personal id}_{NameWithoutDiacritics}`` (each
word capitalised, words joined); inside, one PDF per document ``{STT}.{name}.pdf`` — STT two digits for
1–99, three for 100–104 — and ``{STT}.{name}.{n}.pdf`` for the parts of a document in several files.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from dangvien_cli.errors import InvalidValue

CITATION = "Công văn 1361-CV/BTCTW ngày 30/6/2026"
CHECKLIST_NAME = "00.Danh muc ho so.csv"  # the checklist `dossier plan` writes in each member's folder

NATIONAL_CODE = re.compile(r"^\d{2}\.\d{3}\.\d{3}\.\d{3}\.\d{3}$")
MEMBER_FOLDER = re.compile(r"^(\d{12})_(.+)$")
DOCUMENT_FILE = re.compile(r"^(\d{1,3})\.(.+?)(?:\.(\d{1,2}))?\.pdf$", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    no: int
    priority: int
    name: str  # Vietnamese, as a clerk reads it
    file_name: str  # without diacritics, as it stands in file names

    def file(self, part: int | None = None) -> str:
        """The file name this document must have (``part`` for a document in several files)."""
        suffix = f".{part}" if part else ""
        return f"{stt(self.no)}.{self.file_name}{suffix}.pdf"


def stt(no: int) -> str:
    return f"{no:02d}" if no < 100 else f"{no:03d}"


def ascii_text(text: str) -> str:
    """Vietnamese without diacritics (đ → d), for names in folders and files."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def member_folder(national_id: str, full_name: str) -> str:
    """``012345678901_NguyenVanA``."""
    words = re.sub(r"[^A-Za-z0-9 ]", " ", ascii_text(full_name)).split()
    return f"{national_id}_{''.join(w[:1].upper() + w[1:].lower() for w in words)}"


def check_national_code(code: str) -> str:
    text = code.strip()
    if not NATIONAL_CODE.match(text):
        raise InvalidValue(
            f"Mã tổ chức trên cơ sở dữ liệu quốc gia '{code}' không đúng dạng.",
            hint="Ghi 5 nhóm số cách nhau bằng dấu chấm: 2 chữ số rồi bốn nhóm 3 chữ số, ví dụ "
                 "--national-code 38.168.053.000.001.")
    return text


def _read(path_or_text, source: str) -> dict[int, Document]:
    rows = [line for line in path_or_text.splitlines() if line.strip() and not line.startswith("#")]
    catalogue: dict[int, Document] = {}
    for n, row in enumerate(csv.DictReader(rows, delimiter="\t"), start=2):
        try:
            no, priority = int(row["no"]), int(row["priority"])
            name, file_name = row["name"].strip(), row["file_name"].strip()
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InvalidValue(f"Tệp danh mục hồ sơ {source}, dòng {n}: thiếu hoặc sai cột.",
                               hint="Mỗi dòng ghi: no, priority, name, file_name (cách nhau bằng Tab).") from None
        if not (1 <= no <= 999 and priority in (1, 2, 3) and name and file_name):
            raise InvalidValue(f"Tệp danh mục hồ sơ {source}, dòng {n}: số thứ tự, mức ưu tiên (1–3) hoặc tên "
                               "không hợp lệ.")
        if re.search(r"[\\/:*?\"<>|]", file_name) or ascii_text(file_name) != file_name:
            raise InvalidValue(f"Tệp danh mục hồ sơ {source}, dòng {n}: tên trong tệp '{file_name}' phải không "
                               "dấu và không có ký tự / \\ : * ? \" < > |.")
        catalogue[no] = Document(no, priority, name, file_name)
    return catalogue


@lru_cache(maxsize=4)
def _catalogue(override: str | None, stamp: float | None) -> dict[int, Document]:
    text = resources.files("dangvien_cli").joinpath("data/dossier_catalogue.tsv").read_text(encoding="utf-8")
    catalogue = _read(text, "dossier_catalogue.tsv")
    if override:
        path = Path(override)
        try:
            catalogue |= _read(path.read_text(encoding="utf-8-sig"), path.name)
        except OSError:
            raise InvalidValue(f"Không đọc được tệp danh mục hồ sơ {path}.",
                               hint="Kiểm tra biến môi trường DANGVIEN_DOSSIER_CATALOGUE.") from None
    return dict(sorted(catalogue.items()))


def catalogue() -> dict[int, Document]:
    """The catalogue: the shipped one, corrected by the committee's own file (``DANGVIEN_DOSSIER_CATALOGUE``,
    same columns, its lines replace or add documents)."""
    override = os.environ.get("DANGVIEN_DOSSIER_CATALOGUE") or None
    stamp = None
    if override:
        try:
            stamp = os.stat(override).st_mtime
        except OSError:
            stamp = None
    return _catalogue(override, stamp)


@dataclass(frozen=True)
class MemberFacts:
    """What the record says about a member that decides which documents the dossier must hold."""

    official: bool
    readmitted: bool = False
    youth_union_introduced: bool = False
    trade_union_introduced: bool = False
    official_transfers: int = 0
    temporary_transfers: int = 0
    badges: int = 0
    posthumous_badges: int = 0
    exemptions: int = 0
    health_exemptions: int = 0
    status: str = "active"


def required(facts: MemberFacts) -> dict[int, str]:
    """Document number → why the record calls for it (dossier.md, last paragraph: the project's reading of
    the guidance, kept here as one table). A clerk marks a document "not applicable" where it does not fit."""
    out: dict[int, str] = {1: "hồ sơ gốc", 2: "hồ sơ gốc", 3: "hồ sơ gốc", 5: "kết nạp"}
    for no in (37, 38, 39, 43, 45):
        out[no] = "kết nạp"
    if facts.youth_union_introduced:
        out[40] = "Đoàn giới thiệu"
    if facts.trade_union_introduced:
        out[41] = "Công đoàn giới thiệu"
    if facts.readmitted:
        out[6] = "kết nạp lại"
    if facts.official:
        out[7] = "công nhận chính thức"
        for no in (47, 48, 49, 50, 51, 52):
            out[no] = "công nhận chính thức"
        out[61] = "kiểm điểm hằng năm"
    if facts.official_transfers:
        out[54] = out[60] = f"{facts.official_transfers} lần chuyển sinh hoạt chính thức"
    if facts.temporary_transfers:
        out[55] = f"{facts.temporary_transfers} lần chuyển sinh hoạt tạm thời"
    if facts.badges - facts.posthumous_badges > 0:
        out[20] = "Huy hiệu Đảng"
    if facts.posthumous_badges:
        out[21] = "truy tặng Huy hiệu Đảng"
    if facts.exemptions:
        out[79] = out[81] = "miễn công tác và sinh hoạt"
    if facts.health_exemptions:
        out[80] = "miễn vì lý do sức khỏe"
    if facts.status == "deceased":
        out[102] = "từ trần"
        out[83] = "từ trần"
    elif facts.status == "removed":
        out[16] = "xóa tên"
    elif facts.status == "resigned":
        out[17] = "ra khỏi Đảng"
    known = catalogue()
    return {no: why for no, why in sorted(out.items()) if no in known}


def parse_file(name: str) -> tuple[int, str, int | None] | None:
    """(number, name part, part number) of a document file name, or None when it has no number at all."""
    match = DOCUMENT_FILE.match(name)
    if not match:
        return None
    part = match.group(3)
    return int(match.group(1)), match.group(2), int(part) if part else None


def same_name(a: str, b: str) -> bool:
    """File-name parts compared as a clerk would: no case, no diacritics, spaces folded."""
    def key(text: str) -> str:
        return " ".join(ascii_text(text).casefold().split())

    return key(a) == key(b)
