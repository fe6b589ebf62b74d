"""Bank statements for accounting (SPEC §2.15): a camt.054 or KTL file uploaded and
matched, its entries shown with what they paid, and the entries still to resolve with
their actions (assign to an invoice, refunded, ignored). Every write calls a service in
`invoicing.bank.services`; a refusal is shown and nothing is changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bookings.services import acting_user
from frontend.forms_invoices import EntryResolveForm, StatementUploadForm
from frontend.forms_staff import add_service_errors
from frontend.views.staff.access import accounting_required
from frontend.views.staff.invoices.common import language, refusal
from invoicing.bank.models import BankEntry, EntryState
from invoicing.bank.readers import statement_size_check
from invoicing.bank.selectors import (
    bank_entries_of,
    bank_entries_to_resolve,
    bank_statements_newest_first,
    payable_invoice_find,
)
from invoicing.bank.services import (
    bank_entry_assign,
    bank_entry_ignore,
    bank_entry_refund,
    bank_statement_import,
)
from invoicing.money import money_text

if TYPE_CHECKING:
    from invoicing.bank.selectors import EntryWithAllocation

LATEST_STATEMENTS = 50


@dataclass(frozen=True)
class EntryRow:
    entry: BankEntry
    remainder: Decimal
    problem: str


def entry_problem(entry: BankEntry, remainder: Decimal) -> str:
    """Why a credit is listed, in words for accounting."""
    amount = money_text(remainder, language())
    if entry.state == EntryState.PARTIAL:
        return str(_("Less than invoice %(number)s owed.") % {"number": entry.invoice})
    if entry.state == EntryState.OVERPAID:
        return str(
            _("%(amount)s € more than invoice %(number)s owed.")
            % {"amount": amount, "number": entry.invoice}
        )
    if entry.state != EntryState.UNMATCHED:
        return ""
    if entry.currency != "EUR":
        return str(_("Not in euros."))
    if entry.invoice is not None:
        return str(_("Invoice %(number)s is credited.") % {"number": entry.invoice})
    if entry.reference:
        return str(
            _("No invoice has the reference %(reference)s.") % {"reference": entry.reference}
        )
    return str(_("No reference number."))


def entry_rows(entries: Iterable[EntryWithAllocation]) -> list[EntryRow]:
    rows = []
    for entry in entries:
        remainder = entry.amount - entry.allocated
        rows.append(EntryRow(entry, remainder, entry_problem(entry, remainder)))
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
@accounting_required
def statements(request: HttpRequest) -> HttpResponse:
    """Upload a statement; the latest statements with their counts."""
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            statement_size_check(upload.size)  # before reading it into memory
            result = bank_statement_import(
                content=upload.read(), file_name=upload.name or "", actor=acting_user(request.user)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Statement imported: %(entries)s new entries, %(matched)s paid their "
                    "invoice, %(unmatched)s to resolve, %(duplicates)s imported before."
                )
                % {
                    "entries": result.entries,
                    "matched": result.matched,
                    "unmatched": result.unmatched,
                    "duplicates": result.duplicates,
                },
            )
            return redirect(reverse("frontend:staff-bank-statement", args=[result.statement.pk]))
    return render(
        request,
        "frontend/staff/invoices/bank_statements.html",
        {
            "form": form,
            "statements": bank_statements_newest_first()[:LATEST_STATEMENTS],
            "to_resolve": bank_entries_to_resolve().count(),
        },
    )


@require_safe
@accounting_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    """One statement: each entry, its state and the invoices it paid."""
    found = get_object_or_404(bank_statements_newest_first(), pk=pk)
    return render(
        request,
        "frontend/staff/invoices/bank_statement.html",
        {"statement": found, "rows": entry_rows(bank_entries_of(found))},
    )


@require_safe
@accounting_required
def unresolved(request: HttpRequest) -> HttpResponse:
    """Partial payments, over-payments and unknown references, with their actions."""
    return render(
        request,
        "frontend/staff/invoices/bank_unresolved.html",
        {"rows": entry_rows(bank_entries_to_resolve())},
    )


@require_POST
@accounting_required
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(BankEntry, pk=pk)
    form = EntryResolveForm(request.POST)
    back = redirect(reverse("frontend:staff-bank-unresolved"))
    if not form.is_valid():
        messages.error(request, _("Nothing was changed. Choose what to do with the entry."))
        return back
    data = form.cleaned_data
    try:
        done = _resolution(entry, data["action"], data["invoice"], data["note"], request)
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, done)
    return back


def _resolution(
    entry: BankEntry, action: str, invoice_text: str, note: str, request: HttpRequest
) -> str:
    """Call the service the action names; the message that says what was done."""
    if action == "refund":
        bank_entry_refund(entry=entry, actor=acting_user(request.user), note=note)
        return str(_("Entry %(id)s marked refunded.") % {"id": entry.archive_id})
    if action == "ignore":
        bank_entry_ignore(entry=entry, actor=acting_user(request.user), note=note)
        return str(_("Entry %(id)s taken off the list.") % {"id": entry.archive_id})
    invoice = payable_invoice_find(invoice_text)
    if invoice is None:
        raise ValidationError(
            _("No issued invoice has the number or reference %(text)s.") % {"text": invoice_text}
        )
    payment = bank_entry_assign(
        entry=entry, invoice=invoice, actor=acting_user(request.user), note=note
    )
    return str(
        _("%(amount)s € of entry %(id)s recorded on invoice %(number)s.")
        % {
            "amount": money_text(payment.amount, language()),
            "id": entry.archive_id,
            "number": invoice,
        }
    )
