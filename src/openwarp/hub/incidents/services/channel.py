"""The anonymous regional channel: a member tells the region through the coordinator."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from openwarp.core.errors import InvalidInput, PermissionDenied
from openwarp.hub.audit.services import audit_record
from openwarp.hub.incidents.models import AnonymousPost, PostState
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import Action, may
from openwarp.hub.members.policy.incidents import may_post_anonymously
from openwarp.hub.members.policy_adapters import viewer_for


@transaction.atomic
def post_create(*, actor: User, threat: str, message: str) -> AnonymousPost:
    """Store the post with its reporter; nobody outside the hub sees it until review.

    The audit entry names no organisation: the audit log is read by every
    coordinator, but it is kept free of the link all the same.
    """
    if not may_post_anonymously(viewer_for(actor)) or actor.organisation is None:
        raise PermissionDenied("only members of an organisation post to the channel")
    if not threat.strip():
        raise InvalidInput("say what is attacking you", field="threat")
    if not message.strip():
        raise InvalidInput("say what is happening", field="message")
    post = AnonymousPost.objects.create(
        reporter_organisation=actor.organisation,
        author=actor,
        threat=threat.strip()[:200],
        message=message.strip(),
    )
    audit_record(actor=actor, action="channel.post", target=post)
    return post


def _require_coordinator(actor: User) -> None:
    if not may(viewer_for(actor), Action.REVIEW_ANONYMOUS):
        raise PermissionDenied("only the hub's coordinators review the anonymous channel")


@transaction.atomic
def post_review(
    *, actor: User, post: AnonymousPost, publish: bool, message: str | None = None
) -> AnonymousPost:
    """Publish (optionally with the coordinator's edit of the wording) or withhold.

    Only the day of publication is kept, so the region cannot line the post
    up with the moment the member wrote it.
    """
    _require_coordinator(actor)
    if post.state != PostState.AWAITING_REVIEW:
        raise InvalidInput("this post is not waiting for review", field="state")
    if message is not None and message.strip():
        post.message = message.strip()
    post.state = PostState.PUBLISHED if publish else PostState.WITHHELD
    post.published_on = timezone.localdate() if publish else None
    post.save(update_fields=["message", "state", "published_on"])
    audit_record(
        actor=actor, action="channel.publish" if publish else "channel.withhold", target=post
    )
    return post


@transaction.atomic
def post_escalate(*, actor: User, post: AnonymousPost) -> AnonymousPost:
    """Pass a published post to the national hub, still without its reporter."""
    _require_coordinator(actor)
    if post.state != PostState.PUBLISHED:
        raise InvalidInput("publish the post to the region first", field="state")
    if post.escalated_on is None:
        post.escalated_on = timezone.localdate()
        post.save(update_fields=["escalated_on"])
        audit_record(actor=actor, action="channel.escalate", target=post)
    return post
