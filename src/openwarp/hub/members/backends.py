"""Sign-in for people whose organisation is still a member of the hub.

When a coordinator deactivates an organisation (it leaves the WARP), its
people must lose access at once: new sign-ins, existing sessions (Django
asks the backend again on every request) and API tokens alike.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

BACKEND = "openwarp.hub.members.backends.MemberBackend"


def account_is_live(user: Any) -> bool:
    """Active account, and an active organisation if it belongs to one."""
    if not getattr(user, "is_active", False):
        return False
    organisation = getattr(user, "organisation", None)
    return organisation is None or organisation.is_active


class MemberBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        return account_is_live(user)
