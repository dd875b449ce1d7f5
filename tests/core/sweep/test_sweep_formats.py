"""Each log format members hold: recognised, fields found, timestamps read."""

from __future__ import annotations

import json

import pytest

from openwarp.core.sweep.formats import detect
from tests.core.sweep.conftest import Sweep

SQUID = (
    "1700000000.123    245 10.20.1.17 TCP_MISS/200 5120 GET http://www.evil-cdn.com/j/ad.js - "
    "HIER_DIRECT/203.0.113.9 application/javascript\n"
    "1700000001.456     12 10.20.1.18 TCP_TUNNEL/200 880 CONNECT 198.51.100.23:443 - "
    "HIER_DIRECT/198.51.100.23 -\n"
    "1700000002.789      3 10.20.1.19 TCP_DENIED/403 0 GET http://intranet.council.gov.uk/ - "
    "HIER_NONE/- text/html\n"
)
WEB = (
    '203.0.113.50 - - [14/Nov/2023:10:00:01 +0000] "GET /login HTTP/1.1" 200 512 '
    '"https://phish.example-bank.co.uk/start" "Mozilla/5.0"\n'
    '198.51.100.4 - jdoe [14/Nov/2023:10:00:02 +0000] "CONNECT c2.badhost.net:443 HTTP/1.1" '
    '200 0 "-" "curl/8.0"\n'
    '192.0.2.1 - - [14/Nov/2023:10:00:03 +0000] "GET /index.html HTTP/1.1" 200 99 "-" "-"\n'
)
BIND = (
    "14-Nov-2023 10:00:00.120 client @0x7f3a2c01b8 10.1.2.3#53411 (Update.Bad-Domain.org): "
    "query: Update.Bad-Domain.org IN A +E(0)K (10.0.0.53)\n"
    "14-Nov-2023 10:00:00.410 client @0x7f3a2c01b8 10.1.2.4#53412 (www.nhs.uk): "
    "query: www.nhs.uk IN AAAA +E(0)K (10.0.0.53)\n"
)
DNSMASQ = (
    "Nov 14 10:00:00 gw dnsmasq[812]: query[A] login.bad-domain.org from 10.1.2.3\n"
    "Nov 14 10:00:00 gw dnsmasq[812]: forwarded login.bad-domain.org to 1.1.1.1\n"
    "Nov 14 10:00:00 gw dnsmasq[812]: reply login.bad-domain.org is 203.0.113.77\n"
)
WINDOWS_DNS = (
    "11/14/2023 10:00:00 AM 0E28 PACKET  000001F4A1B2C3D0 UDP Rcv 10.1.2.30       7a3c   Q "
    "[0001   D   NOERROR] A      (3)cdn(10)bad-domain(3)org(0)\n"
    "11/14/2023 10:00:01 AM 0E28 PACKET  000001F4A1B2C3D0 UDP Rcv 10.1.2.31       7a3d   Q "
    "[0001   D   NOERROR] A      (3)www(3)gov(2)uk(0)\n"
)
IPTABLES = (
    "Nov 14 10:00:00 fw kernel: [1234.5] DROP IN=eth0 OUT= MAC=00:11:22:33:44:55 "
    "SRC=203.0.113.77 DST=10.1.2.3 LEN=60 PROTO=TCP SPT=4444 DPT=443\n"
    "Nov 14 10:00:01 fw kernel: [1234.6] ACCEPT IN=eth0 OUT= SRC=192.0.2.8 DST=10.1.2.3 LEN=60\n"
)
FORTIGATE = (
    'date=2023-11-14 time=10:00:00 devname="fw1" type="traffic" srcip=10.1.2.3 '
    'dstip=203.0.113.77 hostname="login.bad-domain.org" action="deny"\n'
    'date=2023-11-14 time=10:00:01 devname="fw1" type="traffic" srcip=10.1.2.3 '
    'dstip=192.0.2.8 action="accept"\n'
)
PFSENSE = (
    "Nov 14 10:00:00 pfsense filterlog[5]: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,"
    "6,tcp,60,203.0.113.77,10.1.2.3,51234,443,0,S,1,,64240,,mss\n"
    "Nov 14 10:00:01 pfsense filterlog[5]: 5,,,1000000103,igb0,match,pass,in,4,0x0,,64,0,0,DF,"
    "6,tcp,60,192.0.2.8,10.1.2.3,51235,443,0,S,1,,64240,,mss\n"
)
ZEEK = (
    json.dumps(
        {
            "ts": 1700000000.5,
            "uid": "CxT1",
            "id.orig_h": "10.1.2.3",
            "id.resp_h": "10.0.0.53",
            "query": "login.bad-domain.org",
            "answers": ["203.0.113.77"],
        }
    )
    + "\n"
    + json.dumps(
        {
            "ts": 1700000001.5,
            "uid": "CxT2",
            "id.orig_h": "10.1.2.3",
            "query": "www.gov.uk",
            "answers": ["192.0.2.8"],
        }
    )
    + "\n"
    + json.dumps(
        {
            "ts": 1700000002.5,
            "fuid": "F1",
            "mime_type": "application/x-dosexec",
            "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        }
    )
    + "\n"
)
WINDOWS_EVENT_CSV = (
    "Level,Date and Time,Source,Event ID,Task Category\n"
    "Information,11/14/2023 10:00:00 AM,Microsoft-Windows-Sysmon,22,Dns query (rule: DnsQuery),"
    '"Dns query: QueryName: login.bad-domain.org QueryResults: ::ffff:203.0.113.77;"\n'
    "Information,11/14/2023 10:00:05 AM,Microsoft-Windows-Sysmon,1,Process Create,"
    '"Hashes: SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"\n'
)
VHOST_COMBINED = (
    'www.derby-council.example:443 203.0.113.50 - - [14/Nov/2023:10:00:01 +0000] "GET /login '
    'HTTP/1.1" 200 512 "https://phish.example-bank.co.uk/start" "Mozilla/5.0 (Windows NT 10.0)"\n'
    "intranet.derby-council.example:80 198.51.100.4 - jdoe [14/Nov/2023:10:00:02 +0000] "
    '"CONNECT c2.badhost.net:443 HTTP/1.1" 405 0 "-" "curl/8.0"\n'
    'www.derby-council.example:443 192.0.2.1 - - [14/Nov/2023:10:00:03 +0000] "GET / HTTP/1.1" '
    '200 99 "-" "-"\n'
)
CISCO_ASA = (
    "Nov 14 2023 10:00:00 fw-edge-01 : %ASA-6-302013: Built outbound TCP connection 1460918 for "
    "outside:203.0.113.77/443 (203.0.113.77/443) to inside:10.1.2.3/51234 (198.51.100.2/51234)\n"
    "Nov 14 2023 10:00:02 fw-edge-01 : %ASA-4-106023: Deny tcp src outside:198.51.100.66/4444 "
    'dst inside:10.1.2.3/22 by access-group "outside_access_in" [0x0, 0x0]\n'
    "Nov 14 2023 10:00:03 fw-edge-01 : %ASA-5-304001: 10.1.2.3 Accessed URL "
    "203.0.113.77:/gate.php\n"
    "Nov 14 2023 10:00:04 fw-edge-01 : %ASA-6-302015: Built outbound UDP connection 1460920 for "
    "outside:192.0.2.53/53 (192.0.2.53/53) to inside:10.1.2.3/60000 (198.51.100.2/60000)\n"
    "Nov 14 2023 10:00:04 fw-edge-01 : %ASA-4-338008: Dynamic filter dropped blacklisted TCP "
    "traffic from inside:10.1.2.3/51240 (198.51.100.2/51240) to outside:192.0.2.99/80 "
    "(192.0.2.99/80), destination 192.0.2.99 resolved from dynamic list: login.bad-domain.org\n"
)
_PAN_TAIL = ",vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd-syslog,2023/11/14 10:00:00,34567,1,"
PALO_ALTO_CSV = (
    "<14>Nov 14 10:00:09 PA-3220 1,2023/11/14 10:00:00,012801012345,TRAFFIC,end,2561,"
    "2023/11/14 09:59:58,10.1.2.3,203.0.113.77,198.51.100.2,203.0.113.77,allow-web,,,ssl"
    + _PAN_TAIL
    + "51234,443,51234,443,0x400019,tcp,allow,5120,1024,4096,12,2023/11/14 09:59:58,2\n"
    "<14>Nov 14 10:00:10 PA-3220 1,2023/11/14 10:00:01,012801012345,THREAT,url,2561,"
    "2023/11/14 10:00:01,10.1.2.3,192.0.2.99,198.51.100.2,192.0.2.99,allow-web,,,web-browsing"
    + _PAN_TAIL
    + '51235,80,51235,80,0x40b000,tcp,block-url,"login.bad-domain.org/gate.php",(9999),'
    "malware,informational,client-to-server\n"
    "<14>Nov 14 10:00:11 PA-3220 1,2023/11/14 10:00:02,012801012345,TRAFFIC,end,2561,"
    "2023/11/14 10:00:02,10.1.2.4,192.0.2.8,198.51.100.2,192.0.2.8,allow-web,,,dns"
    + _PAN_TAIL
    + "51236,53,51236,53,0x400019,udp,allow,120,60,60,2,2023/11/14 10:00:02,0\n"
)
SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
CASES = [
    (
        "squid",
        SQUID,
        ["evil-cdn.com", "198.51.100.23"],
        {(1, "evil-cdn.com", "www.evil-cdn.com"), (2, "198.51.100.23", "198.51.100.23")},
        "2023-11-14T22:13:20.123Z",
    ),
    (
        "web",
        WEB,
        ["example-bank.co.uk", "badhost.net", "203.0.113.50"],
        {
            (1, "example-bank.co.uk", "phish.example-bank.co.uk"),
            (1, "203.0.113.50", "203.0.113.50"),
            (2, "badhost.net", "c2.badhost.net"),
        },
        "14/Nov/2023:10:00:01 +0000",
    ),
    (
        "vhost-combined",
        VHOST_COMBINED,
        ["example-bank.co.uk", "badhost.net", "203.0.113.50", "derby-council.example"],
        {
            (1, "derby-council.example", "www.derby-council.example"),
            (1, "example-bank.co.uk", "phish.example-bank.co.uk"),
            (1, "203.0.113.50", "203.0.113.50"),
            (2, "derby-council.example", "intranet.derby-council.example"),
            (2, "badhost.net", "c2.badhost.net"),
            (3, "derby-council.example", "www.derby-council.example"),
        },
        "14/Nov/2023:10:00:01 +0000",
    ),
    (
        "cisco-asa",
        CISCO_ASA,
        ["203.0.113.77", "198.51.100.66", "bad-domain.org"],
        {
            (1, "203.0.113.77", "203.0.113.77"),
            (2, "198.51.100.66", "198.51.100.66"),
            (3, "203.0.113.77", "203.0.113.77"),
            (5, "bad-domain.org", "login.bad-domain.org"),
        },
        "Nov 14 2023 10:00:00",
    ),
    (
        "paloalto-csv",
        PALO_ALTO_CSV,
        ["203.0.113.77", "bad-domain.org"],
        {
            (1, "203.0.113.77", "203.0.113.77"),
            (2, "bad-domain.org", "login.bad-domain.org"),
        },
        "2023/11/14 10:00:00",
    ),
    (
        "bind",
        BIND,
        ["bad-domain.org"],
        {(1, "bad-domain.org", "Update.Bad-Domain.org")},
        "14-Nov-2023 10:00:00.120",
    ),
    (
        "dnsmasq",
        DNSMASQ,
        ["bad-domain.org", "203.0.113.77"],
        {
            (1, "bad-domain.org", "login.bad-domain.org"),
            (2, "bad-domain.org", "login.bad-domain.org"),
            (3, "bad-domain.org", "login.bad-domain.org"),
            (3, "203.0.113.77", "203.0.113.77"),
        },
        "Nov 14 10:00:00",
    ),
    (
        "windows-dns",
        WINDOWS_DNS,
        ["bad-domain.org"],
        {(1, "bad-domain.org", "cdn.bad-domain.org")},
        "11/14/2023 10:00:00 AM",
    ),
    (
        "firewall-syslog",
        IPTABLES,
        ["203.0.113.77"],
        {(1, "203.0.113.77", "203.0.113.77")},
        "Nov 14 10:00:00",
    ),
    (
        "firewall-syslog",
        FORTIGATE,
        ["bad-domain.org", "203.0.113.0/24"],
        {(1, "bad-domain.org", "login.bad-domain.org"), (1, "203.0.113.0/24", "203.0.113.77")},
        "2023-11-14 time=10:00:00",
    ),
    (
        "firewall-csv",
        PFSENSE,
        ["203.0.113.77"],
        {(1, "203.0.113.77", "203.0.113.77")},
        "Nov 14 10:00:00",
    ),
    (
        "json",
        ZEEK,
        ["bad-domain.org", "203.0.113.77", SHA],
        {
            (1, "bad-domain.org", "login.bad-domain.org"),
            (1, "203.0.113.77", "203.0.113.77"),
            (3, SHA, SHA),
        },
        "2023-11-14T22:13:20.500Z",
    ),
    (
        "windows-event-csv",
        WINDOWS_EVENT_CSV,
        ["bad-domain.org", "203.0.113.77", SHA],
        {
            (2, "bad-domain.org", "login.bad-domain.org"),
            (2, "203.0.113.77", "203.0.113.77"),
            (3, SHA, SHA.upper()),
        },
        "11/14/2023 10:00:00 AM",
    ),
]


@pytest.mark.parametrize(("name", "text", "values", "expected", "stamp"), CASES)
def test_format_is_detected_and_its_hits_found(
    sweep_text: Sweep, name: str, text: str, values: list[str], expected: set, stamp: str
) -> None:
    assert detect(text.encode()).name == name
    hits, warnings = sweep_text(text, *values)
    assert warnings == []
    assert {(hit.line, hit.indicator, hit.matched) for hit in hits} == expected
    assert {hit.file.rsplit("/", 1)[-1] for hit in hits} == {"test.log"}
    assert {hit.format for hit in hits} == {name}
    first = min(hits, key=lambda hit: hit.line)
    assert first.timestamp == stamp


def test_pretty_printed_windows_event_json(sweep_text: Sweep) -> None:
    # The shape of Get-WinEvent | ConvertTo-Json: an array, two spaces after each colon.
    text = (
        "[\n    {\n"
        '        "Id":  22,\n'
        '        "TimeCreated":  "2023-11-14T10:00:00.000Z",\n'
        '        "Message":  "Dns query:\\r\\nQueryName:\\tlogin.bad-domain.org\\r\\n"\n'
        "    }\n]\n"
    )
    assert detect(text.encode()).name == "json"
    hits, _ = sweep_text(text, "bad-domain.org")
    assert [(hit.line, hit.matched) for hit in hits] == [(5, "login.bad-domain.org")]


def test_unknown_format_falls_back_to_every_token(sweep_text: Sweep) -> None:
    text = "app started\nuser alice fetched https://cdn.bad-domain.org/x from 10.9.9.9 ok\n"
    assert detect(text.encode()).name == "generic"
    hits, _ = sweep_text(text, "bad-domain.org", "10.9.9.9")
    assert {(hit.line, hit.indicator) for hit in hits} == {(2, "bad-domain.org"), (2, "10.9.9.9")}


def test_fields_a_format_does_not_hold_are_not_swept(sweep_text: Sweep) -> None:
    # The squid format's fields are client, URL host and peer; a domain that only
    # appears in the URL's query string is not where this log records a visit.
    text = (
        "1700000000.123    245 10.20.1.17 TCP_MISS/200 5120 GET "
        "http://search.example.org/?q=evil-cdn.com - HIER_DIRECT/203.0.113.9 text/html\n"
    )
    hits, _ = sweep_text(text, "evil-cdn.com", "203.0.113.9")
    assert {hit.indicator for hit in hits} == {"203.0.113.9"}
