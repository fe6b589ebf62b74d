"""Input and output shapes of the booking API. No rule lives here: input serializers check
types and sizes, the services decide.

One module per part of the API: `rooms`, `requests` (public booking requests), `staff`.
Every serializer is re-exported here.
"""

from bookings.api.serializers.requests import (
    BookingRequestCreatedSerializer,
    BookingRequestInputSerializer,
    CancelInputSerializer,
    ExtraSerializer,
    ExtrasMixin,
    OccurrenceSerializer,
    ReasonSerializer,
    RecurrenceSerializer,
    RenterBookingSerializer,
    RenterFieldsMixin,
    RenterInputSerializer,
    revision_field,
)
from bookings.api.serializers.rooms import (
    AvailabilityQuerySerializer,
    AvailabilitySerializer,
    BusySerializer,
    EquipmentSerializer,
    IntervalSerializer,
    PhotoSerializer,
    RoomSerializer,
    RulesSerializer,
    StaffRoomSerializer,
)
from bookings.api.serializers.staff import (
    ApproveInputSerializer,
    BookingMoveSerializer,
    BookingSerializer,
    ClosureCreatedSerializer,
    ClosureInputSerializer,
    ClosureSerializer,
    CustomerMergeInputSerializer,
    CustomerSerializer,
    RejectInputSerializer,
    StaffBookingCreatedSerializer,
    StaffBookingInputSerializer,
)

__all__ = [
    "ApproveInputSerializer",
    "AvailabilityQuerySerializer",
    "AvailabilitySerializer",
    "BookingMoveSerializer",
    "BookingRequestCreatedSerializer",
    "BookingRequestInputSerializer",
    "BookingSerializer",
    "BusySerializer",
    "CancelInputSerializer",
    "ClosureCreatedSerializer",
    "ClosureInputSerializer",
    "ClosureSerializer",
    "CustomerMergeInputSerializer",
    "CustomerSerializer",
    "EquipmentSerializer",
    "ExtraSerializer",
    "ExtrasMixin",
    "IntervalSerializer",
    "OccurrenceSerializer",
    "PhotoSerializer",
    "ReasonSerializer",
    "RecurrenceSerializer",
    "RejectInputSerializer",
    "RenterBookingSerializer",
    "RenterFieldsMixin",
    "RenterInputSerializer",
    "RoomSerializer",
    "RulesSerializer",
    "StaffBookingCreatedSerializer",
    "StaffBookingInputSerializer",
    "StaffRoomSerializer",
    "revision_field",
]
