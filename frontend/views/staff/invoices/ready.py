"""Ready to invoice: the approved bookings not invoiced yet, grouped by customer, and a
draft invoice per customer made of the ticked ones in one step."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from bookings.models import Booking
from bookings.services import acting_user
from frontend.forms_invoices import ReadyDraftsForm, ReadyForm
from frontend.views.staff.access import accounting_required
from invoicing.selectors.ready import ready_customers, ready_groups, ready_without_customer
from invoicing.services import invoice_create_drafts

CUSTOMERS_PER_PAGE = 25
WITHOUT_CUSTOMER_SHOWN = 50


@require_http_methods(["GET", "HEAD", "POST"])
@accounting_required
def ready(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _make_drafts(request)
    form = ReadyForm(request.GET or None)
    last_day = form.day()
    page = Paginator(ready_customers(last_day=last_day), CUSTOMERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    without = ready_without_customer(last_day=last_day)
    return render(
        request,
        "frontend/staff/invoices/ready.html",
        {
            "form": form,
            "last_day": last_day,
            "page": page,
            "groups": ready_groups(last_day=last_day, customers=list(page.object_list)),
            "without": without[:WITHOUT_CUSTOMER_SHOWN],
            "without_count": without.count(),
            "query": urlencode({"last_day": last_day.isoformat()}),
        },
    )


def _make_drafts(request: HttpRequest) -> HttpResponse:
    form = ReadyDraftsForm(request.POST)
    back = reverse("frontend:staff-invoices-ready")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    back += "?" + urlencode({"last_day": form.day().isoformat()})
    try:
        result = invoice_create_drafts(
            bookings=list(Booking.objects.filter(pk__in=form.cleaned_data["bookings"])),
            actor=acting_user(request.user),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    if result.made:
        count = len(result.made)
        messages.success(
            request,
            ngettext(
                "%(count)s draft invoice was made: check it, then issue it.",
                "%(count)s draft invoices were made: check them, then issue them.",
                count,
            )
            % {"count": count},
        )
    for customer, reasons in result.refused:
        messages.error(
            request,
            _("No draft for %(customer)s: %(reasons)s")
            % {"customer": customer, "reasons": " ".join(reasons)},
        )
    if result.made:
        return redirect(reverse("frontend:staff-invoices") + "?state=draft")
    return redirect(back)
