from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "invoicing"
    verbose_name = _("Invoicing")

    def ready(self) -> None:
        from bookings.hooks import (
            approval_hooks,
            cancellation_fee_pricers,
            customer_merge_hooks,
            demo_hooks,
            extras_catalogues,
        )
        from invoicing.demo import demo_prices
        from invoicing.quotes import extras_not_offered
        from invoicing.services.drafts import drafts_move_to_customer
        from invoicing.snapshots import booking_cancellation_fee, booking_price_snapshot

        # Every approval keeps a price snapshot (SPEC §2.6); see bookings/hooks.py.
        if booking_price_snapshot not in approval_hooks:
            approval_hooks.append(booking_price_snapshot)
        if demo_prices not in demo_hooks:
            demo_hooks.append(demo_prices)
        # Bookings refuse an extra this app cannot price, as the quote does.
        if extras_not_offered not in extras_catalogues:
            extras_catalogues.append(extras_not_offered)
        # The renter's status link tells the fee a cancellation costs now (SPEC §2.13).
        if booking_cancellation_fee not in cancellation_fee_pricers:
            cancellation_fee_pricers.append(booking_cancellation_fee)
        # Merging duplicate customers takes their drafts along (SPEC §2.7).
        if drafts_move_to_customer not in customer_merge_hooks:
            customer_merge_hooks.append(drafts_move_to_customer)
