"""Production start-up: `check --deploy` is clean and a missing secret stops the start."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings

# Variables that would let the parent's test configuration leak into the subprocess:
# tests/settings.py sets SECRET_KEY and SECURE_SSL_REDIRECT in os.environ.
INHERITED_PREFIXES = ("DJANGO_", "SECURE_", "SESSION_", "CSRF_")
INHERITED_NAMES = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "SITE_URL"}


def production_environment(**values: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(INHERITED_PREFIXES) and name not in INHERITED_NAMES
    }
    env.update(DEBUG="false", ALLOWED_HOSTS="example.org", **values)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings():
    env = production_environment(SECRET_KEY=secrets.token_urlsafe(64))

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deploy_check_fails_on_a_weak_secret_key():
    # The same check must be able to fail, or the test above proves nothing.
    env = production_environment(SECRET_KEY="too-short")

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_starting_without_secret_key_with_debug_off_stops_with_a_clear_message():
    result = manage("check", env=production_environment())

    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr
