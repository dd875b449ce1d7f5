"""The anonymous channel: posting, reading by category, and the coordinator's queue."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openwarp.core.errors import OpenWarpError, PermissionDenied
from openwarp.hub.incidents.forms import PostForm
from openwarp.hub.incidents.selectors import channel as selectors
from openwarp.hub.incidents.services.channel import post_create, post_escalate, post_review
from openwarp.hub.members.policy import Action
from openwarp.hub.members.policy.incidents import may_post_anonymously
from openwarp.hub.web.decorators import MemberRequest, member_view


@member_view()
def channel(request: MemberRequest) -> HttpResponse:
    viewer = request.viewer
    posts = selectors.channel_feed(viewer=viewer)
    return render(
        request,
        "incidents/channel.html",
        {
            "rows": [(post, selectors.post_source(viewer, post)) for post in posts],
            "can_post": may_post_anonymously(viewer),
        },
    )


@member_view(Action.WRITE_CONTENT)
def post_new(request: MemberRequest) -> HttpResponse:
    if not may_post_anonymously(request.viewer):
        raise PermissionDenied("only members of an organisation post to the channel")
    form = PostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post_create(actor=request.user, **form.cleaned_data)
        except OpenWarpError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, "Sent to the coordinator, who will publish it without your name."
            )
            return redirect("incidents:channel")
    return render(
        request,
        "incidents/form_page.html",
        {
            "form": form,
            "heading": "Tell the region anonymously",
            "intro": "The coordinator reads this first. Others will see only your type of "
            "organisation and region, and the day it was published.",
            "button": "Send to the coordinator",
        },
    )


@member_view(Action.REVIEW_ANONYMOUS)
def review_queue(request: MemberRequest) -> HttpResponse:
    viewer = request.viewer
    if request.method == "POST":
        post = selectors.post_for_viewer(viewer=viewer, public_id=request.POST.get("post", ""))
        decision = request.POST.get("decision")
        try:
            if decision == "escalate":
                post_escalate(actor=request.user, post=post)
                messages.success(request, "Escalated to the national hub.")
            else:
                post_review(
                    actor=request.user,
                    post=post,
                    publish=decision == "publish",
                    message=request.POST.get("message"),
                )
                messages.success(
                    request, f"Post {'published' if decision == 'publish' else 'withheld'}."
                )
        except OpenWarpError as error:
            messages.error(request, error.message)
        return redirect("incidents:review")
    return render(
        request,
        "incidents/review.html",
        {
            "waiting": [
                (p, p.reporter_organisation.name, selectors.post_category(p))
                for p in selectors.posts_awaiting_review(viewer=viewer)
            ],
            "published": [
                p for p in selectors.channel_feed(viewer=viewer) if p.escalated_on is None
            ],
        },
    )
