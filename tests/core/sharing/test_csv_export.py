"""CSV export: one row per indicator, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from openwarp.core.sharing.csv_export import reports_csv
from openwarp.core.sharing.export_model import ExportIndicator, ExportReport, ExportSource
from openwarp.core.tlp import TLP

HUB = ExportSource(UUID("6f1c2d4e-8a9b-4c1d-9e2f-3a4b5c6d7e8f"), "East Midlands WARP")
ORG = ExportSource(UUID("0b9f7c1e-2d3a-4e5f-8a6b-7c8d9e0f1a2b"), "Derby City Council")
REPORT = ExportReport(
    id=UUID("3c1f5e7a-9b2d-4f6e-8a1c-5d7e9f0b2c4d"),
    title="Invoice phishing, second wave",
    summary="Fake supplier invoices.",
    description="",
    threat_type="phishing",
    confidence="probable",
    tlp=TLP.AMBER_STRICT,
    published=datetime(2025, 3, 4, 23, 59, 1, tzinfo=UTC),
    modified=datetime(2025, 3, 5, 8, 30, tzinfo=UTC),
    source=ORG,
    source_label=ORG.name,
    hub_identity=HUB,
    indicators=[
        ExportIndicator("domain", "login-portal.example"),
        ExportIndicator("filename", "invoice, final.pdf.exe"),
        ExportIndicator("url", 'https://evil.example/a?q="x"'),
    ],
)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_header_then_one_row_per_indicator() -> None:
    table = rows(reports_csv([REPORT]))

    assert table[0] == ["report_id", "report_title", "source", "tlp", "kind", "value", "published"]
    assert table[1] == [
        "3c1f5e7a-9b2d-4f6e-8a1c-5d7e9f0b2c4d",
        "Invoice phishing, second wave",
        "Derby City Council",
        "TLP:AMBER+STRICT",
        "domain",
        "login-portal.example",
        "2025-03-04",
    ]
    assert [row[5] for row in table[1:]] == [i.value for i in REPORT.indicators]


def test_values_with_commas_and_quotes_are_quoted() -> None:
    text = reports_csv([REPORT])

    assert '"Invoice phishing, second wave"' in text
    assert ',"invoice, final.pdf.exe",' in text
    assert '"https://evil.example/a?q=""x"""' in text
    assert text.endswith("\r\n")


def test_anonymous_report_shows_only_its_label_and_day() -> None:
    hidden = replace(REPORT, source=None, source_label="a district council in the East Midlands")
    text = reports_csv([hidden])

    assert ORG.name not in text
    assert str(ORG.id) not in text
    assert {row[2] for row in rows(text)[1:]} == {"a district council in the East Midlands"}
    assert "23:59" not in text


def test_spreadsheet_formulas_in_hostile_text_are_neutralised() -> None:
    hostile = replace(
        REPORT,
        title='=HYPERLINK("http://evil.example","Click")',
        indicators=[ExportIndicator("filename", "@SUM(1+1).exe")],
    )
    (_, row) = rows(reports_csv([hostile]))

    assert row[1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert row[5] == "'@SUM(1+1).exe"


def test_no_reports_gives_just_the_header() -> None:
    assert reports_csv([]) == "report_id,report_title,source,tlp,kind,value,published\r\n"
