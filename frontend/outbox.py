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
from contextlib import suppress
from datetime import datetime, timedelta
from smtplib import SMTPException
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from frontend.emails import Written, email_message, email_write, invoice_email_fields
from frontend.models import OutgoingEmail
from heideken.log_redaction import redact_tokens
from invoicing.hooks import InvoiceEmail

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 300

# The e-mails each booking event calls for.
KINDS_OF_EVENT = {
    "requested": ("received", "staff_new_request"),
    "approved": ("approved",),
    "rejected": ("rejected",),
    "cancelled": ("cancelled",),
    "changed": ("staff_request_changed",),
}
# An event's e-mail is about its bookings still in the event's state when it is written;
# the renter's confirmation carries the status link, so it goes out even if staff decided
# meanwhile, unless the request was withdrawn.
STATUSES_OF_KIND = {
    "received": (BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.REJECTED),
    "staff_new_request": (BookingStatus.REQUESTED,),
    "approved": (BookingStatus.APPROVED,),
    "rejected": (BookingStatus.REJECTED,),
    "cancelled": (BookingStatus.CANCELLED,),
    "staff_renter_cancelled": (BookingStatus.CANCELLED,),
    "staff_request_changed": (BookingStatus.REQUESTED,),
}
RENTER_KINDS = {"received", "approved", "rejected", "cancelled"}
STAFF_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


# --- Storing, in the event's transaction --------------------------------------------------

# Per thread: the live server and the test client each run their own transactions.
_local = threading.local()


def _batch() -> tuple[str, set[tuple[str, str, str]]]:
    """The current transaction's batch id and the (kind, group, language) rows it has
    stored.

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
    # The sender after the commit holds its rows from the start, each call's rows under
    # its own hold; should it never run, the hold runs out and the worker sends them.
    hold = _hold_end() if settings.EMAIL_DELIVERY == "commit" else None
    group = f"series-{booking.series_id}" if booking.series_id else f"booking-{booking.pk}"
    new = []
    kinds = KINDS_OF_EVENT[event]
    if event == "cancelled" and context.get("by_renter") and context.get("was_approved"):
        kinds = (*kinds, "staff_renter_cancelled")  # staff hear of every such (SPEC §2.13)
    for kind in kinds:
        if kind in RENTER_KINDS and not booking.email:
            continue  # the house's own bookings, or data already erased
        # A staff e-mail once per language, each written to the staff who read it; a
        # language no one reads is dropped when written. Deciding that now would cost
        # the request a query and miss a staff member who changes language meanwhile.
        for language in ("",) if kind in RENTER_KINDS else STAFF_LANGUAGES:
            key = (kind, group, language)
            if key in stored and _add_to_stored(batch_id, key, booking):
                continue
            stored.add(key)
            new.append(
                OutgoingEmail(
                    kind=kind,
                    batch=batch_id,
                    group=group,
                    language=language,
                    booking=booking,
                    booking_ids=[booking.pk],
                    status_token=context.get("status_token", ""),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[booking.email] if kind in RENTER_KINDS else [],
                    claimed_until=hold,
                )
            )
    if new:
        OutgoingEmail.objects.bulk_create(new)

    def batch_end() -> None:
        _batch_end(batch_id)

    transaction.on_commit(batch_end)
    if new and hold is not None:

        def deliver_after_commit() -> None:
            held_deliver([outgoing.pk for outgoing in new], hold)

        transaction.on_commit(deliver_after_commit, robust=True)


def _add_to_stored(batch_id: str, key: tuple[str, str, str], booking: Booking) -> bool:
    """Add another date to the row this transaction stored for its series; False when
    that row is gone (rolled back with a savepoint)."""
    kind, group, language = key
    row = (
        OutgoingEmail.objects.select_for_update()
        .filter(batch=batch_id, kind=kind, group=group, language=language, rendered_at__isnull=True)
        .first()
    )
    if row is None:
        return False
    if booking.pk not in row.booking_ids:
        row.booking_ids.append(booking.pk)
        row.save(update_fields=["booking_ids"])
    return True


# --- Writing and sending, after the commit ------------------------------------------------


def _hold_end() -> datetime:
    return timezone.now() + timedelta(seconds=CLAIM_SECONDS)


def outgoing_claim(outgoing: OutgoingEmail) -> datetime | None:
    """Hold a free row (never held, or its holder's time run out) for this sender: one
    compare-and-set, so of two senders one wins. The new hold, or None when the row is
    sent or held by someone else."""
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now())
    hold = _hold_end()
    taken = OutgoingEmail.objects.filter(free, pk=outgoing.pk, sent_at__isnull=True).update(
        claimed_until=hold
    )
    return hold if taken == 1 else None


def held_deliver(pks: list[int], held: datetime) -> None:
    """Write and send the rows one transaction stored under this hold (run on its commit).
    A row whose hold ran out meanwhile is left to whoever took it."""
    hold = _hold_end()
    OutgoingEmail.objects.filter(pk__in=pks, claimed_until=held, sent_at__isnull=True).update(
        claimed_until=hold
    )  # one compare-and-set for the whole batch
    connection = get_connection()
    bookings: dict[tuple[int, ...], list[Booking]] = {}  # the renter's and the staff's
    try:
        for outgoing in OutgoingEmail.objects.filter(pk__in=pks, claimed_until=hold).order_by("pk"):
            _deliver(outgoing, hold, connection, bookings)
    finally:
        connection.close()


def _deliver(
    outgoing: OutgoingEmail,
    hold: datetime,
    connection: Any,
    bookings: dict[tuple[int, ...], list[Booking]] | None = None,
) -> bool | None:
    """Write the e-mail if it is not yet written, then make one attempt to send it, by a
    sender that holds the row.

    True when sent, False when the attempt failed (kept for a retry, with its error),
    None when there was nothing to send: its bookings moved on before it was written
    (a request withdrawn before its confirmation went out), and the row is removed.
    """
    outgoing.claimed_until = hold
    written_fields: dict[str, Any] = {}
    try:
        if outgoing.rendered_at is None:
            written = email_write(
                outgoing.kind,
                _bookings_of(outgoing, {} if bookings is None else bookings),
                status_token=outgoing.status_token,
                language=outgoing.language,
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
        connection.open()  # once per sender; a refusal is this attempt's failure
        email_message(outgoing, connection).send(fail_silently=False)
    except (SMTPException, OSError) as error:
        with suppress(SMTPException, OSError):
            connection.close()  # the next e-mail starts on a fresh connection
        return _failure_record(outgoing, error, written_fields)
    except Exception as error:
        # One broken e-mail (a template error, a bad header) must not stop the others.
        logger.exception("e-mail %s (%s) could not be written or sent", outgoing.pk, outgoing.kind)
        return _failure_record(outgoing, error, written_fields)
    now = timezone.now()
    kept = {**written_fields, **_sent_copy(outgoing)}
    _attempt_record(outgoing, **kept, last_error="", last_attempt_at=now, sent_at=now)
    return True


def _sent_copy(outgoing: OutgoingEmail) -> dict[str, str]:
    """What the outbox keeps of a sent e-mail: the text without the secret of a status
    link, which would otherwise rest in clear for the whole retention period."""
    return {
        "body_text": redact_tokens(outgoing.body_text),
        "body_html": redact_tokens(outgoing.body_html),
    }


def _failure_record(outgoing: OutgoingEmail, error: Exception, written_fields: dict) -> bool:
    _attempt_record(
        outgoing, **written_fields, last_error=repr(error)[:2000], last_attempt_at=timezone.now()
    )
    logger.warning("e-mail %s (%s) not sent, kept for retry: %r", outgoing.pk, outgoing.kind, error)
    return False


def _bookings_of(
    outgoing: OutgoingEmail, read: dict[tuple[int, ...], list[Booking]]
) -> list[Booking]:
    """The bookings the e-mail is about that are still in the event's state (a renter's
    confirmation: not yet withdrawn, as it carries the status link). `read`: bookings
    already read for another e-mail of the same event."""
    key = tuple(outgoing.booking_ids)
    if key not in read:
        rows = Booking.objects.filter(pk__in=key).select_related("room")
        read[key] = list(rows.order_by("start", "pk"))
    wanted = STATUSES_OF_KIND.get(outgoing.kind)
    return [booking for booking in read[key] if wanted is None or booking.status in wanted]


def _attempt_record(outgoing: OutgoingEmail, **fields: Any) -> None:
    """Count the attempt and its outcome and let go of the row, on the row and on the
    instance alike. Only the holder records: a sender whose hold ran out and was taken
    over leaves the row to the new holder."""
    fields["attempts"] = outgoing.attempts + 1
    fields["claimed_until"] = None
    OutgoingEmail.objects.filter(pk=outgoing.pk, claimed_until=outgoing.claimed_until).update(
        **fields
    )
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
    hold = _hold_end()
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
        claimed_until=hold,
    )
    connection = get_connection()
    try:
        _deliver(outgoing, hold, connection)
    finally:
        connection.close()
    return outgoing


def pending_emails() -> QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(sent_at__isnull=True).order_by("created_at", "pk")


def pending_emails_send(outgoing: Iterable[OutgoingEmail] | None = None) -> tuple[int, int]:
    """Write and send every unsent e-mail that no other sender holds, over one connection
    opened only when there is something to send; (sent, still failing)."""
    sent = failed = 0
    connection = get_connection()
    try:
        for item in outgoing if outgoing is not None else pending_emails():
            hold = outgoing_claim(item)
            if hold is None:
                continue
            item.refresh_from_db()  # as it is now that this sender holds it
            outcome = _deliver(item, hold, connection)
            if outcome is True:
                sent += 1
            elif outcome is False:
                failed += 1
    finally:
        connection.close()
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


# --- Invoices -----------------------------------------------------------------------------


def invoice_email_queue(email: InvoiceEmail) -> None:
    """Invoicing's e-mail hook: store the invoice e-mail, written and with its PDF, in the
    sending transaction, and send it after the commit (retried like any other)."""
    hold = _hold_end() if settings.EMAIL_DELIVERY == "commit" else None
    outgoing = OutgoingEmail.objects.create(
        kind=email.kind,
        dedupe_key=email.key,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        **invoice_email_fields(email),
        rendered_at=timezone.now(),
        claimed_until=hold,
    )
    if hold is not None:

        def deliver_after_commit() -> None:
            held_deliver([outgoing.pk], hold)

        transaction.on_commit(deliver_after_commit, robust=True)
