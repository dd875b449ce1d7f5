"""The reimbursement sheet: what the requester owes each lender, and who may read it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from openwarp.hub.members.policy import Role
from openwarp.hub.mutualaid.models import Deployment
from openwarp.hub.mutualaid.services import deployments, offers, roster
from tests.hub.mutualaid.factories import accept, ask, back_date, offer, person, third_org
from tests.world import World

pytestmark = pytest.mark.django_db


def _log(lead: Any, deployment: Any, days_ago: int, hours: str, expenses: str = "0") -> None:
    deployments.time_entry_add(
        actor=lead,
        deployment=deployment,
        day=timezone.localdate() - timedelta(days=days_ago),
        hours=Decimal(hours),
        expenses=Decimal(expenses),
    )


def _two_lenders(world: World) -> dict[str, Any]:
    """Derby asks for two people; Nottingham lends one on a day rate, Leicester one on a
    package; each logs time."""
    leicester, leicester_lead = third_org(world)
    notts = person(world.other, '=HYPERLINK("x")')
    leics = person(leicester, "Leicester AD engineer")
    package = roster.package_create(
        actor=None, organisation=leicester, name="AD team", day_rate=Decimal("1100"), people=[leics]
    )
    aid = ask(world, people=2, days=5)
    first_offer, second_offer = offer(world, aid, notts), offer(world, aid, leics)
    first = back_date(accept(world.other_lead, first_offer), days=3)
    agreement = offers.Agreement(
        terms="Memorandum", cost_basis="package", confidentiality_agreed=True, package=package
    )
    second = offers.offer_accept(actor=leicester_lead, offer=second_offer, agreement=agreement)
    Deployment.objects.filter(pk=second.pk).update(starts_at=first.starts_at, ends_at=first.ends_at)
    second = Deployment.objects.get(pk=second.pk)
    _log(world.other_lead, first, 2, "7.5", "42.10")
    _log(world.other_lead, first, 1, "8")
    _log(world.other_lead, first, 1, "1.5", "5")
    _log(leicester_lead, second, 0, "6")
    return {"aid": aid, "leicester_lead": leicester_lead}


def _rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_requesters_lead_gets_every_line_with_totals(located: World) -> None:
    scene = _two_lenders(located)
    path = f"/mutual-aid/requests/{scene['aid'].pk}/reimbursement.csv"
    rows = _rows(located.client(Role.SECURITY_LEAD).get(path))
    by_lender = {r["lender"]: r for r in rows}
    assert set(by_lender) == {"Nottingham City Council", "Leicester City Council"}
    notts = by_lender["Nottingham City Council"]
    assert (notts["days"], notts["hours"], notts["day_rate"]) == ("2", "17.00", "450.00")
    assert (notts["expenses"], notts["total"]) == ("47.10", "947.10")
    assert notts["person"].startswith("'=")  # a formula typed as a title is not run
    leics = by_lender["Leicester City Council"]
    assert leics["cost_basis"] == "package: AD team"
    assert (leics["day_rate"], leics["total"]) == ("1100.00", "1100.00")
    assert leics["hours"] == "6.00"


def test_a_lender_sees_only_its_own_lines(located: World) -> None:
    scene = _two_lenders(located)
    aid = scene["aid"]
    client = Client()
    client.force_login(located.other_lead)
    rows = _rows(client.get(f"/mutual-aid/requests/{aid.pk}/reimbursement.csv"))
    assert [r["lender"] for r in rows] == ["Nottingham City Council"]
    api = located.api(Role.COORDINATOR).get(
        f"/api/v1/mutual-aid/requests/{aid.pk}/reimbursement.csv"
    )
    assert len(_rows(api)) == 2


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXECUTIVE])
def test_other_people_at_the_requester_cannot_export(located: World, role: Role) -> None:
    aid = _two_lenders(located)["aid"]
    response = located.client(role).get(f"/mutual-aid/requests/{aid.pk}/reimbursement.csv")
    assert response.status_code == 404
    assert b"Nottingham" not in response.content
