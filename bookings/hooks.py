"""Extension points for apps that build on bookings without bookings importing them.

Dependencies point one way (frontend → invoicing → bookings), so bookings cannot call
invoicing. Instead an app appends a function here in its `AppConfig.ready()`, and the
booking services call every registered function at a fixed point. Explicit lists, not
signals: the call sites are visible in `bookings/services/` and run in order.

- `approval_hooks`: called with the booking right after it became approved
  (`booking_approve`, and `booking_staff_create`, which approves at once), inside the
  same transaction. A hook that raises rolls the approval back, so a hook must refuse
  only what really must stop an approval. The invoicing app keeps the booking's price
  snapshot this way (SPEC §2.6).
- `event_hooks`: called with (event, booking, **context) when a renter-facing state
  change happened, inside the service's transaction: "requested" (context:
  `status_token`, the renter's secret, known only at that moment), "approved",
  "rejected", "cancelled" (context: `by_renter`, and `was_approved` when the renter
  cancelled an approved booking), "changed" (the renter changed a pending request's
  time, attendees or extras). A series calls it once per occurrence; a hook that sends
  something should store it in the transaction and send it after the commit, grouped by
  series. The frontend's e-mail outbox works this way (frontend/outbox.py, SPEC §2.9).
- `extras_catalogues`: called with the extra codes a request or staff booking names;
  each returns the codes it does not offer. A code that no catalogue offers is refused
  by the booking services, the same as the quote refuses it, so a booking never holds an
  extra that cannot be priced. The invoicing app's catalogue of extras is one; with none
  registered (bookings alone) extras are not checked against any list.
- `cancellation_fee_pricers`: called with (booking, percent); each answers what a
  cancellation at that share of the room price costs, or None when it cannot say. The
  invoicing app's pricer is the one; with none the fee is told as a share only.
- `customer_merge_hooks`: called with (kept, merged) inside the transaction that merges
  duplicate customers into the kept one, after their bookings moved. The invoicing app
  moves their draft invoices; issued invoices stay with the record they were made out to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decimal import Decimal

    from bookings.models import Booking, Customer, Room

approval_hooks: list[Callable[[Booking], object]] = []

# Called by `seed_demo` with the demo rooms by slug, after the rooms exist and before any
# demo booking is made, so that other apps can add their own demo data (prices).
demo_hooks: list[Callable[[dict[str, Room]], None]] = []


def approval_hooks_run(booking: Booking) -> None:
    """Run every registered approval hook on a booking that was just approved."""
    for hook in approval_hooks:
        hook(booking)


event_hooks: list[Callable[..., None]] = []


def event_hooks_run(event: str, booking: Booking, **context: Any) -> None:
    """Tell every registered event hook that a booking was requested, approved, rejected
    or cancelled."""
    for hook in event_hooks:
        hook(event, booking, **context)


extras_catalogues: list[Callable[[Sequence[str]], set[str]]] = []


def extras_unknown(codes: Sequence[str]) -> set[str]:
    """The codes that a registered catalogue of extras does not offer."""
    unknown: set[str] = set()
    for catalogue in extras_catalogues:
        unknown |= catalogue(codes)
    return unknown


cancellation_fee_pricers: list[Callable[[Booking, int], Decimal | None]] = []


def cancellation_fee_price(booking: Booking, percent: int) -> Decimal | None:
    """The fee of cancelling at `percent` of the room price, from the first pricer that
    knows it."""
    for pricer in cancellation_fee_pricers:
        fee = pricer(booking, percent)
        if fee is not None:
            return fee
    return None


customer_merge_hooks: list[Callable[[Customer, Sequence[Customer]], None]] = []


def customer_merge_hooks_run(kept: Customer, merged: Sequence[Customer]) -> None:
    """Tell every registered hook that `merged` customers were merged into `kept`."""
    for hook in customer_merge_hooks:
        hook(kept, merged)
