"""Sending and reminding in a browser (Debian's Chromium): an accountant sends the
chosen invoices from the list and a payment reminder from the overdue list; the pages
have no serious or critical axe-core violations."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from invoicing.models import InvoiceSending
from tests.browser.conftest import axe_violations
from tests.frontend.invoice_world import books_open, days_ago, issued_on, overdue_on

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-accounting-browser-456"


@pytest.fixture
def accountant(django_user_model):
    user = django_user_model.objects.create_user("lahettaja", "s@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Accounting")[0])
    return user


def log_in(page) -> None:
    page.goto(reverse("frontend:staff-invoices"))
    page.get_by_label("Username").fill("lahettaja")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_accountant_sends_the_chosen_invoice_and_reminds_of_an_overdue_one(page, accountant):
    books = books_open()
    fresh = issued_on(books, days_ago(3))
    overdue = overdue_on(books, days_ago(40), customer=books.other)
    log_in(page)
    expect(page.get_by_role("heading", name="Invoices", level=1)).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("checkbox", name=f"Send {fresh.number_text}").check()
    page.get_by_role("button", name="Send the chosen invoices").click()

    expect(page.get_by_text("1 invoices were sent.")).to_be_visible()
    (sending,) = InvoiceSending.objects.all()
    assert (sending.invoice_id, sending.method) == (fresh.pk, "email")
    assert [message.to for message in mail.outbox] == [[books.customer.email]]

    page.get_by_role("navigation", name="Invoicing").get_by_role("link", name="Overdue").click()
    page.get_by_role("button", name=f"Send a reminder of {overdue.number_text}").click()

    expect(page.get_by_text(re.compile(r"Payment reminder 1 of invoice"))).to_be_visible()
    assert overdue.reminders.count() == 1
    assert axe_violations(page) == []
    page.get_by_role("link", name=overdue.number_text).click()
    expect(page.get_by_role("link", name="Reminder 1 (PDF)")).to_be_visible()
    trail = page.get_by_role("table", name="What was done with this invoice, by whom and when")
    expect(trail.get_by_text("Payment reminder")).to_be_visible()
    expect(trail.get_by_text("lahettaja").first).to_be_visible()
    assert axe_violations(page) == []
