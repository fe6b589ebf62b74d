"""Lines and discounts typed on drafts, and credit notes of parts of an invoice: what the
invoice, its PDF, its Finvoice and the bookkeeping CSV then say, and what is refused."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from invoicing.csv_lines import CSV_COLUMNS, render_lines_csv
from invoicing.document import invoice_document
from invoicing.ledger import ledger_accounts_from_env
from invoicing.models import Invoice, InvoiceBooking, InvoiceEvent, InvoiceLine, vat_groups
from invoicing.selectors import bookings_to_invoice, invoices_overdue, invoices_with_balance
from invoicing.selectors.reports import revenue_report
from invoicing.services import (
    CreditedAmount,
    CreditedLine,
    DraftDiscount,
    DraftLine,
    invoice_create_draft,
    invoice_credit,
    invoice_draft_delete,
    invoice_draft_discount_add,
    invoice_draft_line_add,
    invoice_draft_line_remove,
    invoice_issue,
    payment_record,
)
from tests.invoicing.builders import approved_booking, helsinki, pdf_bytes, pdf_text
from tests.invoicing.test_finvoice import finvoice

pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-03-12T10:00:00+02:00")]

CLEANING = DraftLine(
    description="Loppusiivous",
    service_start=date(2026, 3, 10),
    quantity=Decimal(2),
    unit="h",
    unit_price=Decimal("35.00"),
    vat_code="general",
)


@pytest.fixture
def draft(hall, invoicing_ready, customer):
    booking = approved_booking(
        hall,
        helsinki(2026, 3, 10, 9),
        helsinki(2026, 3, 10, 11),
        customer,
        extras=[{"code": "coffee", "quantity": 10}],
    )
    return invoice_create_draft(bookings=[booking], actor=None)


def lines_of(invoice: Invoice) -> list[InvoiceLine]:
    return list(InvoiceLine.objects.filter(invoice=invoice).order_by("position"))


def issue(draft: Invoice) -> Invoice:
    return invoice_issue(invoice=draft, actor=None, issue_date=date(2026, 3, 11))


def csv_rows(*invoices: Invoice) -> list[dict[str, str]]:
    documents = [invoice_document(i, i.lines.order_by("position")) for i in invoices]
    rows = list(csv.reader(io.StringIO(render_lines_csv(documents).decode())))
    assert rows[0] == list(CSV_COLUMNS)
    return [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]]


# --- Lines and discounts on drafts ---------------------------------------------------------


def test_a_manual_line_is_priced_with_the_vat_rate_of_its_service_date(draft):
    before = draft.total_gross

    line = invoice_draft_line_add(invoice=draft, actor=None, line=CLEANING)

    assert (line.position, line.net, line.vat_rate, line.vat) == (
        3,
        Decimal("70.00"),
        Decimal("25.50"),
        Decimal("17.85"),
    )
    draft.refresh_from_db()
    assert draft.total_gross == before + Decimal("87.85")
    assert InvoiceEvent.objects.filter(invoice=draft, action="line_added").exists()


def test_a_line_discount_is_negative_with_the_vat_of_the_line_it_discounts(draft):
    coffee = lines_of(draft)[1]

    (discount,) = invoice_draft_discount_add(
        invoice=draft, actor=None, discount=DraftDiscount(percent=Decimal(10), position=2)
    )

    assert (discount.vat_code, discount.vat_rate) == (coffee.vat_code, coffee.vat_rate)
    assert discount.net == -Decimal("4.80") and discount.description.startswith("Alennus 10")
    draft.refresh_from_db()
    groups = {g.vat_code: g for g in vat_groups(lines_of(draft))}
    assert groups["catering"].net == coffee.net - Decimal("4.80")
    assert draft.total_net == sum(line.net for line in lines_of(draft))


def test_a_discount_of_the_whole_draft_takes_from_each_vat_rate(draft):
    rows = invoice_draft_discount_add(
        invoice=draft, actor=None, discount=DraftDiscount(percent=Decimal(50))
    )

    assert sorted(row.vat_code for row in rows) == ["catering", "exempt"]
    draft.refresh_from_db()
    assert draft.total_net == Decimal("69.00")  # half of 138.00


def test_a_discount_never_takes_more_than_it_discounts(draft):
    with pytest.raises(ValidationError, match="more than what it discounts"):
        invoice_draft_discount_add(
            invoice=draft,
            actor=None,
            discount=DraftDiscount(amount=Decimal("500.00"), vat_code="exempt"),
        )
    assert len(lines_of(draft)) == 2


def test_removing_a_manual_line_takes_its_discounts_and_a_booking_line_is_refused(draft):
    line = invoice_draft_line_add(invoice=draft, actor=None, line=CLEANING)
    invoice_draft_discount_add(
        invoice=draft, actor=None, discount=DraftDiscount(percent=Decimal(20), position=3)
    )

    invoice_draft_line_remove(invoice=draft, actor=None, position=line.position)

    assert [row.position for row in lines_of(draft)] == [1, 2]
    draft.refresh_from_db()
    assert draft.total_gross == Decimal("144.48")
    with pytest.raises(ValidationError, match="goes with its booking"):
        invoice_draft_line_remove(invoice=draft, actor=None, position=1)


def test_a_draft_with_typed_lines_can_still_be_deleted(draft):
    invoice_draft_line_add(invoice=draft, actor=None, line=CLEANING)

    invoice_draft_delete(invoice=draft, actor=None)

    assert not Invoice.objects.filter(pk=draft.pk).exists()


def test_bad_lines_are_refused_with_a_message_per_field(draft):
    bad = DraftLine(
        description=" ",
        service_start=date(2026, 3, 10),
        service_end=date(2026, 3, 9),
        quantity=Decimal(0),
        unit="litre",
        unit_price=Decimal("-5"),
        vat_code="luxury",
    )
    with pytest.raises(ValidationError) as error:
        invoice_draft_line_add(invoice=draft, actor=None, line=bad)
    assert set(error.value.message_dict) == {
        "description",
        "service_end",
        "quantity",
        "unit",
        "unit_price",
        "vat_code",
    }
    assert len(lines_of(draft)) == 2


def test_an_issued_invoice_takes_no_lines_discounts_or_removals(draft):
    invoice = issue(draft)
    for call in (
        lambda: invoice_draft_line_add(invoice=invoice, actor=None, line=CLEANING),
        lambda: invoice_draft_discount_add(
            invoice=invoice, actor=None, discount=DraftDiscount(percent=Decimal(10))
        ),
        lambda: invoice_draft_line_remove(invoice=invoice, actor=None, position=1),
    ):
        with pytest.raises(ValidationError, match="never changes"):
            call()
    assert len(lines_of(invoice)) == 2


def test_a_discount_prints_as_a_negative_line_and_passes_the_finvoice_schema(draft):
    invoice_draft_line_add(invoice=draft, actor=None, line=CLEANING)
    invoice_draft_discount_add(
        invoice=draft, actor=None, discount=DraftDiscount(percent=Decimal(10), position=3)
    )
    invoice = issue(draft)

    text = pdf_text(pdf_bytes(invoice))
    assert "Alennus 10" in text and "-7,00" in text
    root = finvoice(invoice)  # asserts the official schema
    assert len(root.findall("InvoiceRow")) == 4


# --- Partial credit notes ------------------------------------------------------------------


def test_crediting_one_line_leaves_the_rest_owed_and_the_bookings_billed(draft):
    invoice = issue(draft)

    note = invoice_credit(
        invoice=invoice, actor=None, reason="Kahvit puuttuivat", lines=[CreditedLine(2)]
    )

    assert note.total_gross == Decimal("-54.48")  # the coffee: 48.00 and 13.5 % VAT
    (credited,) = lines_of(note)
    assert credited.credited_line == lines_of(invoice)[1]
    row = invoices_with_balance().get(pk=invoice.pk)
    assert (row.credited, row.credited_amount, row.owed) == (
        False,
        Decimal("54.48"),
        Decimal("90.00"),
    )
    assert InvoiceBooking.objects.get(invoice=invoice).active
    assert invoices_overdue(today=date(2026, 4, 30)).filter(pk=invoice.pk).exists()
    with pytest.raises(ValidationError, match="already credited"):
        invoice_credit(invoice=invoice, actor=None, reason="Uudestaan", lines=[CreditedLine(2)])


def test_a_partial_quantity_credits_its_share(draft):
    invoice = issue(draft)

    note = invoice_credit(
        invoice=invoice,
        actor=None,
        reason="Neljä kahvia vähemmän",
        lines=[CreditedLine(2, quantity=Decimal(4))],
    )

    (line,) = lines_of(note)
    assert (line.quantity, line.net) == (Decimal("-4.000"), Decimal("-19.20"))


def test_amounts_by_vat_rate_never_exceed_what_is_left(draft):
    invoice = issue(draft)
    exempt = CreditedAmount("exempt", None, Decimal("50.00"))

    invoice_credit(invoice=invoice, actor=None, reason="Hinnanalennus", amounts=[exempt])
    with pytest.raises(ValidationError, match="more than is left"):
        invoice_credit(
            invoice=invoice,
            actor=None,
            reason="Liikaa",
            amounts=[CreditedAmount("exempt", None, Decimal("40.01"))],
        )
    assert invoice.credit_notes.count() == 1


def test_credit_notes_in_parts_until_nothing_is_left_free_the_bookings(draft):
    invoice = issue(draft)
    catering = lines_of(invoice)[1]
    payment_record(invoice=invoice, amount=Decimal("20.00"), paid_on=date(2026, 3, 12), actor=None)

    part = invoice_credit(
        invoice=invoice,
        actor=None,
        reason="Osa",
        amounts=[CreditedAmount("catering", catering.vat_rate, Decimal("10.00"))],
    )
    rest = invoice_credit(invoice=invoice, actor=None, reason="Loput")

    assert "Hyvitys laskusta 2026-0001, ALV 13,5" in pdf_text(pdf_bytes(part))
    finvoice(part)  # an amount by VAT rate passes the official schema too

    assert sum(note.total_gross for note in invoice.credit_notes.all()) == -invoice.total_gross
    assert sum(line.vat for line in lines_of(rest)) == -(invoice.total_vat - Decimal("1.35"))
    row = invoices_with_balance().get(pk=invoice.pk)
    assert row.credited
    assert not InvoiceBooking.objects.get(invoice=invoice).active
    assert bookings_to_invoice(
        customer=invoice.customer, first_day=date(2026, 3, 1), last_day=date(2026, 3, 31)
    ).exists()
    with pytest.raises(ValidationError, match="already been credited"):
        invoice_credit(invoice=invoice, actor=None, reason="Kolmas")


def test_a_partial_credit_note_refers_to_the_original_in_pdf_and_finvoice(draft):
    invoice = issue(draft)
    note = invoice_credit(invoice=invoice, actor=None, reason="Kahvit", lines=[CreditedLine(2)])

    text = pdf_text(pdf_bytes(note))
    assert invoice.number_text in text and "11.3.2026" in text
    root = finvoice(note)
    assert root.findtext(".//OriginalInvoiceNumber") == invoice.number_text


# --- Ledger accounts and the CSV -----------------------------------------------------------


def test_csv_rows_carry_the_ledger_account_and_the_credited_number(draft):
    invoice_draft_line_add(invoice=draft, actor=None, line=CLEANING)
    invoice = issue(draft)
    note = invoice_credit(invoice=invoice, actor=None, reason="Kahvit", lines=[CreditedLine(2)])

    rows = csv_rows(invoice, note)

    assert [(r["account"], r["credits_number"]) for r in rows] == [
        ("3000", ""),
        ("3011", ""),
        ("3030", ""),
        ("3011", invoice.number_text),
    ]


def test_revenue_report_agrees_with_the_csv_after_a_partial_credit(draft):
    invoice_draft_discount_add(
        invoice=draft, actor=None, discount=DraftDiscount(percent=Decimal(15))
    )
    invoice = issue(draft)
    with pytest.raises(ValidationError, match="more than is left"):
        # The room's line is 90.00, but its discount left 76.50 of the exempt rate.
        invoice_credit(invoice=invoice, actor=None, reason="Osa", lines=[CreditedLine(1)])
    exempt = CreditedAmount("exempt", None, Decimal("76.50"))
    note = invoice_credit(invoice=invoice, actor=None, reason="Osa", amounts=[exempt])

    report = revenue_report(first_month=date(2026, 3, 1), last_month=date(2026, 3, 1))
    rows = csv_rows(invoice, note)

    assert sum(r.gross for r in report) == sum(Decimal(r["gross"]) for r in rows)
    assert sum(r.vat for r in report) == sum(Decimal(r["vat"]) for r in rows)


def test_ledger_accounts_from_the_environment_override_single_entries():
    accounts = ledger_accounts_from_env("room=3005, extra:catering=3012")
    assert (accounts["room"], accounts["extra:catering"], accounts["extra"]) == (
        "3005",
        "3012",
        "3010",
    )
    for bad in ("room", "rooms=3000", "room:luxury=3000", "room=30x0", "room=12"):
        with pytest.raises(ImproperlyConfigured, match="LEDGER_ACCOUNTS"):
            ledger_accounts_from_env(bad)
