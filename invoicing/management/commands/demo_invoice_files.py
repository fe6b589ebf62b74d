"""`python manage.py demo_invoice_files [--out DIR]`: after `seed_demo`, one demo invoice
to an e-invoicing customer as a Finvoice 3.0 document, and a payment reminder PDF of an
overdue demo invoice, written to files whose paths are printed.

It issues (once) two invoices of the demo customers' past approved bookings, dated so
that one is overdue, and adds a demo reference rate for any half-year the reminder's
interest needs that accounting has not entered (printed, to be replaced with the Bank
of Finland's rate in real use)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from invoicing.document import invoice_document
from invoicing.finvoice import render_finvoice
from invoicing.models import Invoice, InvoiceBooking, InvoiceKind, InvoiceStatus, ReferenceRate
from invoicing.services import (
    invoice_create_draft,
    invoice_draft_update,
    invoice_issue,
    invoice_remind,
)

DEMO_RATE = Decimal("2.00")
MARK = "Demo:"  # on the buyer's reference, so the demo invoices are found again


def _uninvoiced(e_invoicing: bool) -> Booking | None:
    billed = InvoiceBooking.objects.filter(booking=OuterRef("pk"), active=True)
    rows = (
        Booking.objects.filter(status=BookingStatus.APPROVED, customer__isnull=False)
        .exclude(Exists(billed))
        .filter(start__lt=timezone.now())
        .select_related("customer")
        .order_by("start")
    )
    if e_invoicing:
        rows = rows.exclude(customer__e_invoice_address="").exclude(customer__e_invoice_operator="")
    return rows.first()


def _demo_invoice(label: str, *, e_invoicing: bool, issue_date: date) -> Invoice:
    existing = Invoice.objects.filter(
        buyer_reference=f"{MARK} {label}", status=InvoiceStatus.ISSUED, kind=InvoiceKind.INVOICE
    ).first()
    if existing is not None:
        return existing
    booking = _uninvoiced(e_invoicing) or _uninvoiced(False)
    if booking is None:
        raise CommandError("No past approved demo booking left to invoice: run seed_demo first.")
    draft = invoice_create_draft(bookings=[booking], actor=None)
    draft = invoice_draft_update(invoice=draft, actor=None, buyer_reference=f"{MARK} {label}")
    return invoice_issue(invoice=draft, actor=None, issue_date=issue_date)


def _demo_rates(first: date, last: date) -> list[date]:
    added = []
    for year in range(first.year, last.year + 1):
        for month in (1, 7):
            start = date(year, month, 1)
            if start > last or date(year, month + 5, 30 if month == 1 else 31) < first:
                continue
            _row, created = ReferenceRate.objects.get_or_create(
                valid_from=start, defaults={"rate": DEMO_RATE}
            )
            if created:
                added.append(start)
    return added


class Command(BaseCommand):
    help = "Write one demo Finvoice document and one demo payment reminder PDF."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", default="demo-files", help="folder to write into")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["out"])
        folder.mkdir(parents=True, exist_ok=True)
        today = timezone.localdate()
        e_invoice = _demo_invoice("e-invoice", e_invoicing=True, issue_date=today)
        document = invoice_document(e_invoice, e_invoice.lines.order_by("position"))
        finvoice = folder / f"finvoice-{e_invoice.number_text}.xml"
        finvoice.write_bytes(render_finvoice(document, created=timezone.localtime()))
        overdue = _demo_invoice("reminder", e_invoicing=False, issue_date=today - timedelta(40))
        for start in _demo_rates(overdue.due_date or today, today):
            self.stdout.write(f"Added a demo reference rate {DEMO_RATE} % from {start:%d.%m.%Y}.")
        reminder = overdue.reminders.order_by("-sequence").first()
        if reminder is None:
            reminder = invoice_remind(invoice=overdue, actor=None)
        pdf = folder / reminder.filename
        pdf.write_bytes(bytes(reminder.pdf))
        self.stdout.write(f"Finvoice 3.0 of invoice {e_invoice.number_text}: {finvoice}")
        self.stdout.write(f"Payment reminder of invoice {overdue.number_text}: {pdf}")
