"""Two coordinators registering overlapping ranges at the same moment.

The service's overlap check alone cannot stop this under READ COMMITTED on
PostgreSQL: both transactions could look, see nothing, and insert. The
database must decide, so exactly one registration wins on either engine.
"""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from openwarp.core.errors import Conflict
from openwarp.core.networks import parse_ip_range
from openwarp.hub.members.models import NetworkRange, Organisation
from openwarp.hub.members.services import organisations as orgs

pytestmark = pytest.mark.django_db(transaction=True)


def _organisations() -> tuple[Organisation, Organisation]:
    region = orgs.region_get_or_create(name="East Midlands")
    first = orgs.organisation_create(
        actor=None, name="Ashfield District Council", org_type="district", region=region
    )
    second = orgs.organisation_create(
        actor=None, name="Bassetlaw District Council", org_type="district", region=region
    )
    return first, second


def test_overlapping_ranges_registered_at_once_leave_one_holder() -> None:
    first, second = _organisations()
    claims = [(first, "198.51.100.0/24"), (second, "198.51.100.128/25")] * 4
    start = threading.Barrier(len(claims))
    outcomes: list[str] = []

    def claim(organisation: Organisation, cidr: str) -> None:
        try:
            start.wait()
            orgs.network_range_add(actor=None, organisation=organisation, cidr=cidr)
            outcomes.append("registered")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=claim_args) for claim_args in claims]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("registered") == 1, outcomes
    assert NetworkRange.objects.count() == 1
    assert len(outcomes) == len(claims)


def test_postgresql_refuses_an_overlap_that_skips_the_service() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite serialises writers")
    first, second = _organisations()
    orgs.network_range_add(actor=None, organisation=first, cidr="2001:db8::/32")
    inner = parse_ip_range("2001:db8:1::/48")
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkRange.objects.create(
            organisation=second,
            cidr=inner.cidr,
            version=inner.version,
            first_key=inner.first_key,
            last_key=inner.last_key,
        )
