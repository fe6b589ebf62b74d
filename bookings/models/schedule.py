"""When rooms are open: weekly hours, openings on public holidays, and closures."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models.rooms import Room


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
