"""Sharing in the browser: write, read, sight, search, correlate, add values,
release anonymously, and choose e-mails."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import expect

from openwarp.hub.members.policy import Role
from openwarp.hub.notify.mail_choices import mail_choices
from openwarp.hub.notify.models import MailTopic
from openwarp.hub.sharing.services.reports import ReportDraft, report_create
from tests.browser.test_sign_in import sign_in
from tests.world import World


def test_a_member_shares_a_report_that_another_member_reads_and_sights(
    browser,
    live_server,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    author = browser.new_context(base_url=live_server.url).new_page()
    sign_in(author, world.users[Role.MEMBER])
    author.goto("/reports/new/")
    author.get_by_label("Title").fill("Fake parking fine texts")
    author.get_by_label("Threat type").select_option("phishing")
    author.get_by_label("TLP marking").select_option("green")
    author.get_by_label("Indicators", exact=True).fill(
        "hxxps://pay-pcn-derby[.]example/\nnot an indicator at all"
    )
    author.get_by_label("Or attach a file of indicators").set_input_files(
        files=[{"name": "sms.csv", "mimeType": "text/csv", "buffer": b"ioc\n198.51.100.200\n"}]
    )
    author.get_by_role("button", name="Share").click()
    expect(author.locator("h1")).to_have_text("Fake parking fine texts")
    expect(author.get_by_text("Not kept, line 2")).to_be_visible()
    expect(author.locator("code", has_text="https://pay-pcn-derby.example/")).to_be_visible()
    expect(author.locator("code", has_text="198.51.100.200")).to_be_visible()

    reader = browser.new_context(base_url=live_server.url).new_page()
    client_user = world.other_lead
    sign_in(reader, client_user)
    reader.goto("/reports/")
    reader.get_by_role("link", name="Fake parking fine texts").click()
    expect(reader.get_by_text("From Derby City Council")).to_be_visible()
    reader.get_by_label("Sighting of https://pay-pcn-derby.example/").select_option("seen")
    reader.get_by_role("button", name="Record sighting of https://pay-pcn-derby.example/").click()
    expect(
        reader.get_by_text("Sighting of https://pay-pcn-derby.example/ recorded.")
    ).to_be_visible()
    expect(reader.get_by_role("cell", name="by 1 member")).to_be_visible()


def test_a_coordinator_releases_an_anonymous_report_under_a_category(
    browser,
    live_server,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    coordinator = world.users[Role.COORDINATOR]
    page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(page, coordinator, lambda: pyotp.TOTP(coordinator.totp_secret).now())
    page.get_by_role("link", name="Review").click()
    expect(page.get_by_text("Sent by Nottingham City Council")).to_be_visible()
    page.get_by_role("button", name="Release Ransomware negotiator contacted us").click()
    expect(page.get_by_text("released.")).to_be_visible()

    member = browser.new_context(base_url=live_server.url).new_page()
    sign_in(member, world.users[Role.MEMBER])
    member.goto("/reports/")
    card = member.locator(".owp-card", has_text="Ransomware negotiator contacted us")
    expect(card).to_contain_text("a unitary authority in the East Midlands")
    expect(card).not_to_contain_text("Nottingham")


def test_a_member_searches_follows_a_shared_value_and_adds_one_to_its_own_report(
    page,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    mine, _ = report_create(
        actor=world.users[Role.MEMBER],
        draft=ReportDraft(
            title="Supplier bank-detail change requests",
            threat_type="fraud",
            tlp="green",
            distribution="region",
            indicators_text="203.0.113.77",
        ),
    )
    sign_in(page, world.users[Role.MEMBER])
    page.goto("/reports/")
    expect(page.locator("#feed")).to_contain_text("2 reports")
    page.get_by_label("Search reports and indicators").fill("invoices-portal")
    # The feed narrows as one types (htmx), and the address keeps the search.
    expect(page.locator("#feed")).to_contain_text("1 report")
    expect(page).to_have_url(re.compile(r"q=invoices-portal"))
    expect(page.locator("#feed")).not_to_contain_text("Supplier bank-detail")

    page.goto(f"/reports/{mine.public_id}/")
    page.get_by_role("link", name="in 1 other report").click()
    expect(page.locator("h1")).to_contain_text("203.0.113.77")
    page.get_by_role("link", name="Invoice phishing from a spoofed supplier").click()
    expect(page.get_by_text("From Nottingham City Council")).to_be_visible()
    # Only its author's side may add to that report; to our own we may.
    expect(page.get_by_role("link", name="Add indicators to this report")).to_have_count(0)
    page.goto(f"/reports/{mine.public_id}/")
    page.get_by_role("link", name="Add indicators to this report").click()
    page.get_by_label("Indicators", exact=True).fill("payee-change[.]example\nwhat is this")
    page.get_by_role("button", name="Add indicators").click()
    expect(page.get_by_text("1 new indicator added.")).to_be_visible()
    expect(page.get_by_text("Not kept, line 2: what is this")).to_be_visible()
    expect(page.locator("code", has_text="payee-change.example")).to_be_visible()


def test_a_colleague_opts_in_to_early_warning_mail(
    page,
    world: World,  # type: ignore[no-untyped-def]
) -> None:
    member = world.users[Role.MEMBER]
    sign_in(page, member)
    page.goto("/account/mail/")
    early = page.get_by_role("checkbox", name=re.compile("^Early warnings"))
    expect(early).not_to_be_checked()  # colleagues get nothing until they ask
    early.check()
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("checkbox", name=re.compile("^Early warnings"))).to_be_checked()
    assert mail_choices(user=member)[MailTopic.EARLY_WARNING] is True
