"""Revenue report (SPEC §2.14): per month, by room, extras and customer group, the net,
VAT and gross per VAT code of issued invoices minus credit notes.

It reads the same lines as the invoice CSV (`invoicing.exports.issued_lines`): issued
invoices and credit notes by issue date, a credit note's lines negative. So a month's
totals equal the sums of that month's CSV to the cent.

- A line is the room's when it prices room time (hours, a half day, a day): it counts on
  its booking's room. Every other line (extras) counts with room None.
- The customer group is the one the booking was priced for at approval (its price
  snapshot); a line without one takes the buyer's business ID copied on the invoice,
  matched against the member list.

One query whatever the number of months.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round, TruncMonth

from bookings.models import MemberOrganisation
from bookings.selectors.reports import month_last_day, months_between
from invoicing.exports import issued_lines
from invoicing.models import BookingPrice, CustomerGroup, Unit
from invoicing.money import ZERO

ROOM_UNITS = (Unit.HOUR, Unit.HALF_DAY, Unit.DAY)
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class RevenueRow:
    month: date
    room: str | None  # the room's slug; None for extras
    group: str  # CustomerGroup value
    vat_code: str
    net: Decimal
    vat: Decimal
    gross: Decimal


def _group() -> Coalesce:
    priced_for = BookingPrice.objects.filter(booking=OuterRef("booking_id")).values(
        "customer_group"
    )[:1]
    member = MemberOrganisation.objects.filter(business_id=OuterRef("invoice__buyer_business_id"))
    by_business_id = Case(
        When(Exists(member), then=Value(CustomerGroup.MEMBER.value)),
        default=Value(CustomerGroup.EXTERNAL.value),
        output_field=CharField(),
    )
    return Coalesce(Subquery(priced_for), by_business_id, output_field=CharField())


def _summed(field: str) -> Round:
    # Rounded in SQL: SQLite adds decimals as floats.
    return Round(Sum(field), 2, output_field=MONEY)


def revenue_report(*, first_month: date, last_month: date) -> list[RevenueRow]:
    """Rows by month, room (rooms first, by slug, then extras), group and VAT code, from
    the first to the last month given (both included). One query."""
    months = months_between(first_month, last_month)
    lines = (
        issued_lines(months[0], month_last_day(months[-1]))
        .select_related(None)
        .annotate(
            month=TruncMonth("invoice__issue_date"),
            room_slug=Case(
                When(unit__in=ROOM_UNITS, then=F("booking__room__slug")),
                default=Value(None),
                output_field=CharField(),
            ),
            group=_group(),
        )
        .values("month", "room_slug", "group", "vat_code")
        .annotate(net_sum=_summed("net"), vat_sum=_summed("vat"), gross_sum=_summed("gross"))
        .order_by()
    )
    rows = [
        RevenueRow(
            month=row["month"].replace(day=1),
            room=row["room_slug"],
            group=row["group"],
            vat_code=row["vat_code"],
            net=_euros(row["net_sum"]),
            vat=_euros(row["vat_sum"]),
            gross=_euros(row["gross_sum"]),
        )
        for row in lines
    ]
    return sorted(rows, key=lambda r: (r.month, r.room is None, r.room or "", r.group, r.vat_code))


def _euros(value: Decimal | float | None) -> Decimal:
    if value is None:
        return ZERO
    return Decimal(str(value)).quantize(CENT)


@dataclass(frozen=True)
class RevenueTotal:
    """One month's revenue, every room, extra, group and VAT code added up."""

    month: date
    net: Decimal
    vat: Decimal
    gross: Decimal


def revenue_totals(rows: Iterable[RevenueRow], months: Iterable[date]) -> list[RevenueTotal]:
    """A total for each month asked for, zero for a month without invoices."""
    sums = {month: [ZERO, ZERO, ZERO] for month in months}
    for row in rows:
        total = sums.setdefault(row.month, [ZERO, ZERO, ZERO])
        total[0] += row.net
        total[1] += row.vat
        total[2] += row.gross
    return [RevenueTotal(month, *values) for month, values in sorted(sums.items())]
