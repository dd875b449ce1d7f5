"""Signing in with a password and, where set up or required, a TOTP code.

The session is only logged in once every factor has passed; in between, the
user's id waits in the session under PENDING for a few minutes.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from openwarp.core.errors import OpenWarpError
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.backends import BACKEND
from openwarp.hub.members.forms import (
    CodeForm,
    NewPasswordForm,
    PasswordForgotForm,
    SignInForm,
)
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import TOTP_REQUIRED_ROLES, Role
from openwarp.hub.members.services import passwords, second_factor

PENDING = "openwarp_pending_user"
PENDING_SECONDS = 300


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["id"], is_active=True).first()


def _finish(request: HttpRequest, user: User) -> HttpResponse:
    next_url = request.session.pop("openwarp_next", "")
    request.session.pop(PENDING, None)
    login(request, user, backend=BACKEND)
    audit_record(
        actor=user,
        action="user.sign_in",
        target=user,
        organisation_id=user.organisation_id,
        details={"email": user.email},
    )
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return redirect(next_url)
    return redirect("web:dashboard")


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = second_factor.sign_in_check_password(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except OpenWarpError as error:
            form.add_error(None, error.message)
        else:
            request.session.cycle_key()
            request.session["openwarp_next"] = request.GET.get("next", "")
            if not user.has_totp and Role(user.role) not in TOTP_REQUIRED_ROLES:
                return _finish(request, user)
            request.session[PENDING] = {"id": user.pk, "since": time.time()}
            return redirect("members:sign_in_code" if user.has_totp else "members:enrol_totp")
    return render(request, "members/sign_in.html", {"form": form})


def sign_in_code(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or not user.has_totp:
        return redirect("members:sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.totp_verify(user=user, code=form.cleaned_data["code"])
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            return _finish(request, user)
    return render(request, "members/sign_in_code.html", {"form": form})


def enrol_totp(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: at sign-in when the role needs it, or from the account page."""
    user = request.user if request.user.is_authenticated else _pending_user(request)
    if not isinstance(user, User):
        return redirect("members:sign_in")
    secret = request.session.get("openwarp_totp_secret") or second_factor.totp_new_secret()
    request.session["openwarp_totp_secret"] = secret
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.totp_confirm_enrolment(
                user=user, secret=secret, code=form.cleaned_data["code"]
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            request.session.pop("openwarp_totp_secret", None)
            if request.user.is_authenticated:
                return redirect("members:account")
            return _finish(request, user)
    uri = second_factor.totp_provisioning_uri(user=user, secret=secret)
    return render(
        request,
        "members/enrol_totp.html",
        {
            "form": form,
            "secret": secret,
            "qr_svg": second_factor.totp_qr_svg(uri),
            "required": Role(user.role) in TOTP_REQUIRED_ROLES,
        },
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("members:sign_in")


def password_forgot(request: HttpRequest) -> HttpResponse:
    form = PasswordForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        passwords.password_reset_request(
            email=form.cleaned_data["email"],
            link_for=lambda uid, token: request.build_absolute_uri(
                reverse("members:password_reset", args=[uid, token])
            ),
        )
        # The same answer whether or not the address has an account.
        return render(request, "members/password_forgot.html", {"sent": True})
    return render(request, "members/password_forgot.html", {"form": form})


def password_reset(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    try:
        user = passwords.password_reset_user(uid=uid, token=token)
    except OpenWarpError as error:
        return render(request, "web/refused.html", {"message": error.message}, status=404)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            passwords.password_reset_complete(
                uid=uid, token=token, password=form.cleaned_data["password"]
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Your password has been changed. Sign in with it now.")
            return redirect("members:sign_in")
    return render(request, "members/password_reset.html", {"form": form, "email": user.email})
