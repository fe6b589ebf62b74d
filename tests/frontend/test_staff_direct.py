"""Staff bookings for renters or the house, closures, and private calendar feeds."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bookings.feeds import feed_token_hash
from bookings.models import Booking, BookingStatus, Closure, ClosureReason, FeedToken
from bookings.services import closure_create
from tests.factories import at, make_room, working_day
from tests.frontend.staff_world import approved_for, request_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def booking_data(room, day, start="10:00", end="12:00", **extra) -> dict:
    data = {
        "room": room.pk,
        "day": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "title": "Henkilöstöpäivä",
        "attendees": 10,
        "organisation": "Vieras ry",
        "contact_name": "Ville Vieras",
        "email": "ville@example.org",
        "language": "fi",
    }
    data.update(extra)
    return data


def test_staff_book_for_a_renter_approved_at_once(staff_client, staff_user, room):
    day = working_day()
    response = staff_client.post(reverse("frontend:staff-booking-new"), booking_data(room, day))
    booking = Booking.objects.get(title="Henkilöstöpäivä")
    assert response["Location"] == reverse("frontend:staff-booking", args=[booking.pk])
    assert booking.status == BookingStatus.APPROVED
    assert booking.customer.organisation == "Vieras ry"
    assert booking.created_by == staff_user


def test_staff_book_for_the_house_without_renter_details(staff_client, room):
    day = working_day()
    data = booking_data(room, day, organisation="", contact_name="", email="", for_house="on")
    staff_client.post(reverse("frontend:staff-booking-new"), data)
    booking = Booking.objects.get(title="Henkilöstöpäivä")
    assert booking.customer is None and booking.organisation == ""


def test_a_renter_booking_needs_the_renters_details(staff_client, room):
    data = booking_data(room, working_day(), organisation="")
    response = staff_client.post(reverse("frontend:staff-booking-new"), data)
    assert "Needed when the booking has a renter" in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_outside_opening_hours_needs_a_reason(staff_client, room):
    day = working_day()
    url = reverse("frontend:staff-booking-new")
    refused = staff_client.post(url, booking_data(room, day, start="05:00", end="06:00"))
    assert "give a reason to book it anyway" in refused.content.decode()
    assert 'aria-invalid="true"' in refused.content.decode()
    staff_client.post(
        url, booking_data(room, day, start="05:00", end="06:00", override_reason="Aamuvuoro")
    )
    assert Booking.objects.get().override_reason == "Aamuvuoro"


def test_staff_booking_on_a_taken_time_names_the_clash(staff_client, staff_user, room):
    day = working_day()
    other = approved_for(room, day, 11, 13, actor=staff_user, title="Aiempi")
    response = staff_client.post(reverse("frontend:staff-booking-new"), booking_data(room, day))
    assert f"“Aiempi” (#{other.pk})" in response.content.decode()


def closure_data(day, *rooms, whole_house=False, **extra) -> dict:
    data = {
        "rooms": [room.pk for room in rooms],
        "start_day": day.isoformat(),
        "start_time": "08:00",
        "end_day": day.isoformat(),
        "end_time": "16:00",
        "reason": ClosureReason.RENOVATION,
        "note": "Lattiat",
    }
    if whole_house:
        data["whole_house"] = "on"
    data.update(extra)
    return data


def test_closing_several_rooms_blocks_them(staff_client, room):
    other = make_room()
    day = working_day()
    staff_client.post(reverse("frontend:staff-closures"), closure_data(day, room, other))
    closure = Closure.objects.get()
    assert set(closure.rooms.all()) == {room, other}
    html = staff_client.get(reverse("frontend:staff-closures")).content.decode()
    assert "Renovation: Lattiat" in html


def test_closing_the_whole_house(staff_client, room):
    staff_client.post(
        reverse("frontend:staff-closures"), closure_data(working_day(), whole_house=True)
    )
    assert Closure.objects.get().whole_house


def test_a_closure_needs_rooms_or_the_whole_house(staff_client, room):
    response = staff_client.post(reverse("frontend:staff-closures"), closure_data(working_day()))
    assert "Choose the rooms to close, or the whole house." in response.content.decode()
    assert not Closure.objects.exists()


def test_a_closure_over_an_approved_booking_is_refused_naming_it(staff_client, staff_user, room):
    day = working_day()
    booking = approved_for(room, day, 9, 10, actor=staff_user, title="Estävä")
    response = staff_client.post(reverse("frontend:staff-closures"), closure_data(day, room))
    assert f"“Estävä” (#{booking.pk})" in response.content.decode()
    assert not Closure.objects.exists()


def test_a_closure_over_requests_is_made_and_the_requests_show_the_clash(staff_client, room):
    day = working_day()
    booking = request_for(room, day, 9, 10)
    staff_client.post(reverse("frontend:staff-closures"), closure_data(day, room))
    assert Closure.objects.exists()
    html = staff_client.get(reverse("frontend:staff-queue")).content.decode()
    assert "Clashes with a booking or closure" in html
    assert booking.pk


def test_lifting_a_closure_frees_the_time(staff_client, staff_user, room):
    day = working_day()
    closure = closure_create(
        actor=staff_user, start=at(day, 8), end=at(day, 9), reason="cleaning", rooms=[room]
    )
    staff_client.post(
        reverse("frontend:staff-closure-remove", args=[closure.pk]), {"reason": "Valmis"}
    )
    closure.refresh_from_db()
    assert closure.removed_at is not None
    assert closure.audit_entries.get(action="closure_removed").reason == "Valmis"


def test_a_new_feed_address_is_shown_once_and_works(staff_client, staff_user, room):
    response = staff_client.post(
        reverse("frontend:staff-feeds"), {"name": "Puhelin", "rooms": [room.pk]}
    )
    html = response.content.decode()
    url = re.search(r'value="(https?://[^"]+/ical/feeds/([^"/]+)\.ics)"', html)
    assert url, "the address is shown"
    token = url.group(2)
    feed = FeedToken.objects.get(user=staff_user)
    assert feed.token_hash == feed_token_hash(token)
    assert "webcal://" in html
    assert "no-store" in response["Cache-Control"]
    assert token not in staff_client.get(reverse("frontend:staff-feeds")).content.decode()


def test_rotating_and_revoking_a_feed(staff_client, staff_user, room):
    staff_client.post(reverse("frontend:staff-feeds"), {"name": "Puhelin"})
    feed = FeedToken.objects.get(user=staff_user)
    old_hash = feed.token_hash
    staff_client.post(reverse("frontend:staff-feed-rotate", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.token_hash != old_hash
    staff_client.post(reverse("frontend:staff-feed-revoke", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.is_revoked


def test_someone_elses_feed_cannot_be_touched(staff_client, accounting_user):
    from bookings.feeds import feed_token_create

    theirs = feed_token_create(user=accounting_user, name="Heidän").feed_token
    response = staff_client.post(reverse("frontend:staff-feed-revoke", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_revoked


def test_feeds_page_lists_the_public_room_feeds(staff_client, room):
    html = staff_client.get(reverse("frontend:staff-feeds")).content.decode()
    assert f"/ical/rooms/{room.slug}.ics" in html
    assert "webcal://" in html
