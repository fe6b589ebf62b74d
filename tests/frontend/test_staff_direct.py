"""Staff bookings for renters or the house, closures, and private calendar feeds."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.feeds import feed_token_hash
from bookings.models import Booking, BookingStatus, Closure, ClosureReason, FeedToken
from bookings.schedule import is_holiday, local
from bookings.services import closure_create
from tests.factories import at, make_extra, make_room, working_day
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


def test_a_closure_over_an_approved_booking_first_lists_what_it_would_cancel(
    staff_client, staff_user, room
):
    day = working_day()
    booking = approved_for(room, day, 9, 10, actor=staff_user, title="Estävä")
    response = staff_client.post(reverse("frontend:staff-closures"), closure_data(day, room))
    html = response.content.decode()
    assert "Cancel the bookings in the way?" in html
    assert reverse("frontend:staff-booking", args=[booking.pk]) in html and "Estävä" in html
    assert "Close and cancel 1 booking" in html
    assert not Closure.objects.exists()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED


def confirmation_of(html: str) -> dict:
    """The confirmation page's form as the browser would send it."""
    form = html[html.index('<form method="post" action="/en/staff/closures/"') :]
    form = form[: form.index("</form>")]
    data: dict = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        data.setdefault(name, []).append(value)
    return data


def test_confirming_closes_and_cancels_the_listed_bookings(
    staff_client, staff_user, room, django_capture_on_commit_callbacks
):
    day = working_day()
    first = approved_for(room, day, 9, 10, actor=staff_user, title="Eka")
    second = approved_for(room, day, 12, 13, actor=staff_user, title="Toka")
    page = staff_client.post(
        reverse("frontend:staff-closures"), closure_data(day, room, reason="other")
    ).content.decode()
    assert "Close and cancel 2 bookings" in page
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(reverse("frontend:staff-closures"), confirmation_of(page))
    assert done.status_code == 302
    assert Closure.objects.get().reason == "other"
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    followed = staff_client.get(done["Location"]).content.decode()
    assert "2 bookings were cancelled and their renters were e-mailed" in followed
    assert {first.pk, second.pk} == set(Booking.objects.values_list("pk", flat=True))


def test_a_booking_made_after_the_list_was_shown_stops_the_confirmation(
    staff_client, staff_user, room
):
    day = working_day()
    approved_for(room, day, 9, 10, actor=staff_user, title="Eka")
    page = staff_client.post(
        reverse("frontend:staff-closures"), closure_data(day, room)
    ).content.decode()
    approved_for(room, day, 14, 15, actor=staff_user, title="Myöhempi")
    again = staff_client.post(reverse("frontend:staff-closures"), confirmation_of(page))
    html = again.content.decode()
    assert "the bookings in that time changed after you looked" in html
    assert "Myöhempi" in html and "Close and cancel 2 bookings" in html
    assert not Closure.objects.exists()
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.APPROVED}


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


def test_staff_book_a_series_on_two_weekdays_with_extras(staff_client, room):
    make_extra("coffee")
    monday = working_day(days_ahead=21)
    monday -= timedelta(days=monday.weekday())
    # Mondays and Thursdays of two weeks, none a public holiday (the house is closed then)
    while any(is_holiday(monday + timedelta(days=n)) for n in (0, 3, 7, 10)):
        monday += timedelta(weeks=1)
    response = staff_client.post(
        reverse("frontend:staff-booking-new"),
        booking_data(
            room,
            monday,
            repeat="on",
            weekdays=["0", "3"],
            count="4",
            extra_coffee="10",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dates = list(Booking.objects.filter(title="Henkilöstöpäivä").order_by("start"))
    assert [local(b.start).weekday() for b in dates] == [0, 3, 0, 3]
    assert {b.status for b in dates} == {BookingStatus.APPROVED}
    assert len({b.series_id for b in dates}) == 1 and dates[0].series_id
    assert all(b.extras == [{"code": "coffee", "quantity": 10}] for b in dates)
    followed = staff_client.get(response["Location"]).content.decode()
    assert "The series was made: 4 dates." in followed


def test_a_series_with_a_taken_date_books_nothing_and_names_the_date(
    staff_client, staff_user, room
):
    day = working_day(repeats=2)
    taken = day + timedelta(weeks=1)
    approved_for(room, taken, 10, 11, actor=staff_user, title="Varattu")
    response = staff_client.post(
        reverse("frontend:staff-booking-new"),
        booking_data(room, day, repeat="on", count="2"),
    )
    html = response.content.decode()
    assert f"these dates are not available: {taken:%d.%m.%Y}" in html
    assert not Booking.objects.filter(title="Henkilöstöpäivä").exists()
    skipping = staff_client.post(
        reverse("frontend:staff-booking-new"),
        booking_data(room, day, repeat="on", count="2", skip_unavailable="on"),
    )
    assert skipping.status_code == 302
    assert Booking.objects.filter(title="Henkilöstöpäivä").count() == 1


def test_a_repeat_without_an_end_is_refused_at_the_field(staff_client, room):
    response = staff_client.post(
        reverse("frontend:staff-booking-new"), booking_data(room, working_day(), repeat="on")
    )
    assert "Give the last date or the number of dates." in response.content.decode()
    assert not Booking.objects.exists()
