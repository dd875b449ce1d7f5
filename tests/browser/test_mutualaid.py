"""Mutual aid in the browser: request → offer → accept → deployment (hours) → close,
with the accessibility check on every page of the journey."""

from __future__ import annotations

import pyotp
from django.utils import timezone
from playwright.sync_api import expect

from openwarp.hub.members.policy import Role
from tests.browser.test_sign_in import _serious_violations, sign_in
from tests.hub.mutualaid.factories import locate, person
from tests.world import World


def _page(browser, live_server, user, code=None):  # type: ignore[no-untyped-def]
    # bypass_csp only so the axe script can be injected; the pages themselves are unchanged.
    page = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    page.set_default_timeout(15000)
    sign_in(page, user, code)
    return page


def _accessible(page, problems: dict[str, list[str]]) -> None:  # type: ignore[no-untyped-def]
    found = _serious_violations(page)
    if found:
        problems[page.url] = found


def test_a_request_is_offered_accepted_staffed_and_closed(
    browser,
    live_server,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    locate(world)
    responder = person(world.other, "Incident responder")
    problems: dict[str, list[str]] = {}

    requester = _page(browser, live_server, world.users[Role.SECURITY_LEAD])
    requester.get_by_role("link", name="Mutual aid").click()
    requester.get_by_role("link", name="Ask the region for help").click()
    _accessible(requester, problems)
    requester.get_by_label("What you need help with").fill("Ransomware on the file servers")
    requester.get_by_label("Need 1: skill").select_option("incident_lead")
    requester.get_by_label("Need 1: minimum level").select_option("2")
    requester.get_by_label("Days").fill("2")
    requester.get_by_role("button", name="Send request").click()
    expect(requester.locator("h1")).to_have_text("Ransomware on the file servers")
    _accessible(requester, problems)
    request_url = requester.url

    coordinator_user = world.users[Role.COORDINATOR]
    coordinator = _page(
        browser,
        live_server,
        coordinator_user,
        lambda: pyotp.TOTP(coordinator_user.totp_secret).now(),
    )
    coordinator.goto(request_url)
    _accessible(coordinator, problems)
    coordinator.get_by_role("button", name=f"Send offer to {responder.title}").click()
    expect(coordinator.get_by_text(f"Offer sent to {world.other.name}")).to_be_visible()

    lender = _page(browser, live_server, world.other_lead)
    lender.get_by_role("link", name="Mutual aid").click()
    lender.get_by_role("link", name="Offers").click()
    _accessible(lender, problems)
    lender.get_by_role("link", name=f"{responder.title} to {world.own.name}").click()
    _accessible(lender, problems)
    lender.get_by_label("Cost basis").select_option("day_rate")
    lender.get_by_label("Day rate (£)").fill("420")
    lender.get_by_label("The responder gives the confidentiality undertaking").check()
    lender.get_by_role("button", name="Accept this deployment").click()
    expect(lender.locator("h1")).to_have_text(f"Deployment: {responder.title}")
    lender.get_by_label("Day").fill(timezone.localdate().isoformat())
    lender.get_by_label("Hours").fill("7.5")
    lender.get_by_label("Expenses (£)").fill("18.20")
    lender.get_by_label("Note").fill("Isolated the domain controllers")
    lender.get_by_role("button", name="Log hours").click()
    expect(lender.get_by_text("7.5 hours logged")).to_be_visible()
    _accessible(lender, problems)

    coordinator.goto(request_url)
    expect(coordinator.get_by_label(f"Reason for withdrawing {responder.title}")).to_be_visible()
    _accessible(coordinator, problems)
    coordinator.get_by_role("link", name="Mutual aid").click()
    coordinator.get_by_role("link", name="Plan all open requests together").click()
    expect(coordinator.locator("h1")).to_have_text("Joint plan for all open requests")
    _accessible(coordinator, problems)

    requester.goto(request_url)
    expect(
        requester.get_by_role("link", name=f"{responder.title} from {world.other.name}")
    ).to_be_visible()
    expect(
        requester.get_by_role("link", name="Download the reimbursement sheet (CSV)")
    ).to_be_visible()
    requester.get_by_role("link", name="Close this request").click()
    requester.get_by_label("What helped").fill("An incident lead on site within hours")
    requester.get_by_label("What did not help").fill("Waiting for VPN accounts")
    requester.get_by_role("button", name="Close request").click()
    expect(requester.get_by_text("Request closed.")).to_be_visible()
    expect(requester.get_by_text("An incident lead on site within hours")).to_be_visible()
    expect(requester.get_by_role("link", name="Change this request")).to_have_count(0)
    _accessible(requester, problems)
    assert problems == {}
