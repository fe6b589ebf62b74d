"""Every write of invoicing (SPEC §2.7): drafts from bookings, issuing, credit notes,
payments, sending, reminders, the audit trail and the seller settings. Keyword-only, typed,
one transaction each; bad input raises ValidationError before anything is written, and
nothing consumes an invoice number unless the whole issue commits.

One module per job: `drafts` (from bookings, edited, deleted), `bulk_drafts` (one per
customer from the ready-to-invoice list), `draft_lines` (lines and
discounts typed by accounting), `issuing`, `credits` (whole, by lines, by VAT rate),
`lines` (what both store), `payments`, `delivery` (sending), `reminders`, `audit`,
`seller`.
"""

from bookings.services import Actor
from invoicing.services.audit import invoice_event_record, payment_event_record
from invoicing.services.bulk_drafts import MAX_BULK_BOOKINGS, DraftsMade, invoice_create_drafts
from invoicing.services.credits import (
    CreditedAmount,
    CreditedLine,
    InvoiceNotCreditable,
    invoice_credit,
)
from invoicing.services.delivery import MAX_SEND_INVOICES, invoice_send, invoices_send
from invoicing.services.draft_lines import (
    DraftDiscount,
    DraftLine,
    invoice_draft_discount_add,
    invoice_draft_line_add,
    invoice_draft_line_remove,
)
from invoicing.services.drafts import (
    DRAFT_BUYER_FIELDS,
    MAX_INVOICE_BOOKINGS,
    DraftPreview,
    invoice_create_draft,
    invoice_draft_delete,
    invoice_draft_preview,
    invoice_draft_update,
)
from invoicing.services.issuing import invoice_issue
from invoicing.services.payments import (
    PaymentsChanged,
    payment_record,
    payment_record_by_reference,
)
from invoicing.services.reminders import invoice_remind, reminder_fee_for
from invoicing.services.seller import SELLER_FIELDS, seller_settings_update

__all__ = [
    "DRAFT_BUYER_FIELDS",
    "MAX_BULK_BOOKINGS",
    "MAX_INVOICE_BOOKINGS",
    "MAX_SEND_INVOICES",
    "SELLER_FIELDS",
    "Actor",
    "CreditedAmount",
    "CreditedLine",
    "DraftDiscount",
    "DraftLine",
    "DraftPreview",
    "DraftsMade",
    "InvoiceNotCreditable",
    "PaymentsChanged",
    "invoice_create_draft",
    "invoice_create_drafts",
    "invoice_credit",
    "invoice_draft_delete",
    "invoice_draft_discount_add",
    "invoice_draft_line_add",
    "invoice_draft_line_remove",
    "invoice_draft_preview",
    "invoice_draft_update",
    "invoice_event_record",
    "invoice_issue",
    "invoice_remind",
    "invoice_send",
    "invoices_send",
    "payment_event_record",
    "payment_record",
    "payment_record_by_reference",
    "reminder_fee_for",
    "seller_settings_update",
]
