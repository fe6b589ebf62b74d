"""One customer per organisation: a request is recognised by its organisation and its
contacts, and duplicates are merged into one without touching an issued invoice."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bookings.models import AuditEntry, Booking, Customer, CustomerContact
from bookings.services import (
    booking_approve,
    booking_customer_confirm,
    booking_request_create,
    customers_merge,
)
from invoicing.models import Invoice, InvoiceStatus
from invoicing.services import invoice_create_draft, invoice_issue
from tests.factories import at, house_hours, renter, working_day
from tests.frontend.invoice_world import booking_on, books_open, days_ago, issued_on
from tests.invoicing.conftest import EXTERNAL_ID

pytestmark = pytest.mark.django_db


def request_from(room, hour: int, **fields) -> Booking:
    house_hours()
    day = working_day()
    return booking_request_create(
        room=room,
        start=at(day, hour),
        end=at(day, hour + 1),
        title="Vanhempainilta",
        attendees=10,
        renter=renter(**fields),
        accept_terms=True,
    ).booking


def test_a_known_contact_writing_again_is_recognised_as_the_same_customer(room):
    first = request_from(room, 9)
    again = request_from(room, 11, organisation="  turun perhetyö RY ")
    assert again.customer == first.customer
    assert Customer.objects.count() == 1
    assert list(first.customer.contacts.values_list("email", flat=True)) == ["maija@example.org"]


def test_a_new_person_naming_a_known_organisation_waits_for_staff_and_becomes_a_contact(
    room, staff_user
):
    first = request_from(room, 9)
    other = request_from(room, 11, contact_name="Pekka Puup", email="pekka@example.org")
    assert other.customer is None and Customer.objects.count() == 1
    with pytest.raises(ValidationError, match="match the customer Turun Perhetyö ry"):
        booking_approve(booking=other, actor=staff_user)

    booking_customer_confirm(booking=other, actor=staff_user, customer=first.customer)
    assert set(first.customer.contacts.values_list("email", flat=True)) == {
        "maija@example.org",
        "pekka@example.org",
    }
    third = request_from(room, 13, contact_name="Pekka Puup", email="PEKKA@example.org")
    assert third.customer == first.customer  # recognised now


def customer(name: str, business_id: str = "", email: str = "x@example.org", **fields):
    made = Customer.objects.create(
        organisation=name, business_id=business_id, contact_name="Kim", email=email, **fields
    )
    CustomerContact.objects.create(customer=made, name="Kim", email=email)
    return made


def test_merging_moves_contacts_bookings_and_drafts_and_keeps_issued_invoices(staff_user):
    books = books_open()
    kept = books.customer
    duplicate = customer(
        "Turun Perhetyö",
        email="laskut@perhetyo.example",
        e_invoice_address="003723319727",
        e_invoice_operator="OKOYFIHH",
        billing_address="Toinen katu 2\n20100 Turku",
    )
    issued = issued_on(books, days_ago(20), customer=duplicate)
    pdf_before = bytes(issued.pdf.content)
    draft = invoice_create_draft(
        bookings=[booking_on(books, days_ago(10), customer=duplicate)], actor=None
    )
    ready = booking_on(books, days_ago(5), customer=duplicate)

    result = customers_merge(keep=kept, duplicates=[duplicate], actor=staff_user)

    assert result.bookings_moved == 3
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.merged_into == kept and duplicate.merged_at is not None
    assert set(Booking.objects.filter(customer=kept)) >= {ready}
    assert not Booking.objects.filter(customer=duplicate).exists()
    assert Invoice.objects.get(pk=draft.pk).customer == kept
    issued = Invoice.objects.get(pk=issued.pk)
    assert issued.customer == duplicate and issued.status == InvoiceStatus.ISSUED
    assert bytes(issued.pdf.content) == pdf_before
    assert set(kept.contacts.values_list("email", flat=True)) >= {"laskut@perhetyo.example"}
    # It takes the e-invoice address it lacked.
    assert (kept.e_invoice_address, kept.e_invoice_operator) == ("003723319727", "OKOYFIHH")
    entry = AuditEntry.objects.get(action="customers_merged")
    assert entry.changes["merged"] == [duplicate.pk] and entry.actor == staff_user
    # The duplicate is no longer chosen or matched.
    assert duplicate not in Customer.objects.live()


def test_the_kept_customer_takes_the_business_id_it_lacks(staff_user):
    kept = customer("Perhekeskus")
    duplicate = customer("Perhekeskus ry", business_id="2331972-7", email="y@example.org")
    customers_merge(keep=kept, duplicates=[duplicate], actor=staff_user)
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    assert kept.business_id == "2331972-7" and duplicate.business_id == ""


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda a, b: (a, [b], "different business IDs"), "different business IDs"),
        (lambda a, b: (a, [a], "itself"), "into itself"),
        (lambda a, b: (a, [], "none"), "Choose the customers"),
    ],
    ids=["business-ids", "itself", "none"],
)
def test_a_merge_that_cannot_be_is_refused_and_changes_nothing(make, message, staff_user):
    first = customer("Yhdistys", business_id="2331972-7")
    second = customer("Yhdistys", business_id="0112038-9", email="z@example.org")
    keep, duplicates, _label = make(first, second)
    before = list(Customer.objects.values_list("pk", "merged_into", "business_id"))
    with pytest.raises(ValidationError, match=message):
        customers_merge(keep=keep, duplicates=duplicates, actor=staff_user)
    assert list(Customer.objects.values_list("pk", "merged_into", "business_id")) == before
    assert not AuditEntry.objects.filter(action="customers_merged").exists()


def test_a_customer_merged_once_is_not_merged_again_and_earlier_merges_follow(staff_user):
    a, b, c = customer("A"), customer("A ry", email="b@example.org"), customer("A", email="c@x.org")
    customers_merge(keep=b, duplicates=[c], actor=staff_user)
    with pytest.raises(ValidationError, match="merged already"):
        customers_merge(keep=a, duplicates=[c], actor=staff_user)
    customers_merge(keep=a, duplicates=[b], actor=staff_user)
    c.refresh_from_db()
    assert c.merged_into == a  # one step to the customer kept


def test_issuing_after_a_merge_bills_the_customer_kept(staff_user):
    books = books_open()
    duplicate = customer("Turun Perhetyö ry", email="toinen@example.org", billing_address="X 1")
    booking = booking_on(books, days_ago(3), customer=duplicate)
    customers_merge(keep=books.customer, duplicates=[duplicate], actor=staff_user)
    invoice = invoice_issue(
        invoice=invoice_create_draft(bookings=[Booking.objects.get(pk=booking.pk)], actor=None),
        actor=None,
    )
    assert invoice.customer == books.customer and invoice.buyer_business_id == EXTERNAL_ID


# --- The API ---------------------------------------------------------------------------


def api_for(user):
    from rest_framework.test import APIClient

    client = APIClient(headers={"Accept-Language": "en"})
    client.force_authenticate(user)
    return client


def test_the_api_lists_one_customer_per_organisation_with_its_contacts_and_merges(
    accounting_user,
):
    kept = customer("Perhekeskus", business_id="2331972-7")
    duplicate = customer("PERHEKESKUS", email="toinen@example.org")
    api = api_for(accounting_user)

    answer = api.post(
        f"/api/v1/customers/{kept.pk}/merge/", {"duplicates": [duplicate.pk]}, format="json"
    )

    assert answer.status_code == 200, answer.content
    assert {c["email"] for c in answer.json()["contacts"]} == {
        "x@example.org",
        "toinen@example.org",
    }
    listed = api.get("/api/v1/customers/").json()["results"]
    assert [row["id"] for row in listed] == [kept.pk]
    old = api.get(f"/api/v1/customers/{duplicate.pk}/").json()
    assert old["merged_into"] == kept.pk
    found = api.get("/api/v1/customers/", {"search": "toinen@"}).json()["results"]
    assert [row["id"] for row in found] == [kept.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"duplicates": []}, "duplicates"),
        ({"duplicates": [2**40]}, "duplicates"),
        ({"duplicates": ["x"]}, "duplicates"),
        ({"duplicates": [99999]}, "duplicates"),
        ({"duplicates": [1], "extra": 1}, "extra"),
    ],
    ids=["empty", "huge", "text", "unknown", "unknown-field"],
)
def test_the_api_refuses_a_bad_merge_with_a_field_error_and_changes_nothing(
    accounting_user, body, field
):
    kept = customer("Perhekeskus")
    answer = api_for(accounting_user).post(
        f"/api/v1/customers/{kept.pk}/merge/", body, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert any(name.split(".")[0] == field for name in answer.json()["errors"])
    assert not Customer.objects.exclude(merged_into=None).exists()


def test_the_api_refuses_merging_different_business_ids(accounting_user):
    kept = customer("Yhdistys", business_id="2331972-7")
    other = customer("Yhdistys", business_id="0112038-9", email="z@example.org")
    answer = api_for(accounting_user).post(
        f"/api/v1/customers/{kept.pk}/merge/", {"duplicates": [other.pk]}, format="json"
    )
    assert answer.status_code == 400
    assert "different business IDs" in answer.json()["errors"]["duplicates"][0]
