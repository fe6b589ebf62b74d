"""Personal data (SPEC §2.11): the retention run, and export or erasure on request."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from bookings.models import Booking, BookingStatus, Customer
from frontend.models import OutgoingEmail, PersonalDataLog
from frontend.personal_data import personal_data_anonymise
from invoicing.services import seller_settings_update
from tests.invoicing.builders import approved_booking, issued
from tests.invoicing.conftest import SELLER

pytestmark = pytest.mark.django_db


def old_booking(room, customer, status=BookingStatus.APPROVED, **fields) -> Booking:
    long_ago = timezone.now() - timedelta(days=500)
    booking = approved_booking(
        room, long_ago, long_ago + timedelta(hours=2), customer, title="Vanha"
    )
    Booking.objects.filter(pk=booking.pk).update(status=status, updated_at=long_ago, **fields)
    booking.refresh_from_db()
    return booking


@pytest.fixture
def customer(db):
    return Customer.objects.create(
        organisation="Vanha ry",
        business_id="2331972-7",
        contact_name="Ville Vanha",
        email="ville@example.org",
        phone="+358 50 1",
        billing_address="Katu 1",
    )


def test_old_cancelled_and_past_uninvoiced_bookings_are_anonymised(priced_room, customer):
    cancelled = old_booking(priced_room, customer, BookingStatus.CANCELLED)
    past = old_booking(priced_room, customer)
    call_command("anonymise_personal_data", stdout=StringIO())
    for booking in (cancelled, past):
        booking.refresh_from_db()
        assert (booking.email, booking.contact_name, booking.phone) == ("", "", "")
        assert booking.title == "Vanha"  # the booking itself is kept
    customer.refresh_from_db()
    assert customer.email == "" and customer.contact_name == ""
    assert PersonalDataLog.objects.filter(action="anonymise").exists()


def test_recent_and_open_invoice_bookings_keep_their_contact_data(priced_room, customer):
    seller_settings_update(actor=None, **SELLER)
    on_open_invoice = old_booking(priced_room, customer)
    issued([on_open_invoice])
    recent = approved_booking(
        priced_room,
        timezone.now() - timedelta(days=30),
        timezone.now() - timedelta(days=30) + timedelta(hours=1),
        customer,
    )
    personal_data_anonymise(months=12)
    on_open_invoice.refresh_from_db()
    recent.refresh_from_db()
    assert on_open_invoice.email == "ville@example.org"
    assert recent.email == "ville@example.org"


def test_retention_period_is_configurable_and_the_run_is_idempotent(priced_room, customer):
    booking = old_booking(priced_room, customer, BookingStatus.REJECTED)
    assert personal_data_anonymise(months=24)["bookings"] == 0
    assert personal_data_anonymise(months=12)["bookings"] == 1
    assert personal_data_anonymise(months=12)["bookings"] == 0
    booking.refresh_from_db()
    assert booking.email == ""


def test_export_gives_one_persons_data_as_json(priced_room, customer):
    old_booking(priced_room, customer)
    out = StringIO()
    call_command("personal_data", "export", "VILLE@example.org", stdout=out)
    data = json.loads(out.getvalue())
    assert [b["contact_name"] for b in data["bookings"]] == ["Ville Vanha"]
    assert data["customers"][0]["phone"] == "+358 50 1"
    assert PersonalDataLog.objects.get(action="export").counts == {"bookings": 1}


def test_erase_removes_contact_data_and_emails_and_leaves_an_audit_entry(priced_room, customer):
    booking = old_booking(priced_room, customer)
    OutgoingEmail.objects.create(
        kind="received", from_email="a@b", to=["ville@example.org"], subject="s", body_text="t"
    )
    OutgoingEmail.objects.create(
        kind="received", from_email="a@b", to=["other@example.org"], subject="s", body_text="t"
    )
    call_command("personal_data", "erase", "ville@example.org", stdout=StringIO())
    booking.refresh_from_db()
    assert booking.email == "" and booking.contact_name == ""
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == [["other@example.org"]]
    entry = PersonalDataLog.objects.get(action="erase")
    assert entry.counts["bookings"] == 1
    assert "ville" not in json.dumps(entry.counts) and len(entry.email_digest) == 64


PERSON_URL = "/en/admin/frontend/personaldatalog/person/"


def test_booking_staff_export_one_persons_data_from_the_admin(
    client, priced_room, customer, staff_user
):
    old_booking(priced_room, customer)
    client.force_login(staff_user)
    response = client.post(PERSON_URL, {"email": "ville@example.org", "export": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["bookings"][0]["contact_name"] == "Ville Vanha"


def test_booking_staff_erase_only_after_confirming(client, priced_room, customer, staff_user):
    booking = old_booking(priced_room, customer)
    client.force_login(staff_user)
    refused = client.post(PERSON_URL, {"email": "ville@example.org", "erase": "1"})
    assert "Confirm the erasure first." in refused.content.decode()
    booking.refresh_from_db()
    assert booking.email == "ville@example.org"
    client.post(PERSON_URL, {"email": "ville@example.org", "erase": "1", "confirm_erase": "on"})
    booking.refresh_from_db()
    assert booking.email == ""
    assert PersonalDataLog.objects.get(action="erase").actor == staff_user


def test_accounting_and_anonymous_cannot_use_the_personal_data_page(
    client, accounting_user, priced_room, customer
):
    assert client.get(PERSON_URL).status_code == 302
    client.force_login(accounting_user)
    assert client.post(PERSON_URL, {"email": "ville@example.org", "export": "1"}).status_code == 403
    assert not PersonalDataLog.objects.exists()
