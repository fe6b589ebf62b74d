"""Drafts from bookings, issuing and credit notes (SPEC §2.7), and what they refuse."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bookings.models import BookingStatus, Customer
from invoicing.models import Invoice, InvoiceBooking, InvoiceCounter, InvoiceKind, InvoiceStatus
from invoicing.selectors import bookings_to_invoice
from invoicing.services import (
    invoice_create_draft,
    invoice_credit,
    invoice_draft_delete,
    invoice_issue,
    seller_settings_update,
)
from tests.invoicing.builders import approved_booking, helsinki, issued

# The invoices here are issued on 11 March 2026; their credit notes the next day.
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-03-12T10:00:00+02:00")]


def book(hall, customer, day: int, **fields):
    return approved_booking(
        hall, helsinki(2026, 3, day, 9), helsinki(2026, 3, day, 11), customer, **fields
    )


def messages(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


def test_draft_copies_the_buyer_and_prices_the_lines(hall, invoicing_ready, customer):
    booking = book(
        hall, customer, 10, extras=[{"code": "coffee", "quantity": 12}], buyer_reference="PO-7"
    )

    draft = invoice_create_draft(bookings=[booking], actor=None)

    assert draft.status == InvoiceStatus.DRAFT and draft.number is None
    assert (draft.buyer_name, draft.buyer_business_id, draft.buyer_reference) == (
        "Turun Perhetyö ry",
        "1572860-0",
        "PO-7",
    )
    assert draft.buyer_address == "Esimerkkikatu 1\n20100 Turku"
    room, coffee = draft.lines.order_by("position")
    assert room.description.startswith("Juhlasali 10.3.2026") and "09.00–11.00" in room.description
    assert (coffee.description, coffee.service_start) == ("Kahvitarjoilu", date(2026, 3, 10))
    assert (draft.total_net, draft.total_vat, draft.total_gross) == (
        Decimal("147.60"),
        Decimal("7.78"),
        Decimal("155.38"),
    )


def test_a_customers_bookings_of_a_period_go_on_one_invoice(hall, invoicing_ready, customer):
    inside = [book(hall, customer, day) for day in (2, 16, 31)]
    book(hall, customer, 1)  # outside the period
    other = Customer.objects.create(organisation="Muu ry", contact_name="X", email="x@example.org")
    book(hall, other, 3)

    chosen = list(
        bookings_to_invoice(
            customer=customer, first_day=date(2026, 3, 2), last_day=date(2026, 3, 31)
        )
    )
    draft = invoice_create_draft(bookings=chosen, actor=None)

    assert chosen == inside
    assert draft.lines.count() == 3 and draft.total_gross == Decimal("270.00")
    assert not bookings_to_invoice(
        customer=customer, first_day=date(2026, 3, 2), last_day=date(2026, 3, 31)
    ).exists()


@pytest.mark.parametrize(
    "status", [BookingStatus.REQUESTED, BookingStatus.REJECTED, BookingStatus.CANCELLED]
)
def test_a_booking_that_is_not_approved_is_refused(hall, invoicing_ready, customer, status):
    booking = book(hall, customer, 10)
    booking.status = status
    booking.save()

    with pytest.raises(ValidationError) as error:
        invoice_create_draft(bookings=[booking], actor=None)

    assert "Koulutus" in messages(error)
    assert not Invoice.objects.exists()


def test_a_booking_already_invoiced_is_refused_naming_the_invoice(hall, invoicing_ready, customer):
    booking = book(hall, customer, 10)
    first = issued([booking], issue_date=date(2026, 3, 11))

    with pytest.raises(ValidationError) as error:
        invoice_create_draft(bookings=[booking], actor=None)

    assert first.number_text in messages(error)
    assert Invoice.objects.count() == 1


def test_bookings_of_different_customers_are_refused(hall, invoicing_ready, customer):
    other = Customer.objects.create(organisation="Muu ry", contact_name="X", email="x@example.org")

    with pytest.raises(ValidationError):
        invoice_create_draft(bookings=[book(hall, customer, 10), book(hall, other, 11)], actor=None)

    assert not Invoice.objects.exists() and not InvoiceBooking.objects.exists()


def test_issuing_numbers_dates_and_references_the_invoice(hall, invoicing_ready, customer):
    draft = invoice_create_draft(bookings=[book(hall, customer, 10)], actor=None)

    invoice = invoice_issue(invoice=draft, actor=None, issue_date=date(2026, 3, 11))

    assert (invoice.number_text, invoice.issue_date, invoice.due_date) == (
        "2026-0001",
        date(2026, 3, 11),
        date(2026, 3, 25),
    )
    assert (invoice.reference, invoice.reference_text, invoice.rf_reference_text) == (
        "202600017",
        "2026 00017",
        "RF85 2026 0001 7",
    )
    assert (invoice.seller_name, invoice.seller_iban, invoice.seller_business_id) == (
        "Perhetalo Heidekenin kannatusyhdistys ry",
        "FI3715903000000776",
        "2331972-7",
    )
    assert bytes(invoice.pdf.content).startswith(b"%PDF")


def test_issuing_with_incomplete_seller_settings_is_refused_without_a_number(
    hall, prices, customer
):
    draft = invoice_create_draft(bookings=[book(hall, customer, 10)], actor=None)

    with pytest.raises(ValidationError) as error:
        invoice_issue(invoice=draft, actor=None, issue_date=date(2026, 3, 11))

    assert "IBAN" in messages(error)
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.DRAFT and draft.number is None
    assert not InvoiceCounter.objects.filter(last_number__gt=0).exists()


def test_issuing_without_a_buyer_address_is_refused(hall, invoicing_ready, customer):
    customer.billing_address = ""
    customer.save()
    booking = book(hall, customer, 10)
    booking.billing_address = ""
    booking.save()
    draft = invoice_create_draft(bookings=[booking], actor=None)

    with pytest.raises(ValidationError) as error:
        invoice_issue(invoice=draft, actor=None)

    assert "buyer_address" in error.value.message_dict
    assert not InvoiceCounter.objects.filter(last_number__gt=0).exists()


def test_changing_the_seller_later_leaves_issued_invoices_as_issued(
    hall, invoicing_ready, customer
):
    invoice = issued([book(hall, customer, 10)], issue_date=date(2026, 3, 11))
    before = bytes(invoice.pdf.content)

    seller_settings_update(actor=None, name="Uusi nimi ry", iban="FI21 1234 5600 0007 85")

    invoice.refresh_from_db()
    assert invoice.seller_name == "Perhetalo Heidekenin kannatusyhdistys ry"
    assert invoice.seller_iban == "FI3715903000000776"
    assert bytes(invoice.pdf.content) == before


def test_deleting_a_draft_frees_its_bookings(hall, invoicing_ready, customer):
    booking = book(hall, customer, 10)
    draft = invoice_create_draft(bookings=[booking], actor=None)

    invoice_draft_delete(invoice=draft, actor=None)

    assert not Invoice.objects.exists()
    assert invoice_create_draft(bookings=[booking], actor=None).lines.count() == 1


def test_credit_note_negates_the_original_by_vat_rate_with_its_own_number(
    hall, invoicing_ready, customer
):
    booking = book(
        hall,
        customer,
        10,
        extras=[{"code": "coffee", "quantity": 20}, {"code": "projector", "quantity": 1}],
    )
    original = issued([booking], issue_date=date(2026, 3, 11))

    note = invoice_credit(invoice=original, actor=None, reason="Väärä hinta")

    assert (note.kind, note.status, note.number_text) == (
        InvoiceKind.CREDIT_NOTE,
        InvoiceStatus.ISSUED,
        "2026-0002",
    )
    assert (note.credited_invoice, note.credited_number, note.credited_issue_date) == (
        original,
        "2026-0001",
        date(2026, 3, 11),
    )
    by_rate = {
        rate: (net, vat)
        for rate, net, vat in note.lines.values_list("vat_rate", "net", "vat").order_by("pk")
    }
    assert by_rate == {
        None: (Decimal("-90.00"), Decimal("0.00")),
        Decimal("13.50"): (Decimal("-96.00"), Decimal("-12.96")),
        Decimal("25.50"): (Decimal("-20.00"), Decimal("-5.10")),
    }
    assert note.total_gross == -original.total_gross == Decimal("-224.06")
    assert note.reference == ""  # nothing to pay


def test_a_credited_booking_can_be_invoiced_again(hall, invoicing_ready, customer):
    booking = book(hall, customer, 10)
    original = issued([booking], issue_date=date(2026, 3, 11))
    invoice_credit(invoice=original, actor=None, reason="Väärä osoite")

    again = issued([booking], issue_date=date(2026, 3, 12))

    assert again.number_text == "2026-0003"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_credit_needs_a_reason(hall, invoicing_ready, customer, reason):
    original = issued([book(hall, customer, 10)], issue_date=date(2026, 3, 11))

    with pytest.raises(ValidationError):
        invoice_credit(invoice=original, actor=None, reason=reason)

    assert Invoice.objects.count() == 1


def test_crediting_twice_or_a_credit_note_or_a_draft_is_refused(hall, invoicing_ready, customer):
    original = issued([book(hall, customer, 10)], issue_date=date(2026, 3, 11))
    note = invoice_credit(invoice=original, actor=None, reason="Peruttu")
    draft = invoice_create_draft(bookings=[book(hall, customer, 12)], actor=None)

    for target in (original, note, draft):
        with pytest.raises(ValidationError):
            invoice_credit(invoice=target, actor=None, reason="Uudestaan")

    assert Invoice.objects.count() == 3
    assert InvoiceCounter.objects.get(year=2026).last_number == 2
