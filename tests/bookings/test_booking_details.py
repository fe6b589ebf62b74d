"""Changing what a booking says about itself and its renter (`booking_details_update`):
recorded in the audit trail by field name, validated, and nothing written when refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bookings.models import AuditAction, AuditEntry, Booking
from bookings.services import booking_details_update, booking_request_create
from tests.factories import at, renter, working_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(room):
    day = working_day()
    return booking_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        title="Kokous",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    ).booking


def details_entries(booking):
    return AuditEntry.objects.filter(booking=booking, action=AuditAction.DETAILS_CHANGED)


def test_changed_details_are_saved_and_audited_by_field_name_only(booking, staff_user):
    booking_details_update(
        booking=booking,
        actor=staff_user,
        details={"title": "Kevätkokous", "email": "uusi.osoite@example.org", "attendees": 5},
    )
    stored = Booking.objects.get(pk=booking.pk)
    assert (stored.title, stored.email) == ("Kevätkokous", "uusi.osoite@example.org")
    entry = details_entries(booking).get()
    assert entry.actor == staff_user
    assert entry.changes == {"fields": ["email", "title"]}  # attendees did not change
    # No personal data copied into the audit trail, where retention would not find it.
    assert "uusi.osoite" not in str(entry.changes) and "uusi.osoite" not in entry.reason


def test_nothing_changed_writes_nothing(booking, staff_user):
    before = Booking.objects.get(pk=booking.pk).updated_at
    booking_details_update(booking=booking, actor=staff_user, details={"title": "Kokous"})
    assert not details_entries(booking).exists()
    assert Booking.objects.get(pk=booking.pk).updated_at == before


def test_invalid_details_are_refused_and_nothing_is_written(booking, staff_user):
    email = booking.email
    with pytest.raises(ValidationError) as refused:
        booking_details_update(
            booking=booking, actor=staff_user, details={"title": "", "email": "not-an-address"}
        )
    assert {"title", "email"} <= set(refused.value.message_dict)
    stored = Booking.objects.get(pk=booking.pk)
    assert (stored.title, stored.email) == ("Kokous", email)
    assert (booking.title, booking.email) == ("Kokous", email)
    assert not details_entries(booking).exists()


def test_time_room_and_state_are_not_details(booking, staff_user):
    for field, value in (("status", "approved"), ("start", booking.end), ("room", None)):
        with pytest.raises(ValueError):
            booking_details_update(booking=booking, actor=staff_user, details={field: value})
    assert Booking.objects.get(pk=booking.pk).status == "requested"
