"""Scoped, expiring API tokens. The secret is shown once and stored hashed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from openwarp.core.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from openwarp.hub import joined_rows
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.backends import account_is_live
from openwarp.hub.members.models import ApiToken, Organisation, User
from openwarp.hub.members.policy import Action, may
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.members.services.people import hash_secret

TOKEN_PREFIX = "owp_"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@transaction.atomic
def token_create(
    *, actor: User | None, user: User, name: str, scope: str = "read", expires_days: int = 90
) -> IssuedToken:
    """Issue a token for `user`; `actor` is who asked (None for the CLI operator)."""
    if scope not in ApiToken.Scope.values:
        raise InvalidInput(f"scope must be read or write, not {scope!r}", field="scope")
    if not 1 <= expires_days <= settings.API_TOKEN_MAX_DAYS:
        raise InvalidInput(
            f"expiry must be between 1 and {settings.API_TOKEN_MAX_DAYS} days", field="expires_days"
        )
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied("you can only create tokens for yourself", field="user")
    action = Action.CREATE_WRITE_TOKEN if scope == "write" else Action.CREATE_READ_TOKEN
    if not may(viewer_for(user), action):
        raise PermissionDenied(
            f"a {user.get_role_display().lower()} cannot hold a {scope} token", field="scope"
        )
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API token",
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=expires_days),
    )
    audit_record(
        actor=actor or user,
        action="api_token.create",
        target=token,
        organisation_id=user.organisation_id,
        details={"user": user.email, "scope": scope, "expires_days": expires_days},
    )
    return IssuedToken(token=token, secret=secret)


_ACCOUNT = (
    joined_rows.Part(ApiToken, "t"),
    joined_rows.Part(User, "u"),
    joined_rows.Part(Organisation, "o"),
)


@cache
def _token_sql() -> str:
    """One join of token, account and organisation, written once per process:
    every API request starts here."""
    return (
        f"SELECT {joined_rows.select_list(_ACCOUNT)} "  # noqa: S608 (model names only)
        f"FROM {joined_rows.table(ApiToken)} t "
        f"JOIN {joined_rows.table(User)} u ON u.id = t.user_id "
        f"LEFT JOIN {joined_rows.table(Organisation)} o ON o.id = u.organisation_id "
        "WHERE t.prefix = %s"
    )


def _token_with_account(prefix: str) -> ApiToken | None:
    """The token with the given prefix, its user and the user's organisation
    loaded (none for a coordinator, who belongs to no organisation)."""
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    token, user, user.organisation = joined_rows.instances(row, _ACCOUNT)
    token.user = user
    return token


def token_authenticate(*, secret: str) -> ApiToken:
    """Find the live token for a presented secret, or say precisely why not."""
    try:
        prefix = secret.removeprefix(TOKEN_PREFIX).split("_", 1)[0]
    except (AttributeError, IndexError):
        raise AuthenticationFailed("malformed token") from None
    token = _token_with_account(prefix)
    if token is None or not secrets.compare_digest(token.secret_hash, hash_secret(secret)):
        raise AuthenticationFailed("unknown token")
    now = timezone.now()
    if token.revoked_at is not None:
        raise AuthenticationFailed("token has been revoked")
    if token.expires_at <= now:
        raise AuthenticationFailed("token has expired")
    if not token.user.is_active:
        raise AuthenticationFailed("token's account is deactivated")
    if not account_is_live(token.user):
        raise AuthenticationFailed("token's organisation is no longer a member of the hub")
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk and not viewer_for(actor).runs_hub:
        raise PermissionDenied("you can only revoke your own tokens", field="token")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        target=token,
        organisation_id=token.user.organisation_id,
        details={"prefix": token.prefix},
    )
