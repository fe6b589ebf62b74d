"""The login protection's authentication backend (django-axes, see settings)."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LoginGuardBackend(AxesStandaloneBackend):
    """django-axes' check, for web logins only.

    A password can be guessed only through a request; a call without one (a management
    command, a test checking a password) has no client to count, and axes would refuse it
    with an error instead of letting the next backend answer."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
