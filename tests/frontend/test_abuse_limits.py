"""The public limits count the person, not a header they choose, nor their proxy."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from tests.frontend.conftest import form_data

pytestmark = pytest.mark.django_db


def post_form(client, room, day, **headers):
    return client.post(f"/rooms/{room.slug}/request/", form_data(day, title=""), **headers)


@override_settings(RENTER_FORM_RATE_LIMIT=(2, 3600), NUM_PROXIES=1)
def test_behind_the_proxy_one_persons_posts_do_not_block_another(client, priced_room, day):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = [
        post_form(client, priced_room, day, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
        for _ in range(3)
    ]
    assert [response.status_code for response in first] == [400, 400, 429]
    other = post_form(client, priced_room, day, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other.status_code == 400


@override_settings(RENTER_FORM_RATE_LIMIT=(2, 3600))
def test_without_a_proxy_a_forged_header_does_not_reset_the_form_limit(client, priced_room, day):
    codes = [
        post_form(client, priced_room, day, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]
    assert codes == [400, 400, 429]


def test_a_forged_forwarded_header_does_not_escape_the_api_throttle(client, monkeypatch):
    from bookings.api.views import PublicWriteThrottle

    monkeypatch.setattr(PublicWriteThrottle, "THROTTLE_RATES", {"public_write": "2/hour"})
    codes = [
        client.post(
            "/api/v1/booking-requests/",
            json.dumps({}),
            content_type="application/json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(3)
    ]
    assert codes == [400, 400, 429]
