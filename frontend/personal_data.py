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

from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from bookings.models import (
    AuditEntry,
    Booking,
    BookingStatus,
    Customer,
    CustomerContact,
    organisation_key,
)
from bookings.services import Actor, actor_label
from frontend.models import OutgoingEmail, PersonalDataAction, PersonalDataLog
from invoicing.models import Invoice, InvoiceBooking, InvoiceKind, InvoiceStatus
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
        .filter(paid__lt=F("owed"))
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
    unused = Customer.objects.filter(pk__in=customer_ids).exclude(Exists(still_used))
    CustomerContact.objects.filter(customer__in=unused).delete()
    customers = unused.update(**CUSTOMER_CONTACT)
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
    ] + [
        {key: _plain(value) for key, value in row.items()}
        for row in CustomerContact.objects.filter(email__iexact=email.strip()).values(
            "customer__organisation", "name", "email", "phone", "created_at"
        )
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


# What erasure keeps, and why (the command and the log say so).
KEPT_ISSUED_INVOICES = (
    "Issued invoices and credit notes, with their PDFs, are kept: bookkeeping law keeps "
    "them six years after the end of their financial year (Kirjanpitolaki 2:10 §)."
)
KEPT_OPEN_INVOICES = (
    "Bookings on a draft or an unpaid invoice keep their billing data until it is settled."
)
ERASED_TITLE = "–"


@transaction.atomic
def personal_data_erase(*, email: str, actor: Actor) -> dict[str, Any]:
    """Erase one person on request, everywhere they are held: their bookings' contact
    data, title, message and (a private person's) organisation, the free text staff typed
    about those bookings, every stored e-mail about them whoever it went to, their
    customer record, sessions and login attempts naming them.

    Issued invoices are kept (Kirjanpitolaki 2:10 §), and so is the billing data of
    bookings still on an open invoice; the answer counts what was erased and what was
    kept, with why."""
    needed = bookings_needed_by_invoices().filter(booking=OuterRef("pk"))
    rows = _person_bookings(email)
    all_ids = list(rows.values_list("pk", flat=True))
    kept_ids = list(rows.filter(Exists(needed)).values_list("pk", flat=True))
    ids = [pk for pk in all_ids if pk not in kept_ids]
    traces = _traces(email, Booking.objects.filter(pk__in=all_ids))
    # A private person (no business ID) writes their own name as the organisation.
    Booking.objects.filter(pk__in=ids, business_id="").update(organisation="")
    bookings = Booking.objects.filter(pk__in=ids).update(
        **BOOKING_CONTACT, title=ERASED_TITLE, decision_message="", override_reason=""
    )
    audit = AuditEntry.objects.filter(booking_id__in=all_ids).exclude(reason="").update(reason="")
    person_customers = Customer.objects.filter(email__iexact=email.strip())
    person_customers.filter(business_id="").update(
        organisation=ERASED_TITLE, name_key=organisation_key(ERASED_TITLE)
    )
    customers = person_customers.update(**CUSTOMER_CONTACT)
    CustomerContact.objects.filter(email__iexact=email.strip()).delete()
    emails = _emails_about(email, set(all_ids))
    emails_deleted, _ = OutgoingEmail.objects.filter(pk__in=[item.pk for item in emails]).delete()
    sessions = _sessions_delete(traces)
    attempts, _ = AccessAttempt.objects.filter(username__iexact=email.strip()).delete()
    admin_log, _ = LogEntry.objects.filter(
        content_type__app_label="bookings",
        content_type__model="booking",
        object_id__in=[str(pk) for pk in all_ids],
    ).delete()
    issued = (
        Invoice.objects.filter(status=InvoiceStatus.ISSUED, bookings__in=all_ids).distinct().count()
    )
    counts = {
        "bookings": bookings,
        "customers": customers,
        "emails": emails_deleted,
        "audit_reasons": audit,
        "sessions": sessions,
        "login_attempts": attempts,
        "admin_log_entries": admin_log,
        "kept_for_open_invoices": len(kept_ids),
        "kept_issued_invoices": issued,
    }
    _log(PersonalDataAction.ERASE, actor, email, counts)
    kept = {}
    if issued:
        kept["issued_invoices"] = KEPT_ISSUED_INVOICES
    if kept_ids:
        kept["open_invoices"] = KEPT_OPEN_INVOICES
    return {**counts, "kept": kept}


def _traces(email: str, bookings: QuerySet[Booking]) -> set[str]:
    """The strings that name the person: the address, and the names and phone numbers
    their bookings give."""
    found = {email.strip().lower()}
    for name, phone in bookings.values_list("contact_name", "phone"):
        found |= {value.strip().lower() for value in (name, phone) if value.strip()}
    return found


def _emails_about(email: str, booking_ids: set[int]) -> list[OutgoingEmail]:
    """Every stored e-mail to the address or about one of the bookings, the staff's
    notice of a new request included."""
    wanted = email.strip().lower()
    return [
        item
        for item in OutgoingEmail.objects.all()
        if wanted in (address.lower() for address in item.to)
        or item.booking_id in booking_ids
        or booking_ids.intersection(item.booking_ids or ())
    ]


def _sessions_delete(traces: set[str]) -> int:
    """Sessions whose data names the person (a form kept between pages)."""
    doomed = []
    for session in Session.objects.all():
        # get_decoded() answers {} for a session that no longer decodes.
        text = str(session.get_decoded()).lower()
        if any(trace in text for trace in traces):
            doomed.append(session.pk)
    deleted, _ = Session.objects.filter(pk__in=doomed).delete()
    return deleted
