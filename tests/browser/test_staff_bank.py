"""Bank statements in a browser (Debian's Chromium): an accountant imports a camt.054
file, sees what it paid, and resolves the payment whose reference named no invoice; each
page has no serious or critical accessibility violation (axe-core)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from invoicing.bank.services import bank_statement_import
from invoicing.models import BankEntry, Resolution
from invoicing.selectors import BalanceState, invoice_balance, invoices_with_balance
from tests.browser.conftest import axe_violations
from tests.frontend.invoice_world import books_open, days_ago, issued_on
from tests.invoicing.bank_files import Entry, camt054

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-accounting-bank-123"


@pytest.fixture
def accountant(django_user_model):
    user = django_user_model.objects.create_user("kirjanpitaja", "k@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Accounting")[0])
    return user


def log_in(page) -> None:
    page.goto(reverse("frontend:staff-queue"))
    page.get_by_label("Username").fill("kirjanpitaja")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def state_of(invoice) -> str:
    row = invoices_with_balance().get(pk=invoice.pk)
    return invoice_balance(row, paid=row.paid, credited=row.credited).state


def test_accountant_imports_a_statement_and_resolves_the_unknown_payment(page, accountant):
    books = books_open()
    paid, later = issued_on(books, days_ago(20)), issued_on(books, days_ago(10))
    content = camt054(
        [
            Entry("90.00", days_ago(2), reference=paid.reference, payer="Turun Perhetyö"),
            Entry("90.00", days_ago(1), message="lasku lokakuu", payer="Lastensuojelu"),
        ]
    )
    log_in(page)

    page.get_by_role("navigation", name="Staff workspace").get_by_role(
        "link", name="Invoices"
    ).click()
    page.get_by_role("link", name="Bank statements").click()
    assert axe_violations(page) == []
    page.get_by_label("Bank statement file").set_input_files(
        {"name": "tiliote.xml", "mimeType": "application/xml", "buffer": content}
    )
    page.get_by_role("button", name="Import the statement").click()

    expect(
        page.get_by_text("Statement imported: 2 new entries, 1 paid their invoice")
    ).to_be_visible()
    entries = page.get_by_role("table", name="Entries of the statement and what they paid")
    expect(entries.get_by_role("link", name=paid.number_text)).to_be_visible()
    expect(entries.get_by_text("No reference number.")).to_be_visible()
    assert axe_violations(page) == []
    assert state_of(paid) == BalanceState.PAID

    page.get_by_role("link", name="1 entry of this statement to resolve").click()
    expect(page.get_by_text("lasku lokakuu")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Invoice number or reference").fill(later.reference_text)
    page.get_by_role("button", name="Assign to the invoice").click()

    expect(page.get_by_text(f"recorded on invoice {later.number_text}.")).to_be_visible()
    expect(page.get_by_text("Nothing to resolve: every payment found its invoice.")).to_be_visible()
    assert state_of(later) == BalanceState.PAID
    assert BankEntry.objects.get(position=2).resolution == Resolution.ASSIGNED


def test_accountant_marks_an_over_payment_refunded(page, accountant):
    books = books_open()
    invoice = issued_on(books, days_ago(20))
    bank_statement_import(
        content=camt054([Entry("100.00", days_ago(1), reference=invoice.reference)]),
        file_name="tiliote.xml",
        actor=None,
    )
    log_in(page)
    page.goto(reverse("frontend:staff-bank-unresolved"))
    expect(
        page.get_by_text(f"10.00 € more than invoice {invoice.number_text} owed.")
    ).to_be_visible()

    page.get_by_role("button", name="Mark refunded").click()  # the note is required
    assert BankEntry.objects.get().resolution == ""
    page.get_by_label("Refund note").fill("Palautettu 10 € maksajan tilille")
    page.get_by_role("button", name="Mark refunded").click()

    expect(page.get_by_text("marked refunded.")).to_be_visible()
    assert axe_violations(page) == []
    entry = BankEntry.objects.get()
    assert (entry.resolution, entry.resolved_by) == (Resolution.REFUNDED, accountant)
