"""Headers every answer carries: a Content-Security-Policy from the site only, and refusals
that speak the client's language whole."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_room

pytestmark = pytest.mark.django_db


def policy_of(response) -> dict[str, str]:
    parts = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in parts if " " in part}


def test_pages_carry_a_policy_of_this_site_only_without_inline_script(client):
    make_room(slug="sali", is_public=True)
    for path in ("/", "/en/rooms/sali/", "/en/rooms/sali/request/", "/en/staff/login/"):
        policy = policy_of(client.get(path))
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"


def test_the_api_docs_widen_style_only_for_themselves(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["script-src"] == "'self'"
    assert "'unsafe-inline'" in policy["style-src"]
    assert "<script>" not in response.content.decode()  # its script is a file


@pytest.mark.parametrize(
    ("language", "words"),
    [("fi", "Liian monta pyyntöä"), ("sv", "För många förfrågningar"), ("en", "Too many")],
)
def test_the_throttle_message_is_translated_whole(client, monkeypatch, language, words):
    from bookings.api.views import PublicWriteThrottle

    monkeypatch.setattr(PublicWriteThrottle, "THROTTLE_RATES", {"public_write": "1/hour"})
    for _ in range(2):
        response = client.post(
            "/api/v1/booking-requests/",
            json.dumps({}),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert response.status_code == 429
    assert response.json()["message"].startswith(words)
    assert "60 min" in response.json()["message"]
    assert response["Retry-After"]
