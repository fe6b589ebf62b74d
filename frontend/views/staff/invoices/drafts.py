"""A draft invoice from bookings in three steps: choose the customer and period and tick
bookings, see the preview (nothing written), create the draft.

The preview and the draft come from the same service code (`invoice_draft_preview`
and `invoice_create_draft`), so the draft gets exactly the lines the preview showed,
unless a price or booking changed in between.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from bookings.models import Booking
from bookings.schedule import local
from bookings.services import acting_user
from frontend.forms_invoices import MAX_ID, BookingIdsField, DraftChooseForm, DraftForm
from frontend.forms_staff import add_service_errors
from frontend.views.staff.access import accounting_required
from frontend.views.staff.invoices.common import detail_url, line_rows, vat_rows
from invoicing.selectors import bookings_to_invoice
from invoicing.services import invoice_create_draft, invoice_draft_preview

NEW_TEMPLATE = "frontend/staff/invoices/new.html"


def _one_booking(request: HttpRequest) -> tuple[QueryDict | None, set[int] | None]:
    """`?booking=<id>`: that booking's customer and day, with only it ticked."""
    if "booking" not in request.GET:
        return request.GET or None, None
    text, booking = request.GET["booking"], None
    if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
        booking = Booking.objects.filter(pk=int(text), customer__isnull=False).first()
    if booking is None:
        messages.error(request, _("There is no such booking."))
        return None, None
    day = local(booking.start).date().isoformat()
    data = QueryDict(mutable=True)
    data.update({"customer": str(booking.customer_id), "first_day": day, "last_day": day})
    return data, {booking.pk}


def _choose_page(
    request: HttpRequest,
    chooser: DraftChooseForm,
    *,
    checked: set[int] | None = None,
    draft_form: DraftForm | None = None,
) -> HttpResponse:
    """The customer and period form and, once chosen, their bookings to tick (all of
    them unless told which)."""
    candidates: list[Booking] = []
    chosen = None
    if chooser.is_bound and chooser.is_valid():
        chosen, (first, last) = chooser.cleaned_data, chooser.period()
        candidates = list(
            bookings_to_invoice(
                customer=chooser.cleaned_data["customer"], first_day=first, last_day=last
            )
        )
    if checked is None:
        checked = {booking.pk for booking in candidates}
    # Errors of the customer and period show on the chooser itself.
    sent = draft_form.errors if draft_form is not None else {}
    errors = [
        str(message) for name in (NON_FIELD_ERRORS, "bookings") for message in sent.get(name, [])
    ]
    return render(
        request,
        NEW_TEMPLATE,
        {
            "chooser": chooser,
            "chosen": chosen,
            "candidates": [(booking, booking.pk in checked) for booking in candidates],
            "errors": errors,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@accounting_required
def new(request: HttpRequest) -> HttpResponse:
    """GET: choose and tick. POST: the preview of the draft, written nowhere."""
    if request.method != "POST":
        data, checked = _one_booking(request)
        return _choose_page(request, DraftChooseForm(data), checked=checked)
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            preview = invoice_draft_preview(bookings=form.cleaned_data["booking_rows"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            context = {
                "preview": preview,
                "lines": line_rows(preview.lines),
                "vat_breakdown": vat_rows(preview.lines),
                "chosen": form.cleaned_data,
                "ids": form.cleaned_data["bookings"],
            }
            return render(request, "frontend/staff/invoices/preview.html", context)
    return _refused(request, form)


@require_http_methods(["GET", "HEAD", "POST"])
@accounting_required
def create(request: HttpRequest) -> HttpResponse:
    """Create the draft as previewed; a refusal shows the choice again (and a GET, e.g.
    from its language links, goes back to the start)."""
    if request.method != "POST":
        return redirect(reverse("frontend:staff-invoice-new"))
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            draft = invoice_create_draft(
                bookings=form.cleaned_data["booking_rows"], actor=acting_user(request.user)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft invoice was created. Check it, then issue it."))
            return redirect(detail_url(draft.pk))
    return _refused(request, form)


def _refused(request: HttpRequest, form: DraftForm) -> HttpResponse:
    """The choice again, as it was sent, with why it cannot be invoiced."""
    try:
        sent = set(BookingIdsField().clean(request.POST.getlist("bookings")))
    except ValidationError:
        sent = set()
    return _choose_page(request, DraftChooseForm(request.POST), checked=sent, draft_form=form)
