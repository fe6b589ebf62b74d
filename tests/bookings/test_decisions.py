from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings.errors import BookingConflict, BookingStateError, StaleBooking
from bookings.models import AuditEntry, Booking, BookingStatus, ClosureReason, Occupancy
from bookings.services import (
    booking_approve,
    booking_cancel,
    booking_move,
    booking_reject,
    booking_request_create,
    booking_staff_create,
    bookings_expire,
    closure_create,
    closure_remove,
)
from tests.factories import at, make_room, renter, working_day

pytestmark = pytest.mark.django_db


def request(room, start, end, **overrides) -> Booking:
    values = {
        "room": room,
        "start": start,
        "end": end,
        "title": "Koulutus",
        "attendees": 8,
        "renter": renter(),
        "accept_terms": True,
    }
    values.update(overrides)
    return booking_request_create(**values).booking


def actions(booking: Booking) -> list[str]:
    return list(AuditEntry.objects.filter(booking=booking).values_list("action", flat=True))


def test_approving_records_who_and_the_message_and_bumps_the_revision(room, staff_user):
    day = working_day()
    booking = request(room, at(day, 10), at(day, 12))

    approved = booking_approve(booking=booking, actor=staff_user, message="Tervetuloa!")

    assert approved.status == BookingStatus.APPROVED
    assert approved.decision_message == "Tervetuloa!"
    assert approved.sequence == 1
    entry = AuditEntry.objects.filter(booking=booking).last()
    assert (entry.action, entry.actor, entry.reason) == ("approved", staff_user, "Tervetuloa!")
    assert set(Occupancy.objects.filter(booking=booking).values_list("kind", flat=True)) == {
        "approved"
    }


def test_approving_second_overlapping_request_is_refused_naming_the_first(room, staff_user):
    day = working_day()
    first = request(room, at(day, 10), at(day, 12))
    second = request(room, at(day, 11), at(day, 13), title="Toinen")
    booking_approve(booking=first, actor=staff_user)

    with pytest.raises(BookingConflict) as conflict:
        booking_approve(booking=second, actor=staff_user)

    (clash,) = conflict.value.clashes
    assert (clash.booking_id, clash.title, clash.status) == (first.pk, "Koulutus", "approved")
    assert clash.start == at(day, 10) - timedelta(minutes=15)
    second.refresh_from_db()
    assert second.status == BookingStatus.REQUESTED and second.sequence == 0
    assert actions(second) == ["requested"]


def test_deciding_twice_is_refused_as_already_decided(room, staff_user):
    day = working_day()
    booking = request(room, at(day, 10), at(day, 12))
    booking_reject(booking=booking, actor=staff_user, message="Ei tilaa")

    with pytest.raises(BookingStateError) as refusal:
        booking_approve(booking=booking, actor=staff_user)
    assert "already rejected" in refusal.value.message
    assert refusal.value.current_status == "rejected"


def test_rejecting_needs_a_message_and_frees_nothing_it_did_not_hold(room, staff_user):
    day = working_day()
    booking = request(room, at(day, 10), at(day, 12))
    with pytest.raises(ValidationError):
        booking_reject(booking=booking, actor=staff_user, message="  ")
    booking_reject(booking=booking, actor=staff_user, message="Sali on varattu.")
    booking.refresh_from_db()
    assert booking.status == "rejected" and booking.decision_message == "Sali on varattu."
    assert not Occupancy.objects.filter(booking=booking).exists()


def test_cancelling_an_approved_booking_frees_its_time(room, staff_user):
    day = working_day()
    booking = booking_approve(booking=request(room, at(day, 10), at(day, 12)), actor=staff_user)
    booking_cancel(booking=booking, actor=None, reason="Peruttu", by_renter=True)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert AuditEntry.objects.filter(booking=booking).last().actor_label == "renter"
    assert request(room, at(day, 10), at(day, 12)).pk  # the time is free again
    with pytest.raises(BookingStateError):
        booking_cancel(booking=booking, actor=staff_user)


def test_rejected_and_cancelled_bookings_are_kept(room, staff_user):
    day = working_day()
    booking_reject(booking=request(room, at(day, 8), at(day, 9)), actor=staff_user, message="x")
    booking_cancel(booking=request(room, at(day, 10), at(day, 11)), actor=staff_user)
    assert sorted(Booking.objects.values_list("status", flat=True)) == ["cancelled", "rejected"]


def test_stale_requests_expire_and_decided_ones_do_not(room, staff_user):
    day = working_day()
    stale = request(room, at(day, 10), at(day, 12))
    decided = booking_approve(booking=request(room, at(day, 14), at(day, 15)), actor=staff_user)
    future = request(room, at(day + timedelta(days=1), 10), at(day + timedelta(days=1), 12))

    expired = bookings_expire(now=at(day, 10, 1))

    assert expired == 1
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {stale.pk: "expired", decided.pk: "approved", future.pk: "requested"}
    assert not Occupancy.objects.filter(booking=stale).exists()
    assert actions(stale)[-1] == "expired"
    assert bookings_expire(now=at(day, 10, 1)) == 0


def test_moving_an_approved_booking_onto_another_is_refused_and_changes_nothing(room, staff_user):
    day = working_day()
    first = booking_approve(booking=request(room, at(day, 10), at(day, 12)), actor=staff_user)
    second = booking_approve(booking=request(room, at(day, 14), at(day, 16)), actor=staff_user)

    with pytest.raises(BookingConflict) as conflict:
        booking_move(booking=second, actor=staff_user, start=at(day, 11), end=at(day, 13))

    assert conflict.value.clashes[0].booking_id == first.pk
    second.refresh_from_db()
    assert (second.start, second.end, second.sequence) == (at(day, 14), at(day, 16), 1)
    assert Occupancy.objects.get(booking=second).start == at(day, 14) - timedelta(minutes=15)


def test_moving_to_a_free_time_and_room_records_the_change(room, staff_user):
    other_room = make_room(capacity=30)
    day = working_day()
    booking = booking_approve(booking=request(room, at(day, 10), at(day, 12)), actor=staff_user)

    moved = booking_move(
        booking=booking,
        actor=staff_user,
        room=other_room,
        start=at(day, 13),
        end=at(day, 15),
        reason="Renter asked",
        expected_sequence=booking.sequence,
    )

    assert (moved.room, moved.start, moved.sequence) == (other_room, at(day, 13), 2)
    entry = AuditEntry.objects.filter(booking=booking).last()
    assert entry.action == "moved" and entry.changes["room"] == [room.pk, other_room.pk]
    assert Occupancy.objects.get(booking=booking).space == other_room
    assert request(room, at(day, 10), at(day, 12)).pk  # the old time is free


def test_a_stale_move_is_refused_instead_of_overwriting(room, staff_user):
    day = working_day()
    booking = booking_approve(booking=request(room, at(day, 10), at(day, 12)), actor=staff_user)
    booking_move(booking=booking, actor=staff_user, start=at(day, 9), end=at(day, 11))

    with pytest.raises(StaleBooking):
        booking_move(
            booking=booking,
            actor=staff_user,
            start=at(day, 15),
            end=at(day, 16),
            expected_sequence=1,
        )
    booking.refresh_from_db()
    assert booking.start == at(day, 9)


def test_moving_over_capacity_or_outside_hours_without_reason_is_refused(room, staff_user):
    small = make_room(capacity=2)
    day = working_day()
    booking = request(room, at(day, 10), at(day, 12))
    with pytest.raises(ValidationError) as refusal:
        booking_move(booking=booking, actor=staff_user, room=small)
    assert "attendees" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        booking_move(booking=booking, actor=staff_user, start=at(day, 21), end=at(day, 23))
    assert "override_reason" in refusal.value.message_dict


def test_staff_may_book_outside_opening_hours_with_a_reason(room, staff_user):
    day = working_day()
    values = {
        "actor": staff_user,
        "room": room,
        "start": at(day, 22),
        "end": at(day, 23, 30),
        "title": "Yhdistyksen hallitus",
        "attendees": 6,
    }
    with pytest.raises(ValidationError) as refusal:
        booking_staff_create(**values)
    assert "give a reason" in refusal.value.message_dict["override_reason"][0]

    booking = booking_staff_create(**values, override_reason="Hallituksen iltakokous")
    assert booking.status == BookingStatus.APPROVED and booking.customer is None
    assert actions(booking) == ["created"]


def test_staff_booking_that_clashes_is_refused_and_writes_nothing(room, staff_user):
    day = working_day()
    booking_approve(booking=request(room, at(day, 10), at(day, 12)), actor=staff_user)
    with pytest.raises(BookingConflict):
        booking_staff_create(
            actor=staff_user,
            room=room,
            start=at(day, 11),
            end=at(day, 12),
            title="x",
            attendees=1,
            renter=renter(organisation="Other ry", email="o@example.org"),
        )
    assert Booking.objects.count() == 1


def test_closure_blocks_like_an_approved_booking_until_removed(hall, staff_user):
    whole, east, west = hall
    day = working_day()
    closure = closure_create(
        actor=staff_user,
        start=at(day, 8),
        end=at(day, 12),
        reason=ClosureReason.RENOVATION,
        rooms=[east],
    )
    for target in (east, whole):
        with pytest.raises(BookingConflict) as conflict:
            request(target, at(day, 10), at(day, 11))
        assert conflict.value.clashes[0].closure_id == closure.pk
    assert request(west, at(day, 10), at(day, 11)).pk

    closure_remove(closure=closure, actor=staff_user, reason="Valmis")
    assert request(whole, at(day, 10), at(day, 11)).pk
    with pytest.raises(BookingStateError):
        closure_remove(closure=closure, actor=staff_user)


def test_closure_over_an_approved_booking_is_refused(room, staff_user):
    day = working_day()
    booking = booking_approve(booking=request(room, at(day, 10), at(day, 12)), actor=staff_user)
    with pytest.raises(BookingConflict) as conflict:
        closure_create(
            actor=staff_user,
            start=at(day, 11),
            end=at(day, 14),
            reason=ClosureReason.CLEANING,
            whole_house=True,
        )
    assert conflict.value.clashes[0].booking_id == booking.pk


def test_closure_needs_rooms_or_the_house_and_a_real_range(room, staff_user):
    day = working_day()
    with pytest.raises(ValidationError) as refusal:
        closure_create(
            actor=staff_user, start=at(day, 12), end=at(day, 11), reason=ClosureReason.OTHER
        )
    assert {"rooms", "end"} <= set(refusal.value.message_dict)


def test_whole_house_closure_covers_every_room(hall, staff_user):
    whole, east, west = hall
    day = working_day()
    closure_create(
        actor=staff_user,
        start=at(day, 8),
        end=at(day, 20),
        reason=ClosureReason.OWN_EVENT,
        whole_house=True,
    )
    for target in (whole, east, west):
        with pytest.raises(BookingConflict):
            request(target, at(day, 10), at(day, 11))


def test_timestamps_are_stored_in_utc(room):
    day = working_day()
    booking = request(room, at(day, 10), at(day, 12))
    booking.refresh_from_db()
    assert booking.start.utcoffset() == timedelta(0)
    assert timezone.localtime(booking.start).hour == 10


def test_times_years_away_are_refused_for_bookings_and_closures(room, staff_user):
    far = working_day(6 * 365)
    with pytest.raises(ValidationError) as refusal:
        booking_staff_create(
            actor=staff_user,
            room=room,
            start=at(far, 10),
            end=at(far, 11),
            title="x",
            attendees=1,
        )
    assert "five years" in refusal.value.message_dict["end"][0]
    with pytest.raises(ValidationError) as refusal:
        closure_create(
            actor=staff_user,
            start=at(far, 10),
            end=at(far, 11),
            reason=ClosureReason.OTHER,
            whole_house=True,
        )
    assert "five years" in refusal.value.message_dict["start"][0]
