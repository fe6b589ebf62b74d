"""Fixtures for the renter's pages and e-mails: a priced room, staff to tell, a form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from invoicing.models import CustomerGroup, PriceList, RoomPrice
from tests.factories import house_hours, make_room, working_day
from tests.frontend.invoice_world import books_open


def price_room(room, hourly: str = "40.00") -> None:
    external, _ = PriceList.objects.get_or_create(
        name="Ulkoiset", customer_group=CustomerGroup.EXTERNAL, valid_from=date(2020, 1, 1)
    )
    RoomPrice.objects.create(
        price_list=external, room=room, hourly_rate=Decimal(hourly), half_day_price=None
    )


@pytest.fixture
def priced_room(db):
    house_hours()
    room = make_room(
        slug="kokoushuone",
        capacity=12,
        name_fi="Kokoushuone",
        name_sv="Mötesrum",
        name_en="Meeting room",
        has_projector=True,
        accessibility_fi="Esteetön sisäänkäynti",
        accessibility_en="Step-free entrance",
    )
    price_room(room)
    return room


@pytest.fixture
def booking_staff(django_user_model):
    user = django_user_model.objects.create_user("varaaja", "varaukset@heideken.example", "pw")
    group, _ = Group.objects.get_or_create(name="Booking staff")
    user.groups.add(group)
    return user


@pytest.fixture
def day():
    """Two weeks ahead, starting eight holiday-free weeks: a weekly series sent from it
    never walks into a holiday."""
    return working_day(14, repeats=8)


def form_data(day: date, **changes: str) -> dict[str, str]:
    data = {
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "repeat": "",
        "interval_weeks": "1",
        "title": "Vanhempainilta",
        "attendees": "10",
        "organisation": "Turun Perhetyö ry",
        "business_id": "",
        "contact_name": "Maija Meikäläinen",
        "email": "maija@example.org",
        "phone": "+358 40 123 4567",
        "billing_address": "Esimerkkikatu 1\n20100 Turku",
        "accept_terms": "on",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def books(hours):
    """Prices, seller settings and two customers for the accounting pages."""
    return books_open()


@pytest.fixture
def accounting_client(client, accounting_user):
    client.force_login(accounting_user)
    return client
