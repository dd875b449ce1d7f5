"""Shared reports as CSV, one row per indicator.

CSV is what a member pastes into a firewall block list or opens in a
spreadsheet, so the file follows RFC 4180 (values with commas, quotes or line
breaks are quoted) and guards against spreadsheet formulas: a cell a hostile
reporter starts with `=`, `+`, `-` or `@` would otherwise run when opened in
Excel, so such cells get a leading apostrophe, the usual defence. No valid
domain, address, URL or hash starts with one of those characters, so only
free text and odd file names are touched.

The source column is the report's label, never the organisation behind a
hidden source, and the date column carries only the day.
"""

from __future__ import annotations

import csv
import io

from openwarp.core.sharing.export_model import ExportReport
from openwarp.core.sharing.stix_export import disclosed_times, export_order

HEADER = ["report_id", "report_title", "source", "tlp", "kind", "value", "published"]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def reports_csv(reports: list[ExportReport]) -> str:
    """The indicators of the given reports as CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for report in export_order(reports):
        published = disclosed_times(report)[0].date().isoformat()
        for indicator in report.indicators:
            row = [
                str(report.id),
                report.title,
                report.source_label,
                report.tlp.label,
                indicator.kind,
                indicator.value,
                published,
            ]
            writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()
