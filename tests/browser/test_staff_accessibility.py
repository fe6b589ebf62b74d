"""axe-core on every staff page and form, the accounting pages included: no serious or
critical violations."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from bookings.models import Booking, ClosureReason
from bookings.recurrence import Recurrence
from bookings.services import booking_series_request_create, closure_create
from invoicing.models import Invoice
from invoicing.services import invoice_create_draft, invoice_credit, payment_record
from tests.browser.conftest import axe_violations
from tests.factories import at, house_hours, make_room, renter, working_day
from tests.frontend.invoice_world import booking_on, books_open, days_ago, issued_on
from tests.frontend.staff_world import approved_for, request_for

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-staff-axe-123"


@dataclass
class World:
    request: Booking
    approved: Booking
    occurrence: Booking


@pytest.fixture
def world(django_user_model) -> World:
    user = django_user_model.objects.create_user("varaaja", "v@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Booking staff")[0])
    house_hours()
    east = make_room(name_en="East half", capacity=30)
    west = make_room(name_en="West half", capacity=30)
    hall = make_room(name_en="Hall", capacity=60, parts=[east, west])
    day = working_day()
    wanted = request_for(hall, day, 10, 12, title="Pyyntö", business_id="0112038-9")
    request_for(east, day, 11, 13, title="Kilpaileva")
    approved = approved_for(west, day, 14, 16, actor=user, title="Hyväksytty")
    closure_create(
        actor=user,
        start=at(day, 18),
        end=at(day, 20),
        reason=ClosureReason.CLEANING,
        rooms=[east],
    )
    series = booking_series_request_create(
        room=west,
        start=at(day, 8),
        end=at(day, 9),
        recurrence=Recurrence(count=2),
        title="Sarja",
        attendees=4,
        renter=renter(),
        accept_terms=True,
    )
    return World(wanted, approved, series.bookings[0])


def log_in(page) -> None:
    page.goto(reverse("frontend:staff-login"))
    page.get_by_label("Username").fill("varaaja")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/**")


PAGES = {
    "queue": lambda w: reverse("frontend:staff-queue"),
    "queue, every state": lambda w: reverse("frontend:staff-queue") + "?status=",
    "calendar week": lambda w: (
        reverse("frontend:staff-calendar-week") + f"?date={w.request.start.date().isoformat()}"
    ),
    "calendar day": lambda w: (
        reverse("frontend:staff-calendar-day") + f"?date={w.request.start.date().isoformat()}"
    ),
    "detail of a request": lambda w: reverse("frontend:staff-booking", args=[w.request.pk]),
    "detail of a series date": lambda w: reverse("frontend:staff-booking", args=[w.occurrence.pk]),
    "approve form": lambda w: reverse("frontend:staff-approve", args=[w.request.pk]),
    "reject form": lambda w: reverse("frontend:staff-reject", args=[w.request.pk]),
    "cancel form": lambda w: reverse("frontend:staff-cancel", args=[w.approved.pk]),
    "move form": lambda w: reverse("frontend:staff-move", args=[w.approved.pk]),
    "new booking form": lambda w: reverse("frontend:staff-booking-new"),
    "closures": lambda w: reverse("frontend:staff-closures"),
    "feeds": lambda w: reverse("frontend:staff-feeds"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_staff_page_has_no_serious_accessibility_violations(page, world, name):
    log_in(page)
    page.goto(PAGES[name](world))
    assert axe_violations(page) == []


def test_login_page_has_no_serious_accessibility_violations(page):
    page.goto(reverse("frontend:staff-login"))
    assert axe_violations(page) == []


def test_forms_with_errors_have_no_serious_accessibility_violations(page, world):
    log_in(page)
    page.goto(reverse("frontend:staff-booking-new"))
    page.get_by_role("button", name="Book").click()  # the browser's own checks first
    page.evaluate("document.querySelector('form[data-renter-toggle]').noValidate = true")
    page.get_by_role("button", name="Book").click()
    assert page.locator("[aria-invalid=true]").count() > 0
    assert axe_violations(page) == []

    page.goto(reverse("frontend:staff-move", args=[world.approved.pk]))
    page.get_by_role("combobox", name="Room").select_option(label="East half")
    page.get_by_label("Start time").fill("18:00")  # into the closure of the east half
    page.get_by_label("End time").fill("19:00")
    page.get_by_role("button", name="Save the change").click()
    assert page.get_by_role("alert").get_by_text("Nothing was saved.").is_visible()
    assert axe_violations(page) == []


def test_a_shown_feed_address_has_no_serious_accessibility_violations(page, world):
    log_in(page)
    page.goto(reverse("frontend:staff-feeds"))
    page.get_by_label("Name of the feed").fill("Puhelin")
    page.get_by_role("button", name="Create the feed").click()
    assert page.get_by_text("it is shown only this once").is_visible()
    assert axe_violations(page) == []


# --- The accounting pages, as an accountant sees them ------------------------------------

ACCOUNTANT = "laskuttaja"


@dataclass
class Accounts:
    issued: Invoice
    draft: Invoice
    credit_note: Invoice
    customer_id: int


@pytest.fixture
def accounts(django_user_model) -> Accounts:
    user = django_user_model.objects.create_user(ACCOUNTANT, "l@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Accounting")[0])
    books = books_open()
    issued = issued_on(books, days_ago(30))
    payment_record(invoice=issued, amount="40.00", paid_on=days_ago(2), actor=None)
    credited = issued_on(books, days_ago(20))
    note = invoice_credit(invoice=credited, actor=None, reason="Väärä asiakas")
    draft = invoice_create_draft(bookings=[booking_on(books, days_ago(9))], actor=None)
    booking_on(books, days_ago(8), extras=[{"code": "coffee", "quantity": 10}])
    return Accounts(issued, draft, note, books.customer.pk)


def log_in_as_accountant(page) -> None:
    page.goto(reverse("frontend:staff-login"))
    page.get_by_label("Username").fill(ACCOUNTANT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/**")


INVOICE_PAGES = {
    "invoice list": lambda a: reverse("frontend:staff-invoices"),
    "invoice list, overdue": lambda a: reverse("frontend:staff-invoices") + "?overdue=on",
    "issued invoice": lambda a: reverse("frontend:staff-invoice", args=[a.issued.pk]),
    "draft invoice": lambda a: reverse("frontend:staff-invoice", args=[a.draft.pk]),
    "credit note": lambda a: reverse("frontend:staff-invoice", args=[a.credit_note.pk]),
    "credit form": lambda a: reverse("frontend:staff-invoice-credit", args=[a.issued.pk]),
    "new invoice": lambda a: reverse("frontend:staff-invoice-new"),
    "new invoice, customer chosen": lambda a: (
        reverse("frontend:staff-invoice-new") + f"?customer={a.customer_id}"
    ),
    "payment by reference": lambda a: reverse("frontend:staff-payment-by-reference"),
    "files for bookkeeping": lambda a: reverse("frontend:staff-invoice-export"),
}


@pytest.mark.parametrize("name", list(INVOICE_PAGES))
def test_accounting_page_has_no_serious_accessibility_violations(page, accounts, name):
    log_in_as_accountant(page)
    page.goto(INVOICE_PAGES[name](accounts))
    assert axe_violations(page) == []


def test_invoice_preview_and_refusals_have_no_serious_accessibility_violations(page, accounts):
    log_in_as_accountant(page)
    page.goto(reverse("frontend:staff-invoice-new") + f"?customer={accounts.customer_id}")
    page.get_by_role("button", name="Preview the invoice").click()
    expect(page.get_by_text("Nothing is saved yet.")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(reverse("frontend:staff-invoice-new") + f"?customer={accounts.customer_id}")
    for box in page.get_by_role("checkbox").all():
        box.uncheck()
    page.get_by_role("button", name="Preview the invoice").click()
    expect(page.get_by_role("alert").get_by_text("Choose at least one booking.")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(reverse("frontend:staff-invoice", args=[accounts.issued.pk]))
    page.get_by_label("Amount (€)").fill("abc")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.locator("[aria-invalid=true]")).to_have_count(1)
    assert axe_violations(page) == []
