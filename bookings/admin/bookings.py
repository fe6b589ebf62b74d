"""Admin for bookings: the list with its date filter, staff bookings and changes (forms
in `booking_forms`), and decisions (approve, reject, cancel) as list actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from bookings.admin.booking_forms import (
    RENTER_FIELDS,
    TIME_FIELDS,
    ApproveForm,
    BookingAddForm,
    BookingChangeForm,
    CancelForm,
    DecisionForm,
)
from bookings.admin.common import (
    SERVICE_ERRORS,
    ServiceAdmin,
    adopt_saved,
    moment_text,
    refusal_text,
    service_dry_run,
)
from bookings.models import ACTIVE_STATUSES, Booking
from bookings.schedule import HELSINKI, local
from bookings.services import Actor, acting_user, booking_approve, booking_cancel, booking_reject

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec
    from django_stubs_ext import StrOrPromise


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


@dataclass(frozen=True)
class Decision:
    """A decision that asks for a message on a page of its own before it is made."""

    action: str
    form_class: type[DecisionForm]
    title: StrOrPromise
    submit: StrOrPromise
    done: StrOrPromise
    # (booking, actor, message, the revision shown on the decision page)
    apply: Callable[[Booking, Actor, str, int | None], Booking]


APPROVE = Decision(
    action="approve_selected",
    form_class=ApproveForm,
    title=_("Approve booking requests"),
    submit=_("Approve"),
    done=_("Approved: %(booking)s"),
    apply=lambda booking, actor, text, seen: booking_approve(
        booking=booking, actor=actor, message=text, expected_sequence=seen
    ),
)
REJECT = Decision(
    action="reject_selected",
    form_class=DecisionForm,
    title=_("Reject booking requests"),
    submit=_("Reject"),
    done=_("Rejected: %(booking)s"),
    apply=lambda booking, actor, text, seen: booking_reject(
        booking=booking, actor=actor, message=text, expected_sequence=seen
    ),
)
CANCEL = Decision(
    action="cancel_selected",
    form_class=CancelForm,
    title=_("Cancel bookings"),
    submit=_("Cancel the bookings"),
    done=_("Cancelled: %(booking)s"),
    apply=lambda booking, actor, text, seen: booking_cancel(
        booking=booking, actor=actor, reason=text, expected_sequence=seen
    ),
)
CONFIRM = "confirm"  # marks the decision page's own POST


def seen_revision(request: HttpRequest, booking: Booking) -> int | None:
    """The revision the decision page showed for this booking (`seen_<id>`): a booking
    changed after the page was drawn is refused by the service, not decided."""
    text = request.POST.get(f"seen_{booking.pk}", "")
    return int(text) if text.isdigit() and len(text) < 10 else None


@admin.register(Booking)
class BookingAdmin(ServiceAdmin):
    list_display = ("title", "room", "start_local", "status", "organisation")
    list_filter = ("room", "status", StartDateFilter)
    list_select_related = ("room",)
    search_fields = ("title", "organisation", "contact_name", "email")
    date_hierarchy = "start"
    autocomplete_fields = ("customer",)
    actions = ["approve_selected", "reject_selected", "cancel_selected"]
    add_fieldsets: _FieldsetSpec = (
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

    def get_fieldsets(self, request: HttpRequest, obj: Booking | None = None) -> _FieldsetSpec:
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
    ) -> tuple[str, ...]:
        if obj is None:
            return ()
        if obj.status in ACTIVE_STATUSES:
            return self.change_readonly_fields
        # Rejected, cancelled and expired bookings hold no time: nothing to move.
        return (*self.change_readonly_fields, *TIME_FIELDS)

    def get_form(
        self, request: HttpRequest, obj: Booking | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        kwargs["form"] = BookingAddForm if obj is None else BookingChangeForm
        return super().get_form(request, obj, change=change, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # SPEC §2.3: bookings are kept, never deleted

    def save_model(
        self, request: HttpRequest, obj: Booking, form: forms.ModelForm, change: bool
    ) -> None:
        # get_form made the form from BookingChangeForm or BookingAddForm.
        if change:
            cast(BookingChangeForm, form).apply(actor=acting_user(request.user))
            obj.refresh_from_db()
        else:
            adopt_saved(obj, cast(BookingAddForm, form).create(actor=acting_user(request.user)))

    @admin.display(description=_("start"), ordering="start")
    def start_local(self, booking: Booking) -> str:
        return moment_text(booking.start)

    @admin.display(description=_("audit trail"))
    def audit_trail(self, booking: Booking) -> str:
        entries = booking.audit_entries.order_by("at", "pk")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (moment_text(e.at), e.actor_display, e.get_action_display(), e.reason)
                for e in entries
            ),
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
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[Booking]
    ) -> HttpResponse | None:
        return self._decision_page(request, queryset, APPROVE)

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
        if form.is_bound and form.is_valid() and self._message_accepted(form, queryset, decision):
            text = form.cleaned_data["message"]
            self._decide_each(
                request,
                queryset,
                lambda booking: decision.apply(
                    booking, acting_user(request.user), text, seen_revision(request, booking)
                ),
                decision.done,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": decision.title,
            "opts": self.opts,
            "objects": queryset.select_related("room").order_by("start", "pk"),
            "form": form,
            "action": decision.action,
            "submit_label": decision.submit,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirm_name": CONFIRM,
        }
        return TemplateResponse(request, "admin/bookings/booking/decision.html", context)

    def _message_accepted(
        self, form: DecisionForm, queryset: QuerySet[Booking], decision: Decision
    ) -> bool:
        """Ask the service, by a dry run on the first booking, whether it takes the
        message (a rejection needs one), so that the page asks again instead of refusing
        every booking. Any other refusal is told per booking when deciding."""
        first = queryset.order_by("created_at", "pk").first()
        if first is None:
            return True
        text = form.cleaned_data["message"]
        try:
            service_dry_run(lambda: decision.apply(first, None, text, None))
        except ValidationError as error:
            problems = getattr(error, "error_dict", {}).get("message")
            if problems:
                form.add_error("message", problems)
                return False
        except SERVICE_ERRORS:
            pass
        return True

    def _decide_each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Booking],
        decide: Callable[[Booking], Booking],
        done: StrOrPromise,
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
