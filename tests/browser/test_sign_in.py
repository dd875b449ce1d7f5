"""Signing in as each role, the second factor end to end, and accessibility."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect

from openwarp.hub.members.policy import Role
from tests.world import PASSWORD, World

LANDING_HEADING = {
    Role.MEMBER: "Derby City Council",
    Role.SECURITY_LEAD: "Derby City Council",
    Role.EXECUTIVE: "Board report",
    Role.COORDINATOR: "Regional overview",
    Role.NATIONAL_ANALYST: "Regional overview",
    Role.ADMIN: "Regional overview",
}
AXE = Path(__file__).resolve().parents[2] / "src/openwarp/hub/web/static/vendor/axe.min.js"


def sign_in(page, user, code_for=None) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sign-in/")
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    if code_for is not None:
        page.get_by_label("Code from your authenticator app").fill(code_for())
        page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_signs_in_and_lands_on_its_dashboard(page, world: World, role: Role) -> None:  # type: ignore[no-untyped-def]
    user = world.users[role]
    needs_code = role in (Role.COORDINATOR, Role.ADMIN)
    sign_in(page, user, (lambda: pyotp.TOTP(user.totp_secret).now()) if needs_code else None)
    expect(page.locator("h1")).to_have_text(LANDING_HEADING[role])
    navigation = page.get_by_role("navigation", name="Menu")
    expect(navigation.get_by_role("link", name="Admin")).to_have_count(
        1 if role == Role.ADMIN else 0
    )
    assert navigation.get_by_role("link", name="Audit log").count() == (
        1 if role in (Role.COORDINATOR, Role.ADMIN) else 0
    )


def test_a_new_coordinator_sets_up_an_authenticator_and_signs_in_with_it(
    page, world: World
) -> None:  # type: ignore[no-untyped-def]
    user = world.users[Role.COORDINATOR]
    user.totp_confirmed_at = None
    user.totp_secret = ""
    user.save()
    sign_in(page, user)
    expect(page.locator("h1")).to_have_text("Set up your authenticator app")
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code from your authenticator app").fill("123")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("alert").get_by_text("does not match")).to_have_count(1)
    totp = pyotp.TOTP(secret)
    enrolment_code = totp.now()
    page.get_by_label("Code from your authenticator app").fill(enrolment_code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1")).to_have_text("Regional overview")
    page.get_by_role("button", name="Sign out").click()
    # Next time the code is asked for, and the code already used is refused.
    sign_in(page, user, lambda: enrolment_code)
    expect(page.locator("h1")).to_have_text("Check your authenticator app")
    expect(page.get_by_role("alert").get_by_text("wrong or already used")).to_have_count(1)
    page.get_by_label("Code from your authenticator app").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Regional overview")


def _serious_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def axe_page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def test_main_pages_have_no_serious_accessibility_violations(axe_page, world: World) -> None:  # type: ignore[no-untyped-def]
    page = axe_page
    pages: dict[str, list[str]] = {}
    for path in ("/sign-in/", "/sign-in/forgotten/"):
        page.goto(path)
        pages[path] = _serious_violations(page)
    lead = world.users[Role.SECURITY_LEAD]
    sign_in(page, lead)
    for path in (
        "/",
        "/organisations/",
        f"/organisations/{world.own.slug}/",
        f"/organisations/{world.own.slug}/people/",
        "/account/",
        "/board/",
    ):
        page.goto(path)
        pages[path] = _serious_violations(page)
    page.get_by_role("button", name="Sign out").click()
    coordinator = world.users[Role.COORDINATOR]
    sign_in(page, coordinator, lambda: pyotp.TOTP(coordinator.totp_secret).now())
    for path in (
        "/",
        "/organisations/new/",
        f"/organisations/{world.other.slug}/",
        "/audit/",
        "/reports/review/",
        f"/organisations/{world.other.slug}/edit/",
        "/sharing-groups/",
        "/sharing-groups/new/",
    ):
        page.goto(path)
        pages[f"coordinator {path}"] = _serious_violations(page)
    # A form with errors must stay accessible too.
    page.goto("/organisations/new/")
    page.get_by_role("button", name="Add organisation").click()
    pages["form with errors"] = _serious_violations(page)
    assert {path: found for path, found in pages.items() if found} == {}


def test_keyboard_users_can_skip_to_the_content(page, world: World) -> None:  # type: ignore[no-untyped-def]
    page.goto("/sign-in/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    # Following a fragment link is asynchronous in the browser: wait for it.
    expect(page).to_have_url(re.compile(r"#main-content$"))


def test_the_accessibility_check_itself_catches_a_violation(axe_page) -> None:  # type: ignore[no-untyped-def]
    axe_page.set_content('<html lang="en"><body><main><input type="text"></main></body></html>')
    assert any(v.startswith("label:") for v in _serious_violations(axe_page))


def test_the_member_directory_filters_as_you_type(page, world: World) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.users[Role.MEMBER])
    page.goto("/organisations/")
    caption = page.locator("#organisation-table caption")
    expect(caption).to_have_text("3 organisations")
    page.get_by_label("Search by name or resilience forum").press_sequentially("notting")
    expect(page.locator("#organisation-table caption")).to_have_text("1 organisation")
    expect(page).to_have_url(re.compile(r"q=notting"))  # the filtered view can be bookmarked
    expect(page.locator("#organisation-table tbody tr")).to_have_count(1)
