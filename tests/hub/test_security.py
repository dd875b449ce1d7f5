"""What an attacker or an auditor of the deployment would check."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pyotp
import pytest
from django.test import Client

from openwarp.hub.members.policy import Role
from tests.world import PASSWORD, World


def test_production_settings_pass_djangos_deployment_checks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "OPENWARP_TLS": "1",
        "OPENWARP_DATA_DIR": str(tmp_path),
        "OPENWARP_SECRET_KEY": secrets.token_urlsafe(60),
    }
    env.pop("OPENWARP_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own thread
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings",
            "openwarp.hub.settings",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_carry_security_headers(world: World) -> None:
    response = world.client(Role.MEMBER).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_session_and_csrf_cookies_are_http_only_and_same_site(db: None) -> None:
    response = Client().get("/sign-in/")
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_forms_without_a_csrf_token_are_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.COORDINATOR])
    response = client.post("/organisations/new/", {"name": "Rutland", "org_type": "unitary"})
    assert response.status_code == 403


def test_api_writes_by_session_need_csrf_but_bearer_tokens_do_not(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users[Role.COORDINATOR])
    body = '{"name": "Rutland County Council", "org_type": "unitary"}'
    refused = browser.post("/api/v1/organisations", body, content_type="application/json")
    assert refused.status_code in (401, 403)
    token = world.api(Role.COORDINATOR)
    created = token.post("/api/v1/organisations", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["slug"] == "rutland-county-council"


def _sign_in(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/sign-in/", {"email": email, "password": password})


def test_a_coordinator_needs_the_code_after_the_password(world: World) -> None:
    user = world.users[Role.COORDINATOR]
    client = Client()
    response = _sign_in(client, user.email)
    assert response["Location"] == "/sign-in/code/"
    assert client.get("/").status_code == 302  # not signed in yet
    wrong = client.post("/sign-in/code/", {"code": "000000"})
    assert "wrong or already used" in wrong.content.decode()
    done = client.post("/sign-in/code/", {"code": pyotp.TOTP(user.totp_secret).now()})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_coordinator_without_an_authenticator_must_set_one_up_first(world: World) -> None:
    user = world.users[Role.COORDINATOR]
    user.totp_confirmed_at = None
    user.save()
    client = Client()
    assert _sign_in(client, user.email)["Location"] == "/sign-in/authenticator/"
    page = client.get("/sign-in/authenticator/")
    assert "<svg" in page.content.decode()
    secret = client.session["openwarp_totp_secret"]
    done = client.post("/sign-in/authenticator/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.has_totp and user.totp_secret == secret


def test_members_sign_in_with_a_password_alone(world: World) -> None:
    client = Client()
    assert _sign_in(client, world.users[Role.MEMBER].email)["Location"] == "/"


def test_guessing_passwords_locks_the_account_even_for_the_right_one(world: World) -> None:
    client = Client()
    email = world.users[Role.MEMBER].email
    for _ in range(5):
        assert "wrong" in _sign_in(client, email, "not-it").content.decode()
    blocked = _sign_in(client, email)
    assert blocked.status_code == 200 and "too many failed sign-ins" in blocked.content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_sign_in_never_redirects_off_site(world: World, target: str) -> None:
    client = Client()
    response = client.post(
        f"/sign-in/?next={target}", {"email": world.users[Role.MEMBER].email, "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_a_new_token_is_shown_once_and_never_cached(world: World) -> None:
    client = world.client(Role.MEMBER)
    response = client.post("/account/", {"name": "SIEM", "scope": "read", "expires_days": 30})
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = page.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("owp_")
    again = client.get("/account/").content.decode()
    assert token not in again and "SIEM" in again


def test_changes_made_in_django_admin_are_audited(world: World) -> None:
    from openwarp.hub.audit.models import AuditEntry

    client = world.client(Role.ADMIN)
    url = f"/admin/members/organisation/{world.other.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "created_at"}
    created = world.other.created_at
    data.update(
        {
            "population": "340000",
            "is_active": "on",
            "created_at_0": created.date().isoformat(),
            "created_at_1": created.time().strftime("%H:%M:%S"),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.action == "admin.change"
    assert entry.actor_email == world.users[Role.ADMIN].email
    assert "population" in entry.details["fields"]


def test_sqlite_runs_in_wal_mode(db: None) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("WAL is a SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"


def test_the_api_says_why_a_token_is_refused(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from openwarp.hub.members.models import ApiToken

    client = world.api(Role.MEMBER)
    assert client.get("/api/v1/me").status_code == 200
    ApiToken.objects.filter(user=world.users[Role.MEMBER]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    refused = client.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json() == {
        "error": "unauthenticated",
        "message": "token has expired",
        "field": None,
    }


def test_read_tokens_cannot_write_even_for_coordinators(world: World) -> None:
    from django.test import Client

    from openwarp.hub.members.services.tokens import token_create

    issued = token_create(actor=None, user=world.users[Role.COORDINATOR], name="ro", scope="read")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    response = client.post(
        "/api/v1/organisations",
        '{"name": "X Council", "org_type": "unitary"}',
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_coordinator_without_a_second_factor_cannot_use_the_api_by_session(
    world: World,
) -> None:
    from django.test import Client

    coordinator = world.users[Role.COORDINATOR]
    coordinator.totp_confirmed_at = None
    coordinator.save()
    client = Client()
    client.force_login(coordinator)
    response = client.get("/api/v1/me")
    assert response.status_code == 403
    assert "authenticator" in response.json()["message"]
    assert client.get("/").status_code == 302  # pages send them to enrol
