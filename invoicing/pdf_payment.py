"""The payment part of an invoice's last page: the details a payer types or scans
(IBAN, BIC, reference and its RF form, due date, amount, penalty interest), the EPC QR
code and the virtual bank barcode (Bank Bar Code Guide 5.3, EPC069-12)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from invoicing.document import InvoiceDocument
from invoicing.pdf_parts import (
    BOLD,
    FONT,
    QR_SIZE,
    amount_text,
    barcode_draw,
    date_text,
    fit,
    iban_text,
    qr_draw,
    text_left,
)
from invoicing.references import epc_qr_payload, virtual_barcode
from invoicing.vat import rate_text

LEFT = 20 * mm
VALUE_X = 68 * mm
QR_X = 160 * mm
BARCODE_TOP = 262 * mm  # top edge of the bars
ROW = 4.6 * mm

TEXT = {
    "payment": _("Payment details"),
    "payee": _("Payee"),
    "iban": _("Payee's account (IBAN)"),
    "bic": _("BIC"),
    "reference": _("Reference number"),
    "rf": _("RF reference"),
    "due": _("Due date"),
    "amount": _("Amount (EUR)"),
    "penalty": _("Penalty interest"),
    "penalty_law": _("as under the Interest Act"),
    "barcode": _("Virtual bank barcode"),
    "qr": _("Pay with a mobile banking app"),
}


def barcode_digits(invoice: InvoiceDocument) -> str:
    """The 54 digits: version 5 when the seller pays by RF reference, else version 4."""
    return virtual_barcode(
        iban=invoice.seller_iban,
        reference=invoice.reference,
        amount=invoice.total_gross,
        due_date=invoice.due_date,
        rf=invoice.barcode_uses_rf,
    )


def qr_payload(invoice: InvoiceDocument) -> str:
    return epc_qr_payload(
        bic=invoice.seller_bic,
        name=invoice.seller.name,
        iban=invoice.seller_iban,
        amount=invoice.total_gross,
        reference=invoice.rf_reference,
        due_date=invoice.due_date,
    )


def _rows(invoice: InvoiceDocument) -> list[tuple[str, str]]:
    language = invoice.language
    rate = invoice.penalty_interest_rate
    penalty = rate_text(rate, language) if rate is not None else str(TEXT["penalty_law"])
    return [
        (str(TEXT["payee"]), invoice.seller.name),
        (str(TEXT["iban"]), iban_text(invoice.seller_iban)),
        (str(TEXT["bic"]), invoice.seller_bic),
        (str(TEXT["reference"]), invoice.reference_text),
        (str(TEXT["rf"]), invoice.rf_reference_text),
        (str(TEXT["due"]), date_text(invoice.due_date)),
        (str(TEXT["amount"]), amount_text(invoice.total_gross, language)),
        (str(TEXT["penalty"]), penalty),
    ]


def payment_block_draw(
    canvas: Canvas, invoice: InvoiceDocument, *, top: float, y: Callable[[float], float]
) -> None:
    canvas.setStrokeGray(0.5)
    canvas.line(LEFT, y(top - 4 * mm), 190 * mm, y(top - 4 * mm))
    text_left(canvas, LEFT, y(top), str(TEXT["payment"]), BOLD, 9)
    for index, (label, value) in enumerate(_rows(invoice)):
        row_y = y(top + (index + 1) * ROW)
        text_left(canvas, LEFT, row_y, label, size=8)
        text_left(canvas, VALUE_X, row_y, fit(value, QR_X - VALUE_X - 4 * mm, FONT, 9), size=9)
    qr_draw(canvas, x=QR_X, y=y(top - 2 * mm + QR_SIZE), payload=qr_payload(invoice))
    text_left(canvas, QR_X, y(top + QR_SIZE + 1 * mm), str(TEXT["qr"]), size=6.5)
    digits = barcode_digits(invoice)
    barcode_draw(canvas, x=LEFT, y=y(BARCODE_TOP + 13 * mm), digits=digits)
    text_left(canvas, LEFT, y(BARCODE_TOP - 1.5 * mm), str(TEXT["barcode"]), size=6.5)
    text_left(canvas, LEFT + 6.4 * mm, y(BARCODE_TOP + 17 * mm), digits, FONT, 8)
