"""Seller settings (SPEC §3.2): checksums refused with the field's message, nothing
saved; values kept in their normal form; the invoice language follows the seller's."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from invoicing.models import SellerSettings
from invoicing.services import seller_settings_update
from tests.invoicing.builders import approved_booking, helsinki, issued

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("iban", "FI37 1590 3000 0007 77"),  # check digits fail
        ("iban", "SE45 5000 0000 0583 9825 7466"),  # valid, but no Finnish barcode
        ("business_id", "2331972-8"),
        ("bic", "NDEA FI"),
        ("invoice_languages", ["de"]),
        ("payment_term_days", 400),
    ],
)
def test_a_failing_value_is_refused_on_its_field_and_nothing_is_saved(seller, field, value):
    with pytest.raises(ValidationError) as error:
        seller_settings_update(actor=None, **{field: value})

    assert list(error.value.message_dict) == [field]
    stored = SellerSettings.objects.get()
    assert getattr(stored, field) == getattr(seller, field)


def test_values_are_kept_in_their_normal_form(seller):
    updated = seller_settings_update(
        actor=None, iban="fi21 1234 5600 0007 85", bic="ndeafihh", business_id="23319727"
    )

    assert (updated.iban, updated.bic, updated.business_id) == (
        "FI2112345600000785",
        "NDEAFIHH",
        "2331972-7",
    )


def test_unknown_settings_are_a_programming_error(seller):
    with pytest.raises(TypeError):
        seller_settings_update(actor=None, colour="red")


def test_a_buyer_language_the_seller_does_not_invoice_in_falls_back(
    hall, invoicing_ready, member_customer, seller
):
    seller_settings_update(actor=None, invoice_languages=["fi", "en"])
    booking = approved_booking(
        hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 11), member_customer
    )

    invoice = issued([booking], issue_date=date(2026, 3, 11))

    assert member_customer.language == "sv" and invoice.language == "fi"
