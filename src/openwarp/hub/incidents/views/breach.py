"""The breach form and the pre-filled ICO report."""

from __future__ import annotations

from dataclasses import fields

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from openwarp.core.errors import NotFound, OpenWarpError
from openwarp.core.incidents.ico_report import ico_markdown, ico_sections
from openwarp.hub.incidents.exports import breach_facts
from openwarp.hub.incidents.forms import BreachForm
from openwarp.hub.incidents.selectors import incidents as selectors
from openwarp.hub.incidents.services.breach import BreachDraft, breach_record
from openwarp.hub.incidents.views.incidents import writable_incident
from openwarp.hub.members.policy import Action
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view(Action.WRITE_CONTENT)
def breach_edit(request: MemberRequest, public_id: str) -> HttpResponse:
    incident = writable_incident(request, public_id)
    breach = selectors.breach_of(incident)
    initial = {f.name: getattr(breach, f.name) for f in fields(BreachDraft)} if breach else {}
    form = BreachForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            draft = BreachDraft(**form.cleaned_data)
            breach_record(actor=request.user, incident=incident, draft=draft)
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Breach details saved; the ICO clock is running.")
            return redirect("incidents:detail", public_id=incident.public_id)
    return render(
        request,
        "incidents/form_page.html",
        {
            "form": form,
            "caption": incident.title,
            "heading": "Personal-data breach",
            "intro": "The ICO must hear of a reportable breach within 72 hours of your "
            "becoming aware of it. The deadline is worked out from the time you give.",
            "button": "Save breach details",
        },
    )


@member_view()
def ico_report(request: MemberRequest, public_id: str) -> HttpResponse:
    """The report to paste into the ICO's form; `?format=text` gives it as Markdown."""
    incident = selectors.incident_for_viewer(viewer=request.viewer, public_id=public_id)
    breach = selectors.breach_of(incident)
    if breach is None:
        raise NotFound("this incident is not flagged as a personal-data breach")
    facts = breach_facts(incident, breach)
    now, zone = timezone.now(), timezone.get_current_timezone()
    markdown = ico_markdown(facts, now=now, zone=zone)
    if request.GET.get("format") == "text":
        response = HttpResponse(markdown, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ico-breach-report.md"'
        return response
    return render(
        request,
        "incidents/ico_report.html",
        {
            "incident": incident,
            "sections": ico_sections(facts, now=now, zone=zone),
            "markdown": markdown,
            "clocks": selectors.clocks_for(incident, now),
        },
    )
