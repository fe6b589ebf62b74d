from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = _("Public site and staff workspace")

    def ready(self) -> None:
        from bookings.hooks import event_hooks
        from frontend.outbox import booking_event_queue, invoice_email_queue
        from invoicing.hooks import email_hooks

        # The renter's and the staff's e-mails (SPEC §2.9), stored with the event.
        if booking_event_queue not in event_hooks:
            event_hooks.append(booking_event_queue)
        # Invoices and payment reminders by e-mail (SPEC §2.15), through the same outbox.
        if invoice_email_queue not in email_hooks:
            email_hooks.append(invoice_email_queue)
