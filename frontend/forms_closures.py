"""The staff workspace's closure forms: a closure, the emergency closure's
confirmation, removing one."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.models import (
    ClosureReason,
    Room,
)
from frontend.forms_staff import DATE_INPUT, TIME_INPUT, RoomsChoiceField, helsinki


class ClosureForm(forms.Form):
    rooms = RoomsChoiceField(
        label=_("Rooms"),
        queryset=Room.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    whole_house = forms.BooleanField(label=_("The whole house"), required=False)
    start_day = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_INPUT)
    end_day = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_INPUT)
    reason = forms.ChoiceField(label=_("Reason"), choices=ClosureReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def times(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return (
            helsinki(data["start_day"], data["start_time"]),
            helsinki(data["end_day"], data["end_time"]),
        )


CLOSURE_ERROR_FIELDS = {"start": "start_time", "end": "end_time"}


class ClosureCancelForm(forms.Form):
    """The confirmation of an emergency closure: the bookings staff saw listed, which the
    service cancels only if they are still exactly the ones in the way."""

    cancel_ids = forms.RegexField(regex=r"^\d+(,\d+)*$", widget=forms.HiddenInput)

    def ids(self) -> list[int]:
        return [int(part) for part in self.cleaned_data["cancel_ids"].split(",")]


class ClosureRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Why is it lifted"), required=False, max_length=2000)
