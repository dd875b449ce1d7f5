"""The server-rendered pages for coordinators and security leads."""

from __future__ import annotations

from openwarp.hub.members.models import Organisation
from openwarp.hub.members.policy import Role
from tests.world import World


def test_coordinator_adds_a_district_under_its_county(world: World) -> None:
    client = world.client(Role.COORDINATOR)
    county = client.post(
        "/organisations/new/",
        {"name": "Derbyshire County Council", "org_type": "county", "population": "807183"},
    )
    assert county.status_code == 302
    parent = Organisation.objects.get(name="Derbyshire County Council")
    response = client.post(
        "/organisations/new/",
        {
            "name": "Erewash Borough Council",
            "org_type": "district",
            "parent": parent.pk,
            "subregion": "Derbyshire LRF",
        },
        follow=True,
    )
    assert "Erewash Borough Council added." in response.content.decode()
    assert Organisation.objects.get(name="Erewash Borough Council").parent == parent


def test_bad_organisation_input_shows_an_error_summary_linked_to_the_field(world: World) -> None:
    client = world.client(Role.COORDINATOR)
    response = client.post(
        "/organisations/new/", {"name": "Derby City Council", "org_type": "unitary"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#id_name"' in page
    assert "already exists" in page and "govuk-input--error" in page


def test_overlapping_range_is_shown_against_the_range_field(world: World) -> None:
    client = world.client(Role.COORDINATOR)
    url = f"/organisations/{world.own.slug}/"
    response = client.post(url, {"add_range": "1", "cidr": "198.51.100.0/25"})
    page = response.content.decode()
    assert "overlaps 198.51.100.0/24" in page and 'href="#id_cidr"' in page
    assert world.own.network_ranges.count() == 0
    ok = client.post(url, {"add_range": "1", "cidr": "81.2.69.0/24"}, follow=True)
    assert "81.2.69.0/24 registered." in ok.content.decode()


def test_members_see_other_organisations_in_the_directory_but_not_their_networks(
    world: World,
) -> None:
    page = world.client(Role.MEMBER).get(f"/organisations/{world.other.slug}/").content.decode()
    assert "Nottingham City Council" in page
    assert "198.51.100.0/24" not in page and "nottinghamcity.gov.uk" not in page
    own = world.client(Role.MEMBER).get(f"/organisations/{world.other.slug}/")
    assert own.status_code == 200
    coordinator = world.client(Role.COORDINATOR).get(f"/organisations/{world.other.slug}/")
    assert "198.51.100.0/24" in coordinator.content.decode()


def test_a_lead_invites_a_colleague_and_the_link_creates_their_account(
    world: World, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    lead = world.client(Role.SECURITY_LEAD)
    page = lead.post(
        f"/organisations/{world.own.slug}/people/",
        {"full_name": "Ravi Kumar", "email": "ravi@derby.example", "role": "member"},
    ).content.decode()
    link = page.split('id="invitation-link">')[1].split("<")[0]
    path = link.split("testserver", 1)[1]
    assert [m.to for m in mailoutbox] == [["ravi@derby.example"]]
    assert link in mailoutbox[0].body and "Derby City Council" in mailoutbox[0].body
    visitor = world.client(None)
    assert "Welcome, Ravi Kumar" in visitor.get(path).content.decode()
    done = visitor.post(path, {"password": "a-long-enough-passphrase"})
    assert done["Location"] == "/sign-in/"
    assert (
        visitor.post(
            "/sign-in/", {"email": "ravi@derby.example", "password": "a-long-enough-passphrase"}
        )["Location"]
        == "/"
    )


def test_a_lead_cannot_offer_hub_roles(world: World) -> None:
    page = world.client(Role.SECURITY_LEAD).get(f"/organisations/{world.own.slug}/people/")
    options = page.content.decode()
    assert 'value="executive"' in options and 'value="coordinator"' not in options


def test_executives_land_on_the_board_report(world: World) -> None:
    client = world.client(Role.EXECUTIVE)
    assert client.get("/")["Location"] == "/board/"
    assert "Board report" in client.get("/board/").content.decode()


def test_national_analysts_see_suppressed_counts_for_small_groups(world: World) -> None:
    page = world.client(Role.NATIONAL_ANALYST).get("/").content.decode()
    assert "Regional overview" in page and "suppressed" in page
    coordinator_page = world.client(Role.COORDINATOR).get("/").content.decode()
    assert "suppressed" not in coordinator_page
