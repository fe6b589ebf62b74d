"""Django admin for the booking domain: rooms, hours, closures, customers and bookings.

Every write that the services own goes through them here too (SPEC §2.4: "Django admin
and every other write path go through the same guarantee"): forms validate by running the
service in a savepoint that is always rolled back, and save by running it for real. A
refusal that only appears at save time (someone else wrote first) leaves the admin's
transaction, so nothing is saved, and comes back as an error message instead of a 500.
Occupancy is internal and has no admin.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from bookings.errors import BookingConflict, BookingStateError, Clash
from bookings.models import (
    ACTIVE_STATUSES,
    AuditEntry,
    Booking,
    Closure,
    Customer,
    HolidayOpening,
    HouseRules,
    MemberOrganisation,
    OpeningHours,
    Room,
    RoomPhoto,
)
from bookings.schedule import HELSINKI, finnish_holidays, local
from bookings.services import (
    Actor,
    RenterDetails,
    booking_approve,
    booking_cancel,
    booking_move,
    booking_reject,
    booking_staff_create,
    closure_create,
    closure_remove,
    room_parts_set,
)
from bookings.validators import normalise_business_id

# What a service raises when it refuses a write; anything else is a bug and stays a 500.
SERVICE_ERRORS = (BookingConflict, BookingStateError, ValidationError)


# --- Telling people why a write was refused --------------------------------------------


def moment_text(moment: datetime) -> str:
    return local(moment).strftime("%d.%m.%Y %H:%M")


def span_text(start: datetime, end: datetime) -> str:
    """A Helsinki-time range, the end without its date when it is the same day."""
    same_day = local(start).date() == local(end).date()
    end_text = local(end).strftime("%H:%M") if same_day else moment_text(end)
    return f"{moment_text(start)}\N{EN DASH}{end_text}"


def _booking_clash_text(clash: Clash, other: Booking) -> str:
    values = {
        "title": other.title,
        "id": other.pk,
        "room": other.room,
        "when": span_text(other.start, other.end),
        "held": span_text(clash.start, clash.end),
    }
    if (other.start, other.end) == (clash.start, clash.end):
        return str(_("booking “%(title)s” (#%(id)s) in %(room)s, %(when)s") % values)
    return str(
        _(
            "booking “%(title)s” (#%(id)s) in %(room)s, %(when)s "
            "(held %(held)s with setup and cleanup time)"
        )
        % values
    )


def clash_descriptions(clashes: Sequence[Clash]) -> list[str]:
    """Each clash for staff: the other booking or closure, its room and its local times."""
    bookings = Booking.objects.select_related("room").in_bulk(
        [clash.booking_id for clash in clashes if clash.booking_id is not None]
    )
    closures = Closure.objects.in_bulk(
        [clash.closure_id for clash in clashes if clash.closure_id is not None]
    )
    rooms = Room.objects.in_bulk([clash.room_id for clash in clashes])
    descriptions = []
    for clash in clashes:
        other = bookings.get(clash.booking_id) if clash.booking_id is not None else None
        if other is not None:
            descriptions.append(_booking_clash_text(clash, other))
            continue
        closure = closures.get(clash.closure_id)
        values = {
            "id": clash.closure_id,
            "reason": closure.get_reason_display() if closure else "",
            "room": rooms.get(clash.room_id, clash.room_id),
            "when": span_text(clash.start, clash.end),
        }
        descriptions.append(str(_("closure #%(id)s (%(reason)s) of %(room)s, %(when)s") % values))
    return descriptions


def refusal_text(error: Exception) -> str:
    """A service's refusal as one sentence for the person who asked."""
    if isinstance(error, BookingConflict):
        if not error.clashes:
            return error.message
        values = {"message": error.message, "clashes": "; ".join(clash_descriptions(error.clashes))}
        return str(_("%(message)s It clashes with: %(clashes)s.") % values)
    if isinstance(error, BookingStateError):
        return error.message
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# --- Validating forms with the services --------------------------------------------------


class _DryRun(Exception):
    """Raised inside the savepoint to undo a service call made only to validate."""


def service_dry_run(call: Callable[[], object]) -> None:
    """Run a service and roll back everything it wrote; raise what it raises.

    The service is the only judge of its rules and conflicts, so forms ask it instead of
    copying its checks. Callbacks it queues with on_commit are dropped with the savepoint.
    """
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        pass


def validate_by_dry_run(form: forms.BaseForm, call: Callable[[], object]) -> None:
    """Put a dry run's refusal on the form: rule errors on their fields, clashes on top."""
    try:
        service_dry_run(call)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return
        for name, problems in error.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    except (BookingConflict, BookingStateError) as error:
        form.add_error(None, refusal_text(error))


def clean_business_id(value: str) -> str:
    return normalise_business_id(value.strip()) if value.strip() else ""


def _adopt(target: Model, saved: Model) -> None:
    """Make the admin's unsaved form instance the row a service created."""
    target.pk = saved.pk
    target.refresh_from_db()
    target._state.adding = False


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves call services that may still refuse at save time."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SERVICE_ERRORS as error:
            # The form was valid, but someone else wrote first. The error left the
            # admin's atomic block, so nothing of this save (log entry included) was kept.
            self.message_user(request, refusal_text(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


# --- House rules, rooms, hours ---------------------------------------------------------


class HouseRulesForm(forms.ModelForm):
    class Meta:
        model = HouseRules
        fields = HouseRules.RULE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in HouseRules.RULE_FIELDS:
            self.fields[name].required = True  # the house default is what rooms fall back to


@admin.register(HouseRules)
class HouseRulesAdmin(admin.ModelAdmin):
    form = HouseRulesForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A single row, made by a migration; it can only be edited.
        return super().has_add_permission(request) and not HouseRules.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class RoomPhotoInline(admin.TabularInline):
    model = RoomPhoto
    extra = 0
    fields = ("image", "alt_fi", "alt_sv", "alt_en", "sort_order")


class RoomOpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    fields = ("weekday", "opens", "closes")
    verbose_name_plural = _("opening hours of this room (empty: the house default)")


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        # The admin lays the fields out by its fieldsets; parts is the one that matters here.
        fields = ("slug", "name_fi", "capacity", "parts")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        room = self.instance
        # A new room holds nothing yet, so only a change of an existing one can clash.
        if room.pk is not None and "parts" in self.changed_data and not self.errors:
            validate_by_dry_run(
                self, lambda: room_parts_set(room=room, parts=cleaned["parts"], actor=None)
            )
        return cleaned


@admin.register(Room)
class RoomAdmin(ServiceAdmin):
    form = RoomForm
    inlines = [RoomPhotoInline, RoomOpeningHoursInline]
    list_display = ("name_fi", "slug", "capacity", "parts_text", "is_public", "is_active")
    list_filter = ("is_public", "is_active")
    search_fields = ("name_fi", "name_sv", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_fi",)}
    filter_horizontal = ("parts",)
    fieldsets = (
        (None, {"fields": ("slug", "capacity", "floor_area", "is_public", "is_active")}),
        (_("Finnish"), {"fields": ("name_fi", "description_fi", "accessibility_fi")}),
        (_("Swedish"), {"fields": ("name_sv", "description_sv", "accessibility_sv")}),
        (_("English"), {"fields": ("name_en", "description_en", "accessibility_en")}),
        (
            _("Equipment"),
            {"fields": ("has_projector", "has_screen", "has_hybrid_kit", "has_kitchen")},
        ),
        (_("Combined room"), {"fields": ("parts",)}),
        (
            _("Booking rules"),
            {
                "fields": HouseRules.RULE_FIELDS,
                "description": _("Leave a rule empty to use the house default."),
            },
        ),
        (_("Listing"), {"fields": ("sort_order",)}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Room]:
        return super().get_queryset(request).prefetch_related("parts")

    @admin.display(description=_("parts"))
    def parts_text(self, room: Room) -> str:
        return ", ".join(str(part) for part in room.parts.all())

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        # The parts decide which spaces every booking holds: room_parts_set re-lays the
        # occupancy with them, so the form must never write the m2m on its own.
        parts = form.cleaned_data.pop("parts", None)
        super().save_related(request, form, formsets, change)
        if parts is not None and "parts" in form.changed_data:
            room_parts_set(room=form.instance, parts=parts, actor=request.user)


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ("room_or_house", "weekday", "opens", "closes")
    list_filter = ("weekday", "room")
    list_select_related = ("room",)

    @admin.display(description=_("room"), ordering="room")
    def room_or_house(self, hours: OpeningHours) -> str:
        return str(hours.room) if hours.room_id else str(_("House default"))


class HolidayOpeningForm(forms.ModelForm):
    class Meta:
        model = HolidayOpening
        fields = ("room", "date")

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if day not in finnish_holidays(day.year):
            raise ValidationError(
                _("This day is not a Finnish public holiday: the weekly hours apply.")
            )
        return day


@admin.register(HolidayOpening)
class HolidayOpeningAdmin(admin.ModelAdmin):
    form = HolidayOpeningForm
    list_display = ("date", "holiday", "room")
    list_filter = ("room",)
    list_select_related = ("room",)
    date_hierarchy = "date"

    @admin.display(description=_("holiday"))
    def holiday(self, opening: HolidayOpening) -> str:
        return finnish_holidays(opening.date.year).get(opening.date, "")


# --- Closures --------------------------------------------------------------------------


class ClosureAddForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ("rooms", "whole_house", "start", "end", "reason", "note")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors:
            validate_by_dry_run(self, lambda: self.create(actor=None))
        return cleaned

    def create(self, *, actor: Actor) -> Closure:
        data = self.cleaned_data
        return closure_create(
            actor=actor,
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
            rooms=data["rooms"],
            whole_house=data["whole_house"],
            note=data["note"],
        )


@admin.register(Closure)
class ClosureAdmin(ServiceAdmin):
    list_display = ("reason", "start_local", "end_local", "rooms_text", "is_removed")
    list_filter = ("reason", ("removed_at", admin.EmptyFieldListFilter), "rooms")
    date_hierarchy = "start"
    filter_horizontal = ("rooms",)
    actions = ["remove_closures"]
    add_fields = ("rooms", "whole_house", "start", "end", "reason", "note")
    history_fields = ("created_by", "created_at", "removed_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Closure]:
        return super().get_queryset(request).prefetch_related("rooms")

    def get_fields(self, request: HttpRequest, obj: Closure | None = None) -> Sequence[str]:
        return self.add_fields if obj is None else (*self.add_fields, *self.history_fields)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Closure | None = None
    ) -> Sequence[str]:
        if obj is None:
            return ()
        # What a closure blocks is fixed once it holds occupancy: remove it and make anew.
        return ("rooms", "whole_house", "start", "end", *self.history_fields)

    def get_form(self, request: HttpRequest, obj: Closure | None = None, **kwargs: Any):
        if obj is None:
            kwargs["form"] = ClosureAddForm
        return super().get_form(request, obj, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # closures are kept with their audit trail; remove them instead

    def save_model(
        self, request: HttpRequest, obj: Closure, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            _adopt(obj, form.create(actor=request.user))
            return
        changed = [name for name in ("reason", "note") if name in form.changed_data]
        if changed:
            obj.save(update_fields=changed)

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool
    ) -> None:
        # closure_create wrote the rooms with the occupancy they hold; the form must not.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=_("start"), ordering="start")
    def start_local(self, closure: Closure) -> str:
        return moment_text(closure.start)

    @admin.display(description=_("end"), ordering="end")
    def end_local(self, closure: Closure) -> str:
        return moment_text(closure.end)

    @admin.display(description=_("rooms"))
    def rooms_text(self, closure: Closure) -> str:
        if closure.whole_house:
            return str(_("Whole house"))
        return ", ".join(str(room) for room in closure.rooms.all())

    @admin.display(description=_("removed"), boolean=True)
    def is_removed(self, closure: Closure) -> bool:
        return closure.removed_at is not None

    @admin.action(description=_("Remove selected closures"), permissions=["change"])
    def remove_closures(self, request: HttpRequest, queryset: QuerySet[Closure]) -> None:
        for closure in queryset.order_by("start", "pk"):
            try:
                closure_remove(closure=closure, actor=request.user)
            except SERVICE_ERRORS as error:
                values = {"closure": closure, "problem": refusal_text(error)}
                self.message_user(request, _("%(closure)s: %(problem)s") % values, messages.ERROR)
            else:
                self.message_user(request, _("Removed: %(closure)s") % {"closure": closure})


# --- Members and customers ---------------------------------------------------------------


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "business_id")
    search_fields = ("name", "business_id")


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("organisation", "business_id", "contact_name", "email", "language")
    list_filter = ("language",)
    search_fields = ("organisation", "business_id", "contact_name", "email")


# --- Bookings --------------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=HELSINKI)


def start_bounds(choice: str | None, now: datetime) -> tuple[datetime | None, datetime | None]:
    """The [low, high) range of starts that a date filter choice means, in Helsinki days."""
    today = local(now).date()
    first_of_month = today.replace(day=1)
    next_month = (first_of_month + timedelta(days=32)).replace(day=1)
    bounds = {
        "today": (_midnight(today), _midnight(today + timedelta(days=1))),
        "week": (_midnight(today), _midnight(today + timedelta(days=7))),
        "month": (_midnight(first_of_month), _midnight(next_month)),
        "upcoming": (now, None),
        "past": (None, now),
    }
    return bounds.get(choice or "", (None, None))


class StartDateFilter(admin.SimpleListFilter):
    """Bookings by start date; staff look ahead more than back, unlike Django's default."""

    title = _("start date")
    parameter_name = "when"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            ("today", _("Today")),
            ("week", _("Next 7 days")),
            ("month", _("This month")),
            ("upcoming", _("Upcoming")),
            ("past", _("Past")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Booking]) -> QuerySet[Booking]:
        low, high = start_bounds(self.value(), timezone.now())
        if low is not None:
            queryset = queryset.filter(start__gte=low)
        if high is not None:
            queryset = queryset.filter(start__lt=high)
        return queryset


RENTER_FIELDS = (
    "organisation",
    "business_id",
    "contact_name",
    "email",
    "phone",
    "billing_address",
    "e_invoice_address",
    "e_invoice_operator",
    "buyer_reference",
)
TIME_FIELDS = ("room", "start", "end")
# Written as typed on the change form; time and room only through booking_move.
DETAIL_FIELDS = (
    "title",
    "attendees",
    "override_reason",
    "customer",
    *RENTER_FIELDS,
    "language",
    "message",
)


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
        cleaned = super().clean()
        if self.renter() is not None:
            for name in ("organisation", "contact_name", "email"):
                if name in self.fields and not cleaned.get(name):
                    self.add_error(name, _("Needed when the booking has a renter."))
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
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.moves():
            # booking_move checks rules, capacity and clashes with the new details.
            validate_by_dry_run(self, lambda: self.apply(actor=None))
        elif (
            "attendees" in self.changed_data and cleaned["attendees"] > self.instance.room.capacity
        ):
            values = {"capacity": self.instance.room.capacity}
            self.add_error("attendees", _("The room takes at most %(capacity)d people.") % values)
        return cleaned

    def apply(self, *, actor: Actor) -> None:
        """Write the change: details as typed, then the time or room through the service."""
        data = self.cleaned_data
        details = {name: data[name] for name in self.changed_data if name in DETAIL_FIELDS}
        if details:
            Booking.objects.filter(pk=self.instance.pk).update(**details, updated_at=timezone.now())
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
    message = forms.CharField(
        label=_("Message to the renter"), widget=forms.Textarea, max_length=2000
    )


class CancelForm(DecisionForm):
    message = forms.CharField(
        label=_("Reason for the cancellation"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
    )


@dataclass(frozen=True)
class Decision:
    """A decision that asks for a message on a page of its own before it is made."""

    action: str
    form_class: type[DecisionForm]
    title: str
    submit: str
    done: str
    apply: Callable[[Booking, Actor, str], Booking]


REJECT = Decision(
    action="reject_selected",
    form_class=DecisionForm,
    title=_("Reject booking requests"),
    submit=_("Reject"),
    done=_("Rejected: %(booking)s"),
    apply=lambda booking, actor, text: booking_reject(booking=booking, actor=actor, message=text),
)
CANCEL = Decision(
    action="cancel_selected",
    form_class=CancelForm,
    title=_("Cancel bookings"),
    submit=_("Cancel the bookings"),
    done=_("Cancelled: %(booking)s"),
    apply=lambda booking, actor, text: booking_cancel(booking=booking, actor=actor, reason=text),
)
CONFIRM = "confirm"  # marks the decision page's own POST


@admin.register(Booking)
class BookingAdmin(ServiceAdmin):
    list_display = ("title", "room", "start_local", "status", "organisation")
    list_filter = ("room", "status", StartDateFilter)
    list_select_related = ("room",)
    search_fields = ("title", "organisation", "contact_name", "email")
    date_hierarchy = "start"
    autocomplete_fields = ("customer",)
    actions = ["approve_selected", "reject_selected", "cancel_selected"]
    add_fieldsets = (
        (None, {"fields": ("room", "start", "end", "title", "attendees", "override_reason")}),
        (
            _("Renter (leave empty for the house's own booking)"),
            {"fields": (*RENTER_FIELDS, "language", "message")},
        ),
    )
    fieldsets = (
        (None, {"fields": ("status", "title", "attendees", "customer")}),
        (
            _("Time and room"),
            {"fields": (*TIME_FIELDS, "override_reason", "change_reason", "seen_sequence")},
        ),
        (_("Renter"), {"fields": (*RENTER_FIELDS, "language")}),
        (
            _("Request"),
            {"fields": ("message", "extras", "terms_accepted_at", "decision_message", "series")},
        ),
        (
            _("History"),
            {
                "fields": (
                    "created_by",
                    "created_at",
                    "updated_at",
                    "sequence",
                    ("setup_buffer_minutes", "cleanup_buffer_minutes"),
                    "audit_trail",
                )
            },
        ),
    )
    change_readonly_fields = (
        "status",
        "extras",
        "terms_accepted_at",
        "decision_message",
        "series",
        "created_by",
        "created_at",
        "updated_at",
        "sequence",
        "setup_buffer_minutes",
        "cleanup_buffer_minutes",
        "audit_trail",
    )

    def get_fieldsets(self, request: HttpRequest, obj: Booking | None = None) -> Sequence:
        if obj is None:
            return self.add_fieldsets
        if self.has_change_permission(request, obj):
            return self.fieldsets
        hidden = {"change_reason", "seen_sequence"}  # inputs only, nothing to show
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in self.fieldsets
        ]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Booking | None = None
    ) -> Sequence[str]:
        if obj is None:
            return ()
        if obj.status in ACTIVE_STATUSES:
            return self.change_readonly_fields
        # Rejected, cancelled and expired bookings hold no time: nothing to move.
        return (*self.change_readonly_fields, *TIME_FIELDS)

    def get_form(self, request: HttpRequest, obj: Booking | None = None, **kwargs: Any):
        kwargs["form"] = BookingAddForm if obj is None else BookingChangeForm
        return super().get_form(request, obj, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # SPEC §2.3: bookings are kept, never deleted

    def save_model(
        self, request: HttpRequest, obj: Booking, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            form.apply(actor=request.user)
            obj.refresh_from_db()
        else:
            _adopt(obj, form.create(actor=request.user))

    @admin.display(description=_("start"), ordering="start")
    def start_local(self, booking: Booking) -> str:
        return moment_text(booking.start)

    @admin.display(description=_("audit trail"))
    def audit_trail(self, booking: Booking) -> str:
        entries = booking.audit_entries.order_by("at", "pk")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((moment_text(e.at), e.actor_label, e.get_action_display(), e.reason) for e in entries),
        )
        if not rows:
            return str(_("No entries yet."))
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("time"),
            _("by"),
            _("action"),
            _("reason"),
            rows,
        )

    @admin.action(description=_("Approve selected requests"), permissions=["change"])
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        self._decide_each(
            request,
            queryset,
            lambda booking: booking_approve(booking=booking, actor=request.user),
            _("Approved: %(booking)s"),
        )

    @admin.action(description=_("Reject selected requests"), permissions=["change"])
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[Booking]
    ) -> HttpResponse | None:
        return self._decision_page(request, queryset, REJECT)

    @admin.action(description=_("Cancel selected bookings"), permissions=["change"])
    def cancel_selected(
        self, request: HttpRequest, queryset: QuerySet[Booking]
    ) -> HttpResponse | None:
        return self._decision_page(request, queryset, CANCEL)

    def _decision_page(
        self, request: HttpRequest, queryset: QuerySet[Booking], decision: Decision
    ) -> HttpResponse | None:
        """Ask for the message first; on its own POST, decide and go back to the list."""
        form = decision.form_class(request.POST if CONFIRM in request.POST else None)
        if form.is_bound and form.is_valid():
            text = form.cleaned_data["message"]
            self._decide_each(
                request,
                queryset,
                lambda booking: decision.apply(booking, request.user, text),
                decision.done,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": decision.title,
            "opts": self.opts,
            "bookings": queryset.select_related("room").order_by("start", "pk"),
            "form": form,
            "action": decision.action,
            "submit_label": decision.submit,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirm_name": CONFIRM,
        }
        return TemplateResponse(request, "admin/bookings/booking/decision.html", context)

    def _decide_each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Booking],
        decide: Callable[[Booking], Booking],
        done: str,
    ) -> None:
        """One booking at a time, each in its own transaction: one refusal stops nothing
        else. The oldest request goes first, so among competing ones it wins."""
        for booking in queryset.select_related("room").order_by("created_at", "pk"):
            try:
                decide(booking)
            except SERVICE_ERRORS as error:
                values = {"booking": booking, "problem": refusal_text(error)}
                self.message_user(request, _("%(booking)s: %(problem)s") % values, messages.ERROR)
            else:
                self.message_user(request, done % {"booking": booking}, messages.SUCCESS)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is written by the services only; here it can only be read."""

    list_display = ("at", "actor_label", "action", "booking", "closure", "room", "reason")
    list_filter = ("action",)
    list_select_related = ("booking__room", "closure", "room")
    search_fields = ("actor_label", "reason", "booking__title")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# Private calendar feeds have their own module; importing it registers their admin.
from bookings import feed_admin  # noqa: E402, F401
