"""Payment reminders of overdue invoices (SPEC §2.15): the open amount, the penalty
interest accrued so far and the seller's reminder fee (at most 5 € to a consumer), in
a PDF in the invoice's language, delivered by the invoice's method and recorded."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import DeliveryMethod
from invoicing.document import invoice_document
from invoicing.hooks import InvoiceEmail, email_hooks_run
from invoicing.interest import (
    POINTS_BUSINESS,
    POINTS_CONSUMER,
    Interest,
    NoReferenceRate,
    penalty_interest,
)
from invoicing.models import (
    Invoice,
    InvoiceAction,
    InvoiceKind,
    InvoiceStatus,
    ReferenceRate,
    Reminder,
    SellerSettings,
)
from invoicing.money import ZERO, money_text
from invoicing.pdf_parts import date_text
from invoicing.pdf_reminder import ReminderDocument, render_reminder_pdf
from invoicing.selectors.credits import invoice_credited_amount, invoice_fully_credited
from invoicing.services.audit import Actor, invoice_event_record

# Collection Act (513/1999) 10 e §: a consumer pays at most 5 € for a payment reminder.
CONSUMER_FEE_CAP = Decimal("5.00")
# A second reminder no sooner than 14 days after the first (the same Act's rhythm).
REMINDER_INTERVAL = timedelta(days=14)


def _open_amount(invoice: Invoice) -> tuple[Decimal, Decimal]:
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or ZERO
    # A partly credited invoice is reminded of what its credit notes left.
    return paid, invoice.total_gross - invoice_credited_amount(invoice) - paid


def _refuse_unremindable(invoice: Invoice, today: date, open_amount: Decimal) -> date:
    """The due date of an invoice that may be reminded of now; refuses any other."""
    due_date = invoice.due_date
    if (
        invoice.status != InvoiceStatus.ISSUED
        or invoice.kind != InvoiceKind.INVOICE
        or due_date is None
    ):
        raise ValidationError(_("Only an issued invoice can be reminded of."))
    if invoice_fully_credited(invoice):
        raise ValidationError(
            _("Invoice %(number)s has been credited; there is nothing to remind of.")
            % {"number": invoice}
        )
    if open_amount <= 0:
        raise ValidationError(_("Invoice %(number)s is paid.") % {"number": invoice})
    if due_date >= today:
        raise ValidationError(
            _("Invoice %(number)s is not overdue: it is due on %(due)s.")
            % {"number": invoice, "due": date_text(due_date)}
        )
    last = invoice.reminders.order_by("-sequence").first()
    if last is not None and today < last.reminded_on + REMINDER_INTERVAL:
        raise ValidationError(
            _("The last reminder went on %(date)s; the next one can go on %(next)s.")
            % {
                "date": date_text(last.reminded_on),
                "next": date_text(last.reminded_on + REMINDER_INTERVAL),
            }
        )
    return due_date


def _interest(invoice: Invoice, open_amount: Decimal, due_date: date, today: date) -> Interest:
    business = bool(invoice.buyer_business_id)
    table = list(ReferenceRate.objects.values_list("valid_from", "rate"))
    try:
        return penalty_interest(
            amount=open_amount,
            due_date=due_date,
            until=today,
            points=POINTS_BUSINESS if business else POINTS_CONSUMER,
            table=table,
            fixed_rate=invoice.penalty_interest_rate,
        )
    except NoReferenceRate as missing:
        raise ValidationError(
            _("Add the reference rate of the half-year starting %(day)s first (admin).")
            % {"day": date_text(missing.half_year)}
        ) from None


def reminder_fee_for(invoice: Invoice, seller: SellerSettings) -> Decimal:
    """The seller's fee, at most 5 € to a consumer (a buyer without a business ID)."""
    if invoice.buyer_business_id:
        return seller.reminder_fee
    return min(seller.reminder_fee, CONSUMER_FEE_CAP)


def _deliver(invoice: Invoice, reminder: Reminder) -> None:
    """By the invoice's method; an e-invoice customer gets the reminder by e-mail (this
    system writes no Finvoice reminders), or on paper without a billing e-mail."""
    if reminder.method != DeliveryMethod.EMAIL:
        return
    email_hooks_run(
        InvoiceEmail(
            kind="payment_reminder",
            key=f"reminder:{reminder.pk}",
            to=reminder.recipient,
            language=invoice.language,
            number=invoice.number_text,
            seller_name=invoice.seller_name,
            amount=reminder.total,
            due_date=reminder.due_date,
            filename=reminder.filename,
            pdf=bytes(reminder.pdf),
        )
    )


def _method(invoice: Invoice) -> tuple[str, str]:
    method = invoice.delivery_method
    if method == DeliveryMethod.E_INVOICE:
        method = DeliveryMethod.EMAIL if invoice.buyer_email else DeliveryMethod.PAPER
    if method == DeliveryMethod.EMAIL and not invoice.buyer_email:
        method = DeliveryMethod.PAPER
    if method == DeliveryMethod.EMAIL:
        return method, invoice.buyer_email
    lines = [invoice.buyer_name, *invoice.buyer_address.splitlines()]
    return method, ", ".join(line.strip() for line in lines if line.strip())[:254]


@transaction.atomic
def invoice_remind(*, invoice: Invoice, actor: Actor) -> Reminder:
    """Send a payment reminder of an overdue invoice, recorded with its PDF; refused
    for an invoice not overdue, paid or credited, and sooner than 14 days after the
    last reminder."""
    current = Invoice.objects.select_for_update().get(pk=invoice.pk)
    today = timezone.localdate()
    paid, open_amount = _open_amount(current)
    due_date = _refuse_unremindable(current, today, open_amount)
    interest = _interest(current, open_amount, due_date, today)
    seller = SellerSettings.load()
    fee = reminder_fee_for(current, seller)
    sequence = current.reminders.count() + 1
    document = ReminderDocument(
        invoice=invoice_document(current, current.lines.order_by("position")),
        sequence=sequence,
        reminded_on=today,
        due_date=today + timedelta(days=seller.payment_term_days or 14),
        paid=paid,
        open_amount=open_amount,
        interest_days=interest.days,
        interest_rate=interest.rate,
        interest=interest.amount,
        interest_fixed=current.penalty_interest_rate is not None,
        business_buyer=bool(current.buyer_business_id),
        fee=fee,
        total=open_amount + interest.amount + fee,
    )
    method, recipient = _method(current)
    user = actor if actor is not None and actor.is_authenticated else None
    reminder = Reminder.objects.create(
        invoice=current,
        sequence=sequence,
        reminded_on=today,
        due_date=document.due_date,
        open_amount=open_amount,
        interest_rate=interest.rate,
        interest=interest.amount,
        fee=fee,
        total=document.total,
        method=method,
        recipient=recipient,
        pdf=render_reminder_pdf(document),
        created_by=user,
    )
    _deliver(current, reminder)
    detail = (
        f"#{sequence} {method}, {money_text(document.total, 'en')} EUR "
        f"(fee {money_text(fee, 'en')}, interest {money_text(interest.amount, 'en')})"
    )
    invoice_event_record(invoice=current, action=InvoiceAction.REMINDED, actor=actor, detail=detail)
    return reminder
