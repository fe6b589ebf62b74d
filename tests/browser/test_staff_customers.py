"""Accounting's customers and ready-to-invoice pages in a browser (Debian's Chromium):
landing on the invoices, drafts made in bulk from the ticked bookings, and duplicates
compared and merged; each page passes axe-core."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from bookings.models import Booking, Customer, CustomerContact
from invoicing.models import Invoice, InvoiceStatus
from tests.browser.conftest import axe_violations
from tests.frontend.invoice_world import booking_on, books_open, days_ago

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-accounting-customers-123"


@pytest.fixture
def accountant(django_user_model):
    user = django_user_model.objects.create_user("kirjanpito", "k@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Accounting")[0])
    return user


def log_in(page) -> None:
    page.goto(reverse("frontend:staff-login"))
    page.get_by_label("Username").fill("kirjanpito")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_accountant_lands_on_invoices_and_drafts_the_ready_bookings_in_one_step(page, accountant):
    books = books_open()
    booking_on(books, days_ago(12), title="Vanhempainilta")
    booking_on(books, days_ago(5), title="Hallituksen kokous")
    booking_on(books, days_ago(3), title="Kevätjuhla", customer=books.other)

    log_in(page)
    page.wait_for_url(re.compile(re.escape(reverse("frontend:staff-invoices")) + "$"))
    page.get_by_role("link", name="Ready to invoice").click()
    group = page.get_by_role("group", name="Turun Perhetyö ry")
    expect(group.get_by_text("180.00 €")).to_be_visible()  # two bookings of 90.00 €
    assert axe_violations(page) == []
    group.get_by_role("checkbox", name=re.compile("Hallituksen kokous")).uncheck()
    page.get_by_role("button", name="Make draft invoices of the ticked bookings").click()

    expect(
        page.get_by_text("2 draft invoices were made: check them, then issue them.")
    ).to_be_visible()
    drafts = Invoice.objects.filter(status=InvoiceStatus.DRAFT)
    assert sorted((d.buyer_name, str(d.total_gross)) for d in drafts) == [
        ("Lastensuojelu ry", "90.00"),
        ("Turun Perhetyö ry", "90.00"),
    ]
    page.get_by_role("link", name="Ready to invoice").click()
    expect(page.get_by_role("checkbox", name=re.compile("Hallituksen kokous"))).to_be_checked()
    expect(page.get_by_text("Vanhempainilta")).to_have_count(0)


def test_accountant_compares_two_duplicates_and_merges_them(page, accountant):
    books = books_open()
    duplicate = Customer.objects.create(
        organisation="TURUN PERHETYÖ RY",
        contact_name="Pekka Puup",
        email="pekka@example.org",
        billing_address="Toinen 2\n20100 Turku",
    )
    CustomerContact.objects.create(customer=duplicate, name="Pekka Puup", email="pekka@example.org")
    moved = booking_on(books, days_ago(4), customer=duplicate, title="Syyskokous")

    log_in(page)
    page.get_by_role("link", name="Customers").click()
    duplicates = page.get_by_role("region", name="Possible duplicates")
    expect(duplicates.get_by_text("the same name")).to_be_visible()
    assert axe_violations(page) == []
    duplicates.get_by_role("link", name="Compare and merge").click()

    expect(page.get_by_role("radio", name=re.compile("^Turun Perhetyö ry"))).to_be_checked()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Merge into the customer kept").click()

    expect(
        page.get_by_text("Merged into Turun Perhetyö ry; 1 booking moved with it.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Turun Perhetyö ry", level=1)).to_be_visible()
    expect(page.get_by_text("pekka@example.org")).to_be_visible()
    assert axe_violations(page) == []
    assert Booking.objects.get(pk=moved.pk).customer == books.customer
