"""Each person chooses which of the hub's e-mails reach them."""

from __future__ import annotations

import json
import re
from typing import Any

from openwarp.hub.members.policy import Role
from openwarp.hub.notify.mail_choices import mail_choices_set, mail_recipients
from openwarp.hub.notify.models import MailTopic
from openwarp.hub.sharing.services.digest import digest_send
from openwarp.hub.sharing.services.notifications import report_delivered
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from tests.world import World


def _amber_for_derby(world: World) -> None:
    report, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title="Loader on NHS laptops",
            threat_type="malware",
            tlp="amber",
            distribution="region",
            indicators_text="loader-c2.example",
        ),
    )
    report_delivered(report_id=report.pk)  # what the queued task does


def test_by_default_leads_get_every_kind_and_colleagues_none(world: World) -> None:
    lead = world.users[Role.SECURITY_LEAD].email
    for topic in MailTopic:
        assert mail_recipients(organisation_id=world.own.pk, topic=topic) == [lead]


def test_a_colleague_opts_in_and_a_lead_opts_out_of_amber_mail(
    world: World, mailoutbox: Any
) -> None:
    member, lead = world.users[Role.MEMBER], world.users[Role.SECURITY_LEAD]
    mail_choices_set(actor=member, choices={MailTopic.AMBER_REPORT: True})
    mail_choices_set(actor=lead, choices={MailTopic.AMBER_REPORT: False})
    _amber_for_derby(world)
    told = [m.to for m in mailoutbox if "Loader on NHS laptops" in m.subject]
    assert told == [[member.email]]


def test_the_digest_goes_to_whoever_chose_it(world: World, mailoutbox: Any) -> None:
    executive = world.users[Role.EXECUTIVE]
    mail_choices_set(actor=executive, choices={MailTopic.DAILY_DIGEST: True})
    mail_choices_set(actor=world.users[Role.SECURITY_LEAD], choices={MailTopic.DAILY_DIGEST: False})
    day = world.green_report.published_at.date()
    digest_send(day=day)
    assert [m.to for m in mailoutbox] == [[executive.email]]  # Nottingham wrote the report


def test_choices_through_the_api_and_the_page(world: World) -> None:
    api = world.api(Role.MEMBER)
    assert api.get("/api/v1/mail-choices").json() == {
        "early_warning": False,
        "amber_report": False,
        "daily_digest": False,
    }
    changed = api.put(
        "/api/v1/mail-choices", json.dumps({"early_warning": True}), content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["early_warning"] is True
    assert changed.json()["daily_digest"] is False
    page = world.client(Role.MEMBER)
    page.post("/account/mail/", {"topics": ["daily_digest"]})
    assert api.get("/api/v1/mail-choices").json() == {
        "early_warning": False,
        "amber_report": False,
        "daily_digest": True,
    }
    html = page.get("/account/mail/").content.decode()
    assert re.search(r'value="daily_digest"[^>]*checked', html)
    assert not re.search(r'value="early_warning"[^>]*checked', html)


def test_hub_staff_have_no_organisation_mail_to_choose(world: World) -> None:
    response = world.api(Role.COORDINATOR).get("/api/v1/mail-choices")
    assert response.status_code == 403
