"""Scoped, expiring API tokens. The secret is shown once and stored hashed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from openwarp.core.errors import AuthenticationFailed, InvalidInput, PermissionDenied
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


_ACCOUNT_MODELS = ((ApiToken, "t"), (User, "u"), (Organisation, "o"))


@cache
def _token_sql() -> str:
    """One join of token, account and organisation, written once per process:
    every API request starts here, and Django compiling the same query each
    time cost more than running it."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"{alias}.{quote(str(field.column))}"
        for model, alias in _ACCOUNT_MODELS
        for field in model._meta.concrete_fields
    )
    return (
        f"SELECT {columns} FROM {quote(ApiToken._meta.db_table)} t "  # noqa: S608 (model names only)
        f"JOIN {quote(User._meta.db_table)} u ON u.id = t.user_id "
        f"LEFT JOIN {quote(Organisation._meta.db_table)} o ON o.id = u.organisation_id "
        "WHERE t.prefix = %s"
    )


@cache
def _converters(model: type[Model]) -> tuple[tuple[Any, list[Any]], ...]:
    """Per column, what the ORM would apply to a raw value of it (SQLite hands
    back text for times and ids; the ORM makes them typed)."""
    columns = []
    for field in model._meta.concrete_fields:
        column = field.get_col(model._meta.db_table)
        columns.append(
            (column, connection.ops.get_db_converters(column) + field.get_db_converters(connection))
        )
    return tuple(columns)


def _instance(model: type[Model], values: tuple[Any, ...]) -> Any:
    """A model instance from raw column values, converted as the ORM would."""
    converted = []
    for (column, converters), value in zip(_converters(model), values, strict=True):
        for convert in converters:
            value = convert(value, column, connection)
        converted.append(value)
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db("default", names, converted)


def _token_with_account(prefix: str) -> ApiToken | None:
    """The token with the given prefix, its user and the user's organisation loaded."""
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [prefix])
        row = cursor.fetchone()
    if row is None:
        return None
    cut = len(ApiToken._meta.concrete_fields)
    end = cut + len(User._meta.concrete_fields)
    token, user = _instance(ApiToken, row[:cut]), _instance(User, row[cut:end])
    # A coordinator belongs to no organisation: its columns come back empty.
    user.organisation = _instance(Organisation, row[end:]) if row[end] is not None else None
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
