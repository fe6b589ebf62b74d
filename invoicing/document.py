"""The invoice document: what an issued invoice or credit note says, as plain frozen data.

Every renderer (the PDF, the Finvoice XML, the CSV lines, the reminder PDF) takes an
`InvoiceDocument` and returns bytes, so no renderer reads a model row or the database,
and they all show the same copied fields: amounts, references and dates agree because
they come from one object. `invoice_document` builds it from the invoice's copied fields
and its lines, which the caller has already read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from invoicing.models import Invoice, InvoiceKind, InvoiceLine, VatGroup, number_text, vat_groups
from invoicing.references import reference_format, rf_format, rf_reference
from invoicing.vat import VatCode


@dataclass(frozen=True)
class DocumentLine:
    """One line as printed (VAT Act 209 e § 6–10)."""

    position: int
    description: str
    service_start: date
    service_end: date
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_code: str
    vat_rate: Decimal | None
    net: Decimal
    vat: Decimal
    gross: Decimal
    product: str = ""  # what it sells (invoicing.ledger.Product): its ledger account

    @property
    def is_exempt(self) -> bool:
        return self.vat_code == VatCode.EXEMPT


@dataclass(frozen=True)
class Party:
    """A seller or buyer as the invoice names them."""

    name: str
    address: str
    business_id: str
    e_invoice_address: str = ""
    e_invoice_operator: str = ""

    @property
    def address_lines(self) -> list[str]:
        return [line.strip() for line in self.address.splitlines() if line.strip()]


@dataclass(frozen=True)
class InvoiceDocument:
    """An issued invoice or credit note, everything its renderers print."""

    kind: str
    year: int
    number: int
    issue_date: date
    due_date: date
    reference: str
    language: str
    seller: Party
    seller_iban: str
    seller_bic: str
    seller_vat_registered: bool
    seller_contact: str
    buyer: Party
    buyer_reference: str
    penalty_interest_rate: Decimal | None
    barcode_uses_rf: bool
    lines: tuple[DocumentLine, ...]
    total_net: Decimal
    total_vat: Decimal
    total_gross: Decimal
    credited_number: str = ""
    credited_issue_date: date | None = None
    credit_reason: str = ""
    delivery_method: str = ""
    logo: bytes | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def number_text(self) -> str:
        return number_text(self.year, self.number)

    @property
    def reference_text(self) -> str:
        return reference_format(self.reference) if self.reference else ""

    @property
    def rf_reference(self) -> str:
        return rf_reference(self.reference) if self.reference else ""

    @property
    def rf_reference_text(self) -> str:
        return rf_format(self.rf_reference) if self.reference else ""

    @property
    def vat_breakdown(self) -> list[VatGroup]:
        return vat_groups(self.lines)

    @property
    def payment_term_days(self) -> int:
        return (self.due_date - self.issue_date).days


def document_line(line: InvoiceLine) -> DocumentLine:
    return DocumentLine(
        position=line.position,
        description=line.description,
        service_start=line.service_start,
        service_end=line.service_end,
        quantity=line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        vat_code=line.vat_code,
        vat_rate=line.vat_rate,
        net=line.net,
        vat=line.vat,
        gross=line.gross,
        product=line.product,
    )


def invoice_document(
    invoice: Invoice, lines: Iterable[InvoiceLine], *, logo: bytes | None = None
) -> InvoiceDocument:
    """The document of an issued invoice from its copied fields and the lines given, in
    the order given; reads nothing from the database."""
    if (
        invoice.year is None
        or invoice.number is None
        or invoice.issue_date is None
        or invoice.due_date is None
    ):
        raise ValueError("a draft is not a document yet: issue it first")
    return InvoiceDocument(
        kind=invoice.kind,
        year=invoice.year,
        number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        reference=invoice.reference,
        language=invoice.language,
        seller=Party(
            invoice.seller_name,
            invoice.seller_address,
            invoice.seller_business_id,
            invoice.seller_e_invoice_address,
            invoice.seller_e_invoice_operator,
        ),
        seller_iban=invoice.seller_iban,
        seller_bic=invoice.seller_bic,
        seller_vat_registered=invoice.seller_vat_registered,
        seller_contact=invoice.seller_contact,
        buyer=Party(
            invoice.buyer_name,
            invoice.buyer_address,
            invoice.buyer_business_id,
            invoice.buyer_e_invoice_address,
            invoice.buyer_e_invoice_operator,
        ),
        buyer_reference=invoice.buyer_reference,
        penalty_interest_rate=invoice.penalty_interest_rate,
        barcode_uses_rf=invoice.barcode_uses_rf,
        lines=tuple(document_line(line) for line in lines),
        total_net=invoice.total_net,
        total_vat=invoice.total_vat,
        total_gross=invoice.total_gross,
        credited_number=invoice.credited_number,
        credited_issue_date=invoice.credited_issue_date,
        credit_reason=invoice.credit_reason,
        delivery_method=invoice.delivery_method,
        logo=logo,
    )


def invoice_documents(invoices: Sequence[Invoice]) -> list[InvoiceDocument]:
    """Documents of invoices whose lines were prefetched (`lines` in position order)."""
    return [invoice_document(invoice, invoice.lines.all()) for invoice in invoices]
