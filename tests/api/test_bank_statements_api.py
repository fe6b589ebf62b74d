"""`/api/v1/bank-statements/` (SPEC §3.6): a file posted as multipart, its counts, the
statements read back with their entries, and an invoice's open amount and payments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from invoicing.models import BankEntry, BankStatement, Payment
from tests.api.test_invoices_api import Accounts, accounting_world
from tests.invoicing.bank_files import Entry, KtlPayment, camt054, ktl

pytestmark = pytest.mark.django_db

URL = "/api/v1/bank-statements/"


@pytest.fixture
def accounts(db) -> Accounts:
    return accounting_world()


@pytest.fixture
def accountant(accounting_user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(accounting_user)
    return client


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def upload(client, content: bytes, name: str = "camt054.xml"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_posting_a_camt054_file_pays_the_invoice_and_answers_the_counts(accountant, accounts):
    issued = accounts.issued
    content = camt054(
        [
            Entry(issued.total_gross, yesterday(), reference=issued.reference),
            Entry("12.00", yesterday(), reference="1232"),
            Entry("50.00", yesterday(), debit=True),
        ],
        version="08",
    )

    response = upload(accountant, content)

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "format", "entries", "matched", "unmatched", "duplicates"}
    assert {k: v for k, v in body.items() if k != "id"} == {
        "format": "camt.054.001.08",
        "entries": 3,
        "matched": 1,
        "unmatched": 1,
        "duplicates": 0,
    }
    invoice = accountant.get(f"/api/v1/invoices/{issued.pk}/").json()
    assert (invoice["state"], invoice["open_amount"]) == ("paid", "0.00")
    [payment] = invoice["payments"]
    assert payment["method"] == "statement"
    assert payment["bank_entry"] == BankEntry.objects.get(position=1).pk


def test_the_statement_detail_shows_each_entry_and_what_it_paid(accountant, accounts):
    issued = accounts.issued
    content = camt054(
        [
            Entry("10.00", yesterday(), reference=issued.reference),
            Entry("7.00", yesterday(), message="ei viitettä"),
        ]
    )
    statement_id = upload(accountant, content).json()["id"]

    body = accountant.get(f"{URL}{statement_id}/").json()

    assert (body["entries"], body["matched"], body["to_resolve"]) == (2, 0, 2)
    partial, unknown = body["bank_entries"]
    assert (partial["state"], partial["invoice_number"], partial["remainder"]) == (
        "partial",
        issued.number_text,
        "0.00",
    )
    assert partial["payments"] == [
        {
            "id": Payment.objects.get().pk,
            "invoice": issued.pk,
            "invoice_number": issued.number_text,
            "amount": "10.00",
        }
    ]
    assert (unknown["state"], unknown["message"], unknown["remainder"]) == (
        "unmatched",
        "ei viitettä",
        "7.00",
    )
    invoice = accountant.get(f"/api/v1/invoices/{issued.pk}/").json()
    assert invoice["open_amount"] == f"{issued.total_gross - 10:.2f}"


def test_the_same_file_twice_is_a_400_and_a_repeated_entry_a_duplicate(accountant, accounts):
    issued = accounts.issued
    payment = KtlPayment(issued.total_gross, yesterday(), issued.reference)
    assert upload(accountant, ktl([payment]), "viitteet.txt").status_code == 201

    again = upload(accountant, ktl([payment]), "viitteet.txt")
    assert again.status_code == 400
    assert again.json()["code"] == "invalid"
    assert "imported already" in again.json()["errors"]["file"][0]

    overlapping = upload(accountant, ktl([payment, KtlPayment("1.00", yesterday(), "1232")]))
    assert overlapping.json()["duplicates"] == 1
    assert Payment.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"<Document", "well-formed"),
        (b"\x89PNG\r\n", "not a bank statement"),
    ],
)
def test_a_broken_file_is_a_translated_400_that_changes_nothing(accounting_user, content, words):
    for language, marker in (("en", words), ("fi", None)):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        client.force_authenticate(accounting_user)
        response = upload(client, content)
        assert response.status_code == 400
        assert response.json()["errors"]["file"]
        if marker:
            assert marker in response.json()["errors"]["file"][0]
        else:  # Finnish: not the English text
            assert words not in response.json()["errors"]["file"][0]
    assert not BankStatement.objects.exists()


@override_settings(BANK_STATEMENT_MAX_BYTES=2048)
def test_an_oversized_upload_is_refused_before_it_is_read(accountant, accounts):
    content = camt054([Entry("1.00", yesterday()) for _ in range(10)])

    response = upload(accountant, content)

    assert response.status_code == 400
    assert "too large" in response.json()["errors"]["file"][0]
    assert not BankStatement.objects.exists()


def test_a_json_body_or_a_missing_file_is_refused(accountant, accounts):
    assert accountant.post(URL, {"file": "x"}, format="json").status_code == 415
    missing = accountant.post(URL, {}, format="multipart")
    assert missing.status_code == 400
    assert "file" in missing.json()["errors"]


def test_the_list_takes_the_same_queries_for_one_statement_or_many(accountant, accounts):
    upload(accountant, camt054([Entry("1.00", yesterday())]))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert accountant.get(URL).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(3):
        upload(accountant, camt054([Entry("1.00", yesterday()), Entry("2", yesterday())]))
    assert queries() == one
    listed = accountant.get(URL).json()["results"]
    assert [row["entries"] for row in listed] == [2, 2, 2, 1]


# --- Resolutions ---------------------------------------------------------------------------


def unresolved(client) -> list[dict]:
    return client.get("/api/v1/bank-entries/unresolved/").json()["results"]


def test_an_unknown_payment_is_assigned_to_an_invoice_through_the_api(accountant, accounts):
    issued = accounts.issued
    upload(accountant, camt054([Entry(issued.total_gross, yesterday(), message="vuokra")]))
    [entry] = unresolved(accountant)
    assert (entry["state"], entry["message"]) == ("unmatched", "vuokra")

    answer = accountant.post(
        f"/api/v1/bank-entries/{entry['id']}/assign/", {"invoice": issued.pk}, format="json"
    )

    assert answer.status_code == 200, answer.content
    assert (answer.json()["resolution"], answer.json()["remainder"]) == ("assigned", "0.00")
    assert unresolved(accountant) == []
    invoice = accountant.get(f"/api/v1/invoices/{issued.pk}/").json()
    assert (invoice["state"], invoice["open_amount"]) == ("paid", "0.00")


def test_refusals_of_resolutions_are_400s_that_change_nothing(accountant, accounts):
    upload(accountant, camt054([Entry("5.00", yesterday())]))
    [entry] = unresolved(accountant)
    base = f"/api/v1/bank-entries/{entry['id']}"

    no_note = accountant.post(f"{base}/ignore/", {"note": ""}, format="json")
    no_invoice = accountant.post(f"{base}/assign/", {"invoice": 999999}, format="json")
    draft = accountant.post(f"{base}/assign/", {"invoice": accounts.draft.pk}, format="json")
    unknown = accountant.post("/api/v1/bank-entries/999999/refund/", {"note": "x"}, format="json")

    assert [r.status_code for r in (no_note, no_invoice, draft, unknown)] == [400, 400, 400, 404]
    assert "note" in no_note.json()["errors"]
    assert "invoice" in no_invoice.json()["errors"]
    assert [e["id"] for e in unresolved(accountant)] == [entry["id"]]
    assert not Payment.objects.exists()
