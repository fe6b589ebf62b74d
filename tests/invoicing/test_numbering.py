"""Invoice numbers: consecutive per year with no gaps or duplicates, even when many
accountants issue at once or an issue fails after taking its number (SPEC §2.7).

Real threads, each with its own database connection, against the configured database:
PostgreSQL queues the issuers on the locked counter row; SQLite serialises them with
BEGIN IMMEDIATE. The suite runs this on both.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from invoicing.models import Invoice, InvoiceCounter, InvoiceStatus
from invoicing.services import invoice_create_draft, invoice_issue
from tests.invoicing.builders import approved_booking, helsinki

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16


def drafts(hall, customer, count: int) -> list[Invoice]:
    first = date(2026, 3, 2)
    result = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        booking = approved_booking(
            hall,
            helsinki(day.year, day.month, day.day, 9),
            helsinki(day.year, day.month, day.day, 11),
            customer,
        )
        result.append(invoice_create_draft(bookings=[booking], actor=None))
    return result


def issue_at_once(invoices: list[Invoice], issue_date: date) -> list[str]:
    barrier = threading.Barrier(len(invoices))
    outcomes = [""] * len(invoices)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            invoice_issue(invoice=invoices[index], actor=None, issue_date=issue_date)
            outcomes[index] = "issued"
        except Exception as error:  # reported in the assertion below
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(len(invoices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_sixteen_issuing_at_once_get_consecutive_numbers(hall, invoicing_ready, customer):
    pending = drafts(hall, customer, THREADS)

    outcomes = issue_at_once(pending, date(2026, 3, 31))

    assert outcomes == ["issued"] * THREADS
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == list(range(1, THREADS + 1))
    references = set(Invoice.objects.values_list("reference", flat=True))
    assert len(references) == THREADS
    assert InvoiceCounter.objects.get(year=2026).last_number == THREADS


def test_an_issue_that_fails_after_taking_a_number_leaves_no_gap(
    hall, invoicing_ready, customer, monkeypatch
):
    first, second = drafts(hall, customer, 2)

    def printer_on_fire(*args, **kwargs):
        raise RuntimeError("the PDF could not be made")

    monkeypatch.setattr("invoicing.services.issuing.render_invoice_pdf", printer_on_fire)
    with pytest.raises(RuntimeError):
        invoice_issue(invoice=first, actor=None, issue_date=date(2026, 3, 31))
    monkeypatch.undo()

    first.refresh_from_db()
    assert (first.status, first.number) == (InvoiceStatus.DRAFT, None)
    assert not InvoiceCounter.objects.filter(last_number__gt=0).exists()
    assert invoice_issue(invoice=second, actor=None, issue_date=date(2026, 3, 31)).number == 1
    assert invoice_issue(invoice=first, actor=None, issue_date=date(2026, 3, 31)).number == 2


def test_each_year_has_its_own_series(hall, invoicing_ready, customer):
    december, january, later = drafts(hall, customer, 3)

    last_of_2026 = invoice_issue(invoice=december, actor=None, issue_date=date(2026, 12, 31))
    first_of_2027 = invoice_issue(invoice=january, actor=None, issue_date=date(2027, 1, 1))
    second_of_2027 = invoice_issue(invoice=later, actor=None, issue_date=date(2027, 1, 2))

    assert [last_of_2026.number_text, first_of_2027.number_text, second_of_2027.number_text] == [
        "2026-0001",
        "2027-0001",
        "2027-0002",
    ]
    assert first_of_2027.reference != last_of_2026.reference
