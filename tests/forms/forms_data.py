"""A small committee for the printed-form tests: a province over a commune committee named ``=1+1`` (a name a
spreadsheet would run), two village cells, members whose names look like formulas, a screening run with
findings, and helpers to convert a workbook to PDF and read it back."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

HOSTILE_NAMES = ['=HYPERLINK("http://x.example","Bấm")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3 Lê Văn Ba"]
PLAIN_NAMES = ["Nguyễn Văn An", "Trần Thị Bích Ngọc", "Phạm Nguyễn Thị Thanh Hương", "Lò Thị Mai"]
HOMETOWN = "Thôn Đông, xã Tân Lập, huyện Yên Dũng, tỉnh Bắc Giang (nay là tỉnh Bắc Ninh)"
COMMITTEE = "=1+1"
SUPERIOR = "Đảng bộ tỉnh Bắc Ninh"
TODAY = "2026-12-01"

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
# Skips with the reason when LibreOffice or pdftotext is absent (fails instead under CI, which installs them).
needs_pdf = pytest.mark.usefixtures("pdf_tools")


def build(cli) -> dict:  # noqa: ANN001 - the cli fixture
    """Cells, members (ids, long hometowns), attendance marks; returns the screening run."""
    ok = lambda *a: _ok(cli, *a)  # noqa: E731
    ok("cells", "add", SUPERIOR, "--code", "BN", "--kind", "province_committee")
    ok("cells", "add", COMMITTEE, "--code", "TL", "--kind", "commune_committee", "--parent", "BN")
    ok("cells", "add", "Chi bộ thôn Đông", "--code", "TL.01", "--kind", "cell", "--parent", "TL")
    ok("cells", "add", "Chi bộ thôn Tây", "--code", "TL.02", "--kind", "cell", "--parent", "TL", "--has-committee")
    for i, name in enumerate(PLAIN_NAMES + HOSTILE_NAMES, start=1):
        extra = ["--membership", "probationary"] if name == "Lò Thị Mai" else ["--official-date", f"19/05/20{11 + i}"]
        ok("members", "add", "--name", name, "--gender", "female" if i % 2 else "male",
           "--birth-date", f"0{i}/03/19{70 + i}", "--cell", "TL.01" if i <= 4 else "TL.02",
           "--card-number", f"0801{i:04d}", "--national-id", f"001{i % 2}{70 + i}00{i:04d}",
           "--admission-date", f"19/05/20{10 + i}" if name != "Lò Thị Mai" else "19/05/2025",
           "--hometown", HOMETOWN, "--residence", "Thôn Đông, xã Tân Lập", "--occupation", "Nông dân",
           "--position", "Đảng viên", *extra)
    for card in ("08010001", "08010005", "08010006"):
        for month in (1, 2, 3):
            ok("attendance", "set", card, "--mark", "k", "--year", "2026", "--month", str(month))
    r = cli("screening", "run", "--year", "2026", "--as-of", "01/12/2026", "--format", "json")
    assert r.exit_code == 0, r.stderr
    return r.json()


def _ok(cli, *args):  # noqa: ANN001, ANN202
    r = cli(*args)
    assert r.exit_code == 0, (args, r.stderr)
    return r


def roster_file(path: Path, rows: list[list], section: str = "Chi bộ thôn Đông") -> Path:
    """A plain roster: one header row, one section, rows of (name, gender, birth date, card, admission)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Quê quán"])
    ws.append([f"I. {section}"])
    for n, row in enumerate(rows, start=1):
        ws.append([n, *row])
    for line in ws.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # the clerk's file holds the text, not a formula
    wb.save(path)
    return path


@dataclass
class Pdf:
    pages: list[str]  # pdftotext -layout, one string per page
    words: list[list[tuple[float, float, float, float, str]]]  # per page: (x0, y0, x1, y1, word)
    widths: list[float]  # each page's width (points)

    def flat(self, page: int | None = None) -> str:
        """The text with its whitespace folded (a line of the layout may be spread over columns)."""
        text = "\n".join(self.pages) if page is None else self.pages[page]
        return " ".join(text.split())

    def overlaps(self) -> list[tuple[str, str]]:
        """Pairs of words printed over each other (a row too low for its wrapped text overprints the next)."""
        found = []
        for words in self.words:
            ordered = sorted(words, key=lambda w: w[1])
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    if b[1] >= a[3]:
                        break
                    dx = min(a[2], b[2]) - max(a[0], b[0])
                    dy = min(a[3], b[3]) - max(a[1], b[1])
                    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                    if dx > 0 and dy > 0 and dx * dy > 0.2 * smaller:
                        found.append((a[4], b[4]))
        return found

    def height_of(self, word: str) -> float:
        """The tallest printed box of ``word`` (points): 1.3 × the font size for Liberation Serif (measured)."""
        return max(w[3] - w[1] for page in self.words for w in page if w[4] == word)


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def to_pdf(workbook: Path, tmp_path: Path) -> Pdf:
    """Convert with LibreOffice (a profile of the test's own, so that parallel runs do not clash)."""
    out = tmp_path / "pdf"
    out.mkdir(exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
                   check=True, capture_output=True, timeout=120)
    pdf = out / (workbook.stem + ".pdf")
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    html = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words, widths = [], []
    for chunk in html.split("<page ")[1:]:
        widths.append(float(re.match(r'width="([\d.]+)"', chunk).group(1)))
        words.append([(float(a), float(b), float(c), float(d), _unescape(w)) for a, b, c, d, w in _WORD.findall(chunk)])
    return Pdf(pages, words, widths)


def _unescape(text: str) -> str:
    return text.replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace(
        "&amp;", "&")


SIGNATURE = ["NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", "BÍ THƯ", "(Ký tên, đóng dấu)"]


def assert_printed(pdf: Pdf, *, pages: int, titles: list[str], names: list[str], signer: str,
                   signed: tuple[int, ...] | None = None) -> None:
    """What every printed form must show, read from the PDF's own text. ``signed``: the pages that end a sheet
    (the last one by default), where the whole signature block must be, and only there."""
    assert len(pdf.pages) == pages, [p[:300] for p in pdf.pages]
    whole = pdf.flat()
    for title in ["ĐẢNG CỘNG SẢN VIỆT NAM", *titles]:
        assert title in whole, title
    signed = signed or (pages - 1,)
    for i in range(pages):
        text = pdf.flat(i)
        if i in signed:
            for words in [*SIGNATURE, signer]:
                assert words in text, (i, words)
        else:
            assert "NGƯỜI LẬP BIỂU" not in text and signer not in text, i
    for name in names:
        assert name in whole, name
    for i in range(len(pdf.pages)):
        assert f"Trang {i + 1}/" in pdf.flat(i)
    assert "domain.md" not in whole
    assert pdf.overlaps() == []
    for words, width in zip(pdf.words, pdf.widths, strict=True):  # nothing runs off the page's side margins
        assert [w[4] for w in words if w[0] < 14 or w[2] > width - 14] == []
