"""Bank statements in the accounting API (SPEC §3.6): a camt.054 or KTL file posted as
multipart field `file`, the statements read back with each entry and what it paid, and
the entries to resolve with their resolutions (assign, refund, ignore). Views parse input
and call `invoicing.bank.services`; the rules live there."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.common import Accounting, StrictSerializer
from bookings.api.views import REFUSALS
from bookings.services import acting_user
from invoicing.api.serializers import money_field
from invoicing.bank.models import BankEntry, BankStatement
from invoicing.bank.readers import statement_size_check
from invoicing.bank.selectors import (
    bank_entries_of,
    bank_entries_to_resolve,
    bank_entries_with_allocation,
    bank_statements_newest_first,
)
from invoicing.bank.services import (
    bank_entry_assign,
    bank_entry_ignore,
    bank_entry_refund,
    bank_statement_import,
)
from invoicing.models import Invoice

if TYPE_CHECKING:
    from invoicing.bank.selectors import EntryWithAllocation


class StatementUploadSerializer(StrictSerializer):
    file = serializers.FileField(
        max_length=200,
        allow_empty_file=False,
        help_text=_("A camt.054 (.001.02 or .001.08) XML file or a reference transfer file."),
    )


class StatementImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    format = serializers.CharField(help_text=_("`camt.054.001.02`, `camt.054.001.08` or `ktl`."))
    entries = serializers.IntegerField(help_text=_("New entries stored."))
    matched = serializers.IntegerField(help_text=_("Credits that paid their invoice in full."))
    unmatched = serializers.IntegerField(
        help_text=_("Credits left for accounting: partial, over-paid or of no known invoice.")
    )
    duplicates = serializers.IntegerField(
        help_text=_("Entries an earlier import holds (same archive id), skipped.")
    )


class StatementSerializer(serializers.ModelSerializer):
    """A statement in a list; the counts come annotated from the selector."""

    format = serializers.CharField()
    imported_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    entries = serializers.IntegerField(source="entry_count")
    matched = serializers.IntegerField(source="matched_count")
    to_resolve = serializers.IntegerField(source="to_resolve_count")

    class Meta:
        model = BankStatement
        fields = [
            "id",
            "format",
            "file_name",
            "sha256",
            "message_id",
            "imported_at",
            "imported_by",
            "entries",
            "matched",
            "to_resolve",
            "duplicates",
        ]


class EntryPaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    invoice = serializers.IntegerField(source="invoice_id")
    invoice_number = serializers.CharField(source="invoice.number_text")
    amount = money_field()


class EntrySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text=_("`credit`, `debit`, `reversal` or `not_booked`."))
    state = serializers.CharField(
        help_text=_("`matched`, `partial`, `overpaid`, `unmatched` or `not_payment`.")
    )
    resolution = serializers.CharField(help_text=_("`assigned`, `refunded`, `ignored` or empty."))
    message = serializers.CharField(source="remittance")
    invoice_number = serializers.SerializerMethodField()
    payments = EntryPaymentSerializer(many=True)
    remainder = serializers.SerializerMethodField()

    class Meta:
        model = BankEntry
        fields = [
            "id",
            "position",
            "archive_id",
            "kind",
            "state",
            "amount",
            "currency",
            "booked_on",
            "payer",
            "reference",
            "message",
            "invoice",
            "invoice_number",
            "payments",
            "remainder",
            "resolution",
            "resolution_note",
            "resolved_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_invoice_number(self, entry: BankEntry) -> str | None:
        return entry.invoice.number_text if entry.invoice else None

    @extend_schema_field(money_field())
    def get_remainder(self, entry: EntryWithAllocation) -> str:
        """What of the entry is on no invoice (for a credit), from the annotation."""
        return f"{entry.amount - entry.allocated:.2f}"


class StatementDetailSerializer(StatementSerializer):
    bank_entries = serializers.SerializerMethodField()

    class Meta(StatementSerializer.Meta):
        fields = [*StatementSerializer.Meta.fields, "bank_entries"]

    @extend_schema_field(EntrySerializer(many=True))
    def get_bank_entries(self, statement: BankStatement) -> list[dict[str, Any]]:
        # many=True makes a ListSerializer; the stubs type its data as one ReturnDict.
        return EntrySerializer(bank_entries_of(statement), many=True).data  # type: ignore[return-value]


@extend_schema(tags=["bank statements"])
class BankStatementListCreateView(generics.ListAPIView):
    """Imported bank statements, newest first; accounting imports a file here."""

    permission_classes = [Accounting]
    serializer_class = StatementSerializer
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[BankStatement]:
        return bank_statements_newest_first()

    @extend_schema(
        request={"multipart/form-data": StatementUploadSerializer},
        responses={201: StatementImportSerializer, **REFUSALS},
    )
    def post(self, request: Request) -> Response:
        """Import a camt.054 or KTL file: its new entries stored, credits matched by
        reference and paid; the same file or bank entry is never recorded twice."""
        incoming = StatementUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        upload = incoming.validated_data["file"]
        statement_size_check(upload.size)  # before reading it into memory
        result = bank_statement_import(
            content=upload.read(), file_name=upload.name or "", actor=acting_user(request.user)
        )
        data = {
            "id": result.statement.pk,
            "format": result.statement.format,
            "entries": result.entries,
            "matched": result.matched,
            "unmatched": result.unmatched,
            "duplicates": result.duplicates,
        }
        return Response(StatementImportSerializer(data).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["bank statements"], responses={200: StatementDetailSerializer, **REFUSALS})
class BankStatementDetailView(generics.RetrieveAPIView):
    """One statement with each entry: its state, the invoice its reference names and the
    payments made from it, and how accounting resolved it."""

    permission_classes = [Accounting]
    serializer_class = StatementDetailSerializer

    def get_queryset(self) -> QuerySet[BankStatement]:
        return bank_statements_newest_first()


# --- Resolutions -------------------------------------------------------------------------


class EntryAssignSerializer(StrictSerializer):
    invoice = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EntryNoteSerializer(StrictSerializer):
    note = serializers.CharField(max_length=500, help_text=_("Why, for the bookkeeping."))


def entry_response(pk: int) -> Response:
    entry = bank_entries_with_allocation().select_related("invoice").get(pk=pk)
    return Response(EntrySerializer(entry).data)


@extend_schema(tags=["bank statements"], responses={200: EntrySerializer(many=True), **REFUSALS})
class BankEntryUnresolvedView(generics.ListAPIView):
    """Partial payments, over-payments and payments of no known invoice that accounting
    has not resolved yet, oldest booking first."""

    permission_classes = [Accounting]
    serializer_class = EntrySerializer

    def get_queryset(self) -> QuerySet[BankEntry]:
        return bank_entries_to_resolve()


class BankEntryActionView(APIView):
    permission_classes = [Accounting]

    def entry(self, pk: int) -> BankEntry:
        return get_object_or_404(BankEntry, pk=pk)


@extend_schema(
    tags=["bank statements"],
    request=EntryAssignSerializer,
    responses={200: EntrySerializer, **REFUSALS},
)
class BankEntryAssignView(BankEntryActionView):
    """Put what is left of the entry on an invoice, up to what the invoice owes."""

    def post(self, request: Request, pk: int) -> Response:
        incoming = EntryAssignSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        invoice = Invoice.objects.filter(pk=data["invoice"]).first()
        if invoice is None:
            raise serializers.ValidationError({"invoice": [_("There is no such invoice.")]})
        bank_entry_assign(
            entry=self.entry(pk),
            invoice=invoice,
            actor=acting_user(request.user),
            note=data["note"],
        )
        return entry_response(pk)


@extend_schema(
    tags=["bank statements"],
    request=EntryNoteSerializer,
    responses={200: EntrySerializer, **REFUSALS},
)
class BankEntryRefundView(BankEntryActionView):
    """Record that what is left of the entry was paid back to the payer."""

    def post(self, request: Request, pk: int) -> Response:
        incoming = EntryNoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        note = incoming.validated_data["note"]
        bank_entry_refund(entry=self.entry(pk), actor=acting_user(request.user), note=note)
        return entry_response(pk)


@extend_schema(
    tags=["bank statements"],
    request=EntryNoteSerializer,
    responses={200: EntrySerializer, **REFUSALS},
)
class BankEntryIgnoreView(BankEntryActionView):
    """Take the entry off the list without a payment, saying why."""

    def post(self, request: Request, pk: int) -> Response:
        incoming = EntryNoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        note = incoming.validated_data["note"]
        bank_entry_ignore(entry=self.entry(pk), actor=acting_user(request.user), note=note)
        return entry_response(pk)
