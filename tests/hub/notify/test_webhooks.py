"""Webhooks end to end: a lead registers one, events reach a real HTTP
receiver signed, anonymous news waits for the hour, and the hub refuses to
post into its own network."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from django.core import mail

from openwarp.core.notify.signing import SIGNATURE_HEADER, verify
from openwarp.hub.members.models import SharingGroup
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services.organisations import network_range_add
from openwarp.hub.notify.delivery import RETRY_DELAYS, delivery_attempt
from openwarp.hub.notify.models import Delivery, DeliveryState, Webhook
from openwarp.hub.sharing.services.reports import ReportDraft, report_create, report_release
from tests.world import World


@dataclass
class Receiver:
    url: str
    status: int = 204
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box = Receiver(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            box.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(box.status)
            if box.status == 302:
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box.url = f"http://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()


@pytest.fixture
def lab(settings: Any) -> None:
    settings.WEBHOOKS_TO_PRIVATE = True  # the receiver lives on 127.0.0.1


def _register(world: World, url: str, events: list[str]) -> dict[str, Any]:
    response = world.api(Role.SECURITY_LEAD).post(
        "/api/v1/webhooks", {"url": url, "events": events}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def _publish(world: World, capture: Any, **changes: Any) -> Any:
    values = {
        "title": "Loader beaconing",
        "threat_type": "malware",
        "tlp": "green",
        "distribution": "region",
        "indicators_text": "192.0.2.44",
        **changes,
    }
    with capture(execute=True):
        report, _ = report_create(actor=world.other_lead, draft=ReportDraft(**values))
    return report


def _run_due_tasks(capture: Any) -> None:
    """What `openwarp worker` does with queued tasks whose time has come (the
    worker itself closes connections, which a test's transaction cannot take)."""
    from django_tasks_db.models import DBTaskResult

    while due := list(DBTaskResult.objects.ready().order_by("enqueued_at")):
        for row in due:
            with capture(execute=True):
                row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
            row.delete()


def test_an_early_warning_reaches_the_webhook_signed(
    world: World, receiver: Receiver, lab: None, django_capture_on_commit_callbacks: Any
) -> None:
    network_range_add(actor=None, organisation=world.own, cidr="192.0.2.0/24")
    hook = _register(world, receiver.url, ["early_warning"])
    report = _publish(world, django_capture_on_commit_callbacks)
    _run_due_tasks(django_capture_on_commit_callbacks)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert verify(hook["secret"], headers[SIGNATURE_HEADER.lower()], body, now=int(time.time()))
    assert not verify("whsec_wrong", headers[SIGNATURE_HEADER.lower()], body, now=int(time.time()))
    message = orjson.loads(body)
    assert message["event"] == "early_warning" and headers["x-openwarp-event"] == "early_warning"
    assert message["data"]["report"] == str(report.public_id)
    assert message["data"]["reasons"] == ["192.0.2.44 is in your range 192.0.2.0/24"]
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.DELIVERED and delivery.response_status == 204


def test_amber_reports_are_told_at_once_and_green_ones_are_not(
    world: World, receiver: Receiver, lab: None, django_capture_on_commit_callbacks: Any
) -> None:
    _register(world, receiver.url, ["report"])
    _publish(world, django_capture_on_commit_callbacks, indicators_text="green.example")
    group = SharingGroup.objects.create(name="Derby and Nottingham")
    group.organisations.add(world.own, world.other)
    mail.outbox.clear()
    amber = _publish(
        world,
        django_capture_on_commit_callbacks,
        title="Extortion e-mails to finance teams",
        tlp="amber",
        distribution="sharing_group",
        sharing_group=group,
        indicators_text="amber.example",
    )
    _run_due_tasks(django_capture_on_commit_callbacks)
    messages = [orjson.loads(body) for _, body in receiver.received]
    assert [m["data"]["report"] for m in messages] == [str(amber.public_id)]
    assert messages[0]["data"]["source"] == "Nottingham City Council"
    subjects = [m.subject for m in mail.outbox]
    assert any("TLP:AMBER report: Extortion e-mails" in s for s in subjects)
    assert all(world.other_lead.email not in m.to for m in mail.outbox)  # not its own author


def test_an_anonymous_report_is_told_about_only_from_the_next_full_hour(
    world: World, receiver: Receiver, lab: None, django_capture_on_commit_callbacks: Any
) -> None:
    network_range_add(actor=None, organisation=world.own, cidr="192.0.2.0/24")
    _register(world, receiver.url, ["early_warning", "report"])
    with django_capture_on_commit_callbacks(execute=True):
        anonymous, _ = report_create(
            actor=world.other_lead,
            draft=ReportDraft(
                title="Ransomware affiliate inside a district",
                threat_type="ransomware",
                tlp="amber",
                distribution="region",
                anonymous=True,
                indicators_text="192.0.2.77",
            ),
        )
    with django_capture_on_commit_callbacks(execute=True):
        report_release(actor=world.users[Role.COORDINATOR], report=anonymous, release=True)
    _run_due_tasks(django_capture_on_commit_callbacks)
    assert receiver.received == []  # nothing leaves before the hour
    pending = Delivery.objects.get(event="early_warning")
    assert pending.state == DeliveryState.PENDING and pending.attempts == 0
    assert pending.payload["sent_at"].endswith(":00:00+00:00")
    assert "Nottingham" not in orjson.dumps(pending.payload).decode()
    # When the hour comes, the worker sends them; the report's source is a category.
    for delivery in Delivery.objects.all():
        delivery_attempt(delivery_id=delivery.pk)
    bodies = [orjson.loads(body) for _, body in receiver.received]
    assert {b["event"] for b in bodies} == {"early_warning"}
    assert "nottingham" not in str(bodies).lower()


def test_the_hub_will_not_post_into_its_own_network(world: World, receiver: Receiver) -> None:
    refused = world.api(Role.SECURITY_LEAD).post(
        "/api/v1/webhooks",
        {"url": receiver.url, "events": ["report"]},
        content_type="application/json",
    )
    assert refused.status_code == 422 and refused.json()["field"] == "url"
    local = receiver.url.replace("http://", "https://")
    hook = Webhook.objects.get(public_id=_register(world, local, ["report"])["id"])
    delivery = Delivery.objects.create(webhook=hook, event="test", payload={"event": "test"})
    delivery = delivery_attempt(delivery_id=delivery.pk)
    assert "127.0.0.1, which is not a public address" in delivery.last_error
    assert receiver.received == [] and delivery.state == DeliveryState.PENDING


def test_failures_are_retried_then_given_up_and_redirects_not_followed(
    world: World, receiver: Receiver, lab: None
) -> None:
    receiver.status = 302
    hook = Webhook.objects.get(public_id=_register(world, receiver.url, ["report"])["id"])
    delivery = Delivery.objects.create(webhook=hook, event="test", payload={"event": "test"})
    for _ in range(len(RETRY_DELAYS) + 1):
        delivery = delivery_attempt(delivery_id=delivery.pk)
    assert delivery.state == DeliveryState.FAILED and delivery.response_status == 302
    assert delivery.attempts == len(RETRY_DELAYS) + 1
    assert len(receiver.received) == len(RETRY_DELAYS) + 1  # no request followed the redirect
    hook.refresh_from_db()
    assert hook.failures_in_a_row == len(RETRY_DELAYS) + 1 and hook.active


def test_a_webhook_that_keeps_failing_is_switched_off(
    world: World, receiver: Receiver, lab: None
) -> None:
    receiver.status = 500
    hook = Webhook.objects.get(public_id=_register(world, receiver.url, ["report"])["id"])
    Webhook.objects.filter(pk=hook.pk).update(failures_in_a_row=19)
    delivery = Delivery.objects.create(webhook=hook, event="test", payload={"event": "test"})
    delivery = delivery_attempt(delivery_id=delivery.pk)
    hook.refresh_from_db()
    assert not hook.active and delivery.state == DeliveryState.FAILED
    page = world.client(Role.SECURITY_LEAD).get(f"/organisations/{world.own.slug}/webhooks/")
    assert "Switched off after repeated failures" in page.content.decode()


def test_the_secret_is_shown_once_on_the_page(world: World) -> None:
    client = world.client(Role.SECURITY_LEAD)
    path = f"/organisations/{world.own.slug}/webhooks/"
    page = client.post(path, {"url": "https://hooks.derby.example/x", "events": ["report"]})
    secret = Webhook.objects.get().secret
    assert secret in page.content.decode()
    assert secret not in client.get(path).content.decode()
    listed = world.api(Role.SECURITY_LEAD).get("/api/v1/webhooks").json()
    assert [h["url"] for h in listed] == ["https://hooks.derby.example/x"]
    assert "secret" not in listed[0]
