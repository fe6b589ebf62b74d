"""One rule, one refusal, on every path (issue 12, part 2).

Each rule lives in a service. Here the same bad case goes through the API, the staff or
renter page and the admin; each gets the same refusal, and the database is exactly as
it was before.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import constants as message_levels
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from bookings.errors import BookingStarted, StaleBooking
from bookings.models import AuditEntry, Booking, BookingStatus, Customer, Occupancy
from bookings.recurrence import Recurrence
from bookings.selectors import public_rooms
from bookings.services import (
    Extra,
    RenterDetails,
    booking_approve,
    booking_approve_rejecting_competitors,
    booking_cancel,
    booking_move,
    booking_request_create,
    booking_series_request_create,
    booking_staff_create,
)
from frontend.models import OutgoingEmail
from invoicing.models import CustomerGroup, Payment, PriceList, RoomPrice
from invoicing.models.prices import RoomPriceQuerySet
from invoicing.page_quotes import quotes_for_bookings
from invoicing.quotes import quote_booking, room_quotes
from invoicing.services import PaymentsChanged, payment_record
from tests.factories import at, make_extra, make_room, renter, working_day, working_days
from tests.frontend.invoice_world import books_open, days_ago, issued_on

pytestmark = pytest.mark.django_db


# --- Helpers ---------------------------------------------------------------------------


def database_state() -> tuple:
    """Everything a refused write could have touched."""
    bookings = Booking.objects.order_by("pk").values_list(
        "pk", "status", "sequence", "room_id", "start", "end", "attendees", "title",
        "organisation", "contact_name", "email", "extras", "decision_message",
    )  # fmt: skip
    occupancy = Occupancy.objects.order_by("space_id", "start", "booking_id").values_list(
        "space_id", "start", "end", "kind", "booking_id"
    )
    return (
        list(bookings),
        list(occupancy),
        AuditEntry.objects.count(),
        Customer.objects.count(),
        OutgoingEmail.objects.count(),
        list(Payment.objects.order_by("pk").values_list("pk", "invoice_id", "amount")),
    )


def en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def post_json(client: APIClient, url: str, body: dict, method: str = "post"):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def errors_shown(response) -> list[str]:
    """The error messages on the page a person lands on."""
    return [
        str(message)
        for message in response.context["messages"]
        if message.level == message_levels.ERROR
    ]


def request_in(room, day, start: int = 10, end: int = 12, *, title: str = "Kokous"):
    return booking_request_create(
        room=room,
        start=at(day, start),
        end=at(day, end),
        title=title,
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


# --- A renter cannot cancel what has started --------------------------------------------


@pytest.fixture
def started(room, staff_user, clock):
    """An approved booking of a renter, half-way through."""
    day = working_day()
    made = request_in(room, day, 10, 12)
    booking_approve(booking=made.booking, actor=staff_user)
    clock.move_to(at(day, 11))
    return made


def test_a_started_booking_is_refused_by_the_renters_cancel_in_the_api(started):
    before = database_state()

    response = post_json(api(), f"/api/v1/booking-requests/{started.status_token}/cancel/", {})

    assert response.status_code == 409
    assert response.json()["code"] == "started"
    assert "already started" in response.json()["message"]
    assert database_state() == before


def test_a_started_booking_is_refused_by_the_renters_status_page(client, started):
    before = database_state()
    page = en("frontend:request-status", started.status_token)

    shown = client.get(page)
    response = client.post(page, follow=True)

    assert "cancellable" not in shown.context or shown.context["cancellable"] is None
    assert errors_shown(response) == ["This request can no longer be cancelled."]
    assert database_state() == before


def test_a_booking_that_is_over_is_refused_by_the_renters_cancel_too(started, clock):
    clock.move_to(started.booking.end + timedelta(days=1))
    before = database_state()

    response = post_json(api(), f"/api/v1/booking-requests/{started.status_token}/cancel/", {})

    assert (response.status_code, response.json()["code"]) == (409, "started")
    assert database_state() == before


def test_the_service_refuses_a_renter_but_lets_staff_cancel_a_started_booking(started, staff_user):
    booking = Booking.objects.get(pk=started.booking.pk)
    with pytest.raises(BookingStarted):
        booking_cancel(booking=booking, actor=None, by_renter=True)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.APPROVED

    # A water leak stops the event: staff may still cancel it.
    booking_cancel(booking=booking, actor=staff_user, reason="Vesivahinko")
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def test_a_renter_cancelling_a_series_under_way_cancels_only_the_dates_not_started(
    room, staff_user, clock
):
    first = working_day(repeats=3)
    series = booking_series_request_create(
        room=room,
        start=at(first, 10),
        end=at(first, 12),
        recurrence=Recurrence(interval_weeks=1, count=3),
        title="Kerho",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )
    for booking in series.bookings:
        booking_approve(booking=booking, actor=staff_user)
    clock.move_to(at(first, 11))

    response = post_json(api(), f"/api/v1/booking-requests/{series.status_token}/cancel/", {})

    assert response.status_code == 200
    assert [item["status"] for item in response.json()] == ["approved", "cancelled", "cancelled"]


# --- Decisions take the revision the person saw ---------------------------------------


@pytest.fixture
def changed_meanwhile(room, staff_user):
    """A request someone else moved after the person looked at it (revision `seen`)."""
    day = working_day()
    booking = request_in(room, day, 10, 12).booking
    seen = booking.sequence
    booking_move(booking=booking, actor=staff_user, start=at(day, 13), end=at(day, 15))
    return Booking.objects.get(pk=booking.pk), seen


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("approve", {}),
        ("reject", {"reason": "Ei käy"}),
        ("cancel", {"reason": "Peruttu"}),
    ],
)
def test_the_api_refuses_a_decision_on_a_revision_no_longer_current(
    changed_meanwhile, staff_user, action, body
):
    booking, seen = changed_meanwhile
    before = database_state()

    response = post_json(
        api(staff_user),
        f"/api/v1/bookings/{booking.pk}/{action}/",
        {**body, "expected_sequence": seen},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "stale"
    assert database_state() == before


def test_the_api_refuses_a_move_on_a_revision_no_longer_current(changed_meanwhile, staff_user):
    booking, seen = changed_meanwhile
    before = database_state()
    body = {"start": at(booking.start.date(), 16).isoformat(), "expected_sequence": seen}
    body["end"] = at(booking.start.date(), 17).isoformat()

    response = post_json(api(staff_user), f"/api/v1/bookings/{booking.pk}/", body, "patch")

    assert (response.status_code, response.json()["code"]) == (409, "stale")
    assert database_state() == before


def test_the_api_decides_when_the_revision_is_current(changed_meanwhile, staff_user):
    booking, _seen = changed_meanwhile
    url = f"/api/v1/bookings/{booking.pk}/approve/"

    response = post_json(api(staff_user), url, {"expected_sequence": booking.sequence})

    assert response.status_code == 200
    assert response.json()[0]["status"] == "approved"


@pytest.mark.parametrize(
    ("page", "form"),
    [
        ("frontend:staff-approve", {"message": ""}),
        ("frontend:staff-reject", {"message": "Ei käy"}),
        ("frontend:staff-cancel", {"reason": "Peruttu", "scope": "one"}),
    ],
)
def test_the_staff_pages_refuse_a_decision_on_a_revision_no_longer_current(
    changed_meanwhile, staff_client, page, form
):
    booking, seen = changed_meanwhile
    before = database_state()

    response = staff_client.post(en(page, booking.pk), {**form, "sequence": seen}, follow=True)

    assert len(errors_shown(response)) == 1
    assert "changed by someone else" in errors_shown(response)[0]
    assert database_state() == before


@pytest.mark.parametrize("action", ["approve_selected", "reject_selected", "cancel_selected"])
def test_the_admin_refuses_a_decision_on_a_revision_no_longer_current(
    changed_meanwhile, staff_client, action
):
    booking, seen = changed_meanwhile
    before = database_state()

    response = staff_client.post(
        en("admin:bookings_booking_changelist"),
        {
            "action": action,
            "_selected_action": [booking.pk],
            "confirm": "yes",
            "message": "Ei käy",
            f"seen_{booking.pk}": seen,
        },
        follow=True,
    )

    assert len(errors_shown(response)) == 1
    assert "changed by someone else" in errors_shown(response)[0]
    assert database_state() == before


def test_the_admin_decision_page_carries_each_bookings_revision(changed_meanwhile, staff_client):
    booking, _seen = changed_meanwhile

    page = staff_client.post(
        en("admin:bookings_booking_changelist"),
        {"action": "reject_selected", "_selected_action": [booking.pk]},
    )

    assert f'name="seen_{booking.pk}" value="{booking.sequence}"' in page.content.decode()


# --- A renter needs organisation, contact person and e-mail ------------------------------


NEEDED = "Needed when the booking has a renter."


def test_the_api_refuses_a_staff_booking_whose_renter_has_no_email(room, staff_user):
    day = working_day()
    before = database_state()
    body = {
        "room": room.slug,
        "start": at(day, 10).isoformat(),
        "end": at(day, 12).isoformat(),
        "title": "Koulutus",
        "attendees": 5,
        "renter": {"organisation": "Turun Perhetyö ry", "contact_name": "Maija"},
    }

    response = post_json(api(staff_user), "/api/v1/bookings/", body)

    assert response.status_code == 400
    assert response.json()["errors"] == {"renter.email": [NEEDED]}
    assert database_state() == before


def test_the_api_refuses_a_public_request_without_organisation(room):
    day = working_day()
    before = database_state()
    body = {
        "room": room.slug,
        "start": at(day, 10).isoformat(),
        "end": at(day, 12).isoformat(),
        "title": "Kokous",
        "attendees": 5,
        "contact_name": "Maija",
        "email": "maija@example.org",
        "accept_terms": True,
    }

    response = post_json(api(), "/api/v1/booking-requests/", body)

    assert response.status_code == 400
    assert response.json()["errors"] == {"organisation": [NEEDED]}
    assert database_state() == before


def test_the_staff_page_refuses_a_renter_without_email(room, staff_client):
    day = working_day()
    before = database_state()
    form = {
        "room": room.pk,
        "day": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "title": "Koulutus",
        "attendees": "5",
        "organisation": "Turun Perhetyö ry",
        "contact_name": "Maija",
        "email": "",
        "language": "fi",
    }

    response = staff_client.post(en("frontend:staff-booking-new"), form)

    assert response.context["form"].errors["email"] == [NEEDED]
    assert database_state() == before


def test_the_admin_refuses_a_renter_without_email(room, staff_client):
    day = working_day()
    before = database_state()
    form = {
        "room": room.pk,
        "start_0": day.isoformat(),
        "start_1": "10:00:00",
        "end_0": day.isoformat(),
        "end_1": "12:00:00",
        "title": "Koulutus",
        "attendees": 5,
        "organisation": "Turun Perhetyö ry",
        "contact_name": "Maija",
        "email": "",
        "language": "fi",
    }

    response = staff_client.post(en("admin:bookings_booking_add"), form)

    assert response.context["adminform"].form.errors["email"] == [NEEDED]
    assert database_state() == before


def test_the_service_lets_the_house_book_without_renter_details(room, staff_user):
    day = working_day()
    booking = booking_staff_create(
        actor=staff_user, room=room, start=at(day, 10), end=at(day, 12), title="Talon oma",
        attendees=3,
    )  # fmt: skip
    assert (booking.status, booking.organisation) == (BookingStatus.APPROVED, "")


def test_emptying_a_renters_email_in_the_admin_change_form_is_refused(room, staff_client):
    day = working_day()
    booking = request_in(room, day).booking
    before = database_state()
    form = {
        "title": booking.title,
        "attendees": booking.attendees,
        "customer": booking.customer_id,
        "room": booking.room_id,
        "start_0": day.isoformat(),
        "start_1": "10:00:00",
        "end_0": day.isoformat(),
        "end_1": "12:00:00",
        "override_reason": "",
        "change_reason": "",
        "seen_sequence": booking.sequence,
        "language": "fi",
        "message": "",
        "organisation": booking.organisation,
        "contact_name": booking.contact_name,
        "email": "",
    }

    response = staff_client.post(en("admin:bookings_booking_change", booking.pk), form)

    assert response.context["adminform"].form.errors["email"] == [NEEDED]
    assert database_state() == before


def test_more_attendees_than_the_room_takes_is_refused_by_the_details_service(room, staff_user):
    from django.core.exceptions import ValidationError

    from bookings.services import booking_details_update

    booking = request_in(room, working_day()).booking
    before = database_state()
    with pytest.raises(ValidationError) as refused:
        booking_details_update(booking=booking, actor=staff_user, details={"attendees": 31})
    assert "attendees" in refused.value.message_dict
    assert database_state() == before


# --- Unknown extras are refused by the booking services ------------------------------


def test_the_api_refuses_a_request_with_an_unknown_extra(room):
    make_extra("coffee")
    day = working_day()
    before = database_state()
    body = {
        "room": room.slug,
        "start": at(day, 10).isoformat(),
        "end": at(day, 12).isoformat(),
        "title": "Kokous",
        "attendees": 5,
        "organisation": "Turun Perhetyö ry",
        "contact_name": "Maija",
        "email": "maija@example.org",
        "accept_terms": True,
        "extras": [{"code": "coffee", "quantity": 5}, {"code": "champagne", "quantity": 5}],
    }

    response = post_json(api(), "/api/v1/booking-requests/", body)

    assert response.status_code == 400
    assert response.json()["errors"] == {"extras": ["Unknown extra: champagne."]}
    assert database_state() == before


def test_the_api_refuses_a_staff_booking_with_an_extra_no_longer_offered(room, staff_user):
    make_extra("coffee", is_active=False)
    day = working_day()
    before = database_state()
    body = {
        "room": room.slug,
        "start": at(day, 10).isoformat(),
        "end": at(day, 12).isoformat(),
        "title": "Koulutus",
        "attendees": 5,
        "extras": [{"code": "coffee", "quantity": 5}],
    }

    response = post_json(api(staff_user), "/api/v1/bookings/", body)

    assert response.status_code == 400
    assert response.json()["errors"] == {"extras": ["Unknown extra: coffee."]}
    assert database_state() == before


def test_a_request_with_an_offered_extra_is_stored_with_it(room):
    make_extra("coffee")
    day = working_day()
    made = booking_request_create(
        room=room, start=at(day, 10), end=at(day, 12), title="Kokous", attendees=5,
        renter=renter(), accept_terms=True, extras=[Extra("coffee", 5)],
    )  # fmt: skip
    assert made.booking.extras == [{"code": "coffee", "quantity": 5}]


# --- One approval rejects the competitors chosen ------------------------------------------


@pytest.fixture
def competition(room):
    day = working_day()
    chosen = request_in(room, day, 10, 12, title="Valittu").booking
    rival = request_in(room, day, 11, 13, title="Kilpailija").booking
    elsewhere = request_in(room, day, 15, 16, title="Muualla").booking
    return chosen, rival, elsewhere


def test_the_api_approves_and_rejects_the_competitors_chosen(competition, staff_user):
    chosen, rival, _elsewhere = competition

    response = post_json(
        api(staff_user),
        f"/api/v1/bookings/{chosen.pk}/approve/",
        {"reject_competing": [rival.pk], "rejection_message": "Aika meni toiselle"},
    )

    assert response.status_code == 200
    rival.refresh_from_db()
    assert (rival.status, rival.decision_message) == (BookingStatus.REJECTED, "Aika meni toiselle")


def test_competitors_without_a_message_are_refused_on_the_api_and_the_page(
    competition, staff_user, staff_client
):
    chosen, rival, _elsewhere = competition
    before = database_state()

    answer = post_json(
        api(staff_user), f"/api/v1/bookings/{chosen.pk}/approve/", {"reject_competing": [rival.pk]}
    )
    page = staff_client.post(
        en("frontend:staff-approve", chosen.pk),
        {"sequence": chosen.sequence, "reject_competing": [rival.pk], "rejection_message": ""},
    )

    message = "Tell the renters why their requests are rejected."
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"rejection_message": [message]}
    assert page.context["form"].errors["rejection_message"] == [message]
    assert database_state() == before


def test_a_request_that_does_not_compete_cannot_be_rejected_with_an_approval(
    competition, staff_user
):
    chosen, _rival, elsewhere = competition
    before = database_state()

    answer = post_json(
        api(staff_user),
        f"/api/v1/bookings/{chosen.pk}/approve/",
        {"reject_competing": [elsewhere.pk], "rejection_message": "Ei"},
    )

    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["reject_competing"]
    assert database_state() == before


def test_a_competitor_decided_meanwhile_is_left_and_the_approval_stands(competition, staff_user):
    chosen, rival, _elsewhere = competition
    booking_cancel(booking=rival, actor=None, by_renter=True)

    decision = booking_approve_rejecting_competitors(
        booking=chosen, actor=staff_user, reject=[rival], rejection_message="Aika meni"
    )

    assert decision.approved.status == BookingStatus.APPROVED
    assert decision.rejected == [] and [item.pk for item, _why in decision.left] == [rival.pk]
    assert Booking.objects.get(pk=rival.pk).status == BookingStatus.CANCELLED


# --- A payment counted twice is recorded once ---------------------------------------------


@pytest.fixture
def paid_once(hours, accounting_user):
    books = books_open()
    invoice = issued_on(books, days_ago(5))
    payment_record(invoice=invoice, amount="10.00", paid_on=days_ago(1), actor=accounting_user)
    return invoice


def test_the_api_refuses_a_payment_counted_on_older_payments(paid_once, accounting_user):
    before = database_state()
    body = {"amount": "10.00", "date": days_ago(1).isoformat(), "payments_seen": 0}

    response = post_json(api(accounting_user), f"/api/v1/invoices/{paid_once.pk}/payments/", body)

    assert (response.status_code, response.json()["code"]) == (409, "stale")
    assert database_state() == before


def test_the_accounting_page_refuses_a_payment_counted_on_older_payments(
    client, paid_once, accounting_user
):
    client.force_login(accounting_user)
    before = database_state()
    form = {"amount": "10,00", "paid_on": days_ago(1).isoformat(), "payments_seen": 0}

    response = client.post(en("frontend:staff-invoice-payment", paid_once.pk), form, follow=True)

    assert errors_shown(response)[0].startswith("Nothing was recorded")
    assert database_state() == before


def test_the_admin_refuses_a_payment_counted_on_older_payments(client, paid_once, admin_user_):
    client.force_login(admin_user_)
    before = database_state()
    form = {
        "invoice": paid_once.pk,
        "amount": "10.00",
        "paid_on": days_ago(1).isoformat(),
        "payments_seen": 0,
    }

    response = client.post(en("admin:invoicing_payment_add"), form)

    assert (
        response.context["adminform"]
        .form.errors["payments_seen"][0]
        .startswith("Nothing was recorded")
    )
    assert database_state() == before


def pay_on_the_page(client, invoice):
    form = {"amount": "10,00", "paid_on": days_ago(1).isoformat(), "payments_seen": 0}
    response = client.post(en("frontend:staff-invoice-payment", invoice.pk), form, follow=True)
    return errors_shown(response)


def pay_in_the_admin(client, invoice):
    form = {
        "invoice": invoice.pk, "amount": "10.00", "paid_on": days_ago(1).isoformat(),
        "payments_seen": 0,
    }  # fmt: skip
    response = client.post(en("admin:invoicing_payment_add"), form)
    if response.status_code == 302:
        return []
    return [str(error) for error in response.context["adminform"].form.errors["payments_seen"]]


def test_the_same_payment_sent_twice_is_recorded_once_on_the_page_and_in_the_admin(
    client, hours, accounting_user
):
    """A double click, a reload or the back button: the form is sent again as it was."""
    books = books_open()
    client.force_login(accounting_user)
    for send in (pay_on_the_page, pay_in_the_admin):
        invoice = issued_on(books, days_ago(5))

        first = send(client, invoice)
        again = send(client, invoice)

        assert first == [], send.__name__
        assert again[0].startswith("Nothing was recorded"), send.__name__
        assert invoice.payments.count() == 1, send.__name__


def test_a_payment_recorded_while_the_admin_form_is_saved_is_told_and_not_doubled(
    client, hours, accounting_user, monkeypatch
):
    """The form's check passed, then another payment came in before the save: the save
    is refused under the invoice's lock and told as a message, never a 500. (Here the
    other payment is made inside the admin's own transaction, so it is undone with it.)"""
    from invoicing import admin_invoices

    invoice = issued_on(books_open(), days_ago(5))
    checked = admin_invoices.validate_by_dry_run

    def check_then_someone_pays(form, call):
        checked(form, call)
        payment_record(invoice=invoice, amount="10.00", paid_on=days_ago(1), actor=None)

    monkeypatch.setattr(admin_invoices, "validate_by_dry_run", check_then_someone_pays)
    client.force_login(accounting_user)
    form = {
        "invoice": invoice.pk, "amount": "10.00", "paid_on": days_ago(1).isoformat(),
        "payments_seen": 0,
    }  # fmt: skip

    response = client.post(en("admin:invoicing_payment_add"), form, follow=True)

    shown = [str(message) for message in response.context["messages"]]
    assert response.status_code == 200
    assert shown[0].startswith("Nothing was recorded")
    assert invoice.payments.count() == 0
    assert not LogEntry.objects.filter(content_type__model="payment").exists()


def test_the_payment_service_records_a_payment_counted_on_the_current_payments(
    paid_once, accounting_user
):
    with pytest.raises(PaymentsChanged):
        payment_record(
            invoice=paid_once, amount="5.00", paid_on=days_ago(1), actor=None, payments_seen=0
        )
    payment_record(
        invoice=paid_once, amount="5.00", paid_on=days_ago(1), actor=None, payments_seen=1
    )
    assert Payment.objects.filter(invoice=paid_once).count() == 2


# --- The service answers what the staff page offers -------------------------------------


def test_the_booking_page_offers_no_invoice_for_a_booking_already_billed(
    client, hours, admin_user_
):
    from invoicing.services import invoice_create_draft
    from tests.frontend.invoice_world import booking_on

    books = books_open()
    billed = booking_on(books, days_ago(3))
    free = booking_on(books, days_ago(4))
    invoice_create_draft(bookings=[billed], actor=None)
    client.force_login(admin_user_)

    def offered(booking: Booking) -> bool:
        page = client.get(en("frontend:staff-booking", booking.pk)).content.decode()
        return "Invoice this booking" in page

    assert (offered(billed), offered(free)) == (False, True)


def test_stale_booking_is_the_error_every_entry_point_answers(changed_meanwhile, staff_user):
    booking, seen = changed_meanwhile
    with pytest.raises(StaleBooking):
        booking_approve(booking=booking, actor=staff_user, expected_sequence=seen)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.REQUESTED


def test_renter_details_list_what_a_renter_left_empty():
    details = RenterDetails(organisation=" ", contact_name="Maija", email="")
    assert details.missing() == ["organisation", "email"]


@pytest.fixture
def series_changed_meanwhile(room, staff_user):
    """A weekly request whose first date someone moved after the person looked at it."""
    first = working_day(repeats=2)
    series = booking_series_request_create(
        room=room,
        start=at(first, 10),
        end=at(first, 12),
        recurrence=Recurrence(interval_weeks=1, count=2),
        title="Kerho",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )
    booking = series.bookings[0]
    seen = booking.sequence
    booking_move(booking=booking, actor=staff_user, start=at(first, 13), end=at(first, 15))
    return Booking.objects.get(pk=booking.pk), seen


def test_a_series_approval_on_a_revision_no_longer_current_is_refused_everywhere(
    series_changed_meanwhile, staff_user, staff_client
):
    booking, seen = series_changed_meanwhile
    before = database_state()

    answer = post_json(
        api(staff_user),
        f"/api/v1/bookings/{booking.pk}/approve/",
        {"whole_series": True, "expected_sequence": seen},
    )
    page = staff_client.post(
        en("frontend:staff-series-approve", booking.series_id),
        {"seen": booking.pk, "sequence": seen, "message": ""},
        follow=True,
    )

    assert (answer.status_code, answer.json()["code"]) == (409, "stale")
    assert "changed by someone else" in errors_shown(page)[0]
    assert database_state() == before


def test_the_booking_page_sends_its_revision_with_the_series_approval(
    series_changed_meanwhile, staff_client
):
    booking, _seen = series_changed_meanwhile

    page = staff_client.get(en("frontend:staff-booking", booking.pk)).content.decode()
    approved = staff_client.post(
        en("frontend:staff-series-approve", booking.series_id),
        {"seen": booking.pk, "sequence": booking.sequence, "message": ""},
    )

    assert f'name="sequence" value="{booking.sequence}"' in page
    assert approved.status_code == 302
    statuses = set(
        Booking.objects.filter(series_id=booking.series_id).values_list("status", flat=True)
    )
    assert statuses == {BookingStatus.APPROVED}


def test_a_rejection_without_a_reason_is_refused_alike_everywhere(room, staff_user, staff_client):
    booking = request_in(room, working_day()).booking
    before = database_state()
    said = "Tell the renter why the request is rejected."

    answer = post_json(api(staff_user), f"/api/v1/bookings/{booking.pk}/reject/", {"reason": " "})
    page = staff_client.post(
        en("frontend:staff-reject", booking.pk), {"message": " ", "sequence": booking.sequence}
    )
    admin_page = staff_client.post(
        en("admin:bookings_booking_changelist"),
        {
            "action": "reject_selected",
            "_selected_action": [booking.pk],
            "confirm": "yes",
            "message": " ",
        },
    )

    assert answer.status_code == 400 and answer.json()["errors"] == {"reason": [said]}
    assert page.context["form"].errors["message"] == [said]
    assert admin_page.context["form"].errors["message"] == [said]
    assert database_state() == before


# --- What the public sees: public_rooms() on every public path -------------------------


@pytest.fixture
def rooms_on_view(hours):
    """One room the public sees, one hidden from it, one no longer in use."""
    make_room(slug="nakyva", capacity=10)
    make_room(slug="piilotettu", capacity=10, is_public=False)
    make_room(slug="poistunut", capacity=10, is_active=False)
    return {"nakyva", "piilotettu", "poistunut"}


def finder_query(day) -> dict[str, object]:
    return {"date": day.isoformat(), "from": "10:00", "to": "12:00", "attendees": 1}


def test_the_public_sees_the_same_rooms_on_every_path(client, rooms_on_view):
    day = working_day()
    public = set(public_rooms().values_list("slug", flat=True))

    listed = {room.slug for room in client.get(en("frontend:rooms")).context["rooms"]}
    found_page = client.get(en("frontend:rooms"), finder_query(day)).context
    found = {entry["room"].slug for entry in [*found_page["free"], *found_page["busy"]]}
    api_listed = {room["slug"] for room in api().get("/api/v1/rooms/").json()["results"]}
    times = {"free_start": f"{day}T10:00", "free_end": f"{day}T12:00"}
    api_found = {room["slug"] for room in api().get("/api/v1/rooms/", times).json()["results"]}
    opens = {
        path: {slug for slug in rooms_on_view if client.get(path % slug).status_code == 200}
        for path in ("/rooms/%s/", "/rooms/%s/request/", "/ical/rooms/%s.ics")
    }
    api_opens = {
        slug for slug in rooms_on_view if api().get(f"/api/v1/rooms/{slug}/").status_code == 200
    }

    assert public == {"nakyva"}
    assert listed == found == api_listed == api_found == api_opens == public
    assert opens == dict.fromkeys(opens, public)


def test_staff_still_see_every_room_in_the_api(rooms_on_view, staff_user):
    listed = {room["slug"] for room in api(staff_user).get("/api/v1/rooms/").json()["results"]}
    assert listed == rooms_on_view


# --- Price-list validity: one reading on every path -------------------------------------


@pytest.fixture
def price_change(hours):
    """A room whose external price list changes overnight: 40 €/h until the old list's
    last day, 50 €/h from the new one's first (both ends of a period belong to it)."""
    room = make_room(slug="hinnasto", capacity=10)
    last_old, first_new = working_days(2)
    old = PriceList.objects.create(
        name="Vanha", customer_group=CustomerGroup.EXTERNAL, valid_from=date(2020, 1, 1),
        valid_until=last_old,
    )  # fmt: skip
    new = PriceList.objects.create(
        name="Uusi", customer_group=CustomerGroup.EXTERNAL, valid_from=first_new
    )
    for price_list, hourly in ((old, "40.00"), (new, "50.00")):
        RoomPrice.objects.create(
            price_list=price_list, room=room, hourly_rate=Decimal(hourly), half_day_price=None
        )
    return room, last_old, first_new


def grosses_on(client, room, day, staff_user) -> dict[str, Decimal]:
    """The price of 10-12 on the day, as each path that prices a room answers it."""
    start, end = at(day, 10), at(day, 12)
    estimate = client.get(
        en("frontend:estimate", room.slug),
        {"date": day.isoformat(), "start_time": "10:00", "end_time": "12:00"},
    )
    body = {"room": room.slug, "start": f"{day}T10:00:00", "end": f"{day}T12:00:00"}
    answer = post_json(api(), "/api/v1/quotes/", body)
    finder = client.get(en("frontend:rooms"), finder_query(day)).context["free"]
    # Booked last, so that the finder still finds the time free.
    booking = booking_staff_create(
        actor=staff_user, room=room, start=start, end=end, title="Hinta", attendees=2
    )
    return {
        "request form estimate": Decimal(estimate.json()["gross"]),
        "POST /api/v1/quotes/": Decimal(str(answer.json()["gross"])),
        "room finder page": finder[0]["price"],
        "room finder quotes": room_quotes(rooms=[room], start=start, end=end)[room.pk].gross,
        "booking quote": quote_booking(booking).gross,
        "staff queue estimate": quotes_for_bookings([booking])[booking.pk].gross,
    }


def test_a_price_list_change_gives_the_same_price_on_every_path(client, price_change, staff_user):
    room, last_old, first_new = price_change

    old = grosses_on(client, room, last_old, staff_user)
    new = grosses_on(client, room, first_new, staff_user)

    assert len(set(old.values())) == 1, old
    assert len(set(new.values())) == 1, new
    assert quote_booking(Booking.objects.filter(start__date=last_old).get()).net == Decimal("80.00")
    assert quote_booking(Booking.objects.filter(start__date=first_new).get()).net == Decimal(
        "100.00"
    )


def test_the_room_page_shows_the_price_list_valid_today(client, price_change, clock):
    room, last_old, first_new = price_change

    def hourly_rate_shown() -> Decimal:
        rows = client.get(en("frontend:room", room.slug)).context["room"].__dict__["price_rows"]
        return rows[0]["price"].hourly_rate

    clock.move_to(at(last_old, 23, 30))
    on_last_old = hourly_rate_shown()
    clock.move_to(at(first_new, 0, 30))
    on_first_new = hourly_rate_shown()

    assert (on_last_old, on_first_new) == (Decimal("40.00"), Decimal("50.00"))


def test_the_staff_estimate_reads_validity_where_the_quote_does(
    price_change, staff_user, monkeypatch
):
    """One reading of validity: change it, and the page of estimates follows the quote."""
    room, last_old, _first_new = price_change
    booking = booking_staff_create(
        actor=staff_user, room=room, start=at(last_old, 10), end=at(last_old, 12),
        title="Hinta", attendees=2,
    )  # fmt: skip

    def end_excluded(self, day):
        return self.filter(price_list__valid_from__lte=day).filter(
            Q(price_list__valid_until__isnull=True) | Q(price_list__valid_until__gt=day)
        )

    monkeypatch.setattr(RoomPriceQuerySet, "valid_on", end_excluded)

    with pytest.raises(ValidationError):
        quote_booking(booking)
    assert isinstance(quotes_for_bookings([booking])[booking.pk], ValidationError)


# --- A renter needs organisation, contact person and e-mail: the service says so --------


def public_request_form(day, **changes: str) -> dict[str, str]:
    from tests.frontend.conftest import form_data

    return form_data(day, **changes)


def test_a_missing_contact_person_is_refused_alike_by_the_form_and_the_api(client, room):
    day = working_day()
    before = database_state()
    body = {
        "room": room.slug, "start": at(day, 10).isoformat(), "end": at(day, 12).isoformat(),
        "title": "Kokous", "attendees": 5, "organisation": "Turun Perhetyö ry",
        "email": "maija@example.org", "accept_terms": True,
    }  # fmt: skip

    answer = post_json(api(), "/api/v1/booking-requests/", body)
    page = client.post(
        en("frontend:request-form", room.slug), public_request_form(day, contact_name="")
    )

    assert answer.status_code == 400 and answer.json()["errors"] == {"contact_name": [NEEDED]}
    assert page.status_code == 400
    assert page.context["form"].errors == {"contact_name": [NEEDED]}
    assert database_state() == before


def test_the_forms_missing_renter_details_are_told_once_in_the_renters_language(client, room):
    day = working_day()
    data = public_request_form(day, contact_name="", email="", date="")
    with translation.override("fi"):
        needed = str(translation.gettext(NEEDED))

    page = client.post(f"/rooms/{room.slug}/request/", data)  # Finnish, the default

    assert needed != NEEDED
    errors = page.context["form"].errors
    assert (errors["contact_name"], errors["email"]) == ([needed], [needed])
    assert "date" in errors  # a field the form reads is told in the same pass
    html = page.content.decode()
    assert (
        html.count(f'<ul class="errorlist" id="id_contact_name_error"><li>{needed}</li></ul>') == 1
    )
    assert not Booking.objects.exists()
