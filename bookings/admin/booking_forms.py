"""The forms of the booking admin: a staff booking made through `booking_staff_create`,
a change whose time or room goes through `booking_move`, and the message of a decision.
Each validates by a dry run of the service that will save it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings.admin.common import clean_business_id, validate_by_dry_run
from bookings.models import Booking
from bookings.services import (
    CONTACT_FIELDS,
    DETAIL_FIELDS,
    Actor,
    RenterDetails,
    booking_details_update,
    booking_move,
    booking_staff_create,
)

RENTER_FIELDS = CONTACT_FIELDS
TIME_FIELDS = ("room", "start", "end")


class BookingAddForm(forms.ModelForm):
    class Meta:
        model = Booking
        fields = (
            *("room", "start", "end", "title", "attendees", "override_reason"),
            *(*RENTER_FIELDS, "language", "message"),
        )

    def clean_business_id(self) -> str:
        return clean_business_id(self.cleaned_data["business_id"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # The service refuses a renter without organisation, contact person or e-mail.
        if not self.errors:
            validate_by_dry_run(self, lambda: self.create(actor=None))
        return cleaned

    def renter(self) -> RenterDetails | None:
        """The renter's details, or None for the house's own booking (all left empty)."""
        data = self.cleaned_data
        values = {name: (data.get(name) or "").strip() for name in RENTER_FIELDS}
        if not any(values.values()):
            return None
        return RenterDetails(**values, language=data.get("language") or "fi")

    def create(self, *, actor: Actor) -> Booking:
        data = self.cleaned_data
        return booking_staff_create(
            actor=actor,
            room=data["room"],
            start=data["start"],
            end=data["end"],
            title=data["title"],
            attendees=data["attendees"],
            renter=self.renter(),
            override_reason=data.get("override_reason", ""),
            message=data.get("message", ""),
        )


class BookingChangeForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change of time or room"),
        required=False,
        max_length=500,
        help_text=_("Recorded in the audit trail."),
    )
    # The revision the person saw: a booking changed since then is not overwritten.
    seen_sequence = forms.IntegerField(
        label=_("revision seen"), widget=forms.HiddenInput, required=False
    )

    class Meta:
        model = Booking
        fields = (*TIME_FIELDS, *DETAIL_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen_sequence"].initial = self.instance.sequence

    def clean_business_id(self) -> str:
        return clean_business_id(self.cleaned_data["business_id"])

    def moves(self) -> bool:
        return any(name in self.changed_data for name in TIME_FIELDS if name in self.fields)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.errors:
            return cleaned
        # The services judge the change: details (capacity, the renter's fields), then
        # the time or room (rules, capacity and clashes).
        validate_by_dry_run(self, lambda: self.apply(actor=None))
        return cleaned

    def apply(self, *, actor: Actor) -> None:
        """Write the change: the details, then the time or room, each through its service."""
        data = self.cleaned_data
        details = {name: data[name] for name in self.changed_data if name in DETAIL_FIELDS}
        if details:
            booking = Booking.objects.get(pk=self.instance.pk)
            booking_details_update(booking=booking, actor=actor, details=details)
        if self.moves():
            booking_move(
                booking=self.instance,
                actor=actor,
                room=data.get("room"),
                start=data.get("start"),
                end=data.get("end"),
                reason=data.get("change_reason", ""),
                override_reason=data.get("override_reason", ""),
                expected_sequence=data.get("seen_sequence"),
            )


class DecisionForm(forms.Form):
    # Not required here: a rejection without a reason is refused by the service, which
    # says so for each booking (the same words as on the staff pages and in the API).
    message = forms.CharField(
        label=_("Message to the renter"), widget=forms.Textarea, max_length=2000, required=False
    )


class ApproveForm(DecisionForm):
    message = forms.CharField(
        label=_("Message to the renter (optional)"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )


class CancelForm(DecisionForm):
    message = forms.CharField(
        label=_("Reason for the cancellation"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )
