"""Payments by hand and by reference, partial payments, paid and overdue (SPEC §2.7)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from invoicing.models import Payment, PaymentMethod
from invoicing.selectors import (
    BalanceState,
    invoice_balance,
    invoices_overdue,
    invoices_with_balance,
)
from invoicing.services import (
    invoice_create_draft,
    invoice_credit,
    payment_record,
    payment_record_by_reference,
)
from tests.invoicing.builders import approved_booking, helsinki, issued

pytestmark = pytest.mark.django_db

PAID_ON = date(2026, 3, 20)


@pytest.fixture
def invoice(hall, invoicing_ready, customer):
    booking = approved_booking(hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 13), customer)
    return issued([booking], issue_date=date(2026, 3, 11))  # 150.00 €, due 25.3.2026


def state(invoice, today: date) -> BalanceState:
    annotated = invoices_with_balance().get(pk=invoice.pk)
    return invoice_balance(annotated, paid=annotated.paid, credited=annotated.credited, today=today)


def test_partial_payments_by_hand_and_by_reference_settle_the_invoice(invoice):
    assert state(invoice, date(2026, 3, 12)).state == BalanceState.OPEN

    payment_record(invoice=invoice, amount="50.00", paid_on=PAID_ON, actor=None)
    balance = state(invoice, date(2026, 3, 21))
    assert (balance.state, balance.paid, balance.outstanding) == (
        BalanceState.PARTLY_PAID,
        Decimal("50.00"),
        Decimal("100.00"),
    )

    by_reference = payment_record_by_reference(
        reference="RF85 2026 0001 7", amount=Decimal("100"), paid_on=PAID_ON
    )
    assert (by_reference.invoice_id, by_reference.method) == (invoice.pk, PaymentMethod.REFERENCE)
    assert state(invoice, date(2026, 4, 30)).state == BalanceState.PAID


def test_finnish_reference_with_spaces_matches_too(invoice):
    payment = payment_record_by_reference(reference="2026 00017", amount="150,00", paid_on=PAID_ON)

    assert payment.invoice_id == invoice.pk and payment.amount == Decimal("150.00")


@pytest.mark.parametrize("reference", ["2026 00018", "RF00 1234", "99999999997"])
def test_a_reference_that_matches_no_invoice_is_refused(invoice, reference):
    with pytest.raises(ValidationError) as error:
        payment_record_by_reference(reference=reference, amount="1.00", paid_on=PAID_ON)

    assert list(error.value.message_dict) == ["reference"]
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "amount", ["-5.00", "0", "abc", "12.345", "", 12.5, None, "NaN", "1e9", True]
)
def test_negative_or_malformed_amounts_are_refused(invoice, amount):
    with pytest.raises(ValidationError) as error:
        payment_record(invoice=invoice, amount=amount, paid_on=PAID_ON, actor=None)

    assert list(error.value.message_dict) == ["amount"]
    assert not Payment.objects.exists()


def test_a_payment_dated_in_the_future_is_refused(invoice):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError):
        payment_record(invoice=invoice, amount="10", paid_on=tomorrow, actor=None)

    assert not Payment.objects.exists()


def test_a_payment_on_a_credited_invoice_is_refused(invoice):
    note = invoice_credit(invoice=invoice, actor=None, reason="Peruttu")

    for target in (invoice, note):
        with pytest.raises(ValidationError):
            payment_record(invoice=target, amount="150.00", paid_on=PAID_ON, actor=None)
    with pytest.raises(ValidationError):
        payment_record_by_reference(reference="202600017", amount="150.00", paid_on=PAID_ON)

    assert not Payment.objects.exists()
    assert state(invoice, date(2026, 5, 1)).state == BalanceState.CREDITED


def test_a_payment_on_a_draft_is_refused(hall, invoicing_ready, customer):
    booking = approved_booking(hall, helsinki(2026, 3, 12, 9), helsinki(2026, 3, 12, 11), customer)
    draft = invoice_create_draft(bookings=[booking], actor=None)

    with pytest.raises(ValidationError):
        payment_record(invoice=draft, amount="90.00", paid_on=PAID_ON, actor=None)


def test_overdue_lists_unpaid_invoices_past_their_due_date(
    hall, invoicing_ready, customer, invoice
):
    second = issued(
        [approved_booking(hall, helsinki(2026, 3, 12, 9), helsinki(2026, 3, 12, 11), customer)],
        issue_date=date(2026, 3, 12),
    )
    third = issued(
        [approved_booking(hall, helsinki(2026, 3, 13, 9), helsinki(2026, 3, 13, 11), customer)],
        issue_date=date(2026, 3, 13),
    )
    payment_record(invoice=second, amount="90.00", paid_on=PAID_ON, actor=None)
    payment_record(invoice=third, amount="10.00", paid_on=PAID_ON, actor=None)

    assert list(invoices_overdue(today=date(2026, 3, 25))) == []  # due today is not late
    assert list(invoices_overdue(today=date(2026, 3, 28))) == [invoice, third]
    assert state(third, date(2026, 3, 28)).state == BalanceState.OVERDUE


# --- Unlikely payments need accounting's confirmation ------------------------------------


def test_a_payment_above_the_open_amount_is_refused_unless_confirmed(invoice):
    payment_record(invoice=invoice, amount="100.00", paid_on=PAID_ON, actor=None)
    with pytest.raises(ValidationError, match=r"more than the open amount of 50\.00"):
        payment_record(invoice=invoice, amount="100000.00", paid_on=PAID_ON, actor=None)
    assert invoice.payments.count() == 1
    payment_record(invoice=invoice, amount="60.00", paid_on=PAID_ON, actor=None, confirmed=True)
    assert invoice.payments.count() == 2


def test_a_payment_dated_before_the_issue_is_refused_unless_confirmed(invoice):
    early = date(2026, 3, 1)
    with pytest.raises(ValidationError, match=r"before the invoice was issued on 11\.03\.2026"):
        payment_record(invoice=invoice, amount="150.00", paid_on=early, actor=None)
    payment_record(invoice=invoice, amount="150.00", paid_on=early, actor=None, confirmed=True)
    assert invoice.payments.get().paid_on == early


def test_a_payment_of_the_year_1900_is_refused_even_when_confirmed(invoice):
    with pytest.raises(ValidationError, match="between the years 2000 and 2100"):
        payment_record(
            invoice=invoice, amount="1.00", paid_on=date(1900, 1, 1), actor=None, confirmed=True
        )
    assert not invoice.payments.exists()


def test_the_api_asks_for_confirmation_of_an_overpayment(invoice, accountant):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(accountant)
    url = f"/api/v1/invoices/{invoice.pk}/payments/"
    body = {"amount": "100000.00", "date": str(PAID_ON)}
    refused = client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "open amount" in refused.json()["errors"]["amount"][0]
    accepted = client.post(url, {**body, "confirm": True}, format="json")
    assert accepted.status_code == 201
