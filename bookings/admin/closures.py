"""Admin for closures: made through `closure_create`, lifted through `closure_remove`,
never deleted."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from bookings.admin.common import (
    SERVICE_ERRORS,
    ServiceAdmin,
    adopt_saved,
    moment_text,
    refusal_text,
    validate_by_dry_run,
)
from bookings.models import Closure
from bookings.services import Actor, acting_user, closure_create, closure_remove


class ClosureAddForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ("rooms", "whole_house", "start", "end", "reason", "note")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
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

    def get_fields(self, request: HttpRequest, obj: Closure | None = None) -> tuple[str, ...]:
        return self.add_fields if obj is None else (*self.add_fields, *self.history_fields)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Closure | None = None
    ) -> tuple[str, ...]:
        if obj is None:
            return ()
        # What a closure blocks is fixed once it holds occupancy: remove it and make anew.
        return ("rooms", "whole_house", "start", "end", *self.history_fields)

    def get_form(
        self, request: HttpRequest, obj: Closure | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        if obj is None:
            kwargs["form"] = ClosureAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # closures are kept with their audit trail; remove them instead

    def save_model(
        self, request: HttpRequest, obj: Closure, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            # get_form made an added closure's form from ClosureAddForm.
            adopt_saved(obj, cast(ClosureAddForm, form).create(actor=acting_user(request.user)))
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
                closure_remove(closure=closure, actor=acting_user(request.user))
            except SERVICE_ERRORS as error:
                values = {"closure": closure, "problem": refusal_text(error)}
                self.message_user(request, _("%(closure)s: %(problem)s") % values, messages.ERROR)
            else:
                self.message_user(request, _("Removed: %(closure)s") % {"closure": closure})
