"""An approved booking keeps a snapshot of its price lines (SPEC §2.6), written by the
approval hook that invoicing registers in bookings/hooks.py; a later price change never
alters what the booking costs."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bookings.hooks import approval_hooks
from bookings.models import BookingStatus
from bookings.services import (
    Extra,
    booking_approve,
    booking_move,
    booking_request_create,
    booking_staff_create,
)
from invoicing.models import BookingPrice, PriceList, RoomPrice
from invoicing.services import invoice_create_draft
from invoicing.snapshots import booking_price_snapshot
from tests.factories import at, renter, working_day

pytestmark = pytest.mark.django_db


def request(room, day, **overrides):
    values = {
        "room": room,
        "start": at(day, 10),
        "end": at(day, 12),
        "title": "Koulutus",
        "attendees": 8,
        "renter": renter(),
        "accept_terms": True,
        "extras": [Extra("coffee", 8)],
    }
    values.update(overrides)
    return booking_request_create(**values).booking


def test_invoicing_registers_its_snapshot_as_an_approval_hook():
    assert booking_price_snapshot in approval_hooks


def test_approving_keeps_the_price_lines(hours, hall, invoicing_ready):
    booking = request(hall, working_day())

    booking_approve(booking=booking, actor=None)

    snapshot = BookingPrice.objects.get(booking=booking)
    assert snapshot.customer_group == "external"
    assert [(line["code"], line["net"]) for line in snapshot.lines] == [
        ("juhlasali", "90.00"),
        ("coffee", "38.40"),
    ]


def test_a_booking_made_by_staff_keeps_its_price_too(hours, hall, invoicing_ready, staff_user):
    day = working_day()

    booking = booking_staff_create(
        actor=staff_user,
        room=hall,
        start=at(day, 10),
        end=at(day, 14),
        title="Kokous",
        attendees=5,
        renter=renter(),
    )

    assert BookingPrice.objects.get(booking=booking).lines[0]["net"] == "150.00"


def test_a_price_change_after_approval_does_not_change_the_invoice(hours, hall, invoicing_ready):
    booking = booking_approve(booking=request(hall, working_day()), actor=None)
    RoomPrice.objects.filter(room=hall).update(hourly_rate=Decimal("99.00"))
    PriceList.objects.update(name="Korotettu")

    draft = invoice_create_draft(bookings=[booking], actor=None)

    assert draft.lines.order_by("position").first().net == Decimal("90.00")


def test_a_booking_moved_after_approval_is_priced_again(hours, hall, invoicing_ready):
    day = working_day()
    booking = booking_approve(booking=request(hall, day), actor=None)

    moved = booking_move(booking=booking, actor=None, end=at(day, 11))
    draft = invoice_create_draft(bookings=[moved], actor=None)

    assert draft.lines.order_by("position").first().net == Decimal("45.00")


def test_approval_without_prices_still_approves_and_invoicing_says_why(hours, hall, seller):
    booking = request(hall, working_day(), extras=[])

    approved = booking_approve(booking=booking, actor=None)

    assert approved.status == BookingStatus.APPROVED
    assert not BookingPrice.objects.filter(booking=booking).exists()
    with pytest.raises(ValidationError) as error:
        invoice_create_draft(bookings=[approved], actor=None)
    assert "Koulutus" in " ".join(error.value.messages)


def test_the_house_own_bookings_get_no_price(hours, hall, invoicing_ready, staff_user):
    day = working_day() + timedelta(days=1)

    booking = booking_staff_create(
        actor=staff_user, room=hall, start=at(day, 10), end=at(day, 12), title="Oma", attendees=3
    )

    assert not BookingPrice.objects.filter(booking=booking).exists()
