"""The invoicing app's models, one module per job: prices, the seller, invoices, their
lines and payments, delivery and the audit trail, reminders, and the bank statements
(kept with the rest of the bank part in `invoicing.bank`)."""

from invoicing.bank.models import (
    BankEntry,
    BankStatement,
    EntryKind,
    EntryState,
    Resolution,
    StatementFormat,
)
from invoicing.models.delivery import EInvoiceBatch, InvoiceAction, InvoiceEvent, InvoiceSending
from invoicing.models.invoices import (
    ImmutableInvoice,
    Invoice,
    InvoiceBooking,
    InvoiceCounter,
    InvoiceKind,
    InvoicePdf,
    InvoiceStatus,
    Unit,
    number_text,
    reference_base,
)
from invoicing.models.lines import InvoiceLine, VatGroup, vat_groups
from invoicing.models.payments import Payment, PaymentMethod
from invoicing.models.prices import (
    BookingPrice,
    CustomerGroup,
    Extra,
    ExtraPricing,
    PriceList,
    RoomPrice,
    VatRate,
)
from invoicing.models.reminders import ReferenceRate, Reminder
from invoicing.models.seller import ReferenceForm, SellerSettings

__all__ = [
    "BankEntry",
    "BankStatement",
    "BookingPrice",
    "CustomerGroup",
    "EInvoiceBatch",
    "EntryKind",
    "EntryState",
    "Extra",
    "ExtraPricing",
    "ImmutableInvoice",
    "Invoice",
    "InvoiceAction",
    "InvoiceBooking",
    "InvoiceCounter",
    "InvoiceEvent",
    "InvoiceKind",
    "InvoiceLine",
    "InvoicePdf",
    "InvoiceSending",
    "InvoiceStatus",
    "Payment",
    "PaymentMethod",
    "PriceList",
    "ReferenceForm",
    "ReferenceRate",
    "Reminder",
    "Resolution",
    "RoomPrice",
    "SellerSettings",
    "StatementFormat",
    "Unit",
    "VatGroup",
    "VatRate",
    "number_text",
    "reference_base",
    "vat_groups",
]
