"""Forgotten passwords: an e-mailed link that works once and gives nothing away."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services import organisations as orgs
from tests.world import PASSWORD, World

NEW_PASSWORD = "lantern-orchard-velvet-42"


def _ask(email: str) -> str:
    response = Client().post("/sign-in/forgotten/", {"email": email})
    assert response.status_code == 200
    # Each response carries its own CSRF token; the rest must not differ.
    return re.sub(r'"[A-Za-z0-9]{64}"', '"csrf"', response.content.decode())


def _link() -> str:
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    found = re.search(r"http://testserver(/sign-in/reset/\S+/)", mail.outbox[0].body)
    assert found, mail.outbox[0].body
    return found.group(1)


def test_a_member_resets_a_forgotten_password_once(world: World) -> None:
    user = world.users[Role.MEMBER]
    answer = _ask("Member@Test.Example")
    assert "Check your e-mail" in answer
    link = _link()
    assert mail.outbox[0].to == [user.email]

    form = Client().get(link)
    assert form.status_code == 200 and user.email in form.content.decode()
    done = Client().post(link, {"password": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/sign-in/"

    assert Client().login(username=user.email, password=NEW_PASSWORD)
    assert not Client().login(username=user.email, password=PASSWORD)
    # The link is spent: the password it was bound to has changed.
    assert Client().get(link).status_code == 404
    assert AuditEntry.objects.filter(action="user.password_reset").count() == 1


def test_unknown_addresses_get_the_same_answer_and_no_mail(world: World) -> None:
    known = _ask(world.users[Role.MEMBER].email)
    mail.outbox.clear()
    unknown = _ask("nobody@test.example")
    assert unknown == known
    assert mail.outbox == []


def test_a_weak_new_password_is_refused_and_the_old_one_still_works(world: World) -> None:
    user = world.users[Role.SECURITY_LEAD]
    _ask(user.email)
    response = Client().post(_link(), {"password": "password"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert Client().login(username=user.email, password=PASSWORD)


def test_people_of_an_organisation_that_left_get_no_link(world: World) -> None:
    orgs.organisation_update(
        actor=None,
        organisation=world.own,
        name=world.own.name,
        org_type="unitary",
        population=world.own.population,
        is_active=False,
    )
    _ask(world.users[Role.MEMBER].email)
    assert mail.outbox == []


def test_a_coordinator_still_needs_the_second_factor_after_a_reset(world: World) -> None:
    user = world.users[Role.COORDINATOR]
    _ask(user.email)
    Client().post(_link(), {"password": NEW_PASSWORD})
    client = Client()
    response = client.post("/sign-in/", {"email": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/sign-in/code/"
    assert client.get("/").status_code == 302


def test_the_form_cannot_flood_an_inbox(world: World) -> None:
    email = world.users[Role.MEMBER].email
    answers = {_ask(email) for _ in range(5)}
    assert len(answers) == 1, "every request gets the same answer"
    assert len(mail.outbox) == 3
