"""Bookings and the weekly series they may belong to."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bookings.models.customers import Customer
from bookings.models.rooms import LANGUAGE_CHOICES, Room
from bookings.validators import validate_business_id


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("booking status", "Requested")
    APPROVED = "approved", pgettext_lazy("booking status", "Approved")
    REJECTED = "rejected", pgettext_lazy("booking status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("booking status", "Cancelled")
    EXPIRED = "expired", pgettext_lazy("booking status", "Expired")


ACTIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.APPROVED)


class BookingSeries(models.Model):
    """A recurring request: its occurrences are bookings of their own (SPEC §2.5)."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    rrule = models.CharField(_("recurrence rule (RFC 5545)"), max_length=200)
    first_start = models.DateTimeField(_("first start"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self) -> str:
        return f"{self.room} {self.rrule}"


class Booking(models.Model):
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # Buffers are copied from the room's rules when the booking is made, so a later rule
    # change never moves the space an existing booking holds.
    setup_buffer_minutes = models.PositiveIntegerField(_("setup buffer (minutes)"), default=0)
    cleanup_buffer_minutes = models.PositiveIntegerField(_("cleanup buffer (minutes)"), default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BookingStatus.choices,
        default=BookingStatus.REQUESTED,
        db_index=True,
    )
    title = models.CharField(_("event title"), max_length=200)
    attendees = models.PositiveIntegerField(_("attendees"))
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
        verbose_name=_("customer"),
    )
    # A public request names its organisation and business ID itself; only staff link it
    # to a customer and vouch for it, and only then do that customer's member prices and
    # billing details apply (bookings/services/customers.py).
    customer_confirmed = models.BooleanField(_("customer confirmed by staff"), default=False)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, validators=[validate_business_id]
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    billing_address = models.TextField(_("billing address"), max_length=500, blank=True)
    e_invoice_address = models.CharField(_("e-invoice address"), max_length=40, blank=True)
    e_invoice_operator = models.CharField(_("e-invoice operator"), max_length=40, blank=True)
    buyer_reference = models.CharField(_("your reference"), max_length=70, blank=True)
    extras = models.JSONField(_("extras"), default=list, blank=True)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="fi")
    terms_accepted_at = models.DateTimeField(_("terms accepted"), null=True, blank=True)
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.PROTECT,
        related_name="bookings",
        null=True,
        blank=True,
        verbose_name=_("series"),
    )
    status_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    decision_message = models.TextField(_("message to the renter"), max_length=2000, blank=True)
    override_reason = models.CharField(
        _("reason for booking outside opening hours"), max_length=200, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    # RFC 5545 SEQUENCE: grows with every change of time, room or state.
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    # Set when the renter cancelled an approved booking: the share of the room price the
    # terms charged then, which invoicing bills as the booking's line (SPEC §2.13).
    cancellation_fee_percent = models.PositiveSmallIntegerField(
        _("cancellation fee (percent of the room price)"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    cancelled_by_renter_at = models.DateTimeField(
        _("cancelled by the renter after approval"), null=True, blank=True
    )

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=["room", "start"], name="booking_room_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BookingStatus.values), name="booking_status_valid"
            ),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="booking_ends"),
            models.CheckConstraint(condition=Q(attendees__gte=1), name="booking_has_attendees"),
            models.CheckConstraint(
                condition=Q(language__in=["fi", "sv", "en"]), name="booking_language_valid"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.title} ({self.room}, {local:%d.%m.%Y %H:%M})"

    @property
    def blocked_start(self):
        return self.start - timedelta(minutes=self.setup_buffer_minutes)

    @property
    def blocked_end(self):
        return self.end + timedelta(minutes=self.cleanup_buffer_minutes)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
