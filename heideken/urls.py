"""URL configuration: wires the apps together."""

from __future__ import annotations

from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from bookings import feed_views
from heideken import health, media

handler404 = "bookings.api.common.not_found"
handler500 = "bookings.api.common.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Calendar feeds (SPEC §3.5). The private feed's language comes from ?lang= only.
    path("ical/feeds/<str:token>.ics", feed_views.staff_feed, name="ical-staff-feed"),
    path("api/v1/", include("bookings.api.urls")),
    path("api/v1/", include("invoicing.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file, so the page runs under the site's CSP;
    # only Swagger UI's small inline <style> needs style-src widened here.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]

urlpatterns += i18n_patterns(
    # Also under /sv/ and /en/: the prefix chooses the feed's language.
    path("ical/rooms/<slug:slug>.ics", feed_views.room_feed, name="ical-room-feed"),
    # The renter's file is in the renter's language whatever the prefix.
    path("request/<str:token>/booking.ics", feed_views.renter_booking, name="renter-booking-ics"),
    path("admin/", admin.site.urls),
    path("", include("frontend.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    # Uploads are not static files: WhiteNoise never serves them (heideken/media.py).
    urlpatterns.append(
        path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.media_file, name="media")
    )
