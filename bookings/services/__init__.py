"""Every write of the booking domain: one function per use case.

Each service is keyword-only, runs in one transaction, validates, writes an audit entry
and leaves the database consistent or unchanged. Views, serializers, forms, admin actions
and management commands parse input and call these; they hold no business rule.

One module per job: `audit` (the audit trail), `inputs` (what a request says), `checks`
(the validation every write shares), `requests` (renters' requests, single and
recurring), `decisions` (approve, reject, cancel, expire), `staff` (staff bookings and
moves), `closures`, `customers` (who a request is from), `customer_merge` and
`rooms`. Import the services from this package.
"""

from bookings.services.audit import Actor, acting_user, actor_label, audit_record
from bookings.services.checks import FURTHEST_AHEAD, MAX_EXTRAS, Errors, status_token_hash
from bookings.services.closures import (
    ClashingBookingsChanged,
    EmergencyClosure,
    closure_clashing_bookings,
    closure_create,
    closure_create_cancelling,
    closure_remove,
)
from bookings.services.customer_merge import CustomerMerge, customers_merge
from bookings.services.customers import (
    booking_customer_confirm,
    booking_customer_match,
    customer_kept,
)
from bookings.services.decisions import (
    CompetitorsDecision,
    SeriesApproval,
    booking_approve,
    booking_approve_rejecting_competitors,
    booking_cancel,
    booking_reject,
    booking_renter_cancel,
    booking_revision_check,
    booking_series_approve,
    booking_series_cancel,
    booking_series_reject,
    bookings_expire,
    renter_cancellable,
)
from bookings.services.inputs import CONTACT_FIELDS, RENTER_REQUIRED, Extra, RenterDetails
from bookings.services.renter_changes import booking_renter_change
from bookings.services.requests import (
    BookingRequestResult,
    OccurrenceResult,
    RequestProblems,
    SeriesRequestResult,
    SeriesUnavailable,
    booking_request_create,
    booking_request_problems,
    booking_series_request_create,
)
from bookings.services.rooms import room_parts_set
from bookings.services.staff import (
    DETAIL_FIELDS,
    booking_details_update,
    booking_move,
    booking_staff_create,
)
from bookings.services.staff_series import StaffSeriesResult, booking_staff_series_create

__all__ = [
    "CONTACT_FIELDS",
    "DETAIL_FIELDS",
    "FURTHEST_AHEAD",
    "MAX_EXTRAS",
    "RENTER_REQUIRED",
    "Actor",
    "BookingRequestResult",
    "ClashingBookingsChanged",
    "CompetitorsDecision",
    "CustomerMerge",
    "EmergencyClosure",
    "Errors",
    "Extra",
    "OccurrenceResult",
    "RenterDetails",
    "RequestProblems",
    "SeriesApproval",
    "SeriesRequestResult",
    "SeriesUnavailable",
    "StaffSeriesResult",
    "acting_user",
    "actor_label",
    "audit_record",
    "booking_approve",
    "booking_approve_rejecting_competitors",
    "booking_cancel",
    "booking_customer_confirm",
    "booking_customer_match",
    "booking_details_update",
    "booking_move",
    "booking_reject",
    "booking_renter_cancel",
    "booking_renter_change",
    "booking_request_create",
    "booking_request_problems",
    "booking_revision_check",
    "booking_series_approve",
    "booking_series_cancel",
    "booking_series_reject",
    "booking_series_request_create",
    "booking_staff_create",
    "booking_staff_series_create",
    "bookings_expire",
    "closure_clashing_bookings",
    "closure_create",
    "closure_create_cancelling",
    "closure_remove",
    "customer_kept",
    "customers_merge",
    "renter_cancellable",
    "room_parts_set",
    "status_token_hash",
]
