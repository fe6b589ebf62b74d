"""Merging duplicate customers into one (SPEC §2.7: one customer per organisation).

The customer kept takes the duplicates' contacts, bookings and draft invoices, their
business ID if it has none, and any billing detail it lacks. A duplicate is not deleted:
issued invoices never change, so it stays as the record they were made out to, marked as
merged into the one kept, and it is no longer chosen, matched or listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.hooks import customer_merge_hooks_run
from bookings.models import AuditAction, AuditEntry, Booking, Customer, CustomerContact
from bookings.services.audit import Actor, actor_label, audit_record

# Details the customer kept takes from a duplicate when its own are empty.
FILLED_FROM_DUPLICATES = ("phone", "billing_address")


@dataclass(frozen=True)
class CustomerMerge:
    kept: Customer
    merged: list[Customer]
    bookings_moved: int


def _refuse_unmergeable(keep: Customer, duplicates: list[Customer]) -> None:
    if not duplicates:
        raise ValidationError({"duplicates": _("Choose the customers to merge into this one.")})
    if any(duplicate.pk == keep.pk for duplicate in duplicates):
        raise ValidationError({"duplicates": _("A customer cannot be merged into itself.")})
    if any(customer.merged_into_id for customer in [keep, *duplicates]):
        raise ValidationError(
            {"duplicates": _("A customer that was merged already cannot be merged again.")}
        )
    business_ids = {customer.business_id for customer in [keep, *duplicates]} - {""}
    if len(business_ids) > 1:
        raise ValidationError(
            {
                "duplicates": _(
                    "Customers with different business IDs are different organisations "
                    "and are not merged."
                )
            }
        )


def _fill_kept(keep: Customer, duplicates: list[Customer]) -> list[str]:
    """Give the customer kept what it lacks; the names of the fields it took."""
    taken = []
    for name in FILLED_FROM_DUPLICATES:
        if not getattr(keep, name):
            value = next((getattr(d, name) for d in duplicates if getattr(d, name)), "")
            if value:
                setattr(keep, name, value)
                taken.append(name)
    if not (keep.e_invoice_address and keep.e_invoice_operator):
        source = next((d for d in duplicates if d.e_invoice_address and d.e_invoice_operator), None)
        if source is not None:
            keep.e_invoice_address = source.e_invoice_address
            keep.e_invoice_operator = source.e_invoice_operator
            taken += ["e_invoice_address", "e_invoice_operator"]
    business_id = next((d.business_id for d in duplicates if d.business_id), "")
    if business_id and not keep.business_id:
        # One customer per business ID: the duplicate gives it up first.
        Customer.objects.filter(business_id=business_id).update(business_id="")
        keep.business_id = business_id
        taken.append("business_id")
    return taken


def _contacts_move(keep: Customer, duplicates: list[Customer]) -> None:
    known = {email.lower() for email in keep.contacts.values_list("email", flat=True)}
    for contact in CustomerContact.objects.filter(customer__in=duplicates).order_by("pk"):
        if contact.email.lower() in known:
            contact.delete()
        else:
            known.add(contact.email.lower())
            contact.customer = keep
            contact.save(update_fields=["customer"])


def _bookings_move(keep: Customer, duplicates: list[Customer], actor: Actor) -> int:
    moved = list(Booking.objects.filter(customer__in=duplicates).values_list("pk", "customer_id"))
    Booking.objects.filter(customer__in=duplicates).update(customer=keep, updated_at=timezone.now())
    label = actor_label(actor, "system")
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action=AuditAction.DETAILS_CHANGED,
            actor=actor,
            actor_label=label,
            booking_id=pk,
            changes={"fields": ["customer"], "merged_from": customer_id},
        )
        for pk, customer_id in moved
    )
    return len(moved)


@transaction.atomic
def customers_merge(
    *, keep: Customer, duplicates: Sequence[Customer], actor: Actor
) -> CustomerMerge:
    """Merge the duplicates into `keep` in one transaction, or refuse and change nothing."""
    ids = {keep.pk, *(duplicate.pk for duplicate in duplicates)}
    locked = {
        c.pk: c for c in Customer.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    kept = locked[keep.pk]
    wanted = list(dict.fromkeys(duplicate.pk for duplicate in duplicates))
    if any(pk not in locked for pk in wanted):
        raise ValidationError({"duplicates": _("There is no such customer.")})
    merged = [locked[pk] for pk in wanted]
    _refuse_unmergeable(kept, merged)
    taken = _fill_kept(kept, merged)
    kept.save()
    _contacts_move(kept, merged)
    moved = _bookings_move(kept, merged, actor)
    now = timezone.now()
    # Earlier merges into a duplicate now point at the customer kept: one step, always.
    Customer.objects.filter(merged_into__in=merged).update(merged_into=kept)
    for customer in merged:
        customer.merged_into, customer.merged_at = kept, now
        customer.save(update_fields=["merged_into", "merged_at"])
    customer_merge_hooks_run(kept, merged)
    audit_record(
        action=AuditAction.CUSTOMERS_MERGED,
        actor=actor,
        changes={
            "kept": kept.pk,
            "merged": [customer.pk for customer in merged],
            "organisations": [customer.organisation for customer in merged],
            "taken": taken,
            "bookings": moved,
        },
    )
    return CustomerMerge(kept=kept, merged=merged, bookings_moved=moved)
