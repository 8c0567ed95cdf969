"""What the clerk sees in a terminal: tables that never break a word, pages, records, Vietnamese words and
formats, escaped control characters, CSV for Excel, usage errors in Vietnamese, the --db typo refused."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

import dbstate
from dangvien_cli.cli import output
from dangvien_cli.cli.app import register
from dangvien_cli.cli.imports import problem_lines
from dangvien_cli.formats import money_vi, number_vi, percent_vi, ranges, time_vi
from dangvien_cli.sources import cite, source

NAMES = ["Nguyễn Thị Minh Khai Phương Thảo", "Trần Văn Bình", "Lê Hoàng Anh Tuấn Kiệt", "Phạm Thị Dung",
         "Hoàng Văn Thái Bình Dương", "Võ Thị Sáu"]
DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


def add_members(cli, names=NAMES):
    for n, name in enumerate(names):
        r = cli("members", "add", "--name", name, "--gender", "nu" if "Thị" in name else "nam",
                "--birth-date", f"{n % 18 + 10:02d}/0{n % 9 + 1}/19{60 + n % 17}",  # 18 or older in 1995
                "--cell", "TL.01" if n % 2 else "TL.02",
                "--card-number", f"0901234{n}" if n < 10 else f"09013{n:03d}",  # 8 digits (rules.identity)
                "--admission-date", f"0{n % 9 + 1}/05/1995",
                "--official-date", f"0{n % 9 + 1}/05/1996", "--note", "ghi chú " * (n + 1))
        assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize("width", [80, 120])
def test_tables_never_split_a_name_date_or_number(cli, commune, monkeypatch, width):
    add_members(cli)
    monkeypatch.setenv("COLUMNS", str(width))
    for args in (("members", "list"), ("members", "history", "1"), ("cells", "list"), ("db", "log")):
        r = cli(*args)
        assert r.exit_code == 0, r.stderr
        lines = r.stdout.splitlines()
        assert all(output.cell_width(line) <= width for line in lines), (args, r.stdout)
        text = "\n".join(lines)
        if args == ("members", "list"):
            for n, name in enumerate(NAMES):
                shown = [line for line in lines if f"0901234{n}" in line]
                assert len(shown) == 1, r.stdout  # the card number whole, on one line
                assert name in shown[0] or re.search(re.escape(name[:6]) + r"\S*…", shown[0]), shown
        # Every date on screen is whole: no "01/02" at a line's end with "/1990" at the next line's start.
        assert not re.search(r"\d{2}/\d{2}/?\n", text + "\n") and not re.search(r"^\s*/?\d{4}\b", text, re.M)
        for line in lines:
            for token in re.findall(r"\d+/\d+(?:/\d+)?", line):
                assert DATE.fullmatch(token) or re.fullmatch(r"\d{2}/\d{4}", token), (token, line)


def test_narrow_terminal_leaves_out_columns_and_says_how_to_see_them(cli, commune, monkeypatch):
    add_members(cli)
    monkeypatch.setenv("COLUMNS", "80")
    r = cli("members", "list")
    header = r.stdout.splitlines()[1]
    assert "Họ và tên" in header and "Ngày sinh" in header and "Chính thức" not in header
    assert "--wide" in r.stderr and "--columns" in r.stderr
    wide = cli("members", "list", "--wide")
    assert "Chính thức" in wide.stdout.splitlines()[1] and "Ẩn cột" not in wide.stderr
    chosen = cli("members", "list", "--columns", "full_name,card_number")
    assert chosen.stdout.splitlines()[1].split() == ["Họ", "và", "tên", "Số", "thẻ"]
    bad = cli("members", "list", "--columns", "khong_co")
    assert bad.exit_code == 1 and "full_name" in bad.stderr


def test_piped_table_is_as_wide_as_it_needs(cli, commune, monkeypatch):
    add_members(cli)
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = cli("members", "list").stdout.splitlines()
    assert max(output.cell_width(line) for line in lines) > 80
    assert all(name in cli("members", "list").stdout for name in NAMES)


def test_a_terminal_shows_one_page_and_says_how_many_more(cli, commune, monkeypatch):
    names = [f"Nguyễn Văn {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(30)]
    add_members(cli, names)
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("LINES", "20")
    monkeypatch.setenv("COLUMNS", "100")
    r = cli("members", "list", "--search", "nguyen")
    rows = [line for line in r.stdout.splitlines() if "Nguyễn Văn" in line]
    assert len(rows) == 9 and "còn 21 dòng" in r.stderr and "--all" in r.stderr and "--limit" in r.stderr
    assert len([x for x in cli("members", "list", "--all").stdout.splitlines() if "Nguyễn Văn" in x]) == 30
    limited = cli("members", "list", "--limit", "5")
    assert len([x for x in limited.stdout.splitlines() if "Nguyễn Văn" in x]) == 5
    assert len(cli("members", "list", "-f", "json").json()) == 30  # JSON and CSV always give everything
    assert len(cli("members", "list", "-f", "csv").stdout.splitlines()) == 31


def test_show_is_a_record_not_a_one_row_table(cli, commune, monkeypatch):
    add_members(cli, NAMES[:1])
    monkeypatch.setenv("COLUMNS", "60")
    lines = cli("members", "show", "09012340").stdout.splitlines()
    assert lines[0] == NAMES[0]
    fields = dict(re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in lines[1:] if re.match(r"\S", line))
    assert fields["Họ và tên"] == NAMES[0] and fields["Giới tính"] == "Nữ" and fields["Ngày sinh"] == "10/01/1960"
    assert fields["Trạng thái"] == "Đang sinh hoạt" and "─" not in "\n".join(lines)
    assert all(output.cell_width(line) <= 60 for line in lines)


def test_control_characters_are_shown_harmlessly(cli, commune, monkeypatch, isolated_db):
    hostile = "Lê\x1b]0;HACK\x07 Văn\x1b[2J\x00 An\x08\u202e"
    r = cli("members", "add", "--name", hostile, "--gender", "male", "--birth-date", "1970", "--cell", "TL.01")
    assert r.exit_code == 0, r.stderr
    # Input removes them (text.normalize_text); a database written before that may still hold them.
    assert cli("members", "show", "1", "-f", "json").json()["full_name"] == "Lê Văn An"

    old = hostile.replace("\x00", "") if dbstate.ON_POSTGRESQL else hostile  # PostgreSQL text never held NUL
    with dbstate.connect(isolated_db) as conn:
        conn.execute("UPDATE members SET full_name = ? WHERE id = 1", (old,))
    for args in (("members", "list"), ("members", "show", "1"), ("members", "list", "-f", "csv")):
        out = cli(*args)
        assert not re.search("[\x00-\x08\x1b\x7f\u202e]", out.stdout + out.stderr), args
        assert "␛" in out.stdout and "<U+202E>" in out.stdout
    assert output.safe("a\x1b[31mb\x00\x08\u202ec") == "a␛[31mb␀␈<U+202E>c"


def test_labels_and_vietnamese_formats_in_tables_and_csv_json_keeps_codes(cli, commune):
    add_members(cli, NAMES[:2])
    cli("members", "exempt", "09012341", "--from", "01/01/2026", "--reason", "tuoi")
    data = cli("members", "list", "-f", "json").json()
    assert {m["gender"] for m in data} == {"female", "male"} and data[0]["birth_date"][4] == "-"
    assert {m["status"] for m in data} == {"active", "exempt"}
    csv_text = cli("members", "list", "-f", "csv").stdout
    assert csv_text.startswith("\ufeffid,") and "\r\n" in csv_text
    assert "Miễn sinh hoạt" in csv_text and ",Nữ," in csv_text and "10/01/1960" in csv_text
    assert "exempt" not in csv_text.split("\n", 1)[1] and "female" not in csv_text
    history = cli("members", "history", "09012341", "--wide").stdout
    assert "Miễn sinh hoạt" in history and "Đang sinh hoạt" in history and "exempted" not in history
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", history) and "T" not in re.findall(r"\d{4}-\d{2}-\d{2}T", history)


def test_csv_cells_never_run_as_formulas():
    assert output.csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and output.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert output.csv_cell("+cmd|x") == "'+cmd|x" and output.csv_cell(-5) == "-5" and output.csv_cell("-") == "'-"


def test_option_values_take_vietnamese_words(cli, commune):
    r = cli("members", "add", "--name", "Lò Thị Mai", "--gender", "nu", "--birth-date", "1970", "--cell", "TL.01",
            "--membership", "chinh thuc", "--admission-date", "1995")
    assert r.exit_code == 0, r.stderr
    member = cli("members", "show", "1", "-f", "json").json()
    assert member["gender"] == "female" and member["membership"] == "official"
    assert cli("members", "exempt", "1", "--from", "01/01/2026", "--reason", "suc khoe").exit_code == 0
    bad = cli("members", "leave", "1", "--reason", "nghi", "--date", "01/02/2026")
    assert bad.exit_code == 1 and "--reason" in bad.stderr and "deceased (Từ trần)" in bad.stderr
    assert "tuoi" not in cli("members", "exempt", "-h").stdout or "Tuổi cao" in cli("members", "exempt", "-h").stdout


def test_settings_in_human_units(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    out = cli("settings", "list").stdout
    assert "18 tuổi" in out and "60 ngày làm việc" in out and "20 %" in out and "216" not in out
    assert "domain.md" not in out and "§" not in out and "Điều lệ Đảng" in out


def test_usage_errors_and_help_headings_in_vietnamese(cli):
    r = cli("members", "list", "--hep")
    assert r.exit_code == 2 and "Không có tùy chọn --hep" in r.stderr and "Có phải ý bạn là: --help?" in r.stderr
    assert "Cách dùng: dangvien members list" in r.stderr and "Xem hướng dẫn: dangvien members list -h" in r.stderr
    r = cli("members", "add", "--name", "X")
    assert r.exit_code == 2 and "Thiếu tùy chọn '--gender'" in r.stderr
    r = cli("members", "lst")
    assert r.exit_code == 2 and "Không có lệnh 'lst'. Có phải ý bạn là 'list'?" in r.stderr
    r = cli("members", "list", "--limit", "x")
    assert r.exit_code == 2 and "'x' không phải số nguyên" in r.stderr
    for text in (r.stderr, cli("members", "add", "-h").stdout, cli("--help").stdout):
        for english in ("Usage", "Options", "Commands", "Error", "Missing", "No such", "Did you mean",
                        "Show this message", "[required]", "[default", "Try '", "TEXT", "INTEGER"):
            assert english not in text, (english, text)
    page = cli("members", "add", "-h").stdout
    assert "Cách dùng:" in page and "Tùy chọn:" in page and "[bắt buộc]" in page and "Xem hướng dẫn này" in page
    assert "Lệnh:" in cli("--help").stdout


def test_no_help_page_cites_domain_md():
    root = typer.main.get_command(register())

    def pages(command, path):
        ctx = command.context_class(command, info_name=path)
        yield path, command.get_help(ctx)
        for name, child in getattr(command, "commands", {}).items():
            yield from pages(child, f"{path} {name}")

    cited = [path for path, text in pages(root, "dangvien") if "domain.md" in text or "§" in text]
    assert cited == []


def test_the_vietnamese_catalog_is_compiled_from_its_source():
    folder = Path(__file__).parent.parent / "src" / "dangvien_cli" / "locale" / "vi" / "LC_MESSAGES"
    po = (folder / "dangvien.po").read_text(encoding="utf-8")
    pairs = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"', po, re.M))
    with open(folder / "dangvien.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    assert pairs and all(catalog.gettext(k) == v for k, v in pairs.items())


def test_a_db_path_that_does_not_exist_is_refused_and_nothing_is_created(cli, tmp_path, monkeypatch):
    typo = tmp_path / "khong-co" / "x.db"
    r = cli("--db", typo, "members", "list")
    assert r.exit_code == 1 and "Chưa có cơ sở dữ liệu" in r.stderr and f"dangvien --db {typo} db init" in r.stderr
    assert not typo.parent.exists()
    monkeypatch.setenv("DANGVIEN_DB", str(typo))
    r = cli("cells", "list")
    assert r.exit_code == 1 and "DANGVIEN_DB" in r.stderr and not typo.parent.exists()
    assert cli("db", "init").exit_code == 0 and typo.exists()
    assert cli("cells", "list", "-f", "json").json() == []


def test_import_groups_the_same_problem_and_names_the_rows():
    errors = [{"row": r, "column": "Ngày sinh", "message": "Thiếu ngày sinh."} for r in range(5, 49)]
    errors += [{"row": 60, "column": "Giới tính", "message": "Giới tính 'x' không hợp lệ."}]
    lines, warnings = problem_lines(errors, ["Dòng 7, cột 'Dân tộc': lạ", "Dòng 8, cột 'Dân tộc': lạ", "Tệp cũ"])
    assert lines == ["Thiếu ngày sinh — cột 'Ngày sinh', 44 dòng: 5–48",
                     "Dòng 60, cột 'Giới tính': Giới tính 'x' không hợp lệ."]
    assert warnings == ["Tệp cũ", "lạ — cột 'Dân tộc', 2 dòng: 7–8"]
    # 2,000 rows of one warning: the first runs named, the rest counted (the JSON report has them all)
    _, many = problem_lines([], [f"Dòng {r}, cột 'Ghi chú': Dự bị." for r in range(5, 100_005, 50)])
    assert many == ["Dự bị — cột 'Ghi chú', 2.000 dòng: 5, 55, 105, 155, 205, 255, 305, 355, 405, 455, 505, 555 "
                    "và 1.988 dòng khác"]


def test_a_refused_import_says_nothing_was_written_and_nothing_else(cli, commune, tmp_path):
    from test_import_roster import EAST, roster

    bad = [[f"Người {i}", "Nam", "31/02/1970", None, None, "1995", None, None, None] for i in range(12)]
    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Đông", EAST + bad)])
    r = cli("import", "roster", path, "--into", "TL")
    assert r.exit_code == 3 and "Đã nhập" not in r.stderr and "không ghi gì" in r.stderr
    assert "12 dòng:" in r.stderr and len(r.stderr.splitlines()) < 10
    assert len(cli("import", "roster", path, "--into", "TL", "-f", "json").json()["errors"]) >= 12


def test_an_import_names_a_few_missing_members_and_how_to_see_all(cli, commune, tmp_path):
    from test_import_roster import EAST, roster

    add_members(cli)
    path = roster(tmp_path / "ds.xlsx", [("Chi bộ thôn Đông", EAST)])
    r = cli("import", "roster", path, "--into", "TL")
    assert r.exit_code == 0, r.stderr
    assert "6 đảng viên của tổ chức này không có trong tệp" in r.stderr and "và 1 người khác" in r.stderr
    assert "--show-missing" in r.stderr and r.stdout == ""
    assert r.stderr.index("Đã nhập") < r.stderr.index("không có trong tệp")
    full = cli("import", "roster", path, "--into", "TL", "--dry-run", "--show-missing")
    assert all(name in full.stdout for name in NAMES)


def test_vietnamese_formats():
    assert number_vi(4.76) == "4,76" and percent_vi(4.7619) == "4,76 %" and money_vi(20000) == "20.000 đ"
    assert number_vi(1234567) == "1.234.567" and percent_vi(3.0, None) == "3 %"
    assert time_vi("2026-12-01T07:23:32Z") == "01/12/2026 14:23"  # Vietnam is UTC+7
    assert ranges([5, 6, 7, 9, 12, 13]) == "5–7, 9, 12–13"
    assert ranges([5, 6, 7, 9, 12, 13], 2) == "5–7, 9 và 2 dòng khác" and ranges([5, 9], 2) == "5, 9"
    assert cite("Cần số quyết định (domain.md §1.9).") == f"Cần số quyết định ({source('1.9')})."
    assert source("1.9") == "Điều lệ Đảng, Điều 8; Quy định 208-QĐ/TW"  # the regulation in force today
    assert cite("(QĐ 24 §8.1, domain.md §1.9)") == "(QĐ 24-QĐ/TW, mục 8.1)"


def test_completion_script_for_bash_and_zsh(tmp_path):
    for shell in ("bash", "zsh"):
        r = subprocess.run([sys.executable, "-m", "dangvien_cli", "--show-completion", shell], capture_output=True,
                           text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, timeout=60)
        assert r.returncode == 0 and "_DANGVIEN_COMPLETE" in r.stdout, r.stderr


def test_install_completion_is_one_command_and_says_so_in_vietnamese(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    r = subprocess.run([sys.executable, "-m", "dangvien_cli", "--install-completion", "bash"], capture_output=True,
                       text=True, env=env, timeout=60)
    assert r.returncode == 0 and "Đã cài gợi ý lệnh" in r.stdout + r.stderr, r.stderr
    script = tmp_path / ".bash_completions" / "dangvien.sh"
    assert script.exists() and str(script) in (tmp_path / ".bashrc").read_text()
    words = subprocess.run([sys.executable, "-m", "dangvien_cli"], capture_output=True, text=True, timeout=60,
                           env=env | {"_DANGVIEN_COMPLETE": "complete_bash", "COMP_WORDS": "dangvien mem",
                                      "COMP_CWORD": "1"})
    assert words.stdout.split() == ["members"]
