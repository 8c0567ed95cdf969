"""What is typed or imported is stored as it reads: no terminal controls or bidi tricks, Đ not mistaken for Ð,
legacy capitals decoded (issue 12, points 6 and 11)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "excel"))
from builders import write_xlsx  # noqa: E402
from hostile import row, write_sheet_xlsx  # noqa: E402

from dangvien_cli.excel.legacy import VN1_CAPITAL_BYTES, _cp, decode  # noqa: E402
from dangvien_cli.text import collation_key, normalize_text, search_key  # noqa: E402

HOSTILE_NAMES = {
    "Nguyễn\x1b[2J\x1b[31m Văn An\x1b[0m": "Nguyễn Văn An",  # clear screen, colour
    "Trần\x1b]0;Đã bị chiếm\x07 Thị Bình": "Trần Thị Bình",  # window title (OSC … BEL)
    "Lê\x1b]8;;http://x\x1b\\ Văn Cường": "Lê Văn Cường",  # hyperlink (OSC … ST)
    "Phạm\x00 Văn\x08\x08 Dũng": "Phạm Văn Dũng",  # NUL, backspaces
    "Hoàng \u202eVăn Em": "Hoàng Văn Em",  # right-to-left override
    "Vũ \u2067Thị\u2069 \u200fGiang\u200b": "Vũ Thị Giang",  # isolates, RLM, zero-width space
    "Đỗ\x9b31m Hà": "Đỗ Hà",  # the one-byte C1 CSI
}


@pytest.mark.parametrize(("raw", "clean"), HOSTILE_NAMES.items())
def test_controls_and_bidi_characters_are_removed(raw, clean):
    assert normalize_text(raw) == clean


def test_ordinary_text_is_left_alone():
    for text in ("Nguyễn Văn An", "Thôn 3, xã Tân Lập", "Số 12/QĐ-TW", "Ưu tú"):
        assert normalize_text(text) == text


def test_names_added_or_imported_are_stored_without_controls(cli, commune, tmp_path):
    raw = "Nguyễn\x1b[2J\x1b[31m Văn An\x1b[0m"
    assert cli("members", "add", "--name", raw, "--gender", "male", "--birth-date", "1970",
               "--cell", "TL.01").exit_code == 0
    rows = [row(1, ["STT", "Họ và tên", "Giới tính", "Ngày sinh"])]
    rows += [row(i + 2, [i + 1, name, "Nam", "01/01/1970"]) for i, name in enumerate(list(HOSTILE_NAMES)[1:])]
    r = cli("import", "roster", write_sheet_xlsx(tmp_path / "ds.xlsx", rows), "--into", "TL.01", "-f", "json")
    assert r.exit_code == 0, r.stderr
    stored = sorted(m["full_name"] for m in cli("members", "list", "-f", "json").json())
    assert stored == sorted(HOSTILE_NAMES.values())


# --- Đ typed as Ð (U+00D0, from text decoded through Windows-1252) ---------------------------------------------


def test_eth_is_folded_to_d_with_stroke():
    assert normalize_text("Ðặng Văn ðức") == "Đặng Văn đức"
    assert search_key("Ðặng") == "dang" == search_key("Đặng")
    assert collation_key("Ðức") == collation_key("Đức")
    # Sorted among D words, after "Dung" and before "E…", not first.
    names = ["Ðức", "An", "Dung", "Em"]
    assert sorted(names, key=collation_key) == ["An", "Dung", "Ðức", "Em"]


def test_an_imported_eth_name_is_found_by_a_search_for_d(cli, commune, tmp_path):
    rows = [["STT", "Họ và tên", "Giới tính", "Ngày sinh"], [1, "Ðặng Thị Mai", "Nữ", "01/01/1970"],
            [2, "Ðỗ Văn Ðức", "Nam", "01/01/1971"]]
    assert cli("import", "roster", write_xlsx(tmp_path / "ds.xlsx", rows), "--into", "TL.01").exit_code == 0
    found = [m["full_name"] for m in cli("members", "list", "--search", "dang", "-f", "json").json()]
    assert found == ["Đặng Thị Mai"]
    found = [m["full_name"] for m in cli("members", "list", "--search", "do van duc", "-f", "json").json()]
    assert found == ["Đỗ Văn Đức"]


# --- TCVN3 -------------------------------------------------------------------------------------------------------


def _excel(data: bytes) -> str:
    """What Excel stores for ``data`` typed in a .VnTime font: the Windows-1252 reading of each byte."""
    return "".join(_cp(b) for b in data)


def test_tcvn3_capitals_in_vn1_codes_are_decoded():
    # "ĐẢNG BỘ XÃ" as glibc's TCVN5712-1 writes it: Đ=0xA7, Ả=0x81, Ộ=0x97, Ã=0x82 (was "Đ\x81NG B— X‚").
    assert decode(_excel(b"\xa7\x81NG B\x97 X\x82"), "tcvn3") == "ĐẢNG BỘ XÃ"
    assert decode(_excel(b"\x83"), "tcvn3") == "Á" and decode(_excel(b"\xff"), "tcvn3") == "Ố"
    assert decode("\x81", "tcvn3") == "Ả"  # stored as the C1 code point
    assert len(VN1_CAPITAL_BYTES) == 60  # every toned capital: 12 vowels × 5 tones


@pytest.mark.skipif(
    shutil.which("iconv") is None
    or subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=b"a", capture_output=True).returncode,
    reason="iconv with TCVN5712-1 (glibc) is not installed",
)
def test_every_letter_round_trips_through_glibc_tcvn5712_1():
    lower = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
    for letter in lower + lower.upper():
        data = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=letter.encode(),
                              capture_output=True, check=True).stdout
        assert decode(_excel(data), "tcvn3") == letter, (letter, data)
    for b, letter in VN1_CAPITAL_BYTES.items():
        assert subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes([b]),
                              capture_output=True, check=True).stdout.decode() == letter


def test_a_capitals_word_with_a_lower_case_toned_letter_is_upper_case():
    # .VnTime has no toned capitals: typed in capitals, "QUẦN SOÓC" comes out "QU" + ầ + "N SO" + ó + "C".
    assert decode("QUÇN SOãC", "tcvn3") == "QUẦN SOÓC"  # was "QUầN SÓC": a letter dropped
    assert decode("§¶NG Bé X· T¢N LËP", "tcvn3") == "ĐẢNG BỘ XÃ TÂN LẬP"
    # The other habit, capital base + toned lower-case letter, is still one capital.
    assert decode("A¸", "tcvn3") == "Á" and decode("Uñy ban", "tcvn3") == "Ủy ban"
    # Ordinary words keep their case.
    assert decode("Hå Minh ¸nh", "tcvn3") == "Hồ Minh ánh"
    assert decode("Chi bé th«n §«ng", "tcvn3") == "Chi bộ thôn Đông"


def test_names_in_a_vntime_roster_get_their_capitals(cli, commune, tmp_path):
    # "Hồ Minh Ánh" typed in .VnTime: the bytes say "ánh", but every word of a name begins with a capital.
    rows = [["STT", "Hä vµ tªn", "Giíi tÝnh", "Ngµy sinh"], [1, "Hå Minh ¸nh", "N÷", "01/01/1970"],
            [2, "NguyÔn V¨n §øc", "Nam", "01/01/1971"]]
    path = write_xlsx(tmp_path / "vntime.xlsx", rows, font=".VnTime")
    r = cli("import", "roster", path, "--into", "TL.01", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["encoding"] == "tcvn3"
    stored = sorted(m["full_name"] for m in cli("members", "list", "-f", "json").json())
    assert stored == ["Hồ Minh Ánh", "Nguyễn Văn Đức"]
