"""Undo the defanging analysts apply so indicators can be pasted safely.

Reports and e-mails write ``hxxp://evil[.]com`` so that nobody clicks it; a
sweep has to turn that back into the real value before it can compare it with
a log, and it must do so without mangling values that were never defanged.
"""

from __future__ import annotations

import re

# Each replacement keeps the meaning of the original character; the order of
# the alternatives matters only where one marker contains another.
_MARKERS: tuple[tuple[str, str], ...] = (
    (r"\[\s*(?:\.|dot)\s*\]|\(\s*(?:\.|dot)\s*\)|\{\s*(?:\.|dot)\s*\}|\\\.", "."),
    (r"\[\s*(?:@|at)\s*\]|\(\s*(?:@|at)\s*\)|\{\s*(?:@|at)\s*\}", "@"),
    (r"\[\s*:\s*\]|\(\s*:\s*\)", ":"),
    (r"\[\s*/\s*\]", "/"),
    (r"\[://\]", "://"),
)
_MARKER_RE = re.compile(
    "|".join(f"(?P<m{i}>{pattern})" for i, (pattern, _) in enumerate(_MARKERS)),
    re.IGNORECASE,
)
_SCHEME_RE = re.compile(r"^(?:h[xX]{2}p(s?)|fxp|meow)(?=\[?:)", re.IGNORECASE)
_DOT_WORD_RE = re.compile(r"(?<=[A-Za-z0-9]) (?:dot|DOT) (?=[A-Za-z0-9])")


def is_defanged(text: str) -> bool:
    """True when the text carries any defanging marker we know how to undo."""
    return bool(_MARKER_RE.search(text) or _SCHEME_RE.match(text.strip()))


def refang(text: str) -> str:
    """Return the live form of a defanged indicator.

    Handles ``hxxp``/``hXXps``/``fxp`` schemes, ``[.]``, ``(.)``, ``{.}``,
    ``[dot]``, ``\\.``, ``[@]``, ``[at]``, ``[:]``, ``[://]`` and `` dot ``
    between labels. Values without markers come back unchanged.
    """
    value = text.strip()
    scheme = _SCHEME_RE.match(value)
    if scheme:
        word = scheme.group(0).lower()
        live = "ftp" if word == "fxp" else "http" + ("s" if scheme.group(1) else "")
        value = live + value[scheme.end() :]

    def replace(match: re.Match[str]) -> str:
        index = int(next(name for name, got in match.groupdict().items() if got)[1:])
        return _MARKERS[index][1]

    value = _MARKER_RE.sub(replace, value)
    return _DOT_WORD_RE.sub(".", value)
