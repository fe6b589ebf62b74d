"""Middleware that wires the apps to the request cycle."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

# Paths outside the language-prefixed pages, whose language comes from the client.
CLIENT_LANGUAGE_PREFIXES = ("/api/",)


class ClientLanguageMiddleware:
    """The API speaks the language of Accept-Language (SPEC §3.4).

    Django's LocaleMiddleware gives every path without a language prefix the default
    language once i18n_patterns are in use; pages want that, API clients do not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(CLIENT_LANGUAGE_PREFIXES):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if request.path_info.startswith(CLIENT_LANGUAGE_PREFIXES):
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
