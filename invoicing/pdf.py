"""The invoice PDF (SPEC §2.7): A4, in the invoice's language, with every item of VAT Act
209 e §, the Finnish payment details, the virtual bank barcode and an EPC QR code.

`render_invoice_pdf` takes an issued invoice and its lines and returns bytes; it queries
nothing, so it is called once, at issue, and the bytes are stored.

Layout, in mm from the top-left corner of the page:
- 15–38 seller (logo, name, address, Y-tunnus); right column from 110: title, page n/N,
  number, dates, reference, terms, the buyer's references.
- 40–85 × 20–110 the address window of a Finnish C5/E65 window envelope, SFS 2487
  (address field 20 mm from the left edge, ~40 mm from the top, 90 × 45 mm): the
  buyer's name and address start at 22 mm from the left and 47 mm from the top.
- from 95 the lines; then the VAT breakdown and totals; on the last page of an invoice
  the payment details from 218, the QR code, and the barcode at 262–275.
Every page repeats the header and carries `n/N`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from invoicing import pdf_parts as parts
from invoicing.models import Invoice, InvoiceLine, Unit, vat_groups
from invoicing.pdf_parts import BOLD, FONT, amount_text, date_text, text_left, text_right
from invoicing.pdf_payment import payment_block_draw
from invoicing.vat import EXEMPT_SHORT, EXEMPTION_TEXT, NOT_REGISTERED_TEXT, VatCode, rate_text

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT = 20 * mm, 190 * mm
INFO_LABEL, INFO_VALUE = 110 * mm, 148 * mm
ADDRESS_X, ADDRESS_TOP = 22 * mm, 47 * mm
TABLE_TOP_FIRST, TABLE_TOP_NEXT = 95 * mm, 48 * mm
TABLE_BOTTOM = 272 * mm
PAYMENT_TOP = 218 * mm
CREDIT_TEXT_TOP = 240 * mm
ROW_LINE = 3.7 * mm
SIZE = 8.5

TEXT = {
    "invoice": pgettext_lazy("document title", "INVOICE"),
    "credit": pgettext_lazy("document title", "CREDIT NOTE"),
    "number": _("Invoice number"),
    "date": _("Invoice date"),
    "due": _("Due date"),
    "reference": _("Reference number"),
    "terms": _("Terms of payment"),
    "terms_days": _("%(days)d days net"),
    "penalty": _("Penalty interest"),
    "penalty_law": _("as under the Interest Act"),
    "buyer_reference": _("Your reference"),
    "buyer_business_id": _("Your business ID"),
    "e_invoice": _("E-invoice address"),
    "operator": _("E-invoice operator"),
    "credits": _("Credits invoice"),
    "business_id": _("Business ID"),
    "description": _("Description"),
    "service_date": pgettext_lazy("date of the service", "Date"),
    "quantity": pgettext_lazy("column", "Qty"),
    "unit": pgettext_lazy("column", "Unit"),
    "unit_price": _("Unit price"),
    "vat_rate": _("VAT %"),
    "net": _("Without VAT"),
    "gross": pgettext_lazy("column", "Total"),
    "breakdown": _("VAT breakdown"),
    "base": _("Tax base"),
    "vat": pgettext_lazy("amount of tax", "VAT"),
    "total_net": _("Total without VAT"),
    "total_vat": _("VAT total"),
    "to_pay": _("Total to pay"),
    "credited_total": _("Total credited"),
    "exempt_row": pgettext_lazy("VAT breakdown row", "Exempt (VAT Act 27 §)"),
    "credit_text": _("This credit note credits invoice %(number)s dated %(date)s."),
    "reason": _("Reason"),
    "no_payment": _("No payment is due on a credit note."),
}


def t(key: str) -> str:
    return str(TEXT[key])


@dataclass(frozen=True)
class Row:
    line: InvoiceLine
    description: list[str]

    @property
    def height(self) -> float:
        return len(self.description) * ROW_LINE + 1.6 * mm


def render_invoice_pdf(
    invoice: Invoice, lines: Sequence[InvoiceLine], *, logo: bytes | None = None
) -> bytes:
    """The PDF of an issued invoice or credit note, in its language, as bytes."""
    parts.fonts_register()
    with translation.override(invoice.language):
        return _Document(invoice, list(lines), logo).render()


class _Document:
    def __init__(self, invoice: Invoice, lines: list[InvoiceLine], logo: bytes | None) -> None:
        self.invoice = invoice
        self.lines = lines
        self.logo = logo
        self.language = invoice.language
        self.registered = invoice.seller_vat_registered
        self.buffer = io.BytesIO()
        # invariant: no creation time or random document id, so the same invoice always
        # renders to the same bytes.
        self.canvas = Canvas(
            self.buffer, pagesize=A4, invariant=True, pageCompression=1, initialFontName=FONT
        )

    def y(self, from_top: float) -> float:
        return PAGE_HEIGHT - from_top

    def render(self) -> bytes:
        invoice = self.invoice
        title = t("credit") if invoice.is_credit_note else t("invoice")
        self.canvas.setTitle(f"{title} {invoice.number_text}")
        self.canvas.setAuthor(invoice.seller_name)
        pages = self._paginate()
        for index, rows in enumerate(pages):
            self._header(index + 1, len(pages), title)
            bottom = self._table(rows, TABLE_TOP_FIRST if index == 0 else TABLE_TOP_NEXT)
            if index == len(pages) - 1:
                self._totals(bottom)
                self._closing()
            self._footer()
            self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()

    # --- Pagination ---------------------------------------------------------------------

    def _description_width(self) -> float:
        return 58 * mm if self.registered else 90 * mm

    def _rows(self) -> list[Row]:
        width = self._description_width()
        return [
            Row(line, simpleSplit(line.description, FONT, SIZE, width) or [""])
            for line in self.lines
        ]

    def _totals_height(self) -> float:
        groups = len(vat_groups(self.lines)) if self.registered else 0
        return (groups + 9) * 4.4 * mm

    def _last_page_limit(self) -> float:
        closing = CREDIT_TEXT_TOP if self.invoice.is_credit_note else PAYMENT_TOP
        return closing - self._totals_height()

    def _paginate(self) -> list[list[Row]]:
        """Rows split over pages; the totals and payment details need room on the last."""
        pages: list[list[Row]] = [[]]
        used = TABLE_TOP_FIRST + 6 * mm
        for row in self._rows():
            if used + row.height > TABLE_BOTTOM and pages[-1]:
                pages.append([])
                used = TABLE_TOP_NEXT + 6 * mm
            pages[-1].append(row)
            used += row.height
        if used > self._last_page_limit():
            pages.append([])
        return pages

    # --- Header, address, footer --------------------------------------------------------

    def _header(self, page: int, pages: int, title: str) -> None:
        canvas, invoice = self.canvas, self.invoice
        top = 15 * mm
        if self.logo:
            image = ImageReader(io.BytesIO(self.logo))
            canvas.drawImage(
                image, LEFT, self.y(20 * mm), width=45 * mm, height=12 * mm,
                preserveAspectRatio=True, anchor="sw", mask="auto",
            )  # fmt: skip
            top = 25 * mm
        text_left(canvas, LEFT, self.y(top), invoice.seller_name, BOLD, 10)
        seller_lines = [*invoice.seller_address.splitlines()]
        seller_lines.append(f"{t('business_id')} {invoice.seller_business_id}")
        for index, text in enumerate(seller_lines[:4]):
            text_left(canvas, LEFT, self.y(top + (index + 1) * 3.6 * mm), text, size=8)
        text_left(canvas, INFO_LABEL, self.y(20 * mm), title, BOLD, 14)
        text_right(canvas, RIGHT, self.y(20 * mm), f"{page}/{pages}", size=9)
        self._info(first_page=page == 1)
        if page == 1:
            self._address()

    def _info_rows(self, first_page: bool) -> list[tuple[str, str]]:
        invoice = self.invoice
        rows = [(t("number"), invoice.number_text), (t("date"), date_text(invoice.issue_date))]
        if not first_page:
            return rows
        if invoice.is_credit_note:
            credited = f"{invoice.credited_number} ({date_text(invoice.credited_issue_date)})"
            rows.append((t("credits"), credited))
        else:
            rows += [
                (t("due"), date_text(invoice.due_date)),
                (t("reference"), invoice.reference_text),
                (t("terms"), self._terms()),
                (t("penalty"), self._penalty()),
            ]
        optional = [
            (t("buyer_reference"), invoice.buyer_reference),
            (t("buyer_business_id"), invoice.buyer_business_id),
            (t("e_invoice"), invoice.buyer_e_invoice_address),
            (t("operator"), invoice.buyer_e_invoice_operator),
        ]
        return rows + [(label, value) for label, value in optional if value]

    def _terms(self) -> str:
        issued, due = self.invoice.issue_date, self.invoice.due_date
        # Only issued invoices are rendered, and they have both dates (the model's constraint).
        days = (due - issued).days if issued is not None and due is not None else 0
        return t("terms_days") % {"days": days}

    def _penalty(self) -> str:
        rate = self.invoice.penalty_interest_rate
        return rate_text(rate, self.language) if rate is not None else t("penalty_law")

    def _info(self, first_page: bool) -> None:
        for index, (label, value) in enumerate(self._info_rows(first_page)):
            y = self.y(28 * mm + index * 4.2 * mm)
            text_left(self.canvas, INFO_LABEL, y, label, size=8)
            value_width = RIGHT - INFO_VALUE
            text_left(self.canvas, INFO_VALUE, y, parts.fit(value, value_width, FONT, 8.5))

    def _address(self) -> None:
        invoice = self.invoice
        lines = [invoice.buyer_name, *invoice.buyer_address.splitlines()]
        for index, text in enumerate(line for line in lines if line.strip()):
            if index >= 7:
                break
            y = self.y(ADDRESS_TOP + index * 4.6 * mm)
            text_left(
                self.canvas, ADDRESS_X, y, parts.fit(text.strip(), 86 * mm, FONT, 10), size=10
            )

    def _footer(self) -> None:
        invoice = self.invoice
        first = [invoice.seller_name, ", ".join(invoice.seller_address.splitlines())]
        second = [f"{t('business_id')} {invoice.seller_business_id}", invoice.seller_contact]
        self.canvas.setStrokeGray(0.6)
        self.canvas.line(LEFT, self.y(282 * mm), RIGHT, self.y(282 * mm))
        self.canvas.setFillGray(0.3)
        for index, bits in enumerate((first, second)):
            footer = parts.fit(" · ".join(bit for bit in bits if bit), RIGHT - LEFT, FONT, 7)
            text_left(self.canvas, LEFT, self.y((285.5 + index * 3.2) * mm), footer, size=7)
        self.canvas.setFillGray(0)

    # --- Lines --------------------------------------------------------------------------

    def _columns(self) -> list[tuple[str, float, str]]:
        """(label, x, alignment): x is the left edge for "l", the right edge for "r"."""
        if self.registered:
            return [
                (t("description"), LEFT, "l"),
                (t("service_date"), 80 * mm, "l"),
                (t("quantity"), 108 * mm, "r"),
                (t("unit"), 110 * mm, "l"),
                (t("unit_price"), 140 * mm, "r"),
                (t("vat_rate"), 155 * mm, "r"),
                (t("net"), 173 * mm, "r"),
                (t("gross"), RIGHT, "r"),
            ]
        return [
            (t("description"), LEFT, "l"),
            (t("service_date"), 112 * mm, "l"),
            (t("quantity"), 142 * mm, "r"),
            (t("unit"), 144 * mm, "l"),
            (t("unit_price"), 172 * mm, "r"),
            (t("gross"), RIGHT, "r"),
        ]

    def _cells(self, line: InvoiceLine) -> list[str]:
        language = self.language
        dates = date_text(line.service_start)
        if line.service_end != line.service_start:
            dates += "–"
        cells = [
            dates,
            parts.quantity_text(line.quantity, language),
            str(Unit(line.unit).label),
            amount_text(line.unit_price, language),
        ]
        if not self.registered:
            return [*cells, amount_text(line.gross, language)]
        vat = str(EXEMPT_SHORT) if line.vat_code == VatCode.EXEMPT else ""
        if line.vat_rate is not None:
            vat = rate_text(line.vat_rate, language)
        return [*cells, vat, amount_text(line.net, language), amount_text(line.gross, language)]

    def _table(self, rows: list[Row], top: float) -> float:
        canvas, columns = self.canvas, self._columns()
        for label, x, align in columns:
            (text_left if align == "l" else text_right)(canvas, x, self.y(top), label, BOLD, 7.5)
        canvas.setStrokeGray(0.5)
        canvas.line(LEFT, self.y(top + 1.8 * mm), RIGHT, self.y(top + 1.8 * mm))
        used = top + 6 * mm
        for row in rows:
            for index, text in enumerate(row.description):
                text_left(canvas, LEFT, self.y(used + index * ROW_LINE), text)
            for (_label, x, align), text in zip(columns[1:], self._cells(row.line), strict=True):
                (text_left if align == "l" else text_right)(canvas, x, self.y(used), text)
            used += row.height
        return used

    # --- Totals and closing -------------------------------------------------------------

    def _totals(self, top: float) -> None:
        canvas, language, invoice = self.canvas, self.language, self.invoice
        canvas.line(LEFT, self.y(top - 2 * mm), RIGHT, self.y(top - 2 * mm))
        y = top + 3 * mm
        if self.registered:
            y = self._breakdown(y)
        else:
            text_left(canvas, LEFT, self.y(y), str(NOT_REGISTERED_TEXT), BOLD, 8.5)
            y += 6 * mm
        final = t("credited_total") if invoice.is_credit_note else t("to_pay")
        rows = [(t("total_net"), invoice.total_net), (t("total_vat"), invoice.total_vat)]
        if not self.registered:
            rows = []
        for label, amount in rows:
            text_left(canvas, 100 * mm, self.y(y), label)
            text_right(canvas, RIGHT, self.y(y), amount_text(amount, language))
            y += 4.4 * mm
        text_left(canvas, 100 * mm, self.y(y), f"{final} (EUR)", BOLD, 10)
        text_right(canvas, RIGHT, self.y(y), amount_text(invoice.total_gross, language), BOLD, 10)

    def _breakdown(self, y: float) -> float:
        canvas, language = self.canvas, self.language
        text_left(canvas, LEFT, self.y(y), t("breakdown"), BOLD, 8.5)
        heads = [(t("base"), 150 * mm), (t("vat"), 170 * mm), (t("gross"), RIGHT)]
        text_left(canvas, 70 * mm, self.y(y), t("vat_rate"), BOLD, 7.5)
        for label, x in heads:
            text_right(canvas, x, self.y(y), label, BOLD, 7.5)
        exempt = False
        for group in vat_groups(self.lines):
            y += 4.4 * mm
            if group.vat_rate is None:
                exempt = True
                label = t("exempt_row")
            else:
                label = rate_text(group.vat_rate, language)
            text_left(canvas, 70 * mm, self.y(y), label)
            for amount, (_label, x) in zip((group.net, group.vat, group.gross), heads, strict=True):
                text_right(canvas, x, self.y(y), amount_text(amount, language))
        y += 5 * mm
        if exempt:
            # VAT Act 209 e § 11: the exemption and its legal reference.
            text_left(canvas, LEFT, self.y(y), str(EXEMPTION_TEXT))
            y += 5 * mm
        return y + 2 * mm

    def _closing(self) -> None:
        invoice = self.invoice
        if not invoice.is_credit_note:
            payment_block_draw(self.canvas, invoice, top=PAYMENT_TOP, y=self.y)
            return
        credited = {
            "number": invoice.credited_number,
            "date": date_text(invoice.credited_issue_date),
        }
        lines = [t("credit_text") % credited]
        if invoice.credit_reason:
            lines.append(f"{t('reason')}: {invoice.credit_reason}")
        lines.append(t("no_payment"))
        y = CREDIT_TEXT_TOP
        for text in lines:
            for part in simpleSplit(text, FONT, 9, RIGHT - LEFT):
                text_left(self.canvas, LEFT, self.y(y), part, size=9)
                y += 4.6 * mm
