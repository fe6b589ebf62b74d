"""Finvoice 3.0 read back: every document the project writes validates against the
official schema (tests/data/einvoicing), says what the PDF says (amounts, references,
dates, read with pdftotext), and its VAT per rate agrees to the cent with its rows."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bookings.schedule import HELSINKI
from invoicing.document import DocumentLine, InvoiceDocument, Party, invoice_document
from invoicing.finvoice import render_finvoice, render_finvoice_batch
from invoicing.models import ReferenceForm
from invoicing.money import euros, money_text
from invoicing.services import invoice_credit, seller_settings_update
from invoicing.vat import VatCode, vat_of
from tests.invoicing.builders import approved_booking, helsinki, issued, pdf_bytes, pdf_text

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "einvoicing" / "Finvoice3.0.xsd"
MADE = datetime(2026, 3, 11, 10, 0, tzinfo=HELSINKI)


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def valid(content: bytes) -> etree._Element:
    """The parsed document, after asserting the official schema accepts it."""
    root = etree.fromstring(content)
    checker = schema()
    assert checker.validate(root), checker.error_log
    return root


def finvoice(invoice) -> etree._Element:
    document = invoice_document(invoice, invoice.lines.order_by("position"))
    return valid(render_finvoice(document, created=MADE))


def amount(element: etree._Element, path: str) -> Decimal:
    return Decimal(element.findtext(path).replace(",", "."))


def day(element: etree._Element, path: str) -> date:
    return datetime.strptime(element.findtext(path), "%Y%m%d").date()  # noqa: DTZ007


def printed(value: Decimal) -> str:
    return money_text(value, "fi")


def finnish_date(value: date) -> str:
    return f"{value.day}.{value.month}.{value.year}"


@pytest.fixture
def invoice(hall, invoicing_ready, customer):
    booking = approved_booking(
        hall,
        helsinki(2026, 3, 10, 9),
        helsinki(2026, 3, 10, 15),
        customer,
        extras=[{"code": "coffee", "quantity": 27}, {"code": "projector", "quantity": 1}],
        buyer_reference="Projekti 42",
    )
    return issued([booking], issue_date=date(2026, 3, 11))


def test_invoice_says_what_its_pdf_says(invoice):
    root = finvoice(invoice)
    text = pdf_text(pdf_bytes(invoice))

    details = root.find("InvoiceDetails")
    assert details.findtext("InvoiceTypeCode") == "INV01"
    assert details.findtext("InvoiceNumber") == "2026-0001" and "2026-0001" in text
    assert finnish_date(day(details, "InvoiceDate")) in text
    assert finnish_date(day(details, "PaymentTermsDetails/InvoiceDueDate")) in text
    for path in (
        "InvoiceTotalVatExcludedAmount",
        "InvoiceTotalVatAmount",
        "InvoiceTotalVatIncludedAmount",
    ):
        assert printed(amount(details, path)) in text, path
    assert amount(details, "InvoiceTotalVatIncludedAmount") == invoice.total_gross
    instruction = root.find("EpiDetails/EpiPaymentInstructionDetails")
    reference = instruction.find("EpiRemittanceInfoIdentifier")
    assert reference.get("IdentificationSchemeName") == "SPY"
    assert reference.text == "202600017" and "2026 00017" in text
    assert amount(instruction, "EpiInstructedAmount") == invoice.total_gross
    assert instruction.findtext("EpiInstructedAmount").endswith(
        printed(invoice.total_gross)[-3:]
    )  # exactly two decimals
    assert day(instruction, "EpiDateOptionDate") == invoice.due_date
    assert root.findtext("VirtualBankBarcode") in text
    assert root.findtext("EpiDetails/EpiPartyDetails/EpiBeneficiaryPartyDetails/EpiAccountID") == (
        "FI3715903000000776"
    )
    assert details.findtext("BuyerReferenceIdentifier") == "Projekti 42"


def test_every_row_and_rate_of_the_pdf_is_in_the_document(invoice):
    root = finvoice(invoice)
    text = pdf_text(pdf_bytes(invoice))

    rows = root.findall("InvoiceRow")
    assert len(rows) == invoice.lines.count() == 3
    for row in rows:
        assert printed(amount(row, "RowAmount")) in text
    rates = {
        spec.findtext("VatRatePercent"): spec
        for spec in root.findall("InvoiceDetails/VatSpecificationDetails")
    }
    assert set(rates) == {"0", "13,5", "25,5"}
    for spec in rates.values():
        assert printed(amount(spec, "VatBaseAmount")) in text
        assert printed(amount(spec, "VatRateAmount")) in text


def test_exempt_letting_is_stated_as_exempt_never_as_zero_rated(invoice):
    root = finvoice(invoice)

    (exempt,) = [
        spec
        for spec in root.findall("InvoiceDetails/VatSpecificationDetails")
        if spec.findtext("VatCode") == "E"
    ]
    assert "27" in exempt.findtext("VatFreeText")
    assert exempt.findtext("VatExemptionReasonCode") == "VATEX-EU-135-1"
    room_row = root.findall("InvoiceRow")[0]
    assert room_row.findtext("RowVatCode") == "E"
    assert "27" in room_row.findtext("RowFreeText")
    assert {row.findtext("RowVatCode") for row in root.findall("InvoiceRow")[1:]} == {"S"}


@pytest.mark.now("2026-03-12T10:00:00+02:00")
def test_credit_note_is_inv02_naming_the_original(invoice):
    note = invoice_credit(invoice=invoice, actor=None, reason="Tilaisuus peruttiin")

    root = finvoice(note)

    details = root.find("InvoiceDetails")
    assert details.findtext("InvoiceTypeCode") == "INV02"
    assert details.findtext("OriginalInvoiceNumber") == "2026-0001"
    assert day(details, "OriginalInvoiceDate") == date(2026, 3, 11)
    assert amount(details, "InvoiceTotalVatIncludedAmount") == -invoice.total_gross
    assert all(amount(row, "RowAmount") < 0 for row in root.findall("InvoiceRow"))
    assert root.find("VirtualBankBarcode") is None
    assert root.find("EpiDetails/EpiPaymentInstructionDetails/EpiRemittanceInfoIdentifier") is None
    assert "Tilaisuus peruttiin" in details.findtext("InvoiceFreeText[last()]")


def test_rf_seller_gives_the_iso_reference(hall, invoicing_ready, customer):
    seller_settings_update(actor=None, reference_form=ReferenceForm.RF)
    booking = approved_booking(hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 11), customer)
    invoice = issued([booking], issue_date=date(2026, 3, 11))

    root = finvoice(invoice)

    reference = root.find("EpiDetails/EpiPaymentInstructionDetails/EpiRemittanceInfoIdentifier")
    assert reference.get("IdentificationSchemeName") == "ISO"
    assert reference.text == "RF85202600017"
    assert "RF85 2026 0001 7" in pdf_text(pdf_bytes(invoice))


def test_seller_not_registered_for_vat_writes_no_vat(hall, invoicing_ready, customer):
    seller_settings_update(actor=None, vat_registered=False)
    booking = approved_booking(
        hall,
        helsinki(2026, 3, 10, 9),
        helsinki(2026, 3, 10, 11),
        customer,
        extras=[{"code": "coffee", "quantity": 3}],
    )
    invoice = issued([booking], issue_date=date(2026, 3, 11))

    root = finvoice(invoice)

    assert amount(root.find("InvoiceDetails"), "InvoiceTotalVatAmount") == 0
    assert {row.findtext("RowVatCode") for row in root.findall("InvoiceRow")} == {"O"}
    assert root.find("SellerPartyDetails/SellerOrganisationTaxCode") is None


def test_e_invoice_addresses_and_operators_route_the_document(hall, invoicing_ready, customer):
    seller_settings_update(
        actor=None, e_invoice_address="003723319727", e_invoice_operator="NDEAFIHH"
    )
    customer.e_invoice_address, customer.e_invoice_operator = "003715728600", "E204503"
    customer.save()
    booking = approved_booking(hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 11), customer)
    invoice = issued([booking], issue_date=date(2026, 3, 11))

    root = finvoice(invoice)

    transmission = root.find("MessageTransmissionDetails")
    assert transmission.findtext("MessageSenderDetails/FromIdentifier") == "003723319727"
    assert transmission.findtext("MessageSenderDetails/FromIntermediator") == "NDEAFIHH"
    assert transmission.findtext("MessageReceiverDetails/ToIdentifier") == "003715728600"
    assert transmission.findtext("MessageReceiverDetails/ToIntermediator") == "E204503"
    assert root.findtext("BuyerOrganisationUnitNumber") == "003715728600"
    postal = root.find("BuyerPartyDetails/BuyerPostalAddressDetails")
    assert postal.findtext("BuyerPostCodeIdentifier") == "20100"
    assert postal.findtext("BuyerTownName") == "Turku"


def batch_documents(content: bytes) -> tuple[list[etree._Element], list[etree._Element]]:
    """The envelopes and documents of a transmission file, in order."""
    body = content.split(b"?>", 1)[1]
    wrapper = etree.fromstring(b"<batch>" + body + b"</batch>")
    envelopes = [child for child in wrapper if child.tag.endswith("Envelope")]
    documents = [child for child in wrapper if child.tag == "Finvoice"]
    return envelopes, documents


def test_batch_puts_an_envelope_before_each_valid_document(hall, invoicing_ready, customer):
    invoices = [
        issued(
            [approved_booking(hall, helsinki(2026, 3, d, 9), helsinki(2026, 3, d, 11), customer)],
            issue_date=date(2026, 3, 20),
        )
        for d in (10, 11, 12)
    ]
    documents = [invoice_document(i, i.lines.order_by("position")) for i in invoices]

    content = render_finvoice_batch(documents, created=MADE)

    envelopes, finvoices = batch_documents(content)
    assert len(envelopes) == len(finvoices) == 3
    checker = schema()
    for element in finvoices:
        assert checker.validate(element), checker.error_log
    numbers = [element.findtext("InvoiceDetails/InvoiceNumber") for element in finvoices]
    assert numbers == ["2026-0001", "2026-0002", "2026-0003"]
    assert [re.findall(rb"<eb:Action>(\w+)<", etree.tostring(e)) for e in envelopes] == [
        [b"ProcessInvoice"]
    ] * 3


def test_many_awkward_rows_agree_with_the_pdf_to_the_cent(hall, invoicing_ready, customer):
    bookings = [
        approved_booking(
            hall,
            helsinki(2026, 4, 1 + offset, 9),
            helsinki(2026, 4, 1 + offset, 10),
            customer,
            extras=[
                {"code": "coffee", "quantity": 7 + offset},
                {"code": "projector", "quantity": 1 + offset % 3},
            ],
        )
        for offset in range(25)
    ]
    invoice = issued(bookings, issue_date=date(2026, 5, 4))

    root = finvoice(invoice)
    text = pdf_text(pdf_bytes(invoice)).replace("\u00a0", " ")

    for spec in root.findall("InvoiceDetails/VatSpecificationDetails"):
        rate = spec.findtext("VatRatePercent")
        rows = [r for r in root.findall("InvoiceRow") if r.findtext("RowVatRatePercent") == rate]
        assert amount(spec, "VatRateAmount") == sum(amount(r, "RowVatAmount") for r in rows)
        assert amount(spec, "VatBaseAmount") == sum(amount(r, "RowVatExcludedAmount") for r in rows)
        assert printed(amount(spec, "VatRateAmount")).replace("\u00a0", " ") in text
    assert printed(invoice.total_gross).replace("\u00a0", " ") in text


# --- A property: any rows at 25.5 % and 13.5 % with odd cents ----------------------------

SELLER = Party(
    "Perhetalo Heidekenin kannatusyhdistys ry", "Sirkkalankatu 27\n20700 Turku", "2331972-7"
)
BUYER = Party("Turun Perhetyö ry", "Esimerkkikatu 1\n20100 Turku", "1572860-0")
RATES = {VatCode.GENERAL: Decimal("25.5"), VatCode.CATERING: Decimal("13.5"), VatCode.EXEMPT: None}


def document_of(rows: list[tuple[str, int, int]]) -> InvoiceDocument:
    lines = []
    for position, (code, cents, quantity) in enumerate(rows, start=1):
        unit_price = Decimal(cents) / 100
        net = euros(unit_price * quantity)
        vat = vat_of(net, RATES[code])
        lines.append(
            DocumentLine(position, f"Rivi {position}", date(2026, 3, 2), date(2026, 3, 2),
                         Decimal(quantity), "pcs", unit_price, code, RATES[code], net, vat,
                         net + vat)
        )  # fmt: skip
    return InvoiceDocument(
        kind="invoice", year=2026, number=7, issue_date=date(2026, 3, 11),
        due_date=date(2026, 3, 25), reference="202600074", language="fi", seller=SELLER,
        seller_iban="FI3715903000000776", seller_bic="NDEAFIHH", seller_vat_registered=True,
        seller_contact="", buyer=BUYER, buyer_reference="", penalty_interest_rate=None,
        barcode_uses_rf=False, lines=tuple(lines),
        total_net=sum((line.net for line in lines), Decimal("0.00")),
        total_vat=sum((line.vat for line in lines), Decimal("0.00")),
        total_gross=sum((line.gross for line in lines), Decimal("0.00")),
    )  # fmt: skip


def row_key(row: etree._Element) -> tuple[str, str]:
    return row.findtext("RowVatRatePercent"), row.findtext("RowVatCode")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from([VatCode.GENERAL, VatCode.CATERING, VatCode.EXEMPT]),
            st.integers(min_value=1, max_value=99_999),
            st.integers(min_value=1, max_value=40),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_vat_per_rate_is_the_sum_of_its_rows_to_the_cent(rows):
    document = document_of(rows)

    root = valid(render_finvoice(document, created=timezone.now()))

    specs = root.findall("InvoiceDetails/VatSpecificationDetails")
    all_rows = root.findall("InvoiceRow")
    for spec in specs:
        rate, code = spec.findtext("VatRatePercent"), spec.findtext("VatCode")
        same = [r for r in all_rows if row_key(r) == (rate, code)]
        assert amount(spec, "VatRateAmount") == sum(amount(r, "RowVatAmount") for r in same)
        assert amount(spec, "VatBaseAmount") == sum(amount(r, "RowVatExcludedAmount") for r in same)
    details = root.find("InvoiceDetails")
    assert amount(details, "InvoiceTotalVatAmount") == sum(
        amount(s, "VatRateAmount") for s in specs
    )
    assert amount(details, "InvoiceTotalVatIncludedAmount") == sum(
        amount(r, "RowAmount") for r in all_rows
    )
    assert amount(root, "EpiDetails/EpiPaymentInstructionDetails/EpiInstructedAmount") == (
        document.total_gross
    )
