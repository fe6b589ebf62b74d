"""Ledger accounts: the sales account each invoice line is booked to, by what it sells
(its product) and, where they differ, by its VAT code.

The mapping is a setting (`LEDGER_ACCOUNTS`), read once at start from the environment by
`ledger_accounts_from_env`, which refuses anything it does not understand: a typo in an
account would otherwise put a year of sales on the wrong account without a word. This
module imports no models, so the settings can use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import pgettext_lazy

from invoicing.vat import VatCode


class Product(models.TextChoices):
    """What an invoice line sells; it picks the line's ledger account."""

    ROOM = "room", pgettext_lazy("product", "Room rental")
    EXTRA = "extra", pgettext_lazy("product", "Extra")
    CANCELLATION_FEE = "cancellation_fee", pgettext_lazy("product", "Cancellation fee")
    MANUAL = "manual", pgettext_lazy("product", "Manual line")
    DISCOUNT = "discount", pgettext_lazy("product", "Discount")


# Keys are a product, or `product:vat_code` where that VAT code books elsewhere. Every
# product has an account of its own, so every line finds one.
DEFAULT_LEDGER_ACCOUNTS: dict[str, str] = {
    "room": "3000",
    "room:general": "3001",  # a taxable room rental (a meeting package) is booked apart
    "extra": "3010",
    "extra:catering": "3011",
    "cancellation_fee": "3020",
    "cancellation_fee:general": "3021",
    "manual": "3030",
    "discount": "3090",
}

ACCOUNT = re.compile(r"[0-9]{3,10}")


def _checked_key(key: str, variable: str) -> str:
    product, _sep, code = key.partition(":")
    if product not in Product.values:
        known = ", ".join(Product.values)
        raise ImproperlyConfigured(f"{variable}: unknown product {product!r} (one of {known})")
    if _sep and code not in VatCode.values:
        known = ", ".join(VatCode.values)
        raise ImproperlyConfigured(f"{variable}: unknown VAT code {code!r} (one of {known})")
    return key


def ledger_accounts_from_env(value: str, *, variable: str = "LEDGER_ACCOUNTS") -> dict[str, str]:
    """The default accounts with the overrides of `room=3000,extra:catering=3011`.

    Each item is `product=account` or `product:vat_code=account`, the account 3 to 10
    digits; anything else stops the start with a message naming the item."""
    accounts = dict(DEFAULT_LEDGER_ACCOUNTS)
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        key, sep, account = (side.strip() for side in item.partition("="))
        if not sep or not ACCOUNT.fullmatch(account):
            raise ImproperlyConfigured(
                f"{variable}: {item!r} is not product=account or product:vat_code=account "
                "with an account of 3 to 10 digits"
            )
        accounts[_checked_key(key, variable)] = account
    return accounts


def ledger_account(product: str, vat_code: str, accounts: Mapping[str, str]) -> str:
    """The account of a line: its product's account for its VAT code, else its
    product's own."""
    return accounts.get(f"{product}:{vat_code}") or accounts.get(product, "")
