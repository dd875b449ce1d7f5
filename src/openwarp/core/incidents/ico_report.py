"""A personal-data breach report laid out to copy into the ICO's online form.

The hub keeps the answers the ICO asks for; this module puts them in the
order a data protection officer fills the form, as plain Markdown (readable
as text, pasteable field by field) and as a dictionary for the API.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, tzinfo

from openwarp.core.incidents.clock import deadline_clock

NOT_GIVEN = "(not recorded yet)"


@dataclass(frozen=True, slots=True)
class BreachFacts:
    organisation: str
    incident_title: str
    what_happened: str
    started_at: datetime
    detected_at: datetime
    aware_at: datetime
    nature: str
    data_subject_categories: str
    data_subjects_approx: int | None
    record_categories: str
    records_approx: int | None
    likely_consequences: str
    measures_taken: str
    subjects_told: str
    subjects_told_at: datetime | None
    subjects_not_told_reason: str
    dpo_contact: str
    reported_to_ico_at: datetime | None
    nis_in_scope: bool


def _when(value: datetime | None, zone: tzinfo) -> str:
    if value is None:
        return NOT_GIVEN
    return value.astimezone(zone).strftime("%d %B %Y %H:%M %Z")


def _text(value: str | int | None) -> str:
    if value is None or value == "":
        return NOT_GIVEN
    return f"about {value:,}" if isinstance(value, int) else value


def ico_sections(facts: BreachFacts, *, now: datetime, zone: tzinfo) -> list[tuple[str, str]]:
    """(question, answer) pairs in the order of the ICO form."""
    clock = deadline_clock(started=facts.aware_at, now=now, stopped=facts.reported_to_ico_at)
    told = facts.subjects_told
    if facts.subjects_told_at is not None:
        told += f", on {_when(facts.subjects_told_at, zone)}"
    if facts.subjects_not_told_reason:
        told += f". Why not: {facts.subjects_not_told_reason}"
    return [
        ("Organisation", facts.organisation),
        ("Data protection officer or contact", _text(facts.dpo_contact)),
        ("What happened", _text(facts.what_happened.strip())),
        ("Nature of the breach", _text(facts.nature)),
        ("When the breach started", _when(facts.started_at, zone)),
        ("When it was detected", _when(facts.detected_at, zone)),
        ("When we became aware it involved personal data", _when(facts.aware_at, zone)),
        ("Reporting deadline (72 hours after awareness)", _when(clock.deadline, zone)),
        ("Categories of people affected", _text(facts.data_subject_categories)),
        ("Approximate number of people affected", _text(facts.data_subjects_approx)),
        ("Categories of personal data records", _text(facts.record_categories)),
        ("Approximate number of records", _text(facts.records_approx)),
        ("Likely consequences for the people affected", _text(facts.likely_consequences)),
        ("Measures taken or proposed", _text(facts.measures_taken)),
        ("Have the people affected been told?", _text(told)),
        ("Reported to the ICO", _when(facts.reported_to_ico_at, zone)),
    ]


def ico_markdown(facts: BreachFacts, *, now: datetime, zone: tzinfo) -> str:
    """The report as Markdown: one heading per question, the answer under it."""
    lines = [f"# Personal data breach report: {facts.incident_title}", ""]
    for question, answer in ico_sections(facts, now=now, zone=zone):
        lines += [f"## {question}", "", answer, ""]
    if facts.nis_in_scope:
        lines += [
            "## NIS",
            "",
            "This organisation is an operator of essential services: report the incident "
            "to its NIS competent authority within 72 hours as well.",
            "",
        ]
    return "\n".join(lines)


def ico_json(facts: BreachFacts, *, now: datetime, zone: tzinfo) -> dict[str, object]:
    """The facts (UTC ISO 8601) plus the computed deadline, for the API."""
    clock = deadline_clock(started=facts.aware_at, now=now, stopped=facts.reported_to_ico_at)
    data: dict[str, object] = {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in asdict(facts).items()
    }
    data["deadline"] = clock.deadline.isoformat()
    data["overdue"] = clock.overdue
    data["time_left_seconds"] = int(clock.time_left.total_seconds())
    data["sections"] = [
        {"question": q, "answer": a} for q, a in ico_sections(facts, now=now, zone=zone)
    ]
    return data
