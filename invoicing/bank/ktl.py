"""The reference transfer file (viitesiirto, "KTL"): the older fixed-width report of
incoming reference payments, lines of 90 characters in ISO-8859-1.

Positions as in shared/einvoicing/README.md (1-based there, 0-based slices here): record
0 opens a batch, records 3 (reference payment) and 5 (direct debit) are the payments,
record 9 closes the batch with the count and sum of the payments and of the corrections.
A batch whose totals disagree with its records refuses the whole file; a correction
record (position 88 is `1`) is kept but never becomes a payment.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from invoicing.bank.files import (
    ParsedEntry,
    ParsedStatement,
    StatementFileError,
    entry_kind,
    references_in,
)
from invoicing.bank.models import StatementFormat
from invoicing.money import ZERO

LINE = 90
PAYMENT_RECORDS = ("3", "5")


def ktl_parse(content: bytes) -> ParsedStatement:
    """Every payment record of every batch, or StatementFileError for the whole file."""
    lines = [line for line in content.decode("iso-8859-1").splitlines() if line.strip()]
    entries: list[ParsedEntry] = []
    batch: list[tuple[ParsedEntry, bool]] | None = None
    for number, line in enumerate(lines, start=1):
        if len(line.rstrip()) > LINE or not line.isprintable():
            raise _bad_line(number)
        record, line = line[:1], line.ljust(LINE)
        if record == "0":
            if batch is not None:
                raise _bad_line(number)
            batch = []
        elif record in PAYMENT_RECORDS and batch is not None:
            batch.append(_payment(line, number))
        elif record == "9" and batch is not None:
            _totals_check(line, batch, number)
            entries += [entry for entry, _correction in batch]
            batch = None
        else:
            raise _bad_line(number)
    if batch is not None or not lines:
        raise StatementFileError(_("The reference transfer file ends without its totals record."))
    return ParsedStatement(format=StatementFormat.KTL, entries=entries)


def _bad_line(number: int) -> StatementFileError:
    return StatementFileError(
        _("Line %(line)s of the reference transfer file is not a valid record.") % {"line": number}
    )


def _number(text: str, line: int) -> int:
    if not (text.isascii() and text.isdigit()):
        raise _bad_line(line)
    return int(text)


def _cents(text: str, line: int) -> Decimal:
    return (Decimal(_number(text, line)) / 100).quantize(Decimal("0.01"))


def _day(text: str, line: int) -> date:
    try:
        year, month, day = (_number(text[i : i + 2], line) for i in (0, 2, 4))
        return date(2000 + year, month, day)
    except ValueError:
        raise _bad_line(line) from None


def _payment(line: str, number: int) -> tuple[ParsedEntry, bool]:
    archive_id = line[27:43].strip()
    # Right-aligned and zero-padded; a reference itself never starts with a zero.
    reference = line[43:63].strip().lstrip("0")
    if not archive_id or line[75] != "1" or line[87] not in "01":
        raise _bad_line(number)
    correction = line[87] == "1"
    entry = ParsedEntry(
        archive_id=archive_id,
        kind=entry_kind(credit=True, reversal=correction, booked=True),
        amount=_cents(line[77:87], number),
        currency="EUR",
        booked_on=_day(line[15:21], number),
        payer=line[63:75].strip(),
        references=references_in(reference, ""),
    )
    return entry, correction


def _totals_check(line: str, batch: list[tuple[ParsedEntry, bool]], number: int) -> None:
    payments = [entry.amount for entry, correction in batch if not correction]
    corrections = [entry.amount for entry, correction in batch if correction]
    stated = (
        _number(line[1:7], number),
        _cents(line[7:18], number),
        _number(line[18:24], number),
        _cents(line[24:35], number),
    )
    counted = (len(payments), sum(payments, ZERO), len(corrections), sum(corrections, ZERO))
    if stated != counted:
        raise StatementFileError(
            _("The totals record of the reference transfer file does not agree with its payments.")
        )
