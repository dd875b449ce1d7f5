"""Mutual-aid pages: the roster, requests, offers, deployments and the conflict list."""

from __future__ import annotations

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(
    request: HttpRequest, form: Form, *, heading: str, caption: str, button: str = "Save"
) -> HttpResponse:
    """The one-form page most mutual-aid writes use."""
    context = {"form": form, "heading": heading, "caption": caption, "button": button}
    return render(request, "mutualaid/form.html", context)
