"""The invoice list with its filters, the files for bookkeeping, and payments matched
by reference number."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from bookings.services import acting_user
from frontend.forms_invoices import ExportForm, InvoiceFilterForm, ReferencePaymentForm
from frontend.forms_staff import add_service_errors
from frontend.views.staff.access import accounting_required
from frontend.views.staff.invoices.common import balance_of, language
from invoicing.exports import export_period_check, lines_csv_file, pdfs_zip_file
from invoicing.money import money_text
from invoicing.selectors import invoices_filtered
from invoicing.services import payment_record_by_reference

PAGE_SIZE = 50
EXPORTS = {"csv": lines_csv_file, "zip": pdfs_zip_file}
# The service's names for the period -> the form's.
PERIOD_ERROR_FIELDS = {"from": "first_day", "to": "last_day"}


@require_safe
@accounting_required
def invoice_list(request: HttpRequest) -> HttpResponse:
    form = InvoiceFilterForm(request.GET or None)
    page = Paginator(invoices_filtered(form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "frontend/staff/invoices/list.html",
        {
            "form": form,
            "page": page,
            "rows": [(invoice, balance_of(invoice)) for invoice in page.object_list],
            "query": query.urlencode(),
        },
    )


def _last_month(today: date) -> dict[str, date]:
    last = today.replace(day=1) - timedelta(days=1)
    return {"first_day": last.replace(day=1), "last_day": last}


@require_safe
@accounting_required
def export(request: HttpRequest) -> HttpResponse:
    """The CSV of invoice lines or the ZIP of PDFs of a period: the same files as the API."""
    wanted = request.GET.get("file")
    form = ExportForm(
        request.GET if wanted is not None else None, initial=_last_month(timezone.localdate())
    )
    if form.is_bound and form.is_valid():
        first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
        try:
            export_period_check(first, last)
        except ValidationError as error:
            add_service_errors(form, error, PERIOD_ERROR_FIELDS)
        else:
            if wanted in EXPORTS:
                return EXPORTS[wanted](first, last).as_attachment()
            form.add_error(None, _("Choose which file to download."))
    return render(request, "frontend/staff/invoices/export.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@accounting_required
def payment_by_reference(request: HttpRequest) -> HttpResponse:
    """A payment from the bank statement, matched to its invoice by reference number."""
    form = ReferencePaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = payment_record_by_reference(
                reference=data["reference"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                actor=acting_user(request.user),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Payment of %(amount)s € recorded on invoice %(number)s.")
                % {"amount": money_text(payment.amount, language()), "number": payment.invoice},
            )
            return redirect(reverse("frontend:staff-payment-by-reference"))
    return render(request, "frontend/staff/invoices/payment_by_reference.html", {"form": form})
