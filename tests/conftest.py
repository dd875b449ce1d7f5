"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

pytest_plugins = ["tests.world"]

# Property tests check rules, not speed (speed is measured in benchmarks/).
# Hypothesis's default 200 ms deadline per example turned a slow moment on a
# loaded two-core machine into a failure; no deadline, same examples.
settings.register_profile("openwarp", deadline=None)
settings.load_profile("openwarp")

# Settings are read when pytest-django starts Django, after this file loads. A
# run without OPENWARP_DATA_DIR (pytest called by hand) gets a data dir of its
# own, so it never shares a test database with another checkout's run.
os.environ.setdefault("OPENWARP_DATA_DIR", tempfile.mkdtemp(prefix="openwarp-test-"))

REPO_ROOT = Path(__file__).resolve().parent.parent
# ../shared/data beside the checkout, as the team lays it out; a checkout kept
# elsewhere can point OPENWARP_SHARED_DATA at the folder.
SHARED_DATA = Path(os.environ.get("OPENWARP_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The team's real data sets, read in place and never copied (see its README)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher.

    Tests marked `real_hashing` keep the production setting.
    """
    if "django_db_setup" not in request.fixturenames or request.node.get_closest_marker(
        "real_hashing"
    ):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
