"""Free start times on a room page: for a chosen day of the shown week and a duration,
the start times that are really free (SPEC §2.12), each a link that carries the room and
the time into the request form."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.finder import room_free_starts
from bookings.models import HouseRules, Room
from bookings.schedule import local, rules_for

DURATIONS_MINUTES = (60, 90, 120, 180, 240, 360, 480, 720)
DEFAULT_MINUTES = 120


def _duration_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return str(_("%(hours)d h") % {"hours": hours})
    return str(_("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest})


class StartTimesForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=date.fromisoformat)
    duration = forms.TypedChoiceField(label=_("Duration"), coerce=int)

    def __init__(self, *args: Any, days: list[date], durations: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        day_field = cast(forms.TypedChoiceField, self.fields["day"])
        duration_field = cast(forms.TypedChoiceField, self.fields["duration"])
        day_field.choices = [(day.isoformat(), day) for day in days]
        duration_field.choices = [(minutes, _duration_label(minutes)) for minutes in durations]


def _durations(room: Room) -> list[int]:
    rules = rules_for(room, HouseRules.load())
    shortest = rules.min_duration.total_seconds() // 60
    longest = rules.max_duration.total_seconds() // 60
    return [minutes for minutes in DURATIONS_MINUTES if shortest <= minutes <= longest]


def _default_day(days: list[date], room: Room) -> date:
    """The first day of the week on which a request could start (past the notice)."""
    earliest = local(timezone.now() + rules_for(room, HouseRules.load()).min_notice).date()
    return next((day for day in days if day >= earliest), days[-1])


def start_times(request: HttpRequest, room: Room, days: list[date]) -> dict[str, Any]:
    """The picker's form and, for its day and duration, the free starts as (start, end)."""
    durations = _durations(room) or [DEFAULT_MINUTES]
    default_minutes = DEFAULT_MINUTES if DEFAULT_MINUTES in durations else durations[0]
    data = {
        "day": request.GET.get("day", _default_day(days, room).isoformat()),
        "duration": request.GET.get("duration", str(default_minutes)),
    }
    form = StartTimesForm(data, days=days, durations=durations)
    if not form.is_valid():
        return {"starts_form": form, "starts": None}
    length = timedelta(minutes=form.cleaned_data["duration"])
    day = form.cleaned_data["day"]
    starts = room_free_starts(room=room, day=day, length=length)
    return {
        "starts_form": form,
        "starts_day": day,
        "starts": [(local(start), local(start + length)) for start in starts],
    }
