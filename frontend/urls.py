"""Pages: the public site and the staff workspace (SPEC §3.3), under the language prefix."""

from django.urls import include, path

app_name = "frontend"

urlpatterns = [
    path("", include("frontend.urls_public")),
    path("staff/", include("frontend.urls_staff")),
]
