"""Invoices, credit notes, stored PDFs and numbering (SPEC §2.7); lines and payments have
their own modules.

An issued invoice is a copy of what it shows (seller, buyer, lines, VAT) and never changes
(pretix's invoice discipline): a correction is a credit note. Writes go through
`invoicing.services`; the guards here are the last line of defence behind them, and on
the database itself triggers refuse changes to issued rows (migration 0003).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bookings.models import LANGUAGE_CHOICES, Booking, Customer, DeliveryMethod
from invoicing.money import ZERO
from invoicing.references import reference_format, rf_format, rf_reference


class ImmutableInvoice(Exception):
    """A write that would change or delete an issued invoice."""


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", pgettext_lazy("document", "Invoice")
    CREDIT_NOTE = "credit", pgettext_lazy("document", "Credit note")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("invoice status", "Draft")
    ISSUED = "issued", pgettext_lazy("invoice status", "Issued")


class Unit(models.TextChoices):
    HOUR = "h", pgettext_lazy("unit", "h")
    HALF_DAY = "half_day", pgettext_lazy("unit", "half day")
    DAY = "day", pgettext_lazy("unit", "day")
    PIECE = "pcs", pgettext_lazy("unit", "pcs")
    PERSON = "person", pgettext_lazy("unit", "person")


class InvoiceCounter(models.Model):
    """The last number issued in a year; locked (SELECT … FOR UPDATE) by the issuing
    transaction, so numbers are consecutive and a rolled-back issue leaves no gap."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice number counter")
        verbose_name_plural = _("invoice number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class InvoiceQuerySet(models.QuerySet):
    """Bulk writes refuse issued rows too, so no path around the model guard exists."""

    def update(self, **kwargs):
        if self.filter(status=InvoiceStatus.ISSUED).exists():
            raise ImmutableInvoice("an issued invoice cannot be changed")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=InvoiceStatus.ISSUED).exists():
            raise ImmutableInvoice("an issued invoice cannot be deleted")
        return super().delete()

    def issued(self) -> InvoiceQuerySet:
        return self.filter(status=InvoiceStatus.ISSUED)


class Invoice(models.Model):
    # The status as loaded or last saved: an issued invoice never changes (see save()).
    _loaded_status: str | None

    kind = models.CharField(
        _("type"), max_length=10, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("customer")
    )
    # Numbering (set at issue): one consecutive series per year for invoices and credit
    # notes alike, printed YYYY-NNNN (VAT Act 209 e § 2).
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number in the year"), null=True, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    reference = models.CharField(_("reference number"), max_length=20, blank=True)
    # An invoice may be credited in parts, by several credit notes, until nothing is left.
    credited_invoice = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("credits invoice"),
    )
    credited_number = models.CharField(_("credits invoice number"), max_length=20, blank=True)
    credited_issue_date = models.DateField(_("credits invoice dated"), null=True, blank=True)
    credit_reason = models.TextField(_("reason for the credit"), max_length=500, blank=True)
    # The buyer, copied from the customer and bookings when the draft is made.
    buyer_name = models.CharField(_("buyer"), max_length=200)
    buyer_address = models.TextField(_("buyer's address"), max_length=500, blank=True)
    buyer_business_id = models.CharField(_("buyer's business ID"), max_length=9, blank=True)
    buyer_e_invoice_address = models.CharField(_("e-invoice address"), max_length=40, blank=True)
    buyer_e_invoice_operator = models.CharField(_("e-invoice operator"), max_length=40, blank=True)
    buyer_reference = models.CharField(_("buyer's reference"), max_length=200, blank=True)
    buyer_email = models.EmailField(_("billing e-mail"), blank=True)
    # Chosen at draft from the customer's method; sending follows it (SPEC §2.15).
    delivery_method = models.CharField(
        _("delivery"), max_length=10, choices=DeliveryMethod.choices, default=DeliveryMethod.EMAIL
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="fi")
    # The seller, copied from the seller settings at issue.
    seller_name = models.CharField(_("seller"), max_length=70, blank=True)
    seller_address = models.TextField(_("seller's address"), max_length=300, blank=True)
    seller_business_id = models.CharField(_("seller's business ID"), max_length=9, blank=True)
    seller_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    seller_bic = models.CharField(_("BIC"), max_length=11, blank=True)
    seller_vat_registered = models.BooleanField(_("seller registered for VAT"), default=True)
    seller_contact = models.CharField(_("seller's contact details"), max_length=200, blank=True)
    seller_e_invoice_address = models.CharField(
        _("seller's e-invoice address"), max_length=35, blank=True
    )
    seller_e_invoice_operator = models.CharField(
        _("seller's e-invoice operator"), max_length=35, blank=True
    )
    penalty_interest_rate = models.DecimalField(
        _("penalty interest (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    barcode_uses_rf = models.BooleanField(_("RF reference in the bank barcode"), default=False)
    # Totals: sums of the rounded lines.
    total_net = models.DecimalField(_("without VAT"), max_digits=12, decimal_places=2, default=ZERO)
    total_vat = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2, default=ZERO)
    total_gross = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=ZERO)
    bookings: models.ManyToManyField[Booking, InvoiceBooking] = models.ManyToManyField(
        Booking, through="InvoiceBooking", related_name="invoices", verbose_name=_("bookings")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number", "-pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="one_invoice_per_number"),
            models.CheckConstraint(
                condition=Q(kind__in=InvoiceKind.values), name="invoice_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=InvoiceStatus.values), name="invoice_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(delivery_method__in=DeliveryMethod.values),
                name="invoice_delivery_method_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=InvoiceStatus.DRAFT)
                | (
                    Q(year__isnull=False)
                    & Q(number__isnull=False)
                    & Q(issue_date__isnull=False)
                    & Q(due_date__isnull=False)
                ),
                name="issued_invoice_is_numbered",
            ),
            models.CheckConstraint(
                condition=Q(kind=InvoiceKind.INVOICE, credited_invoice__isnull=True)
                | Q(kind=InvoiceKind.CREDIT_NOTE, credited_invoice__isnull=False),
                name="credit_note_refers_to_original",
            ),
        ]
        indexes = [models.Index(fields=["reference"], name="invoice_reference")]

    def __str__(self) -> str:
        return self.number_text or str(_("Draft %(pk)s") % {"pk": self.pk})

    def save(self, *args, **kwargs) -> None:
        # Last line of defence; the services never save an issued invoice.
        if self._was_issued():
            raise ImmutableInvoice("an issued invoice cannot be changed")
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def delete(self, *args, **kwargs):
        if self._was_issued() or self.status == InvoiceStatus.ISSUED:
            raise ImmutableInvoice("an issued invoice cannot be deleted")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    def _was_issued(self) -> bool:
        return getattr(self, "_loaded_status", None) == InvoiceStatus.ISSUED

    @property
    def is_issued(self) -> bool:
        return self.status == InvoiceStatus.ISSUED

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE

    @property
    def number_text(self) -> str:
        """`2026-0001`: the year and a zero-padded consecutive number."""
        if self.year is None or self.number is None:
            return ""
        return number_text(self.year, self.number)

    @property
    def reference_text(self) -> str:
        return reference_format(self.reference) if self.reference else ""

    @property
    def rf_reference_text(self) -> str:
        return rf_format(rf_reference(self.reference)) if self.reference else ""


def number_text(year: int, number: int) -> str:
    return f"{year}-{number:04d}"


def reference_base(year: int, number: int) -> str:
    """The digits a reference number is made of: year and zero-padded number, unique per
    invoice, with no leading zero (Bank Bar Code Guide: base of 3–19 digits)."""
    return f"{year}{number:04d}"


class InvoicePdf(models.Model):
    """The PDF made once at issue; downloads return these bytes, byte for byte."""

    invoice = models.OneToOneField(
        Invoice, on_delete=models.PROTECT, primary_key=True, related_name="pdf"
    )
    content = models.BinaryField(_("PDF"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invoice PDF")
        verbose_name_plural = _("invoice PDFs")

    def __str__(self) -> str:
        return f"{self.invoice_id}.pdf"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableInvoice("a stored invoice PDF is never rewritten")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableInvoice("a stored invoice PDF is never deleted")


class InvoiceBooking(models.Model):
    """A booking billed on an invoice. `active` until the invoice is credited, and at most
    one active row per booking: the database refuses to bill a booking twice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("invoiced booking")
        verbose_name_plural = _("invoiced bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["booking"], condition=Q(active=True), name="booking_invoiced_once"
            ),
            models.UniqueConstraint(fields=["invoice", "booking"], name="booking_once_per_invoice"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id}/{self.booking_id}"
