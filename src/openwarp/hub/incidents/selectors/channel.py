"""The anonymous channel as each viewer may see it: reporter for the few, category for all."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from openwarp.core.errors import NotFound, PermissionDenied
from openwarp.hub.incidents.models import AnonymousPost, PostState
from openwarp.hub.members.policy import Role, Viewer
from openwarp.hub.members.policy.incidents import may_see_post_reporter, may_view_post
from openwarp.hub.sharing.access import organisation_category


def posts_visible(viewer: Viewer) -> QuerySet[AnonymousPost]:
    """Mirrors `policy.incidents.may_view_post` as a query (tests check they agree)."""
    posts = AnonymousPost.objects.select_related("reporter_organisation__region")
    if not viewer.signed_in:
        return posts.none()
    if viewer.runs_hub:
        return posts
    if viewer.role == Role.NATIONAL_ANALYST:
        return posts.filter(escalated_on__isnull=False)
    own = Q(reporter_organisation_id=viewer.organisation_id)
    return posts.filter(own | Q(state=PostState.PUBLISHED))


def channel_feed(*, viewer: Viewer) -> list[AnonymousPost]:
    """Published (or, for the analyst, escalated) posts: newest day first, random within it."""
    posts = posts_visible(viewer)
    if viewer.role == Role.NATIONAL_ANALYST:
        return list(posts.order_by("-escalated_on", "public_id")[:200])
    return list(
        posts.filter(state=PostState.PUBLISHED).order_by("-published_on", "public_id")[:200]
    )


def posts_awaiting_review(*, viewer: Viewer) -> list[AnonymousPost]:
    if not viewer.runs_hub:
        raise PermissionDenied("only coordinators review the anonymous channel")
    return list(
        posts_visible(viewer).filter(state=PostState.AWAITING_REVIEW).order_by("created_at")
    )


def post_for_viewer(*, viewer: Viewer, public_id: UUID | str) -> AnonymousPost:
    try:
        post = posts_visible(viewer).filter(public_id=public_id).first()
    except ValidationError:
        post = None
    if post is None or not may_view_post(
        viewer,
        reporter_organisation_id=post.reporter_organisation_id,
        published=post.state == PostState.PUBLISHED,
        escalated=post.escalated_on is not None,
    ):
        raise NotFound("no such post")
    return post


def post_source(viewer: Viewer, post: AnonymousPost) -> str:
    """The reporter's name for those allowed it; the category for everyone else."""
    if may_see_post_reporter(viewer, reporter_organisation_id=post.reporter_organisation_id):
        return post.reporter_organisation.name
    return post_category(post)


def post_category(post: AnonymousPost) -> str:
    return organisation_category(post.reporter_organisation).describe()
