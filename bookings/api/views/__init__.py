"""The booking API (SPEC §3.4): one small view per operation, each declaring who may use it.

Views parse input and call a service or a selector; the rules live there. One module per
resource; `bookings/api/urls.py` takes every view from here.
"""

from bookings.api.views.base import REFUSALS, PublicWriteThrottle, visible_rooms
from bookings.api.views.bookings import (
    BookingApproveView,
    BookingCancelView,
    BookingDetailView,
    BookingListCreateView,
    BookingRejectView,
)
from bookings.api.views.closures import (
    ClosureDetailView,
    ClosureListCreateView,
    ClosureRemoveView,
)
from bookings.api.views.customers import CustomerDetailView, CustomerListView, CustomerMergeView
from bookings.api.views.requests import (
    BookingRequestCreateView,
    RenterCancelView,
    RenterRequestView,
)
from bookings.api.views.rooms import AvailabilityView, RoomDetailView, RoomListView

__all__ = [
    "REFUSALS",
    "AvailabilityView",
    "BookingApproveView",
    "BookingCancelView",
    "BookingDetailView",
    "BookingListCreateView",
    "BookingRejectView",
    "BookingRequestCreateView",
    "ClosureDetailView",
    "ClosureListCreateView",
    "ClosureRemoveView",
    "CustomerDetailView",
    "CustomerListView",
    "CustomerMergeView",
    "PublicWriteThrottle",
    "RenterCancelView",
    "RenterRequestView",
    "RoomDetailView",
    "RoomListView",
    "visible_rooms",
]
