"""The seller settings: one row, edited by staff, copied into each invoice at issue."""

from __future__ import annotations

from django.db import transaction

from bookings.services import Actor
from invoicing.models import SellerSettings

SELLER_FIELDS = (
    "name",
    "address",
    "business_id",
    "iban",
    "bic",
    "vat_registered",
    "payment_term_days",
    "penalty_interest_rate",
    "invoice_languages",
    "reference_form",
    "contact",
    "logo",
    "e_invoice_address",
    "e_invoice_operator",
    "reminder_fee",
)


@transaction.atomic
def seller_settings_update(*, actor: Actor, **fields: object) -> SellerSettings:
    """Change the seller's details; a Y-tunnus, IBAN or BIC that fails its checksum is
    refused and nothing is saved. Issued invoices keep the copy they were issued with."""
    unknown = set(fields) - set(SELLER_FIELDS)
    if unknown:
        raise TypeError(f"not seller settings: {', '.join(sorted(unknown))}")
    seller = SellerSettings.load()
    for name, value in fields.items():
        setattr(seller, name, value)
    seller.full_clean()
    seller.save()
    return seller
