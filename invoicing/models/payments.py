"""Payments recorded against an issued invoice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from invoicing.models.invoices import Invoice


class PaymentMethod(models.TextChoices):
    REFERENCE = "reference", _("Matched by reference number")
    MANUAL = "manual", _("Recorded by hand")
    STATEMENT = "statement", _("From a bank statement")


class Payment(models.Model):
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="payments", verbose_name=_("invoice")
    )
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("payment date"))
    method = models.CharField(_("recorded"), max_length=10, choices=PaymentMethod.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The bank entry this payment came from, when it was imported from a statement.
    bank_entry = models.ForeignKey(
        "invoicing.BankEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("bank entry"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=Q(method__in=PaymentMethod.values), name="payment_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(method=PaymentMethod.STATEMENT, bank_entry__isnull=False)
                | (~Q(method=PaymentMethod.STATEMENT) & Q(bank_entry__isnull=True)),
                name="statement_payment_has_its_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} € {self.paid_on:%d.%m.%Y}"
