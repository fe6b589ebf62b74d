"""Uploaded files (room photos) in production.

WhiteNoise serves only the files collectstatic gathered, never uploads, so the app serves
MEDIA_ROOT itself: a few photos, each fetched once and then cached by browsers for a day.
A site whose proxy serves MEDIA_ROOT sets SERVE_MEDIA=false (README, "Running in
production")."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_safe


@require_safe
def media_file(request: HttpRequest, path: str) -> FileResponse:
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation:  # ../ out of MEDIA_ROOT
        raise Http404 from None
    if not full.is_file():
        raise Http404
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    response = FileResponse(full.open("rb"), content_type=content_type)
    response["Last-Modified"] = http_date(full.stat().st_mtime)
    response["Cache-Control"] = "public, max-age=86400"
    return response
