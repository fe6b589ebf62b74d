"""Rooms, their rules and opening hours, closures, customers, bookings and the audit trail.

Models hold data and single-row rules only; every write that involves more than one row
goes through `bookings.services`. One module per job; every public name is re-exported
here, so `from bookings.models import Booking` is the way to import them.
"""

from bookings.models.audit import ACTOR_STAND_INS, Acted, AuditAction, AuditEntry
from bookings.models.bookings import ACTIVE_STATUSES, Booking, BookingSeries, BookingStatus
from bookings.models.customers import (
    Customer,
    CustomerContact,
    DeliveryMethod,
    MemberOrganisation,
    organisation_key,
)
from bookings.models.feeds import FeedToken
from bookings.models.occupancy import BLOCKING_KINDS, Occupancy, OccupancyKind
from bookings.models.rooms import (
    CANCELLATION_DEFAULTS,
    LANGUAGE_CHOICES,
    BookingRulesFields,
    CancellationTermsFields,
    HouseInfo,
    HouseRules,
    Room,
    RoomPhoto,
    translated,
)
from bookings.models.schedule import (
    Closure,
    ClosureReason,
    HolidayOpening,
    OpeningHours,
    Weekday,
)

__all__ = [
    "ACTIVE_STATUSES",
    "ACTOR_STAND_INS",
    "BLOCKING_KINDS",
    "CANCELLATION_DEFAULTS",
    "LANGUAGE_CHOICES",
    "Acted",
    "AuditAction",
    "AuditEntry",
    "Booking",
    "BookingRulesFields",
    "BookingSeries",
    "BookingStatus",
    "CancellationTermsFields",
    "Closure",
    "ClosureReason",
    "Customer",
    "CustomerContact",
    "DeliveryMethod",
    "FeedToken",
    "HolidayOpening",
    "HouseInfo",
    "HouseRules",
    "MemberOrganisation",
    "Occupancy",
    "OccupancyKind",
    "OpeningHours",
    "Room",
    "RoomPhoto",
    "Weekday",
    "organisation_key",
    "translated",
]
