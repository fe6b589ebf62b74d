"""Money: Decimal euros with two decimals, rounded half up once per line (never floats)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("9999999.99")


def euros(value: Decimal) -> Decimal:
    """Round to cents, half up: the one rounding a price line gets."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_parse(value: object, *, field: str = "amount") -> Decimal:
    """A positive amount of euros with at most two decimals, from a str, int or Decimal.

    Floats are refused: their binary value is not the amount a person typed.
    """
    if isinstance(value, bool | float) or not isinstance(value, str | int | Decimal):
        raise ValidationError({field: _("Enter the amount as a number such as 120.50.")})
    try:
        amount = Decimal(
            str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
        )
    except InvalidOperation:
        raise ValidationError({field: _("Enter the amount as a number such as 120.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter the amount as a number such as 120.50.")})
    if amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("The amount is too large.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("Enter the amount in euros with at most two decimals.")})
    return amount.quantize(CENT)


def money_text(amount: Decimal, language: str = "fi") -> str:
    """`1 234,50` in Finnish and Swedish, `1,234.50` in English."""
    text = f"{amount:,.2f}"
    if language in ("fi", "sv"):
        return text.replace(",", "\u00a0").replace(".", ",")
    return text
