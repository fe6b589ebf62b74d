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


def test_accountant_credits_one_line_of_an_invoice_on_an_accessible_page(page, accountant):
    from invoicing.services import invoice_create_draft, invoice_issue
    from tests.browser.conftest import axe_violations

    books = books_open()
    booking = booking_on(
        books, days_ago(12), title="Vanhempainilta", extras=[{"code": "coffee", "quantity": 10}]
    )
    draft = invoice_create_draft(bookings=[booking], actor=None)
    invoice = invoice_issue(invoice=draft, actor=None, issue_date=days_ago(10))
    coffee = invoice.lines.get(position=2)
    page.goto(reverse("frontend:staff-invoice-credit", args=[invoice.pk]))
    page.get_by_label("Username").fill("laskuttaja")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("table", name="Still to be credited, by VAT rate")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Reason for the credit").fill("Kahvit jäivät tarjoilematta")
    page.get_by_role("radio", name="These lines").check()
    page.get_by_role("checkbox", name=re.compile("^2: Kahvitarjoilu")).check()
    page.get_by_role("button", name="Issue the credit note").click()

    note = Invoice.objects.get(credited_invoice=invoice)
    expect(page.get_by_text(f"Credit note {note.number_text} was issued")).to_be_visible()
    assert note.total_gross == -coffee.gross
    page.goto(reverse("frontend:staff-invoice", args=[invoice.pk]))
    expect(page.get_by_text(re.compile("the rest is still owed"))).to_be_visible()
    expect(page.get_by_role("link", name="Credit…")).to_be_visible()
