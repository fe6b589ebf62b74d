"""The overlap guarantee lives in the database, not only in the services (SPEC §2.4)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from bookings.models import Occupancy
from bookings.services import booking_approve, booking_request_create
from tests.factories import at, make_room, renter, working_day

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]


def test_exclusion_constraint_refuses_an_overlapping_row_written_behind_the_services(hours):
    room = make_room()
    day = working_day()
    booking = booking_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        title="t",
        attendees=1,
        renter=renter(),
        accept_terms=True,
    ).booking
    booking_approve(booking=booking, actor=None)
    other = booking_request_create(
        room=room,
        start=at(day, 14),
        end=at(day, 15),
        title="u",
        attendees=1,
        renter=renter(),
        accept_terms=True,
    ).booking

    with pytest.raises(IntegrityError) as refusal, transaction.atomic():
        Occupancy.objects.create(
            space=room, start=at(day, 11), end=at(day, 13), kind="approved", booking=other
        )
    assert refusal.value.__cause__.diag.constraint_name == "occupancy_no_overlap"


def test_requested_rows_may_overlap_at_the_database(hours):
    room = make_room()
    day = working_day()
    for start in (10, 11):
        booking_request_create(
            room=room,
            start=at(day, start),
            end=at(day, start + 2),
            title="t",
            attendees=1,
            renter=renter(),
            accept_terms=True,
        )
    assert Occupancy.objects.filter(kind="requested").count() == 2


def test_constraint_is_installed_with_btree_gist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            ["occupancy_no_overlap"],
        )
        (definition,) = cursor.fetchone()
    assert "EXCLUDE USING gist" in definition
    assert "space_id WITH =" in definition and "WITH &&" in definition
