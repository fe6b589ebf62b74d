"""What a renter or staff member says in a request, before any check."""

from __future__ import annotations

from dataclasses import dataclass, fields

# Who to invoice and whom to tell: without these a request cannot be decided or billed.
RENTER_REQUIRED: tuple[str, ...] = ("organisation", "contact_name", "email")


@dataclass(frozen=True, kw_only=True)
class RenterDetails:
    """What a renter tells about themselves in a request (SPEC §2.3)."""

    organisation: str
    contact_name: str
    email: str
    phone: str = ""
    business_id: str = ""
    billing_address: str = ""
    e_invoice_address: str = ""
    e_invoice_operator: str = ""
    buyer_reference: str = ""
    language: str = "fi"

    def missing(self) -> list[str]:
        """The fields every renter must give and this one left empty (SPEC §2.3)."""
        return [name for name in RENTER_REQUIRED if not getattr(self, name).strip()]

    def as_booking_fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


# The renter's contact and billing fields, as named on bookings, forms and serializers.
CONTACT_FIELDS: tuple[str, ...] = tuple(
    field.name for field in fields(RenterDetails) if field.name != "language"
)


@dataclass(frozen=True)
class Extra:
    code: str
    quantity: int
