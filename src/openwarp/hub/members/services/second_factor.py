"""TOTP second factor and sign-in throttling."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openwarp.core.errors import AuthenticationFailed, InvalidInput
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import SignInFailure, User

TOTP_STEP_SECONDS = 30


def _client_ip(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def sign_in_check_password(*, request: HttpRequest | None, email: str, password: str) -> User:
    """Check the password, counting failures per account and per address."""
    email = email.strip().lower()
    ip = _client_ip(request)
    since = timezone.now() - timedelta(seconds=settings.SIGN_IN_FAILURE_WINDOW_SECONDS)
    recent = SignInFailure.objects.filter(at__gte=since)
    limit = settings.SIGN_IN_MAX_FAILURES
    if recent.filter(email=email).count() >= limit or (
        ip and recent.filter(ip_address=ip).count() >= limit * 4
    ):
        raise AuthenticationFailed(
            "too many failed sign-ins; wait 15 minutes before trying again", field="throttled"
        )
    user = authenticate(request, username=email, password=password)
    if user is None:
        SignInFailure.objects.create(email=email, ip_address=ip)
        raise AuthenticationFailed("the e-mail address or password is wrong", field="password")
    assert isinstance(user, User)
    return user


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_provisioning_uri(*, user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=settings.HUB_NAME)


def totp_qr_svg(uri: str) -> str:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer,
        kind="svg",
        scale=5,
        xmldecl=False,
        svgns=True,
        title="QR code for your authenticator app",
    )
    return buffer.getvalue().decode("utf-8")


def _matching_step(secret: str, code: str, *, at: float) -> int | None:
    """The 30-second step the code belongs to, allowing one step of clock drift."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    step = int(at // TOTP_STEP_SECONDS)
    for candidate in (step, step - 1, step + 1):
        if totp.at(candidate * TOTP_STEP_SECONDS) == code:
            return candidate
    return None


@transaction.atomic
def totp_confirm_enrolment(*, user: User, secret: str, code: str) -> None:
    step = _matching_step(secret, code, at=time.time())
    if step is None:
        raise InvalidInput("that code does not match; check your device's clock", field="code")
    user.totp_secret = secret
    user.totp_confirmed_at = timezone.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
    audit_record(
        actor=user,
        action="user.totp_enrol",
        target=user,
        organisation_id=user.organisation_id,
        details={"email": user.email},
    )


@transaction.atomic
def totp_verify(*, user: User, code: str) -> None:
    """Accept each code once: a code seen on a shoulder-surfed screen is spent."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    step = _matching_step(locked.totp_secret, code, at=time.time())
    if step is None or step <= locked.totp_last_step:
        SignInFailure.objects.create(email=user.email, ip_address=None)
        raise AuthenticationFailed("that code is wrong or already used", field="code")
    locked.totp_last_step = step
    locked.save(update_fields=["totp_last_step"])
