"""Accounting's customers and the ready-to-invoice list (SPEC §2.7): likely duplicates
listed and merged from the pages, approved bookings grouped by customer and made into a
draft per customer in one step, and accounting landing on the invoices."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bookings.models import Booking, Customer, CustomerContact
from invoicing.models import Invoice, InvoiceStatus
from invoicing.services import invoice_create_draft
from tests.frontend.invoice_world import booking_on, days_ago, issued_on, shown_messages

pytestmark = pytest.mark.django_db

READY = "frontend:staff-invoices-ready"


def duplicate_of(customer: Customer, **fields) -> Customer:
    made = Customer.objects.create(
        organisation=customer.organisation.upper(),
        contact_name="Pekka",
        email="pekka@example.org",
        billing_address="Toinen 2\n20100 Turku",
        **fields,
    )
    CustomerContact.objects.create(customer=made, name="Pekka", email="pekka@example.org")
    return made


# --- Customers -------------------------------------------------------------------------


def test_the_customer_list_shows_likely_duplicates_with_a_link_to_merge_them(
    accounting_client, books
):
    duplicate = duplicate_of(books.customer)
    response = accounting_client.get(reverse("frontend:staff-customers"))
    html = response.content.decode()
    assert "Possible duplicates" in html and "the same name" in html
    [group] = response.context["duplicates"]
    assert {c.pk for c in group.customers} == {books.customer.pk, duplicate.pk}
    merge = reverse("frontend:staff-customers-merge")
    assert f"{merge}?customers={books.customer.pk}&amp;customers={duplicate.pk}" in html


def test_the_search_finds_a_customer_by_a_contacts_email(accounting_client, books):
    duplicate_of(books.other)
    response = accounting_client.get(reverse("frontend:staff-customers"), {"q": "pekka@"})
    assert [c.organisation for c in response.context["page"]] == ["LASTENSUOJELU RY"]


def test_merging_from_the_pages_moves_the_bookings_and_shows_the_issued_invoices(
    accounting_client, books
):
    duplicate = duplicate_of(books.customer)
    issued = issued_on(books, days_ago(9), customer=duplicate)
    ready = booking_on(books, days_ago(3), customer=duplicate)
    merge = reverse("frontend:staff-customers-merge")
    page = accounting_client.get(merge, {"customers": [books.customer.pk, duplicate.pk]})
    assert page.status_code == 200
    assert page.context["keep"] == books.customer  # the one with a business ID
    html = page.content.decode()
    assert "Bookings: 2</li>" in html and "Issued invoices: 1</li>" in html

    response = accounting_client.post(
        merge, {"customers": [books.customer.pk, duplicate.pk], "keep": books.customer.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("frontend:staff-customer-page", args=[books.customer.pk])
    assert Booking.objects.get(pk=ready.pk).customer == books.customer
    detail = accounting_client.get(response["Location"])
    assert "Merged into this customer" in detail.content.decode()
    assert "Merged into Turun Perhetyö ry; 2 bookings moved with them." in shown_messages(detail)
    listed = accounting_client.get(
        reverse("frontend:staff-invoices"), {"customer": books.customer.pk}
    )
    assert issued.pk in [invoice.pk for invoice, _balance in listed.context["rows"]]
    # The duplicate's own page leads to the customer kept.
    old = accounting_client.get(reverse("frontend:staff-customer-page", args=[duplicate.pk]))
    assert old["Location"] == reverse("frontend:staff-customer-page", args=[books.customer.pk])


def test_a_refused_merge_says_why_and_changes_nothing(accounting_client, books):
    merge = reverse("frontend:staff-customers-merge")
    response = accounting_client.post(
        merge, {"customers": [books.customer.pk, books.other.pk], "keep": books.customer.pk}
    )
    assert response.status_code == 200
    assert "different business IDs" in response.content.decode()
    assert not Customer.objects.exclude(merged_into=None).exists()


@pytest.mark.parametrize(
    "query",
    [{"customers": ["1"]}, {"customers": ["x"]}, {}, {"customers": ["99999999999999999999"]}],
    ids=["one", "not-a-number", "none", "huge"],
)
def test_a_bad_merge_choice_goes_back_to_the_list_with_a_message(accounting_client, books, query):
    response = accounting_client.get(reverse("frontend:staff-customers-merge"), query)
    assert response.status_code == 302
    assert response["Location"] == reverse("frontend:staff-customers")


# --- Ready to invoice ------------------------------------------------------------------


def test_ready_lists_approved_uninvoiced_bookings_by_customer_with_their_prices(
    accounting_client, books
):
    first = booking_on(books, days_ago(4))
    second = booking_on(books, days_ago(2), customer=books.other)
    invoiced = booking_on(books, days_ago(6))
    invoice_create_draft(bookings=[invoiced], actor=None)
    later = booking_on(books, days_ago(-10))  # not yet by the default day (today)

    response = accounting_client.get(reverse(READY))

    groups = response.context["groups"]
    assert [g.customer.organisation for g in groups] == ["Lastensuojelu ry", "Turun Perhetyö ry"]
    assert [[b.pk for b, _net in g.bookings] for g in groups] == [[second.pk], [first.pk]]
    assert "90.00 €" in response.content.decode()
    everything = accounting_client.get(reverse(READY), {"last_day": days_ago(-30).isoformat()})
    assert later.pk in [b.pk for g in everything.context["groups"] for b, _net in g.bookings]


def test_ticked_bookings_become_one_draft_per_customer(accounting_client, books):
    mine = [booking_on(books, days_ago(4)), booking_on(books, days_ago(3))]
    theirs = booking_on(books, days_ago(2), customer=books.other)
    left = booking_on(books, days_ago(1))  # not ticked: stays ready

    response = accounting_client.post(
        reverse(READY), {"bookings": [b.pk for b in [*mine, theirs]], "last_day": days_ago(0)}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("frontend:staff-invoices") + "?state=draft"
    drafts = Invoice.objects.filter(status=InvoiceStatus.DRAFT).order_by("buyer_name")
    assert [(d.buyer_name, d.bookings.count()) for d in drafts] == [
        ("Lastensuojelu ry", 1),
        ("Turun Perhetyö ry", 2),
    ]
    page = accounting_client.get(response["Location"])
    assert "2 draft invoices were made: check them, then issue them." in shown_messages(page)
    again = accounting_client.get(reverse(READY))
    assert [b.pk for g in again.context["groups"] for b, _net in g.bookings] == [left.pk]


def test_one_customer_that_cannot_be_drafted_is_reported_and_the_others_are_made(
    accounting_client, books
):
    taken = booking_on(books, days_ago(4))
    theirs = booking_on(books, days_ago(2), customer=books.other)
    invoice_create_draft(bookings=[taken], actor=None)  # someone was quicker

    response = accounting_client.post(
        reverse(READY), {"bookings": [taken.pk, theirs.pk]}, follow=True
    )

    said = shown_messages(response)
    assert "1 draft invoice was made: check it, then issue it." in said
    assert any(m.startswith("No draft for Turun Perhetyö ry:") and "already on" in m for m in said)
    assert Invoice.objects.filter(customer=books.other, status=InvoiceStatus.DRAFT).count() == 1
    assert Invoice.objects.filter(customer=books.customer).count() == 1  # only the earlier


@pytest.mark.parametrize(
    "data",
    [{}, {"bookings": ["abc"]}, {"bookings": ["0"]}, {"bookings": [str(2**40)]}],
    ids=["none", "text", "zero", "huge"],
)
def test_bad_ticks_are_refused_with_a_message_and_write_nothing(accounting_client, books, data):
    booking_on(books, days_ago(4))
    response = accounting_client.post(reverse(READY), data, follow=True)
    assert response.status_code == 200
    assert shown_messages(response)
    assert not Invoice.objects.exists()


def test_a_booking_without_a_customer_is_listed_for_staff_to_link(accounting_client, books):
    orphan = booking_on(books, days_ago(4))
    Booking.objects.filter(pk=orphan.pk).update(customer=None, organisation="Tuntematon ry")
    response = accounting_client.get(reverse(READY))
    assert response.context["without_count"] == 1
    assert reverse("frontend:staff-booking", args=[orphan.pk]) in response.content.decode()


# --- Landing ---------------------------------------------------------------------------


def test_accounting_lands_on_the_invoices_and_booking_staff_on_the_requests(
    client, accounting_user, staff_user
):
    login = reverse("frontend:staff-login")
    answer = client.post(login, {"username": "accountant", "password": "pw-accounting-123"})
    assert answer["Location"] == reverse("frontend:staff-invoices")
    client.logout()
    staff_user.set_password("pw-staff-123456")
    staff_user.save()
    answer = client.post(login, {"username": staff_user.username, "password": "pw-staff-123456"})
    assert answer["Location"] == reverse("frontend:staff-queue")
