"""The quote and accounting API (SPEC §3.4): one small view per operation, each declaring
who may use it. Views parse input and call `invoicing.quotes`, a service or a selector;
the rules live there, and their ValidationErrors become 400s in the exception handler."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.common import Accounting, Public
from bookings.api.views.base import REFUSALS, PublicWriteThrottle, visible_rooms
from bookings.models import Booking, Room
from bookings.services import acting_user
from invoicing.api import quote_serializers as quote_api
from invoicing.api import serializers as api
from invoicing.models import (
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceSending,
    Payment,
    Reminder,
)
from invoicing.quotes import Quote, quote
from invoicing.selectors import (
    BalanceState,
    invoice_state_filter,
    invoices_newest_first,
    invoices_with_balance,
)
from invoicing.services import (
    CreditedAmount,
    CreditedLine,
    invoice_create_draft,
    invoice_credit,
    invoice_issue,
    invoice_remind,
    invoice_send,
    invoices_send,
    payment_record,
)

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
    request=quote_api.QuoteInputSerializer,
    responses={
        200: quote_api.QuoteSerializer,
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
        incoming = quote_api.QuoteInputSerializer(data=request.data)
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
        return Response(quote_api.QuoteSerializer(quote_data(priced, quote_language())).data)


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
        Prefetch("sendings", queryset=InvoiceSending.objects.order_by("sent_at", "pk")),
        Prefetch("events", queryset=InvoiceEvent.objects.select_related("actor")),
        Prefetch("reminders", queryset=Reminder.objects.defer("pdf").order_by("sequence")),
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
    """Credit an issued invoice with a credit note of its own number: chosen `lines`
    (each at most once, whole or a `quantity` of it), `amounts` without VAT by VAT rate
    (at most what is left of the rate), or, with only a `reason`, all that is still
    uncredited. Its bookings can be invoiced again once it is credited in full. The
    answer is the credit note."""

    def post(self, request: Request, pk: int) -> Response:
        incoming = api.CreditInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        note = invoice_credit(
            invoice=self.invoice(pk),
            actor=acting_user(request.user),
            reason=data["reason"],
            lines=[CreditedLine(**item) for item in data.get("lines", [])],
            amounts=[CreditedAmount(**item) for item in data.get("amounts", [])],
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
                confirmed=data["confirm"],
            )
        except ValidationError as error:
            raise _api_names(error) from None
        return invoice_response(pk, status.HTTP_201_CREATED)


@extend_schema(
    tags=["invoices"],
    request=api.SendInputSerializer,
    responses={200: api.InvoiceDetailSerializer, **REFUSALS},
)
class InvoiceSendView(InvoiceActionView):
    """Deliver an issued invoice by its delivery method: e-mail with the stored PDF
    (sent after the commit, retried), e-invoice in a new batch file, or marked printed.
    The answer is the invoice with its sendings."""

    def post(self, request: Request, pk: int) -> Response:
        incoming = api.SendInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        invoice_send(
            invoice=self.invoice(pk),
            actor=acting_user(request.user),
            again=incoming.validated_data["again"],
        )
        return invoice_response(pk)


@extend_schema(
    tags=["invoices"],
    request=api.BulkSendInputSerializer,
    responses={200: api.BulkSendSerializer, **REFUSALS},
)
class InvoiceBulkSendView(APIView):
    """Deliver several issued invoices at once, all or none; their e-invoices go into
    one batch file for the operator's upload."""

    permission_classes = [Accounting]

    @extend_schema(operation_id="v1_invoices_send_bulk")
    def post(self, request: Request) -> Response:
        incoming = api.BulkSendInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ids = set(incoming.validated_data["invoices"])
        invoices = list(Invoice.objects.filter(pk__in=ids))
        if len(invoices) != len(ids):
            raise serializers.ValidationError({"invoices": [_("There is no such invoice.")]})
        sendings = invoices_send(
            invoices=invoices,
            actor=acting_user(request.user),
            again=incoming.validated_data["again"],
        )
        batch = next((s.batch_id for s in sendings if s.batch_id), None)
        return Response({"sent": len(sendings), "batch": batch, "batch_url": api.batch_url(batch)})


@extend_schema(
    tags=["invoices"],
    request=api.ReminderInputSerializer,
    responses={201: api.ReminderSerializer, **REFUSALS},
)
class InvoiceReminderView(InvoiceActionView):
    """Send a payment reminder of an overdue invoice by its delivery method: the open
    amount, penalty interest so far and the reminder fee, in a PDF kept with it."""

    def post(self, request: Request, pk: int) -> Response:
        api.ReminderInputSerializer(data=request.data).is_valid(raise_exception=True)
        reminder = invoice_remind(invoice=self.invoice(pk), actor=acting_user(request.user))
        return Response(api.ReminderSerializer(reminder).data, status=status.HTTP_201_CREATED)


def _api_names(error: ValidationError) -> ValidationError:
    """The service calls the payment date `paid_on`; this API calls it `date`."""
    if not hasattr(error, "error_dict"):
        return error
    renamed = {
        ("date" if name == "paid_on" else name): errors
        for name, errors in error.message_dict.items()
    }
    return ValidationError(renamed)
