"""A person's own account: second factor and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from openwarp.core.errors import OpenWarpError
from openwarp.hub.members import selectors
from openwarp.hub.members.forms import TokenForm
from openwarp.hub.members.models import ApiToken
from openwarp.hub.members.services import tokens as services
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def account(request: MemberRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_days=form.cleaned_data["expires_days"],
            )
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            new_token = issued.secret
            form = TokenForm()
    response = render(
        request,
        "members/account.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": selectors.tokens_for_user(user=request.user),
        },
    )
    # A token shown once must not linger in a shared cache or the back button.
    response["Cache-Control"] = "no-store"
    return response


@member_view()
def token_revoke(request: MemberRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        services.token_revoke(actor=request.user, token=token)
        messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("members:account")
