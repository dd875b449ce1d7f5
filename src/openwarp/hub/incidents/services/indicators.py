"""Linking single indicators to an incident, through the sharing capability.

Values are read with sharing's own paste parser. A value already in one of the
incident's related reports (that the actor can see) is linked as it is, keeping
that report's marking. Values found in none of them are shared as a new sharing
report, with the marking the member chooses, written by sharing's `report_create`
(so warning lists, early warnings and the audit apply as for any report), and that
report becomes a related report of the incident. A line that is not an indicator
is an error naming the line, and nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from openwarp.core.errors import InvalidInput
from openwarp.core.sharing.paste import PastedIndicator, parse_pasted
from openwarp.hub.incidents.models import Incident, IncidentIndicator
from openwarp.hub.incidents.services.incidents import audit_incident, require_writer
from openwarp.hub.members.models import User
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.sharing.access import reports_visible
from openwarp.hub.sharing.models import Indicator, Report, ThreatType
from openwarp.hub.sharing.services.reports import ReportDraft, report_create


@dataclass(frozen=True)
class IndicatorsLinked:
    from_reports: int
    shared: int
    report: Report | None


def _parsed(text: str) -> list[PastedIndicator]:
    parsed = parse_pasted(text)
    if parsed.unrecognised:
        line, content = parsed.unrecognised[0]
        raise InvalidInput(
            f"line {line} is not an indicator we recognise: {content[:80]!r}", field="indicators"
        )
    if not parsed.indicators:
        raise InvalidInput("paste at least one indicator, one a line", field="indicators")
    return parsed.indicators


@transaction.atomic
def incident_indicators_add(
    *,
    actor: User,
    incident: Incident,
    text: str,
    tlp: str = "amber",
    distribution: str = "region",
    threat_type: str = ThreatType.OTHER,
) -> IndicatorsLinked:
    """Link pasted values to the incident; share those no related report holds yet."""
    require_writer(actor, incident)
    pasted = _parsed(text)
    related = incident.related_reports.filter(pk__in=reports_visible(viewer_for(actor)))
    known: dict[tuple[str, str], Indicator] = {}
    for indicator in Indicator.objects.filter(
        report__in=related, value__in={p.value for p in pasted}
    ).order_by("pk"):
        known.setdefault((indicator.kind, indicator.value), indicator)
    new = [p for p in pasted if (p.kind, p.value) not in known]
    report = _share(actor, incident, new, tlp, distribution, threat_type) if new else None
    if report is not None:
        for indicator in report.indicators.all():
            known.setdefault((indicator.kind, indicator.value), indicator)
    links = [known[(p.kind, p.value)] for p in pasted if (p.kind, p.value) in known]
    IncidentIndicator.objects.bulk_create(
        [IncidentIndicator(incident=incident, indicator=i, linked_by=actor) for i in links],
        ignore_conflicts=True,
    )
    audit_incident(
        actor,
        "incident.indicators_add",
        incident,
        linked=len(links),
        shared=len(new),
        report=str(report.public_id) if report else None,
    )
    return IndicatorsLinked(len(pasted) - len(new), len(new), report)


def _share(
    actor: User,
    incident: Incident,
    values: list[PastedIndicator],
    tlp: str,
    distribution: str,
    threat_type: str,
) -> Report:
    """A sharing report for the new values; its title names the category, not the incident."""
    report, _ = report_create(
        actor=actor,
        draft=ReportDraft(
            title=f"Indicators seen in an NCSC {incident.ncsc_category} incident",
            threat_type=threat_type,
            tlp=tlp,
            distribution=distribution,
            indicators_text="\n".join(v.original or v.value for v in values),
        ),
    )
    incident.related_reports.add(report)
    return report
