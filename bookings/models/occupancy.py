"""The occupancy table: one row per physical space and blocked time, checked for overlaps."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from bookings.models.bookings import Booking
from bookings.models.rooms import Room
from bookings.models.schedule import Closure


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
