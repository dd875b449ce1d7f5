"""The daily digest of GREEN and CLEAR reports, sent once a day per member."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.core import mail
from typer.testing import CliRunner

from openwarp.cli.main import app
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services.organisations import organisation_create
from openwarp.hub.sharing.models import Report
from openwarp.hub.sharing.services.digest import digest_send
from openwarp.hub.sharing.services.reports import ReportDraft, report_create, report_release
from tests.world import World, make_user

DAY = datetime(2026, 11, 24, tzinfo=UTC)


def _on_day(report: Report, hour: int) -> None:
    Report.objects.filter(pk=report.pk).update(published_at=DAY.replace(hour=hour))


def _report(world: World, title: str, tlp: str, **changes: object) -> Report:
    report, _ = report_create(
        actor=world.other_lead,
        draft=ReportDraft(
            title=title, threat_type="phishing", tlp=tlp, distribution="region", **changes
        ),
    )
    return report


def test_each_member_gets_the_days_green_and_clear_reports_once(world: World) -> None:
    lead = world.users[Role.SECURITY_LEAD]
    _on_day(_report(world, "Zebra invoice lure", "green"), 9)
    _on_day(_report(world, "Advice on MFA fatigue", "clear"), 15)
    _on_day(_report(world, "Amber one", "amber"), 11)  # was told at once, not in the digest
    _report(world, "Today's news", "green")  # another day
    mail.outbox.clear()
    run = digest_send(day=DAY.date())
    assert (run.sent, run.reports) == (1, 2)  # Derby; Nottingham wrote them all
    (message,) = mail.outbox
    assert message.to == [lead.email] and "2 reports shared on 24 November" in message.subject
    body = message.body
    assert "Zebra invoice lure" in body and "Advice on MFA fatigue" in body
    assert "Amber one" not in body and "Today's news" not in body
    assert body.index("Advice") < body.index("Zebra")  # by title, not by time (Zebra was first)
    again = digest_send(day=DAY.date())
    assert (again.sent, again.already) == (0, 1) and len(mail.outbox) == 1


def test_an_anonymous_report_appears_by_category_and_day_only(world: World) -> None:
    third = organisation_create(
        actor=None, name="Erewash Borough Council", org_type="district", region=world.region
    )
    make_user("lead@erewash.example", Role.SECURITY_LEAD, third)
    anonymous = _report(world, "Quiet extortion attempt", "green", anonymous=True)
    report_release(actor=world.users[Role.COORDINATOR], report=anonymous, release=True)
    _on_day(anonymous, 10)
    mail.outbox.clear()
    digest_send(day=DAY.date())
    bodies = {tuple(m.to): m.body for m in mail.outbox}
    assert set(bodies) == {(world.users[Role.SECURITY_LEAD].email,), ("lead@erewash.example",)}
    for body in bodies.values():
        assert "Quiet extortion attempt (a unitary authority in the East Midlands)" in body
        assert "Nottingham" not in body and "10:" not in body


def test_the_cli_sends_a_named_day_and_refuses_a_bad_one(world: World) -> None:
    _on_day(_report(world, "Zebra invoice lure", "green"), 9)
    result = CliRunner().invoke(app, ["notify", "digest", "--day", "2026-11-24"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"day": "2026-11-24", "sent": 1, "already": 0, "reports": 1}
    bad = CliRunner().invoke(app, ["notify", "digest", "--day", "24/11/2026"])
    assert bad.exit_code != 0 and "is not a date like" in bad.output
