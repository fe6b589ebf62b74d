"""Production that holds: every configuration example the README gives boots, and room
photos are served with DEBUG off."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

import heideken.settings
from bookings.models import RoomPhoto
from tests.factories import make_room

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
PROJECT = Path(__file__).resolve().parent.parent


def readme_examples() -> list[tuple[str, str]]:
    """Every `NAME=value` the README shows in backticks, and every address a row of its
    configuration table gives as an example, `…` filled in as a reader would."""
    found = re.findall(r"`([A-Z][A-Z_]+)=([^`\s]+)`", README)
    for name, row in re.findall(r"^\| `([A-Z][A-Z_]+)`(.*)$", README, re.M):
        found += [(name, value) for value in re.findall(r"`([^`]*://[^`]*)`", row)]
    filled = [(name, value.replace("…", "x")) for name, value in found]
    assert ("EMAIL_URL", "smtp+tls://user:pass@smtp.example.org:587") in filled
    return sorted(set(filled))


@pytest.fixture
def settings_module(monkeypatch):
    def read(**environment: str):
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(heideken.settings)

    yield read
    monkeypatch.undo()
    importlib.reload(heideken.settings)


@pytest.mark.parametrize(("name", "value"), readme_examples())
def test_every_configuration_example_of_the_readme_boots(settings_module, name, value):
    settings_module(**{name: value})


def test_the_smtp_tls_example_means_starttls_with_its_credentials(settings_module):
    module = settings_module(EMAIL_URL="smtp+tls://user:pass@smtp.example.org:587")
    assert module.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (module.EMAIL_HOST, module.EMAIL_PORT) == ("smtp.example.org", 587)
    assert module.EMAIL_USE_TLS and not module.EMAIL_USE_SSL
    assert (module.EMAIL_HOST_USER, module.EMAIL_HOST_PASSWORD) == ("user", "pass")


def test_an_unknown_email_scheme_says_so(settings_module):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL scheme 'smtp-tls'"):
        settings_module(EMAIL_URL="smtp-tls://smtp.example.org")


def test_the_production_block_of_the_readme_passes_check_deploy():
    block = re.search(r"export (DEBUG=false.*?CONN_MAX_AGE=60)", README, re.S).group(1)
    environment = dict(
        pair.split("=", 1) for pair in block.replace("\\\n", " ").split() if "=" in pair
    )
    environment |= {
        "SECRET_KEY": "k3y-" + "".join(chr(ord("a") + n % 26) + str(n) for n in range(30)),
        "DATABASE_URL": "postgres://u:p@127.0.0.1/db",
    }
    # Nothing of the test run's own environment (its settings, the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE): only what the README sets.
    inherited = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "heideken.settings", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_room_photos_are_served_with_debug_off(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert not settings.DEBUG
    room = make_room(slug="sali")
    content = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    photo = RoomPhoto(room=room, alt_fi="Sali", sort_order=1)
    photo.image.save("sali.png", SimpleUploadedFile("sali.png", content), save=True)
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "image/png"
    assert client.get("/media/../settings.py").status_code == 404
    assert client.get("/media/rooms/missing.png").status_code == 404


def test_every_setting_gunicorn_conf_reads_is_documented_in_the_production_section():
    conf = (PROJECT / "gunicorn.conf.py").read_text()
    production = README.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    names = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', conf))
    assert "FORWARDED_ALLOW_IPS" in names
    assert [name for name in sorted(names) if f"`{name}`" not in production] == []
