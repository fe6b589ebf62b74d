from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings.errors import BookingConflict
from bookings.models import AuditEntry, Booking, BookingStatus, Customer, HolidayOpening
from bookings.services import (
    booking_approve,
    booking_request_create,
    status_token_hash,
)
from tests.factories import at, renter, working_day

pytestmark = pytest.mark.django_db


def request(room, start, end, **overrides):
    values = {
        "room": room,
        "start": start,
        "end": end,
        "title": "Vanhempainilta",
        "attendees": 12,
        "renter": renter(),
        "accept_terms": True,
    }
    values.update(overrides)
    return booking_request_create(**values)


def refused_fields(room, start, end, **overrides) -> dict[str, list[str]]:
    before = Booking.objects.count()
    with pytest.raises(ValidationError) as refusal:
        request(room, start, end, **overrides)
    assert Booking.objects.count() == before, "a refused request must write nothing"
    return refusal.value.message_dict


def test_request_is_stored_as_requested_with_a_hashed_status_token(room):
    day = working_day()
    result = request(room, at(day, 10), at(day, 12))

    booking = Booking.objects.get()
    assert booking.status == BookingStatus.REQUESTED
    assert booking.status_token_hash == status_token_hash(result.status_token)
    assert result.status_token not in booking.status_token_hash
    assert len(result.status_token) >= 22  # at least 128 bits of base64
    assert booking.setup_buffer_minutes == 15 and booking.cleanup_buffer_minutes == 15
    assert AuditEntry.objects.get().action == "requested"
    assert booking.customer.organisation == "Turun Perhetyö ry"


def test_a_known_business_id_neither_links_nor_overwrites_the_customer(room):
    day = working_day()
    request(room, at(day, 8), at(day, 9), renter=renter(business_id="2331972-7"))
    second = request(
        room,
        at(day, 14),
        at(day, 15),
        renter=renter(business_id="23319727", billing_address="Forged 1"),
    ).booking
    customer = Customer.objects.get()
    assert customer.business_id == "2331972-7"
    assert customer.billing_address.startswith("Esimerkkikatu")
    # Staff link it (or make a new customer) before approving: bookings/services/customers.
    assert second.customer is None
    assert Booking.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize(
    ("start_hour", "end_hour", "field", "fragment"),
    [
        (12, 10, "end", "after the start"),
        (12, 12, "end", "after the start"),
        (5, 8, "start", "opening hours"),
        (21, 23, "start", "opening hours"),
    ],
)
def test_bad_times_are_refused_naming_the_field(room, start_hour, end_hour, field, fragment):
    day = working_day()
    errors = refused_fields(room, at(day, start_hour), at(day, end_hour))
    assert any(fragment in message for message in errors[field]), errors


def test_time_off_the_slot_grid_is_refused(room):
    day = working_day()
    errors = refused_fields(room, at(day, 10, 10), at(day, 12, 10))
    assert "30-minute grid" in errors["start"][0]
    assert "30-minute grid" in errors["end"][0]


def test_too_short_and_too_long_are_refused(room):
    day = working_day()
    assert "at least 60 minutes" in refused_fields(room, at(day, 10), at(day, 10, 30))["end"][0]
    room.max_duration_minutes = 120
    room.save()
    assert "at most 120 minutes" in refused_fields(room, at(day, 10), at(day, 13))["end"][0]


def test_past_start_is_refused(room):
    day = working_day(-3)
    assert "in the past" in refused_fields(room, at(day, 10), at(day, 12))["start"][0]


def test_start_within_minimum_notice_is_refused(room):
    day = timezone.localdate() + timedelta(days=1)  # 20:00 tomorrow: 20 to 44 hours ahead
    errors = refused_fields(room, at(day, 20), at(day, 21))
    assert any("48 hours ahead" in message for message in errors["start"])


def test_start_beyond_the_horizon_is_refused(room):
    day = working_day(400)
    assert "365 days ahead" in refused_fields(room, at(day, 10), at(day, 12))["start"][0]


def test_over_capacity_is_refused(room):
    day = working_day()
    errors = refused_fields(room, at(day, 10), at(day, 12), attendees=31)
    assert "at most 30 people" in errors["attendees"][0]


def test_invalid_business_id_is_refused(room):
    day = working_day()
    errors = refused_fields(room, at(day, 10), at(day, 12), renter=renter(business_id="2331972-8"))
    assert "business ID" in errors["business_id"][0]


def test_terms_must_be_accepted(room):
    day = working_day()
    errors = refused_fields(room, at(day, 10), at(day, 12), accept_terms=False)
    assert "Accept the terms" in errors["accept_terms"][0]


def test_invalid_email_and_overlong_text_are_refused(room):
    day = working_day()
    errors = refused_fields(
        room, at(day, 10), at(day, 12), renter=renter(email="not-an-address"), title="x" * 201
    )
    assert "email" in errors and "title" in errors


def test_room_not_open_to_the_public_is_refused(room):
    room.is_public = False
    room.save()
    day = working_day()
    errors = refused_fields(room, at(day, 10), at(day, 12))
    assert "cannot be requested" in errors["room"][0]


def test_public_holiday_is_closed_unless_opened_for_the_room(room):
    day = working_day(30)
    from bookings.schedule import finnish_holidays

    holiday = next(
        d for year in (day.year, day.year + 1) for d in sorted(finnish_holidays(year)) if d > day
    )
    errors = refused_fields(room, at(holiday, 10), at(holiday, 12))
    assert "public holiday" in errors["start"][0]
    if (holiday - working_day(0)).days > 365:
        pytest.fail("no holiday within the horizon")  # pragma: no cover
    HolidayOpening.objects.create(room=room, date=holiday)
    assert request(room, at(holiday, 10), at(holiday, 12)).booking.pk


def test_requests_may_overlap_each_other_but_not_an_approved_booking(room):
    day = working_day()
    first = request(room, at(day, 10), at(day, 12)).booking
    second = request(room, at(day, 11), at(day, 13)).booking
    booking_approve(booking=first, actor=None)

    with pytest.raises(BookingConflict) as conflict:
        request(room, at(day, 12), at(day, 14))
    assert [clash.booking_id for clash in conflict.value.clashes] == [first.pk]
    assert Booking.objects.filter(status="requested").get() == second


def test_buffers_count_between_blocking_entries(room):
    day = working_day()
    first = request(room, at(day, 10), at(day, 12)).booking
    booking_approve(booking=first, actor=None)
    # 12:00 + 15 min cleanup + 15 min setup: 12:30 is the first start that fits.
    with pytest.raises(BookingConflict):
        request(room, at(day, 12), at(day, 13))
    assert request(room, at(day, 12, 30), at(day, 13, 30)).booking.pk


def test_combined_room_and_its_parts_block_each_other(hall):
    whole, east, west = hall
    day = working_day()
    booking_approve(booking=request(east, at(day, 10), at(day, 12)).booking, actor=None)

    with pytest.raises(BookingConflict) as conflict:
        request(whole, at(day, 11), at(day, 13))
    assert conflict.value.clashes[0].room_id == east.pk
    assert request(west, at(day, 10), at(day, 12)).booking.pk


def test_request_for_a_part_clashes_with_the_approved_whole(hall):
    whole, east, _west = hall
    day = working_day()
    booking_approve(booking=request(whole, at(day, 10), at(day, 12)).booking, actor=None)
    with pytest.raises(BookingConflict):
        request(east, at(day, 11), at(day, 12))


def test_duration_stays_in_real_time_for_a_request(room):
    day = working_day()
    booking = request(room, at(day, 9), at(day, 11)).booking
    assert booking.end - booking.start == timedelta(hours=2)
