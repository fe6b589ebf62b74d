"""The payment reminder PDF (maksumuistutus): A4 in the invoice's language, naming the
original invoice, what is open, the penalty interest so far (Interest Act 4 § or 4 a §),
the reminder fee and the payment details with a new due date and the bank barcode.

`render_reminder_pdf` takes a `ReminderDocument` and returns bytes; it reads no model.
The buyer's address sits in the same envelope window as on the invoice (SFS 2487).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from invoicing import pdf_parts as parts
from invoicing.document import InvoiceDocument
from invoicing.pdf_parts import BOLD, FONT, amount_text, date_text, iban_text, text_left, text_right
from invoicing.references import virtual_barcode
from invoicing.vat import rate_text

PAGE_HEIGHT = A4[1]
LEFT, RIGHT = 20 * mm, 190 * mm
INFO_LABEL, INFO_VALUE = 110 * mm, 150 * mm

TEXT = {
    "title": pgettext_lazy("document title", "PAYMENT REMINDER"),
    "business_id": _("Business ID"),
    "date": _("Date"),
    "number": _("Reminder"),
    "invoice": _("Invoice number"),
    "invoice_date": _("Invoice date"),
    "invoice_due": _("Original due date"),
    "reference": _("Reference number"),
    "body": _(
        "According to our records invoice %(number)s dated %(date)s, due on %(due)s, is "
        "still unpaid. Please pay the amount below by %(new_due)s. If you have paid "
        "already, please disregard this reminder."
    ),
    "original": _("Invoice total"),
    "paid": _("Paid"),
    "open": _("Open"),
    "interest": _("Penalty interest %(rate)s for %(days)d days (%(law)s)"),
    "interest_fixed": _("Penalty interest %(rate)s for %(days)d days"),
    "law_consumer": _("Interest Act 4 §"),
    "law_business": _("Interest Act 4 a §"),
    "fee": _("Reminder fee"),
    "total": _("Total to pay (EUR)"),
    "payment": _("Payment details"),
    "payee": _("Payee"),
    "iban": _("Payee's account (IBAN)"),
    "bic": _("BIC"),
    "rf": _("RF reference"),
    "due": _("Due date"),
    "barcode": _("Virtual bank barcode"),
}


def t(key: str) -> str:
    return str(TEXT[key])


@dataclass(frozen=True)
class ReminderDocument:
    """A reminder of an issued invoice, everything its PDF prints."""

    invoice: InvoiceDocument
    sequence: int
    reminded_on: date
    due_date: date
    paid: Decimal
    open_amount: Decimal
    interest_days: int
    interest_rate: Decimal
    interest: Decimal
    interest_fixed: bool
    business_buyer: bool
    fee: Decimal
    total: Decimal

    @property
    def barcode(self) -> str:
        return virtual_barcode(
            iban=self.invoice.seller_iban,
            reference=self.invoice.reference,
            amount=self.total,
            due_date=self.due_date,
            rf=self.invoice.barcode_uses_rf,
        )


def render_reminder_pdf(document: ReminderDocument) -> bytes:
    """The reminder as bytes, in the invoice's language."""
    parts.fonts_register()
    with translation.override(document.invoice.language):
        return _Reminder(document).render()


class _Reminder:
    def __init__(self, document: ReminderDocument) -> None:
        self.document = document
        self.invoice = document.invoice
        self.language = document.invoice.language
        self.buffer = io.BytesIO()
        self.canvas = Canvas(
            self.buffer, pagesize=A4, invariant=True, pageCompression=1, initialFontName=FONT
        )

    def y(self, from_top: float) -> float:
        return PAGE_HEIGHT - from_top

    def render(self) -> bytes:
        self.canvas.setTitle(f"{t('title')} {self.invoice.number_text}")
        self.canvas.setAuthor(self.invoice.seller.name)
        self._header()
        self._address()
        bottom = self._body(100 * mm)
        self._amounts(bottom + 6 * mm)
        self._payment(205 * mm)
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()

    def _header(self) -> None:
        seller, canvas = self.invoice.seller, self.canvas
        text_left(canvas, LEFT, self.y(15 * mm), seller.name, BOLD, 10)
        lines = [*seller.address_lines, f"{t('business_id')} {seller.business_id}"]
        for index, line in enumerate(lines[:4]):
            text_left(canvas, LEFT, self.y((18.6 + index * 3.6) * mm), line, size=8)
        text_left(canvas, INFO_LABEL, self.y(20 * mm), t("title"), BOLD, 14)
        document = self.document
        rows = [
            (t("date"), date_text(document.reminded_on)),
            (t("number"), str(document.sequence)),
            (t("invoice"), self.invoice.number_text),
            (t("invoice_date"), date_text(self.invoice.issue_date)),
            (t("invoice_due"), date_text(self.invoice.due_date)),
            (t("reference"), self.invoice.reference_text),
        ]
        for index, (label, value) in enumerate(rows):
            y = self.y(28 * mm + index * 4.2 * mm)
            text_left(canvas, INFO_LABEL, y, label, size=8)
            text_left(canvas, INFO_VALUE, y, value)

    def _address(self) -> None:
        buyer = self.invoice.buyer
        for index, line in enumerate([buyer.name, *buyer.address_lines][:7]):
            text = parts.fit(line, 86 * mm, FONT, 10)
            text_left(self.canvas, 22 * mm, self.y(47 * mm + index * 4.6 * mm), text, size=10)

    def _body(self, top: float) -> float:
        document = self.document
        text = t("body") % {
            "number": self.invoice.number_text,
            "date": date_text(self.invoice.issue_date),
            "due": date_text(self.invoice.due_date),
            "new_due": date_text(document.due_date),
        }
        y = top
        for part in simpleSplit(text, FONT, 9.5, RIGHT - LEFT):
            text_left(self.canvas, LEFT, self.y(y), part, size=9.5)
            y += 4.8 * mm
        return y

    def _interest_label(self) -> str:
        document = self.document
        values = {
            "rate": rate_text(document.interest_rate, self.language),
            "days": document.interest_days,
            "law": t("law_business") if document.business_buyer else t("law_consumer"),
        }
        return t("interest_fixed" if document.interest_fixed else "interest") % values

    def _amounts(self, top: float) -> None:
        document, canvas, language = self.document, self.canvas, self.language
        rows = [
            (t("original"), self.invoice.total_gross),
            (t("paid"), document.paid),
            (t("open"), document.open_amount),
            (self._interest_label(), document.interest),
            (t("fee"), document.fee),
        ]
        y = top
        for label, amount in rows:
            text_left(canvas, LEFT, self.y(y), label)
            text_right(canvas, RIGHT, self.y(y), amount_text(amount, language))
            y += 4.6 * mm
        canvas.setStrokeGray(0.5)
        canvas.line(LEFT, self.y(y - 2.8 * mm), RIGHT, self.y(y - 2.8 * mm))
        y += 1.5 * mm
        text_left(canvas, LEFT, self.y(y), t("total"), BOLD, 10)
        text_right(canvas, RIGHT, self.y(y), amount_text(document.total, language), BOLD, 10)

    def _payment(self, top: float) -> None:
        document, canvas, invoice = self.document, self.canvas, self.invoice
        text_left(canvas, LEFT, self.y(top), t("payment"), BOLD, 9)
        rows = [
            (t("payee"), invoice.seller.name),
            (t("iban"), iban_text(invoice.seller_iban)),
            (t("bic"), invoice.seller_bic),
            (t("reference"), invoice.reference_text),
            (t("rf"), invoice.rf_reference_text),
            (t("due"), date_text(document.due_date)),
            (t("total"), amount_text(document.total, self.language)),
        ]
        for index, (label, value) in enumerate(rows):
            y = self.y(top + (index + 1) * 4.6 * mm)
            text_left(canvas, LEFT, y, label, size=8)
            text_left(canvas, 68 * mm, y, parts.fit(value, 120 * mm, FONT, 9), size=9)
        digits = document.barcode
        parts.barcode_draw(canvas, x=LEFT, y=self.y(262 * mm + 13 * mm), digits=digits)
        text_left(canvas, LEFT, self.y(260.5 * mm), t("barcode"), size=6.5)
        text_left(canvas, LEFT + 6.4 * mm, self.y(279 * mm), digits, FONT, 8)
