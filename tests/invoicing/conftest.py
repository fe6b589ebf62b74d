from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from bookings.models import Customer, MemberOrganisation
from invoicing.models import CustomerGroup, Extra, ExtraPricing, PriceList, RoomPrice
from invoicing.services import seller_settings_update
from invoicing.vat import VatCode
from tests.factories import make_room

SELLER = {
    "name": "Perhetalo Heidekenin kannatusyhdistys ry",
    "address": "Sirkkalankatu 27\n20700 Turku",
    "business_id": "2331972-7",
    "iban": "FI37 1590 3000 0007 76",
    "bic": "NDEAFIHH",
    "contact": "laskutus@heideken.example",
}
MEMBER_ID = "0112038-9"
EXTERNAL_ID = "1572860-0"


@pytest.fixture
def seller(db):
    return seller_settings_update(actor=None, **SELLER)


@pytest.fixture
def hall(db):
    return make_room(slug="juhlasali", capacity=60, name_fi="Juhlasali", name_sv="Festsalen")


@pytest.fixture
def prices(hall):
    """External: 45 €/h, half day 150 €, full day 290 €; members: 30 €/h, 100 €, 200 €."""
    external = PriceList.objects.create(
        name="Ulkoiset", customer_group=CustomerGroup.EXTERNAL, valid_from=date(2020, 1, 1)
    )
    member = PriceList.objects.create(
        name="Jäsenet", customer_group=CustomerGroup.MEMBER, valid_from=date(2020, 1, 1)
    )
    RoomPrice.objects.create(
        price_list=external,
        room=hall,
        hourly_rate=Decimal("45.00"),
        half_day_price=Decimal("150.00"),
        full_day_price=Decimal("290.00"),
    )
    RoomPrice.objects.create(
        price_list=member,
        room=hall,
        hourly_rate=Decimal("30.00"),
        half_day_price=Decimal("100.00"),
        full_day_price=Decimal("200.00"),
    )
    return {"external": external, "member": member}


@pytest.fixture
def extras(db):
    coffee = Extra.objects.create(
        code="coffee",
        name_fi="Kahvitarjoilu",
        name_sv="Kaffeservering",
        name_en="Coffee service",
        pricing=ExtraPricing.PERSON,
        price=Decimal("4.80"),
        vat_code=VatCode.CATERING,
    )
    projector = Extra.objects.create(
        code="projector",
        name_fi="Videotykki",
        name_sv="Projektor",
        name_en="Projector",
        pricing=ExtraPricing.UNIT,
        price=Decimal("20.00"),
        vat_code=VatCode.GENERAL,
    )
    return {"coffee": coffee, "projector": projector}


@pytest.fixture
def customer(db):
    return Customer.objects.create(
        organisation="Turun Perhetyö ry",
        business_id=EXTERNAL_ID,
        contact_name="Maija Meikäläinen",
        email="maija@example.org",
        billing_address="Esimerkkikatu 1\n20100 Turku",
        language="fi",
    )


@pytest.fixture
def member_customer(db):
    MemberOrganisation.objects.create(name="Lastensuojelu ry", business_id=MEMBER_ID)
    return Customer.objects.create(
        organisation="Lastensuojelu ry",
        business_id=MEMBER_ID,
        contact_name="Sanna Svensson",
        email="sanna@example.org",
        billing_address="Aurakatu 2\n20100 Turku",
        language="sv",
    )


@pytest.fixture
def accountant(django_user_model):
    user = django_user_model.objects.create_user("accountant", "acc@example.org", "pw-acc-123")
    group, _created = Group.objects.get_or_create(name="Accounting")
    user.groups.add(group)
    return user


@pytest.fixture
def invoicing_ready(seller, prices, extras):
    """Seller settings, price lists and extras: what issuing an invoice needs."""
    return {"seller": seller, "prices": prices, "extras": extras}
