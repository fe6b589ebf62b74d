"""Django admin for the booking domain: rooms, hours, closures, customers and bookings.

Every write that the services own goes through them here too (SPEC §2.4: "Django admin
and every other write path go through the same guarantee"): forms validate by running the
service in a savepoint that is always rolled back, and save by running it for real. A
refusal that only appears at save time (someone else wrote first) leaves the admin's
transaction, so nothing is saved, and comes back as an error message instead of a 500.
Occupancy is internal and has no admin.

One module per job: `common` (refusal messages, dry runs, ServiceAdmin), `schedule`
(house rules, opening hours, holiday openings), `rooms`, `closures`, `people` (customers
and member organisations), `bookings` (with its forms in `booking_forms`), `audit` and
`feeds` (private calendar feeds). Importing them registers their admins.
"""

from bookings.admin import audit, bookings, closures, feeds, people, rooms, schedule  # noqa: F401
from bookings.admin.common import (
    SERVICE_ERRORS,
    LogAdmin,
    ServiceAdmin,
    clash_descriptions,
    clean_business_id,
    moment_text,
    refusal_text,
    service_dry_run,
    span_text,
    validate_by_dry_run,
)

__all__ = [
    "SERVICE_ERRORS",
    "LogAdmin",
    "ServiceAdmin",
    "clash_descriptions",
    "clean_business_id",
    "moment_text",
    "refusal_text",
    "service_dry_run",
    "span_text",
    "validate_by_dry_run",
]
