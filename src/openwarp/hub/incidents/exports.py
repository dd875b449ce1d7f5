"""The incident's breach record in the terms of `core.incidents.ico_report`."""

from __future__ import annotations

from openwarp.core.incidents.categories import nis_in_scope
from openwarp.core.incidents.ico_report import BreachFacts
from openwarp.hub.incidents.models import Breach, Incident


def breach_facts(incident: Incident, breach: Breach) -> BreachFacts:
    return BreachFacts(
        organisation=incident.organisation.name,
        incident_title=incident.title,
        what_happened=incident.description,
        started_at=incident.started_at,
        detected_at=incident.detected_at,
        aware_at=breach.aware_at,
        nature=breach.nature,
        data_subject_categories=breach.data_subject_categories,
        data_subjects_approx=breach.data_subjects_approx,
        record_categories=breach.record_categories,
        records_approx=breach.records_approx,
        likely_consequences=breach.likely_consequences,
        measures_taken=breach.measures_taken,
        subjects_told=breach.get_subjects_told_display(),
        subjects_told_at=breach.subjects_told_at,
        subjects_not_told_reason=breach.subjects_not_told_reason,
        dpo_contact=breach.dpo_contact,
        reported_to_ico_at=breach.reported_to_ico_at,
        nis_in_scope=nis_in_scope(incident.organisation.org_type),
    )
