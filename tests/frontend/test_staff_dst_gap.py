"""A local time the clocks skip (03:00-03:59 on the last Sunday of March in Helsinki) on
the staff paths: the staff new-booking page, the move page, the closure page and the
admin's booking form each refuse it with the service's translated message beside the
field, never a server error and never a booking quietly an hour later (issue 13)."""

from __future__ import annotations

import html
from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import translation

from bookings.models import Booking, Closure, ClosureReason, Occupancy
from bookings.schedule import HELSINKI, missing_time_message
from tests.api.test_bad_input import next_last_sunday
from tests.factories import working_day
from tests.frontend.staff_world import approved_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def gap():
    """The skipped 03:30 of the next spring change, and the message that refuses it."""
    sunday = next_last_sunday(3)
    moment = datetime.combine(sunday, time(3, 30), tzinfo=HELSINKI)
    with translation.override("fi"):
        finnish = missing_time_message(moment)
    with translation.override("en"):
        english = missing_time_message(moment)
    assert finnish != english
    return sunday, english, finnish


def finnish(name: str, *args: object) -> str:
    with translation.override("fi"):
        return reverse(name, args=args)


def page_text(response) -> str:
    assert response.status_code in (200, 400), response.status_code
    return html.unescape(response.content.decode())


def occupancy() -> list[tuple]:
    return list(Occupancy.objects.order_by("pk").values_list("space_id", "start", "end"))


def test_the_staff_new_booking_page_refuses_a_skipped_time(staff_client, room, gap):
    sunday, english, in_finnish = gap
    data = {
        "room": room.pk, "day": sunday.isoformat(), "start_time": "03:30", "end_time": "05:00",
        "title": "Yökoulutus", "attendees": 3, "for_house": "on", "language": "fi",
        "override_reason": "Yövuoro",
    }  # fmt: skip

    response = staff_client.post(finnish("frontend:staff-booking-new"), data)

    assert in_finnish in page_text(response)
    assert english not in page_text(response)
    assert not Booking.objects.filter(title="Yökoulutus").exists()


def test_the_staff_move_page_refuses_a_skipped_time(staff_client, staff_user, room, gap):
    sunday, _english, in_finnish = gap
    booking = approved_for(room, working_day(), 10, 12, actor=staff_user, title="Siirrettävä")
    before = occupancy()
    data = {
        "room": room.pk, "day": sunday.isoformat(), "start_time": "03:30", "end_time": "05:00",
        "sequence": booking.sequence, "override_reason": "Yövuoro", "reason": "Siirto",
    }  # fmt: skip

    response = staff_client.post(finnish("frontend:staff-move", booking.pk), data)

    assert in_finnish in page_text(response)
    moved = Booking.objects.get(pk=booking.pk)
    assert (moved.start, moved.end, moved.sequence) == (
        booking.start,
        booking.end,
        booking.sequence,
    )
    assert occupancy() == before


def test_the_staff_closure_page_refuses_a_skipped_time(staff_client, room, gap):
    sunday, _english, in_finnish = gap
    data = {
        "rooms": [room.pk], "start_day": sunday.isoformat(), "start_time": "03:30",
        "end_day": sunday.isoformat(), "end_time": "06:00",
        "reason": ClosureReason.RENOVATION, "note": "Putkityöt",
    }  # fmt: skip

    response = staff_client.post(finnish("frontend:staff-closures"), data)

    assert in_finnish in page_text(response)
    assert not Closure.objects.exists()


def test_the_admins_booking_form_refuses_a_skipped_time(staff_client, room, gap):
    sunday, _english, in_finnish = gap
    data = {
        "room": room.pk, "start_0": sunday.isoformat(), "start_1": "03:30:00",
        "end_0": sunday.isoformat(), "end_1": "05:00:00", "title": "Yökoulutus",
        "attendees": 3, "override_reason": "Yövuoro", "language": "fi",
    }  # fmt: skip

    response = staff_client.post(finnish("admin:bookings_booking_add"), data)

    errors = response.context["adminform"].form.errors
    assert errors["start"] == [in_finnish]
    assert not Booking.objects.filter(title="Yökoulutus").exists()


def test_the_admins_booking_form_refuses_moving_to_a_skipped_time(
    staff_client, staff_user, room, gap
):
    from tests.bookings.test_admin import booking_change_data

    sunday, _english, in_finnish = gap
    booking = approved_for(room, working_day(), 10, 12, actor=staff_user, title="Siirrettävä")
    data = booking_change_data(booking, change_reason="Siirto", override_reason="Yövuoro")
    data |= {"start_0": sunday.isoformat(), "start_1": "03:30:00"}
    data |= {"end_0": sunday.isoformat(), "end_1": "05:00:00"}

    response = staff_client.post(finnish("admin:bookings_booking_change", booking.pk), data)

    assert response.context["adminform"].form.errors["start"] == [in_finnish]
    assert Booking.objects.get(pk=booking.pk).start == booking.start


def test_the_admins_closure_form_refuses_a_skipped_time(staff_client, room, gap):
    sunday, _english, in_finnish = gap
    data = {
        "rooms": [room.pk], "start_0": sunday.isoformat(), "start_1": "03:30:00",
        "end_0": sunday.isoformat(), "end_1": "06:00:00",
        "reason": ClosureReason.RENOVATION, "note": "Putkityöt",
    }  # fmt: skip

    response = staff_client.post(finnish("admin:bookings_closure_add"), data)

    assert response.context["adminform"].form.errors["start"] == [in_finnish]
    assert not Closure.objects.exists()
