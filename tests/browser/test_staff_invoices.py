"""Accounting in a browser (Debian's Chromium): a draft from bookings through the
preview, then issued, as an accountant does it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from invoicing.models import Invoice, InvoiceStatus
from tests.frontend.invoice_world import booking_on, books_open, days_ago
from tests.invoicing.conftest import EXTERNAL_ID

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-accounting-browser-123"


@pytest.fixture
def accountant(django_user_model):
    user = django_user_model.objects.create_user("laskuttaja", "l@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Accounting")[0])
    return user


def test_accountant_drafts_an_invoice_through_the_preview_and_issues_it(page, accountant):
    books = books_open()
    booking_on(
        books, days_ago(12), title="Vanhempainilta", extras=[{"code": "coffee", "quantity": 10}]
    )
    booking_on(books, days_ago(5), title="Hallituksen kokous")
    page.goto(reverse("frontend:staff-queue"))
    page.get_by_label("Username").fill("laskuttaja")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Staff workspace").get_by_role(
        "link", name="Invoices"
    ).click()
    page.get_by_role("link", name="New invoice from bookings").click()
    page.get_by_role("combobox", name="Customer").select_option(
        label=f"Turun Perhetyö ry ({EXTERNAL_ID})"
    )
    page.get_by_role("button", name="Show bookings").click()
    expect(page.get_by_role("checkbox", name=re.compile("Vanhempainilta"))).to_be_checked()
    page.get_by_role("checkbox", name=re.compile("Hallituksen kokous")).uncheck()
    page.get_by_role("button", name="Preview the invoice").click()

    expect(page.get_by_text("Nothing is saved yet.")).to_be_visible()
    lines = page.get_by_role("table", name="Lines")
    expect(lines.get_by_text("Kahvitarjoilu")).to_be_visible()
    assert not Invoice.objects.exists()
    page.get_by_role("button", name="Create the draft").click()

    expect(page.get_by_text("The draft invoice was created.")).to_be_visible()
    page.get_by_role("button", name="Issue the invoice").click()
    number = f"{timezone.localdate().year}-0001"
    expect(page.get_by_text(f"Invoice {number} was issued.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Invoice {number}", level=1)).to_be_visible()
    invoice = Invoice.objects.get()
    assert (invoice.status, invoice.number_text) == (InvoiceStatus.ISSUED, number)
    assert [b.title for b in invoice.bookings.all()] == ["Vanhempainilta"]
    expect(page.get_by_text(invoice.reference_text)).to_be_visible()
