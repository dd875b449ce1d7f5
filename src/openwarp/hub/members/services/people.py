"""Inviting people, accepting invitations, and changing roles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import Invitation, Organisation, User
from openwarp.hub.members.policy import ORGANISATION_ROLES, Role, may_set_role
from openwarp.hub.members.policy_adapters import viewer_for


def hash_secret(secret: str) -> str:
    """Invitation and API secrets are long and random, so one SHA-256 suffices."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def role_parse(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"unknown role {value!r} (use one of: {', '.join(Role)})", field="role"
        ) from None


def _check_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(f"{email!r} is not an e-mail address", field="email") from None
    return email


def _check_role_fits(role: Role, organisation: Organisation | None) -> None:
    if role in ORGANISATION_ROLES and organisation is None:
        raise InvalidInput(
            f"a {role.label.lower()} must belong to an organisation", field="organisation"
        )


def check_password_strength(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from None


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation | None,
    password: str,
) -> User:
    """Create an account directly (CLI and demo); the web uses invitations."""
    email = _check_email(email)
    chosen = role_parse(role)
    _check_role_fits(chosen, organisation)
    if User.objects.filter(email=email).exists():
        raise Conflict(f"{email} already has an account", field="email")
    check_password_strength(password, User(email=email, full_name=full_name))
    user = User.objects.create_user(
        email,
        password,
        full_name=full_name.strip(),
        role=chosen,
        organisation=organisation,
        is_superuser=chosen == Role.ADMIN,
    )
    audit_record(
        actor=actor,
        action="user.create",
        target=user,
        organisation_id=user.organisation_id,
        details={"email": email, "role": chosen.value},
    )
    return user


@transaction.atomic
def invitation_create(
    *, actor: User, email: str, full_name: str, role: str, organisation: Organisation | None
) -> tuple[Invitation, str]:
    """Return the invitation and its one-time secret for the invitation link."""
    email = _check_email(email)
    chosen = role_parse(role)
    _check_role_fits(chosen, organisation)
    org_id = organisation.pk if organisation else None
    if not may_set_role(viewer_for(actor), chosen, organisation_id=org_id):
        raise PermissionDenied(f"you cannot invite a {chosen.label.lower()} here", field="role")
    if User.objects.filter(email=email).exists():
        raise Conflict(f"{email} already has an account", field="email")
    if not full_name.strip():
        raise InvalidInput("a name is required", field="full_name")
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        organisation=organisation,
        role=chosen,
        token_hash=hash_secret(secret),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    audit_record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        organisation_id=org_id,
        details={"email": email, "role": chosen.value},
    )
    return invitation, secret


def invitation_send(*, invitation: Invitation, link: str) -> None:
    """E-mail the one-time link; the secret itself is never stored or logged."""
    where = f" for {invitation.organisation.name}" if invitation.organisation else ""
    inviter = invitation.invited_by.full_name if invitation.invited_by else "The hub"
    send_mail(
        subject=f"Your invitation to {settings.HUB_NAME}",
        message=(
            f"{inviter} has invited you to join {settings.HUB_NAME} as "
            f"{Role(invitation.role).label.lower()}{where}.\n\n"
            f"Choose a password here (the link works once, until "
            f"{invitation.expires_at:%d %B %Y}):\n{link}\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_find(*, secret: str) -> Invitation:
    invitation = Invitation.objects.filter(token_hash=hash_secret(secret)).first()
    if invitation is None or invitation.accepted_at is not None:
        raise NotFound("this invitation link is not valid or has been used", field="invitation")
    if invitation.expires_at <= timezone.now():
        raise InvalidInput("this invitation has expired; ask for a new one", field="invitation")
    return invitation


@transaction.atomic
def invitation_accept(*, secret: str, password: str) -> User:
    invitation = invitation_find(secret=secret)
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    if User.objects.filter(email=invitation.email).exists():
        raise Conflict(f"{invitation.email} already has an account", field="email")
    check_password_strength(password, User(email=invitation.email, full_name=invitation.full_name))
    user = User.objects.create_user(
        invitation.email,
        password,
        full_name=invitation.full_name,
        role=invitation.role,
        organisation=invitation.organisation,
        is_superuser=invitation.role == Role.ADMIN,
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        action="invitation.accept",
        target=invitation,
        organisation_id=user.organisation_id,
        details={"email": user.email},
    )
    return user


@transaction.atomic
def user_set_role(*, actor: User, user: User, role: str) -> User:
    chosen = role_parse(role)
    _check_role_fits(chosen, user.organisation)
    if not may_set_role(viewer_for(actor), chosen, organisation_id=user.organisation_id):
        raise PermissionDenied(
            f"you cannot make {user.email} a {chosen.label.lower()}", field="role"
        )
    if user.role in (Role.ADMIN, Role.COORDINATOR) and not viewer_for(actor).runs_hub:
        raise PermissionDenied(f"only the hub can change {user.email}'s role", field="role")
    previous = user.role
    user.role = chosen
    user.is_superuser = chosen == Role.ADMIN
    user.save(update_fields=["role", "is_superuser"])
    audit_record(
        actor=actor,
        action="user.set_role",
        target=user,
        organisation_id=user.organisation_id,
        details={"email": user.email, "from": previous, "to": chosen.value},
    )
    return user


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool) -> User:
    viewer = viewer_for(actor)
    if not may_set_role(viewer, Role(user.role), organisation_id=user.organisation_id):
        raise PermissionDenied(f"you cannot change {user.email}'s account", field="user")
    if user.pk == actor.pk:
        raise InvalidInput("you cannot deactivate your own account", field="user")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        target=user,
        organisation_id=user.organisation_id,
        details={"email": user.email},
    )
    return user


@transaction.atomic
def user_reset_second_factor(*, actor: User, user: User) -> User:
    """For a colleague who lost their authenticator: they enrol a new one at next sign-in.

    Whoever may manage the account may do this, but never for themselves: a
    stolen session must not be able to strip its own second factor.
    """
    viewer = viewer_for(actor)
    if not may_set_role(viewer, Role(user.role), organisation_id=user.organisation_id):
        raise PermissionDenied(f"you cannot change {user.email}'s account", field="user")
    if user.pk == actor.pk:
        raise InvalidInput(
            "ask a colleague or the hub to reset your own second factor", field="user"
        )
    if not user.has_totp:
        raise InvalidInput(f"{user.email} has no second factor to reset", field="user")
    user.totp_secret = ""
    user.totp_confirmed_at = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    audit_record(
        actor=actor,
        action="user.reset_second_factor",
        target=user,
        organisation_id=user.organisation_id,
        details={"email": user.email},
    )
    return user
