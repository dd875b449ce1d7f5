"""Forgotten passwords: a one-time e-mailed link, and nothing given away.

The request answers the same whether or not the address has an account, so
the page cannot be used to find out who works where. The link is Django's
password-reset token: it is bound to the current password hash and last
sign-in, so it works once, and it expires after PASSWORD_RESET_TIMEOUT. A
reset changes only the password: coordinators and admins still need their
second factor to sign in afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from openwarp.core.errors import NotFound
from openwarp.hub.audit.models import AuditEntry
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.backends import account_is_live
from openwarp.hub.members.models import User
from openwarp.hub.members.services.people import check_password_strength


def password_reset_request(*, email: str, link_for: Callable[[str, str], str]) -> None:
    """E-mail a reset link to a live account with this address; say nothing otherwise.

    `link_for(uid, token)` turns the two parts into an absolute URL.
    """
    user = User.objects.select_related("organisation").filter(email=email.strip().lower()).first()
    if user is None or not account_is_live(user) or _recently_sent(user):
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = link_for(uid, default_token_generator.make_token(user))
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    send_mail(
        subject=f"Reset your {settings.HUB_NAME} password",
        message=(
            "Someone, probably you, asked to reset the password for this address.\n\n"
            f"Choose a new password here (the link works once, for {minutes} minutes):\n"
            f"{link}\n\nIf it was not you, ignore this e-mail: your password stays as it is."
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    audit_record(
        actor=None,
        action="user.password_reset_request",
        target=user,
        organisation_id=user.organisation_id,
        details={"email": user.email},
    )


# At most this many reset e-mails to one account per window, so the form
# cannot be used to flood someone's inbox. The audit log is the record.
RESET_MAILS_PER_WINDOW = 3
RESET_WINDOW = timedelta(minutes=15)


def _recently_sent(user: User) -> bool:
    sent = AuditEntry.objects.filter(
        action="user.password_reset_request",
        object_type="members.user",
        object_id=str(user.pk),
        at__gte=timezone.now() - RESET_WINDOW,
    )
    return sent.count() >= RESET_MAILS_PER_WINDOW


def password_reset_user(*, uid: str, token: str) -> User:
    """The account a reset link is for, while the link is still good."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        pk = None
    user = User.objects.select_related("organisation").filter(pk=pk).first() if pk else None
    if (
        user is None
        or not account_is_live(user)
        or not default_token_generator.check_token(user, token)
    ):
        raise NotFound("this reset link has expired or has been used; ask for a new one")
    return user


@transaction.atomic
def password_reset_complete(*, uid: str, token: str, password: str) -> User:
    user = password_reset_user(uid=uid, token=token)
    check_password_strength(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user,
        action="user.password_reset",
        target=user,
        organisation_id=user.organisation_id,
        details={"email": user.email},
    )
    return user
