"""Signing in to the staff workspace, which also decides the language of one's e-mails
and, without a page asked for, where one lands: accounting on the invoices."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language

from bookings.permissions import is_accounting, is_booking_staff
from frontend.staff_language import staff_language_record


class StaffLoginView(auth_views.LoginView):
    """Django's login; a staff member's e-mails then come in the language of the login
    page they used (the /sv/ or /en/ prefix, Finnish without one)."""

    template_name = "frontend/staff/login.html"

    def get_default_redirect_url(self) -> str:
        """Accounting lands on the invoices; booking staff on the requests."""
        user = self.request.user
        if is_accounting(user) and not is_booking_staff(user):
            return reverse("frontend:staff-invoices")
        return super().get_default_redirect_url()

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        staff_language_record(user=form.get_user(), language=(get_language() or "")[:2])
        return response
