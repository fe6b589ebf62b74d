"""The range of months a staff member reads the reports for."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bookings.selectors.reports import month_parse, months_between


class MonthField(forms.CharField):
    """A month typed in a month input (YYYY-MM), as the API takes it."""

    def __init__(self, **kwargs: Any) -> None:
        widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})
        super().__init__(widget=widget, max_length=7, **kwargs)

    def clean(self, value: object) -> date:
        text = super().clean(value)
        try:
            return month_parse(text, "month")
        except ValidationError as error:
            raise ValidationError(error.message_dict["month"]) from None


class ReportRangeForm(forms.Form):
    first_month = MonthField(label=_("First month"))
    last_month = MonthField(label=_("Last month"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("first_month"), data.get("last_month")
        if first and last:
            try:
                months_between(first, last)
            except ValidationError as error:
                for message in error.message_dict["to"]:
                    self.add_error("last_month", message)
        return data
