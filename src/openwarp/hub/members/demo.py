"""Demo data for members: the East Midlands region, its members and people."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

from openwarp.hub.members.models import Organisation, User
from openwarp.hub.members.policy import TOTP_REQUIRED_ROLES, Role
from openwarp.hub.members.services import organisations as org_services
from openwarp.hub.members.services import people as people_services
from openwarp.hub.members.services import sharing_groups as group_services
from openwarp.hub.members.services.second_factor import totp_new_secret

SEED_FILES = ("east_midlands_councils.toml", "east_midlands_partners.toml")


def _load() -> dict[str, Any]:
    merged: dict[str, Any] = {"organisation": [], "network": [], "person": []}
    for name in SEED_FILES:
        data = tomllib.loads(
            resources.files("openwarp.hub.members.seed").joinpath(name).read_text("utf-8")
        )
        for key, value in data.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged[key] = value
    return merged


def seed(context: Any) -> None:
    data = _load()
    region = org_services.region_get_or_create(name=data["region"])
    codes = context.organisations
    # Counties first: districts name them as parent.
    for entry in sorted(data["organisation"], key=lambda e: e["type"] != "county"):
        organisation = org_services.organisation_create(
            actor=None,
            name=entry["name"],
            org_type=entry["type"],
            region=region,
            parent=codes.get(entry.get("parent", "")),
            population=entry.get("population"),
            subregion=entry.get("subregion", ""),
        )
        if "location" in entry:
            organisation.latitude, organisation.longitude = entry["location"]
            organisation.save(update_fields=["latitude", "longitude"])
        codes[entry["code"]] = organisation
    for entry in data["network"]:
        holder: Organisation = codes[entry["organisation"]]
        for cidr in entry["ranges"]:
            org_services.network_range_add(actor=None, organisation=holder, cidr=cidr)
        for domain in entry["domains"]:
            org_services.domain_add(actor=None, organisation=holder, name=domain)
    for entry in data["person"]:
        _seed_person(context, entry)
    for entry in data.get("sharing_group", []):
        group_services.sharing_group_create(
            actor=None, name=entry["name"], organisations=[codes[c] for c in entry["members"]]
        )


def _seed_person(context: Any, entry: dict[str, Any]) -> None:
    organisation = context.organisations.get(entry.get("organisation", ""))
    user: User = people_services.user_create(
        actor=None,
        email=entry["email"],
        full_name=entry["name"],
        role=entry["role"],
        organisation=organisation,
        password=context.password,
    )
    secret = ""
    if Role(user.role) in TOTP_REQUIRED_ROLES:
        # Demo accounts come with an authenticator already set up; the secret
        # is printed so the person trying the demo can add it to an app.
        secret = totp_new_secret()
        user.totp_secret = secret
        user.totp_confirmed_at = user.date_joined
        user.save(update_fields=["totp_secret", "totp_confirmed_at"])
    context.people[user.email] = user
    context.logins.append(
        {
            "role": Role(user.role).label,
            "email": user.email,
            "organisation": organisation.name if organisation else "",
            "totp_secret": secret,
        }
    )
