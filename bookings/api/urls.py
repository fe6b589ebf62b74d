"""`/api/v1/` routes of the booking domain (SPEC §3.4)."""

from django.urls import path

from bookings.api import customer_links, views

urlpatterns = [
    path("rooms/", views.RoomListView.as_view(), name="api-rooms"),
    path("rooms/<slug:slug>/", views.RoomDetailView.as_view(), name="api-room"),
    path(
        "rooms/<slug:slug>/availability/",
        views.AvailabilityView.as_view(),
        name="api-room-availability",
    ),
    path(
        "booking-requests/",
        views.BookingRequestCreateView.as_view(),
        name="api-booking-requests",
    ),
    path(
        "booking-requests/<str:token>/",
        views.RenterRequestView.as_view(),
        name="api-booking-request",
    ),
    path(
        "booking-requests/<str:token>/cancel/",
        views.RenterCancelView.as_view(),
        name="api-booking-request-cancel",
    ),
    path("bookings/", views.BookingListCreateView.as_view(), name="api-bookings"),
    path("bookings/<int:pk>/", views.BookingDetailView.as_view(), name="api-booking"),
    path(
        "bookings/<int:pk>/approve/", views.BookingApproveView.as_view(), name="api-booking-approve"
    ),
    path("bookings/<int:pk>/reject/", views.BookingRejectView.as_view(), name="api-booking-reject"),
    path("bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="api-booking-cancel"),
    path(
        "bookings/<int:pk>/customer/",
        customer_links.BookingCustomerView.as_view(),
        name="api-booking-customer",
    ),
    path("closures/", views.ClosureListCreateView.as_view(), name="api-closures"),
    path("closures/<int:pk>/", views.ClosureDetailView.as_view(), name="api-closure"),
    path("closures/<int:pk>/remove/", views.ClosureRemoveView.as_view(), name="api-closure-remove"),
    path("customers/", views.CustomerListView.as_view(), name="api-customers"),
    path("customers/<int:pk>/", views.CustomerDetailView.as_view(), name="api-customer"),
    path("customers/<int:pk>/merge/", views.CustomerMergeView.as_view(), name="api-customer-merge"),
]
