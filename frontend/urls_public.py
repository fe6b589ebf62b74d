"""Public pages: rooms, a room with its availability, the request form, the status page."""

from django.urls import path

from frontend.views import public, public_finder, public_status

urlpatterns = [
    path("", public_finder.room_list, name="rooms"),
    path("rooms/<slug:slug>/", public.room_detail, name="room"),
    path("rooms/<slug:slug>/request/", public.request_form, name="request-form"),
    path("rooms/<slug:slug>/estimate/", public.estimate, name="estimate"),
    path("request/<str:token>/", public_status.request_status, name="request-status"),
    path("request/<str:token>/sent/", public_status.request_sent, name="request-sent"),
    path("request/<str:token>/change/", public_status.request_edit, name="request-edit"),
    path("terms/", public.terms, name="terms"),
    path("privacy/", public.privacy, name="privacy"),
]
