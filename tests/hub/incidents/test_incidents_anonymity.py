"""The anonymous channel never names its reporter outside its organisation and the hub.

Each test searches whole pages and API responses for the reporter's name,
slug and author, not just the field where a name would normally go.
"""

from __future__ import annotations

import json

import pytest

from openwarp.hub.incidents.models import AnonymousPost
from openwarp.hub.incidents.services.channel import post_escalate, post_review
from openwarp.hub.members.policy import Role
from tests.hub.incidents.factories import waiting_post
from tests.world import World

pytestmark = pytest.mark.django_db

CATEGORY = "a unitary authority in the East Midlands"


def _leaks(world: World, body: str) -> list[str]:
    reporter = world.other
    author = world.other_lead
    clues = [reporter.name, reporter.slug, "Nottingham", author.email, author.full_name]
    return [clue for clue in clues if clue.lower() in body.lower()]


def _published(world: World, *, escalate: bool = False) -> AnonymousPost:
    post = waiting_post(world)
    coordinator = world.users[Role.COORDINATOR]
    post_review(actor=coordinator, post=post, publish=True)
    if escalate:
        post_escalate(actor=coordinator, post=post)
    return post


def _channel(world: World, role: Role) -> tuple[str, str]:
    page = world.client(role).get("/incidents/channel/").content.decode()
    api = world.api(role).get("/api/v1/incidents/anonymous").content.decode()
    return page, api


def test_a_held_post_is_seen_by_coordinators_only(world: World) -> None:
    waiting_post(world)
    for role in (Role.MEMBER, Role.SECURITY_LEAD, Role.NATIONAL_ANALYST):
        page, api = _channel(world, role)
        assert "Akira" not in page and json.loads(api) == []
    queue = world.client(Role.COORDINATOR).get("/incidents/channel/review/").content.decode()
    assert "Sent by Nottingham City Council" in queue and CATEGORY.lower() in queue.lower()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.SECURITY_LEAD, Role.EXECUTIVE])
def test_the_region_sees_the_category_and_never_the_reporter(world: World, role: Role) -> None:
    _published(world)
    page, api = _channel(world, role)
    assert "Akira ransomware" in page and CATEGORY.lower() in page.lower()
    assert _leaks(world, page) == [] and _leaks(world, api) == []
    [post] = json.loads(api)
    assert post["source"] == CATEGORY
    # Only the day of publication: no time of day that could be lined up with the author's.
    assert set(post) == {"id", "source", "threat", "message", "state", "published_on", "escalated"}
    assert len(post["published_on"]) == len("2026-12-01")


def test_the_national_analyst_sees_escalated_posts_still_anonymous(world: World) -> None:
    post = _published(world)
    page, api = _channel(world, Role.NATIONAL_ANALYST)
    assert json.loads(api) == [] and "Akira" not in page
    post_escalate(actor=world.users[Role.COORDINATOR], post=post)
    page, api = _channel(world, Role.NATIONAL_ANALYST)
    assert "Akira ransomware" in page and CATEGORY.lower() in page.lower()
    assert _leaks(world, page) == [] and _leaks(world, api) == []


def test_the_coordinator_can_reword_a_post_that_would_give_the_reporter_away(
    world: World,
) -> None:
    post = waiting_post(world)
    post.message = "Our Nottingham office VPN was exploited."
    post.save()
    response = world.client(Role.COORDINATOR).post(
        "/incidents/channel/review/",
        {
            "post": str(post.public_id),
            "decision": "publish",
            "message": "A council VPN appliance was exploited.",
        },
    )
    assert response.status_code == 302
    page, api = _channel(world, Role.MEMBER)
    assert "A council VPN appliance was exploited." in page
    assert _leaks(world, page) == [] and _leaks(world, api) == []


def test_the_reporters_own_organisation_and_the_hub_see_who_sent_it(world: World) -> None:
    _published(world)
    hub_page, hub_api = _channel(world, Role.COORDINATOR)
    assert "Nottingham City Council" in hub_page
    assert json.loads(hub_api)[0]["source"] == "Nottingham City Council"


def test_posts_are_ordered_by_day_then_at_random_not_by_when_they_were_written(
    world: World,
) -> None:
    from openwarp.hub.incidents.services.channel import post_create

    coordinator = world.users[Role.COORDINATOR]
    posts = [
        post_create(actor=author, threat=f"Threat {n}", message="m")
        for n, author in enumerate([world.other_lead, world.users[Role.MEMBER]] * 4)
    ]
    for post in posts:
        post_review(actor=coordinator, post=post, publish=True)
    listed = [
        p["id"]
        for p in json.loads(world.api(Role.MEMBER).get("/api/v1/incidents/anonymous").content)
    ]
    assert listed == sorted(listed)  # by the random public id within the day
