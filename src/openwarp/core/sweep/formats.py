"""The log formats members hold, recognised from their first lines.

A format names the fields where hosts, addresses and hashes live, as one
compiled pattern run over whole blocks of lowered bytes: that is what lets
the sweep skip timestamps, byte counts and query strings without looking at
them one by one. Formats it does not know fall back to every token of every
line, which is slower but misses nothing.

Patterns start at ``\\n`` (the block is given a leading newline) and never
cross a line end, so block scanning and single-line checks agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

_LABELS_RE = re.compile(rb"\(\d{1,2}\)")


def _dns_labels(text: bytes) -> bytes:
    """Windows DNS writes ``(3)www(4)evil(3)com(0)``; make it ``.www.evil.com.``.

    Applied to whole blocks before anything else, so every later stage sees
    ordinary names; it never touches line ends, so line numbers hold.
    """
    return _LABELS_RE.sub(b".", text)


def _json_unescape(text: bytes) -> bytes:
    """Undo the JSON escapes that would glue text to a name or hide a URL.

    ``\\n`` in ``"...\\nQueryName: evil.com"`` would otherwise make the token
    ``nqueryname``; ``\\/`` would hide ``http://``. Whole lines stay whole.
    """
    if b"\\" not in text:
        return text
    for escape, plain in ((b"\\/", b"/"), (b"\\n", b"  "), (b"\\r", b"  "), (b"\\t", b"  ")):
        text = text.replace(escape, plain)
    return text


def _epoch(text: str) -> str:
    try:
        moment = datetime.fromtimestamp(float(text), UTC)
    except (ValueError, OverflowError, OSError):
        return text
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class LogFormat:
    """How to find fields and the timestamp in one kind of log."""

    name: str
    sniff: re.Pattern[str] | None
    # Patterns whose groups are the fields; None means every token of the line.
    fields: tuple[re.Pattern[bytes], ...] | None
    timestamp: re.Pattern[str] | None = None
    decode: Callable[[bytes], bytes] | None = None
    epoch: bool = False

    def line_time(self, line: str) -> str | None:
        """Timestamp of a line as the log wrote it (epoch seconds become ISO 8601)."""
        if self.timestamp is None:
            return None
        match = self.timestamp.search(line)
        if match is None:
            return None
        text = next((group for group in match.groups() if group), match.group(0))
        return _epoch(text) if self.epoch or _EPOCH_RE.fullmatch(text) else text


_EPOCH_RE = re.compile(r"\d{9,10}(?:\.\d+)?")
_ISO = r"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)"
_SYSLOG = r"^(?:<\d+>)?([A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2})"
_US_TIME = r"(\d{1,2}/\d{1,2}/\d{4},? \d{1,2}:\d{2}:\d{2}(?: [AP]M)?)"

# Several simple patterns, each starting with a literal, run faster than one
# pattern that walks every field of the line.
URL_HOST = re.compile(rb"://([^/\s?#\"'<>\\]+)")
SQUID = LogFormat(
    "squid",
    re.compile(r"^\d{9,10}\.\d{3} +\d+ \S+ [A-Z_]+/\d{3} \d+ [A-Z_]+ \S+ "),
    (
        re.compile(rb"\n[^ \n]+ +[^ \n]+ ([^ \n]+)"),  # client
        URL_HOST,  # host of the URL
        re.compile(rb" connect ([^ \n]+)"),  # CONNECT host:port
        re.compile(rb"_[a-z]+/([^ \n]+) [^ \n]+\n"),  # peer, as in HIER_DIRECT/203.0.113.9
    ),
    re.compile(r"^(\d{9,10}\.\d+)"),
    epoch=True,
)
WEB = LogFormat(
    "web",
    re.compile(r"^\S+ \S+ \S+ \[[^\]]+\] \"[^\"]*\" \d{3} "),
    (
        re.compile(rb'\n([^ \n]+) [^ \n]+ [^ \n]+ \[[^\]\n]*\] "(?:connect ([^ "\n]+))?'),
        URL_HOST,  # absolute request URLs and the referrer
    ),
    re.compile(r"\[([^\]]+)\]"),
)
# Apache's vhost_combined: ``%v:%p`` (the virtual host and port) before the combined fields.
VHOST_COMBINED = LogFormat(
    "vhost-combined",
    re.compile(r"^[^\s:]+(?::\d+)? \S+ \S+ \S+ \[[^\]]+\] \"[^\"]*\" \d{3} "),
    (
        re.compile(
            rb"\n([^ \n:]+)(?::[0-9]+)? ([^ \n]+) [^ \n]+ [^ \n]+ \[[^\]\n]*\] "
            rb'"(?:connect ([^ "\n]+))?'
        ),
        URL_HOST,
    ),
    re.compile(r"\[([^\]]+)\]"),
)
BIND = LogFormat(
    "bind",
    re.compile(r"client (?:@0x[0-9a-f]+ )?\S+#\d+ \([^)]*\): (?:view \S+: )?query: "),
    # The queried name is written twice on each line; the one in brackets will do.
    (re.compile(rb"client (?:@0x[0-9a-f]+ )?([0-9a-f.:]+)#[0-9]+ \(([^)\n]*)\)"),),
    re.compile(r"^(\d{2}-[A-Za-z]{3}-\d{4} \d{2}:\d{2}:\d{2}(?:\.\d+)?)"),
)
DNSMASQ = LogFormat(
    "dnsmasq",
    re.compile(r"dnsmasq\[\d+\]: "),
    (
        re.compile(
            rb"dnsmasq\[\d+\]: (?:query\[[^\]\n]*\]|reply|forwarded|cached|config|/[^ \n]+) "
            rb"(\S+) (?:from|is|to) (\S+)"
        ),
    ),
    re.compile(_SYSLOG + "|" + _ISO),
)
WINDOWS_DNS = LogFormat(
    "windows-dns",
    re.compile(r" (?:Rcv|Snd) [0-9a-fA-F.:]+ .*\(\d+\)"),
    (re.compile(rb" (?:rcv|snd) ([0-9a-f.:]+) [^\n]*\] +\S+ +(\S+)"),),
    re.compile("^" + _US_TIME),
    decode=_dns_labels,
)
FIREWALL_KV = LogFormat(
    "firewall-syslog",
    re.compile(r"\b(?:SRC=\S+ DST=|srcip=|src=\S+ dst=)", re.IGNORECASE),
    (
        re.compile(
            rb"(?:src|dst|srcip|dstip|src_ip|dst_ip|remip|locip|hostname|qname|url|domain|sni)"
            rb'="?([^ \n",;]+)'
        ),
    ),
    re.compile(_SYSLOG + "|" + _ISO + "|date=(\\S+ time=\\S+)"),
)
JSON_LINES = LogFormat(
    "json",
    # JSON lines, or pretty-printed JSON such as PowerShell's ConvertTo-Json.
    re.compile(r"^\s*(?:[{\[]|\"[^\"]+\"\s*:)"),
    # String values and arrays; keys, numbers and booleans cannot hold indicators.
    (
        re.compile(rb'":[ \t]*"([^"\\\n]*(?:\\.[^"\\\n]*)*)"'),
        re.compile(rb'":[ \t]*\[([^\]\n]*)\]'),
    ),
    re.compile(r'"(?:ts|timestamp|@timestamp|time|TimeCreated|EventTime)"\s*:\s*"?([^",}]+)'),
    decode=_json_unescape,
)
# Cisco ASA / FTD syslog (``%ASA-6-302013: Built outbound TCP connection ...``): every
# token, since addresses come as ``interface:address/port`` anywhere in the message;
# the device's own timestamp may carry a year (``logging timestamp``).
CISCO_ASA = LogFormat(
    "cisco-asa",
    re.compile(r"%(?:ASA|FTD)-\d-\d{6}: "),
    None,
    re.compile(r"^(?:<\d+>)?([A-Z][a-z]{2} +\d{1,2} (?:\d{4} )?\d{2}:\d{2}:\d{2})|" + _ISO),
)
# Palo Alto Networks logs in CSV (syslog or a CSV export, no header): columns by
# position. 8-11 are source, destination and their NAT addresses; a THREAT log's
# column 32 is the URL or file name. Receive time is column 2.
_PAN = rb"[0-9]+,[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9:]{8},[^,\n]*,"
PALO_ALTO_CSV = LogFormat(
    "paloalto-csv",
    re.compile(r"(?:^|\s)\d+,\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2},\w*,(?:TRAFFIC|THREAT|URL),"),
    (
        re.compile(_PAN + rb"[a-z]+,(?:[^,\n]*,){3}([^,\n]*),([^,\n]*),([^,\n]*),([^,\n]*),"),
        re.compile(_PAN + rb'(?:threat|url),(?:[^,\n]*,){27}"?([^,"\n]*)'),
    ),
    re.compile(r"\d+,(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}),"),
)
WINDOWS_EVENT_CSV = LogFormat(
    "windows-event-csv",
    re.compile(r"^(?:\ufeff)?\"?(?:Level|TimeCreated|Keywords)\"?,.*(?:Event ?ID|\bId\b)"),
    None,
    re.compile(_US_TIME + "|" + _ISO),
)
FIREWALL_CSV = LogFormat(
    "firewall-csv",
    re.compile(
        r"filterlog(?:\[\d+\])?: \d+,|^\"?(?:date|time|timestamp)\"?,.*(?:src|source)", re.I
    ),
    None,
    re.compile(_SYSLOG + "|" + _ISO + "|" + _US_TIME),
)
GENERIC = LogFormat("generic", None, None, re.compile(_ISO + "|" + _SYSLOG + "|" + _US_TIME))

FORMATS: tuple[LogFormat, ...] = (
    SQUID,
    WEB,
    VHOST_COMBINED,
    BIND,
    DNSMASQ,
    WINDOWS_DNS,
    WINDOWS_EVENT_CSV,
    CISCO_ASA,
    PALO_ALTO_CSV,
    FIREWALL_CSV,
    FIREWALL_KV,
    JSON_LINES,
)
BY_NAME = {fmt.name: fmt for fmt in (*FORMATS, GENERIC)}
SNIFF_LINES = 50


def detect(head: bytes) -> LogFormat:
    """The format most of the first lines agree on, else the generic one.

    Windows event and firewall CSV exports are recognised by their header,
    so one matching line is enough for them.
    """
    lines = [
        line.decode("utf-8", "replace")
        for line in head.split(b"\n", SNIFF_LINES)[:SNIFF_LINES]
        if line.strip()
    ]
    if not lines:
        return GENERIC
    best, best_count = GENERIC, 0
    for fmt in FORMATS:
        assert fmt.sniff is not None
        count = sum(1 for line in lines if fmt.sniff.search(line))
        header_only = fmt.fields is None and count >= 1
        if count > best_count and (count * 2 >= len(lines) or header_only):
            best, best_count = fmt, count
    return best
