"""A typed business ID links nothing by itself: a public request naming an existing
customer waits for staff to link it or make a new customer, and member prices follow the
customer staff confirmed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bookings.models import Booking, Customer, MemberOrganisation
from bookings.services import (
    booking_approve,
    booking_customer_confirm,
    booking_customer_match,
    booking_request_create,
)
from invoicing.models import CustomerGroup
from invoicing.services import invoice_create_draft
from tests.factories import at, house_hours, renter, working_day
from tests.invoicing.conftest import EXTERNAL_ID, MEMBER_ID

pytestmark = pytest.mark.django_db


def public_request(hall, **fields) -> Booking:
    house_hours()
    day = working_day()
    return booking_request_create(
        room=hall,
        start=at(day, 10),
        end=at(day, 12),
        title="Koulutus",
        attendees=10,
        renter=renter(**fields),
        accept_terms=True,
    ).booking


def forger(business_id: str):
    return {
        "organisation": "Huijari Oy",
        "contact_name": "Hannu Huijari",
        "email": "hannu@example.net",
        "billing_address": "Väärä 1\n00100 Helsinki",
        "business_id": business_id,
    }


def test_a_typed_business_id_does_not_attach_the_request_to_that_customer(hall, customer):
    booking = public_request(hall, **forger(EXTERNAL_ID))
    assert booking.customer is None and not booking.customer_confirmed
    assert booking_customer_match(booking) == customer
    customer.refresh_from_db()
    assert customer.billing_address.startswith("Esimerkkikatu")  # untouched


def test_a_request_matching_a_customer_cannot_be_approved_until_staff_decide(
    hall, customer, staff_user
):
    booking = public_request(hall, **forger(EXTERNAL_ID))
    with pytest.raises(ValidationError, match="match the customer Turun Perhetyö ry"):
        booking_approve(booking=booking, actor=staff_user)
    booking.refresh_from_db()
    assert booking.status == "requested"


def test_staff_make_a_new_customer_and_the_invoice_bills_the_requester(
    hall, customer, staff_user, invoicing_ready
):
    booking = public_request(hall, **forger(EXTERNAL_ID))
    booking_customer_confirm(booking=booking, actor=staff_user)
    booking_approve(booking=booking, actor=staff_user)
    booking.refresh_from_db()
    assert booking.customer != customer and booking.customer.organisation == "Huijari Oy"
    draft = invoice_create_draft(bookings=[booking], actor=None)
    assert draft.buyer_name == "Huijari Oy"
    assert draft.buyer_address.startswith("Väärä 1")


def test_staff_link_the_request_to_the_customer_it_names(hall, customer, staff_user):
    booking = public_request(hall, **forger(EXTERNAL_ID))
    booking_customer_confirm(booking=booking, actor=staff_user, customer=customer)
    booking.refresh_from_db()
    assert booking.customer == customer and booking.customer_confirmed
    assert booking.audit_entries.filter(changes__fields=["customer"]).exists()


def test_a_members_typed_business_id_gives_no_member_price_until_confirmed(
    hall, staff_user, invoicing_ready
):
    MemberOrganisation.objects.create(name="Lastensuojelu ry", business_id=MEMBER_ID)
    typed = public_request(hall, **forger(MEMBER_ID))
    # No customer had the ID: the request got a customer of its own details, unconfirmed.
    assert typed.customer is not None and not typed.customer_confirmed
    booking_approve(booking=typed, actor=staff_user)
    assert typed.price_snapshot.customer_group == CustomerGroup.EXTERNAL


def test_a_confirmed_member_gets_the_member_price(hall, staff_user, invoicing_ready):
    MemberOrganisation.objects.create(name="Lastensuojelu ry", business_id=MEMBER_ID)
    booking = public_request(hall, **forger(MEMBER_ID))
    booking_customer_confirm(booking=booking, actor=staff_user)
    booking_approve(booking=booking, actor=staff_user)
    booking.refresh_from_db()
    assert booking.price_snapshot.customer_group == CustomerGroup.MEMBER


def test_the_staff_page_shows_the_match_and_links_on_request(client, hall, customer, staff_user):
    booking = public_request(hall, **forger(EXTERNAL_ID))
    client.force_login(staff_user)
    page = client.get(f"/en/staff/bookings/{booking.pk}/").content.decode()
    assert "Matches customer Turun Perhetyö ry" in page
    response = client.post(f"/en/staff/bookings/{booking.pk}/customer/", {"customer": "match"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.customer == customer and booking.customer_confirmed


def test_approving_in_the_staff_workspace_before_deciding_is_refused_with_a_message(
    client, hall, customer, staff_user
):
    booking = public_request(hall, **forger(EXTERNAL_ID))
    client.force_login(staff_user)
    response = client.post(
        f"/en/staff/bookings/{booking.pk}/approve/", {"sequence": booking.sequence}, follow=True
    )
    assert "link it to that customer or make a new one" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "requested"
    assert Customer.objects.count() == 1


def staff_api(staff_user):
    from rest_framework.test import APIClient

    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(staff_user)
    return api


def test_the_api_shows_the_match_refuses_approval_and_links_on_request(hall, customer, staff_user):
    booking = public_request(hall, **forger(EXTERNAL_ID))
    api = staff_api(staff_user)
    url = f"/api/v1/bookings/{booking.pk}/customer/"

    shown = api.get(url).json()
    assert shown == {
        "customer": None,
        "customer_confirmed": False,
        "match": {
            "id": customer.pk,
            "organisation": "Turun Perhetyö ry",
            "business_id": EXTERNAL_ID,
        },
    }
    refused = api.post(f"/api/v1/bookings/{booking.pk}/approve/", {}, format="json")
    assert refused.status_code == 400
    assert "customer" in refused.json()["errors"]

    linked = api.post(url, {"customer": "match"}, format="json")

    assert linked.status_code == 200, linked.content
    assert linked.json() == {"customer": customer.pk, "customer_confirmed": True, "match": None}
    approved = api.post(f"/api/v1/bookings/{booking.pk}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.content


def test_the_api_makes_the_request_a_customer_of_its_own(hall, customer, staff_user):
    booking = public_request(hall, **forger(EXTERNAL_ID))

    answer = staff_api(staff_user).post(
        f"/api/v1/bookings/{booking.pk}/customer/", {"customer": "own"}, format="json"
    )

    assert answer.status_code == 200, answer.content
    booking.refresh_from_db()
    assert booking.customer_confirmed and booking.customer.organisation == "Huijari Oy"
    assert booking.customer.business_id == ""  # the ID it typed is another's
    assert answer.json()["customer"] == booking.customer_id


def test_the_api_refuses_a_match_that_is_not_there_and_changes_nothing(hall, staff_user):
    booking = public_request(hall, **forger(""))
    # A request whose details name no customer at all (its own was made of other ones).
    Booking.objects.filter(pk=booking.pk).update(organisation="Toinen Oy")
    booking.refresh_from_db()
    before = (booking.customer_id, booking.customer_confirmed)

    answer = staff_api(staff_user).post(
        f"/api/v1/bookings/{booking.pk}/customer/", {"customer": "match"}, format="json"
    )

    assert answer.status_code == 400
    assert answer.json()["errors"]["customer"] == [
        "The request's details match no existing customer."
    ]
    booking.refresh_from_db()
    assert (booking.customer_id, booking.customer_confirmed) == before
