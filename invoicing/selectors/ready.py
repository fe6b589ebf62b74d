"""What is ready to invoice: approved bookings not invoiced yet, grouped by customer, a
page of customers at a time (SPEC §2.7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower

from bookings.models import Booking, Customer
from bookings.selectors import day_bounds
from invoicing.models import BookingPrice, InvoiceBooking
from invoicing.money import ZERO
from invoicing.page_quotes import quotes_for_bookings
from invoicing.quotes import Quote
from invoicing.selectors import INVOICEABLE
from invoicing.snapshots import snapshot_lines


def bookings_ready(*, last_day: date) -> QuerySet[Booking]:
    """Approved bookings (and late-cancelled ones, for their fee) that start on or before
    `last_day` and are on no live invoice: with a customer or without one yet."""
    _start, end = day_bounds(last_day, last_day)
    billed = InvoiceBooking.objects.filter(booking=OuterRef("pk"), active=True)
    return (
        Booking.objects.filter(INVOICEABLE, start__lt=end)
        .exclude(Exists(billed))
        .select_related("room", "customer")
        .order_by("start", "pk")
    )


@dataclass(frozen=True)
class ReadyGroup:
    """One customer's bookings to invoice, with what each comes to without VAT: as
    priced at approval, or priced now when it changed since (as the draft will); None
    when it cannot be priced or is a cancellation fee (the draft says)."""

    customer: Customer
    bookings: list[tuple[Booking, Decimal | None]]

    @property
    def net(self) -> Decimal:
        return sum((net for _booking, net in self.bookings if net is not None), ZERO)

    @property
    def all_priced(self) -> bool:
        return all(net is not None for _booking, net in self.bookings)


def ready_customers(*, last_day: date) -> QuerySet[Customer]:
    """The customers with bookings ready to invoice, by name."""
    ready = bookings_ready(last_day=last_day).filter(customer=OuterRef("pk"))
    return Customer.objects.filter(Exists(ready)).order_by(Lower("organisation"), "pk")


def ready_groups(*, last_day: date, customers: list[Customer]) -> list[ReadyGroup]:
    """The ready bookings of these customers, grouped, in a fixed number of queries."""
    rows = list(bookings_ready(last_day=last_day).filter(customer__in=customers))
    snapshots = {s.booking_id: s for s in BookingPrice.objects.filter(booking__in=rows)}
    unpriced = [b for b in rows if b.pk not in snapshots or not snapshots[b.pk].matches(b)]
    quotes = quotes_for_bookings(unpriced) if unpriced else {}
    by_customer: dict[int, list[tuple[Booking, Decimal | None]]] = {}
    for booking in rows:
        net: Decimal | None = None
        quote = quotes.get(booking.pk)
        if booking.cancellation_fee_percent:
            net = None  # the fee is a share of the price: the draft works it out
        elif booking.pk not in quotes:
            net = sum((line.net for line in snapshot_lines(snapshots[booking.pk])), ZERO)
        elif isinstance(quote, Quote):
            net = quote.net
        if booking.customer_id is not None:
            by_customer.setdefault(booking.customer_id, []).append((booking, net))
    return [
        ReadyGroup(customer, by_customer[customer.pk])
        for customer in customers
        if customer.pk in by_customer
    ]


def ready_without_customer(*, last_day: date) -> QuerySet[Booking]:
    """Ready bookings that no customer is linked to yet: staff link them first."""
    return bookings_ready(last_day=last_day).filter(customer__isnull=True)
