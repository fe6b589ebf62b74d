"""The renter's request form: parses what was typed and hands it to the booking services.

No booking rule lives here: times, capacity, the business ID, terms and clashes are
checked by `bookings.services`, and their refusals are attached to the fields here.
Every text field has a size limit, so nobody can post a novel into the request queue.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from bookings.models import Room
from bookings.recurrence import Recurrence
from bookings.schedule import HELSINKI
from bookings.services import (
    CONTACT_FIELDS,
    RENTER_REQUIRED,
    BookingRequestResult,
    Extra,
    RenterDetails,
    SeriesRequestResult,
    booking_request_create,
    booking_series_request_create,
)
from invoicing.models import Extra as ExtraItem
from invoicing.models import ExtraPricing

# The form has a field called `date`, which hides the type inside the class body.
Day = date
# Service error keys that name something other than a form field.
SERVICE_FIELDS = {"start": "start_time", "end": "end_time", "recurrence": "repeat"}
REPEAT_CHOICES = [("", _("Only once")), ("weekly", _("Repeats weekly"))]
RENTER_KINDS = [("organisation", _("An organisation")), ("person", _("A private person"))]
WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
# Only an organisation has these: a private person's are ignored, and hidden (CSS).
ORGANISATION_FIELDS = ("business_id", "e_invoice_address", "e_invoice_operator")


def _text(label, max_length: int, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class BookingRequestForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    repeat = forms.ChoiceField(
        label=_("Repeat"), choices=REPEAT_CHOICES, required=False, widget=forms.RadioSelect
    )
    interval_weeks = forms.IntegerField(
        label=_("Every how many weeks"), min_value=1, max_value=52, initial=1, required=False
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the weekday of the first date."),
    )
    until = forms.DateField(label=_("Last date of the series"), widget=DateInput(), required=False)
    count = forms.IntegerField(
        label=_("Or the number of dates"), min_value=1, max_value=104, required=False
    )
    title = _text(_("Event title"), 200)
    renter_kind = forms.ChoiceField(
        label=_("Who is booking"),
        choices=RENTER_KINDS,
        required=False,
        initial="organisation",
        widget=forms.RadioSelect,
    )
    attendees = forms.IntegerField(label=_("Number of attendees"), min_value=1, max_value=10_000)
    # Organisation, contact person and e-mail: every renter must give them, a rule of the
    # booking service (RENTER_REQUIRED), which tells what is missing. Here they are only
    # marked as required for the browser and the label.
    organisation = _text(_("Organisation or your name"), 200, required=False)
    business_id = _text(
        _("Business ID (Y-tunnus)"),
        20,
        required=False,
        help_text=_("Optional. Member organisations get member prices by their business ID."),
    )
    contact_name = _text(
        _("Contact person"),
        200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = _text(_("Phone"), 40, widget=forms.TextInput(attrs={"autocomplete": "tel"}))
    billing_address = _text(_("Billing address"), 500, widget=forms.Textarea(attrs={"rows": 3}))
    e_invoice_address = _text(_("E-invoice address"), 40, required=False)
    e_invoice_operator = _text(_("E-invoice operator"), 40, required=False)
    buyer_reference = _text(_("Your reference for the invoice"), 70, required=False)
    message = _text(
        _("Message to booking staff"),
        2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use and the privacy notice"), required=False
    )
    # Honeypot: hidden from people (CSS and aria-hidden); a bot that fills it is ignored.
    website = _text(_("Leave this field empty"), 200, required=False)

    TIME_FIELDS = ("date", "start_time", "end_time")

    def __init__(self, *args: Any, room: Room, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.room, self.language = room, language
        for field in self.fields.values():
            # Each missing field says which one it is, in the summary and beside it.
            field.error_messages["required"] = _("Fill in: %(field)s.") % {"field": field.label}
        self.extra_items = list(ExtraItem.objects.filter(is_active=True).order_by("code"))
        for item in self.extra_items:
            self.fields[f"extra_{item.code}"] = forms.IntegerField(
                label=extra_label(item), min_value=0, max_value=10_000, required=False
            )
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")
        for name in RENTER_REQUIRED:
            self.fields[name].widget.attrs["required"] = True

    @property
    def extra_fields(self) -> list[forms.BoundField]:
        return [self[f"extra_{item.code}"] for item in self.extra_items]

    @property
    def summary_items(self) -> list[tuple[str, str]]:
        """The error summary's lines, each linked to its field: the field's name first
        unless the message already says it."""
        items = []
        for bound in self:
            for error in map(str, bound.errors):
                label = str(bound.label)
                items.append((bound.auto_id, error if label in error else f"{label}: {error}"))
        return items

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def _moment(self, day: Day, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=HELSINKI)

    def times(self) -> tuple[datetime, datetime]:
        return self.times_of(self.cleaned_data)

    def times_of(self, data: dict[str, Any]) -> tuple[datetime, datetime]:
        day = data["date"]
        return self._moment(day, data["start_time"]), self._moment(day, data["end_time"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("repeat") == "weekly" and not (data.get("until") or data.get("count")):
            self.add_error("until", _("Give the last date or the number of dates."))
        if data.get("renter_kind") == "person":
            for name in ORGANISATION_FIELDS:  # hidden from a person, so never sent by one
                data[name] = ""
        return data

    def renter(self) -> RenterDetails:
        return self.renter_of(self.cleaned_data)

    def renter_of(self, data: dict[str, Any]) -> RenterDetails:
        """The renter's details in what could be read (a field that could not is empty)."""
        return RenterDetails(
            **{name: data.get(name) or "" for name in CONTACT_FIELDS}, language=self.language
        )

    def extras(self) -> list[Extra]:
        chosen = []
        for item in self.extra_items:
            quantity = self.cleaned_data.get(f"extra_{item.code}")
            if quantity:
                chosen.append(Extra(code=item.code, quantity=quantity))
        return chosen

    def recurrence(self) -> Recurrence | None:
        data = self.cleaned_data
        if data.get("repeat") != "weekly":
            return None
        return Recurrence(
            weekdays=tuple(sorted(set(data.get("weekdays") or ()))),
            interval_weeks=data.get("interval_weeks") or 1,
            until=data.get("until"),
            count=data.get("count"),
        )

    def submit(self) -> BookingRequestResult | SeriesRequestResult:
        """Send the request through the booking service; raises what the service raises."""
        start, end = self.times()
        common = {
            "room": self.room,
            "start": start,
            "end": end,
            "title": self.cleaned_data["title"],
            "attendees": self.cleaned_data["attendees"],
            "renter": self.renter(),
            "accept_terms": self.cleaned_data["accept_terms"],
            "extras": self.extras(),
            "message": self.cleaned_data["message"],
        }
        recurrence = self.recurrence()
        if recurrence is None:
            return booking_request_create(**common)
        return booking_series_request_create(**common, recurrence=recurrence)

    def add_service_errors(self, error: ValidationError) -> None:
        """Show each refusal of the service next to the field it is about."""
        if hasattr(error, "error_dict"):
            messages = error.message_dict
        else:
            messages = {NON_FIELD_ERRORS: error.messages}
        for name, texts in messages.items():
            field = SERVICE_FIELDS.get(name, name)
            target = field if field in self.fields else None
            for text in texts:
                self.add_error(target, text)

    def mark_invalid_fields(self) -> None:
        """Link each field to its error text (aria-describedby) and flag it (aria-invalid)."""
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if field.help_text:
                described.append(f"{bound.auto_id}_helptext")
            field.widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": " ".join(described)}
            )


def extra_label(item: ExtraItem) -> str:
    """An extra's name with its price and unit: "Coffee service (4.80 € a person)"."""
    if item.pricing == ExtraPricing.PERSON:
        price = _("%(price)s € a person") % {"price": item.price}
    else:
        price = _("%(price)s € each") % {"price": item.price}
    return f"{item.name} ({price})"


class EstimateForm(forms.Form):
    """What the price estimate needs; the quote itself is invoicing's."""

    date = forms.DateField()
    start_time = forms.TimeField()
    end_time = forms.TimeField()
    business_id = forms.CharField(max_length=20, required=False)
    attendees = forms.IntegerField(min_value=1, max_value=10_000, required=False)


class RequestChangeForm(forms.Form):
    """A pending request's time, attendees and extras, changed by its renter; the booking
    service checks them as it checks a new request."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    attendees = forms.IntegerField(label=_("Number of attendees"), min_value=1, max_value=10_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_items = list(ExtraItem.objects.filter(is_active=True).order_by("code"))
        for item in self.extra_items:
            self.fields[f"extra_{item.code}"] = forms.IntegerField(
                label=item.name, min_value=0, max_value=10_000, required=False
            )

    @classmethod
    def initial_of(cls, booking: Any) -> dict[str, Any]:
        start, end = booking.start.astimezone(HELSINKI), booking.end.astimezone(HELSINKI)
        initial: dict[str, Any] = {
            "date": start.date(),
            "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"),
            "attendees": booking.attendees,
        }
        for item in booking.extras or ():
            initial[f"extra_{item['code']}"] = item["quantity"]
        return initial

    @property
    def extra_fields(self) -> list[forms.BoundField]:
        return [self[f"extra_{item.code}"] for item in self.extra_items]

    def times(self) -> tuple[datetime, datetime]:
        day = self.cleaned_data["date"]
        return (
            datetime.combine(day, self.cleaned_data["start_time"], tzinfo=HELSINKI),
            datetime.combine(day, self.cleaned_data["end_time"], tzinfo=HELSINKI),
        )

    def extras(self) -> list[Extra]:
        return [
            Extra(code=item.code, quantity=quantity)
            for item in self.extra_items
            if (quantity := self.cleaned_data.get(f"extra_{item.code}"))
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for name, texts in messages.items():
            field = SERVICE_FIELDS.get(name, name)
            for text in texts:
                self.add_error(field if field in self.fields else None, text)
