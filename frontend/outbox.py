"""The e-mail outbox: booking events stored in their own transaction, written and sent
afterwards (SPEC §2.9).

The booking services call `booking_event_queue` (an event hook, see bookings/hooks.py)
inside their transaction. It stores one unwritten `OutgoingEmail` per e-mail the event
calls for, so the e-mail commits or rolls back with the change itself: a rolled-back
change sends nothing, and a committed one is never lost, even if the process dies right
after the commit.

`EMAIL_DELIVERY` says who writes and sends them:

- `commit` (the default): the same process, right after the commit;
- `worker`: `send_pending_emails --every SECONDS`, a separate long-running process, so a
  request never waits for templates or for the mail server.

Either way a failed send stays stored with its error, and `send_pending_emails` (the
worker, or cron) retries it. A sender first claims the row for `CLAIM_SECONDS`, so the
sender after the commit and a worker never send the same e-mail twice.

A series calls the hook once per date. The events of one transaction share a *batch*,
and within it the dates of one series share a row, so approving a whole series sends one
e-mail, while approving one date of it later sends one about that date only.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from frontend.emails import Written, email_message, email_write
from frontend.models import OutgoingEmail

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300

# The e-mails each booking event calls for.
KINDS_OF_EVENT = {
    "requested": ("received", "staff_new_request"),
    "approved": ("approved",),
    "rejected": ("rejected",),
    "cancelled": ("cancelled",),
}
# An event's e-mail is about its bookings still in the event's state when it is written.
STATUS_OF_KIND = {
    "received": BookingStatus.REQUESTED,
    "staff_new_request": BookingStatus.REQUESTED,
    "approved": BookingStatus.APPROVED,
    "rejected": BookingStatus.REJECTED,
    "cancelled": BookingStatus.CANCELLED,
}
RENTER_KINDS = {"received", "approved", "rejected", "cancelled"}


# --- Storing, in the event's transaction --------------------------------------------------

# Per thread: the live server and the test client each run their own transactions.
_local = threading.local()


def _batch() -> tuple[str, set[tuple[str, str]]]:
    """The current transaction's batch id and the (kind, group) rows it has stored.

    A new batch starts after each commit. A rolled-back transaction leaves its batch
    behind for the next one, which is harmless: its rows are gone with it."""
    if not hasattr(_local, "batch"):
        _local.batch = (uuid.uuid4().hex, set())
    return _local.batch


def _batch_end(batch_id: str) -> None:
    if getattr(_local, "batch", (None,))[0] == batch_id:
        del _local.batch


def booking_event_queue(event: str, booking: Booking, **context: Any) -> None:
    """Event hook: store the e-mails this event calls for, in the event's transaction."""
    if event not in KINDS_OF_EVENT:
        return
    batch_id, stored = _batch()
    deliver_on_commit = settings.EMAIL_DELIVERY == "commit"
    group = f"series-{booking.series_id}" if booking.series_id else f"booking-{booking.pk}"
    new = []
    for kind in KINDS_OF_EVENT[event]:
        if kind in RENTER_KINDS and not booking.email:
            continue  # the house's own bookings, or data already erased
        if (kind, group) in stored and _add_to_stored(batch_id, kind, group, booking):
            continue
        stored.add((kind, group))
        new.append(
            OutgoingEmail(
                kind=kind,
                batch=batch_id,
                group=group,
                booking=booking,
                booking_ids=[booking.pk],
                status_token=context.get("status_token", ""),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[booking.email] if kind in RENTER_KINDS else [],
                # The sender after the commit holds its rows from the start; should it
                # never run, the hold runs out and the worker or cron sends them.
                claimed_until=_claim_end() if deliver_on_commit else None,
            )
        )
    if new:
        OutgoingEmail.objects.bulk_create(new)
    transaction.on_commit(partial(_batch_end, batch_id))
    if deliver_on_commit:
        transaction.on_commit(partial(batch_deliver, batch_id), robust=True)


def _add_to_stored(batch_id: str, kind: str, group: str, booking: Booking) -> bool:
    """Add another date to the row this transaction stored for its series; False when
    that row is gone (rolled back with a savepoint)."""
    row = (
        OutgoingEmail.objects.select_for_update()
        .filter(batch=batch_id, kind=kind, group=group, rendered_at__isnull=True)
        .first()
    )
    if row is None:
        return False
    if booking.pk not in row.booking_ids:
        row.booking_ids.append(booking.pk)
        row.save(update_fields=["booking_ids"])
    return True


# --- Writing and sending, after the commit ------------------------------------------------


def batch_deliver(batch_id: str) -> None:
    """Write and send what one transaction stored (run on its commit, by the process
    that holds its rows)."""
    held = OutgoingEmail.objects.filter(
        batch=batch_id, sent_at__isnull=True, claimed_until__isnull=False
    )  # a failed attempt lets go of its row: that is for the retry, not for this sender
    for outgoing in held.order_by("pk"):
        _deliver(outgoing)


def _claim_end():
    return timezone.now() + timedelta(seconds=CLAIM_SECONDS)


def _claim(outgoing: OutgoingEmail) -> bool:
    """Hold the row for this sender; False when it is sent or another sender holds it."""
    claimed = (
        OutgoingEmail.objects.filter(pk=outgoing.pk, sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now()))
        .update(claimed_until=_claim_end())
    )
    return claimed == 1


def outgoing_deliver(outgoing: OutgoingEmail, connection: Any = None) -> bool | None:
    """Claim the e-mail, write it if it is not yet written, and make one attempt to send.

    True when sent, False when the attempt failed (kept for a retry), None when there
    was nothing to do: another sender holds it, or its bookings have since moved on (a
    request cancelled before its confirmation was written), in which case it is removed.
    """
    if not _claim(outgoing):
        return None
    return _deliver(outgoing, connection)


def _deliver(outgoing: OutgoingEmail, connection: Any = None) -> bool | None:
    """`outgoing_deliver` for a sender that holds the row already."""
    written_fields = {}
    if outgoing.rendered_at is None:
        written = email_write(
            outgoing.kind, _bookings_of(outgoing), status_token=outgoing.status_token
        )
        if written is None:
            outgoing.delete()
            return None
        written_fields = {
            "to": written.to,
            "subject": written.rendered.subject,
            "body_text": written.rendered.text,
            "body_html": written.rendered.html,
            "attachments": written.attachments,
            "rendered_at": timezone.now(),
            "status_token": "",  # the written link carries it now
        }
        for name, value in written_fields.items():
            setattr(outgoing, name, value)
    return _send(outgoing, connection, written_fields)


def _bookings_of(outgoing: OutgoingEmail) -> list[Booking]:
    """The bookings the e-mail is about that are still in the event's state."""
    rows = Booking.objects.filter(pk__in=outgoing.booking_ids).select_related("room")
    if outgoing.kind in STATUS_OF_KIND:
        rows = rows.filter(status=STATUS_OF_KIND[outgoing.kind])
    return list(rows.order_by("start", "pk"))


def _send(outgoing: OutgoingEmail, connection: Any, written_fields: dict[str, Any]) -> bool:
    """One attempt, recorded on the row with what was written for it. A failure is
    logged and kept for `send_pending_emails`, never raised into the request that caused
    the e-mail."""
    now = timezone.now()
    try:
        email_message(outgoing, connection).send(fail_silently=False)
    except (SMTPException, OSError) as error:
        _attempt_record(
            outgoing, **written_fields, last_error=repr(error)[:2000], last_attempt_at=now
        )
        logger.warning(
            "e-mail %s (%s) not sent, kept for retry: %r", outgoing.pk, outgoing.kind, error
        )
        return False
    _attempt_record(outgoing, **written_fields, last_error="", last_attempt_at=now, sent_at=now)
    return True


def _attempt_record(outgoing: OutgoingEmail, **fields: Any) -> None:
    """Count the attempt and its outcome and let go of the row, on the row and on the
    instance alike."""
    fields["attempts"] = outgoing.attempts + 1
    fields["claimed_until"] = None
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(**fields)
    for name, value in fields.items():
        setattr(outgoing, name, value)


def email_store_and_send(
    *,
    kind: str,
    written: Written,
    booking: Booking | None = None,
    dedupe_key: str = "",
) -> OutgoingEmail:
    """Store an e-mail written already (a reminder) and make the first attempt."""
    outgoing = OutgoingEmail.objects.create(
        kind=kind,
        dedupe_key=dedupe_key,
        booking=booking,
        booking_ids=[booking.pk] if booking else [],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=written.to,
        subject=written.rendered.subject,
        body_text=written.rendered.text,
        body_html=written.rendered.html,
        attachments=written.attachments,
        rendered_at=timezone.now(),
        claimed_until=_claim_end(),
    )
    _deliver(outgoing)
    return outgoing


def pending_emails() -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(sent_at__isnull=True).order_by("created_at", "pk")


def pending_emails_send(outgoing: Iterable[OutgoingEmail] | None = None) -> tuple[int, int]:
    """Write and send every unsent e-mail over one connection; (sent, still failing).
    Rows another sender holds are left to it."""
    sent = failed = 0
    with get_connection() as connection:
        for item in outgoing if outgoing is not None else pending_emails():
            outcome = outgoing_deliver(item, connection)
            if outcome is True:
                sent += 1
            elif outcome is False:
                failed += 1
    return sent, failed


# --- Reminders ----------------------------------------------------------------------------


def reminders_send(*, days_before: int, now: datetime | None = None) -> int:
    """A reminder for every approved booking starting within `days_before` days, once per
    booking and start time: a second run (or a moved booking's old time) sends nothing."""
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=BookingStatus.APPROVED, start__gt=now, start__lte=now + timedelta(days=days_before)
    ).exclude(email="")
    sent = 0
    for booking in due.select_related("room").order_by("start", "pk"):
        key = f"reminder:{booking.pk}:{booking.start.isoformat()}"
        if OutgoingEmail.objects.filter(dedupe_key=key).exists():
            continue
        written = email_write("reminder", [booking])
        if written is not None:
            email_store_and_send(kind="reminder", written=written, booking=booking, dedupe_key=key)
            sent += 1
    return sent
