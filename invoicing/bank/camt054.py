"""ISO 20022 camt.054 (BankToCustomerDebitCreditNotification), versions .001.02 and
.001.08: the reference-payment report of Finnish banks.

The file comes from outside, so it is parsed with entities, DTDs and the network off, no
document with a DOCTYPE is accepted (a bank never sends one; entity bombs and external
entities need one), and it is validated against the official schema of its namespace
(`schemas/`, provenance in the README there) before any entry is read.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from lxml import etree

from invoicing.bank.files import (
    ParsedEntry,
    ParsedStatement,
    StatementFileError,
    entry_kind,
    references_in,
)
from invoicing.bank.models import StatementFormat

SCHEMAS = Path(__file__).resolve().parent / "schemas"
NAMESPACES = {
    "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02": StatementFormat.CAMT054_02,
    "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08": StatementFormat.CAMT054_08,
}


def hardened_parser() -> etree.XMLParser:
    # huge_tree=False keeps libxml2's own limits on depth and text size.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


@cache
def schema(format_: str) -> etree.XMLSchema:
    """The official schema, read once per process (our own file: a plain parser will do)."""
    path = SCHEMAS / f"{format_}.xsd"
    return etree.XMLSchema(etree.parse(str(path), hardened_parser()))


def _document(content: bytes) -> etree._Element:
    try:
        tree = etree.fromstring(content, hardened_parser()).getroottree()
    except etree.XMLSyntaxError:
        raise StatementFileError(_("The file is not well-formed XML.")) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise StatementFileError(
            _("The file declares a document type; a bank statement never does.")
        )
    return tree.getroot()


def camt054_parse(content: bytes) -> ParsedStatement:
    """Every entry of every notification, or StatementFileError for the whole file."""
    root = _document(content)
    namespace = etree.QName(root).namespace or ""
    format_ = NAMESPACES.get(namespace)
    if format_ is None:
        raise StatementFileError(
            _("This XML file is not a camt.054 notification (version .001.02 or .001.08).")
        )
    checker = schema(format_)
    if not checker.validate(root):
        error = checker.error_log.last_error
        raise StatementFileError(
            _("The file does not follow the camt.054 schema (line %(line)s): %(error)s")
            % {"line": error.line if error else "?", "error": error.message if error else ""}
        )
    return _Reader(namespace).statement(root, format_)


class _Reader:
    """Walks a schema-valid document; the names differ a little between the versions."""

    def __init__(self, namespace: str) -> None:
        self.ns = {"c": namespace}

    def text(self, element: etree._Element, path: str) -> str:
        found = element.find(path, self.ns)
        return (found.text or "").strip() if found is not None else ""

    def statement(self, root: etree._Element, format_: str) -> ParsedStatement:
        message = root.find("c:BkToCstmrDbtCdtNtfctn", self.ns)
        if message is None:  # the schema requires it; a file that passed has it
            raise StatementFileError(
                _("This XML file is not a camt.054 notification (version .001.02 or .001.08).")
            )
        entries = [
            parsed
            for entry in message.iterfind("c:Ntfctn/c:Ntry", self.ns)
            for parsed in self.entry(entry)
        ]
        return ParsedStatement(
            format=format_, entries=entries, message_id=self.text(message, "c:GrpHdr/c:MsgId")
        )

    def entry(self, entry: etree._Element) -> list[ParsedEntry]:
        """One entry, or one per transaction of a batch booking (each has its own
        reference and payer)."""
        archive_id = self.text(entry, "c:AcctSvcrRef")
        if not archive_id:
            raise StatementFileError(
                _("An entry has no archive id (AcctSvcrRef); the file cannot be imported.")
            )
        amount, currency = self.amount(entry.find("c:Amt", self.ns))
        status = self.text(entry, "c:Sts") or self.text(entry, "c:Sts/c:Cd")
        kind = entry_kind(
            credit=self.text(entry, "c:CdtDbtInd") == "CRDT",
            reversal=self.text(entry, "c:RvslInd").lower() in ("true", "1"),
            booked=status == "BOOK",
        )
        booked_on = self.day(entry, "c:BookgDt") or self.day(entry, "c:ValDt")
        if booked_on is None:
            raise StatementFileError(
                _("Entry %(id)s has no booking date.") % {"id": archive_id[:35]}
            )
        transactions = entry.findall("c:NtryDtls/c:TxDtls", self.ns)
        if len(transactions) <= 1:
            details = transactions[0] if transactions else None
            return [self.parsed(archive_id, kind, amount, currency, booked_on, details)]
        parts = [self.transaction_amount(tx, archive_id) for tx in transactions]
        if sum(part for part, _currency in parts) != amount:
            raise StatementFileError(
                _("The transactions of entry %(id)s do not add up to its amount.")
                % {"id": archive_id[:35]}
            )
        return [
            self.parsed(
                self.text(tx, "c:Refs/c:AcctSvcrRef") or f"{archive_id}/{index}",
                kind,
                part,
                part_currency,
                booked_on,
                tx,
            )
            for index, (tx, (part, part_currency)) in enumerate(
                zip(transactions, parts, strict=True), start=1
            )
        ]

    def parsed(
        self,
        archive_id: str,
        kind: str,
        amount: Decimal,
        currency: str,
        booked_on: date,
        details: etree._Element | None,
    ) -> ParsedEntry:
        if details is None:
            return ParsedEntry(archive_id, kind, amount, currency, booked_on)
        structured = self.text(details, "c:RmtInf/c:Strd/c:CdtrRefInf/c:Ref")
        free_text = " ".join(
            (line.text or "").strip() for line in details.iterfind("c:RmtInf/c:Ustrd", self.ns)
        )
        payer = self.text(details, "c:RltdPties/c:Dbtr/c:Nm") or self.text(
            details, "c:RltdPties/c:Dbtr/c:Pty/c:Nm"
        )
        return ParsedEntry(
            archive_id=archive_id,
            kind=kind,
            amount=amount,
            currency=currency,
            booked_on=booked_on,
            payer=payer[:140],
            remittance=free_text[:500],
            references=references_in(structured, free_text),
        )

    def transaction_amount(self, tx: etree._Element, archive_id: str) -> tuple[Decimal, str]:
        # .08 gives each transaction its Amt; .02 only the amount details.
        for path in ("c:Amt", "c:AmtDtls/c:TxAmt/c:Amt", "c:AmtDtls/c:InstdAmt/c:Amt"):
            found = tx.find(path, self.ns)
            if found is not None:
                return self.amount(found)
        raise StatementFileError(
            _("A transaction of entry %(id)s has no amount.") % {"id": archive_id[:35]}
        )

    def amount(self, element: etree._Element | None) -> tuple[Decimal, str]:
        if element is None:  # required by the schema
            raise StatementFileError(_("An amount in the file is not a number."))
        try:
            value = Decimal((element.text or "").strip())
        except InvalidOperation:
            raise StatementFileError(_("An amount in the file is not a number.")) from None
        # The schema allows up to 18 digits; our payments hold what an invoice can owe.
        if (
            not value.is_finite()
            or value > Decimal("9999999.99")
            or value != value.quantize(Decimal("0.01"))
        ):
            raise StatementFileError(_("An amount in the file is out of range."))
        return value.quantize(Decimal("0.01")), element.get("Ccy", "")

    def day(self, entry: etree._Element, path: str) -> date | None:
        text = self.text(entry, f"{path}/c:Dt") or self.text(entry, f"{path}/c:DtTm")[:10]
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise StatementFileError(_("A date in the file is not valid.")) from None
