"""Exposure in the browser: upload an inventory with a bad row, import the good
rows, see the KEV warning the worker raised, set its status; pages pass axe."""

from __future__ import annotations

from pathlib import Path

import pyotp
from playwright.sync_api import expect

from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.jobs.worker import worker_run
from openwarp.hub.members.policy import Role
from tests.browser.test_sign_in import _serious_violations, sign_in
from tests.world import World

INVENTORY = (
    "vendor,product,version,internet_facing,criticality\n"
    "Citrix,Session Recording,2407,yes,high\n"
    "Fortinet,FortiOS,7.2.5,perhaps,high\n"
)


def test_a_member_uploads_an_inventory_and_acts_on_a_kev_warning(  # type: ignore[no-untyped-def]
    browser, live_server, world: World, shared_data: Path, tmp_path: Path
) -> None:
    history = shared_data / "kev" / "history" / "kev-2025-07-20.json"
    vulnerability_data_load(actor=None, kev_path=history)  # the baseline catalogue
    vulnerability_data_load(
        actor=None, kev_path=shared_data / "kev" / "known_exploited_vulnerabilities.json"
    )
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, world.users[Role.SECURITY_LEAD])
    violations: dict[str, list[str]] = {}
    page.get_by_role("link", name="Exposure").click()
    expect(page.locator("h1")).to_have_text("Exposure warnings")
    page.get_by_role("link", name="inventory").click()
    page.get_by_role("link", name="Upload a CSV or Excel file").click()
    violations["upload"] = _serious_violations(page)
    csv_file = tmp_path / "estate.csv"
    csv_file.write_text(INVENTORY)
    page.get_by_label("Inventory file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Check the file").click()
    expect(
        page.get_by_text("row 2, column internet_facing: 'perhaps' is not yes or no")
    ).to_be_visible()
    violations["preview"] = _serious_violations(page)
    page.get_by_role("button", name="Import the 1 valid row").click()
    expect(page.get_by_text("Imported 1 rows.")).to_be_visible()
    violations["inventory"] = _serious_violations(page)

    worker_run(batch=True, interval=0.1)  # the queued re-match, as `openwarp worker` runs it
    page.goto(f"/exposure/{world.own.slug}/warnings/")
    row = page.get_by_role("row", name="CVE-2024-8068")
    expect(row).to_contain_text("KEV")
    expect(row).to_contain_text("Citrix Session Recording (internet-facing)")
    violations["warnings"] = _serious_violations(page)
    page.get_by_role("link", name="CVE-2024-8068").click()
    expect(page.get_by_text("kev_internet_facing rule")).to_be_visible()
    page.get_by_label("Status").select_option("not_applicable")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_role("link", name="say why the warning does not apply")).to_be_visible()
    violations["status form with errors"] = _serious_violations(page)
    page.get_by_label("Status").select_option("mitigated")
    page.get_by_label("Reason or note").fill("Session Recording server taken off the internet")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("Status of CVE-2024-8068 set to mitigated.")).to_be_visible()
    expect(
        page.get_by_text("Mitigated (Session Recording server taken off the internet)")
    ).to_be_visible()
    context.close()

    coordinator = world.users[Role.COORDINATOR]
    hub = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    sign_in(hub, coordinator, lambda: pyotp.TOTP(coordinator.totp_secret).now())
    for path in ("/exposure/region/", "/exposure/advisories/", "/exposure/feeds/"):
        hub.goto(path)
        violations[f"coordinator {path}"] = _serious_violations(hub)
    assert {name: found for name, found in violations.items() if found} == {}
