"""Payment reminders (maksumuistutus) and the reference rate table penalty interest is
computed from (Interest Act 633/1982, 4 §, 4 a § and 12 §)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import DeliveryMethod
from invoicing.models.invoices import Invoice


class ReferenceRate(models.Model):
    """The reference rate of one half-year (Interest Act 12 §: the Bank of Finland
    publishes it for 1 January–30 June and 1 July–31 December). Accounting adds a row
    each half-year; penalty interest for a day uses the half-year the day falls in."""

    valid_from = models.DateField(
        _("half-year starting"), unique=True, help_text=_("1 January or 1 July.")
    )
    rate = models.DecimalField(
        _("reference rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(-10), MaxValueValidator(50)],
    )

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("reference rate")
        verbose_name_plural = _("reference rates")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__day=1) & Q(valid_from__month__in=[1, 7]),
                name="reference_rate_starts_a_half_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.valid_from:%d.%m.%Y}: {self.rate} %"

    def clean(self) -> None:
        if self.valid_from and (self.valid_from.day != 1 or self.valid_from.month not in (1, 7)):
            raise ValidationError({"valid_from": _("A half-year starts on 1 January or 1 July.")})


class Reminder(models.Model):
    """A payment reminder of an overdue invoice, as sent: what it asked for and its PDF,
    kept as made (the invoice itself never changes)."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("invoice")
    )
    sequence = models.PositiveSmallIntegerField(_("reminder number"))
    reminded_on = models.DateField(_("date"))
    due_date = models.DateField(_("new due date"))
    open_amount = models.DecimalField(_("open"), max_digits=12, decimal_places=2)
    interest_rate = models.DecimalField(_("penalty interest (%)"), max_digits=5, decimal_places=2)
    interest = models.DecimalField(_("penalty interest so far"), max_digits=12, decimal_places=2)
    fee = models.DecimalField(_("reminder fee"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("to pay"), max_digits=12, decimal_places=2)
    method = models.CharField(_("delivered by"), max_length=10, choices=DeliveryMethod.choices)
    recipient = models.CharField(_("to"), max_length=254)
    pdf = models.BinaryField(_("PDF"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["invoice", "sequence"]
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "sequence"], name="one_reminder_per_number"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="reminder_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(method__in=DeliveryMethod.values), name="reminder_method_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice} #{self.sequence}"

    @property
    def filename(self) -> str:
        return f"{self.invoice.number_text}-reminder-{self.sequence}.pdf"
