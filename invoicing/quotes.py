"""The one price calculation: a room, a time and extras for a customer group (SPEC §2.6).

The request form's estimate, the API's `POST quotes/`, the snapshot an approved booking
keeps and the invoice all come from `quote`, so they always agree. Prices are without
VAT; every line is rounded half up once, and totals are sums of rounded lines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, Customer, MemberOrganisation, Room, translated
from bookings.schedule import local
from bookings.selectors import customer_is_member
from bookings.validators import normalise_business_id
from invoicing.models import (
    CustomerGroup,
    Extra,
    ExtraPricing,
    RoomPrice,
    SellerSettings,
    Unit,
    VatGroup,
    VatRate,
    vat_groups,
)
from invoicing.money import CENT, ZERO, euros
from invoicing.vat import DatedRate, NoVatRate, rate_on, vat_of

if TYPE_CHECKING:
    from bookings.services import Extra as RequestedExtraItem

    # An extra as the booking services hold it, or as a request's JSON gives it.
    RequestedExtra = Mapping[str, Any] | RequestedExtraItem

LANGUAGES = ("fi", "sv", "en")
HALF_DAY_HOURS = Decimal(4)  # SPEC §2.6: the half-day price caps bookings of up to 4 h
DAY_HOURS = 24
ROOM, EXTRA = "room", "extra"


@dataclass(frozen=True)
class PriceLine:
    """One priced line; `names` is the item's name in each language, for descriptions."""

    kind: str
    code: str
    names: Mapping[str, str]
    start: datetime
    end: datetime
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_code: str
    vat_rate: Decimal | None
    net: Decimal
    vat: Decimal
    gross: Decimal

    @property
    def service_start(self) -> date:
        return local(self.start).date()

    @property
    def service_end(self) -> date:
        return local(self.end).date()

    def description(self, language: str) -> str:
        name = self.names.get(language) or self.names.get("fi", self.code)
        if self.kind != ROOM:
            return name
        return f"{name} {_time_range(self.start, self.end, language)}"

    def with_vat(self, table: Sequence[DatedRate], vat_registered: bool) -> PriceLine:
        """The line taxed by its service date; untaxed when the seller is not registered."""
        rate = vat_rate_for(self.vat_code, self.service_start, table) if vat_registered else None
        vat = vat_of(self.net, rate)
        return replace(self, vat_rate=rate, vat=vat, gross=self.net + vat)

    def as_json(self) -> dict:
        data = asdict(self)
        data["names"] = dict(self.names)
        for key in ("start", "end"):
            data[key] = data[key].isoformat()
        for key in ("quantity", "unit_price", "vat_rate", "net", "vat", "gross"):
            data[key] = None if data[key] is None else str(data[key])
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> PriceLine:
        values = dict(data)
        for key in ("start", "end"):
            values[key] = datetime.fromisoformat(values[key])
        for key in ("quantity", "unit_price", "vat_rate", "net", "vat", "gross"):
            values[key] = None if values[key] is None else Decimal(values[key])
        return cls(**values)


@dataclass(frozen=True)
class Quote:
    customer_group: str
    price_list_id: int
    vat_registered: bool
    lines: tuple[PriceLine, ...]

    @property
    def totals(self) -> list[VatGroup]:
        return vat_groups(self.lines)

    @property
    def net(self) -> Decimal:
        return sum((line.net for line in self.lines), ZERO)

    @property
    def vat(self) -> Decimal:
        return sum((line.vat for line in self.lines), ZERO)

    @property
    def gross(self) -> Decimal:
        return sum((line.gross for line in self.lines), ZERO)


def _time_range(start: datetime, end: datetime, language: str) -> str:
    first, last = local(start), local(end)
    clock = "%H:%M" if language == "en" else "%H.%M"
    day = f"{first.day}.{first.month}.{first.year}"
    if first.date() == last.date():
        with translation.override(language):
            return str(
                _("%(date)s at %(start)s–%(end)s")
                % {"date": day, "start": first.strftime(clock), "end": last.strftime(clock)}
            )
    last_day = f"{last.day}.{last.month}.{last.year}"
    return f"{day} {first.strftime(clock)} – {last_day} {last.strftime(clock)}"


def vat_rate_for(code: str, day: date, table: Sequence[DatedRate]) -> Decimal | None:
    """The rate of a VAT code on a service date, refused with a message when the table
    has none (drafts, quotes and lines typed by accounting alike)."""
    try:
        return rate_on(code, day, table)
    except NoVatRate:
        raise ValidationError(
            _("No VAT rate is set for %(code)s on %(date)s.")
            % {"code": code, "date": f"{day.day}.{day.month}.{day.year}"}
        ) from None


def vat_table() -> list[DatedRate]:
    """The dated VAT rate table (one query)."""
    return [
        DatedRate(code, valid_from, rate)
        for code, valid_from, rate in VatRate.objects.values_list("code", "valid_from", "rate")
    ]


def seller_vat_registered() -> bool:
    registered = SellerSettings.objects.filter(pk=1).values_list("vat_registered", flat=True)
    return next(iter(registered), True)


def customer_group_for(*, customer: Customer | None = None, business_id: str = "") -> str:
    """Member prices for the association's member organisations, matched by business ID
    (SPEC §2.6); everyone else pays the external prices."""
    if customer_is_member(customer):
        return CustomerGroup.MEMBER
    if business_id.strip():
        try:
            normalised = normalise_business_id(business_id.strip())
        except ValidationError:
            return CustomerGroup.EXTERNAL
        if MemberOrganisation.objects.filter(business_id=normalised).exists():
            return CustomerGroup.MEMBER
    return CustomerGroup.EXTERNAL


def room_price_on(room: Room, group: str, day: date) -> RoomPrice:
    """The room's price in the group's price list valid on that day (one query)."""
    price = (
        RoomPrice.objects.valid_on(day)
        .select_related("price_list")
        .filter(room=room, price_list__customer_group=group)
        .order_by("-price_list__valid_from")
        .first()
    )
    if price is None:
        raise ValidationError(
            {
                "room": _("No price list gives this room a price on %(date)s.")
                % {"date": f"{day.day}.{day.month}.{day.year}"}
            }
        )
    return price


def _hours(start: datetime, end: datetime) -> Decimal:
    # Real elapsed time: subtracting in UTC counts the October night's extra hour, which
    # subtracting two Helsinki wall-clock times would not (SPEC §2.3).
    delta = end.astimezone(UTC) - start.astimezone(UTC)
    return Decimal(delta.days * 86400 + delta.seconds) / Decimal(3600)


def room_line(price: RoomPrice, room: Room, start: datetime, end: datetime) -> PriceLine:
    """Hours × hourly rate, or the half-day (≤ 4 h) or full-day price when cheaper."""
    hours = _hours(start, end).quantize(CENT)
    options = [(euros(price.hourly_rate * hours), hours, Unit.HOUR, price.hourly_rate)]
    if price.half_day_price is not None and hours <= HALF_DAY_HOURS:
        options.append((price.half_day_price, Decimal(1), Unit.HALF_DAY, price.half_day_price))
    if price.full_day_price is not None:
        days = Decimal(max(1, math.ceil(hours / DAY_HOURS)))
        options.append((euros(price.full_day_price * days), days, Unit.DAY, price.full_day_price))
    net, quantity, unit, unit_price = min(options, key=lambda option: option[0])
    names = {language: translated(room, "name", language) for language in LANGUAGES}
    return PriceLine(
        kind=ROOM,
        code=room.slug,
        names=names,
        start=start,
        end=end,
        quantity=quantity,
        unit=unit,
        unit_price=unit_price,
        vat_code=price.vat_code,
        vat_rate=None,
        net=net,
        vat=ZERO,
        gross=net,
    )


def requested_extras(extras: Iterable[RequestedExtra]) -> list[tuple[str, int | None]]:
    items = []
    for extra in extras:
        if isinstance(extra, Mapping):
            items.append((str(extra.get("code", "")), extra.get("quantity")))
        else:
            items.append((str(extra.code), extra.quantity))
    return items


def extras_not_offered(codes: Sequence[str]) -> set[str]:
    """The codes of extras that cannot be ordered (unknown or no longer offered): what
    `extra_lines` would refuse, asked by the booking services (bookings/hooks.py)."""
    wanted = set(codes)
    if not wanted:
        return set()
    offered = Extra.objects.filter(code__in=wanted, is_active=True).values_list("code", flat=True)
    return wanted - set(offered)


def extra_lines(
    extras: Iterable[RequestedExtra],
    *,
    start: datetime,
    end: datetime,
    attendees: int | None,
    catalogue: Mapping[str, Extra] | None = None,
) -> list[PriceLine]:
    """Extras per unit or per person (a per-person extra without a quantity is for every
    attendee); an unknown or withdrawn code is refused as a field error. `catalogue`, the
    active extras by code, saves the query when many quotes are made at once."""
    requested = requested_extras(extras)
    if not requested:
        return []
    if catalogue is None:
        catalogue = {
            extra.code: extra
            for extra in Extra.objects.filter(
                code__in=[code for code, _q in requested], is_active=True
            )
        }
    lines = []
    for code, quantity in requested:
        extra = catalogue.get(code)
        if extra is None:
            raise ValidationError({"extras": _("Unknown extra: %(code)s.") % {"code": code}})
        per_person = extra.pricing == ExtraPricing.PERSON
        count = quantity if quantity else (attendees if per_person else None)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValidationError({"extras": _("Give a quantity of at least 1 for each extra.")})
        net = euros(extra.price * count)
        lines.append(
            PriceLine(
                kind=EXTRA,
                code=code,
                names=extra.names(),
                start=start,
                end=end,
                quantity=Decimal(count),
                unit=Unit.PERSON if per_person else Unit.PIECE,
                unit_price=extra.price,
                vat_code=extra.vat_code,
                vat_rate=None,
                net=net,
                vat=ZERO,
                gross=net,
            )
        )
    return lines


def quote(
    *,
    room: Room,
    start: datetime,
    end: datetime,
    extras: Iterable[RequestedExtra] = (),
    customer: Customer | None = None,
    business_id: str = "",
    attendees: int | None = None,
) -> Quote:
    """Price lines and totals by VAT rate for a room, a time and extras.

    The customer group is `member` when the customer (or the business ID given) is on the
    member list; the price list is the group's list valid on the booking's local start
    date; VAT comes from the dated table by that date. Raises ValidationError by field.
    """
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError({"start": _("Times must include a time zone.")})
    if end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    group = customer_group_for(customer=customer, business_id=business_id)
    price = room_price_on(room, group, local(start).date())
    lines = [room_line(price, room, start, end)]
    lines += extra_lines(extras, start=start, end=end, attendees=attendees)
    table, registered = vat_table(), seller_vat_registered()
    return Quote(
        customer_group=group,
        price_list_id=price.price_list_id,
        vat_registered=registered,
        lines=tuple(line.with_vat(table, registered) for line in lines),
    )


def quote_booking(booking: Booking) -> Quote:
    """The quote of a booking as it stands: its room, time, extras and customer.

    Member prices follow the customer staff confirmed, never a business ID the renter
    typed (bookings/services/customers.py); the public estimate may use that one."""
    return quote(
        room=booking.room,
        start=booking.start,
        end=booking.end,
        extras=booking.extras or (),
        customer=booking.customer if booking.customer_confirmed else None,
        attendees=booking.attendees,
    )


def room_quotes(*, rooms: Sequence[Room], start: datetime, end: datetime) -> dict[int, Quote]:
    """The external renter's quote of each room for one time, without extras, in three
    queries whatever the number of rooms (the room finder lists many at once). Rooms no
    price list prices that day are left out."""
    day = local(start).date()
    prices: dict[int, RoomPrice] = {}
    rows = (
        RoomPrice.objects.valid_on(day)
        .select_related("price_list")
        .filter(
            room__in=[room.pk for room in rooms],
            price_list__customer_group=CustomerGroup.EXTERNAL,
        )
        .order_by("price_list__valid_from")
    )
    for price in rows:  # the newest list valid that day wins, as in room_price_on
        prices[price.room_id] = price
    if not prices:
        return {}
    table, registered = vat_table(), seller_vat_registered()
    quotes = {}
    for room in rooms:
        if room.pk not in prices:
            continue
        try:
            line = room_line(prices[room.pk], room, start, end).with_vat(table, registered)
        except ValidationError:
            continue  # no VAT rate for its code that day: staff must set one; no price shown
        quotes[room.pk] = Quote(
            customer_group=CustomerGroup.EXTERNAL,
            price_list_id=prices[room.pk].price_list_id,
            vat_registered=registered,
            lines=(line,),
        )
    return quotes
