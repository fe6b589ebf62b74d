"""Rooms, the house's booking rules they fall back to, and their photos."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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
