"""Price lists per customer group, room prices, extras, the dated VAT rate table and the
price snapshot an approved booking keeps (SPEC §2.6)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, Room, translated
from invoicing.vat import VatCode

PRICE_VALIDATORS = [MinValueValidator(0)]


class CustomerGroup(models.TextChoices):
    MEMBER = "member", _("Member organisations")
    EXTERNAL = "external", _("External renters")


class VatRate(models.Model):
    """One row of the dated rate table: from `valid_from` on, `code` is taxed at `rate`.

    Loaded by migration 0002; a new rate (a law change) is a new row with its start date,
    never an edit of an old one, so that quotes of earlier services stay as they were.
    """

    code = models.CharField(
        _("VAT code"),
        max_length=10,
        choices=[
            (VatCode.GENERAL, VatCode.GENERAL.label),
            (VatCode.CATERING, VatCode.CATERING.label),
        ],
    )
    valid_from = models.DateField(_("valid from"))
    rate = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["code", "valid_from"]
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="one_vat_rate_per_day"),
            models.CheckConstraint(
                condition=Q(code__in=[VatCode.GENERAL, VatCode.CATERING]),
                name="vat_rate_code_taxable",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lt=100), name="vat_rate_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.rate} % {self.valid_from:%d.%m.%Y}–"


class PriceList(models.Model):
    """The prices of one customer group for a period; lists of a group never overlap."""

    name = models.CharField(_("name"), max_length=100)
    customer_group = models.CharField(
        _("customer group"), max_length=10, choices=CustomerGroup.choices
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty for no end.")
    )

    class Meta:
        ordering = ["customer_group", "-valid_from"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        constraints = [
            models.CheckConstraint(
                condition=Q(customer_group__in=CustomerGroup.values),
                name="price_list_group_valid",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="price_list_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def clean(self) -> None:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end must not be before the start.")})
        if self._overlapping().exists():
            raise ValidationError(
                _("Another price list of this customer group is valid during this period.")
            )

    def _overlapping(self) -> models.QuerySet[PriceList]:
        others = PriceList.objects.filter(customer_group=self.customer_group).exclude(pk=self.pk)
        if self.valid_until is not None:
            others = others.filter(valid_from__lte=self.valid_until)
        return others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from))


class RoomPriceQuerySet(models.QuerySet):
    def valid_on(self, day: date) -> RoomPriceQuerySet:
        """Prices of the lists valid on that day, both ends of a list's period included:
        the one reading of a price list's validity (quotes and the public prices)."""
        return self.filter(price_list__valid_from__lte=day).filter(
            Q(price_list__valid_until__isnull=True) | Q(price_list__valid_until__gte=day)
        )


class RoomPrice(models.Model):
    """A room's price in one list: hours × rate, capped at the half-day price for up to
    four hours and at the full-day price (SPEC §2.6). Prices are without VAT."""

    price_list = models.ForeignKey(
        PriceList,
        on_delete=models.CASCADE,
        related_name="room_prices",
        verbose_name=_("price list"),
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="+", verbose_name=_("room")
    )
    hourly_rate = models.DecimalField(
        _("hourly rate (€)"), max_digits=9, decimal_places=2, validators=PRICE_VALIDATORS
    )
    half_day_price = models.DecimalField(
        _("half-day price, up to 4 h (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PRICE_VALIDATORS,
    )
    full_day_price = models.DecimalField(
        _("full-day price (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PRICE_VALIDATORS,
    )
    vat_code = models.CharField(
        _("VAT code"),
        max_length=10,
        choices=VatCode.choices,
        default=VatCode.EXEMPT,
        help_text=_("Letting a room is exempt; a package where services dominate may be taxable."),
    )

    objects = RoomPriceQuerySet.as_manager()

    class Meta:
        ordering = ["price_list", "room"]
        verbose_name = _("room price")
        verbose_name_plural = _("room prices")
        constraints = [
            models.UniqueConstraint(fields=["price_list", "room"], name="one_price_per_room"),
            models.CheckConstraint(
                condition=Q(vat_code__in=VatCode.values), name="room_price_vat_code_valid"
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0)
                & (Q(half_day_price__isnull=True) | Q(half_day_price__gte=0))
                & (Q(full_day_price__isnull=True) | Q(full_day_price__gte=0)),
                name="room_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.hourly_rate} €/h"


class ExtraPricing(models.TextChoices):
    UNIT = "unit", _("Per unit")
    PERSON = "person", _("Per person")


class Extra(models.Model):
    """Something ordered with a room: coffee service, equipment, extra cleaning."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    pricing = models.CharField(
        _("priced"), max_length=10, choices=ExtraPricing.choices, default=ExtraPricing.UNIT
    )
    price = models.DecimalField(
        _("price without VAT (€)"), max_digits=9, decimal_places=2, validators=PRICE_VALIDATORS
    )
    vat_code = models.CharField(
        _("VAT code"), max_length=10, choices=VatCode.choices, default=VatCode.GENERAL
    )
    is_active = models.BooleanField(_("can be ordered"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("extra")
        verbose_name_plural = _("extras")
        constraints = [
            models.CheckConstraint(
                condition=Q(pricing__in=ExtraPricing.values), name="extra_pricing_valid"
            ),
            models.CheckConstraint(
                condition=Q(vat_code__in=VatCode.values), name="extra_vat_code_valid"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="extra_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")

    def names(self) -> dict[str, str]:
        return {language: translated(self, "name", language) for language in ("fi", "sv", "en")}


class BookingPrice(models.Model):
    """The price lines an approved booking keeps (SPEC §2.6), written by the approval hook.

    A later price change never alters it. `room`, `start`, `end` and `extras` record what
    was priced, so invoicing can tell when staff moved the booking afterwards.
    """

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="price_snapshot", verbose_name=_("booking")
    )
    customer_group = models.CharField(
        _("customer group"), max_length=10, choices=CustomerGroup.choices
    )
    price_list = models.ForeignKey(
        PriceList,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("price list"),
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    extras = models.JSONField(default=list, blank=True)
    lines = models.JSONField(_("price lines"), default=list)
    created_at = models.DateTimeField(_("priced"), default=timezone.now)

    class Meta:
        verbose_name = _("booking price")
        verbose_name_plural = _("booking prices")

    def __str__(self) -> str:
        return f"{self.booking_id}: {len(self.lines)}"

    def matches(self, booking: Booking) -> bool:
        """Whether the booking is still what was priced (room, time, extras)."""
        return (
            self.room_id == booking.room_id
            and self.start == booking.start
            and self.end == booking.end
            and self.extras == booking.extras
        )
