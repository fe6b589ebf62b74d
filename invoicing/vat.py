"""VAT codes, the dated rate table lookup and the texts an invoice must print.

VAT Act (arvonlisäverolaki 1501/1993): letting premises is exempt (27 §) and printed with
that reference, never as "0 %", which would mean a zero-rated sale; a rate is chosen by
the date of the service (209 e § 7); a seller that is not VAT-registered shows no VAT.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from invoicing.money import ZERO, euros


class VatCode(models.TextChoices):
    EXEMPT = "exempt", _("Exempt: letting of premises (VAT Act 27 §)")
    GENERAL = "general", _("General rate")
    CATERING = "catering", _("Catering (reduced rate)")


# What the invoice prints for an exempt line (VAT Act 209 e § 11).
EXEMPTION_TEXT = _("VAT exempt: letting of immovable property (Finnish VAT Act s. 27)")
EXEMPT_SHORT = pgettext_lazy("VAT column of an exempt line", "exempt")
NOT_REGISTERED_TEXT = _("The seller is not registered for VAT.")


@dataclass(frozen=True)
class DatedRate:
    code: str
    valid_from: date
    rate: Decimal


class NoVatRate(LookupError):
    pass


def rate_on(code: str, day: date, table: Iterable[DatedRate]) -> Decimal | None:
    """The rate of a VAT code on a service date: the latest row starting on or before it.

    Exempt has no rate (None). A taxable code without a row for the date raises NoVatRate.
    """
    if code == VatCode.EXEMPT:
        return None
    rows = [row for row in table if row.code == code and row.valid_from <= day]
    if not rows:
        raise NoVatRate(f"no {code} VAT rate for {day.isoformat()}")
    return max(rows, key=lambda row: row.valid_from).rate


def vat_of(net: Decimal, rate: Decimal | None) -> Decimal:
    """The VAT of one line, rounded half up once (totals are sums of rounded lines)."""
    if rate is None:
        return ZERO
    return euros(net * rate / Decimal(100))


def rate_text(rate: Decimal, language: str = "fi") -> str:
    """`25,5 %` in Finnish and Swedish, `25.5 %` in English; no trailing zeros."""
    text = f"{rate.normalize():f}"
    if language in ("fi", "sv"):
        text = text.replace(".", ",")
    return f"{text}\u00a0%"
