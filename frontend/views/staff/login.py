"""Signing in to the staff workspace, which also decides the language of one's e-mails."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.utils.translation import get_language

from frontend.staff_language import staff_language_record


class StaffLoginView(auth_views.LoginView):
    """Django's login; a staff member's e-mails then come in the language of the login
    page they used (the /sv/ or /en/ prefix, Finnish without one)."""

    template_name = "frontend/staff/login.html"

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        staff_language_record(user=form.get_user(), language=(get_language() or "")[:2])
        return response
