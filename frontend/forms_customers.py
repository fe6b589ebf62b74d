"""Forms of the customer pages: they parse input; the customer services judge it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.models import Customer
from frontend.forms_invoices import MAX_ID

# Enough for any real set of duplicates; a longer list is a mistake.
MAX_MERGED = 20


def _known_ids(values: Any) -> None:
    """Refuse what cannot be a customer's number before the database sees it."""
    for value in values if isinstance(values, list | tuple) else [values]:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID):
            raise forms.ValidationError(_("There is no such customer."), code="invalid_choice")


class LiveCustomersField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> Any:
        if value:
            _known_ids(value)
        return super().clean(value)


class LiveCustomerField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            _known_ids(value)
        return super().to_python(value)


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a customer"),
        required=False,
        max_length=100,
        help_text=_("A name, business ID, or a contact's name or e-mail."),
    )


class MergeChoiceForm(forms.Form):
    """Which customers are one organisation, and which of them is kept."""

    customers = LiveCustomersField(
        label=_("Customers"), queryset=Customer.objects.live(), widget=forms.MultipleHiddenInput
    )
    keep = LiveCustomerField(
        label=_("Keep"), queryset=Customer.objects.live(), widget=forms.RadioSelect, required=False
    )

    def clean_customers(self) -> list[Customer]:
        chosen = list(self.cleaned_data["customers"])
        if not 2 <= len(chosen) <= MAX_MERGED:
            raise forms.ValidationError(
                _("Choose between 2 and %(count)s customers to merge.") % {"count": MAX_MERGED}
            )
        return chosen

    def clean(self) -> dict[str, Any]:
        super().clean()
        keep, chosen = self.cleaned_data.get("keep"), self.cleaned_data.get("customers")
        if keep is not None and chosen and keep not in chosen:
            self.add_error("keep", _("Keep one of the customers being merged."))
        return self.cleaned_data


class MergeIntoForm(forms.Form):
    """On a customer's page: another customer to merge into this one."""

    other = LiveCustomerField(
        label=_("Merge another customer into this one"), queryset=Customer.objects.none()
    )

    def __init__(self, *args: Any, exclude: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["other"])
        field.queryset = Customer.objects.live().exclude(pk=exclude.pk).order_by("organisation")
