"""Who a request is from: one customer per organisation, recognised by its contacts.

A customer is one organisation: by business ID, and by name for those without one. Its
contacts are the people who book for it. A renter types their organisation and business
ID, and anyone can type another's: so a public request naming an existing customer is
stored without one, and staff link it (its sender becomes a contact) or make a new
customer before approving; only a known contact writing again under the organisation's
name is linked at once. A request naming no customer gets a new one of its own details.
Neither counts as confirmed: the confirmed customer is what gives member prices and
billing details (invoicing/quotes.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import AuditAction, Booking, Customer, CustomerContact, organisation_key
from bookings.services.audit import Actor, audit_record
from bookings.services.inputs import RenterDetails


def customer_match(*, business_id: str, organisation: str) -> Customer | None:
    """The customer these details name: by business ID; without one, by the
    organisation's name (letter case and surrounding spaces aside)."""
    live = Customer.objects.live()
    if business_id:
        return live.filter(business_id=business_id).first()
    key = organisation_key(organisation)
    if not key:
        return None
    return live.filter(name_key=key).order_by("pk").first()


def is_contact(customer: Customer, email: str) -> bool:
    return bool(email) and customer.contacts.filter(email__iexact=email).exists()


def contact_add(customer: Customer, *, name: str, email: str, phone: str = "") -> None:
    """Make the person one of the customer's contacts, unless they are already."""
    if email and not is_contact(customer, email):
        CustomerContact.objects.create(
            customer=customer, name=name or email, email=email, phone=phone
        )


def customer_for(renter: RenterDetails, business_id: str) -> Customer:
    """For staff, who vouch for what they type: the matching customer (the renter
    becomes one of its contacts), else a new one.

    A booking never overwrites an existing customer's details; staff edit those.
    """
    match = customer_match(business_id=business_id, organisation=renter.organisation)
    if match is None:
        return customer_from_renter(renter, business_id)
    contact_add(match, name=renter.contact_name, email=renter.email, phone=renter.phone)
    return match


def customer_for_request(renter: RenterDetails, business_id: str) -> Customer | None:
    """A public request's customer, never confirmed (only staff confirm one).

    A new customer of its own details when it names none. None when it names one by
    business ID (anyone can type another organisation's ID), or by name from an e-mail
    that is none of that customer's contacts: staff link it or make a new customer before
    approving. A known contact writing again under the organisation's name gets it."""
    match = customer_match(business_id=business_id, organisation=renter.organisation)
    if match is None:
        return customer_from_renter(renter, business_id)
    if business_id or not is_contact(match, renter.email):
        return None
    return match


def customer_from_renter(renter: RenterDetails, business_id: str) -> Customer:
    customer = Customer.objects.create(
        organisation=" ".join(renter.organisation.split()),
        business_id=business_id,
        contact_name=renter.contact_name,
        email=renter.email,
        phone=renter.phone,
        billing_address=renter.billing_address,
        e_invoice_address=renter.e_invoice_address,
        e_invoice_operator=renter.e_invoice_operator,
        language=renter.language,
    )
    contact_add(customer, name=renter.contact_name, email=renter.email, phone=renter.phone)
    return customer


def customer_kept(customer: Customer) -> Customer:
    """The customer a merged one was merged into (itself when it was not merged)."""
    while customer.merged_into_id is not None:
        customer = Customer.objects.get(pk=customer.merged_into_id)
    return customer


def booking_customer_match(booking: Booking) -> Customer | None:
    """The existing customer a request's details name, for staff to confirm or not."""
    return customer_match(business_id=booking.business_id, organisation=booking.organisation)


def customer_decided_check(booking: Booking) -> None:
    """A renter's request whose customer staff have not chosen cannot be approved."""
    if booking.customer_id is None and booking.email:
        match = booking_customer_match(booking)
        message = (
            _(
                "The request's details match the customer %(customer)s: link it to "
                "that customer or make a new one before approving."
            )
            % {"customer": match.organisation}
            if match
            else _(
                "The request has no customer yet: link it to a customer or make a new one "
                "before approving."
            )
        )
        raise ValidationError({"customer": message}, code="customer_undecided")


@transaction.atomic
def booking_customer_confirm(
    *, booking: Booking, actor: Actor, customer: Customer | None = None
) -> Booking:
    """Link the booking (and the other dates of its series) to `customer`, or with None to
    the customer made of its own details (made now if it has none), and mark it confirmed."""
    current = Booking.objects.select_for_update().get(pk=booking.pk)
    if customer is None:
        customer = current.customer or _customer_from_booking(current)
    else:
        # Staff vouch that this person books for the customer: their next request is
        # recognised as its own. A merged customer's bookings go to the one kept.
        customer = customer_kept(customer)
        contact_add(customer, name=current.contact_name, email=current.email, phone=current.phone)
    rows = Booking.objects.filter(pk=current.pk)
    if current.series_id:
        rows = Booking.objects.filter(series_id=current.series_id)
    now = timezone.now()
    for row in rows.select_for_update():
        row.customer, row.customer_confirmed, row.updated_at = customer, True, now
        row.save(update_fields=["customer", "customer_confirmed", "updated_at"])
        audit_record(
            action=AuditAction.DETAILS_CHANGED,
            actor=actor,
            booking=row,
            changes={"fields": ["customer"]},
        )
    current.refresh_from_db()
    booking.customer, booking.customer_confirmed = current.customer, True
    return current


def _customer_from_booking(booking: Booking) -> Customer:
    renter = RenterDetails(
        **{name: getattr(booking, name) for name in RenterDetails.__dataclass_fields__}
    )
    # Staff chose not to link it to the customer holding the business ID it typed: that
    # ID is not this renter's, so the new customer is made without one.
    business_id = booking.business_id
    if business_id and Customer.objects.filter(business_id=business_id).exists():
        business_id = ""
    return customer_from_renter(renter, business_id)
