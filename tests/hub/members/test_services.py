"""Members' services: each bad input gets a clear error and changes nothing."""

from __future__ import annotations

import time
from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone

from openwarp.core.errors import AuthenticationFailed, Conflict, InvalidInput, PermissionDenied
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.members.models import ApiToken, Domain, NetworkRange, Organisation, User
from openwarp.hub.members.policy import Role
from openwarp.hub.members.services import organisations as orgs
from openwarp.hub.members.services import people, second_factor, tokens
from tests.world import PASSWORD, World


def _snapshot() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        NetworkRange.objects.count(),
        Domain.objects.count(),
        User.objects.count(),
        ApiToken.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def unchanged(world: World):  # type: ignore[no-untyped-def]
    before = _snapshot()
    yield
    assert _snapshot() == before, "a refused change must leave no trace"


def test_unknown_organisation_type_is_refused(world: World, unchanged: None) -> None:
    with pytest.raises(InvalidInput) as error:
        orgs.organisation_create(
            actor=None, name="Gotham Council", org_type="city-state", region=world.region
        )
    assert error.value.field == "org_type" and "district" in error.value.message


def test_duplicate_names_and_non_county_parents_are_refused(world: World, unchanged: None) -> None:
    with pytest.raises(Conflict):
        orgs.organisation_create(
            actor=None, name="derby city council", org_type="unitary", region=world.region
        )
    with pytest.raises(InvalidInput) as error:
        orgs.organisation_create(
            actor=None,
            name="Erewash Borough Council",
            org_type="district",
            region=world.region,
            parent=world.own,
        )
    assert error.value.field == "parent"


def test_a_district_sits_in_its_county(world: World) -> None:
    county = orgs.organisation_create(
        actor=None,
        name="Derbyshire County Council",
        org_type="county",
        region=world.region,
        population=807183,
    )
    district = orgs.organisation_create(
        actor=None,
        name="Erewash Borough Council",
        org_type="district",
        region=world.region,
        parent=county,
        subregion="Derbyshire LRF",
    )
    assert list(county.children.all()) == [district]
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.action == "organisation.create"
    assert entry.details["name"] == "Erewash Borough Council"


@pytest.mark.parametrize("cidr", ["198.51.100.128/25", "198.51.0.0/16", "198.51.100.7"])
def test_overlapping_ranges_are_refused_whoever_holds_them(
    world: World, unchanged: None, cidr: str
) -> None:
    with pytest.raises(Conflict) as error:
        orgs.network_range_add(actor=None, organisation=world.own, cidr=cidr)
    assert "198.51.100.0/24" in error.value.message and "another member" in error.value.message


def test_malformed_ranges_are_refused(world: World, unchanged: None) -> None:
    with pytest.raises(InvalidInput) as error:
        orgs.network_range_add(actor=None, organisation=world.own, cidr="81.2.69.300/24")
    assert error.value.field == "cidr"


def test_ipv6_and_ipv4_ranges_do_not_clash(world: World) -> None:
    orgs.network_range_add(actor=None, organisation=world.own, cidr="2a00:1450:4009::/48")
    orgs.network_range_add(actor=None, organisation=world.own, cidr="81.2.69.0/24")
    assert world.own.network_ranges.count() == 2


@pytest.mark.parametrize(
    "name", ["nottinghamcity.gov.uk", "NottinghamCity.GOV.UK.", " nottinghamcity.gov.uk"]
)
def test_duplicate_domains_in_any_spelling_are_refused(
    world: World, unchanged: None, name: str
) -> None:
    with pytest.raises(Conflict) as error:
        orgs.domain_add(actor=None, organisation=world.own, name=name)
    assert error.value.field == "domain"


def test_expired_revoked_and_unknown_tokens_are_refused_with_the_reason(world: World) -> None:
    user = world.users[Role.MEMBER]
    issued = tokens.token_create(actor=None, user=user, name="feed", scope="read", expires_days=1)
    assert tokens.token_authenticate(secret=issued.secret).user == user
    ApiToken.objects.filter(pk=issued.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(AuthenticationFailed, match="expired"):
        tokens.token_authenticate(secret=issued.secret)
    other = tokens.token_create(actor=None, user=user, name="ci", scope="read")
    tokens.token_revoke(actor=user, token=other.token)
    with pytest.raises(AuthenticationFailed, match="revoked"):
        tokens.token_authenticate(secret=other.secret)
    with pytest.raises(AuthenticationFailed, match="unknown"):
        tokens.token_authenticate(secret=other.secret[:-2] + "xx")


def test_tokens_are_stored_hashed_and_scoped_by_role(world: World) -> None:
    issued = tokens.token_create(actor=None, user=world.users[Role.MEMBER], name="x", scope="write")
    stored = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret not in (stored.secret_hash, stored.prefix)
    assert issued.secret.startswith(f"owp_{stored.prefix}_")
    with pytest.raises(PermissionDenied):
        tokens.token_create(actor=None, user=world.users[Role.EXECUTIVE], name="x", scope="write")
    with pytest.raises(InvalidInput) as error:
        tokens.token_create(actor=None, user=world.users[Role.MEMBER], name="x", expires_days=0)
    assert error.value.field == "expires_days"


def test_a_lead_invites_a_colleague_who_joins_with_the_given_role(world: World) -> None:
    lead = world.users[Role.SECURITY_LEAD]
    invitation, secret = people.invitation_create(
        actor=lead,
        email="New.Analyst@derby.example",
        full_name="New Analyst",
        role="member",
        organisation=world.own,
    )
    assert invitation.token_hash != secret
    user = people.invitation_accept(secret=secret, password="a-long-enough-passphrase")
    assert (user.email, user.role, user.organisation) == (
        "new.analyst@derby.example",
        "member",
        world.own,
    )
    with pytest.raises(Exception, match="not valid or has been used"):
        people.invitation_accept(secret=secret, password="a-long-enough-passphrase")


def test_a_lead_cannot_mint_hub_roles_or_invite_into_another_member(
    world: World, unchanged: None
) -> None:
    lead = world.users[Role.SECURITY_LEAD]
    with pytest.raises(PermissionDenied):
        people.invitation_create(
            actor=lead,
            email="x@derby.example",
            full_name="X",
            role="coordinator",
            organisation=world.own,
        )
    with pytest.raises(PermissionDenied):
        people.invitation_create(
            actor=lead,
            email="x@notts.example",
            full_name="X",
            role="member",
            organisation=world.other,
        )
    with pytest.raises(PermissionDenied):
        people.user_set_role(actor=lead, user=world.other_lead, role="member")


def test_weak_passwords_and_expired_invitations_are_refused(world: World) -> None:
    invitation, secret = people.invitation_create(
        actor=world.users[Role.COORDINATOR],
        email="y@notts.example",
        full_name="Y",
        role="member",
        organisation=world.other,
    )
    with pytest.raises(InvalidInput) as error:
        people.invitation_accept(secret=secret, password="password123")
    assert error.value.field == "password"
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    with pytest.raises(InvalidInput, match="expired"):
        people.invitation_accept(secret=secret, password="a-long-enough-passphrase")
    assert not User.objects.filter(email="y@notts.example").exists()


def test_wrong_and_replayed_totp_codes_are_refused(world: World) -> None:
    user = world.users[Role.COORDINATOR]
    totp = pyotp.TOTP(user.totp_secret)
    with pytest.raises(AuthenticationFailed):
        second_factor.totp_verify(user=user, code="000000" if totp.now() != "000000" else "111111")
    code = totp.now()
    second_factor.totp_verify(user=user, code=code)
    with pytest.raises(AuthenticationFailed, match="already used"):
        second_factor.totp_verify(user=user, code=code)


def test_enrolment_needs_a_correct_code(world: World) -> None:
    user = world.users[Role.MEMBER]
    secret = second_factor.totp_new_secret()
    with pytest.raises(InvalidInput):
        second_factor.totp_confirm_enrolment(user=user, secret=secret, code="12345")
    assert not User.objects.get(pk=user.pk).has_totp
    second_factor.totp_confirm_enrolment(
        user=user, secret=secret, code=pyotp.TOTP(secret).at(time.time())
    )
    assert User.objects.get(pk=user.pk).has_totp


def test_repeated_failures_lock_the_account_for_a_while(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    email = world.users[Role.MEMBER].email
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        with pytest.raises(AuthenticationFailed, match="wrong"):
            second_factor.sign_in_check_password(request=None, email=email, password="guess")
    with pytest.raises(AuthenticationFailed, match="too many"):
        second_factor.sign_in_check_password(request=None, email=email, password=PASSWORD)


@pytest.mark.real_hashing
def test_passwords_are_stored_with_argon2(db: None) -> None:
    user = User.objects.create_user("argon@test.example", PASSWORD, full_name="A", role="member")
    assert user.password.startswith("argon2$")


def test_a_lead_resets_a_colleagues_lost_authenticator(world: World) -> None:
    lead, colleague = world.users[Role.SECURITY_LEAD], world.users[Role.MEMBER]
    colleague.totp_secret = second_factor.totp_new_secret()
    colleague.totp_confirmed_at = timezone.now()
    colleague.save()
    response = world.client(Role.SECURITY_LEAD).post(
        f"/organisations/{world.own.slug}/people/{colleague.pk}/", {"reset_second_factor": "1"}
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert not colleague.has_totp and colleague.totp_secret == ""
    assert AuditEntry.objects.filter(action="user.reset_second_factor").count() == 1
    with pytest.raises(InvalidInput):
        people.user_reset_second_factor(actor=lead, user=lead)


def test_nobody_strips_their_own_or_a_hub_accounts_second_factor(
    world: World, unchanged: None
) -> None:
    coordinator = world.users[Role.COORDINATOR]
    with pytest.raises(InvalidInput):
        people.user_reset_second_factor(actor=coordinator, user=coordinator)
    with pytest.raises(PermissionDenied):
        people.user_reset_second_factor(actor=world.users[Role.SECURITY_LEAD], user=coordinator)
