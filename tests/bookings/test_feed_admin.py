"""Private feeds in the admin, as a staff member uses them: make one and see its address
once, renew it, revoke it; nobody else's feeds in sight."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group

from bookings.feeds import feed_token_create
from bookings.models import FeedToken

pytestmark = pytest.mark.django_db

ADD = "/admin/bookings/feedtoken/add/"
LIST = "/admin/bookings/feedtoken/"


def addresses(html: str) -> list[str]:
    return re.findall(r'value="(http://127\.0\.0\.1:8000/ical/feeds/[^"]+\.ics)"', html)


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_making_a_feed_shows_its_address_once_and_it_works(staff_client, staff_user, room):
    response = staff_client.post(ADD, {"name": "Puhelin", "rooms": [room.pk]})

    assert response.status_code == 200
    (url,) = addresses(response.content.decode())
    assert "webcal://127.0.0.1:8000/ical/feeds/" in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]
    feed_token = FeedToken.objects.get()
    assert (feed_token.user, feed_token.name) == (staff_user, "Puhelin")
    assert list(feed_token.rooms.all()) == [room]
    assert staff_client.get(path_of(url)).status_code == 200

    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    later = staff_client.get(LIST).content.decode()
    later += staff_client.get(f"{LIST}{feed_token.pk}/change/").content.decode()
    assert token not in later
    assert token not in str(staff_client.cookies) and token not in str(staff_client.session.items())


def test_renewing_shows_a_new_address_and_stops_the_old(staff_client, staff_user):
    old = feed_token_create(user=staff_user, name="Oma")
    response = staff_client.post(
        LIST, {"action": "rotate_selected", "_selected_action": [old.feed_token.pk]}
    )

    (url,) = addresses(response.content.decode())
    assert url != old.url
    assert staff_client.get(path_of(old.url)).status_code == 404
    assert staff_client.get(path_of(url)).status_code == 200


def test_revoking_stops_the_feed_and_keeps_its_row(staff_client, staff_user):
    feed = feed_token_create(user=staff_user, name="Oma")
    staff_client.post(LIST, {"action": "revoke_selected", "_selected_action": [feed.feed_token.pk]})

    assert staff_client.get(path_of(feed.url)).status_code == 404
    assert FeedToken.objects.get().revoked_at is not None


def test_staff_see_only_their_own_feeds(staff_client, django_user_model):
    colleague = django_user_model.objects.create_user("kollega", password="pw-kollega-1")
    colleague.groups.add(Group.objects.get(name="Booking staff"))
    theirs = feed_token_create(user=colleague, name="Kollegan syöte").feed_token

    assert "Kollegan syöte" not in staff_client.get(LIST).content.decode()
    assert staff_client.get(f"{LIST}{theirs.pk}/change/").status_code in (302, 404)


def test_staff_who_may_not_read_bookings_cannot_have_feeds(client, django_user_model):
    outsider = django_user_model.objects.create_user("ulko", password="pw-ulko-12", is_staff=True)
    client.force_login(outsider)
    assert client.get(ADD).status_code == 403
