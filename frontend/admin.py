"""Admin for the public site's own rows: e-mails on their way out, and the personal-data
page where booking staff export or erase one person's data on request (SPEC §2.11)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from bookings.log_admin import LogAdmin
from bookings.permissions import is_booking_staff
from bookings.role_admin import RoleAdmin
from bookings.services import acting_user
from frontend.models import OutgoingEmail, PersonalDataLog
from frontend.outbox import pending_emails_send
from frontend.personal_data import personal_data_erase, personal_data_export


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(RoleAdmin):
    list_display = ["created_at", "kind", "subject", "attempts", "sent_at", "last_error"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    actions = ["retry"]
    # The renter's status token is a secret until the e-mail that carries it is written.
    exclude = ["status_token"]
    readonly_fields = [
        field.name for field in OutgoingEmail._meta.fields if field.name != "status_token"
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send the selected unsent e-mails again"))
    def retry(self, request: HttpRequest, queryset) -> None:
        sent, failed = pending_emails_send(queryset.filter(sent_at__isnull=True))
        self.message_user(
            request,
            _("Sent %(sent)d, still failing %(failed)d.") % {"sent": sent, "failed": failed},
        )


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("The person's e-mail address"), max_length=254)
    confirm_erase = forms.BooleanField(
        label=_("I understand that erasing cannot be undone"), required=False
    )


@admin.register(PersonalDataLog)
class PersonalDataLogAdmin(LogAdmin):
    list_display = ["at", "action", "who", "counts"]
    readonly_fields = [field.name for field in PersonalDataLog._meta.fields]

    def get_urls(self):
        view = self.admin_site.admin_view(self.person_view)
        return [path("person/", view, name="frontend_personal_data_person"), *super().get_urls()]

    def person_view(self, request: HttpRequest) -> HttpResponse:
        """Export (JSON download) or erase one person's data; booking staff only."""
        if not is_booking_staff(request.user):
            raise PermissionDenied
        form = PersonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            if "export" in request.POST:
                return _export_response(email, request)
            if form.cleaned_data["confirm_erase"]:
                counts = personal_data_erase(email=email, actor=acting_user(request.user))
                messages.success(request, _("Erased: %(counts)s") % {"counts": counts})
                return redirect("admin:frontend_personal_data_person")
            form.add_error("confirm_erase", _("Confirm the erasure first."))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export or erase one person's data"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/frontend/personal_data_person.html", context)


def _export_response(email: str, request: HttpRequest) -> HttpResponse:
    data = personal_data_export(email=email, actor=acting_user(request.user))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    return response
