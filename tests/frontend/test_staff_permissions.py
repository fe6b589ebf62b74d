"""Who may open which staff page (SPEC §2.10): every staff page against every role.

The matrix is data, like tests/api/test_permissions.py: every URL pattern under /staff/
must have a row, so a page added without deciding its permissions fails here. A renter
is anyone holding a status token: they have no account, so the workspace treats them
as anonymous (the status link opens nothing under /staff/). "Unroled" is a staff account
given every model permission the roles hold, but no role: it opens nothing, here or in
the Django admin, whose pages have rows of their own (ADMIN_MATRIX).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bookings.feeds import feed_token_create
from bookings.models import Booking, BookingSeries, Closure, ClosureReason, Customer
from bookings.roles import ROLE_PERMISSIONS
from bookings.services import closure_create
from frontend.urls_staff import urlpatterns
from invoicing.models import BankEntry, EInvoiceBatch, Invoice
from invoicing.services import DRAFT_BUYER_FIELDS, invoice_create_draft, invoice_remind
from tests.factories import at, working_day
from tests.frontend.invoice_world import (
    Books,
    booking_on,
    books_open,
    days_ago,
    issued_on,
    overdue_on,
)
from tests.frontend.staff_world import request_for
from tests.invoicing.bank_files import Entry, camt054

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "renter", "unroled", "accounting", "staff", "admin")
LOGIN = "login"  # a redirect to the staff login page
ADMIN_LOGIN = "admin login"  # a redirect to the admin's login page


@dataclass
class World:
    booking: Booking
    closure: Closure
    staff_user: object
    accounting_user: object
    admin_user: object
    unroled_user: object
    books: Books
    issued: Invoice
    draft: Invoice
    uninvoiced: Booking


def answers(staff: object, accounting: object, *, login: str = LOGIN) -> dict[str, object]:
    """The answer per persona: no account is sent to log in, no role is refused."""
    return {
        "anonymous": login,
        "renter": login,
        "unroled": 403,
        "accounting": accounting,
        "staff": staff,
        "admin": staff if staff != 403 else accounting,
    }


def staff_only(code: int) -> dict[str, object]:
    return answers(code, 403)


def readers(code: int) -> dict[str, object]:
    return answers(code, code)


def accounting_only(code: int) -> dict[str, object]:
    return answers(403, code)


def merge_pair(world: World) -> dict[str, object]:
    """A fresh duplicate of the world's customer, and the choice to merge it into it."""
    duplicate = Customer.objects.create(
        organisation=world.books.customer.organisation, contact_name="Kim", email="k@example.org"
    )
    kept = world.books.customer.pk
    return {"customers": [kept, duplicate.pk], "keep": kept}


def draft_choice(world: World) -> dict[str, object]:
    return {"customer": world.books.customer.pk, "bookings": [world.uninvoiced.pk]}


LINE_FORM = {
    "description": "Siivouslisä",
    "service_start": "2026-03-10",
    "quantity": "1",
    "unit": "pcs",
    "unit_price": "40,00",
    "vat_code": "exempt",
}


def manual_line(world: World) -> int:
    from datetime import date
    from decimal import Decimal

    from invoicing.services import DraftLine, invoice_draft_line_add

    line = DraftLine(
        description="Siivouslisä",
        service_start=date(2026, 3, 10),
        quantity=Decimal(1),
        unit="pcs",
        unit_price=Decimal(40),
        vat_code="exempt",
    )
    return invoice_draft_line_add(invoice=world.draft, actor=None, line=line).position


def payment_data(world: World) -> dict[str, object]:
    seen = world.issued.payments.count()
    return {"amount": "10,00", "paid_on": days_ago(1).isoformat(), "payments_seen": seen}


def bank_file(world: World) -> dict[str, object]:
    content = camt054([Entry("10.00", days_ago(1), reference=world.issued.reference)])
    return {"file": SimpleUploadedFile("statement.xml", content)}


def imported_entry(world: World, reference: str = "") -> BankEntry:
    """An entry of a freshly imported statement, one to resolve unless it pays."""
    from invoicing.bank.services import bank_statement_import

    content = camt054([Entry("10.00", days_ago(1), reference=reference)])
    statement = bank_statement_import(content=content, file_name="a.xml", actor=None).statement
    return statement.entries.get()


def own_feed(world: World, persona: str) -> int:
    """A feed token of the persona's own (404 for another person's token)."""
    user = {"staff": world.staff_user, "admin": world.admin_user}.get(
        persona, world.accounting_user
    )
    return feed_token_create(user=user, name="puhelin").feed_token.pk


def series_request(world: World) -> BookingSeries:
    from bookings.recurrence import Recurrence
    from bookings.services import booking_series_request_create
    from tests.factories import renter

    day = working_day(days_ahead=30, repeats=2)
    made = booking_series_request_create(
        room=world.booking.room, start=at(day, 8), end=at(day, 9),
        recurrence=Recurrence(count=2), title="Sarja", attendees=2, renter=renter(),
        accept_terms=True,
    )  # fmt: skip
    return made.series


def emergency_closure(world: World) -> dict[str, object]:
    """A closure over a fresh approved booking, with that booking confirmed to cancel."""
    from bookings.services import booking_staff_create

    day = working_day(days_ahead=40)
    booking = booking_staff_create(
        actor=None, room=world.booking.room, start=at(day, 9), end=at(day, 10),
        title="Tieltä", attendees=1,
    )  # fmt: skip
    return {
        "rooms": [world.booking.room.pk],
        "start_day": day.isoformat(),
        "start_time": "08:00",
        "end_day": day.isoformat(),
        "end_time": "12:00",
        "reason": ClosureReason.OTHER,
        "note": "Vesivahinko",
        "cancel_ids": str(booking.pk),
    }


Page = tuple[str, Callable[[World, str], tuple[str, dict]], dict[str, object]]

# (url name, how to build the request for a persona, the answer per persona).
# A POST row sends a valid form; 302 means it was done and answered with a redirect.
MATRIX: dict[tuple[str, str], Page] = {
    ("GET", "staff-login"): (
        lambda w, p: (reverse("frontend:staff-login"), {}),
        dict.fromkeys(PERSONAS, 200),
    ),
    ("POST", "staff-logout"): (
        lambda w, p: (reverse("frontend:staff-logout"), {}),
        dict.fromkeys(PERSONAS, 302),
    ),
    ("GET", "staff-queue"): (lambda w, p: (reverse("frontend:staff-queue"), {}), readers(200)),
    ("GET", "staff-booking"): (
        lambda w, p: (reverse("frontend:staff-booking", args=[w.booking.pk]), {}),
        readers(200),
    ),
    ("GET", "staff-approve"): (
        lambda w, p: (reverse("frontend:staff-approve", args=[w.booking.pk]), {}),
        staff_only(200),
    ),
    ("POST", "staff-approve"): (
        lambda w, p: (
            reverse("frontend:staff-approve", args=[w.booking.pk]),
            {"sequence": w.booking.sequence},
        ),
        staff_only(302),
    ),
    ("POST", "staff-customer"): (
        lambda w, p: (
            reverse("frontend:staff-customer", args=[w.booking.pk]),
            {"customer": "own"},
        ),
        staff_only(302),
    ),
    ("GET", "staff-reject"): (
        lambda w, p: (reverse("frontend:staff-reject", args=[w.booking.pk]), {}),
        staff_only(200),
    ),
    ("POST", "staff-reject"): (
        lambda w, p: (
            reverse("frontend:staff-reject", args=[w.booking.pk]),
            {"sequence": w.booking.sequence, "message": "Täynnä."},
        ),
        staff_only(302),
    ),
    ("GET", "staff-cancel"): (
        lambda w, p: (reverse("frontend:staff-cancel", args=[w.booking.pk]), {}),
        staff_only(200),
    ),
    ("POST", "staff-cancel"): (
        lambda w, p: (
            reverse("frontend:staff-cancel", args=[w.booking.pk]),
            {"sequence": w.booking.sequence, "reason": "Peruttu.", "scope": "one"},
        ),
        staff_only(302),
    ),
    ("GET", "staff-move"): (
        lambda w, p: (reverse("frontend:staff-move", args=[w.booking.pk]), {}),
        staff_only(200),
    ),
    ("GET", "staff-series-approve"): (
        lambda w, p: (reverse("frontend:staff-series-approve", args=[1]), {}),
        dict.fromkeys(PERSONAS, 405),
    ),
    ("GET", "staff-series-reject"): (
        lambda w, p: (reverse("frontend:staff-series-reject", args=[1]), {}),
        dict.fromkeys(PERSONAS, 405),
    ),
    ("POST", "staff-series-reject"): (
        lambda w, p: (
            reverse("frontend:staff-series-reject", args=[series_request(w).pk]),
            {"message": "Ei käy.", "back": "queue"},
        ),
        staff_only(302),
    ),
    ("GET", "staff-calendar-week"): (
        lambda w, p: (reverse("frontend:staff-calendar-week"), {}),
        readers(200),
    ),
    ("GET", "staff-calendar-day"): (
        lambda w, p: (reverse("frontend:staff-calendar-day"), {}),
        readers(200),
    ),
    ("GET", "staff-booking-new"): (
        lambda w, p: (reverse("frontend:staff-booking-new"), {}),
        staff_only(200),
    ),
    ("GET", "staff-closures"): (
        lambda w, p: (reverse("frontend:staff-closures"), {}),
        staff_only(200),
    ),
    # The emergency closure's confirmation: it cancels the listed booking.
    ("POST", "staff-closures"): (
        lambda w, p: (reverse("frontend:staff-closures"), emergency_closure(w)),
        staff_only(302),
    ),
    ("POST", "staff-closure-remove"): (
        lambda w, p: (reverse("frontend:staff-closure-remove", args=[w.closure.pk]), {}),
        staff_only(302),
    ),
    ("GET", "staff-feeds"): (lambda w, p: (reverse("frontend:staff-feeds"), {}), readers(200)),
    ("POST", "staff-feeds"): (
        lambda w, p: (reverse("frontend:staff-feeds"), {"name": "kalenteri"}),
        readers(200),
    ),
    ("POST", "staff-feed-rotate"): (
        lambda w, p: (reverse("frontend:staff-feed-rotate", args=[own_feed(w, p)]), {}),
        readers(200),
    ),
    ("POST", "staff-feed-revoke"): (
        lambda w, p: (reverse("frontend:staff-feed-revoke", args=[own_feed(w, p)]), {}),
        readers(302),
    ),
    ("GET", "staff-reports"): (lambda w, p: (reverse("frontend:staff-reports"), {}), readers(200)),
    # Accounting: invoices, payments and files, for accounting and administrators only.
    ("GET", "staff-invoices"): (
        lambda w, p: (reverse("frontend:staff-invoices"), {}),
        accounting_only(200),
    ),
    ("GET", "staff-invoices-ready"): (
        lambda w, p: (reverse("frontend:staff-invoices-ready"), {}),
        accounting_only(200),
    ),
    ("POST", "staff-invoices-ready"): (
        lambda w, p: (reverse("frontend:staff-invoices-ready"), {"bookings": [w.uninvoiced.pk]}),
        accounting_only(302),
    ),
    ("GET", "staff-customers"): (
        lambda w, p: (reverse("frontend:staff-customers"), {}),
        accounting_only(200),
    ),
    ("GET", "staff-customer-page"): (
        lambda w, p: (reverse("frontend:staff-customer-page", args=[w.books.customer.pk]), {}),
        accounting_only(200),
    ),
    ("POST", "staff-customer-page"): (
        lambda w, p: (
            reverse("frontend:staff-customer-page", args=[w.books.customer.pk]),
            {"other": w.books.other.pk},
        ),
        accounting_only(302),
    ),
    ("GET", "staff-customers-merge"): (
        lambda w, p: (reverse("frontend:staff-customers-merge"), {}),
        accounting_only(302),
    ),
    ("POST", "staff-customers-merge"): (
        lambda w, p: (reverse("frontend:staff-customers-merge"), merge_pair(w)),
        accounting_only(302),
    ),
    ("GET", "staff-invoice-new"): (
        lambda w, p: (reverse("frontend:staff-invoice-new"), {}),
        accounting_only(200),
    ),
    ("POST", "staff-invoice-new"): (
        lambda w, p: (reverse("frontend:staff-invoice-new"), draft_choice(w)),
        accounting_only(200),
    ),
    ("POST", "staff-invoice-create"): (
        lambda w, p: (reverse("frontend:staff-invoice-create"), draft_choice(w)),
        accounting_only(302),
    ),
    ("GET", "staff-invoice-export"): (
        lambda w, p: (reverse("frontend:staff-invoice-export"), {}),
        accounting_only(200),
    ),
    ("GET", "staff-payment-by-reference"): (
        lambda w, p: (reverse("frontend:staff-payment-by-reference"), {}),
        accounting_only(200),
    ),
    ("POST", "staff-payment-by-reference"): (
        lambda w, p: (
            reverse("frontend:staff-payment-by-reference"),
            {**payment_data(w), "reference": w.issued.reference},
        ),
        accounting_only(302),
    ),
    ("GET", "staff-invoice"): (
        lambda w, p: (reverse("frontend:staff-invoice", args=[w.issued.pk]), {}),
        accounting_only(200),
    ),
    ("POST", "staff-invoice-issue"): (
        lambda w, p: (reverse("frontend:staff-invoice-issue", args=[w.draft.pk]), {}),
        accounting_only(302),
    ),
    ("POST", "staff-invoice-delete"): (
        lambda w, p: (reverse("frontend:staff-invoice-delete", args=[w.draft.pk]), {}),
        accounting_only(302),
    ),
    ("GET", "staff-invoice-credit"): (
        lambda w, p: (reverse("frontend:staff-invoice-credit", args=[w.issued.pk]), {}),
        accounting_only(200),
    ),
    ("POST", "staff-invoice-credit"): (
        lambda w, p: (
            reverse("frontend:staff-invoice-credit", args=[w.issued.pk]),
            {"reason": "Väärä asiakas"},
        ),
        accounting_only(302),
    ),
    ("POST", "staff-invoice-line-add"): (
        lambda w, p: (reverse("frontend:staff-invoice-line-add", args=[w.draft.pk]), LINE_FORM),
        accounting_only(302),
    ),
    ("POST", "staff-invoice-discount-add"): (
        lambda w, p: (
            reverse("frontend:staff-invoice-discount-add", args=[w.draft.pk]),
            {"basis": "draft", "percent": "10"},
        ),
        accounting_only(302),
    ),
    ("POST", "staff-invoice-line-remove"): (
        lambda w, p: (
            reverse("frontend:staff-invoice-line-remove", args=[w.draft.pk, manual_line(w)]),
            {},
        ),
        accounting_only(302),
    ),
    ("POST", "staff-invoice-payment"): (
        lambda w, p: (
            reverse("frontend:staff-invoice-payment", args=[w.issued.pk]),
            payment_data(w),
        ),
        accounting_only(302),
    ),
    ("GET", "staff-bank-statements"): (
        lambda w, p: (reverse("frontend:staff-bank-statements"), {}),
        accounting_only(200),
    ),
    ("POST", "staff-bank-statements"): (
        lambda w, p: (reverse("frontend:staff-bank-statements"), bank_file(w)),
        accounting_only(302),
    ),
    ("GET", "staff-bank-statement"): (
        lambda w, p: (
            reverse("frontend:staff-bank-statement", args=[imported_entry(w).statement_id]),
            {},
        ),
        accounting_only(200),
    ),
    ("GET", "staff-bank-unresolved"): (
        lambda w, p: (reverse("frontend:staff-bank-unresolved"), {}),
        accounting_only(200),
    ),
    ("POST", "staff-bank-resolve"): (
        lambda w, p: (
            reverse("frontend:staff-bank-resolve", args=[imported_entry(w).pk]),
            {"action": "ignore", "note": "Testimaksu"},
        ),
        accounting_only(302),
    ),
    ("GET", "staff-invoice-pdf"): (
        lambda w, p: (reverse("frontend:staff-invoice-pdf", args=[w.issued.pk]), {}),
        accounting_only(200),
    ),
    ("POST", "staff-invoice-send"): (
        lambda w, p: (reverse("frontend:staff-invoice-send", args=[w.issued.pk]), {}),
        accounting_only(302),
    ),
    ("POST", "staff-invoice-delivery"): (
        lambda w, p: (
            reverse("frontend:staff-invoice-delivery", args=[w.draft.pk]),
            {"delivery_method": "paper"},
        ),
        accounting_only(302),
    ),
    ("POST", "staff-invoices-send"): (
        lambda w, p: (reverse("frontend:staff-invoices-send"), {"invoice": [w.issued.pk]}),
        accounting_only(302),
    ),
    ("POST", "staff-invoice-remind"): (
        lambda w, p: (reverse("frontend:staff-invoice-remind", args=[w.issued.pk]), {}),
        accounting_only(302),
    ),
    ("GET", "staff-reminder-pdf"): (
        lambda w, p: (reverse("frontend:staff-reminder-pdf", args=[reminder_of(w)]), {}),
        accounting_only(200),
    ),
    ("GET", "staff-e-invoice-batch"): (
        lambda w, p: (reverse("frontend:staff-e-invoice-batch", args=[batch_of(w)]), {}),
        accounting_only(200),
    ),
}


def reminder_of(world: World) -> int:
    overdue = overdue_on(world.books, days_ago(40))
    return invoice_remind(invoice=overdue, actor=None).pk


def batch_of(world: World) -> int:
    content = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    return EInvoiceBatch.objects.create(content=content, sha256="", invoice_count=0).pk


def unroled(django_user_model):
    """A staff account holding, one by one, every model permission the roles give."""
    user = django_user_model.objects.create_user("vailla", "vailla@example.org", is_staff=True)
    granted = [item for models in ROLE_PERMISSIONS.values() for item in models.items()]
    for label, actions in granted:
        app_label, model = label.split(".")
        user.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        )
    return user


@pytest.fixture
def world(room, staff_user, accounting_user, admin_user_, django_user_model) -> World:
    day = working_day()
    booking = request_for(room, day, 10, 12)
    closure = closure_create(
        actor=staff_user,
        start=at(day, 18),
        end=at(day, 20),
        reason=ClosureReason.CLEANING,
        rooms=[room],
    )
    books = books_open()
    issued = issued_on(books, days_ago(5))
    draft = invoice_create_draft(bookings=[booking_on(books, days_ago(6))], actor=None)
    uninvoiced = booking_on(books, days_ago(7))
    return World(
        booking, closure, staff_user, accounting_user, admin_user_,
        unroled(django_user_model), books, issued, draft, uninvoiced,
    )  # fmt: skip


def client_for(persona: str, world: World) -> Client:
    client = Client()
    users = {
        "staff": world.staff_user,
        "accounting": world.accounting_user,
        "admin": world.admin_user,
        "unroled": world.unroled_user,
    }
    if persona in users:
        client.force_login(users[persona])
    return client


def test_every_staff_page_has_a_row():
    names = {pattern.name for pattern in urlpatterns}
    covered = {name for _method, name in MATRIX}
    assert names == covered


def assert_answer(matrix: dict, key: tuple[str, str], persona: str, world: World) -> None:
    method, _name = key
    build, expected = matrix[key]
    url, data = build(world, persona)
    client = client_for(persona, world)
    response = client.post(url, data) if method == "POST" else client.get(url)
    wanted = expected[persona]
    if wanted in (LOGIN, ADMIN_LOGIN):
        login = "frontend:staff-login" if wanted == LOGIN else "admin:login"
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(login) + "?next=")
    else:
        assert response.status_code == wanted, response.content[:500]


CASES = [(key, persona) for key in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("key", "persona"), CASES, ids=[f"{k[0]} {k[1]} {p}" for k, p in CASES])
def test_staff_page_answers_each_role(key, persona, world):
    assert_answer(MATRIX, key, persona, world)


def test_a_signed_in_person_without_a_staff_role_is_refused(client, django_user_model, world):
    someone = django_user_model.objects.create_user("vieras", "vieras@example.org", "pw-1234567")
    client.force_login(someone)
    for name in (
        "staff-queue",
        "staff-calendar-week",
        "staff-feeds",
        "staff-closures",
        "staff-invoices",
        "staff-reports",
    ):
        assert client.get(reverse(f"frontend:{name}")).status_code == 403


# --- The Django admin: the same roles, asked of bookings.permissions -------------------


def admin_url(name: str, *args: object) -> str:
    return reverse(f"admin:{name}", args=args)


def admin_answers(staff: object, accounting: object) -> dict[str, object]:
    return answers(staff, accounting, login=ADMIN_LOGIN)


def booking_change(world: World) -> dict[str, object]:
    from tests.bookings.test_admin import booking_change_data

    return booking_change_data(world.booking, title="Muutettu nimi")


def draft_change(world: World) -> dict[str, object]:
    from tests.bookings.test_admin import management_form

    draft = world.draft
    data = {name: getattr(draft, name) for name in DRAFT_BUYER_FIELDS}
    return {**data, "buyer_name": "Uusi Nimi ry", **management_form("lines")} | management_form(
        "payments"
    )


def admin_payment(world: World) -> dict[str, object]:
    return {**payment_data(world), "amount": "10.00", "invoice": world.issued.pk}


# (method, admin URL name): how to build the request, the answer per persona. A POST row
# sends a valid form; 302 means it was saved. Booking staff own bookings, closures and
# rooms; accounting reads bookings and owns invoices and payments.
ADMIN_MATRIX: dict[tuple[str, str], Page] = {
    ("GET", "bookings_booking_changelist"): (
        lambda w, p: (admin_url("bookings_booking_changelist"), {}),
        admin_answers(200, 200),
    ),
    ("GET", "bookings_booking_change"): (
        lambda w, p: (admin_url("bookings_booking_change", w.booking.pk), {}),
        admin_answers(200, 200),
    ),
    ("POST", "bookings_booking_change"): (
        lambda w, p: (admin_url("bookings_booking_change", w.booking.pk), booking_change(w)),
        admin_answers(302, 403),
    ),
    ("GET", "bookings_booking_add"): (
        lambda w, p: (admin_url("bookings_booking_add"), {}),
        admin_answers(200, 403),
    ),
    ("GET", "bookings_closure_changelist"): (
        lambda w, p: (admin_url("bookings_closure_changelist"), {}),
        admin_answers(200, 403),
    ),
    ("GET", "bookings_closure_change"): (
        lambda w, p: (admin_url("bookings_closure_change", w.closure.pk), {}),
        admin_answers(200, 403),
    ),
    ("GET", "bookings_room_changelist"): (
        lambda w, p: (admin_url("bookings_room_changelist"), {}),
        admin_answers(200, 200),
    ),
    ("GET", "bookings_room_add"): (
        lambda w, p: (admin_url("bookings_room_add"), {}),
        admin_answers(200, 403),
    ),
    ("GET", "bookings_customer_change"): (
        lambda w, p: (admin_url("bookings_customer_change", w.books.customer.pk), {}),
        admin_answers(200, 200),
    ),
    ("GET", "bookings_auditentry_changelist"): (
        lambda w, p: (admin_url("bookings_auditentry_changelist"), {}),
        admin_answers(200, 403),
    ),
    ("GET", "invoicing_invoice_changelist"): (
        lambda w, p: (admin_url("invoicing_invoice_changelist"), {}),
        admin_answers(403, 200),
    ),
    ("POST", "invoicing_invoice_change"): (
        lambda w, p: (admin_url("invoicing_invoice_change", w.draft.pk), draft_change(w)),
        admin_answers(403, 302),
    ),
    ("GET", "invoicing_invoice_pdf"): (
        lambda w, p: (admin_url("invoicing_invoice_pdf", w.issued.pk), {}),
        admin_answers(403, 200),
    ),
    ("POST", "invoicing_payment_add"): (
        lambda w, p: (admin_url("invoicing_payment_add"), admin_payment(w)),
        admin_answers(403, 302),
    ),
    ("GET", "invoicing_pricelist_changelist"): (
        lambda w, p: (admin_url("invoicing_pricelist_changelist"), {}),
        admin_answers(200, 200),
    ),
    ("GET", "invoicing_sellersettings_change"): (
        lambda w, p: (admin_url("invoicing_sellersettings_change", seller_of(w)), {}),
        admin_answers(403, 200),
    ),
}


def seller_of(world: World) -> int:
    from invoicing.models import SellerSettings

    return SellerSettings.load().pk


ADMIN_CASES = [(key, persona) for key in ADMIN_MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(
    ("key", "persona"), ADMIN_CASES, ids=[f"{k[0]} {k[1]} {p}" for k, p in ADMIN_CASES]
)
def test_admin_page_answers_each_role(key, persona, world):
    assert_answer(ADMIN_MATRIX, key, persona, world)


def test_a_booking_changed_in_the_admin_by_accounting_stays_as_it_was(client, world):
    client.force_login(world.accounting_user)

    client.post(admin_url("bookings_booking_change", world.booking.pk), booking_change(world))
    client.force_login(world.staff_user)
    client.post(admin_url("invoicing_invoice_change", world.draft.pk), draft_change(world))

    world.booking.refresh_from_db()
    world.draft.refresh_from_db()
    assert (world.booking.title, world.draft.buyer_name) == (
        "Koulutus",
        world.books.customer.organisation,
    )


def test_every_admin_of_the_apps_asks_the_roles():
    from django.contrib import admin

    from bookings.role_admin import RolePermissions

    ours = {
        model._meta.label: type(model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in ("bookings", "invoicing", "frontend")
    }
    assert ours
    assert [label for label, cls in ours.items() if not issubclass(cls, RolePermissions)] == []


@pytest.mark.parametrize("role", ["staff", "accounting"])
def test_the_admin_never_allows_more_than_the_roles_model_permissions(rf, world, role):
    """The two descriptions of a role, model permissions and bookings.permissions, agree:
    whatever a role may do in the admin, its group holds the model permission for."""
    from django.contrib import admin

    user = world.staff_user if role == "staff" else world.accounting_user
    request = rf.get("/admin/")
    request.user = user
    allowed = set()
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        if model._meta.app_label not in ("bookings", "invoicing", "frontend"):
            continue
        checks = {
            "view": model_admin.has_view_permission(request),
            "add": model_admin.has_add_permission(request),
            "change": model_admin.has_change_permission(request),
            "delete": model_admin.has_delete_permission(request),
        }
        allowed |= {(label, action) for action, may in checks.items() if may}
    granted = {
        (label, action)
        for label in {label for label, _action in allowed}
        for action in ("view", "add", "change", "delete")
        if user.has_perm(f"{label.split('.')[0]}.{action}_{label.split('.')[1]}")
    }
    assert allowed
    assert allowed <= granted | {("bookings.feedtoken", a) for a in ("view", "add", "change")}
