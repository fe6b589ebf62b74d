"""The invoicing admin: drafts from bookings, issue and credit through the services,
issued invoices read-only and undeletable, seller settings validated, payments recorded,
and the stored PDF downloaded byte for byte."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from invoicing.models import Invoice, InvoiceKind, InvoiceStatus, Payment, SellerSettings
from invoicing.services import invoice_create_draft
from tests.invoicing.builders import approved_booking, helsinki, issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(hall, invoicing_ready, customer):
    return approved_booking(hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 11), customer)


@pytest.fixture
def invoice(booking):
    return issued([booking], issue_date=date(2026, 3, 11))


def changelist() -> str:
    return reverse("admin:invoicing_invoice_changelist")


def test_a_draft_is_made_from_a_customers_bookings_in_a_period(admin_client, booking, customer):
    response = admin_client.post(
        reverse("admin:invoicing_invoice_add"),
        {"customer": customer.pk, "first_day": "2026-03-01", "last_day": "2026-03-31"},
    )

    draft = Invoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:invoicing_invoice_change", args=[draft.pk])
    assert (draft.status, draft.total_gross) == (InvoiceStatus.DRAFT, Decimal("90.00"))


def test_a_refused_draft_shows_the_reason_and_writes_nothing(admin_client, invoice, booking):
    response = admin_client.post(
        reverse("admin:invoicing_invoice_add"),
        {"customer": booking.customer_id, "bookings": [booking.pk]},
    )

    assert response.status_code == 200
    assert invoice.number_text in response.content.decode()
    assert Invoice.objects.count() == 1


def test_issue_action_numbers_drafts(admin_client, booking):
    draft = invoice_create_draft(bookings=[booking], actor=None)

    admin_client.post(changelist(), {"action": "issue_selected", ACTION_CHECKBOX_NAME: [draft.pk]})

    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.ISSUED and draft.number == 1


def test_credit_action_asks_for_a_reason_then_issues_a_credit_note(admin_client, invoice):
    data = {"action": "credit_selected", ACTION_CHECKBOX_NAME: [invoice.pk]}

    page = admin_client.post(changelist(), data)
    assert page.status_code == 200 and not Invoice.objects.filter(kind="credit").exists()
    assert str(invoice) in page.content.decode()
    assert f'name="{ACTION_CHECKBOX_NAME}" value="{invoice.pk}"' in page.content.decode()

    admin_client.post(changelist(), {**data, "confirm": "yes", "reason": "Peruttu"})

    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert (note.credited_invoice, note.credit_reason) == (invoice, "Peruttu")


def test_an_issued_invoice_is_read_only_and_cannot_be_deleted(admin_client, invoice):
    change = reverse("admin:invoicing_invoice_change", args=[invoice.pk])
    delete = reverse("admin:invoicing_invoice_delete", args=[invoice.pk])

    page = admin_client.get(change)
    posted = admin_client.post(change, {"buyer_name": "Joku muu"})
    deleted = admin_client.post(delete, {"post": "yes"})
    listing = admin_client.get(changelist())

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert posted.status_code == 403
    assert deleted.status_code == 403
    assert "delete_selected" not in listing.content.decode()
    invoice.refresh_from_db()
    assert invoice.buyer_name == "Turun Perhetyö ry"


def test_the_pdf_downloaded_twice_is_the_stored_bytes(admin_client, invoice):
    url = reverse("admin:invoicing_invoice_pdf", args=[invoice.pk])

    first, second = admin_client.get(url), admin_client.get(url)

    assert first["Content-Type"] == "application/pdf"
    assert 'filename="2026-0001.pdf"' in first["Content-Disposition"]
    assert first.content == second.content == bytes(invoice.pdf.content)
    assert hashlib.sha256(first.content).hexdigest() == invoice.pdf.sha256


def test_people_without_invoice_rights_cannot_download(client, django_user_model, invoice):
    clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    client.force_login(clerk)

    response = client.get(reverse("admin:invoicing_invoice_pdf", args=[invoice.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [("iban", "FI37 1590 3000 0007 77"), ("business_id", "2331972-8"), ("bic", "NDEAFIH")],
)
def test_seller_settings_refuse_a_failing_checksum(admin_client, seller, field, value):
    url = reverse("admin:invoicing_sellersettings_change", args=[seller.pk])
    data = {
        "name": seller.name,
        "address": seller.address,
        "business_id": seller.business_id,
        "iban": seller.iban,
        "bic": seller.bic,
        "vat_registered": "on",
        "payment_term_days": 14,
        "invoice_languages": ["fi", "sv", "en"],
        "reference_form": "finnish",
        field: value,
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert getattr(SellerSettings.objects.get(), field) == getattr(seller, field)


def test_a_payment_is_recorded_through_the_service(admin_client, invoice):
    response = admin_client.post(
        reverse("admin:invoicing_payment_add"),
        {
            "invoice": invoice.pk,
            "amount": "40.00",
            "paid_on": "2026-03-20",
            "note": "tiliote",
            "payments_seen": 0,
        },
    )

    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.method, payment.recorded_by.username) == (
        40,
        "manual",
        "admin",
    )


def test_a_refused_payment_is_shown_on_the_form(admin_client, invoice):
    response = admin_client.post(
        reverse("admin:invoicing_payment_add"),
        {"invoice": invoice.pk, "amount": "-5", "paid_on": "2026-03-20", "payments_seen": 0},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount"]
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "name", ["pricelist", "extra", "vatrate", "sellersettings", "invoice", "payment"]
)
def test_admin_pages_open(admin_client, seller, name):
    response = admin_client.get(reverse(f"admin:invoicing_{name}_changelist"), follow=True)

    assert response.status_code == 200
