"""What a bank file says, whatever its format: the readers of camt.054 and KTL return a
`ParsedStatement`, and refuse a file they cannot trust with `StatementFileError`.

The readers only read: they never touch the database, so a refused file changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from invoicing.bank.models import EntryKind
from invoicing.references import reference_from_payment


class StatementFileError(ValidationError):
    """A file that is not a bank statement we can read whole; nothing of it is used."""

    def __init__(self, message: object) -> None:
        super().__init__({"file": [message]}, code="bad_statement")


@dataclass(frozen=True)
class ParsedEntry:
    archive_id: str
    kind: str
    amount: Decimal
    currency: str
    booked_on: date
    payer: str = ""
    remittance: str = ""
    references: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class ParsedStatement:
    format: str
    entries: list[ParsedEntry]
    message_id: str = ""


# A Finnish reference typed with or without spaces (4–20 digits), or an RF reference.
_RF = re.compile(r"RF\s?\d{2}(?:\s?[0-9A-Z]){1,21}", re.IGNORECASE)
_DIGITS = re.compile(r"(?<![\d])\d(?:\s?\d){3,19}(?![\d])")


def references_in(structured: str, text: str) -> tuple[str, ...]:
    """Every valid reference an entry carries, in Finnish form: the structured one first,
    then any a payer typed into the free-text message (SPEC §2.15)."""
    found: list[str] = []
    candidates = [structured] if structured else []
    candidates += [match.group() for match in _RF.finditer(text)]
    candidates += [match.group() for match in _DIGITS.finditer(text)]
    for candidate in candidates:
        try:
            reference = reference_from_payment(candidate)
        except ValueError:
            continue
        if reference not in found:
            found.append(reference)
    return tuple(found)


def entry_kind(*, credit: bool, reversal: bool, booked: bool) -> str:
    """Only a booked credit that is not a reversal may become a payment."""
    if reversal:
        return EntryKind.REVERSAL
    if not booked:
        return EntryKind.NOT_BOOKED
    return EntryKind.CREDIT if credit else EntryKind.DEBIT
