"""Sending invoices and the invoicing audit trail (SPEC §2.15).

An issued invoice never changes, so what happens to it afterwards (sent, paid, reminded,
credited) is recorded in rows of its own: a `InvoiceSending` per delivery, with the
e-invoice file batch it went out in, and an `InvoiceEvent` per act, with who and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import DeliveryMethod
from invoicing.models.invoices import Invoice


class EInvoiceBatch(models.Model):
    """One file of Finvoice documents (each behind its SOAP envelope) for the operator's
    or bank's upload, kept as made: downloading it again gives the same bytes."""

    created_at = models.DateTimeField(_("made"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.BinaryField(_("file"))
    sha256 = models.CharField(max_length=64)
    invoice_count = models.PositiveIntegerField(_("invoices"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-invoice batch")
        verbose_name_plural = _("e-invoice batches")

    def __str__(self) -> str:
        return self.filename

    @property
    def filename(self) -> str:
        return f"finvoice-batch-{self.pk}.xml"


class InvoiceSending(models.Model):
    """An invoice delivered once: when, how and to whom (an e-mail address, an e-invoice
    address with its operator, or the postal address printed on)."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="sendings", verbose_name=_("invoice")
    )
    method = models.CharField(_("method"), max_length=10, choices=DeliveryMethod.choices)
    recipient = models.CharField(_("to"), max_length=254)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        EInvoiceBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sendings",
        verbose_name=_("e-invoice batch"),
    )
    # The outbox row of an e-mail (frontend.OutgoingEmail.dedupe_key), which retries it.
    email_key = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("invoice sending")
        verbose_name_plural = _("invoice sendings")
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=DeliveryMethod.values), name="sending_method_valid"
            ),
            models.CheckConstraint(
                condition=Q(batch__isnull=True) | Q(method=DeliveryMethod.E_INVOICE),
                name="sending_batch_only_for_e_invoices",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.method} {self.sent_at:%Y-%m-%d}"


class InvoiceAction(models.TextChoices):
    ISSUED = "issued", _("Issued")
    SENT = "sent", _("Sent")
    CREDITED = "credited", _("Credited")
    PAYMENT_BY_HAND = "payment_manual", _("Payment recorded by hand")
    PAYMENT_BY_REFERENCE = "payment_reference", _("Payment matched by reference")
    PAYMENT_BY_STATEMENT = "payment_statement", _("Payment from a bank statement")
    REMINDED = "reminded", _("Payment reminder")
    LINE_ADDED = "line_added", _("Line added to the draft")
    DISCOUNT_ADDED = "discount_added", _("Discount added to the draft")
    LINE_REMOVED = "line_removed", _("Line removed from the draft")


class InvoiceEvent(models.Model):
    """The invoicing audit trail: one row per act on an issued invoice, with who and
    when. `detail` holds numbers, amounts and methods, never personal data."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="events", verbose_name=_("invoice")
    )
    action = models.CharField(_("action"), max_length=20, choices=InvoiceAction.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("invoice event")
        verbose_name_plural = _("invoice events")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=InvoiceAction.values), name="invoice_event_action_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
