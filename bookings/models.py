"""Rooms, their rules and opening hours, closures, customers, bookings and the audit trail.

Models hold data and single-row rules only; every write that involves more than one row
goes through `bookings.services`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from bookings.validators import validate_business_id

LANGUAGE_CHOICES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]


def translated(obj: models.Model, field: str, language: str | None = None) -> str:
    """The field in the given (or active) language, falling back to Finnish."""
    language = (language or get_language() or "fi")[:2]
    value = getattr(obj, f"{field}_{language}", "") or ""
    return value or getattr(obj, f"{field}_fi", "")


class BookingRulesFields(models.Model):
    """Booking rules; on a room each is optional and falls back to the house default."""

    slot_minutes = models.PositiveSmallIntegerField(
        _("slot granularity (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Start and end times must fall on this grid, counted from midnight."),
    )
    min_duration_minutes = models.PositiveIntegerField(
        _("minimum duration (minutes)"), null=True, blank=True
    )
    max_duration_minutes = models.PositiveIntegerField(
        _("maximum duration (minutes)"), null=True, blank=True
    )
    setup_buffer_minutes = models.PositiveIntegerField(
        _("setup buffer before (minutes)"), null=True, blank=True
    )
    cleanup_buffer_minutes = models.PositiveIntegerField(
        _("cleanup buffer after (minutes)"), null=True, blank=True
    )
    min_notice_hours = models.PositiveIntegerField(
        _("minimum notice for public requests (hours)"), null=True, blank=True
    )
    horizon_days = models.PositiveIntegerField(
        _("how far ahead the public may request (days)"), null=True, blank=True
    )

    RULE_FIELDS = (
        "slot_minutes",
        "min_duration_minutes",
        "max_duration_minutes",
        "setup_buffer_minutes",
        "cleanup_buffer_minutes",
        "min_notice_hours",
        "horizon_days",
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        low, high = self.min_duration_minutes, self.max_duration_minutes
        if low is not None and high is not None and low > high:
            raise ValidationError(
                {"max_duration_minutes": _("The maximum must not be below the minimum.")}
            )


class CancellationTermsFields(models.Model):
    """Cancellation terms (SPEC §2.13); on a room each is optional and falls back to the
    house default, and an unset house default to CANCELLATION_DEFAULTS."""

    free_cancel_days = models.PositiveSmallIntegerField(
        _("free cancellation until (days before the start)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
    )
    late_cancel_percent = models.PositiveSmallIntegerField(
        _("fee of a later cancellation (percent of the room price)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    last_minute_days = models.PositiveSmallIntegerField(
        _("last-minute cancellation within (days before the start)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(365)],
    )
    last_minute_percent = models.PositiveSmallIntegerField(
        _("fee of a last-minute cancellation (percent of the room price)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )

    CANCELLATION_FIELDS = (
        "free_cancel_days",
        "late_cancel_percent",
        "last_minute_days",
        "last_minute_percent",
    )

    class Meta:
        abstract = True


CANCELLATION_DEFAULTS = {
    "free_cancel_days": 14,
    "late_cancel_percent": 50,
    "last_minute_days": 2,
    "last_minute_percent": 100,
}


class HouseRules(BookingRulesFields, CancellationTermsFields):
    """The house-wide defaults: a single row (pk 1), created by the first migration."""

    class Meta:
        verbose_name = _("house booking rules")
        verbose_name_plural = _("house booking rules")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="house_rules_single_row"),
            models.CheckConstraint(
                condition=Q(slot_minutes__isnull=False)
                & Q(min_duration_minutes__isnull=False)
                & Q(max_duration_minutes__isnull=False)
                & Q(setup_buffer_minutes__isnull=False)
                & Q(cleanup_buffer_minutes__isnull=False)
                & Q(min_notice_hours__isnull=False)
                & Q(horizon_days__isnull=False),
                name="house_rules_all_set",
            ),
        ]

    def __str__(self) -> str:
        return str(_("House booking rules"))

    DEFAULTS = {
        "slot_minutes": 30,
        "min_duration_minutes": 60,
        "max_duration_minutes": 12 * 60,
        "setup_buffer_minutes": 15,
        "cleanup_buffer_minutes": 15,
        "min_notice_hours": 48,
        "horizon_days": 365,
        **CANCELLATION_DEFAULTS,
    }

    @classmethod
    def load(cls) -> HouseRules:
        # Created by a migration; recreated with the defaults if a flush removed it.
        rules, _created = cls.objects.get_or_create(pk=1, defaults=cls.DEFAULTS)
        return rules


class HouseInfo(models.Model):
    """What renters are told on their status page and after sending (a single row,
    pk 1): the house's address, how to get in and whom to ask, in each language, and how
    soon staff decide."""

    address = models.TextField(_("address"), max_length=500, blank=True)
    entry_fi = models.TextField(_("entry instructions (Finnish)"), max_length=2000, blank=True)
    entry_sv = models.TextField(_("entry instructions (Swedish)"), max_length=2000, blank=True)
    entry_en = models.TextField(_("entry instructions (English)"), max_length=2000, blank=True)
    contact_fi = models.TextField(_("contact (Finnish)"), max_length=500, blank=True)
    contact_sv = models.TextField(_("contact (Swedish)"), max_length=500, blank=True)
    contact_en = models.TextField(_("contact (English)"), max_length=500, blank=True)
    decision_working_days = models.PositiveSmallIntegerField(
        _("staff decide a request within (working days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )

    class Meta:
        verbose_name = _("house information for renters")
        verbose_name_plural = _("house information for renters")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="house_info_single_row")]

    def __str__(self) -> str:
        return str(_("House information for renters"))

    @classmethod
    def load(cls) -> HouseInfo:
        info, _created = cls.objects.get_or_create(pk=1)
        return info

    @property
    def entry(self) -> str:
        return translated(self, "entry")

    @property
    def contact(self) -> str:
        return translated(self, "contact")


class Room(BookingRulesFields, CancellationTermsFields):
    slug = models.SlugField(_("slug"), unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    accessibility_fi = models.TextField(_("accessibility notes (Finnish)"), blank=True)
    accessibility_sv = models.TextField(_("accessibility notes (Swedish)"), blank=True)
    accessibility_en = models.TextField(_("accessibility notes (English)"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    has_projector = models.BooleanField(_("projector"), default=False)
    has_screen = models.BooleanField(_("screen"), default=False)
    has_hybrid_kit = models.BooleanField(_("hybrid meeting kit"), default=False)
    has_kitchen = models.BooleanField(_("kitchen"), default=False)
    is_public = models.BooleanField(
        _("the public may request it"),
        default=True,
        help_text=_("Rooms that are not public can only be booked by staff."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    parts = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="combinations",
        blank=True,
        verbose_name=_("parts"),
        help_text=_(
            "A combined room is made of these rooms: booking it occupies every part, "
            "and booking a part occupies it."
        ),
    )

    class Meta:
        ordering = ["sort_order", "name_fi"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="room_capacity_positive"),
            models.CheckConstraint(
                condition=Q(slot_minutes__isnull=True) | Q(slot_minutes__gte=5),
                name="room_slot_at_least_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    @property
    def description(self) -> str:
        return translated(self, "description")

    @property
    def accessibility(self) -> str:
        return translated(self, "accessibility")


class RoomPhoto(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to="rooms/")
    alt_fi = models.CharField(_("description for screen readers (Finnish)"), max_length=200)
    alt_sv = models.CharField(
        _("description for screen readers (Swedish)"), max_length=200, blank=True
    )
    alt_en = models.CharField(
        _("description for screen readers (English)"), max_length=200, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt

    @property
    def alt(self) -> str:
        return translated(self, "alt")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening range on a weekday. Rows without a room are the house default,
    used by every room that has no rows of its own."""

    room = models.ForeignKey(
        Room,
        on_delete=models.CASCADE,
        related_name="opening_hours",
        null=True,
        blank=True,
        verbose_name=_("room"),
        help_text=_("Leave empty for the house default."),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    # Part of the schedule stamp that cached availability answers are keyed by.
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["room_id", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")), name="opens_first"),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="weekday_in_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class HolidayOpening(models.Model):
    """A Finnish public holiday on which staff opened a room (holidays close by default)."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="holiday_openings", verbose_name=_("room")
    )
    date = models.DateField(_("date"))
    # Part of the schedule stamp that cached availability answers are keyed by.
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday opening")
        verbose_name_plural = _("holiday openings")
        constraints = [
            models.UniqueConstraint(fields=["room", "date"], name="one_opening_per_room_day")
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.date:%d.%m.%Y}"

    def clean(self) -> None:
        # bookings.schedule reads these models, hence imported here.
        from bookings.schedule import finnish_holidays

        if self.date is not None and self.date not in finnish_holidays(self.date.year):
            raise ValidationError(
                {"date": _("This day is not a Finnish public holiday: the weekly hours apply.")}
            )


class ClosureReason(models.TextChoices):
    RENOVATION = "renovation", _("Renovation")
    CLEANING = "cleaning", _("Cleaning")
    OWN_EVENT = "own_event", _("The association's own event")
    OTHER = "other", _("Other")


class Closure(models.Model):
    """A time when rooms (or the whole house) cannot be used; blocks like a booking."""

    rooms = models.ManyToManyField(
        Room, related_name="closures", blank=True, verbose_name=_("rooms")
    )
    whole_house = models.BooleanField(_("whole house"), default=False)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    reason = models.CharField(_("reason"), max_length=20, choices=ClosureReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="closure_ends"),
            models.CheckConstraint(
                condition=Q(reason__in=ClosureReason.values), name="closure_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.get_reason_display()} {local:%d.%m.%Y %H:%M}"


class MemberOrganisation(models.Model):
    """The association's member organisations, kept by staff; members get member prices."""

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"), max_length=9, unique=True, validators=[validate_business_id]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.business_id})"


class DeliveryMethod(models.TextChoices):
    """How a customer's invoices reach them (SPEC §2.15)."""

    E_INVOICE = "e_invoice", _("E-invoice")
    EMAIL = "email", _("E-mail")
    PAPER = "paper", _("Paper")


class Customer(models.Model):
    organisation = models.CharField(_("organisation"), max_length=200)
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, validators=[validate_business_id]
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    billing_address = models.TextField(_("billing address"), max_length=500, blank=True)
    e_invoice_address = models.CharField(_("e-invoice address"), max_length=40, blank=True)
    e_invoice_operator = models.CharField(_("e-invoice operator"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="fi")
    invoice_delivery = models.CharField(
        _("invoice delivery"),
        max_length=10,
        choices=DeliveryMethod.choices,
        blank=True,
        help_text=_(
            "Leave empty to send e-invoices when an e-invoice address and operator are known, "
            "else e-mail."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~Q(business_id=""),
                name="one_customer_per_business_id",
            ),
            models.CheckConstraint(
                condition=Q(invoice_delivery="") | Q(invoice_delivery__in=DeliveryMethod.values),
                name="customer_invoice_delivery_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation

    @property
    def delivery_method(self) -> str:
        """The method chosen, or e-invoice when its address and operator are known."""
        if self.invoice_delivery:
            return self.invoice_delivery
        if self.e_invoice_address and self.e_invoice_operator:
            return DeliveryMethod.E_INVOICE
        return DeliveryMethod.EMAIL


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


class OccupancyKind(models.TextChoices):
    APPROVED = "approved", pgettext_lazy("occupancy", "Approved")
    REQUESTED = "requested", pgettext_lazy("occupancy", "Requested")
    CLOSED = "closed", pgettext_lazy("occupancy", "Closed")


BLOCKING_KINDS = (OccupancyKind.APPROVED, OccupancyKind.CLOSED)


class Occupancy(models.Model):
    """One physical space held for one time range by one booking or closure.

    A combined room writes a row for each of its parts, so clashes are always about the
    physical space. The range includes the booking's setup and cleanup buffers. On
    PostgreSQL an exclusion constraint (migration 0002) makes two blocking rows on one
    space impossible; on SQLite the services check inside an IMMEDIATE transaction.
    """

    space = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    kind = models.CharField(max_length=10, choices=OccupancyKind.choices)
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, related_name="occupancies"
    )
    closure = models.ForeignKey(
        Closure, on_delete=models.CASCADE, null=True, related_name="occupancies"
    )

    class Meta:
        # Lookups ask "which rows on these spaces end after the range starts": an index
        # led by (space, end) reads only rows from that point on, however long the past.
        indexes = [models.Index(fields=["space", "end", "start"], name="occupancy_space_end")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="occupancy_ends"),
            models.CheckConstraint(
                condition=Q(kind__in=OccupancyKind.values), name="occupancy_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(booking__isnull=False) & Q(closure__isnull=True))
                | (Q(booking__isnull=True) & Q(closure__isnull=False)),
                name="occupancy_has_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(closure__isnull=True) | Q(kind=OccupancyKind.CLOSED),
                name="occupancy_closure_is_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} space {self.space_id} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class AuditAction(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CREATED = "created", _("Booked by staff")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    MOVED = "moved", _("Time or room changed")
    DETAILS_CHANGED = "details_changed", _("Details changed")
    CLOSURE_CREATED = "closure_created", _("Closure created")
    CLOSURE_REMOVED = "closure_removed", _("Closure removed")
    ROOM_PARTS_CHANGED = "room_parts_changed", _("Parts of a combined room changed")


# What `actor_label` holds when no user acted (stored as the keys).
ACTOR_STAND_INS = {"renter": _("renter"), "system": _("system")}


class Acted(models.Model):
    """Who did it: the user, and their name as it was (kept when the user is deleted);
    without a user, one of the stand-ins."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_label = models.CharField(_("by"), max_length=150)

    class Meta:
        abstract = True

    @property
    def actor_display(self) -> str:
        """Who, in the reader's language: a user's name as stored; the stand-ins for the
        renter and for the system (commands, expiry) translated."""
        if self.actor_id is None and self.actor_label in ACTOR_STAND_INS:
            return str(ACTOR_STAND_INS[self.actor_label])
        return self.actor_label


class AuditEntry(Acted):
    """Who changed what, when and why (SPEC §2.3): written by every service."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    closure = models.ForeignKey(
        Closure, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values), name="audit_action_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_display}: {self.get_action_display()}"


class FeedToken(models.Model):
    """A staff member's secret calendar feed address (SPEC §2.8).

    Only the SHA-256 of the token is stored: the token itself is shown once, when it is
    made or rotated, and a leaked database does not leak working feed addresses.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feed_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    rooms = models.ManyToManyField(
        Room,
        related_name="+",
        blank=True,
        verbose_name=_("rooms"),
        help_text=_("Leave empty for every room."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_client = models.CharField(_("last used by"), max_length=200, blank=True)

    class Meta:
        ordering = ["user_id", "name", "pk"]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
