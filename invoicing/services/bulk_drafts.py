"""Draft invoices in bulk: one per customer from the bookings ticked on the ready-to-
invoice list. Each customer's draft is its own transaction, so one that cannot be made
(a booking invoiced meanwhile, one that cannot be priced) is reported and the others are
still made; a refused customer's bookings stay ready to invoice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bookings.models import Booking, Customer
from bookings.services import Actor
from invoicing.models import Invoice
from invoicing.services.drafts import MAX_INVOICE_BOOKINGS, invoice_create_draft

# The most bookings one bulk run takes (about a month of a busy house).
MAX_BULK_BOOKINGS = 2000


@dataclass
class DraftsMade:
    made: list[Invoice] = field(default_factory=list)
    refused: list[tuple[str, list[str]]] = field(default_factory=list)  # (customer, why)


def _groups(ids: set[int]) -> tuple[list[tuple[Customer, list[Booking]]], list[Booking]]:
    rows = Booking.objects.filter(pk__in=ids).select_related("customer").order_by("start", "pk")
    groups: dict[int, list[Booking]] = {}
    without = []
    for booking in rows:
        if booking.customer_id is None:
            without.append(booking)
        else:
            groups.setdefault(booking.customer_id, []).append(booking)
    customers = Customer.objects.filter(pk__in=groups).order_by(Lower("organisation"), "pk")
    return [(customer, groups[customer.pk]) for customer in customers], without


def invoice_create_drafts(*, bookings: Sequence[Booking], actor: Actor) -> DraftsMade:
    """One draft per customer of these bookings (each an `invoice_create_draft`)."""
    ids = {booking.pk for booking in bookings}
    if not ids:
        raise ValidationError({"bookings": [str(_("Choose at least one booking."))]})
    if len(ids) > MAX_BULK_BOOKINGS:
        raise ValidationError(
            {
                "bookings": [
                    str(
                        _("Make drafts of at most %(count)s bookings at a time.")
                        % {"count": MAX_BULK_BOOKINGS}
                    )
                ]
            }
        )
    groups, without = _groups(ids)
    result = DraftsMade()
    if without:
        result.refused.append(
            (
                str(_("No customer")),
                [
                    ngettext(
                        "%(count)s booking has no customer to invoice yet.",
                        "%(count)s bookings have no customer to invoice yet.",
                        len(without),
                    )
                    % {"count": len(without)}
                ],
            )
        )
    for customer, rows in groups:
        if len(rows) > MAX_INVOICE_BOOKINGS:
            message = _("One invoice takes at most %(count)s bookings; choose fewer.") % {
                "count": MAX_INVOICE_BOOKINGS
            }
            result.refused.append((customer.organisation, [str(message)]))
            continue
        try:
            result.made.append(invoice_create_draft(bookings=rows, actor=actor))
        except ValidationError as error:
            result.refused.append((customer.organisation, error.messages))
    return result
