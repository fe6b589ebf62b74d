"""Input and output shapes of the quote and accounting API. No rule lives here: input
serializers check types and sizes; `invoicing.quotes` and `invoicing.services` decide."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.api.common import Day, StrictSerializer
from bookings.models import Booking
from invoicing.exports import export_period_check
from invoicing.models import (
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceSending,
    InvoiceStatus,
    Payment,
    Reminder,
    vat_groups,
)
from invoicing.selectors import Balance, BalanceState, invoice_balance
from invoicing.services import MAX_INVOICE_BOOKINGS, MAX_SEND_INVOICES
from invoicing.vat import VatCode

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from invoicing.selectors import InvoiceWithBalance


def money_field() -> serializers.DecimalField:
    """An amount in euros and cents, as the invoice columns store it."""
    return serializers.DecimalField(max_digits=12, decimal_places=2)


def rate_field() -> serializers.DecimalField:
    """A VAT rate in percent; null where the line carries none."""
    return serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


# Far enough for any real booking, near enough that time zone arithmetic cannot overflow.
EARLIEST, LATEST = 2000, 2100


class VatGroupSerializer(serializers.Serializer):
    vat_code = serializers.ChoiceField(choices=VatCode.choices)
    vat_rate = rate_field()
    net = money_field()
    vat = money_field()
    gross = money_field()


# --- Invoices: input ----------------------------------------------------------------------


class InvoiceCreateSerializer(StrictSerializer):
    bookings = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=MAX_INVOICE_BOOKINGS,
        help_text=_("Approved, not yet invoiced bookings of one customer."),
    )


class InvoiceIssueSerializer(StrictSerializer):
    """Issuing takes no input: the number, dates and seller come from the service."""


class CreditLineInputSerializer(StrictSerializer):
    position = serializers.IntegerField(min_value=1, help_text=_("The line's position."))
    quantity = serializers.DecimalField(
        max_digits=12,
        decimal_places=3,
        required=False,
        help_text=_("Part of the line's quantity to credit; all of it when left out."),
    )


class CreditAmountInputSerializer(StrictSerializer):
    vat_code = serializers.ChoiceField(choices=VatCode.choices)
    vat_rate = rate_field()
    net = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("The amount without VAT to credit.")
    )


class CreditInputSerializer(StrictSerializer):
    """The reason, and what to credit: chosen `lines`, `amounts` by VAT rate, or (given
    neither) all that is still uncredited."""

    reason = serializers.CharField(max_length=500)
    lines = CreditLineInputSerializer(many=True, required=False, allow_empty=False)
    amounts = CreditAmountInputSerializer(many=True, required=False, allow_empty=False)


class SendInputSerializer(StrictSerializer):
    again = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Send an invoice that has been sent before once more."),
    )


class BulkSendInputSerializer(SendInputSerializer):
    invoices = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=MAX_SEND_INVOICES,
    )


class BulkSendSerializer(serializers.Serializer):
    sent = serializers.IntegerField()
    batch = serializers.IntegerField(allow_null=True, help_text=_("The e-invoice batch made."))
    batch_url = serializers.URLField(allow_null=True)


class PaymentInputSerializer(StrictSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    date = Day(help_text=_("The day the payment was made."))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    payments_seen = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=10**6,
        help_text=_(
            "How many payments the invoice had when you looked (its `payments`). Send it: "
            "a retried or doubled request then gets 409 `stale` instead of paying twice."
        ),
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Record it even though it is more than the open amount or dated before the "
            "invoice was issued."
        ),
    )


class PeriodQuerySerializer(StrictSerializer):
    """`?from=&to=`: issue dates, both days included (`from` is a Python keyword, hence
    the fields are built here rather than declared)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": Day(help_text=_("First issue date (YYYY-MM-DD).")),
            "to": Day(help_text=_("Last issue date, included.")),
        }

    def validate(self, attrs: dict[str, date]) -> dict[str, date]:
        try:
            export_period_check(attrs["from"], attrs["to"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return attrs


# --- Invoices: output ---------------------------------------------------------------------


class InvoiceSerializer(serializers.ModelSerializer):
    """An invoice in a list; `paid` and `credited` come annotated from the selector."""

    # Plain strings: the enum names `status` and `kind` are taken by the booking schema.
    kind = serializers.CharField(help_text=_("`invoice` or `credit` (a credit note)."))
    status = serializers.CharField(help_text=_("`draft` or `issued`."))
    number = serializers.CharField(source="number_text")
    state = serializers.SerializerMethodField()
    paid = money_field()
    credited_amount = money_field()
    outstanding = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "kind",
            "status",
            "state",
            "number",
            "issue_date",
            "due_date",
            "customer",
            "buyer_name",
            "buyer_business_id",
            "reference",
            "credited_invoice",
            "credited_amount",
            "total_net",
            "total_vat",
            "total_gross",
            "paid",
            "outstanding",
            "pdf_url",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=BalanceState.choices))
    def get_state(self, invoice: InvoiceWithBalance) -> str:
        return self._balance(invoice).state

    @extend_schema_field(money_field())
    def get_outstanding(self, invoice: InvoiceWithBalance) -> str:
        return f"{self._balance(invoice).outstanding:.2f}"

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf_url(self, invoice: Invoice) -> str | None:
        # Only issued invoices have a stored PDF; no query needed to know.
        if invoice.status != InvoiceStatus.ISSUED:
            return None
        return settings.SITE_URL + reverse("api-invoice-pdf", args=[invoice.pk])

    def _balance(self, invoice: InvoiceWithBalance) -> Balance:
        return invoice_balance(
            invoice,
            paid=invoice.paid,
            credited=invoice.credited,
            credited_amount=invoice.credited_amount,
        )


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "booking",
            "description",
            "service_start",
            "service_end",
            "quantity",
            "unit",
            "unit_price",
            "vat_code",
            "vat_rate",
            "net",
            "vat",
            "gross",
            "product",
            "discounted_line",
            "credited_line",
        ]


class PaymentSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="paid_on")

    class Meta:
        model = Payment
        fields = ["id", "amount", "date", "method", "note", "recorded_at", "bank_entry"]


class SendingSerializer(serializers.ModelSerializer):
    batch_url = serializers.SerializerMethodField()

    class Meta:
        model = InvoiceSending
        fields = ["method", "recipient", "sent_at", "batch", "batch_url"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_batch_url(self, sending: InvoiceSending) -> str | None:
        return batch_url(sending.batch_id)


def batch_url(batch_id: int | None) -> str | None:
    if batch_id is None:
        return None
    return settings.SITE_URL + reverse("api-e-invoice-batch", args=[batch_id])


class ReminderSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Reminder
        fields = [
            "id",
            "sequence",
            "reminded_on",
            "due_date",
            "open_amount",
            "interest_rate",
            "interest",
            "fee",
            "total",
            "method",
            "recipient",
            "pdf_url",
        ]

    @extend_schema_field(serializers.URLField())
    def get_pdf_url(self, reminder: Reminder) -> str:
        return settings.SITE_URL + reverse("api-reminder-pdf", args=[reminder.pk])


class ReminderInputSerializer(StrictSerializer):
    """A reminder takes no input: the fee, interest and dates come from the service."""


class InvoiceEventSerializer(serializers.ModelSerializer[InvoiceEvent]):
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = InvoiceEvent
        fields = ["action", "detail", "at", "actor"]


class InvoiceDetailSerializer(InvoiceSerializer):
    """One invoice with what it shows: seller and buyer copies, lines, VAT by rate."""

    lines = InvoiceLineSerializer(many=True)
    vat_breakdown = serializers.SerializerMethodField()
    payments = PaymentSerializer(many=True)
    sendings = SendingSerializer(many=True)
    reminders = ReminderSerializer(many=True)
    events = InvoiceEventSerializer(many=True)
    bookings: serializers.PrimaryKeyRelatedField[Booking] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    reference_rf = serializers.CharField(source="rf_reference_text")
    open_amount = serializers.SerializerMethodField()

    class Meta(InvoiceSerializer.Meta):
        fields = [
            *InvoiceSerializer.Meta.fields,
            "open_amount",
            "reference_rf",
            "language",
            "buyer_address",
            "buyer_reference",
            "buyer_e_invoice_address",
            "buyer_e_invoice_operator",
            "seller_name",
            "seller_address",
            "seller_business_id",
            "seller_iban",
            "seller_bic",
            "seller_vat_registered",
            "credited_number",
            "credited_issue_date",
            "credit_reason",
            "delivery_method",
            "buyer_email",
            "bookings",
            "lines",
            "vat_breakdown",
            "payments",
            "sendings",
            "reminders",
            "events",
        ]

    @extend_schema_field(money_field())
    def get_open_amount(self, invoice: InvoiceWithBalance) -> str:
        """What is still to be paid: zero for a draft, a credit note, a credited or a paid
        invoice (SPEC §3.6)."""
        return f"{self._balance(invoice).outstanding:.2f}"

    @extend_schema_field(VatGroupSerializer(many=True))
    def get_vat_breakdown(self, invoice: Invoice) -> list[dict[str, Any]]:
        # many=True makes a ListSerializer; the stubs type its data as one ReturnDict.
        return VatGroupSerializer(vat_groups(invoice.lines.all()), many=True).data  # type: ignore[return-value]
