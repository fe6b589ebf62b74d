"""Customers for accounting: one per organisation, with its contacts, bookings and
invoices; likely duplicates, and merging them (bookings/services/customer_merge.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from bookings.models import Customer
from bookings.selectors.customers import customer_duplicates, customers_listed
from bookings.services import acting_user, customers_merge
from frontend.forms_customers import CustomerSearchForm, MergeChoiceForm, MergeIntoForm
from frontend.views.staff.access import accounting_required
from invoicing.models import Invoice, InvoiceStatus

PAGE_SIZE = 50
RECENT_BOOKINGS = 20


@require_safe
@accounting_required
def customer_list(request: HttpRequest) -> HttpResponse:
    form = CustomerSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(customers_listed(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/staff/customers/list.html",
        {
            "form": form,
            "page": page,
            "duplicates": [] if query else customer_duplicates(),
            "query": urlencode({"q": query}),
        },
    )


def _merge_url(customers: list[Customer]) -> str:
    return (
        reverse("frontend:staff-customers-merge")
        + "?"
        + urlencode([("customers", customer.pk) for customer in customers])
    )


@require_http_methods(["GET", "HEAD", "POST"])
@accounting_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    if customer.merged_into_id is not None:
        messages.info(
            request,
            _("%(customer)s was merged into this customer; its issued invoices stay as they were.")
            % {"customer": customer.organisation},
        )
        return redirect("frontend:staff-customer-page", pk=customer.merged_into_id)
    into = MergeIntoForm(request.POST or None, exclude=customer)
    if request.method == "POST" and into.is_valid():
        return redirect(_merge_url([customer, into.cleaned_data["other"]]) + f"&keep={customer.pk}")
    invoices = Invoice.objects.filter(Q(customer=customer) | Q(customer__merged_into=customer))
    return render(
        request,
        "frontend/staff/customers/detail.html",
        {
            "customer": customer,
            "contacts": customer.contacts.all(),
            "aliases": customer.merged.order_by("pk"),
            "bookings": customer.bookings.select_related("room").order_by("-start")[
                :RECENT_BOOKINGS
            ],
            "booking_count": customer.bookings.count(),
            "invoice_counts": invoices.aggregate(
                drafts=Count("pk", filter=Q(status=InvoiceStatus.DRAFT)),
                issued=Count("pk", filter=Q(status=InvoiceStatus.ISSUED)),
            ),
            "invoices_url": reverse("frontend:staff-invoices")
            + "?"
            + urlencode({"customer": customer.pk}),
            "into": into,
        },
    )


def _comparison(customers: list[Customer]) -> list[dict]:
    ids = [customer.pk for customer in customers]
    counted = {
        row.pk: row
        for row in Customer.objects.filter(pk__in=ids).annotate(
            booking_count=Count("bookings", distinct=True),
            draft_count=Count(
                "invoices", filter=Q(invoices__status=InvoiceStatus.DRAFT), distinct=True
            ),
            issued_count=Count(
                "invoices", filter=Q(invoices__status=InvoiceStatus.ISSUED), distinct=True
            ),
        )
    }
    return [
        {"customer": customer, "counts": counted[customer.pk], "contacts": customer.contacts.all()}
        for customer in customers
    ]


def _default_keep(customers: list[Customer]) -> Customer:
    """The one with a business ID, else the oldest: the likeliest to be the right one."""
    return min(customers, key=lambda c: (not c.business_id, c.created_at, c.pk))


@require_http_methods(["GET", "HEAD", "POST"])
@accounting_required
def customer_merge(request: HttpRequest) -> HttpResponse:
    """GET: the customers side by side, to choose which is kept. POST: merge them."""
    form = MergeChoiceForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid() and "customers" in form.errors:
        for error in form.errors["customers"]:
            messages.error(request, str(error))
        return redirect("frontend:staff-customers")
    chosen: list[Customer] = form.cleaned_data.get("customers") or []
    if not chosen:
        raise Http404
    keep = form.cleaned_data.get("keep") or _default_keep(chosen)
    if request.method == "POST" and form.is_valid() and form.cleaned_data.get("keep"):
        try:
            result = customers_merge(
                keep=keep,
                duplicates=[c for c in chosen if c.pk != keep.pk],
                actor=acting_user(request.user),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "Merged into %(customer)s; %(count)s booking moved with it.",
                    "Merged into %(customer)s; %(count)s bookings moved with them.",
                    result.bookings_moved,
                )
                % {"customer": result.kept.organisation, "count": result.bookings_moved},
            )
            return redirect("frontend:staff-customer-page", pk=result.kept.pk)
    return render(
        request,
        "frontend/staff/customers/merge.html",
        {"form": form, "rows": _comparison(chosen), "keep": keep},
    )
