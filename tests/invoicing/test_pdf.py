"""The invoice PDF read back by real tools: pdftotext finds every item of VAT Act
209 e § and the payment details; zbarimg reads, from a 200 dpi rendering, the Code 128
as exactly the printed 54 digits and the QR code as the EPC payload."""

from __future__ import annotations

import re
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation

from invoicing.document import invoice_document
from invoicing.models import ReferenceForm
from invoicing.pdf import render_invoice_pdf
from invoicing.pdf_payment import barcode_digits, qr_payload
from invoicing.references import epc_qr_payload, virtual_barcode
from invoicing.services import invoice_credit, seller_settings_update
from tests.invoicing.builders import (
    approved_booking,
    helsinki,
    issued,
    page_count,
    pdf_bytes,
    pdf_text,
    scan,
    tool,
)

pytestmark = pytest.mark.django_db

ISSUED_ON = date(2026, 3, 11)


def translated(language: str, text: str) -> str:
    with translation.override(language):
        return str(translation.gettext(text))


@pytest.fixture
def invoice(hall, invoicing_ready, customer):
    booking = approved_booking(
        hall,
        helsinki(2026, 3, 10, 9),
        helsinki(2026, 3, 10, 15),
        customer,
        extras=[{"code": "coffee", "quantity": 20}],
        buyer_reference="Projekti 42",
    )
    return issued([booking], issue_date=ISSUED_ON)


def test_pdf_shows_every_item_of_vat_act_209e(invoice):
    text = pdf_text(pdf_bytes(invoice))

    expected = [
        "11.3.2026",  # 1. issue date
        "2026-0001",  # 2. unique number of a consecutive series
        "2331972-7",  # 3. seller's Y-tunnus
        "Perhetalo Heidekenin kannatusyhdistys ry",  # 5. seller's name and address
        "Sirkkalankatu 27",
        "20700 Turku",
        "Turun Perhetyö ry",  # 5. buyer's name and address
        "Esimerkkikatu 1",
        "20100 Turku",
        "Juhlasali",  # 6. nature of the service
        "10.3.2026",  # 7. date of the service
        "45,00",  # 8. unit price without VAT (hourly rate)
        "4,80",
        "270,00",  # 8. tax base of the exempt letting
        "96,00",  # 8. tax base at 13.5 %
        "13,5 %",  # 9. rate
        "12,96",  # 10. VAT in euros
        "378,96",  # total
    ]
    missing = [item for item in expected if item not in text]
    assert not missing, text
    assert re.search(r"\b6\s+h\b", text)  # 6. quantity and unit
    assert re.search(r"\b20\s+\S+\s+4,80", text)  # 20 persons × 4.80
    exemption = translated(
        "fi", "VAT exempt: letting of immovable property (Finnish VAT Act s. 27)"
    )
    assert exemption in text  # 11. exemption with its legal reference


def test_pdf_shows_the_payment_details(invoice):
    text = pdf_text(pdf_bytes(invoice))

    assert invoice.reference == "202600017"
    for item in [
        "FI37 1590 3000 0007 76",  # IBAN
        "NDEAFIHH",  # BIC
        "2026 00017",  # reference, in groups of five
        "RF85 2026 0001 7",  # its RF form
        "25.3.2026",  # due date, 14 days net
        "378,96",  # amount
        "Projekti 42",  # the buyer's reference
        translated("fi", "Penalty interest"),
        translated("fi", "as under the Interest Act"),
    ]:
        assert item in text, item


def test_scanner_reads_the_printed_barcode_and_the_epc_qr_code(invoice):
    content = pdf_bytes(invoice)
    printed = re.findall(r"\b\d{54}\b", pdf_text(content))

    (code128,) = scan(content, "code128")
    (qr,) = scan(content, "qrcode")

    expected = virtual_barcode(
        iban="FI3715903000000776",
        reference="202600017",
        amount=invoice.total_gross,
        due_date=date(2026, 3, 25),
    )
    assert printed == [expected]
    assert code128 == expected
    assert code128.startswith("4")  # version 4: Finnish reference
    assert qr == epc_qr_payload(
        bic="NDEAFIHH",
        name="Perhetalo Heidekenin kannatusyhdistys ry",
        iban="FI3715903000000776",
        amount=invoice.total_gross,
        reference="RF85202600017",
        due_date=date(2026, 3, 25),
    )


def test_rf_reference_seller_prints_barcode_version_5(hall, invoicing_ready, customer):
    seller_settings_update(actor=None, reference_form=ReferenceForm.RF)
    booking = approved_booking(hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 11), customer)

    invoice = issued([booking], issue_date=ISSUED_ON)

    (code128,) = scan(pdf_bytes(invoice), "code128")
    assert code128 == barcode_digits(invoice_document(invoice, []))
    assert code128[0] == "5" and code128[25:27] == "85"


def test_swedish_invoice_with_a_non_ascii_payee_scans_as_utf8(
    hall, invoicing_ready, member_customer
):
    seller_settings_update(actor=None, name="Föreningen Perhetalo Heideken rf")
    booking = approved_booking(
        hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 11), member_customer
    )

    invoice = issued([booking], issue_date=ISSUED_ON)

    content = pdf_bytes(invoice)
    assert invoice.language == "sv"
    assert translated("sv", "Due date") in pdf_text(content)
    (qr,) = scan(content, "qrcode")
    assert qr == qr_payload(invoice_document(invoice, []))
    assert "Föreningen Perhetalo Heideken rf" in qr


def test_fonts_are_embedded(invoice):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "invoice.pdf"
        path.write_bytes(pdf_bytes(invoice))
        fonts = subprocess.run(  # noqa: S603
            [tool("pdffonts"), str(path)], capture_output=True, check=True, text=True
        ).stdout.splitlines()[2:]
    assert fonts
    assert all(re.search(r"\byes\s+yes\b", font) for font in fonts), fonts


def test_rendering_queries_nothing(invoice, django_assert_num_queries):
    lines = list(invoice.lines.all())

    with django_assert_num_queries(0):
        content = render_invoice_pdf(invoice_document(invoice, lines))

    assert content.startswith(b"%PDF")
    assert content == pdf_bytes(invoice)  # the same invoice renders to the same bytes


def test_long_invoice_repeats_the_header_and_numbers_the_pages(hall, invoicing_ready, customer):
    first = date(2026, 4, 1)
    bookings = [
        approved_booking(
            hall,
            helsinki(day.year, day.month, day.day, 9),
            helsinki(day.year, day.month, day.day, 11),
            customer,
            extras=[{"code": "coffee", "quantity": 10}],
        )
        for day in (first + timedelta(days=offset) for offset in range(45))
    ]

    invoice = issued(bookings, issue_date=date(2026, 6, 1))

    content = pdf_bytes(invoice)
    pages = pdf_text(content).split("\f")[:-1]
    assert len(pages) == page_count(content) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"{number}/{len(pages)}" in page
        assert "2026-0001" in page and "1.6.2026" in page
    assert sum(page.count("Juhlasali") for page in pages) == 45
    # 45 × (2 h × 45 € exempt + 10 coffees × 4.80 € + 13.5 % VAT) = 4 050 + 2 160 + 291.60
    total = pages[-1].replace("\u00a0", " ")
    assert "4 050,00" in total and "2 160,00" in total and "291,60" in total
    assert "6 501,60" in total
    (code128,) = scan(content, "code128")
    assert code128 == barcode_digits(invoice_document(invoice, []))


@pytest.mark.now("2026-03-12T10:00:00+02:00")  # the day after the invoice was issued
def test_credit_note_refers_to_the_original_and_has_no_barcode(invoice):
    note = invoice_credit(invoice=invoice, actor=None, reason="Tilaisuus peruttiin")

    content = pdf_bytes(note)
    text = pdf_text(content)
    assert note.number_text == "2026-0002"
    assert "2026-0001" in text and "11.3.2026" in text
    assert "-378,96" in text and "-12,96" in text and "-270,00" in text
    assert "Tilaisuus peruttiin" in text
    assert not re.search(r"\b\d{54}\b", text)
    assert scan(content, "code128") == []
    assert scan(content, "qrcode") == []
