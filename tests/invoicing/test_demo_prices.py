"""The demo comes with prices, so its approved bookings carry price snapshots."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from bookings.models import Booking, BookingStatus
from invoicing.models import BookingPrice, PriceList, SellerSettings

pytestmark = pytest.mark.django_db


def test_seed_demo_prices_every_approved_renter_booking_and_fills_the_seller():
    call_command("seed_demo", stdout=io.StringIO())

    approved = Booking.objects.filter(status=BookingStatus.APPROVED, customer__isnull=False)
    priced = set(BookingPrice.objects.values_list("booking_id", flat=True))
    assert approved.exists()
    assert set(approved.values_list("pk", flat=True)) <= priced
    assert PriceList.objects.filter(customer_group="member").exists()
    assert SellerSettings.load().iban.replace(" ", "") == "FI3715903000000776"


def test_seed_demo_prices_twice_adds_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (PriceList.objects.count(), BookingPrice.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (PriceList.objects.count(), BookingPrice.objects.count()) == counts
