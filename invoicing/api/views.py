"""The quote and accounting API (SPEC §3.4): one small view per operation, each declaring
who may use it. Views parse input and call `invoicing.quotes`, a service or a selector;
the rules live there, and their ValidationErrors become 400s in the exception handler."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.common import Accounting, Public
from bookings.api.views.base import REFUSALS, PublicWriteThrottle, visible_rooms
from bookings.models import Booking, Room
from bookings.services import acting_user
from invoicing.api import serializers as api
from invoicing.exports import invoice_pdf_file, lines_csv_file, pdfs_zip_file
from invoicing.models import Invoice, InvoiceLine, Payment
from invoicing.quotes import Quote, quote
from invoicing.selectors import (
    BalanceState,
    invoice_state_filter,
    invoices_newest_first,
    invoices_with_balance,
)
from invoicing.services import invoice_create_draft, invoice_credit, invoice_issue, payment_record

# --- Public: quotes -----------------------------------------------------------------------


def quote_data(priced: Quote, language: str) -> dict[str, Any]:
    lines = [{**line.as_json(), "description": line.description(language)} for line in priced.lines]
    return {
        "customer_group": priced.customer_group,
        "vat_registered": priced.vat_registered,
        "lines": lines,
        "totals": priced.totals,
        "net": priced.net,
        "vat": priced.vat,
        "gross": priced.gross,
    }


def quote_language() -> str:
    language = (get_language() or "fi")[:2]
    return language if language in ("fi", "sv", "en") else "fi"


def quoted_room(request: Request, slug: str) -> Room:
    room = visible_rooms(request).filter(slug=slug).first()
    if room is None:
        raise serializers.ValidationError({"room": [_("There is no such room.")]})
    return room


@extend_schema(
    tags=["quotes"],
    request=api.QuoteInputSerializer,
    responses={
        200: api.QuoteSerializer,
        429: OpenApiResponse(description="Too many requests from this address."),
        **REFUSALS,
    },
)
class QuoteView(APIView):
    """Price a room, a time and extras: lines and totals by VAT rate, as the request form
    estimates and the invoice will bill (the same `invoicing.quotes.quote`)."""

    permission_classes = [Public]
    throttle_classes = [PublicWriteThrottle]

    def post(self, request: Request) -> Response:
        incoming = api.QuoteInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        priced = quote(
            room=quoted_room(request, data["room"]),
            start=data["start"],
            end=data["end"],
            extras=data.get("extras", []),
            business_id=data.get("business_id", ""),
            attendees=data.get("attendees"),
        )
        return Response(api.QuoteSerializer(quote_data(priced, quote_language())).data)


# --- Accounting: invoices -----------------------------------------------------------------


class InvoiceFilter(django_filters.FilterSet):
    # Bounded, so an absurd number is a 400 and never reaches the database driver.
    customer = django_filters.NumberFilter(
        field_name="customer_id", min_value=1, max_value=2**63 - 1, decimal_places=0
    )
    state = django_filters.ChoiceFilter(choices=BalanceState.choices, method="filter_state")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text=_("Only invoices past due and not fully paid.")
    )
    issued_from = django_filters.DateFilter(field_name="issue_date", lookup_expr="gte")
    issued_to = django_filters.DateFilter(field_name="issue_date", lookup_expr="lte")
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Invoice
        fields = ["customer", "state", "overdue", "issued_from", "issued_to", "due_from", "due_to"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(invoice_state_filter(value, timezone.localdate()))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        overdue = invoice_state_filter(BalanceState.OVERDUE, timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


def invoice_detail() -> QuerySet[Invoice]:
    return invoices_with_balance().prefetch_related(
        Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")),
        Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "pk")),
        Prefetch("bookings", queryset=Booking.objects.only("pk")),
    )


def invoice_response(pk: int, http_status: int = status.HTTP_200_OK) -> Response:
    """The invoice as it now stands, read again with its balance annotated."""
    invoice = invoice_detail().get(pk=pk)
    return Response(api.InvoiceDetailSerializer(invoice).data, status=http_status)


class InvoiceActionView(APIView):
    permission_classes = [Accounting]

    def invoice(self, pk: int) -> Invoice:
        return get_object_or_404(Invoice, pk=pk)


@extend_schema(tags=["invoices"])
class InvoiceListCreateView(generics.ListAPIView):
    """Invoices and credit notes, newest first, with what is paid and the derived state;
    accounting also makes a draft from bookings here."""

    permission_classes = [Accounting]
    serializer_class = api.InvoiceSerializer
    filterset_class = InvoiceFilter

    def get_queryset(self) -> QuerySet[Invoice]:
        return invoices_newest_first()

    @extend_schema(
        request=api.InvoiceCreateSerializer,
        responses={201: api.InvoiceDetailSerializer, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        incoming = api.InvoiceCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ids = set(incoming.validated_data["bookings"])
        bookings = list(Booking.objects.filter(pk__in=ids))
        if len(bookings) != len(ids):
            raise serializers.ValidationError({"bookings": [_("There is no such booking.")]})
        draft = invoice_create_draft(bookings=bookings, actor=acting_user(request.user))
        return invoice_response(draft.pk, status.HTTP_201_CREATED)


@extend_schema(tags=["invoices"], responses={200: api.InvoiceDetailSerializer, **REFUSALS})
class InvoiceDetailView(generics.RetrieveAPIView):
    """One invoice with its lines, VAT by rate, payments and bookings."""

    permission_classes = [Accounting]
    serializer_class = api.InvoiceDetailSerializer

    def get_queryset(self) -> QuerySet[Invoice]:
        return invoice_detail()


@extend_schema(
    tags=["invoices"],
    request=api.InvoiceIssueSerializer,
    responses={200: api.InvoiceDetailSerializer, **REFUSALS},
)
class InvoiceIssueView(InvoiceActionView):
    """Issue a draft: the next number of the year, reference number, due date, a copy of
    the seller, and the PDF stored for good."""

    def post(self, request: Request, pk: int) -> Response:
        api.InvoiceIssueSerializer(data=request.data).is_valid(raise_exception=True)
        issued = invoice_issue(invoice=self.invoice(pk), actor=acting_user(request.user))
        return invoice_response(issued.pk)


@extend_schema(
    tags=["invoices"],
    request=api.CreditInputSerializer,
    responses={201: api.InvoiceDetailSerializer, **REFUSALS},
)
class InvoiceCreditView(InvoiceActionView):
    """Credit an issued invoice: a credit note with its own number negates it by VAT rate,
    and its bookings can be invoiced again. The answer is the credit note."""

    def post(self, request: Request, pk: int) -> Response:
        incoming = api.CreditInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        note = invoice_credit(
            invoice=self.invoice(pk),
            actor=acting_user(request.user),
            reason=incoming.validated_data["reason"],
        )
        return invoice_response(note.pk, status.HTTP_201_CREATED)


@extend_schema(
    tags=["invoices"],
    request=api.PaymentInputSerializer,
    responses={
        201: api.InvoiceDetailSerializer,
        409: OpenApiResponse(description="`stale`: the invoice got a payment since."),
        **REFUSALS,
    },
)
class InvoicePaymentView(InvoiceActionView):
    """Record a payment by hand, whole or partial. The answer is the invoice with its
    payments and what is still outstanding."""

    def post(self, request: Request, pk: int) -> Response:
        incoming = api.PaymentInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            payment_record(
                invoice=self.invoice(pk),
                amount=data["amount"],
                paid_on=data["date"],
                actor=acting_user(request.user),
                note=data["note"],
                payments_seen=data.get("payments_seen"),
            )
        except ValidationError as error:
            raise _api_names(error) from None
        return invoice_response(pk, status.HTTP_201_CREATED)


def _api_names(error: ValidationError) -> ValidationError:
    """The service calls the payment date `paid_on`; this API calls it `date`."""
    if not hasattr(error, "error_dict"):
        return error
    renamed = {
        ("date" if name == "paid_on" else name): errors
        for name, errors in error.message_dict.items()
    }
    return ValidationError(renamed)


# --- Accounting: downloads ----------------------------------------------------------------


class BinaryRenderer(BaseRenderer):
    """Lets a client ask for the file's type; refusals are still written as JSON."""

    charset = None
    # The same format name as JSON: a `?format=` choice between a file and its refusal
    # would only confuse clients (and the schema would offer it).
    format = "json"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


def renderers(media_type: str) -> list[type[BaseRenderer]]:
    name = f"{media_type.split('/')[1]}Renderer"
    renderer: type[BaseRenderer] = type(name, (BinaryRenderer,), {"media_type": media_type})
    return [JSONRenderer, renderer]


def binary(content_type: str, description: str) -> dict:
    return {(200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)}


@extend_schema(
    tags=["invoices"],
    responses={**binary("application/pdf", "The PDF stored at issue."), **REFUSALS},
)
class InvoicePdfView(InvoiceActionView):
    """The PDF made when the invoice was issued, byte for byte; a draft has none (404)."""

    renderer_classes = renderers("application/pdf")

    def get(self, request: Request, pk: int) -> HttpResponse:
        stored = invoice_pdf_file(pk)
        if stored is None:
            raise Http404
        return stored.as_attachment()


@extend_schema(
    tags=["invoices"],
    parameters=[api.PeriodQuerySerializer],
    responses={**binary("text/csv", "One row per invoice line, UTF-8."), **REFUSALS},
)
class InvoiceExportView(APIView):
    """Lines of the invoices and credit notes issued in the period, for bookkeeping."""

    permission_classes = [Accounting]
    renderer_classes = renderers("text/csv")

    def get(self, request: Request) -> HttpResponse:
        first, last = period(request)
        return lines_csv_file(first, last).as_attachment()


@extend_schema(
    tags=["invoices"],
    parameters=[api.PeriodQuerySerializer],
    responses={**binary("application/zip", "The stored PDFs of the period."), **REFUSALS},
)
class InvoiceArchiveView(APIView):
    """The stored PDFs of the invoices and credit notes issued in the period."""

    permission_classes = [Accounting]
    renderer_classes = renderers("application/zip")

    def get(self, request: Request) -> HttpResponse:
        first, last = period(request)
        return pdfs_zip_file(first, last).as_attachment()


def period(request: Request) -> tuple[date, date]:
    query = api.PeriodQuerySerializer(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return query.validated_data["from"], query.validated_data["to"]
