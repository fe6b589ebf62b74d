"""Performance figures of the usage and revenue reports (issue 15, part 6).

Run with `python -m tests.perf.bench_reports` (SQLite by default, PostgreSQL when
DATABASE_URL=postgres://...). It prints figures, it does not assert: the exit code is 0
even when a target is missed, and a miss is printed as MISS.

Over 100,000 bookings (approved, with their occupancy rows, and some requests and
cancellations) in 20 rooms over the last twelve months and 10,000 issued invoices with two
lines each (room time and an extra) and 300 credit notes, through Django's test client
signed in as accounting, it measures `GET reports/usage/` and `GET reports/revenue/` for
twelve months and the reports page, against the staff week calendar of a week inside the
same data in the same run (about 1,900 entries: the house's busiest kind of week). It
prints each report's queries for one month and for twelve, which must be the same.

The data is written with bulk_create in a throwaway database made by Django's
test-database machinery and destroyed at the end.
"""

from __future__ import annotations

import sys
import time as clock
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from tests.perf import harness

harness.setup("reports")

from django.contrib.auth.models import Group, User  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from bookings.models import (  # noqa: E402
    Booking,
    BookingStatus,
    Closure,
    ClosureReason,
    Customer,
    MemberOrganisation,
    Occupancy,
    OccupancyKind,
    Room,
)
from bookings.schedule import HELSINKI  # noqa: E402
from bookings.selectors.reports import month_add  # noqa: E402
from invoicing.models import (  # noqa: E402
    BookingPrice,
    CustomerGroup,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Unit,
)
from invoicing.vat import VatCode  # noqa: E402
from tests.factories import house_hours, make_room  # noqa: E402

ROOMS = 20
BOOKINGS = 100_000
INVOICES = 10_000
CREDIT_NOTES = 300
CUSTOMERS = 50  # the first ten are members
MONTHS = 12
SLOT = timedelta(minutes=45)  # 20 slots from 7:00 to 22:00, so no booking overlaps
SLOTS_A_DAY = 20
RUNS = 5
ROUNDS = 3
MAX_RATIO = 10.0
BATCH = 5_000


def expect_ok(response: HttpResponse) -> HttpResponse:
    if response.status_code != 200:
        raise SystemExit(f"expected 200, got {response.status_code}: {response.content[:200]}")
    return response


# --- Data -------------------------------------------------------------------------------


def period() -> tuple[date, date]:
    """The twelve months before this one."""
    this_month = timezone.localdate().replace(day=1)
    return month_add(this_month, -MONTHS), month_add(this_month, -1)


def customers_build() -> list[Customer]:
    members = [f"{number:07d}" for number in range(1, 11)]
    MemberOrganisation.objects.bulk_create(
        MemberOrganisation(name=f"Jäsen {number} ry", business_id=business_id)
        for number, business_id in enumerate(members)
    )
    return Customer.objects.bulk_create(
        Customer(
            organisation=f"Asiakas {number} ry",
            # Business IDs need no valid check digit here: nothing validates bulk rows.
            business_id=members[number] if number < len(members) else f"9{number:06d}",
            contact_name="Testi Henkilö",
            email=f"asiakas{number}@example.org",
        )
        for number in range(CUSTOMERS)
    )


def bookings_build(rooms: list[Room], customers: list[Customer], first: date) -> list[Booking]:
    """Bookings of 45 minutes on the slot grid of the bookable rooms, spread evenly over
    the year's days, so that no two on one room overlap."""
    bookable = rooms[:-1]  # the last plain room is kept for closures
    days = (month_add(first, MONTHS) - first).days
    rows: list[Booking] = []
    statuses = [BookingStatus.APPROVED] * 8 + [BookingStatus.REQUESTED, BookingStatus.CANCELLED]
    placed: dict[int, int] = {}
    for index in range(BOOKINGS):
        day_index = index * days // BOOKINGS
        place = placed[day_index] = placed.get(day_index, -1) + 1
        room, slot = bookable[place % len(bookable)], place // len(bookable)
        start = datetime.combine(first + timedelta(days=day_index), time(7), tzinfo=HELSINKI)
        start += slot * SLOT
        customer = customers[index % CUSTOMERS]
        rows.append(
            Booking(
                room=room,
                start=start,
                end=start + SLOT,
                status=statuses[index % len(statuses)],
                title=f"Tilaisuus {index}",
                attendees=5,
                customer=customer,
                organisation=customer.organisation,
                business_id=customer.business_id,
                contact_name="Testi Henkilö",
                email=customer.email,
            )
        )
    Booking.objects.bulk_create(rows, batch_size=BATCH)
    kinds = {
        BookingStatus.APPROVED: OccupancyKind.APPROVED,
        BookingStatus.REQUESTED: OccupancyKind.REQUESTED,
    }
    Occupancy.objects.bulk_create(
        (
            Occupancy(space_id=b.room_id, start=b.start, end=b.end, kind=kinds[b.status], booking=b)
            for b in rows
            if b.status in kinds
        ),
        batch_size=BATCH,
    )
    return [b for b in rows if b.status == BookingStatus.APPROVED]


def closures_build(room: Room, first: date) -> None:
    closures = Closure.objects.bulk_create(
        Closure(
            start=datetime.combine(first + timedelta(days=7 * n), time(8), tzinfo=HELSINKI),
            end=datetime.combine(first + timedelta(days=7 * n), time(12), tzinfo=HELSINKI),
            reason=ClosureReason.CLEANING,
        )
        for n in range(50)
    )
    Occupancy.objects.bulk_create(
        Occupancy(space=room, start=c.start, end=c.end, kind=OccupancyKind.CLOSED, closure=c)
        for c in closures
    )


def invoice_row(number: int, booking: Booking, kind: str = InvoiceKind.INVOICE, **fields):
    day = timezone.localtime(booking.start).date()
    # Written as a numbered draft: the database refuses lines added to an issued invoice,
    # so the rows are issued once their lines are in, as issuing does.
    return Invoice(
        kind=kind,
        status=InvoiceStatus.DRAFT,
        customer_id=booking.customer_id,
        year=day.year,
        number=number,
        issue_date=fields.pop("issue_date", day),
        due_date=day + timedelta(days=14),
        reference=f"{day.year}{number:05d}",
        buyer_name=booking.organisation,
        buyer_business_id=booking.business_id,
        **fields,
    )


def lines_of(invoice: Invoice, booking: Booking, sign: int) -> list[InvoiceLine]:
    day = timezone.localtime(booking.start).date()
    room_net, coffee_net = Decimal("33.75") * sign, Decimal("24.00") * sign
    coffee_vat = Decimal("3.24") * sign
    return [
        InvoiceLine(
            invoice=invoice, position=1, booking=booking, description="Tila",
            service_start=day, service_end=day, quantity=Decimal("0.75") * sign, unit=Unit.HOUR,
            unit_price=Decimal(45), vat_code=VatCode.EXEMPT, vat_rate=None,
            net=room_net, vat=Decimal(0), gross=room_net,
        ),
        InvoiceLine(
            invoice=invoice, position=2, booking=booking, description="Kahvi",
            service_start=day, service_end=day, quantity=Decimal(5) * sign, unit=Unit.PERSON,
            unit_price=Decimal("4.80"), vat_code=VatCode.CATERING, vat_rate=Decimal("13.50"),
            net=coffee_net, vat=coffee_vat, gross=coffee_net + coffee_vat,
        ),
    ]  # fmt: skip


def invoices_build(approved: list[Booking]) -> None:
    """One invoice for each of 10,000 approved bookings spread over the year, numbered per year,
    each booking's price snapshot beside it; then credit notes of every 33rd invoice."""
    billed = approved[:: len(approved) // INVOICES][:INVOICES]
    numbers: dict[int, int] = {}

    def next_number(year: int) -> int:
        numbers[year] = numbers.get(year, 0) + 1
        return numbers[year]

    invoices = Invoice.objects.bulk_create(
        (invoice_row(next_number(b.start.year), b) for b in billed), batch_size=BATCH
    )
    BookingPrice.objects.bulk_create(
        (
            BookingPrice(
                booking=b,
                customer_group=CustomerGroup.MEMBER
                if b.business_id[:1] == "0"
                else CustomerGroup.EXTERNAL,
                room_id=b.room_id,
                start=b.start,
                end=b.end,
            )
            for b in billed
        ),
        batch_size=BATCH,
    )
    InvoiceLine.objects.bulk_create(
        (
            line
            for invoice, b in zip(invoices, billed, strict=True)
            for line in lines_of(invoice, b, 1)
        ),
        batch_size=BATCH,
    )
    credited = list(zip(invoices, billed, strict=True))[::33][:CREDIT_NOTES]
    notes = Invoice.objects.bulk_create(
        invoice_row(
            next_number(b.start.year),
            b,
            InvoiceKind.CREDIT_NOTE,
            credited_invoice=original,
            credited_number=f"{original.year}-{original.number:04d}",
            issue_date=original.issue_date + timedelta(days=3),
        )
        for original, b in credited
    )
    InvoiceLine.objects.bulk_create(
        line
        for note, (_original, b) in zip(notes, credited, strict=True)
        for line in lines_of(note, b, -1)
    )
    Invoice.objects.filter(status=InvoiceStatus.DRAFT).update(status=InvoiceStatus.ISSUED)


def build() -> tuple[Client, date, date, date]:
    began = clock.perf_counter()
    first, last = period()
    house_hours()
    plain = [make_room(capacity=20) for _ in range(ROOMS - 2)]
    make_room(capacity=40, parts=plain[0:2])  # two combined rooms among the 20
    make_room(capacity=40, parts=plain[16:18])  # one of them with the closed room
    customers = customers_build()
    approved = bookings_build(plain, customers, first)
    closures_build(plain[-1], first)
    invoices_build(approved)
    user = User.objects.create_user("bench-accounting", "bench@example.org", "unused")
    user.groups.add(Group.objects.get_or_create(name="Accounting")[0])
    client = Client()
    client.force_login(user)
    busy_week = first + timedelta(days=7 * 20 - first.weekday())
    print(
        f"data: {Booking.objects.count():,} bookings, {Occupancy.objects.count():,} occupancy "
        f"rows, {Invoice.objects.count():,} invoices and credit notes, "
        f"{InvoiceLine.objects.count():,} lines; built in {clock.perf_counter() - began:.1f} s"
    )
    return client, first, last, busy_week


# --- Measuring ----------------------------------------------------------------------------


def measure(client: Client, first: date, last: date, week: date) -> dict[str, harness.Figure]:
    months = {"from": f"{first:%Y-%m}", "to": f"{last:%Y-%m}"}
    one_month = {"from": f"{last:%Y-%m}", "to": f"{last:%Y-%m}"}
    usage_url, revenue_url = "/api/v1/reports/usage/", "/api/v1/reports/revenue/"
    page_url = reverse("frontend:staff-reports")

    runs = {
        "week calendar": lambda: expect_ok(
            client.get(reverse("frontend:staff-calendar-week"), {"date": week.isoformat()})
        ),
        "usage, 12 months": lambda: expect_ok(client.get(usage_url, months)),
        "revenue, 12 months": lambda: expect_ok(client.get(revenue_url, months)),
        "reports page, 12 months": lambda: expect_ok(
            client.get(page_url, {"first_month": months["from"], "last_month": months["to"]})
        ),
        "usage, 1 month": lambda: expect_ok(client.get(usage_url, one_month)),
        "revenue, 1 month": lambda: expect_ok(client.get(revenue_url, one_month)),
    }
    figures = {}
    for name, run in runs.items():
        figures[name] = harness.measure(run, RUNS, ROUNDS)
    shown = runs["week calendar"]().content.decode().count('class="entry entry-')
    print(f"week calendar of {week}: {shown:,} entries drawn (parts included)")
    return figures


# --- Report ---------------------------------------------------------------------------------


def report_print(figures: dict[str, harness.Figure]) -> None:
    week = figures["week calendar"]
    rows = [("week calendar, a week of the data", week, "1.00", "baseline")]
    for name in ("usage, 12 months", "revenue, 12 months", "reports page, 12 months"):
        ratio = figures[name].median_ms / week.median_ms
        verdict = f"{harness.mark(ratio <= MAX_RATIO)} x<={MAX_RATIO:g} week calendar"
        rows.append((name, figures[name], f"{ratio:.2f}", verdict))
    for report in ("usage", "revenue"):
        one, twelve = figures[f"{report}, 1 month"], figures[f"{report}, 12 months"]
        ratio = twelve.median_ms / one.median_ms
        same = harness.mark(one.queries == twelve.queries)
        rows.append((f"{report}, 1 month", one, f"{ratio:.2f}", f"{same} queries as 12 months"))
    harness.table_print(
        f"Reports benchmark: {BOOKINGS:,} bookings, {INVOICES:,} invoices, {ROOMS} rooms; "
        f"ratio = to the week calendar (12-month rows), 12 months over 1 (1-month rows)",
        rows,
    )


# --- Main -------------------------------------------------------------------------------------


def run() -> None:
    client, first, last, week = build()
    with translation.override("en"), override_settings(ALLOWED_HOSTS=["testserver"]):
        report_print(measure(client, first, last, week))


def main() -> int:
    with harness.throwaway_database():
        run()
    return 0  # a report, not a test: misses are printed, not failed


if __name__ == "__main__":
    sys.exit(main())
