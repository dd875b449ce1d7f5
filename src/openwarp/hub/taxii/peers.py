"""The hubs this hub receives reports from, and how each is recognised.

A received report may be changed later only by the peer that sent it, so
the peer must be named the same way whether it pushed the report or this hub
pulled it. Names a peer gives itself (its discovery title) are not proof of
anything; what this hub knows for sure is which of its accounts pushed and
which address it pulled from. Each becomes a `Peer` the first time it is
seen; an operator who knows that an account and an address are the same hub
says so once with `peer_register` (`openwarp federation peer add`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from openwarp.core.errors import Conflict, InvalidInput, NotFound
from openwarp.hub.audit.services import audit_record
from openwarp.hub.members.models import User
from openwarp.hub.taxii.models import Peer


def discovery_url(url: str) -> str:
    """`https://hub.example` or its `/taxii2/` URL, as the discovery URL."""
    base = url.strip().rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise InvalidInput(f"{url!r} is not an http(s) URL", field="peer")
    return base + "/" if base.endswith("/taxii2") else base + "/taxii2/"


def _free_name(wanted: str, detail: str) -> str:
    """`wanted`, or `wanted (detail)` when another peer already has that name."""
    name = (wanted.strip() or detail)[:150]
    if not Peer.objects.filter(name=name).exists():
        return name
    return f"{name} ({detail})"[:200]


def peer_for_account(*, user: User) -> Peer:
    """The peer that pushes with this account (made the first time it pushes)."""
    found = Peer.objects.filter(account=user).first()
    if found is not None:
        return found
    name = _free_name(user.full_name or user.email, user.email)
    return Peer.objects.create(name=name, account=user)


def peer_for_url(*, url: str, title: str) -> Peer:
    """The peer this hub pulls from at `url` (made the first time it is pulled)."""
    address = discovery_url(url)
    found = Peer.objects.filter(url=address).first()
    if found is not None:
        return found
    return Peer.objects.create(name=_free_name(title, address), url=address)


def _take_from(peer: Peer, holder: Peer | None, what: str) -> None:
    """Move an address or account to `peer` from a peer that holds no report
    yet (made by a first pull or push); one that holds reports keeps it."""
    if holder is None or holder.pk == peer.pk:
        return
    if holder.reports.exists():
        raise Conflict(
            f"that {what} belongs to the peer {holder.name!r}, which holds reports", field=what
        )
    if holder.pulled_until and (not peer.pulled_until or holder.pulled_until > peer.pulled_until):
        peer.pulled_until = holder.pulled_until
    setattr(holder, what, None)
    holder.save(update_fields=[what])
    if holder.url is None and holder.account_id is None:
        holder.delete()


@transaction.atomic
def peer_register(
    *, actor: User | None, name: str, url: str | None = None, account_email: str | None = None
) -> Peer:
    """Name a peer and tie to it the address it is pulled from and/or the
    account it pushes with, so both ways in are the same peer."""
    if not name.strip():
        raise InvalidInput("name the peer hub", field="name")
    peer = Peer.objects.select_for_update().filter(name=name.strip()).first()
    if peer is None:
        peer = Peer.objects.create(name=name.strip())
    if url:
        address = discovery_url(url)
        _take_from(peer, Peer.objects.filter(url=address).first(), "url")
        peer.url = address
    if account_email:
        account = User.objects.filter(email__iexact=account_email.strip()).first()
        if account is None:
            raise NotFound(f"no account {account_email!r} on this hub", field="account")
        _take_from(peer, Peer.objects.filter(account=account).first(), "account")
        peer.account = account
    peer.save()
    audit_record(
        actor=actor,
        action="federation.peer",
        target=peer,
        details={"name": peer.name, "url": peer.url or "", "account": account_email or ""},
    )
    return peer


def peer_pulled(*, peer: Peer, until: datetime | None) -> None:
    """Remember where a pull stopped (never moving the cursor back)."""
    if until is not None and (peer.pulled_until is None or until > peer.pulled_until):
        peer.pulled_until = until
        peer.save(update_fields=["pulled_until"])
