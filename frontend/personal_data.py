"""Renters' personal data (SPEC §2.11): retention, export and erasure.

Contact data are blanked in place: the booking rows stay (SPEC §2.3 keeps every booking),
only who booked is forgotten. Invoices copy the buyer at issue time and are kept as
bookkeeping law requires, so they are left alone.

Retention rule, by booking state, once `months` have passed since the booking ended (or
since its last change for requests that never took place):
- rejected, cancelled, expired: anonymised;
- approved: anonymised unless a draft invoice or an open issued invoice (not credited,
  not fully paid) still bills it: accounting may need to reach the buyer until then.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from bookings.models import Booking, BookingStatus, Customer
from bookings.services import Actor, actor_label
from frontend.models import OutgoingEmail, PersonalDataAction, PersonalDataLog
from invoicing.models import InvoiceBooking, InvoiceKind, InvoiceStatus
from invoicing.selectors import invoices_with_balance

BOOKING_CONTACT = {
    "contact_name": "",
    "email": "",
    "phone": "",
    "billing_address": "",
    "e_invoice_address": "",
    "e_invoice_operator": "",
    "buyer_reference": "",
    "message": "",
}
CUSTOMER_CONTACT = {
    "contact_name": "",
    "email": "",
    "phone": "",
    "billing_address": "",
    "e_invoice_address": "",
    "e_invoice_operator": "",
}
EXPORT_FIELDS = (
    "id",
    "room__slug",
    "start",
    "end",
    "status",
    "title",
    "attendees",
    "organisation",
    "business_id",
    "contact_name",
    "email",
    "phone",
    "billing_address",
    "e_invoice_address",
    "e_invoice_operator",
    "buyer_reference",
    "extras",
    "message",
    "language",
    "terms_accepted_at",
    "created_at",
)


def email_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _log(action: str, actor: Actor, email: str, counts: dict[str, int]) -> None:
    PersonalDataLog.objects.create(
        action=action,
        actor=actor,
        actor_label=actor_label(actor, "system"),
        email_digest=email_digest(email) if email else "",
        counts=counts,
    )


def bookings_needed_by_invoices() -> QuerySet[InvoiceBooking]:
    """Invoice links of drafts and of issued invoices still open (unpaid, not credited)."""
    open_invoices = (
        invoices_with_balance()
        .filter(status=InvoiceStatus.ISSUED, kind=InvoiceKind.INVOICE, credited=False)
        .filter(paid__lt=F("total_gross"))
        .values("pk")
    )
    return InvoiceBooking.objects.filter(
        Q(invoice__status=InvoiceStatus.DRAFT) | Q(invoice__in=open_invoices)
    )


def bookings_due_for_anonymising(*, months: int, now: datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(months * 365.25 / 12))
    needed = bookings_needed_by_invoices().filter(booking=OuterRef("pk"))
    ended = Q(
        status__in=[BookingStatus.REJECTED, BookingStatus.CANCELLED, BookingStatus.EXPIRED],
        updated_at__lt=cutoff,
        end__lt=now,
    ) | Q(status=BookingStatus.APPROVED, end__lt=cutoff)
    return Booking.objects.filter(ended).exclude(email="").exclude(Exists(needed))


@transaction.atomic
def personal_data_anonymise(*, months: int, now: datetime | None = None) -> dict[str, int]:
    """The retention run (idempotent): blank the contact data of old bookings, of customers
    left with no booking that still needs them, and delete old sent e-mails."""
    now = now or timezone.now()
    due = bookings_due_for_anonymising(months=months, now=now)
    customer_ids = set(due.values_list("customer_id", flat=True)) - {None}
    bookings = Booking.objects.filter(pk__in=list(due.values_list("pk", flat=True))).update(
        **BOOKING_CONTACT
    )
    still_used = Booking.objects.filter(customer=OuterRef("pk")).exclude(email="")
    customers = (
        Customer.objects.filter(pk__in=customer_ids)
        .exclude(Exists(still_used))
        .update(**CUSTOMER_CONTACT)
    )
    cutoff = now - timedelta(days=round(months * 365.25 / 12))
    emails, _ = OutgoingEmail.objects.filter(sent_at__lt=cutoff).delete()
    counts = {"bookings": bookings, "customers": customers, "emails": emails}
    if any(counts.values()):
        _log(PersonalDataAction.ANONYMISE, None, "", counts)
    return counts


def _person_bookings(email: str) -> QuerySet[Booking]:
    return Booking.objects.filter(email__iexact=email.strip())


def personal_data_export(*, email: str, actor: Actor) -> dict[str, Any]:
    """Everything kept about one e-mail address, as JSON-ready data."""
    bookings = [
        {key: _plain(value) for key, value in row.items()}
        for row in _person_bookings(email).order_by("start").values(*EXPORT_FIELDS)
    ]
    customers = [
        {key: _plain(value) for key, value in row.items()}
        for row in Customer.objects.filter(email__iexact=email.strip()).values()
    ]
    sent = [
        {"subject": item.subject, "created_at": item.created_at.isoformat(), "kind": item.kind}
        for item in _person_emails(email)
    ]
    _log(PersonalDataAction.EXPORT, actor, email, {"bookings": len(bookings)})
    return {"email": email, "bookings": bookings, "customers": customers, "emails": sent}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _person_emails(email: str) -> list[OutgoingEmail]:
    wanted = email.strip().lower()
    return [
        item
        for item in OutgoingEmail.objects.all()
        if wanted in (address.lower() for address in item.to)
    ]


@transaction.atomic
def personal_data_erase(*, email: str, actor: Actor) -> dict[str, int]:
    """Erase one person's contact data on request, and the e-mails sent to them.

    Bookings still on an open invoice keep the billing data bookkeeping needs."""
    needed = bookings_needed_by_invoices().filter(booking=OuterRef("pk"))
    rows = _person_bookings(email)
    kept = rows.filter(Exists(needed)).count()
    bookings = rows.exclude(Exists(needed)).update(**BOOKING_CONTACT)
    customers = Customer.objects.filter(email__iexact=email.strip()).update(**CUSTOMER_CONTACT)
    emails = OutgoingEmail.objects.filter(pk__in=[item.pk for item in _person_emails(email)])
    emails_deleted, _ = emails.delete()
    counts = {
        "bookings": bookings,
        "customers": customers,
        "emails": emails_deleted,
        "kept_for_open_invoices": kept,
    }
    _log(PersonalDataAction.ERASE, actor, email, counts)
    return counts
