"""Payment reminders over the API (SPEC §3.6): `POST invoices/{id}/reminder/` and the
reminder's PDF; an invoice not overdue is refused with a 400 and nothing recorded."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from invoicing.models import Reminder
from tests.api.test_invoices_api import accountant, accounts  # noqa: F401
from tests.api.test_permissions import overdue_of

pytestmark = pytest.mark.django_db


def test_reminder_of_an_overdue_invoice(accountant, accounts):  # noqa: F811
    pk = overdue_of(SimpleNamespace(accounts=accounts))

    response = accountant.post(f"/api/v1/invoices/{pk}/reminder/", {}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sequence"] == 1 and body["method"] == "email"
    assert body["fee"] == "5.00"
    assert float(body["total"]) == pytest.approx(
        float(body["open_amount"]) + float(body["interest"]) + 5.0
    )
    pdf = accountant.get(urlsplit(body["pdf_url"]).path)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    detail = accountant.get(f"/api/v1/invoices/{pk}/").json()
    assert [r["sequence"] for r in detail["reminders"]] == [1]
    assert [e["action"] for e in detail["events"]] == ["issued", "reminded"]


def test_reminder_of_an_invoice_not_yet_due_is_refused(accountant, accounts):  # noqa: F811
    response = accountant.post(
        f"/api/v1/invoices/{accounts.issued.pk}/reminder/", {}, format="json"
    )

    assert response.status_code == 400
    assert "not overdue" in str(response.json()["errors"])
    assert not Reminder.objects.exists()


def test_reminder_of_an_unknown_invoice_is_404(accountant, accounts):  # noqa: F811
    assert (
        accountant.post("/api/v1/invoices/999999/reminder/", {}, format="json").status_code == 404
    )
