"""Who a request is from: staff link a public request to a customer and vouch for it.

A renter types their organisation and business ID, and anyone can type another's. So a
public request whose details name an existing customer is stored without a customer, a
new one gets a customer made of its own details, and neither counts as confirmed: the
confirmed customer is what gives member prices and billing details (invoicing/quotes.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import AuditAction, Booking, Customer
from bookings.services.audit import Actor, audit_record
from bookings.services.checks import customer_from_renter, customer_match
from bookings.services.inputs import RenterDetails


def booking_customer_match(booking: Booking) -> Customer | None:
    """The existing customer a request's details name, for staff to confirm or not."""
    return customer_match(
        business_id=booking.business_id, email=booking.email, organisation=booking.organisation
    )


def customer_decided_check(booking: Booking) -> None:
    """A renter's request whose customer staff have not chosen cannot be approved."""
    if booking.customer_id is None and booking.email and booking.business_id:
        match = booking_customer_match(booking)
        raise ValidationError(
            {
                "customer": _(
                    "The request's details match the customer %(customer)s: link it to "
                    "that customer or make a new one before approving."
                )
                % {"customer": match.organisation if match else booking.organisation}
            },
            code="customer_undecided",
        )


@transaction.atomic
def booking_customer_confirm(
    *, booking: Booking, actor: Actor, customer: Customer | None = None
) -> Booking:
    """Link the booking (and the other dates of its series) to `customer`, or with None to
    the customer made of its own details (made now if it has none), and mark it confirmed."""
    current = Booking.objects.select_for_update().get(pk=booking.pk)
    if customer is None:
        customer = current.customer or _customer_from_booking(current)
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
