"""The site's URLs plus the benchmarks' baseline: a trivial DRF view."""

from __future__ import annotations

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heideken.urls import urlpatterns as site_urlpatterns


class TrivialView(APIView):
    """The baseline: DRF's full request cycle with nothing to do."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})

    def post(self, request: Request) -> Response:
        return Response({"ok": True}, status=201)


urlpatterns = [path("bench/trivial/", TrivialView.as_view()), *site_urlpatterns]
