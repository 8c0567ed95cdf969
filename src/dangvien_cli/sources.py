"""The regulation behind each rule, as a clerk cites it.

The code cites the sections of the project's domain guide (``domain.md §1.3``) so that a developer can find
the sources; what a person reads must cite the regulation itself ("Điều lệ Đảng, Điều 5; QĐ 294-QĐ/TW").
``cite`` rewrites a text on its way out (messages, hints, help, table cells, CSV; never JSON) with the table
below, which follows the "Source" of each section of domain.md.
"""

from __future__ import annotations

import re

# domain.md section → the documents it rests on (domain.md §0 lists which are in force). {QĐ} and {HD} stand for
# the regulation and the guidance implementing the Charter that are in force today (rules/regulations.py): they
# changed three times in 2025–2026, and a clerk cites the one in force.
SECTIONS: dict[str, str | None] = {
    "1": "Điều lệ Đảng; {QĐ}",
    "1.1": "Điều lệ Đảng, Điều 1 và Điều 4; {QĐ}; {HD}",
    "1.2": "Hướng dẫn 12-HD/BTCTW",
    "1.3": "Điều lệ Đảng, Điều 5; {QĐ}",
    "1.4": "Điều lệ Đảng, Điều 5, khoản 4; {HD}",
    "1.5": "Quy định 06-QĐ/TW (2026)",
    "1.6": "Điều lệ Đảng, Điều 21–24",
    "1.7": "{QĐ}; Hướng dẫn 27-HD/BTCTW",
    "1.8": "{QĐ}; Hướng dẫn 09-HD/BTCTW",
    "1.9": "Điều lệ Đảng, Điều 8; {QĐ}",
    "2": "Quy định 366-QĐ/TW; Hướng dẫn 43-HD/BTCTW",
    "3": "{HD}",
    "4": "Quy định 01-QĐ/TW",
    "5": "Hướng dẫn 11-HD/BTCTW",
    "6": None,  # how rosters are written: no regulation, the citation is dropped
    "7": "kế hoạch kết nạp đảng viên của cấp ủy",
    "8": "{QĐ}",
    "9": None,
}
_IMPLEMENTING = {"QĐ": "Quy định thi hành Điều lệ Đảng", "HD": "Hướng dẫn một số vấn đề cụ thể thi hành Điều lệ Đảng"}


def _in_force(title: str) -> str:
    """The citation of the document of ``title`` in force today ("Quy định 208-QĐ/TW")."""
    from dangvien_cli.rules.dates import today
    from dangvien_cli.rules.regulations import REGULATIONS

    day = today()
    found = [r for r in REGULATIONS.values() if r.title == title and r.in_force <= day]
    return max(found, key=lambda r: r.in_force).cite() if found else title


_SECTION = r"§\s?(\d+(?:\.\d+)*)"
# "(domain.md §1.3)", "(§1.3)", "(§1.6–§1.9, §2)": a whole parenthesis of guide sections.
_SEC = r"§\s?\d+(?:\.\d+)*"
_PAREN = re.compile(r"\s?\((?:domain\.md\s)?" + _SEC + r"(?:\s?[–,-]\s?(?:domain\.md\s)?" + _SEC + r")*\)")
# ", domain.md §1.3" or ", §1.3" after another text inside a parenthesis or a sentence.
_TAIL = re.compile(r"(?P<lead>[,;]\s?)(?:domain\.md\s)?" + _SECTION)
_BARE = re.compile(r"domain\.md\s?(?:" + _SECTION + r")?")
# "QĐ 24 §8.1" (a section of a regulation itself): the clerk's word is "mục".
_REGULATION_SECTION = re.compile(r"((?:QĐ|HD|Quy định|Hướng dẫn)\s[\w./-]+(?:\s\d{4})?)\s§\s?(\d+(?:\.\d+)*)")
_REGULATION = re.compile(r"QĐ|HD|Điều lệ|Quy định|Hướng dẫn|NQ|Nghị quyết")


# "Điều lệ Điều 21" (the notes' shorthand): "Điều lệ Đảng, Điều 21".
_CHARTER = re.compile(r"\bĐiều lệ Điều (\d+(?:\.\d+)?)")
_BARE_NUMBER = re.compile(r"^(QĐ|HD) (\d+)$")


def _full_number(name: str) -> str:
    """"QĐ 24" → "QĐ 24-QĐ/TW", "HD 06" → "HD 06-HD/TW" (a bare number is a Central Committee document)."""
    return _BARE_NUMBER.sub(lambda m: f"{m[1]} {m[2]}-{m[1]}/TW", name)


def source(section: str) -> str | None:
    """The regulation of a domain.md section ("1.3" → "Điều lệ Đảng, Điều 5; Quy định 208-QĐ/TW")."""
    while section:
        if section in SECTIONS:
            text = SECTIONS[section]
            if text and "{" in text:
                text = text.format(**{k: _in_force(v) for k, v in _IMPLEMENTING.items()})
            return text
        section = section.rpartition(".")[0]
    return None


def _sources(sections: list[str]) -> str:
    seen: list[str] = []
    for sec in sections:
        for part in (source(sec) or "").split("; "):
            if part and part not in seen:
                seen.append(part)
    return "; ".join(seen)


def cite(text: str | None) -> str | None:
    """``text`` with every reference to the domain guide replaced by the regulation it stands for (no text: as it
    is)."""
    if not text or "§" not in text and "domain.md" not in text and "Điều lệ Điều" not in text:
        return text
    text = _CHARTER.sub(lambda m: f"Điều lệ Đảng, Điều {m[1]}", text)
    text = _REGULATION_SECTION.sub(lambda m: f"{_full_number(m[1])}, mục {m[2]}", text)

    def paren(m: re.Match) -> str:
        found = _sources(re.findall(r"(\d+(?:\.\d+)*)", m.group()))
        return f" ({found})" if found else ""

    text = _PAREN.sub(paren, text)

    def tail(m: re.Match) -> str:
        before = text[:m.start()]
        opened = before.rfind("(")
        context = before[opened:] if opened > before.rfind(")") else before[-80:]
        found = source(m[2])
        if not found or _REGULATION.search(context):
            return ""  # the text already cites the regulation
        return f"{m['lead']}{found}"

    text = _TAIL.sub(tail, text)
    text = re.sub(r"(?<![\w,])" + _SECTION, lambda m: source(m[1]) or "", text)
    text = _BARE.sub(lambda m: (source(m[1]) or "") if m[1] else "các văn bản của Đảng", text)
    return text.replace(" ()", "").replace("()", "")
