"""The room finder's search on the front page: a GET form that works without JavaScript.

It parses and bounds what was typed; which rooms fit and are free is decided by
`bookings.finder`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.schedule import HELSINKI
from frontend.forms_public import DateInput, TimeInput

# The query parameters of a search (SPEC §3.3); any of them present makes it one.
FINDER_PARAMETERS = ("date", "from", "to", "attendees", "equipment")
EQUIPMENT_CHOICES = [
    ("projector", _("projector")),
    ("screen", _("screen")),
    ("hybrid_meeting_kit", _("hybrid meeting kit")),
    ("kitchen", _("kitchen")),
]
# Nothing is planned further ahead than this (the request service's own bound).
FURTHEST_DAYS = 5 * 365


class EquipmentField(forms.MultipleChoiceField):
    """Checkboxes (`equipment=projector&equipment=screen`) or one comma-separated value
    (`equipment=projector,screen`), as a link or the API writes it."""

    def to_python(self, value: Any) -> list[str]:
        codes: list[str] = []
        for item in super().to_python(value):
            codes.extend(code.strip() for code in item.split(",") if code.strip())
        return codes


class RoomFinderForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    attendees = forms.IntegerField(label=_("Attendees"), min_value=1, max_value=10_000, initial=1)
    equipment = EquipmentField(
        label=_("Equipment"),
        choices=EQUIPMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added by name.
        self.fields["from"] = forms.TimeField(label=_("From"), widget=TimeInput())
        self.fields["to"] = forms.TimeField(label=_("Until"), widget=TimeInput())
        self.order_fields(["date", "from", "to", "attendees", "equipment"])

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Choose today or a later day."))
        if day > today + timedelta(days=FURTHEST_DAYS):
            raise forms.ValidationError(_("Choose a day within five years."))
        return day

    def clean_equipment(self) -> list[str]:
        return sorted(set(self.cleaned_data["equipment"]))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("from") and data.get("to") and data["to"] <= data["from"]:
            self.add_error("to", _("The end must be after the start."))
        return data

    def times(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return (
            datetime.combine(data["date"], data["from"], tzinfo=HELSINKI),
            datetime.combine(data["date"], data["to"], tzinfo=HELSINKI),
        )
