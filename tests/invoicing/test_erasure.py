"""Erasure that erases: after `personal_data erase`, a dump of the whole database holds
no trace of the person's name, e-mail or phone, except in the issued invoice that
bookkeeping law keeps (Kirjanpitolaki 2:10 §), which the command reports."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings

from bookings.models import Customer
from bookings.services import (
    booking_approve,
    booking_customer_confirm,
    booking_move,
    booking_request_create,
)
from frontend.outbox import pending_emails_send
from invoicing.services import payment_record
from tests.factories import at, house_hours, renter, working_day
from tests.invoicing.builders import approved_booking, helsinki, issued

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Pirjo Privaatti", "pirjo@example.org", "+358 44 987 6543"
TRACES = (NAME.lower(), EMAIL, PHONE, "987 6543")
KEPT_MODELS = {"invoicing.invoice", "invoicing.invoiceline", "invoicing.invoicepdf"}


def private_person() -> dict[str, str]:
    return {
        "organisation": NAME,  # a private person names themselves
        "contact_name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "billing_address": "Kotikatu 5\n20100 Turku",
    }


@pytest.fixture
def person_everywhere(hall, invoicing_ready, staff_user):
    """The person in a booking's title and message, staff's reasons, both e-mails of a
    request (theirs and the staff's notice), a session, a login attempt, and a paid
    invoice of last year."""
    house_hours()
    day = working_day()
    with override_settings(EMAIL_DELIVERY="worker"):
        booking = booking_request_create(
            room=hall,
            start=at(day, 10),
            end=at(day, 12),
            title=f"{NAME} 60 vuotta",
            attendees=20,
            renter=renter(**private_person()),
            accept_terms=True,
            message=f"Terveisin {NAME}, {PHONE}",
        ).booking
        pending_emails_send()
    booking_customer_confirm(booking=booking, actor=staff_user)
    booking_approve(booking=booking, actor=staff_user, message=f"Tervetuloa, {NAME}!")
    booking_move(
        booking=booking,
        actor=staff_user,
        start=at(day, 11),
        end=at(day, 13),
        reason=f"{NAME} soitti numerosta {PHONE}",
    )
    session = SessionStore()
    session["request_draft"] = {"contact_name": NAME, "email": EMAIL}
    session.create()
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="203.0.113.5", user_agent="x", failures_since_start=1
    )
    customer = Customer.objects.get(email=EMAIL)
    past = approved_booking(hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 11), customer)
    invoice = issued([past], issue_date=date(2026, 3, 11))
    payment_record(
        invoice=invoice, amount=invoice.total_gross, paid_on=date(2026, 3, 20), actor=None
    )
    return booking, invoice


def database_dump() -> list[dict]:
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return json.loads(out.getvalue())


def traces_in(rows: list[dict]) -> list[str]:
    found = []
    for row in rows:
        text = json.dumps(row, ensure_ascii=False).lower()
        found += [f"{row['model']}: {trace}" for trace in TRACES if trace in text]
    return found


def test_before_erasure_the_dump_holds_the_person_in_many_places(person_everywhere):
    places = {trace.split(":")[0] for trace in traces_in(database_dump())}
    assert {
        "bookings.booking",
        "bookings.customer",
        "bookings.auditentry",
        "frontend.outgoingemail",
        "axes.accessattempt",
    } <= places


def test_after_erasure_only_the_issued_invoice_holds_the_person(person_everywhere):
    booking, _invoice = person_everywhere
    out = StringIO()
    call_command("personal_data", "erase", EMAIL, stdout=out)
    rows = database_dump()
    assert traces_in([row for row in rows if row["model"] not in KEPT_MODELS]) == []
    kept = [row for row in rows if row["model"] == "invoicing.invoice"]
    assert NAME in json.dumps(kept, ensure_ascii=False)  # the law keeps it
    assert "Kirjanpitolaki 2:10" in out.getvalue()
    assert not Session.objects.exists()  # encoded, so no dump would show it
    booking.refresh_from_db()
    assert booking.status == "approved" and booking.end - booking.start == timedelta(hours=2)
