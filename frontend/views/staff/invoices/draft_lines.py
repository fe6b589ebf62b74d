"""Lines and discounts accounting adds to a draft on its page, and takes off again; the
draft-line services judge them, and a form with errors is shown again on the page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from bookings.services import acting_user
from frontend.forms_invoices import (
    DISCOUNT_AMOUNT,
    DISCOUNT_LINE,
    DraftDiscountForm,
    DraftLineForm,
)
from frontend.forms_staff import add_service_errors
from frontend.views.staff.access import accounting_required
from frontend.views.staff.invoices.common import detail_url, line_labels, refusal
from frontend.views.staff.invoices.invoice import detail_page
from invoicing.models import Invoice
from invoicing.services import (
    DraftDiscount,
    DraftLine,
    invoice_draft_discount_add,
    invoice_draft_line_add,
    invoice_draft_line_remove,
)


@require_POST
@accounting_required
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a line typed by accounting to a draft."""
    invoice = get_object_or_404(Invoice, pk=pk)
    form = DraftLineForm(request.POST)
    if form.is_valid():
        try:
            invoice_draft_line_add(
                invoice=invoice,
                actor=acting_user(request.user),
                line=DraftLine(**form.cleaned_data),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The line was added to the draft."))
            return redirect(detail_url(pk))
    return detail_page(request, pk, line_form=form)


def _discount(form: DraftDiscountForm) -> DraftDiscount:
    data = form.cleaned_data
    description = data["description"]
    if data["basis"] == DISCOUNT_AMOUNT:
        return DraftDiscount(
            amount=data["amount"], vat_code=data["vat_code"], description=description
        )
    position = data["position"] if data["basis"] == DISCOUNT_LINE else None
    if data["basis"] == DISCOUNT_LINE and position is None:
        raise ValidationError({"position": _("Choose the line to discount.")})
    return DraftDiscount(percent=data["percent"], position=position, description=description)


@require_POST
@accounting_required
def discount_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a discount to a draft: of a line, of the whole draft, or a fixed amount."""
    invoice = get_object_or_404(Invoice, pk=pk)
    form = DraftDiscountForm(request.POST, lines=line_labels(invoice.lines.order_by("position")))
    if form.is_valid():
        try:
            invoice_draft_discount_add(
                invoice=invoice, actor=acting_user(request.user), discount=_discount(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The discount was added to the draft."))
            return redirect(detail_url(pk))
    return detail_page(request, pk, discount_form=form)


@require_POST
@accounting_required
def line_remove(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """Take a manual or discount line off a draft."""
    invoice = get_object_or_404(Invoice, pk=pk)
    try:
        invoice_draft_line_remove(
            invoice=invoice, actor=acting_user(request.user), position=position
        )
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(request, _("The line was removed from the draft."))
    return redirect(detail_url(pk))
