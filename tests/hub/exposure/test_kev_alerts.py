"""New KEV entries since the last load alert the members who run the product at once."""

from __future__ import annotations

from pathlib import Path

from openwarp.hub.exposure.models import DataLoad, ExposureWarning, KevAlert, KevEntry
from openwarp.hub.exposure.services.alerts import exposure_refresh_after_load
from openwarp.hub.exposure.services.data import vulnerability_data_load
from openwarp.hub.members.policy import Role
from openwarp.hub.notify.mail_choices import mail_choices_set
from openwarp.hub.notify.models import Delivery, MailTopic, Webhook
from tests.hub.exposure.conftest import add_rows
from tests.world import World


def _load(path: Path) -> DataLoad:
    return vulnerability_data_load(actor=None, kev_path=path)


def test_the_diff_counts_match_the_data_readme_and_report_the_removal(
    db: None, kev_history: list[Path]
) -> None:
    march, may, july, current = kev_history
    assert _load(may).kev_added == []  # the first catalogue is the baseline
    later = _load(current)
    assert len(later.kev_added) == 60
    assert later.kev_removed == ["CVE-2025-4664"]
    assert KevEntry.objects.count() == 1404
    _load(march)
    assert len(_load(current).kev_added) == 94
    _load(july)
    assert len(_load(current).kev_added) == 22


def test_new_kev_entries_alert_only_the_members_that_run_the_product(
    world: World,
    kev_history: list[Path],
    mailoutbox: list[object],
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    *_, july, current = kev_history
    add_rows(
        world.own,
        [
            {
                "vendor": "Citrix",
                "product": "Session Recording",
                "version": "2407",
                "internet_facing": True,
            }
        ],
    )
    add_rows(
        world.other, [{"vendor": "Cisco", "product": "Identity Services Engine", "version": "3.4"}]
    )
    Webhook.objects.create(
        organisation=world.own, url="https://soc.derby.example/kev", secret="s", events=["kev"]
    )
    exposure_refresh_after_load(load_id=_load(july).pk)
    assert not KevAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        raised = exposure_refresh_after_load(load_id=_load(current).pk)
    assert raised == 4
    own = set(KevAlert.objects.filter(organisation=world.own).values_list("cve_id", flat=True))
    assert own == {"CVE-2024-8068", "CVE-2024-8069"}
    warning = ExposureWarning.objects.get(organisation=world.own, cve_id="CVE-2024-8068")
    assert warning.kev and warning.due_rule == "kev_internet_facing"
    assert (warning.due_at - warning.first_seen_at).total_seconds() == 48 * 3600
    assert warning.action.startswith("Apply mitigations")
    # each organisation's security lead hears only about its own products
    messages = {tuple(m.to): m for m in mailoutbox}  # type: ignore[attr-defined]
    assert set(messages) == {("security_lead@test.example",), ("lead@nottingham.example",)}
    derby = messages[("security_lead@test.example",)]
    assert "CVE-2024-8068" in derby.body and "CVE-2025-20281" not in derby.body
    # and Derby's webhook gets one delivery naming just its own CVEs
    (delivery,) = Delivery.objects.filter(event="kev")
    assert delivery.webhook.organisation_id == world.own.pk
    cves = {item["cve"] for item in delivery.payload["data"]["warnings"]}
    assert cves == {"CVE-2024-8068", "CVE-2024-8069"}


def test_loading_the_same_catalogue_again_raises_no_new_alerts(
    world: World, kev_history: list[Path]
) -> None:
    *_, july, current = kev_history
    add_rows(world.own, [{"vendor": "Citrix", "product": "Session Recording", "version": "2407"}])
    _load(july)
    assert exposure_refresh_after_load(load_id=_load(current).pk) == 2
    assert exposure_refresh_after_load(load_id=_load(current).pk) == 0


def test_kev_mail_follows_each_persons_choice(
    world: World,
    kev_history: list[Path],
    mailoutbox: list[object],
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    *_, july, current = kev_history
    add_rows(world.own, [{"vendor": "Citrix", "product": "Session Recording", "version": "2407"}])
    colleague = world.users[Role.MEMBER]
    mail_choices_set(actor=world.users[Role.SECURITY_LEAD], choices={MailTopic.KEV_WARNING: False})
    mail_choices_set(actor=colleague, choices={MailTopic.KEV_WARNING: True})
    exposure_refresh_after_load(load_id=_load(july).pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert exposure_refresh_after_load(load_id=_load(current).pk) == 2
    assert [m.to for m in mailoutbox] == [[colleague.email]]  # type: ignore[attr-defined]
