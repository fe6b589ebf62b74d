"""Every write of the bank part: a statement imported and matched, and the resolutions of
what did not match (assigned to an invoice, refunded, ignored). Keyword-only, typed, one
transaction each; a refused file or resolution changes nothing.

Each entry records who resolved it, when and why; each payment who recorded it and the
entry it came from, so the statement page is the trail of what the import did.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.services import Actor
from invoicing.bank.files import ParsedEntry, StatementFileError
from invoicing.bank.models import (
    STATES_TO_RESOLVE,
    BankEntry,
    BankStatement,
    EntryKind,
    EntryState,
    Resolution,
)
from invoicing.bank.readers import statement_parse
from invoicing.bank.selectors import bank_entry_remainder, open_amount
from invoicing.models import Invoice, InvoiceKind, InvoiceStatus, Payment
from invoicing.selectors import invoices_with_balance
from invoicing.services.payments import payment_record

if TYPE_CHECKING:
    from invoicing.selectors import InvoiceWithBalance

# SQLite allows 32,766 variables a statement, older builds 999: look ids up in chunks.
CHUNK = 500


@dataclass(frozen=True)
class StatementImport:
    """What an import did: entries stored, credits that paid their invoice in full,
    credits left for accounting (partial, over-paid, unknown) and entries skipped
    because an earlier import holds them."""

    statement: BankStatement
    entries: int
    matched: int
    unmatched: int
    duplicates: int


@dataclass
class _Match:
    entry: BankEntry
    pay: Decimal


@transaction.atomic
def bank_statement_import(*, content: bytes, file_name: str, actor: Actor) -> StatementImport:
    """Read a camt.054 or KTL file, store its new entries and record a payment for each
    credit whose reference names an invoice that owes money (SPEC §2.15)."""
    parsed = statement_parse(content)
    digest = hashlib.sha256(content).hexdigest()
    earlier = BankStatement.objects.filter(sha256=digest).first()
    if earlier is not None:
        raise StatementFileError(
            _("This file was imported already on %(date)s; nothing was recorded twice.")
            % {"date": timezone.localtime(earlier.imported_at).strftime("%d.%m.%Y %H:%M")}
        )
    fresh, duplicates = _new_entries(parsed.entries)
    _refuse_future(fresh)
    try:
        statement = BankStatement.objects.create(
            format=parsed.format,
            file_name=file_name[:200],
            sha256=digest,
            content=content,
            message_id=parsed.message_id[:35],
            imported_by=actor,
            duplicates=duplicates,
        )
        matches = _matched(statement, fresh)
        BankEntry.objects.bulk_create(match.entry for match in matches)
    except IntegrityError:  # the same file or entry imported at this very moment
        raise StatementFileError(
            _("This file was being imported at the same moment; nothing was recorded twice.")
        ) from None
    for match in matches:
        if match.pay > 0 and match.entry.invoice is not None:
            payment_record(
                invoice=match.entry.invoice,
                amount=match.pay,
                paid_on=match.entry.booked_on,
                actor=actor,
                bank_entry=match.entry,
            )
    states = [match.entry.state for match in matches]
    return StatementImport(
        statement=statement,
        entries=len(matches),
        matched=states.count(EntryState.MATCHED),
        unmatched=sum(state in STATES_TO_RESOLVE for state in states),
        duplicates=duplicates,
    )


def _new_entries(entries: list[ParsedEntry]) -> tuple[list[ParsedEntry], int]:
    """The entries no earlier import (nor this file, above them) holds, and how many did."""
    ids = [entry.archive_id for entry in entries]
    known: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = BankEntry.objects.filter(archive_id__in=chunk)
        known.update(rows.values_list("archive_id", flat=True))
    fresh = []
    for entry in entries:
        if entry.archive_id not in known:
            known.add(entry.archive_id)
            fresh.append(entry)
    return fresh, len(entries) - len(fresh)


def _refuse_future(entries: list[ParsedEntry]) -> None:
    today = timezone.localdate()
    for entry in entries:
        if entry.booked_on > today:
            raise StatementFileError(
                _("Entry %(id)s is booked on %(date)s, which is in the future.")
                % {"id": entry.archive_id[:35], "date": entry.booked_on.strftime("%d.%m.%Y")}
            )


def _invoices_named(entries: list[ParsedEntry]) -> dict[str, InvoiceWithBalance]:
    """The issued invoices the entries' references name, with what they owe."""
    references = sorted({ref for entry in entries for ref in entry.references})
    invoices: dict[str, InvoiceWithBalance] = {}
    for start in range(0, len(references), CHUNK):
        rows = invoices_with_balance().filter(
            reference__in=references[start : start + CHUNK],
            status=InvoiceStatus.ISSUED,
            kind=InvoiceKind.INVOICE,
        )
        invoices.update((invoice.reference, invoice) for invoice in rows)
    return invoices


def _matched(statement: BankStatement, entries: list[ParsedEntry]) -> list[_Match]:
    """Each entry as a row with its state, and what it pays on which invoice. What an
    invoice owes is tallied as the file pays it, so two entries for one invoice are
    seen as a whole payment and an over-payment, not as two whole payments."""
    invoices = _invoices_named([e for e in entries if e.kind == EntryKind.CREDIT])
    owing = {invoice.pk: open_amount(invoice) for invoice in invoices.values()}
    matches = []
    for position, parsed in enumerate(entries, start=1):
        invoice = next((invoices[r] for r in parsed.references if r in invoices), None)
        reference = invoice.reference if invoice else next(iter(parsed.references), "")
        entry = BankEntry(
            statement=statement,
            position=position,
            archive_id=parsed.archive_id,
            kind=parsed.kind,
            amount=parsed.amount,
            currency=parsed.currency,
            booked_on=parsed.booked_on,
            payer=parsed.payer,
            reference=reference[:20],
            remittance=parsed.remittance,
            invoice=invoice,
        )
        pay = Decimal(0)
        if parsed.kind != EntryKind.CREDIT:
            entry.state = EntryState.NOT_PAYMENT
        elif invoice is None or parsed.currency != "EUR" or invoice.credited:
            entry.state = EntryState.UNMATCHED
        else:
            pay = min(parsed.amount, owing[invoice.pk])
            owing[invoice.pk] -= pay
            entry.state = _state(parsed.amount, pay, owing[invoice.pk])
        matches.append(_Match(entry, pay))
    return matches


def _state(amount: Decimal, pay: Decimal, still_owed: Decimal) -> str:
    if pay < amount:
        return EntryState.OVERPAID
    return EntryState.MATCHED if still_owed == 0 else EntryState.PARTIAL


# --- Resolutions ------------------------------------------------------------------------


def _entry_to_resolve(entry: BankEntry) -> BankEntry:
    current = BankEntry.objects.select_for_update().get(pk=entry.pk)
    if not current.needs_resolution:
        raise ValidationError(_("This bank entry needs no resolution (or was resolved already)."))
    return current


def _note_required(note: str) -> str:
    text = note.strip()
    if not text:
        raise ValidationError({"note": _("Say why, for the bookkeeping.")})
    if len(text) > 500:
        raise ValidationError({"note": _("Keep the note under 500 characters.")})
    return text


def _resolve(entry: BankEntry, resolution: str, note: str, actor: Actor) -> None:
    entry.resolution = resolution
    entry.resolution_note = note
    entry.resolved_at = timezone.now()
    entry.resolved_by = actor
    entry.save(update_fields=["resolution", "resolution_note", "resolved_at", "resolved_by"])


@transaction.atomic
def bank_entry_assign(
    *, entry: BankEntry, invoice: Invoice, actor: Actor, note: str = ""
) -> Payment:
    """Put what is left of an unmatched or over-paid entry on an invoice, up to what the
    invoice owes; the entry is resolved when nothing of it is left."""
    current = _entry_to_resolve(entry)
    remainder = bank_entry_remainder(current)
    if remainder <= 0:
        raise ValidationError(
            _("All of this payment is on an invoice already; mark it reviewed with a note.")
        )
    owed = open_amount(invoices_with_balance().get(pk=invoice.pk))
    if owed <= 0:
        raise ValidationError(
            {"invoice": _("Invoice %(number)s owes nothing.") % {"number": invoice}}
        )
    text = note.strip()[:200]
    payment = payment_record(
        invoice=invoice,
        amount=min(remainder, owed),
        paid_on=current.booked_on,
        actor=actor,
        note=text,
        bank_entry=current,
    )
    if payment.amount == remainder:
        _resolve(current, Resolution.ASSIGNED, text, actor)
    return payment


@transaction.atomic
def bank_entry_refund(*, entry: BankEntry, actor: Actor, note: str) -> BankEntry:
    """Record that what is left of the entry was paid back to the payer."""
    current = _entry_to_resolve(entry)
    text = _note_required(note)
    if bank_entry_remainder(current) <= 0:
        raise ValidationError(
            _("All of this payment is on an invoice; nothing of it is left to refund.")
        )
    _resolve(current, Resolution.REFUNDED, text, actor)
    return current


@transaction.atomic
def bank_entry_ignore(*, entry: BankEntry, actor: Actor, note: str) -> BankEntry:
    """Take the entry off the list without a payment (e.g. a partial payment reviewed,
    or money that belongs to no invoice), saying why."""
    current = _entry_to_resolve(entry)
    _resolve(current, Resolution.IGNORED, _note_required(note), actor)
    return current
