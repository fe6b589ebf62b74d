"""Sending issued invoices from the accounting pages: one from its page, several from
the list (their e-invoices in one batch file), the batch files, and a draft's delivery
method. The rules are in `invoicing.services.delivery`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from bookings.models import DeliveryMethod
from bookings.services import acting_user
from frontend.views.staff.access import accounting_required
from frontend.views.staff.invoices.common import detail_url, refusal
from invoicing.exports import ExportFile
from invoicing.models import EInvoiceBatch, Invoice
from invoicing.services import MAX_SEND_INVOICES, invoice_draft_update, invoice_send, invoices_send

SENT_TEXT: dict[str, StrOrPromise] = {
    DeliveryMethod.EMAIL: _("Invoice %(number)s is on its way by e-mail to %(to)s."),
    DeliveryMethod.E_INVOICE: _("Invoice %(number)s is in e-invoice batch %(batch)s."),
    DeliveryMethod.PAPER: _("Invoice %(number)s is marked printed for %(to)s."),
}


def batch_url(pk: int) -> str:
    return reverse("frontend:staff-e-invoice-batch", kwargs={"pk": pk})


@require_POST
@accounting_required
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send one issued invoice by its delivery method (again only if asked to)."""
    invoice = get_object_or_404(Invoice, pk=pk)
    try:
        sending = invoice_send(
            invoice=invoice, actor=acting_user(request.user), again="again" in request.POST
        )
    except ValidationError as error:
        refusal(request, error)
    else:
        text = SENT_TEXT[sending.method] % {
            "number": invoice,
            "to": sending.recipient,
            "batch": sending.batch_id,
        }
        messages.success(request, text)
    return redirect(detail_url(pk))


def _chosen(request: HttpRequest) -> list[int]:
    ids = []
    for value in request.POST.getlist("invoice")[: MAX_SEND_INVOICES + 1]:
        if value.isdigit():
            ids.append(int(value))
    return ids


@require_POST
@accounting_required
def bulk_send(request: HttpRequest) -> HttpResponse:
    """Send the invoices chosen on the list, all or none."""
    back = reverse("frontend:staff-invoices")
    query = request.POST.get("query", "")
    if query and "\n" not in query and "//" not in query:
        back += "?" + query
    ids = _chosen(request)
    invoices = list(Invoice.objects.filter(pk__in=ids))
    if not invoices:
        messages.error(request, _("Nothing was sent: choose the invoices to send first."))
        return redirect(back)
    try:
        sendings = invoices_send(invoices=invoices, actor=acting_user(request.user))
    except ValidationError as error:
        refusal(request, error)
        return redirect(back)
    batch = next((sending.batch_id for sending in sendings if sending.batch_id), None)
    messages.success(request, _("%(count)d invoices were sent.") % {"count": len(sendings)})
    if batch is not None:  # the list offers the new batch file for download
        back += ("&" if "?" in back else "?") + f"sent_batch={batch}"
    return redirect(back)


@require_safe
@accounting_required
def batch_file(request: HttpRequest, pk: int) -> HttpResponse:
    """An e-invoice batch file as made, for the operator's or bank's upload."""
    batch = get_object_or_404(EInvoiceBatch, pk=pk)
    return ExportFile(batch.filename, "application/xml", bytes(batch.content)).as_attachment()


@require_POST
@accounting_required
def delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose how a draft will be delivered (the customer's method is the default)."""
    invoice = get_object_or_404(Invoice, pk=pk)
    method = request.POST.get("delivery_method", "")
    if method not in DeliveryMethod.values:
        raise Http404
    try:
        invoice_draft_update(
            invoice=invoice, actor=acting_user(request.user), delivery_method=method
        )
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(
            request,
            _("The draft will be delivered by: %(method)s.")
            % {"method": DeliveryMethod(method).label},
        )
    return redirect(detail_url(pk))
