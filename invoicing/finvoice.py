"""Finvoice 3.0 (Finance Finland), rendered from an invoice document (SPEC §2.15).

`render_finvoice` writes one document, `render_finvoice_batch` a file for the operator's
or bank's upload: each document behind its SOAP envelope (ebXML message header), as
operators take them. Both return bytes and read no model.

What Finvoice demands and operators check (the project's einvoicing README):
- no namespace, one strict element order; amounts with a decimal comma and a currency,
  the payment amount with exactly two decimals; dates CCYYMMDD;
- `INV01` an invoice, `INV02` a credit note with `OriginalInvoiceNumber` (negative
  amounts);
- VAT per rate is the sum of the rounded rows of that rate, the same figures as the PDF's
  VAT breakdown, so the rows and the breakdown agree to the cent (operators bounce an
  invoice for one cent);
- exempt letting is stated as exempt, VAT Act 27 §, with EN 16931 category `E` and the
  exemption reason `VATEX-EU-135-1`; a seller not registered for VAT writes category `O`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from lxml import etree

from invoicing.document import DocumentLine, InvoiceDocument, Party
from invoicing.pdf_payment import barcode_digits
from invoicing.vat import EXEMPTION_TEXT, NOT_REGISTERED_TEXT

XSI = "http://www.w3.org/2001/XMLSchema-instance"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
EB = "http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd"
XLINK = "http://www.w3.org/1999/xlink"
EUR = {"AmountCurrencyIdentifier": "EUR"}
CCYYMMDD = {"Format": "CCYYMMDD"}
# EN 16931 (UNTDID 5305) VAT categories and the exemption reason for letting premises
# (Directive 2006/112/EC art. 135(1)(l), VAT Act 27 §).
CATEGORY_STANDARD, CATEGORY_EXEMPT, CATEGORY_NOT_SUBJECT = "S", "E", "O"
EXEMPTION_REASON = "VATEX-EU-135-1"
POSTAL_LINE = re.compile(r"^(?:FI-)?(\d{5})\s+(.+)$")

TEXT = {
    "invoice": pgettext_lazy("document title", "INVOICE"),
    "credit": pgettext_lazy("document title", "CREDIT NOTE"),
    "terms_days": _("%(days)d days net"),
    "penalty_law": _("as under the Interest Act"),
}


def decimal_text(value: Decimal, places: int = 2) -> str:
    """`-1234,50`: Finvoice amounts carry a decimal comma and no thousands separator."""
    return f"{value:.{places}f}".replace(".", ",")


def _rate(rate: Decimal | None) -> str:
    """`25,5`; an exempt or untaxed row's rate is `0`."""
    return f"{rate.normalize():f}".replace(".", ",") if rate else "0"


def quantity_text(quantity: Decimal) -> str:
    text = f"{quantity.normalize():f}" if quantity != quantity.to_integral() else f"{quantity:.0f}"
    return text.replace(".", ",")


def date_text(day: date) -> str:
    return f"{day:%Y%m%d}"


def clipped(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def _add(parent: etree._Element, tag: str, text: str | None = None, **attributes: str):
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


# --- Parties --------------------------------------------------------------------------


def postal_parts(party: Party) -> tuple[list[str], str, str] | None:
    """(street lines, post code, town) of a Finnish address whose last line is
    `20100 Turku`; None when the address does not read so (it is then left out, as the
    schema allows, rather than guessed)."""
    lines = party.address_lines
    if len(lines) < 2:
        return None
    match = POSTAL_LINE.match(lines[-1])
    if match is None:
        return None
    return [line for line in lines[:-1] if len(line) >= 2][:3], match.group(1), match.group(2)


def _postal(parent: etree._Element, role: str, party: Party) -> None:
    parts = postal_parts(party)
    if parts is None or not parts[0]:
        return
    streets, code, town = parts
    details = _add(parent, f"{role}PostalAddressDetails")
    for street in streets:
        _add(details, f"{role}StreetName", clipped(street, 35))
    _add(details, f"{role}TownName", clipped(town, 35))
    _add(details, f"{role}PostCodeIdentifier", code)
    _add(details, "CountryCode", "FI")


def vat_number(business_id: str) -> str:
    """The EU form of a Y-tunnus: `2331972-7` → `FI23319727`."""
    return "FI" + business_id.replace("-", "")


def _seller(root: etree._Element, document: InvoiceDocument) -> None:
    seller = document.seller
    details = _add(root, "SellerPartyDetails")
    _add(details, "SellerPartyIdentifier", seller.business_id)
    _add(details, "SellerOrganisationName", clipped(seller.name, 70))
    if document.seller_vat_registered:
        _add(details, "SellerOrganisationTaxCode", vat_number(seller.business_id))
    _postal(details, "Seller", seller)
    if seller.e_invoice_address:
        _add(root, "SellerOrganisationUnitNumber", seller.e_invoice_address)


def _buyer(root: etree._Element, document: InvoiceDocument) -> None:
    buyer = document.buyer
    details = _add(root, "BuyerPartyDetails")
    if buyer.business_id:
        _add(details, "BuyerPartyIdentifier", buyer.business_id)
    _add(details, "BuyerOrganisationName", clipped(buyer.name, 70).ljust(2))
    _postal(details, "Buyer", buyer)
    if buyer.e_invoice_address:
        _add(root, "BuyerOrganisationUnitNumber", buyer.e_invoice_address)


def _transmission(root: etree._Element, document: InvoiceDocument, created: datetime) -> None:
    """Sender's and receiver's e-invoice addresses and operators, when both are known:
    operators route by them (or by the envelope in front of the document)."""
    seller, buyer = document.seller, document.buyer
    if not (seller.e_invoice_address and seller.e_invoice_operator):
        return
    if not (buyer.e_invoice_address and buyer.e_invoice_operator):
        return
    details = _add(root, "MessageTransmissionDetails")
    sender = _add(details, "MessageSenderDetails")
    _add(sender, "FromIdentifier", seller.e_invoice_address)
    _add(sender, "FromIntermediator", seller.e_invoice_operator)
    receiver = _add(details, "MessageReceiverDetails")
    _add(receiver, "ToIdentifier", buyer.e_invoice_address)
    _add(receiver, "ToIntermediator", buyer.e_invoice_operator)
    message = _add(details, "MessageDetails")
    _add(message, "MessageIdentifier", message_identifier(document))
    _add(message, "MessageTimeStamp", created.isoformat(timespec="seconds"))


def message_identifier(document: InvoiceDocument) -> str:
    return f"{document.seller.business_id}-{document.number_text}"


# --- Invoice details and rows -----------------------------------------------------------


def _category(document: InvoiceDocument, rate: Decimal | None) -> str:
    """Exempt lines have no rate (`invoicing.vat.rate_on`); taxed ones always have one."""
    if not document.seller_vat_registered:
        return CATEGORY_NOT_SUBJECT
    return CATEGORY_EXEMPT if rate is None else CATEGORY_STANDARD


def _vat_specifications(parent: etree._Element, document: InvoiceDocument) -> None:
    for group in document.vat_breakdown:
        category = _category(document, group.vat_rate)
        spec = _add(parent, "VatSpecificationDetails")
        _add(spec, "VatBaseAmount", decimal_text(group.net), **EUR)
        _add(spec, "VatRatePercent", _rate(group.vat_rate))
        _add(spec, "VatCode", category)
        _add(spec, "VatRateAmount", decimal_text(group.vat), **EUR)
        if category == CATEGORY_EXEMPT:
            _add(spec, "VatFreeText", clipped(str(EXEMPTION_TEXT), 70))
            _add(spec, "VatExemptionReasonCode", EXEMPTION_REASON)
        elif category == CATEGORY_NOT_SUBJECT:
            _add(spec, "VatFreeText", clipped(str(NOT_REGISTERED_TEXT), 70))


def _free_texts(document: InvoiceDocument) -> list[str]:
    texts = []
    if document.seller_vat_registered and any(line.is_exempt for line in document.lines):
        texts.append(str(EXEMPTION_TEXT))  # VAT Act 209 e § 11
    if not document.seller_vat_registered:
        texts.append(str(NOT_REGISTERED_TEXT))
    if document.is_credit_note and document.credit_reason:
        texts.append(document.credit_reason)
    return [clipped(text, 512) for text in texts]


def _payment_terms(parent: etree._Element, document: InvoiceDocument) -> None:
    terms = _add(parent, "PaymentTermsDetails")
    days = TEXT["terms_days"] % {"days": document.payment_term_days}
    _add(terms, "PaymentTermsFreeText", clipped(str(days), 70))
    _add(terms, "InvoiceDueDate", date_text(document.due_date), **CCYYMMDD)
    fine = _add(terms, "PaymentOverDueFineDetails")
    if document.penalty_interest_rate is None:
        _add(fine, "PaymentOverDueFineFreeText", clipped(str(TEXT["penalty_law"]), 70))
    else:
        _add(fine, "PaymentOverDueFinePercent", _rate(document.penalty_interest_rate))


def _invoice_details(root: etree._Element, document: InvoiceDocument) -> None:
    details = _add(root, "InvoiceDetails")
    credit = document.is_credit_note
    _add(details, "InvoiceTypeCode", "INV02" if credit else "INV01")
    _add(details, "InvoiceTypeCodeUN", "381" if credit else "380")  # UNTDID 1001
    _add(details, "InvoiceTypeText", clipped(str(TEXT["credit" if credit else "invoice"]), 35))
    _add(details, "OriginCode", "Original")
    _add(details, "InvoiceNumber", document.number_text)
    _add(details, "InvoiceDate", date_text(document.issue_date), **CCYYMMDD)
    if credit:
        _add(details, "OriginalInvoiceNumber", document.credited_number)
        if document.credited_issue_date:
            _add(
                details, "OriginalInvoiceDate", date_text(document.credited_issue_date), **CCYYMMDD
            )
    if document.lines:
        first = min(line.service_start for line in document.lines)
        last = max(line.service_end for line in document.lines)
        _add(details, "InvoicingPeriodStartDate", date_text(first), **CCYYMMDD)
        _add(details, "InvoicingPeriodEndDate", date_text(last), **CCYYMMDD)
    if document.buyer_reference:
        _add(details, "BuyerReferenceIdentifier", clipped(document.buyer_reference, 70))
    _add(details, "InvoiceTotalVatExcludedAmount", decimal_text(document.total_net), **EUR)
    _add(details, "InvoiceTotalVatAmount", decimal_text(document.total_vat), **EUR)
    _add(details, "InvoiceTotalVatIncludedAmount", decimal_text(document.total_gross), **EUR)
    _vat_specifications(details, document)
    for text in _free_texts(document):
        _add(details, "InvoiceFreeText", text)
    if not credit:
        _payment_terms(details, document)


def _row(root: etree._Element, document: InvoiceDocument, line: DocumentLine) -> None:
    row = _add(root, "InvoiceRow")
    _add(row, "ArticleName", clipped(line.description, 100))
    _add(row, "InvoicedQuantity", quantity_text(line.quantity), QuantityUnitCode=line.unit)
    _add(row, "StartDate", date_text(line.service_start), **CCYYMMDD)
    if line.service_end != line.service_start:
        _add(row, "EndDate", date_text(line.service_end), **CCYYMMDD)
    _add(row, "UnitPriceAmount", decimal_text(line.unit_price), **EUR)
    category = _category(document, line.vat_rate)
    if category == CATEGORY_EXEMPT:
        _add(row, "RowFreeText", clipped(str(EXEMPTION_TEXT), 512))
    _add(row, "RowVatRatePercent", _rate(line.vat_rate))
    _add(row, "RowVatCode", category)
    _add(row, "RowVatAmount", decimal_text(line.vat), **EUR)
    _add(row, "RowVatExcludedAmount", decimal_text(line.net), **EUR)
    _add(row, "RowAmount", decimal_text(line.gross), **EUR)


# --- Payment --------------------------------------------------------------------------


def remittance(document: InvoiceDocument) -> tuple[str, str] | None:
    """(scheme, reference): `ISO` and the RF reference when the seller asks payers for
    RF, else `SPY` and the Finnish reference; None on a credit note (nothing to pay)."""
    if not document.reference:
        return None
    if document.barcode_uses_rf:
        return "ISO", document.rf_reference
    return "SPY", document.reference


def _epi(root: etree._Element, document: InvoiceDocument) -> None:
    epi = _add(root, "EpiDetails")
    identification = _add(epi, "EpiIdentificationDetails")
    _add(identification, "EpiDate", date_text(document.issue_date), **CCYYMMDD)
    _add(identification, "EpiReference", document.number_text)
    party = _add(epi, "EpiPartyDetails")
    bank = _add(party, "EpiBfiPartyDetails")
    _add(bank, "EpiBfiIdentifier", document.seller_bic, IdentificationSchemeName="BIC")
    beneficiary = _add(party, "EpiBeneficiaryPartyDetails")
    _add(beneficiary, "EpiNameAddressDetails", clipped(document.seller.name, 35))
    _add(beneficiary, "EpiBei", document.seller.business_id)
    _add(beneficiary, "EpiAccountID", document.seller_iban, IdentificationSchemeName="IBAN")
    instruction = _add(epi, "EpiPaymentInstructionDetails")
    reference = remittance(document)
    if reference is not None:
        scheme, value = reference
        _add(instruction, "EpiRemittanceInfoIdentifier", value, IdentificationSchemeName=scheme)
    _add(instruction, "EpiInstructedAmount", decimal_text(document.total_gross), **EUR)
    _add(instruction, "EpiCharge", "SHA", ChargeOption="SHA")
    _add(instruction, "EpiDateOptionDate", date_text(document.due_date), **CCYYMMDD)


# --- Documents and batches --------------------------------------------------------------


def finvoice_element(document: InvoiceDocument, *, created: datetime) -> etree._Element:
    """The `<Finvoice Version="3.0">` element of one document, in the schema's order."""
    with translation.override(document.language):
        root = etree.Element(
            "Finvoice",
            {"Version": "3.0", f"{{{XSI}}}noNamespaceSchemaLocation": "Finvoice3.0.xsd"},
            nsmap={"xsi": XSI},
        )
        _transmission(root, document, created)
        _seller(root, document)
        _add(root, "InvoiceRecipientLanguageCode", document.language.upper())
        _buyer(root, document)
        _invoice_details(root, document)
        if not document.is_credit_note:
            _add(root, "VirtualBankBarcode", barcode_digits(document))
        for line in document.lines:
            _row(root, document, line)
        _epi(root, document)
    return root


def render_finvoice(document: InvoiceDocument, *, created: datetime) -> bytes:
    """One Finvoice 3.0 document, UTF-8, with its XML declaration."""
    return etree.tostring(
        finvoice_element(document, created=created),
        xml_declaration=True,
        encoding="UTF-8",
        pretty_print=True,
    )


def envelope_element(document: InvoiceDocument, *, created: datetime) -> etree._Element:
    """The SOAP envelope (ebXML message header) operators route a document by: sender
    and receiver with their operators, a message id and time."""
    envelope = etree.Element(
        f"{{{SOAP}}}Envelope", nsmap={"SOAP-ENV": SOAP, "eb": EB, "xlink": XLINK}
    )
    header = _add(envelope, f"{{{SOAP}}}Header")
    message = _add(
        header,
        f"{{{EB}}}MessageHeader",
        **{f"{{{SOAP}}}mustUnderstand": "1", f"{{{EB}}}version": "2.0"},
    )
    seller, buyer = document.seller, document.buyer
    for tag, party_id, role in (
        ("From", seller.e_invoice_address, "Sender"),
        ("From", seller.e_invoice_operator, "Intermediator"),
        ("To", buyer.e_invoice_address, "Receiver"),
        ("To", buyer.e_invoice_operator, "Intermediator"),
    ):
        party = _add(message, f"{{{EB}}}{tag}")
        _add(party, f"{{{EB}}}PartyId", party_id)
        _add(party, f"{{{EB}}}Role", role)
    _add(message, f"{{{EB}}}CPAId", "yoursandmycpa")
    _add(message, f"{{{EB}}}ConversationId", document.number_text)
    _add(message, f"{{{EB}}}Service", "Routing")
    _add(message, f"{{{EB}}}Action", "ProcessInvoice")
    data = _add(message, f"{{{EB}}}MessageData")
    _add(data, f"{{{EB}}}MessageId", message_identifier(document))
    _add(data, f"{{{EB}}}Timestamp", created.isoformat(timespec="seconds"))
    body = _add(envelope, f"{{{SOAP}}}Body")
    manifest = _add(
        body, f"{{{EB}}}Manifest", **{f"{{{EB}}}id": "Manifest", f"{{{EB}}}version": "2.0"}
    )
    reference = _add(
        manifest,
        f"{{{EB}}}Reference",
        **{f"{{{EB}}}id": "Finvoice", f"{{{XLINK}}}href": message_identifier(document)},
    )
    _add(
        reference,
        f"{{{EB}}}schema",
        **{f"{{{EB}}}location": "http://www.finvoice.info/finvoice.xsd", f"{{{EB}}}version": "3.0"},
    )
    return envelope


def render_finvoice_batch(documents: Iterable[InvoiceDocument], *, created: datetime) -> bytes:
    """A transmission file: for each document its SOAP envelope, then the document, one
    pair after another behind a single XML declaration, as operators take a batch."""
    chunks = [b'<?xml version="1.0" encoding="UTF-8"?>\n']
    for document in documents:
        for element in (
            envelope_element(document, created=created),
            finvoice_element(document, created=created),
        ):
            chunks.append(etree.tostring(element, encoding="UTF-8", pretty_print=True))
    return b"".join(chunks)
