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

from bookings.api.common import StrictSerializer
from bookings.models import Booking
from invoicing.exports import export_period_check
from invoicing.models import Invoice, InvoiceLine, InvoiceStatus, Payment, Unit, vat_groups
from invoicing.selectors import Balance, BalanceState, invoice_balance
from invoicing.services import MAX_INVOICE_BOOKINGS
from invoicing.vat import VatCode

if TYPE_CHECKING:
    from invoicing.selectors import InvoiceWithBalance


def money_field() -> serializers.DecimalField:
    """An amount in euros and cents, as the invoice columns store it."""
    return serializers.DecimalField(max_digits=12, decimal_places=2)


def rate_field() -> serializers.DecimalField:
    """A VAT rate in percent; null where the line carries none."""
    return serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


# Far enough for any real booking, near enough that time zone arithmetic cannot overflow.
EARLIEST, LATEST = 2000, 2100


# --- Quotes -------------------------------------------------------------------------------


class QuoteExtraSerializer(StrictSerializer):
    code = serializers.CharField(max_length=40)
    quantity = serializers.IntegerField(
        min_value=1,
        max_value=10_000,
        required=False,
        help_text=_("Units, or persons for a per-person extra (default: the attendees)."),
    )


class QuoteInputSerializer(StrictSerializer):
    room = serializers.SlugField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    business_id = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("A member organisation's business ID gets the member prices."),
    )
    extras = QuoteExtraSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]  # many=True makes a ListSerializer, which takes max_length
    attendees = serializers.IntegerField(min_value=1, max_value=100_000, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in ("start", "end"):
            if not EARLIEST <= attrs[name].year < LATEST:
                raise serializers.ValidationError(
                    {name: [_("Choose a time between the years 2000 and 2100.")]}
                )
        return attrs


class QuoteLineSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("`room` or `extra`."))
    code = serializers.CharField()
    description = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit = serializers.ChoiceField(choices=Unit.choices)
    unit_price = money_field()
    vat_code = serializers.ChoiceField(choices=VatCode.choices)
    vat_rate = rate_field()
    net = money_field()
    vat = money_field()
    gross = money_field()


class VatGroupSerializer(serializers.Serializer):
    vat_code = serializers.ChoiceField(choices=VatCode.choices)
    vat_rate = rate_field()
    net = money_field()
    vat = money_field()
    gross = money_field()


class QuoteSerializer(serializers.Serializer):
    customer_group = serializers.CharField()
    vat_registered = serializers.BooleanField()
    lines = QuoteLineSerializer(many=True)
    totals = VatGroupSerializer(many=True, help_text=_("Sums of the lines by VAT rate."))
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


class CreditInputSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500)


class PaymentInputSerializer(StrictSerializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    date = serializers.DateField(help_text=_("The day the payment was made."))
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


class PeriodQuerySerializer(StrictSerializer):
    """`?from=&to=`: issue dates, both days included (`from` is a Python keyword, hence
    the fields are built here rather than declared)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "from": serializers.DateField(help_text=_("First issue date (YYYY-MM-DD).")),
            "to": serializers.DateField(help_text=_("Last issue date, included.")),
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
        return invoice_balance(invoice, paid=invoice.paid, credited=invoice.credited)


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
        ]


class PaymentSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="paid_on")

    class Meta:
        model = Payment
        fields = ["id", "amount", "date", "method", "note", "recorded_at"]


class InvoiceDetailSerializer(InvoiceSerializer):
    """One invoice with what it shows: seller and buyer copies, lines, VAT by rate."""

    lines = InvoiceLineSerializer(many=True)
    vat_breakdown = serializers.SerializerMethodField()
    payments = PaymentSerializer(many=True)
    bookings: serializers.PrimaryKeyRelatedField[Booking] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    reference_rf = serializers.CharField(source="rf_reference_text")

    class Meta(InvoiceSerializer.Meta):
        fields = [
            *InvoiceSerializer.Meta.fields,
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
            "bookings",
            "lines",
            "vat_breakdown",
            "payments",
        ]

    @extend_schema_field(VatGroupSerializer(many=True))
    def get_vat_breakdown(self, invoice: Invoice) -> list[dict[str, Any]]:
        # many=True makes a ListSerializer; the stubs type its data as one ReturnDict.
        return VatGroupSerializer(vat_groups(invoice.lines.all()), many=True).data  # type: ignore[return-value]
