"""Forms of the staff workspace: they parse input; the booking services judge it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bookings.models import (
    LANGUAGE_CHOICES,
    Booking,
    BookingSeries,
    BookingStatus,
    Room,
)
from bookings.recurrence import Recurrence
from bookings.schedule import HELSINKI, local
from bookings.services import Extra
from bookings.validators import within_years, years_message
from invoicing.models import Extra as ExtraItem

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


def helsinki(day: date, moment: time) -> datetime:
    """A wall-clock time on the house's clock (SPEC §2.3: shown in Europe/Helsinki)."""
    return datetime.combine(day, moment, tzinfo=HELSINKI)


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Room) -> str:
        return obj.name


class RoomsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Room) -> str:
        return obj.name


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, names: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: each message on its field when the
    form has it (renamed by `names`), else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    names = names or {}
    for name, problems in error.error_dict.items():
        target = names.get(name, name)
        form.add_error(target if target in form.fields else None, problems)


STATUS_CHOICES = [("", pgettext_lazy("booking status", "Any state")), *BookingStatus.choices]


class QueueFilterForm(forms.Form):
    room = RoomChoiceField(
        label=_("Room"), queryset=Room.objects.all(), required=False, empty_label=_("Every room")
    )
    first_day = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    last_day = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=_("State"), choices=STATUS_CHOICES, required=False, initial="requested"
    )
    q = forms.CharField(
        label=_("Organisation or contact"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class RevisionField(forms.IntegerField):
    """The booking's revision when the page was drawn: a stale form is refused."""

    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, min_value=0)


def competing_label(booking: Booking) -> str:
    start, end = local(booking.start), local(booking.end)
    return (
        f"#{booking.pk} {booking.title} – {booking.organisation or '–'}, {booking.room.name}, "
        f"{start:%d.%m.%Y %H:%M}–{end:%H:%M}"
    )


class CompetingChoiceField(forms.ModelMultipleChoiceField):
    """Competing requests, each named with its renter, room and time."""

    def label_from_instance(self, obj: Booking) -> str:
        return competing_label(obj)


class ApproveForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the renter (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    sequence = RevisionField()
    reject_competing = CompetingChoiceField(
        label=_("Reject these competing requests"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rejection_message = forms.CharField(
        label=_("Message to the renters of the rejected requests"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, competing: list[Booking], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(CompetingChoiceField, self.fields["reject_competing"])
        field.queryset = Booking.objects.filter(pk__in=[b.pk for b in competing]).select_related(
            "room"
        )


class RejectForm(forms.Form):
    # Needed, but the service says so (the same words as the API and the admin).
    message = forms.CharField(
        label=_("Message to the renter"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the renter by e-mail."),
    )
    sequence = RevisionField()


SCOPE_ONE = "one"
SCOPE_REST = "rest"


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit trail and sent to the renter."),
    )
    scope = forms.ChoiceField(
        label=_("What to cancel"),
        choices=[
            (SCOPE_ONE, _("This booking only")),
            (SCOPE_REST, _("This and every later date of the series")),
        ],
        initial=SCOPE_ONE,
        widget=forms.RadioSelect,
    )
    sequence = RevisionField()


class SeriesApproveForm(forms.Form):
    # The date whose page the form was on, and its revision then.
    seen = forms.ModelChoiceField(
        queryset=Booking.objects.none(), widget=forms.HiddenInput, required=False
    )
    sequence = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    skip_conflicts = forms.BooleanField(
        label=_("Skip the clashing dates (they are rejected with a note to the renter)"),
        required=False,
    )
    message = forms.CharField(
        label=_("Message to the renter (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, series: BookingSeries | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if series is not None:
            seen = cast(forms.ModelChoiceField, self.fields["seen"])
            seen.queryset = Booking.objects.filter(series=series)


class SeriesRejectForm(forms.Form):
    seen = forms.ModelChoiceField(
        queryset=Booking.objects.none(), widget=forms.HiddenInput, required=False
    )
    sequence = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    message = forms.CharField(label=_("Message to the renter"), max_length=2000)

    def __init__(self, *args: Any, series: BookingSeries, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seen = cast(forms.ModelChoiceField, self.fields["seen"])
        seen.queryset = Booking.objects.filter(series=series)


class TimeFields(forms.Form):
    """A room and a time on one local day (staff may book across midnight by giving an
    end time before the start: it ends the next day)."""

    room = RoomChoiceField(label=_("Room"), queryset=Room.objects.filter(is_active=True))
    day = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_INPUT)
    override_reason = forms.CharField(
        label=_("Reason for booking outside opening hours"),
        required=False,
        max_length=200,
        help_text=_("Needed only when the time is outside the room's opening hours."),
    )

    def times(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        start = helsinki(data["day"], data["start_time"])
        end = helsinki(data["day"], data["end_time"])
        if end <= start:
            end = helsinki(data["day"] + timedelta(days=1), data["end_time"])
        return start, end


# Service field names -> form field names.
TIME_ERROR_FIELDS = {"start": "start_time", "end": "end_time"}


class MoveForm(TimeFields):
    reason = forms.CharField(label=_("Why is it changed"), required=False, max_length=2000)
    sequence = RevisionField()


class StaffBookingForm(TimeFields):
    title = forms.CharField(label=_("Event title"), max_length=200)
    attendees = forms.IntegerField(label=_("Attendees"), min_value=1)
    for_house = forms.BooleanField(
        label=_("The house's own booking (no renter)"),
        required=False,
    )
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    business_id = forms.CharField(label=_("Business ID"), required=False, max_length=9)
    billing_address = forms.CharField(
        label=_("Billing address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Renter's language"), choices=LANGUAGE_CHOICES)
    message = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Repeating, as a renter's request repeats (bookings.recurrence); the service checks
    # each date.
    repeat = forms.BooleanField(label=_("Repeat weekly"), required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the weekday of the date above."),
    )
    interval_weeks = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=52, initial=1, required=False
    )
    until = forms.DateField(label=_("Last date of the series"), widget=DATE_INPUT, required=False)
    count = forms.IntegerField(
        label=_("Or the number of dates"), min_value=1, max_value=104, required=False
    )
    skip_unavailable = forms.BooleanField(
        label=_("Book the free dates and leave out the taken ones"), required=False
    )

    REPEAT_FIELDS = ("repeat", "weekdays", "interval_weeks", "until", "count", "skip_unavailable")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_items = list(ExtraItem.objects.filter(is_active=True).order_by("code"))
        for item in self.extra_items:
            self.fields[f"extra_{item.code}"] = forms.IntegerField(
                label=item.name, min_value=0, max_value=10_000, required=False
            )

    @property
    def extra_fields(self) -> list[forms.BoundField]:
        return [self[f"extra_{item.code}"] for item in self.extra_items]

    @property
    def repeat_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.REPEAT_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("repeat") and not (data.get("until") or data.get("count")):
            self.add_error("until", _("Give the last date or the number of dates."))
        return data

    def extras(self) -> list[Extra]:
        return [
            Extra(code=item.code, quantity=quantity)
            for item in self.extra_items
            if (quantity := self.cleaned_data.get(f"extra_{item.code}"))
        ]

    def recurrence(self) -> Recurrence | None:
        data = self.cleaned_data
        if not data.get("repeat"):
            return None
        return Recurrence(
            weekdays=tuple(sorted(set(data.get("weekdays") or ()))),
            interval_weeks=data.get("interval_weeks") or 1,
            until=data.get("until"),
            count=data.get("count"),
        )


class BookingStartForm(forms.Form):
    """What the timeline's empty-time links fill in on the new-booking page: a value that
    does not read is left out, the rest still fills its field."""

    room = RoomChoiceField(
        label=_("Room"), queryset=Room.objects.filter(is_active=True), required=False
    )
    day = forms.DateField(label=_("Date"), required=False)
    start_time = forms.TimeField(label=_("Start time"), required=False)
    end_time = forms.TimeField(label=_("End time"), required=False)

    def initial_values(self) -> dict:
        self.is_valid()  # fields that fail are missing from cleaned_data
        return {name: value for name, value in self.cleaned_data.items() if value}


class FeedTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the feed"),
        max_length=100,
        help_text=_("For you to tell your feeds apart, e.g. “phone”."),
    )
    rooms = RoomsChoiceField(
        label=_("Rooms"),
        queryset=Room.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every room."),
    )


# The form's `date` field shadows the type inside its class body.
CalendarDay = date


class JumpForm(forms.Form):
    date = forms.DateField(label=_("Go to date"), required=False, widget=DATE_INPUT)

    def clean_date(self) -> CalendarDay | None:
        day = self.cleaned_data["date"]
        if day is not None and not within_years(day):
            raise ValidationError(years_message(), code="out_of_range")
        return day
