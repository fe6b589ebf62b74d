"""An invoice's lines and the VAT groups they sum to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.db import models
from django.db.models import Q, Value
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from invoicing.ledger import Product
from invoicing.models.invoices import ImmutableInvoice, Invoice, InvoiceStatus, Unit
from invoicing.money import ZERO
from invoicing.vat import VatCode

HALF_CENT = Value(Decimal("0.005"))


class InvoiceLine(models.Model):
    """One line as printed (VAT Act 209 e § 6–10): nature, date(s), quantity, unit price
    without VAT, VAT code and rate, and the rounded amounts."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("description"), max_length=300)
    service_start = models.DateField(_("service date"))
    service_end = models.DateField(_("service end date"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    unit_price = models.DecimalField(_("unit price without VAT"), max_digits=12, decimal_places=2)
    vat_code = models.CharField(_("VAT code"), max_length=10, choices=VatCode.choices)
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    net = models.DecimalField(_("without VAT"), max_digits=12, decimal_places=2)
    vat = models.DecimalField(_("VAT"), max_digits=12, decimal_places=2)
    gross = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    # What the line sells: it picks the ledger account of the bookkeeping CSV.
    product = models.CharField(
        _("product"), max_length=20, choices=Product.choices, default=Product.MANUAL
    )
    # A discount line names the line it discounts (none: the whole draft or an amount);
    # removing that line from the draft removes its discounts with it.
    discounted_line = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="discounts"
    )
    # A credit note's line names the original line it credits: each line is credited at
    # most once over all credit notes of its invoice. Amount credits name none.
    credited_line = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credits"
    )

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="one_line_per_position"),
            # Within half a cent: SQLite keeps decimals as binary floating point.
            models.CheckConstraint(
                condition=Q(gross__gte=models.F("net") + models.F("vat") - HALF_CENT)
                & Q(gross__lte=models.F("net") + models.F("vat") + HALF_CENT),
                name="line_gross_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(vat_code__in=VatCode.values), name="line_vat_code_valid"
            ),
            models.CheckConstraint(
                condition=Q(service_end__gte=models.F("service_start")), name="line_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(product__in=Product.values), name="line_product_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs) -> None:
        if Invoice.objects.filter(pk=self.invoice_id, status=InvoiceStatus.ISSUED).exists():
            raise ImmutableInvoice("the lines of an issued invoice cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Invoice.objects.filter(pk=self.invoice_id, status=InvoiceStatus.ISSUED).exists():
            raise ImmutableInvoice("the lines of an issued invoice cannot be deleted")
        return super().delete(*args, **kwargs)


@dataclass(frozen=True)
class VatGroup:
    """The lines of one VAT code and rate added up (VAT Act 209 e § 8–10)."""

    vat_code: str
    vat_rate: Decimal | None
    net: Decimal
    vat: Decimal
    gross: Decimal


class VatLine(Protocol):
    """What VAT grouping reads of a line: invoice lines and quoted price lines alike."""

    @property
    def vat_code(self) -> str: ...
    @property
    def vat_rate(self) -> Decimal | None: ...
    @property
    def net(self) -> Decimal: ...
    @property
    def vat(self) -> Decimal: ...
    @property
    def gross(self) -> Decimal: ...


def vat_groups(lines: Iterable[VatLine]) -> list[VatGroup]:
    """Sums of rounded lines by (code, rate): exempt first, then by rate."""
    sums: dict[tuple[str, Decimal | None], list[Decimal]] = {}
    for line in lines:
        key = (line.vat_code, line.vat_rate)
        total = sums.setdefault(key, [ZERO, ZERO, ZERO])
        total[0] += line.net
        total[1] += line.vat
        total[2] += line.gross
    ordered = sorted(sums, key=lambda key: (key[1] is not None, key[1] or 0, key[0]))
    return [VatGroup(code, rate, *sums[(code, rate)]) for code, rate in ordered]
