"""The invoicing app's models, one module per job: prices, the seller, invoices, their
lines and payments."""

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
from invoicing.models.seller import ReferenceForm, SellerSettings

__all__ = [
    "BookingPrice",
    "CustomerGroup",
    "Extra",
    "ExtraPricing",
    "ImmutableInvoice",
    "Invoice",
    "InvoiceBooking",
    "InvoiceCounter",
    "InvoiceKind",
    "InvoiceLine",
    "InvoicePdf",
    "InvoiceStatus",
    "Payment",
    "PaymentMethod",
    "PriceList",
    "ReferenceForm",
    "RoomPrice",
    "SellerSettings",
    "Unit",
    "VatGroup",
    "VatRate",
    "number_text",
    "reference_base",
    "vat_groups",
]
