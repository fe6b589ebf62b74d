"""Small reads and texts shared by the staff pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bookings.errors import BookingConflict, BookingStateError, StaleBooking
from bookings.models import AuditEntry, Booking, Room
from bookings.refusals import refusal_text
from bookings.schedule import local
from frontend.series_words import series_in_words
from invoicing.models import BookingPrice, CustomerGroup
from invoicing.page_quotes import quotes_for_bookings
from invoicing.quotes import Quote, quote_booking
from invoicing.snapshots import snapshot_lines


@dataclass(frozen=True)
class PriceRow:
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class PriceSnapshot:
    rows: list[PriceRow]
    customer_group: str
    priced_at: datetime
    still_matches: bool  # False when staff moved the booking after it was priced

    @property
    def total_net(self) -> Decimal:
        return sum((row.net for row in self.rows), Decimal("0.00"))

    @property
    def total_gross(self) -> Decimal:
        return sum((row.gross for row in self.rows), Decimal("0.00"))


def price_snapshot_for(booking: Booking) -> PriceSnapshot | None:
    """The price the booking kept when it was approved (invoicing's snapshot), if any."""
    snapshot = BookingPrice.objects.filter(booking=booking).first()
    if snapshot is None:
        return None
    language = (get_language() or "fi")[:2]
    rows = [
        PriceRow(
            description=line.description(language),
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            net=line.net,
            vat=line.vat,
            gross=line.gross,
        )
        for line in snapshot_lines(snapshot)
    ]
    return PriceSnapshot(
        rows=rows,
        customer_group=snapshot.get_customer_group_display(),
        priced_at=snapshot.created_at,
        still_matches=snapshot.matches(booking),
    )


@dataclass(frozen=True)
class PriceEstimate:
    """What the booking would cost as it stands, before anyone approves it: the same
    quote invoicing prices it with (invoicing.quotes.quote_booking)."""

    rows: list[PriceRow]
    customer_group: str
    total_net: Decimal
    total_gross: Decimal
    problem: str = ""  # why it could not be priced, e.g. no price list for the date


def _estimate(priced: Quote | ValidationError) -> PriceEstimate:
    if isinstance(priced, ValidationError):
        return PriceEstimate([], "", Decimal("0.00"), Decimal("0.00"), " ".join(priced.messages))
    language = (get_language() or "fi")[:2]
    rows = [
        PriceRow(
            description=line.description(language),
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            net=line.net,
            vat=line.vat,
            gross=line.gross,
        )
        for line in priced.lines
    ]
    group = str(CustomerGroup(priced.customer_group).label)
    return PriceEstimate(rows, group, priced.net, priced.gross)


def price_estimate_for(booking: Booking) -> PriceEstimate:
    try:
        return _estimate(quote_booking(booking))
    except ValidationError as error:
        return _estimate(error)


def price_estimates_for(bookings: list[Booking]) -> dict[int, PriceEstimate]:
    """The estimates of a page of bookings in a fixed number of queries."""
    return {pk: _estimate(priced) for pk, priced in quotes_for_bookings(bookings).items()}


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    changes: list[str]


def _fields_text(names: object) -> str:
    """The fields a details change touched (their values are not kept in the trail)."""
    if not isinstance(names, list):
        return ""
    labels = []
    for name in names:
        try:
            field = Booking._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        # Only a model's own fields have a verbose name; a relation's reverse side has none.
        labels.append(str(field.verbose_name if isinstance(field, Field) else name))
    return ", ".join(labels)


def _change_text(
    name: str, values: object, rooms: dict[int, Room], booking: Booking | None = None
) -> str:
    if name == "fields":
        return _fields_text(values)
    if name == "series" and isinstance(values, str) and booking is not None:
        # The stored rule, told in words: nobody should have to read RRULE text.
        first = booking.series.first_start if booking.series else booking.start
        return _("series: %(rule)s") % {"rule": series_in_words(values, first)}
    if not isinstance(values, list) or len(values) != 2:
        return f"{name}: {values}"
    before, after = values
    if name == "room":
        before, after = rooms.get(before, before), rooms.get(after, after)
    elif name in ("start", "end"):
        before, after = _moment(before), _moment(after)
    if before == after:
        return ""
    labels = {"room": _("room"), "start": _("start"), "end": _("end")}
    return f"{labels.get(name, name)}: {before} → {after}"


def _moment(value: object) -> str:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return local(parsed).strftime("%d.%m.%Y %H:%M") if parsed else str(value)


def audit_rows(booking: Booking) -> list[AuditRow]:
    """The booking's audit trail, oldest first, moves told as "before → after"."""
    entries = list(booking.audit_entries.order_by("at", "pk"))
    rooms = Room.objects.in_bulk()
    rows = []
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        texts = [_change_text(name, value, rooms, booking) for name, value in changes.items()]
        rows.append(AuditRow(entry=entry, changes=[text for text in texts if text]))
    return rows


def refusal_message(request: HttpRequest, error: Exception) -> None:
    """Tell staff why a decision did not happen; nothing was changed."""
    if isinstance(error, StaleBooking):
        text = _("Nothing was changed: the booking was changed by someone else meanwhile.")
        again = _("Check it again below.")
        messages.error(request, f"{text} {again}")
    elif isinstance(error, BookingConflict):
        nothing = _("Nothing was changed.")
        messages.error(request, f"{nothing} {refusal_text(error)}")
    elif isinstance(error, BookingStateError):
        text = _("Nothing was changed: someone decided first.")
        messages.error(request, f"{text} {error.message}")
    else:
        messages.error(request, refusal_text(error))
