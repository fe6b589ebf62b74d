"""Reads of customers: the list accounting works from, and likely duplicates to merge."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower

from bookings.models import Customer, CustomerContact


def customers_listed(query: str = "") -> QuerySet[Customer]:
    """Live customers (not merged into another) by name, with their counts of contacts
    and bookings; `query` finds a name, business ID or contact's e-mail or name."""
    rows = Customer.objects.live()
    words = query.split()
    for word in words:
        rows = rows.filter(
            Q(organisation__icontains=word)
            | Q(business_id__icontains=word)
            | Q(contacts__email__icontains=word)
            | Q(contacts__name__icontains=word)
        )
    return (
        Customer.objects.filter(pk__in=rows.values("pk"))
        .annotate(
            contact_count=Count("contacts", distinct=True),
            booking_count=Count("bookings", distinct=True),
        )
        .order_by(Lower("organisation"), "pk")
    )


@dataclass(frozen=True)
class DuplicateGroup:
    """Live customers that look like one organisation: the same name, or a contact in
    common. Staff decide; nothing is merged on a guess."""

    customers: list[Customer]
    reason: str  # "name" or "contact"


def _groups(pairs: list[tuple[str, int]]) -> list[list[int]]:
    by_key: dict[str, list[int]] = {}
    for key, pk in pairs:
        by_key.setdefault(key, []).append(pk)
    return [sorted(set(pks)) for pks in by_key.values() if len(set(pks)) > 1]


def customer_duplicates() -> list[DuplicateGroup]:
    """Groups of likely duplicates, in three queries however many customers."""
    live = Customer.objects.live()
    names = list(live.exclude(name_key="").values_list("name_key", "pk"))
    contacts = list(
        CustomerContact.objects.filter(customer__merged_into__isnull=True)
        .annotate(key=Lower("email"))
        .values_list("key", "customer_id")
    )
    found: list[tuple[list[int], str]] = [(pks, "name") for pks in _groups(names)]
    seen = {tuple(pks) for pks, _reason in found}
    for pks in _groups(contacts):
        if tuple(pks) not in seen:
            found.append((pks, "contact"))
            seen.add(tuple(pks))
    customers = live.in_bulk({pk for pks, _reason in found for pk in pks})
    groups = [DuplicateGroup([customers[pk] for pk in pks], reason) for pks, reason in found]
    return sorted(groups, key=lambda group: group.customers[0].organisation.lower())
