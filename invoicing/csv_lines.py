"""The bookkeeping CSV of invoice lines, rendered from invoice documents: RFC 4180 with a
decimal point and ISO dates, so bookkeeping software reads it as is; the header holds
stable column names (translated ones would vary by language). Each line carries its
ledger account (by product and VAT code, `LEDGER_ACCOUNTS`) and, on a credit note, the
number of the invoice it credits."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.conf import settings

from invoicing.document import DocumentLine, InvoiceDocument
from invoicing.ledger import ledger_account

CSV_COLUMNS = (
    "number",
    "issue_date",
    "due_date",
    "service_start",
    "service_end",
    "customer",
    "business_id",
    "description",
    "net",
    "vat_code",
    "vat_rate",
    "vat",
    "gross",
    "reference",
    "account",
    "credits_number",
)

# A cell that a spreadsheet would read as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """Text typed by someone else (a renter's organisation, a description), kept from
    being run as a formula when the file is opened in a spreadsheet: OWASP's advice, a
    leading apostrophe. Amounts are written by us and left as numbers."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_row(document: InvoiceDocument, line: DocumentLine) -> list[str]:
    return [
        document.number_text,
        document.issue_date.isoformat(),
        document.due_date.isoformat(),
        line.service_start.isoformat(),
        line.service_end.isoformat(),
        csv_text(document.buyer.name),
        csv_text(document.buyer.business_id),
        csv_text(line.description),
        f"{line.net:.2f}",
        line.vat_code,
        "" if line.vat_rate is None else f"{line.vat_rate:.2f}",
        f"{line.vat:.2f}",
        f"{line.gross:.2f}",
        document.reference,
        ledger_account(line.product, line.vat_code, settings.LEDGER_ACCOUNTS),
        document.credited_number,
    ]


def render_lines_csv(documents: Iterable[InvoiceDocument]) -> bytes:
    """One row per line of each document, in the order given, as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for document in documents:
        for line in document.lines:
            writer.writerow(csv_row(document, line))
    return buffer.getvalue().encode("utf-8")
