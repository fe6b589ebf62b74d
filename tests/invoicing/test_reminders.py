"""Payment reminders (maksumuistutus, SPEC §2.15): the open amount, penalty interest
under the Interest Act from the reference rate table, the seller's fee (at most 5 € to a
consumer), a PDF in the invoice's language, at least 14 days between reminders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from invoicing.interest import penalty_interest
from invoicing.models import InvoiceAction, ReferenceRate, Reminder
from invoicing.pdf_parts import amount_text
from invoicing.services import invoice_remind, payment_record, seller_settings_update
from tests.invoicing.builders import approved_booking, helsinki, issued, pdf_text, scan

pytestmark = pytest.mark.django_db

OVERDUE = pytest.mark.now("2026-05-20T10:00:00+03:00")  # 35 days after the due date


@pytest.fixture
def rates(db):
    ReferenceRate.objects.create(valid_from=date(2026, 1, 1), rate=Decimal("2.50"))
    ReferenceRate.objects.create(valid_from=date(2026, 7, 1), rate=Decimal("2.00"))


def overdue_invoice(hall, buyer):
    booking = approved_booking(hall, helsinki(2026, 3, 30, 9), helsinki(2026, 3, 30, 15), buyer)
    return issued([booking], issue_date=date(2026, 4, 1))  # due 15.4.2026


@pytest.fixture
def consumer(customer):
    """A private person: no business ID."""
    customer.organisation, customer.business_id = "Maija Meikäläinen", ""
    customer.save()
    return customer


def test_interest_follows_each_half_years_reference_rate():
    table = [(date(2026, 1, 1), Decimal("2.00")), (date(2026, 7, 1), Decimal("3.00"))]

    interest = penalty_interest(
        amount=Decimal("1000.00"),
        due_date=date(2026, 6, 20),
        until=date(2026, 7, 10),
        points=Decimal(8),
        table=table,
    )

    # 10 days at 10 % and 10 days at 11 %: 1000 × (0.10 + 0.11) × 10 / 365 = 5.753…
    assert (interest.days, interest.rate, interest.amount) == (
        20,
        Decimal("11.00"),
        Decimal("5.75"),
    )


@OVERDUE
def test_reminder_to_a_consumer_caps_the_fee_and_adds_interest_act_4_interest(
    hall, invoicing_ready, consumer, rates, django_capture_on_commit_callbacks
):
    seller_settings_update(actor=None, reminder_fee=Decimal("7.50"))
    invoice = overdue_invoice(hall, consumer)  # 6 h × 45 € = 270.00, exempt

    with django_capture_on_commit_callbacks(execute=True):
        reminder = invoice_remind(invoice=invoice, actor=None)

    assert reminder.fee == Decimal("5.00")
    # 270.00 × (2.50 + 7) % × 35 / 365 = 2.459… → 2.46
    assert (reminder.interest_rate, reminder.interest) == (Decimal("9.50"), Decimal("2.46"))
    assert reminder.total == Decimal("277.46")
    text = pdf_text(bytes(reminder.pdf))
    for shown in ("2026-0001", "1.4.2026", "15.4.2026", "20.5.2026", "2026 00017"):
        assert shown in text, shown
    for amount in (reminder.fee, reminder.interest, reminder.total, reminder.open_amount):
        assert amount_text(amount, "fi") in text
    with translation.override("fi"):  # the buyer's language
        assert _("Interest Act 4 §") in text
    (code128,) = scan(bytes(reminder.pdf), "code128")
    assert code128.startswith("4") and code128[17:25] == "00027746"  # the new total
    (message,) = mail.outbox
    assert message.to == ["maija@example.org"]
    assert message.attachments[0][0] == "2026-0001-reminder-1.pdf"
    (event,) = invoice.events.filter(action=InvoiceAction.REMINDED)
    assert "#1" in event.detail


@OVERDUE
def test_a_business_buyer_pays_the_whole_fee_and_interest_act_4a_interest(
    hall, invoicing_ready, member_customer, rates
):
    seller_settings_update(actor=None, reminder_fee=Decimal("7.50"))
    invoice = overdue_invoice(hall, member_customer)

    reminder = invoice_remind(invoice=invoice, actor=None)

    assert reminder.fee == Decimal("7.50")
    assert reminder.interest_rate == Decimal("10.50")
    with translation.override("sv"):  # the buyer's language
        assert pgettext("document title", "PAYMENT REMINDER") in pdf_text(bytes(reminder.pdf))
        assert _("Interest Act 4 a §") in pdf_text(bytes(reminder.pdf))


@OVERDUE
def test_interest_runs_on_what_is_still_open(hall, invoicing_ready, consumer, rates):
    invoice = overdue_invoice(hall, consumer)
    payment_record(invoice=invoice, amount="200.00", paid_on=date(2026, 5, 1), actor=None)

    reminder = invoice_remind(invoice=invoice, actor=None)

    assert reminder.open_amount == Decimal("70.00")
    assert amount_text(Decimal("200.00"), "fi") in pdf_text(bytes(reminder.pdf))


@OVERDUE
def test_a_second_reminder_waits_fourteen_days(hall, invoicing_ready, consumer, rates, clock):
    invoice = overdue_invoice(hall, consumer)
    invoice_remind(invoice=invoice, actor=None)

    clock.move_to("2026-06-02T10:00:00+03:00")  # 13 days later
    with pytest.raises(ValidationError, match=r"3\.6\.2026"):
        invoice_remind(invoice=invoice, actor=None)
    clock.move_to("2026-06-03T10:00:00+03:00")
    second = invoice_remind(invoice=invoice, actor=None)

    assert second.sequence == 2
    assert Reminder.objects.filter(invoice=invoice).count() == 2


@pytest.mark.now("2026-04-10T10:00:00+03:00")
def test_an_invoice_not_yet_due_is_not_reminded(hall, invoicing_ready, consumer, rates):
    invoice = overdue_invoice(hall, consumer)

    with pytest.raises(ValidationError, match="not overdue"):
        invoice_remind(invoice=invoice, actor=None)

    assert not Reminder.objects.exists()


@OVERDUE
def test_a_missing_reference_rate_is_asked_for(hall, invoicing_ready, consumer):
    invoice = overdue_invoice(hall, consumer)

    with pytest.raises(ValidationError, match=r"1\.1\.2026"):
        invoice_remind(invoice=invoice, actor=None)

    assert not Reminder.objects.exists() and not invoice.events.filter(action="reminded")


@OVERDUE
def test_a_paid_invoice_is_not_reminded(hall, invoicing_ready, consumer, rates):
    invoice = overdue_invoice(hall, consumer)
    payment_record(invoice=invoice, amount="270.00", paid_on=date(2026, 5, 1), actor=None)

    with pytest.raises(ValidationError, match="paid"):
        invoice_remind(invoice=invoice, actor=None)
