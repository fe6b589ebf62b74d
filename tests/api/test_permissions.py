"""Who may call what (SPEC §2.10): every API operation against every role.

The matrix is data. Every operation in the OpenAPI schema must have a row, so an endpoint
added without deciding its permissions fails here. A renter is anyone holding a status
token: token endpoints answer them with their own token and everyone else with an unknown
one.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator

from bookings.models import Customer
from tests.invoicing.bank_files import Entry, camt054

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "renter", "staff", "accounting", "admin")


def everyone(code: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, code)


def staff_only(code: int) -> dict[str, int]:
    return {"anonymous": 401, "renter": 401, "staff": code, "accounting": 403, "admin": code}


def staff_and_accounting(code: int) -> dict[str, int]:
    return {"anonymous": 401, "renter": 401, "staff": code, "accounting": code, "admin": code}


def accounting_only(code: int) -> dict[str, int]:
    return {"anonymous": 401, "renter": 401, "staff": 403, "accounting": code, "admin": code}


TOKEN_HOLDER = {"anonymous": 404, "renter": 200, "staff": 404, "accounting": 404, "admin": 404}

Request = tuple[str, dict]  # path, JSON body


def booking_body(world) -> dict:
    return {
        "room": world.room.slug,
        "start": f"{world.day}T17:00:00",
        "end": f"{world.day}T18:00:00",
        "title": "Matrix",
        "attendees": 3,
        "organisation": "Testi ry",
        "contact_name": "Testi Henkilö",
        "email": "testi@example.org",
        "accept_terms": True,
    }


def quote_body(world) -> dict:
    return {
        "room": world.accounts.room.slug,
        "start": f"{world.day}T09:00:00",
        "end": f"{world.day}T11:00:00",
    }


def period(world) -> str:
    issued = world.accounts.issued.issue_date
    return f"?from={issued}&to={issued}"


def month_range(world) -> str:
    month = f"{world.accounts.issued.issue_date:%Y-%m}"
    return f"?from={month}&to={month}"


def draft_line_body(world) -> dict:
    return {
        "description": "Siivouslisä",
        "service_start": str(world.accounts.issued.issue_date),
        "quantity": "1",
        "unit": "pcs",
        "unit_price": "40.00",
        "vat_code": "exempt",
    }


def manual_line_position(world) -> int:
    from decimal import Decimal

    from invoicing.services import DraftLine, invoice_draft_line_add

    body = draft_line_body(world)
    line = DraftLine(
        description=body["description"],
        service_start=world.accounts.issued.issue_date,
        quantity=Decimal(1),
        unit="pcs",
        unit_price=Decimal(40),
        vat_code="exempt",
    )
    return invoice_draft_line_add(invoice=world.accounts.draft, actor=None, line=line).position


class Upload(bytes):
    """A body sent as the multipart field `file` instead of JSON."""


def bank_file(world) -> bytes:
    issued = world.accounts.issued
    return camt054([Entry("10.00", issued.issue_date, reference=issued.reference)])


def imported_statement(world) -> int:
    from invoicing.bank.services import bank_statement_import

    result = bank_statement_import(content=bank_file(world), file_name="a.xml", actor=None)
    return result.statement.pk


def entry_to_resolve(world) -> int:
    """An entry of a fresh statement whose reference names no invoice."""
    from invoicing.bank.services import bank_statement_import

    content = camt054([Entry("10.00", world.accounts.issued.issue_date, reference="1232")])
    result = bank_statement_import(content=content, file_name="b.xml", actor=None)
    return result.statement.entries.get().pk


def batch_of(world) -> int:
    """An e-invoice batch as sending e-invoices makes one."""
    from invoicing.models import EInvoiceBatch

    content = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    return EInvoiceBatch.objects.create(content=content, sha256="", invoice_count=0).pk


def overdue_of(world) -> int:
    """An invoice issued 40 days ago, overdue, with the reference rates it needs."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.utils import timezone

    from invoicing.models import ReferenceRate
    from invoicing.services import invoice_create_draft, invoice_issue
    from tests.api.test_invoices_api import booking_on

    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        for month in (1, 7):
            ReferenceRate.objects.get_or_create(
                valid_from=date(year, month, 1), defaults={"rate": Decimal("2.00")}
            )
    issued_on = today - timedelta(days=40)
    booking = booking_on(world.accounts.room, world.accounts.customer, issued_on, 18)
    draft = invoice_create_draft(bookings=[booking], actor=None)
    return invoice_issue(invoice=draft, actor=None, issue_date=issued_on).pk


def reminder_of(world) -> int:
    from invoicing.models import Invoice
    from invoicing.services import invoice_remind

    invoice = Invoice.objects.get(pk=overdue_of(world))
    return invoice_remind(invoice=invoice, actor=None).pk


def duplicate_of(world) -> dict:
    """A fresh duplicate of the request's customer, to merge into it."""
    customer = world.request.customer
    made = Customer.objects.create(
        organisation=customer.organisation, contact_name="Kim", email="kim@example.org"
    )
    return {"duplicates": [made.pk]}


def token_for(persona: str, world) -> str:
    return world.status_token if persona == "renter" else "unknown-token-" + "x" * 30


MATRIX: dict[tuple[str, str], tuple[Callable, dict[str, int]]] = {
    ("GET", "/api/v1/rooms/"): (lambda w, p: ("/api/v1/rooms/", {}), everyone(200)),
    ("GET", "/api/v1/rooms/{slug}/"): (
        lambda w, p: (f"/api/v1/rooms/{w.room.slug}/", {}),
        everyone(200),
    ),
    ("GET", "/api/v1/rooms/{slug}/availability/"): (
        lambda w, p: (f"/api/v1/rooms/{w.room.slug}/availability/", {}),
        everyone(200),
    ),
    ("POST", "/api/v1/booking-requests/"): (
        lambda w, p: ("/api/v1/booking-requests/", booking_body(w)),
        everyone(201),
    ),
    ("GET", "/api/v1/booking-requests/{token}/"): (
        lambda w, p: (f"/api/v1/booking-requests/{token_for(p, w)}/", {}),
        TOKEN_HOLDER,
    ),
    ("POST", "/api/v1/booking-requests/{token}/cancel/"): (
        lambda w, p: (f"/api/v1/booking-requests/{token_for(p, w)}/cancel/", {}),
        TOKEN_HOLDER,
    ),
    ("GET", "/api/v1/bookings/"): (
        lambda w, p: ("/api/v1/bookings/", {}),
        staff_and_accounting(200),
    ),
    ("POST", "/api/v1/bookings/"): (
        lambda w, p: (
            "/api/v1/bookings/",
            {k: v for k, v in booking_body(w).items() if k in ("room", "start", "end", "title")}
            | {"attendees": 2},
        ),
        staff_only(201),
    ),
    ("GET", "/api/v1/bookings/{id}/"): (
        lambda w, p: (f"/api/v1/bookings/{w.request.pk}/", {}),
        staff_and_accounting(200),
    ),
    ("PATCH", "/api/v1/bookings/{id}/"): (
        lambda w, p: (
            f"/api/v1/bookings/{w.request.pk}/",
            {"start": f"{w.day}T08:00:00", "end": f"{w.day}T09:00:00"},
        ),
        staff_only(200),
    ),
    ("POST", "/api/v1/bookings/{id}/approve/"): (
        lambda w, p: (f"/api/v1/bookings/{w.request.pk}/approve/", {}),
        staff_only(200),
    ),
    ("POST", "/api/v1/bookings/{id}/reject/"): (
        lambda w, p: (f"/api/v1/bookings/{w.request.pk}/reject/", {"reason": "Ei käy"}),
        staff_only(200),
    ),
    ("POST", "/api/v1/bookings/{id}/cancel/"): (
        lambda w, p: (f"/api/v1/bookings/{w.approved.pk}/cancel/", {}),
        staff_only(200),
    ),
    ("GET", "/api/v1/bookings/{id}/customer/"): (
        lambda w, p: (f"/api/v1/bookings/{w.request.pk}/customer/", {}),
        staff_only(200),
    ),
    ("POST", "/api/v1/bookings/{id}/customer/"): (
        lambda w, p: (f"/api/v1/bookings/{w.request.pk}/customer/", {"customer": "own"}),
        staff_only(200),
    ),
    ("GET", "/api/v1/closures/"): (lambda w, p: ("/api/v1/closures/", {}), staff_only(200)),
    ("POST", "/api/v1/closures/"): (
        lambda w, p: (
            "/api/v1/closures/",
            {
                "rooms": [w.room.slug],
                "start": f"{w.day}T19:00:00",
                "end": f"{w.day}T21:00:00",
                "reason": "cleaning",
            },
        ),
        staff_only(201),
    ),
    ("GET", "/api/v1/closures/{id}/"): (
        lambda w, p: (f"/api/v1/closures/{w.closure.pk}/", {}),
        staff_only(200),
    ),
    ("POST", "/api/v1/closures/{id}/remove/"): (
        lambda w, p: (f"/api/v1/closures/{w.closure.pk}/remove/", {}),
        staff_only(200),
    ),
    ("GET", "/api/v1/customers/"): (
        lambda w, p: ("/api/v1/customers/", {}),
        staff_and_accounting(200),
    ),
    ("GET", "/api/v1/customers/{id}/"): (
        lambda w, p: (f"/api/v1/customers/{w.request.customer_id}/", {}),
        staff_and_accounting(200),
    ),
    ("POST", "/api/v1/customers/{id}/merge/"): (
        lambda w, p: (f"/api/v1/customers/{w.request.customer_id}/merge/", duplicate_of(w)),
        accounting_only(200),
    ),
    ("POST", "/api/v1/quotes/"): (lambda w, p: ("/api/v1/quotes/", quote_body(w)), everyone(200)),
    ("GET", "/api/v1/reports/usage/"): (
        lambda w, p: (f"/api/v1/reports/usage/{month_range(w)}", {}),
        staff_and_accounting(200),
    ),
    ("GET", "/api/v1/reports/revenue/"): (
        lambda w, p: (f"/api/v1/reports/revenue/{month_range(w)}", {}),
        staff_and_accounting(200),
    ),
    ("GET", "/api/v1/invoices/"): (lambda w, p: ("/api/v1/invoices/", {}), accounting_only(200)),
    ("POST", "/api/v1/invoices/"): (
        lambda w, p: ("/api/v1/invoices/", {"bookings": [w.accounts.uninvoiced.pk]}),
        accounting_only(201),
    ),
    ("GET", "/api/v1/invoices/{id}/"): (
        lambda w, p: (f"/api/v1/invoices/{w.accounts.issued.pk}/", {}),
        accounting_only(200),
    ),
    ("POST", "/api/v1/invoices/{id}/issue/"): (
        lambda w, p: (f"/api/v1/invoices/{w.accounts.draft.pk}/issue/", {}),
        accounting_only(200),
    ),
    ("POST", "/api/v1/invoices/{id}/lines/"): (
        lambda w, p: (f"/api/v1/invoices/{w.accounts.draft.pk}/lines/", draft_line_body(w)),
        accounting_only(201),
    ),
    ("DELETE", "/api/v1/invoices/{id}/lines/{position}/"): (
        lambda w, p: (
            f"/api/v1/invoices/{w.accounts.draft.pk}/lines/{manual_line_position(w)}/",
            {},
        ),
        accounting_only(200),
    ),
    ("POST", "/api/v1/invoices/{id}/discounts/"): (
        lambda w, p: (f"/api/v1/invoices/{w.accounts.draft.pk}/discounts/", {"percent": "10"}),
        accounting_only(201),
    ),
    ("GET", "/api/v1/invoices/{id}/pdf/"): (
        lambda w, p: (f"/api/v1/invoices/{w.accounts.issued.pk}/pdf/", {}),
        accounting_only(200),
    ),
    ("POST", "/api/v1/invoices/{id}/credit/"): (
        lambda w, p: (f"/api/v1/invoices/{w.accounts.issued.pk}/credit/", {"reason": "Virhe"}),
        accounting_only(201),
    ),
    ("POST", "/api/v1/invoices/{id}/payments/"): (
        lambda w, p: (
            f"/api/v1/invoices/{w.accounts.issued.pk}/payments/",
            {"amount": "10.00", "date": str(w.accounts.issued.issue_date)},
        ),
        accounting_only(201),
    ),
    ("GET", "/api/v1/invoices/export.csv"): (
        lambda w, p: (f"/api/v1/invoices/export.csv{period(w)}", {}),
        accounting_only(200),
    ),
    ("GET", "/api/v1/invoices/archive.zip"): (
        lambda w, p: (f"/api/v1/invoices/archive.zip{period(w)}", {}),
        accounting_only(200),
    ),
    ("GET", "/api/v1/bank-statements/"): (
        lambda w, p: ("/api/v1/bank-statements/", {}),
        accounting_only(200),
    ),
    ("POST", "/api/v1/bank-statements/"): (
        lambda w, p: ("/api/v1/bank-statements/", Upload(bank_file(w))),
        accounting_only(201),
    ),
    ("GET", "/api/v1/bank-statements/{id}/"): (
        lambda w, p: (f"/api/v1/bank-statements/{imported_statement(w)}/", {}),
        accounting_only(200),
    ),
    ("GET", "/api/v1/bank-entries/unresolved/"): (
        lambda w, p: ("/api/v1/bank-entries/unresolved/", {}),
        accounting_only(200),
    ),
    ("POST", "/api/v1/bank-entries/{id}/assign/"): (
        lambda w, p: (
            f"/api/v1/bank-entries/{entry_to_resolve(w)}/assign/",
            {"invoice": w.accounts.issued.pk},
        ),
        accounting_only(200),
    ),
    ("POST", "/api/v1/bank-entries/{id}/refund/"): (
        lambda w, p: (f"/api/v1/bank-entries/{entry_to_resolve(w)}/refund/", {"note": "Pois"}),
        accounting_only(200),
    ),
    ("POST", "/api/v1/bank-entries/{id}/ignore/"): (
        lambda w, p: (f"/api/v1/bank-entries/{entry_to_resolve(w)}/ignore/", {"note": "Testi"}),
        accounting_only(200),
    ),
    ("GET", "/api/v1/invoices/{id}/finvoice.xml"): (
        lambda w, p: (f"/api/v1/invoices/{w.accounts.issued.pk}/finvoice.xml", {}),
        accounting_only(200),
    ),
    ("POST", "/api/v1/invoices/{id}/send/"): (
        lambda w, p: (f"/api/v1/invoices/{w.accounts.issued.pk}/send/", {}),
        accounting_only(200),
    ),
    ("POST", "/api/v1/invoices/{id}/reminder/"): (
        lambda w, p: (f"/api/v1/invoices/{overdue_of(w)}/reminder/", {}),
        accounting_only(201),
    ),
    ("GET", "/api/v1/reminders/{id}/pdf/"): (
        lambda w, p: (f"/api/v1/reminders/{reminder_of(w)}/pdf/", {}),
        accounting_only(200),
    ),
    ("POST", "/api/v1/invoices/send/"): (
        lambda w, p: ("/api/v1/invoices/send/", {"invoices": [w.accounts.issued.pk]}),
        accounting_only(200),
    ),
    ("GET", "/api/v1/e-invoice-batches/{id}/file.xml"): (
        lambda w, p: (f"/api/v1/e-invoice-batches/{batch_of(w)}/file.xml", {}),
        accounting_only(200),
    ),
    ("GET", "/api/v1/invoices/finvoice.xml"): (
        lambda w, p: (f"/api/v1/invoices/finvoice.xml{period(w)}", {}),
        accounting_only(200),
    ),
}


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if path.startswith("/api/v1/")
    }


def test_every_api_operation_has_a_row_in_the_matrix():
    assert schema_operations() == set(MATRIX)


@pytest.fixture
def world_with_closure(world, staff_user):
    from bookings.models import ClosureReason
    from bookings.services import closure_create
    from tests.api.test_invoices_api import accounting_world
    from tests.factories import at

    world.closure = closure_create(
        actor=staff_user,
        start=at(world.day, 6),
        end=at(world.day, 7),
        reason=ClosureReason.CLEANING,
        rooms=[world.room],
    )
    # An issued invoice, a draft and an approved booking not yet invoiced, on a priced room.
    world.accounts = accounting_world(world.room)
    return world


CELLS = [(method, path, persona) for (method, path) in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("method", "path", "persona"), CELLS)
def test_role_gets_the_answer_the_matrix_says(
    as_persona, world_with_closure, method, path, persona
):
    build, expected = MATRIX[(method, path)]
    url, body = build(world_with_closure, persona)
    client = as_persona(persona)

    if isinstance(body, Upload):
        upload = SimpleUploadedFile("statement.xml", bytes(body))
        response = client.post(url, {"file": upload}, format="multipart")
    else:
        payload = json.dumps(body) if body else ""
        response = client.generic(method, url, data=payload, content_type="application/json")

    assert response.status_code == expected[persona], response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()) >= {"code", "message"}
    elif "/pdf/" in url or url.startswith("/api/v1/invoices/archive"):  # reminders' too
        assert response.content[:4] in (b"%PDF", b"PK\x03\x04")
    elif "finvoice.xml" in url or "file.xml" in url:
        assert response.content.startswith(b"<?xml")
