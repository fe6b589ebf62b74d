"""Extension points for the app above invoicing (frontend), which invoicing cannot import.

- `email_hooks`: called with an `InvoiceEmail` inside the sending service's transaction.
  The frontend's outbox stores it there (so it commits or rolls back with the sending
  record) and sends it after the commit, retrying a failed send (frontend/outbox.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class InvoiceEmail:
    """An invoice (or a payment reminder) to e-mail, with its PDF attached."""

    kind: str  # "invoice" or "payment_reminder"
    key: str  # unique per sending: the outbox refuses to store it twice
    to: str
    language: str
    number: str
    seller_name: str
    amount: Decimal
    due_date: date | None
    filename: str
    pdf: bytes


email_hooks: list[Callable[[InvoiceEmail], None]] = []


def email_hooks_run(email: InvoiceEmail) -> None:
    """Hand the e-mail to whoever sends e-mails; refused when no one does."""
    if not email_hooks:
        raise ValidationError(_("E-mail delivery is not available."))
    for hook in email_hooks:
        hook(email)
