"""Forms of the accounting pages: they parse input; the invoicing services judge it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bookings.models import Booking, Customer
from frontend.forms_staff import DATE_INPUT
from invoicing.models import Unit
from invoicing.money import CENT
from invoicing.selectors import BalanceState, InvoiceFilters
from invoicing.services import MAX_BULK_BOOKINGS, MAX_INVOICE_BOOKINGS
from invoicing.vat import VatCode

# Far enough for any bookkeeping, near enough that date arithmetic cannot overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2100
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
MAX_ID = 2**31 - 1


class DayField(forms.DateField):
    """A date typed in a date input (YYYY-MM-DD), within the years 2000–2100."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=DATE_INPUT, **kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("Choose a date between the years 2000 and 2100."), code="out_of_range"
            )


class DecimalTextField(forms.DecimalField):
    """A number typed with a decimal comma or point (`12,5` or `12.5`) whatever the page's
    language: thousands separators are refused, never read as a decimal."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


class CustomerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Customer) -> str:
        # Two private persons may share a name; the business ID or address tells them apart.
        return f"{obj.organisation} ({obj.business_id or obj.email})"


def customer_field(**kwargs: Any) -> CustomerChoiceField:
    return CustomerChoiceField(
        label=_("Customer"),
        queryset=Customer.objects.live().order_by("organisation", "pk"),
        **kwargs,
    )


def _period_check(form: forms.Form, first: str, last: str) -> None:
    data = form.cleaned_data
    if data.get(first) and data.get(last) and data[last] < data[first]:
        form.add_error(last, _("The end must not be before the start."))


STATE_CHOICES = [("", pgettext_lazy("invoice state", "Any state")), *BalanceState.choices]


class InvoiceFilterForm(forms.Form):
    customer = customer_field(required=False, empty_label=_("Every customer"))
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    issued_from = DayField(label=_("Issued from"), required=False)
    issued_to = DayField(label=_("Issued until"), required=False)
    due_from = DayField(label=_("Due from"), required=False)
    due_to = DayField(label=_("Due until"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        _period_check(self, "issued_from", "issued_to")
        _period_check(self, "due_from", "due_to")
        return data

    def filters(self) -> InvoiceFilters:
        """The filters of a valid form; none of an invalid one (the page says why)."""
        if not self.is_valid():
            return InvoiceFilters()
        data = self.cleaned_data
        customer = data.get("customer")
        return InvoiceFilters(
            customer_id=customer.pk if customer else None,
            state=data.get("state") or "",
            overdue=bool(data.get("overdue")),
            issued_from=data.get("issued_from"),
            issued_to=data.get("issued_to"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )


class DraftChooseForm(forms.Form):
    """Whose bookings, and of which period (empty: every booking not yet invoiced)."""

    customer = customer_field()
    first_day = DayField(label=_("From"), required=False)
    last_day = DayField(label=_("To"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        _period_check(self, "first_day", "last_day")
        return data

    def period(self) -> tuple[date, date]:
        data = self.cleaned_data
        return data.get("first_day") or EARLIEST, data.get("last_day") or LATEST


class BookingIdsField(forms.Field):
    """Booking numbers ticked in the list; which of them may be invoiced is the
    service's to say."""

    widget: type[forms.Widget] = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Choose the bookings from the list.")}
    most = MAX_INVOICE_BOOKINGS

    def to_python(self, value: object) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple) or len(value) > self.most:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        ids = []
        for item in value:
            text = str(item).strip()
            if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ids.append(int(text))
        return sorted(set(ids))


class BulkBookingIdsField(BookingIdsField):
    """The bookings ticked on the ready-to-invoice list, of any number of customers."""

    widget: type[forms.Widget] = forms.CheckboxSelectMultiple
    most = MAX_BULK_BOOKINGS


class DraftForm(DraftChooseForm):
    """The chosen bookings of the chosen customer, for the preview and the draft."""

    bookings = BookingIdsField(label=_("Bookings"), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        ids, customer = data.get("bookings") or [], data.get("customer")
        if customer is None or "bookings" in self.errors:
            return data
        found = {booking.pk: booking for booking in Booking.objects.filter(pk__in=ids)}
        for pk in ids:
            if pk not in found:
                self.add_error("bookings", _("There is no booking #%(number)s.") % {"number": pk})
            elif found[pk].customer_id != customer.pk:
                self.add_error(
                    "bookings",
                    _("Booking #%(number)s is not a booking of %(customer)s.")
                    % {"number": pk, "customer": customer.organisation},
                )
        data["booking_rows"] = [found[pk] for pk in ids if pk in found]
        return data


CREDIT_WHOLE, CREDIT_LINES, CREDIT_AMOUNTS = "whole", "lines", "amounts"


class CreditForm(forms.Form):
    """The reason and what to credit: all that is left, chosen lines (a part of one by
    its quantity) or amounts by VAT rate. The fields of lines and rates are made from
    what the page offers; the credit service decides what may be credited."""

    reason = forms.CharField(
        label=_("Reason for the credit"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed on the credit note."),
    )
    mode = forms.ChoiceField(
        label=_("Credit"),
        choices=[
            (CREDIT_WHOLE, _("The whole invoice (all that is not credited yet)")),
            (CREDIT_LINES, _("These lines")),
            (CREDIT_AMOUNTS, _("An amount per VAT rate")),
        ],
        initial=CREDIT_WHOLE,
        required=False,  # left out: the whole invoice, as before the choice existed
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        lines: Iterable[tuple[int, str]] = (),
        rates: Iterable[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.line_positions = []
        for position, label in lines:
            self.line_positions.append(position)
            self.fields[f"line_{position}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"quantity_{position}"] = DecimalTextField(
                label=_("Quantity of line %(position)s to credit (all when empty)")
                % {"position": position},
                required=False,
                min_value=Decimal("0.001"),
                decimal_places=3,
            )
        self.rate_keys = []
        for key, label in rates:
            self.rate_keys.append(key)
            self.fields[f"amount_{key}"] = DecimalTextField(
                label=label, required=False, min_value=CENT, decimal_places=2
            )

    def chosen_lines(self) -> list[tuple[int, Decimal | None]]:
        data = self.cleaned_data
        return [
            (position, data.get(f"quantity_{position}"))
            for position in self.line_positions
            if data.get(f"line_{position}")
        ]

    def chosen_amounts(self) -> list[tuple[str, Decimal]]:
        data = self.cleaned_data
        return [(key, data[f"amount_{key}"]) for key in self.rate_keys if data.get(f"amount_{key}")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode = data.get("mode")
        if mode == CREDIT_LINES and not self.chosen_lines():
            self.add_error(None, _("Choose the lines to credit."))
        if mode == CREDIT_AMOUNTS and not self.chosen_amounts():
            self.add_error(None, _("Enter the amount to credit of at least one VAT rate."))
        return data


class DraftLineForm(forms.Form):
    """A line typed by accounting; the VAT rate comes from the table by its date."""

    description = forms.CharField(label=_("Description"), max_length=300)
    service_start = DayField(label=_("Service date"))
    service_end = DayField(label=_("Service end date (optional)"), required=False)
    quantity = DecimalTextField(label=_("Quantity"), min_value=Decimal("0.001"), decimal_places=3)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    unit_price = DecimalTextField(
        label=_("Unit price without VAT (€)"), min_value=0, decimal_places=2
    )
    vat_code = forms.ChoiceField(label=_("VAT code"), choices=VatCode.choices)


DISCOUNT_LINE, DISCOUNT_DRAFT, DISCOUNT_AMOUNT = "line", "draft", "amount"


class DraftDiscountForm(forms.Form):
    """A discount: a percentage of a line or of the whole draft, or an amount without
    VAT of one VAT code."""

    basis = forms.ChoiceField(
        label=_("Discount of"),
        choices=[
            (DISCOUNT_DRAFT, _("The whole draft, by percentage")),
            (DISCOUNT_LINE, _("One line, by percentage")),
            (DISCOUNT_AMOUNT, _("A fixed amount without VAT")),
        ],
        initial=DISCOUNT_DRAFT,
    )
    percent = DecimalTextField(label=_("Percentage"), required=False, decimal_places=2)
    position = forms.TypedChoiceField(
        label=_("Line"), required=False, coerce=int, empty_value=None, choices=()
    )
    amount = DecimalTextField(label=_("Amount without VAT (€)"), required=False, decimal_places=2)
    vat_code = forms.ChoiceField(
        label=_("VAT code of the amount"), required=False, choices=VatCode.choices
    )
    description = forms.CharField(
        label=_("Text on the invoice (optional)"), required=False, max_length=300
    )

    def __init__(self, *args: Any, lines: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        position = self.fields["position"]
        if isinstance(position, forms.ChoiceField):
            position.choices = [("", "–"), *((str(number), label) for number, label in lines)]


class PaymentFields(forms.Form):
    # Text, not a number field: people type "120,50", and the service reads both forms.
    amount = forms.CharField(
        label=_("Amount (€)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    paid_on = DayField(label=_("Payment date"))
    confirm = forms.BooleanField(
        label=_(
            "Record it even though it is more than the open amount or dated before the "
            "invoice was issued"
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"paid_on": timezone.localdate(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)


class PaymentForm(PaymentFields):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=200)
    # How many payments the invoice had when the page was shown: a form sent twice (a
    # double click, a reload) finds one more and is refused instead of paying twice.
    payments_seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10**6)


class ReferencePaymentForm(PaymentFields):
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=40,
        help_text=_("Finnish (e.g. 2026 00017) or RF (e.g. RF85 2026 0001 7)."),
    )

    field_order = ["reference", "amount", "paid_on", "confirm"]


class ExportForm(forms.Form):
    """A period of issue dates, both included; which file it is comes from the button."""

    first_day = DayField(label=_("Issued from"))
    last_day = DayField(label=_("Issued until"))


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement file"),
        max_length=200,
        allow_empty_file=False,
        help_text=_("camt.054 (XML) or a reference transfer file (KTL) from the bank."),
    )


class EntryResolveForm(forms.Form):
    """One resolution of a bank entry; which of them the entry allows is the service's
    to say."""

    ACTIONS = [
        ("assign", _("Assign to an invoice")),
        ("refund", _("Refunded")),
        ("ignore", _("Ignore")),
    ]

    action = forms.ChoiceField(choices=ACTIONS)
    invoice = forms.CharField(label=_("Invoice number or reference"), required=False, max_length=40)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReadyForm(forms.Form):
    """The ready-to-invoice list: bookings that start by this day (today if empty)."""

    last_day = DayField(label=_("Bookings up to"), required=False)

    def day(self) -> date:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("last_day"):
            return self.cleaned_data["last_day"]
        return timezone.localdate()


class ReadyDraftsForm(ReadyForm):
    """The bookings ticked on the ready-to-invoice list, a draft per customer."""

    bookings = BulkBookingIdsField(required=False)
