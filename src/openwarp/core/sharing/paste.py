"""Reading indicators out of text an analyst pastes into a report.

People paste a mix: one indicator per line, defanged values inside prose,
lists separated by commas, and lines with a trailing comment. Each line is
first tried whole; failing that, its words are tried one by one. What is not
recognised is reported by line number, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openwarp.core.errors import InvalidInput
from openwarp.core.indicators.normalise import classify

# Kinds beyond what a log sweep matches: useful in reports and correlation.
CVE_RE = re.compile(r"CVE-\d{4}-\d{4,}", re.IGNORECASE)
ASN_RE = re.compile(r"AS(\d{1,10})", re.IGNORECASE)
FILE_EXTENSIONS = frozenset(
    [
        "exe",
        "dll",
        "scr",
        "bat",
        "cmd",
        "ps1",
        "vbs",
        "js",
        "jse",
        "hta",
        "lnk",
        "msi",
        "iso",
        "img",
        "zip",
        "rar",
        "7z",
        "gz",
        "doc",
        "docx",
        "docm",
        "xls",
        "xlsx",
        "xlsm",
        "ppt",
        "pptx",
        "pdf",
        "rtf",
        "one",
        "txt",
        "jar",
        "py",
        "sh",
        "elf",
        "bin",
    ]
)
WORD_SPLIT = re.compile(r"[\s,;|]+")
MAX_INDICATORS = 5000


@dataclass(frozen=True, slots=True)
class PastedIndicator:
    kind: str
    value: str
    line: int
    original: str


@dataclass
class PasteResult:
    indicators: list[PastedIndicator] = field(default_factory=list)
    unrecognised: list[tuple[int, str]] = field(default_factory=list)


def classify_extended(text: str) -> tuple[str, str]:
    """Type one value: CVE ids, ASNs and file names as well as network indicators."""
    value = text.strip().strip("\"'()<>")
    if CVE_RE.fullmatch(value):
        return "cve", value.upper()
    if asn := ASN_RE.fullmatch(value):
        return "asn", f"AS{int(asn.group(1))}"
    stem, dot, extension = value.rpartition(".")
    if (
        dot
        and stem
        and extension.lower() in FILE_EXTENSIONS
        and "/" not in value
        and ("@" not in value)
    ):
        return "filename", value
    kind, normal = classify(value)
    return kind.value, normal


def recognise(candidate: str) -> tuple[str, str] | None:
    """(kind, value) of one candidate, or None: a bare word is no domain."""
    try:
        kind, value = classify_extended(candidate)
    except (InvalidInput, ValueError):
        return None
    if kind == "domain" and "." not in value:
        return None
    return kind, value


def _line_candidates(line: str) -> list[str]:
    whole = _without_comment(line)
    if not whole:
        return []
    try:
        classify_extended(whole)
    except (InvalidInput, ValueError):
        return [word for word in WORD_SPLIT.split(whole) if word]
    return [whole]


def _without_comment(line: str) -> str:
    stripped = line.strip()
    return "" if stripped.startswith("#") else stripped.split(" #", 1)[0].strip()


def parse_pasted(text: str) -> PasteResult:
    """Every recognised indicator, once, in the order first seen."""
    result = PasteResult()
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        found_on_line = False
        for candidate in _line_candidates(line):
            if (known := recognise(candidate)) is None:
                continue
            kind, value = known
            found_on_line = True
            if (kind, value) not in seen:
                seen.add((kind, value))
                result.indicators.append(PastedIndicator(kind, value, number, candidate))
        if not found_on_line and _without_comment(line):
            result.unrecognised.append((number, line.strip()[:200]))
        if len(result.indicators) > MAX_INDICATORS:
            raise InvalidInput(
                f"more than {MAX_INDICATORS} indicators; upload a file instead", field="indicators"
            )
    return result
