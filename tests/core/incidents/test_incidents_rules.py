"""Incident times, NCSC categories, NIS scope, the ICO report and regional cells."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from openwarp.core.errors import InvalidInput
from openwarp.core.incidents.aggregates import (
    IncidentRow,
    breach_rate,
    breaches_by_type_and_year,
    open_by_category_and_type,
)
from openwarp.core.incidents.categories import NcscCategory, nis_in_scope, parse_category
from openwarp.core.incidents.ico_report import BreachFacts, ico_json, ico_markdown
from openwarp.core.incidents.times import check_breach_times, check_incident_times

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _field(call, **kwargs) -> str | None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        call(**kwargs)
    return raised.value.field


def test_detected_before_started_names_detected_at() -> None:
    assert (
        _field(
            check_incident_times,
            started_at=NOW - timedelta(hours=1),
            detected_at=NOW - timedelta(hours=2),
            now=NOW,
        )
        == "detected_at"
    )


@pytest.mark.parametrize("field", ["started_at", "detected_at"])
def test_a_time_in_the_future_names_its_field(field: str) -> None:
    times = {"started_at": NOW - timedelta(hours=3), "detected_at": NOW - timedelta(hours=2)}
    times[field] = NOW + timedelta(hours=1)
    if field == "started_at":
        times["detected_at"] = NOW + timedelta(hours=2)
    assert _field(check_incident_times, now=NOW, **times) == field


def test_a_minute_of_clock_skew_is_tolerated() -> None:
    check_incident_times(started_at=NOW, detected_at=NOW + timedelta(seconds=30), now=NOW)


def test_breach_times_must_follow_awareness() -> None:
    start = NOW - timedelta(days=2)
    assert (
        _field(check_breach_times, aware_at=start - timedelta(hours=1), started_at=start, now=NOW)
        == "aware_at"
    )
    assert (
        _field(
            check_breach_times,
            aware_at=NOW - timedelta(hours=5),
            started_at=start,
            now=NOW,
            reported_to_ico_at=NOW - timedelta(hours=6),
        )
        == "reported_to_ico_at"
    )
    assert (
        _field(
            check_breach_times,
            aware_at=NOW - timedelta(hours=5),
            started_at=start,
            now=NOW,
            subjects_told_at=NOW + timedelta(hours=6),
        )
        == "subjects_told_at"
    )


def test_categories_parse_and_carry_their_labels() -> None:
    assert parse_category(" c3 ") is NcscCategory.C3
    assert NcscCategory.C1.label.startswith("National cyber emergency")
    assert NcscCategory.C6.label.startswith("Localised")
    assert _field(parse_category, value="C7") == "ncsc_category"


def test_nhs_bodies_are_in_nis_scope_and_councils_are_not() -> None:
    assert nis_in_scope("nhs_trust") and nis_in_scope("icb")
    assert not nis_in_scope("county") and not nis_in_scope("school")


def _facts(**changes) -> BreachFacts:  # type: ignore[no-untyped-def]
    values = dict(
        organisation="Derby City Council",
        incident_title="Ransomware",
        what_happened="Files encrypted.",
        started_at=datetime(2026, 10, 24, 20, 0, tzinfo=UTC),
        detected_at=datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        aware_at=datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
        nature="Copy of council tax records",
        data_subject_categories="Residents",
        data_subjects_approx=48000,
        record_categories="Names, addresses",
        records_approx=None,
        likely_consequences="Fraud",
        measures_taken="Isolated servers",
        subjects_told="No, and we do not plan to",
        subjects_told_at=None,
        subjects_not_told_reason="Would tip off the attacker",
        dpo_contact="dpo@derby.example",
        reported_to_ico_at=None,
        nis_in_scope=False,
    )
    return BreachFacts(**(values | changes))


def test_the_ico_report_carries_every_answer_in_local_time() -> None:
    text = ico_markdown(_facts(), now=NOW, zone=ZoneInfo("Europe/London"))
    # Aware 00:30 BST on 25 October; the deadline is 72 elapsed hours later, in GMT.
    assert "25 October 2026 00:30 BST" in text
    assert "27 October 2026 23:30 GMT" in text
    for answer in (
        "about 48,000",
        "Residents",
        "Fraud",
        "Would tip off the attacker",
        "dpo@derby.example",
        "Isolated servers",
    ):
        assert answer in text
    assert "Approximate number of records\n\n(not recorded yet)" in text
    assert "NIS" not in text
    assert "competent authority" in ico_markdown(
        _facts(nis_in_scope=True), now=NOW, zone=ZoneInfo("Europe/London")
    )


def test_the_ico_json_gives_the_computed_deadline_in_utc() -> None:
    data = ico_json(_facts(), now=NOW, zone=ZoneInfo("Europe/London"))
    assert data["deadline"] == "2026-10-27T23:30:00+00:00"
    assert data["overdue"] is True
    assert data["aware_at"] == "2026-10-24T23:30:00+00:00"


def _row(
    org: int,
    kind: str,
    *,
    year: int = 2025,
    open: bool = False,
    breach: bool = True,
    category: str = "C4",
) -> IncidentRow:
    return IncidentRow(org, kind, category, year, open, breach)


def test_cells_count_incidents_and_the_organisations_behind_them() -> None:
    rows = [
        _row(1, "county"),
        _row(1, "county"),
        _row(2, "county"),
        _row(3, "district", year=2026),
        _row(4, "district", open=True, breach=False, category="C3"),
    ]
    breaches = breaches_by_type_and_year(rows)
    assert breaches.counts == {("county", 2025): 3, ("district", 2026): 1}
    assert breaches.organisations == {("county", 2025): 2, ("district", 2026): 1}
    assert open_by_category_and_type(rows).counts == {("C3", "district"): 1}
    assert breach_rate(3, 2) == 1.5
    assert breach_rate(None, 2) is None and breach_rate(3, 0) is None
