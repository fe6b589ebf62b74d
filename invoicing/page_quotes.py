"""Quotes for a page of bookings at once (the staff queue's price estimates): what
`quote_booking` answers for each, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, MemberOrganisation
from bookings.schedule import local
from invoicing.models import (
    CustomerGroup,
    Extra,
    RoomPrice,
)
from invoicing.vat import NoVatRate

if TYPE_CHECKING:
    from bookings.services import Extra as RequestedExtraItem

    # An extra as the booking services hold it, or as a request's JSON gives it.
    RequestedExtra = Mapping[str, Any] | RequestedExtraItem

from invoicing.quotes import (
    Quote,
    extra_lines,
    requested_extras,
    room_line,
    seller_vat_registered,
    vat_table,
)


def quotes_for_bookings(bookings: Sequence[Booking]) -> dict[int, Quote | ValidationError]:
    """quote_booking for a page of bookings (with their room and customer loaded) in five
    queries however many: the price lists, member list, extras, VAT table and seller read
    once. Each booking maps to its quote, or to the refusal quote_booking would raise."""
    if not bookings:
        return {}
    table, registered = vat_table(), seller_vat_registered()
    confirmed = {
        b.pk: b.customer for b in bookings if b.customer_confirmed and b.customer is not None
    }
    member_ids = set(
        MemberOrganisation.objects.filter(
            business_id__in={c.business_id for c in confirmed.values() if c.business_id}
        ).values_list("business_id", flat=True)
    )
    days = {booking.pk: local(booking.start).date() for booking in bookings}
    prices = prices_valid_by_day({b.room_id for b in bookings}, days.values())
    codes = {code for b in bookings for code, _q in requested_extras(b.extras or ())}
    catalogue = {e.code: e for e in Extra.objects.filter(code__in=codes, is_active=True)}
    result: dict[int, Quote | ValidationError] = {}
    for booking in bookings:
        customer = confirmed.get(booking.pk)
        member = customer is not None and customer.business_id in member_ids
        group = CustomerGroup.MEMBER if member else CustomerGroup.EXTERNAL
        day = days[booking.pk]
        valid = [
            price
            for price in prices[day]
            if price.room_id == booking.room_id and price.price_list.customer_group == group
        ]
        try:
            if not valid:
                raise ValidationError(
                    {
                        "room": _("No price list gives this room a price on %(date)s.")
                        % {"date": f"{day.day}.{day.month}.{day.year}"}
                    }
                )
            price = max(valid, key=lambda price: price.price_list.valid_from)
            lines = [room_line(price, booking.room, booking.start, booking.end)]
            lines += extra_lines(
                booking.extras or (),
                start=booking.start,
                end=booking.end,
                attendees=booking.attendees,
                catalogue=catalogue,
            )
            result[booking.pk] = Quote(
                customer_group=group,
                price_list_id=price.price_list_id,
                vat_registered=registered,
                lines=tuple(line.with_vat(table, registered) for line in lines),
            )
        except (ValidationError, NoVatRate) as error:
            result[booking.pk] = (
                error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
    return result


def prices_valid_by_day(
    room_ids: Iterable[int], days: Iterable[date]
) -> dict[date, list[RoomPrice]]:
    """The rooms' prices valid on each day, validity read by `RoomPrice.objects.valid_on`
    (the one reading, as quote_booking's), in one query however many days."""
    ordered = sorted(set(days))
    flags = {
        f"valid_{number}": Exists(RoomPrice.objects.valid_on(day).filter(pk=OuterRef("pk")))
        for number, day in enumerate(ordered)
    }
    rows = list(
        RoomPrice.objects.select_related("price_list")
        .filter(room_id__in=set(room_ids))
        .annotate(**flags)
    )
    return {
        day: [row for row in rows if getattr(row, f"valid_{number}")]
        for number, day in enumerate(ordered)
    }
