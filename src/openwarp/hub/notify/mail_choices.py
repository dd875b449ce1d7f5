"""Who among an organisation's people is e-mailed about what.

Each person may choose, per kind of e-mail, to have it or not. Without a
choice, security leads get every kind (they are who the hub warns) and
colleagues none, so the hub never starts mailing people who did not ask.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from openwarp.core.errors import PermissionDenied
from openwarp.hub.members.models import User
from openwarp.hub.members.policy import ORGANISATION_ROLES, Role
from openwarp.hub.members.policy.notify import may_choose_mail
from openwarp.hub.members.policy_adapters import viewer_for
from openwarp.hub.notify.models import MailPreference, MailTopic


def mail_recipients(*, organisation_id: int, topic: MailTopic) -> list[str]:
    """The addresses of the organisation's active people who want this kind of e-mail."""
    choice = MailPreference.objects.filter(user=OuterRef("pk"), topic=topic).values("wanted")[:1]
    people = User.objects.filter(
        organisation_id=organisation_id, is_active=True, role__in=ORGANISATION_ROLES
    ).annotate(wanted=Subquery(choice))
    wanting = Q(wanted=True) | Q(wanted__isnull=True, role=Role.SECURITY_LEAD)
    return list(people.filter(wanting).order_by("email").values_list("email", flat=True))


def mail_choices(*, user: User) -> dict[MailTopic, bool]:
    """What this person receives now, by kind: their choices, else the default."""
    chosen = dict(MailPreference.objects.filter(user=user).values_list("topic", "wanted"))
    default = user.role == Role.SECURITY_LEAD
    return {topic: chosen.get(topic.value, default) for topic in MailTopic}


@transaction.atomic
def mail_choices_set(*, actor: User, choices: dict[MailTopic, bool]) -> dict[MailTopic, bool]:
    """Record the actor's own choices; kinds not named keep theirs."""
    if not may_choose_mail(viewer_for(actor)):
        raise PermissionDenied("only people of a member organisation receive its e-mails")
    for topic, wanted in choices.items():
        MailPreference.objects.update_or_create(
            user=actor, topic=topic, defaults={"wanted": wanted}
        )
    return mail_choices(user=actor)
