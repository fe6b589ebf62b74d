"""Emergency closures: a closure over approved bookings cancels them in one step, each
renter e-mailed in their language, everything audited; without the choice it is refused."""

from __future__ import annotations

import pytest
from django.core import mail

from bookings.errors import BookingConflict
from bookings.models import AuditAction, AuditEntry, Booking, BookingStatus, ClosureReason
from bookings.services import (
    ClashingBookingsChanged,
    booking_staff_create,
    closure_clashing_bookings,
    closure_create,
    closure_create_cancelling,
)
from tests.factories import at, make_room, renter, working_day
from tests.frontend.staff_world import request_for

pytestmark = pytest.mark.django_db


def booked(room, day, start, end, actor, **who) -> Booking:
    return booking_staff_create(
        actor=actor,
        room=room,
        start=at(day, start),
        end=at(day, end),
        title=who.pop("title", "Kokous"),
        attendees=3,
        renter=renter(**who),
    )


def test_without_the_choice_a_closure_over_approved_bookings_is_refused(staff_user, room):
    day = working_day()
    booking = booked(room, day, 10, 12, staff_user)
    with pytest.raises(BookingConflict):
        closure_create(
            actor=staff_user,
            start=at(day, 8),
            end=at(day, 20),
            reason=ClosureReason.OTHER,
            rooms=[room],
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED


def test_the_whole_house_closure_cancels_every_clashing_booking_and_tells_each_renter(
    staff_user, hall, django_capture_on_commit_callbacks
):
    _whole, east, west = hall
    other = make_room(capacity=10)
    day = working_day()
    finnish = booked(east, day, 9, 11, staff_user, email="fi@example.org", language="fi")
    swedish = booked(other, day, 13, 14, staff_user, email="sv@example.org", language="sv")
    later = booked(other, day, 20, 21, staff_user, email="late@example.org")  # after it
    request = request_for(west, day, 12, 13, email="req@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = closure_create_cancelling(
            actor=staff_user,
            start=at(day, 8),
            end=at(day, 18),
            reason=ClosureReason.OTHER,
            whole_house=True,
            note="Vesivahinko",
        )
    assert [booking.pk for booking in done.cancelled] == [finnish.pk, swedish.pk]
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses[finnish.pk] == statuses[swedish.pk] == BookingStatus.CANCELLED
    assert statuses[later.pk] == BookingStatus.APPROVED
    assert statuses[request.pk] == BookingStatus.REQUESTED  # requests stay for staff
    to = {tuple(message.to): message for message in mail.outbox}
    assert set(to) == {("fi@example.org",), ("sv@example.org",)}
    assert "peruttu" in to[("fi@example.org",)].subject.lower()
    assert "avbokad" in to[("sv@example.org",)].subject.lower()
    entry = AuditEntry.objects.get(action=AuditAction.CLOSURE_CREATED, closure=done.closure)
    assert entry.changes["cancelled_bookings"] == [finnish.pk, swedish.pk]
    cancel_entries = AuditEntry.objects.filter(action=AuditAction.CANCELLED)
    assert {entry.booking_id for entry in cancel_entries} == {finnish.pk, swedish.pk}
    assert all(entry.reason == "Vesivahinko" for entry in cancel_entries)


def test_a_confirmed_list_that_no_longer_matches_changes_nothing(staff_user, room):
    day = working_day()
    first = booked(room, day, 9, 10, staff_user)
    seen = [booking.pk for booking in closure_clashing_bookings(
        start=at(day, 8), end=at(day, 18), rooms=[room]
    )]  # fmt: skip
    second = booked(room, day, 14, 15, staff_user)  # booked after staff looked
    with pytest.raises(ClashingBookingsChanged) as refused:
        closure_create_cancelling(
            actor=staff_user,
            start=at(day, 8),
            end=at(day, 18),
            reason=ClosureReason.OTHER,
            rooms=[room],
            expected=seen,
        )
    assert [booking.pk for booking in refused.value.bookings] == [first.pk, second.pk]
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.APPROVED}
    assert not AuditEntry.objects.filter(action=AuditAction.CLOSURE_CREATED).exists()


def test_a_clash_with_another_closure_still_refuses_and_cancels_nothing(staff_user, room):
    day = working_day()
    booking = booked(room, day, 9, 10, staff_user)
    closure_create(
        actor=staff_user, start=at(day, 15), end=at(day, 16), reason="cleaning", rooms=[room]
    )
    with pytest.raises(BookingConflict):
        closure_create_cancelling(
            actor=staff_user,
            start=at(day, 8),
            end=at(day, 18),
            reason=ClosureReason.OTHER,
            rooms=[room],
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED


def test_clashing_bookings_count_buffers_and_combined_rooms(staff_user, hours):
    east, west = make_room(capacity=10), make_room(capacity=10)
    whole = make_room(capacity=20, parts=[east, west], cleanup_buffer_minutes=30)
    day = working_day()
    booking = booked(whole, day, 9, 10, staff_user)
    # The hall's booking holds its halves, and its cleanup until 10:30.
    assert closure_clashing_bookings(start=at(day, 10), end=at(day, 12), rooms=[east]) == [booking]
    assert closure_clashing_bookings(start=at(day, 10, 30), end=at(day, 12), rooms=[west]) == []
