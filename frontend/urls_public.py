"""Public pages: rooms, a room with its availability, the request form, the status page."""

from django.urls import path

from frontend.views import public

urlpatterns = [
    path("", public.room_list, name="rooms"),
]
