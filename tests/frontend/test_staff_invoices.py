"""The accounting pages of the staff workspace (SPEC §2.7): the invoice list and its
filters, drafts from bookings through a preview, issuing, the stored PDF, deleting a
draft, and who may see them (credit notes, payments and files: test_staff_invoice_payments).
Every refusal leaves everything as it was."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bookings.models import BookingStatus
from invoicing.models import (
    Invoice,
    InvoiceCounter,
    InvoiceStatus,
    SellerSettings,
)
from invoicing.services import invoice_create_draft, invoice_credit, payment_record
from tests.frontend.invoice_world import (
    booking_on,
    books_open,
    days_ago,
    issued_on,
    shown_messages,
    written,
)

pytestmark = pytest.mark.django_db

LIST = "frontend:staff-invoices"


def listed(response) -> list[int]:
    return [invoice.pk for invoice, _balance in response.context["rows"]]


# --- The list --------------------------------------------------------------------------


def test_list_shows_number_customer_dates_total_open_amount_and_state(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    payment_record(invoice=invoice, amount="40.00", paid_on=days_ago(1), actor=None)
    html = accounting_client.get(reverse(LIST)).content.decode()
    assert f'href="{reverse("frontend:staff-invoice", args=[invoice.pk])}"' in html
    for text in (invoice.number_text, "Turun Perhetyö ry", f"{invoice.due_date:%d.%m.%Y}"):
        assert text in html
    assert "90.00 €" in html and "50.00 €" in html and "Partly paid" in html


def test_list_filters_by_customer_state_and_dates(accounting_client, books):
    old = issued_on(books, days_ago(60))
    recent = issued_on(books, days_ago(2), customer=books.other)
    draft = invoice_create_draft(bookings=[booking_on(books, days_ago(5))], actor=None)

    def shown(**query) -> list[int]:
        return listed(accounting_client.get(reverse(LIST), query))

    assert shown() == [draft.pk, recent.pk, old.pk]
    assert shown(customer=books.other.pk) == [recent.pk]
    assert shown(state="draft") == [draft.pk]
    assert shown(issued_from=days_ago(10).isoformat()) == [recent.pk]
    assert shown(due_to=days_ago(30).isoformat()) == [old.pk]


def test_overdue_filter_lists_only_unpaid_invoices_past_their_due_date(accounting_client, books):
    overdue = issued_on(books, days_ago(30))
    paid = issued_on(books, days_ago(31))
    payment_record(invoice=paid, amount="90.00", paid_on=days_ago(1), actor=None)
    credited = issued_on(books, days_ago(32))
    invoice_credit(invoice=credited, actor=None, reason="Väärä asiakas")
    issued_on(books, days_ago(2))  # not due yet
    response = accounting_client.get(reverse(LIST), {"overdue": "on"})
    assert listed(response) == [overdue.pk]
    assert "1 invoice" in response.content.decode()


def test_an_invoice_paid_in_odd_parts_is_paid_not_overdue(accounting_client, books):
    # Amounts whose float sum is not 90.00 (SQLite adds decimals as floats).
    invoice = issued_on(books, days_ago(30))
    for amount in ("0.08", "76.32", "13.60"):
        payment_record(invoice=invoice, amount=amount, paid_on=days_ago(1), actor=None)
    assert listed(accounting_client.get(reverse(LIST), {"overdue": "on"})) == []
    assert listed(accounting_client.get(reverse(LIST), {"state": "paid"})) == [invoice.pk]


def test_a_credited_invoice_and_a_draft_have_nothing_open(accounting_client, books):
    credited = issued_on(books, days_ago(30))
    invoice_credit(invoice=credited, actor=None, reason="Väärä asiakas")
    invoice_create_draft(bookings=[booking_on(books, days_ago(8))], actor=None)
    rows = accounting_client.get(reverse(LIST)).context["rows"]
    open_amounts = {invoice.pk: balance.outstanding for invoice, balance in rows}
    assert set(open_amounts.values()) == {Decimal("0.00")}
    detail = accounting_client.get(reverse("frontend:staff-invoice", args=[credited.pk]))
    assert detail.context["balance"].outstanding == 0


@pytest.mark.parametrize(
    "query",
    [
        {"issued_from": "2026-13-40"},
        {"due_to": "0001-01-01"},
        {"customer": "99999999999999999999"},
        {"customer": "x"},
        {"state": "lost"},
        {"issued_from": "2026-05-02", "issued_to": "2026-05-01"},
        {"page": "-1"},
    ],
)
def test_malformed_filters_are_reported_not_a_server_error(accounting_client, books, query):
    issued_on(books, days_ago(3))
    response = accounting_client.get(reverse(LIST), query)
    assert response.status_code == 200
    if "page" not in query:
        assert response.context["form"].errors


def test_the_list_costs_the_same_queries_for_few_and_many_invoices(accounting_client, books):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert accounting_client.get(reverse(LIST)).status_code == 200
        return len(captured.captured_queries)

    issued_on(books, days_ago(3))
    few = queries()
    for days in range(4, 24):
        issued_on(books, days_ago(days))
    assert queries() == few


# --- Drafts from bookings --------------------------------------------------------------


def choose(client, books, *bookings, step: str = "frontend:staff-invoice-new", **changes):
    data = {
        "customer": books.customer.pk,
        "first_day": days_ago(60).isoformat(),
        "last_day": days_ago(0).isoformat(),
        "bookings": [booking.pk for booking in bookings],
        **changes,
    }
    return client.post(reverse(step), data)


def test_choosing_a_customer_lists_their_bookings_not_yet_invoiced(accounting_client, books):
    wanted = booking_on(books, days_ago(10), title="Vanhempainilta")
    issued_on(books, days_ago(12))
    booking_on(books, days_ago(11), customer=books.other, title="Toisen asiakkaan")
    response = accounting_client.get(
        reverse("frontend:staff-invoice-new"),
        {"customer": books.customer.pk, "first_day": days_ago(30).isoformat()},
    )
    assert [booking for booking, _checked in response.context["candidates"]] == [wanted]
    assert "Toisen asiakkaan" not in response.content.decode()


def test_preview_shows_the_lines_and_totals_and_writes_nothing(accounting_client, books):
    SellerSettings.objects.all().delete()  # a preview must not even create the empty row
    first = booking_on(books, days_ago(10), extras=[{"code": "coffee", "quantity": 12}])
    second = booking_on(books, days_ago(9))
    before = written()
    with CaptureQueriesContext(connection) as captured:
        response = choose(accounting_client, books, first, second)
    assert written() == before
    sql = [query["sql"].lstrip().upper() for query in captured.captured_queries]
    assert not [query for query in sql if query.startswith(("INSERT", "UPDATE", "DELETE"))]
    preview = response.context["preview"]
    html = response.content.decode()
    assert "Nothing is saved yet" in html
    assert preview.lines[1].description == "Kahvitarjoilu"  # in the customer's language
    # 2 × 90.00 exempt + 12 × 4.80 coffee at the catering rate of the service date.
    assert preview.invoice.total_net == Decimal("237.60")
    coffee = preview.lines[1]
    assert coffee.vat > 0 and preview.invoice.total_vat == coffee.vat
    assert f"{preview.invoice.total_gross} €" in html and "exempt" in html


def test_the_draft_gets_the_lines_the_preview_showed(accounting_client, books):
    booking = booking_on(books, days_ago(10), extras=[{"code": "coffee", "quantity": 12}])
    preview = choose(accounting_client, books, booking).context["preview"]
    response = choose(accounting_client, books, booking, step="frontend:staff-invoice-create")
    draft = Invoice.objects.get()
    assert response["Location"] == reverse("frontend:staff-invoice", args=[draft.pk])
    assert draft.status == InvoiceStatus.DRAFT and draft.customer == books.customer
    assert draft.total_gross == preview.invoice.total_gross
    assert list(draft.lines.values_list("gross", flat=True)) == [
        line.gross for line in preview.lines
    ]


@pytest.mark.parametrize("step", ["frontend:staff-invoice-new", "frontend:staff-invoice-create"])
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("requested", "is not approved"),
        ("invoiced", "is already on invoice"),
        ("other customer", "is not a booking of Turun Perhetyö ry"),
        ("nothing ticked", "Choose at least one booking."),
        ("unknown", "There is no booking #2147483000."),
        ("garbage", "Choose the bookings from the list."),
        ("superscript digit", "Choose the bookings from the list."),
    ],
)
def test_a_refused_selection_is_explained_and_writes_nothing(
    accounting_client, books, step, case, message
):
    fine = booking_on(books, days_ago(10))
    odd = booking_on(books, days_ago(11))
    chosen = [fine.pk]
    if case == "requested":
        odd.status = BookingStatus.REQUESTED
        odd.save()
        chosen.append(odd.pk)
    elif case == "invoiced":
        invoice_create_draft(bookings=[odd], actor=None)
        chosen.append(odd.pk)
    elif case == "other customer":
        chosen = [booking_on(books, days_ago(12), customer=books.other).pk]
    elif case == "nothing ticked":
        chosen = []
    elif case == "unknown":
        chosen.append(2147483000)
    elif case == "superscript digit":
        chosen.append("²")  # a digit to str.isdigit(), not to int()
    else:
        chosen.append("1; DROP TABLE")
    before = written()
    response = choose(accounting_client, books, step=step, bookings=chosen)
    assert response.status_code == 200
    assert written() == before
    alert = " ".join(response.context["errors"])
    assert message in alert
    assert "Nothing was saved." in response.content.decode()


@pytest.mark.parametrize("booking", ["²", "٣", "-1", "99999999999999999999", "x"])
def test_an_odd_booking_in_the_address_is_no_such_booking(accounting_client, books, booking):
    response = accounting_client.get(reverse("frontend:staff-invoice-new"), {"booking": booking})
    assert response.status_code == 200
    assert "There is no such booking." in [str(m) for m in response.context["messages"]]


def test_a_booking_page_offers_accounting_to_invoice_that_one_booking(accounting_client, books):
    booking = booking_on(books, days_ago(10))
    booking_on(books, days_ago(10), hour=13)
    page = accounting_client.get(reverse("frontend:staff-booking", args=[booking.pk]))
    link = f"{reverse('frontend:staff-invoice-new')}?booking={booking.pk}"
    assert link in page.content.decode()
    response = accounting_client.get(link)
    ticked = [b.pk for b, checked in response.context["candidates"] if checked]
    assert ticked == [booking.pk] and len(response.context["candidates"]) == 2


# --- Issuing, the PDF, deleting a draft ------------------------------------------------


def issue(client, invoice):
    return client.post(reverse("frontend:staff-invoice-issue", args=[invoice.pk]), follow=True)


def test_issuing_gives_the_next_number_and_twice_is_refused(accounting_client, books):
    draft = invoice_create_draft(bookings=[booking_on(books, days_ago(10))], actor=None)
    response = issue(accounting_client, draft)
    draft.refresh_from_db()
    year = timezone.localdate().year
    assert (draft.status, draft.number_text) == (InvoiceStatus.ISSUED, f"{year}-0001")
    assert f"Invoice {year}-0001 was issued." in shown_messages(response)
    assert draft.reference_text in response.content.decode()

    before = written()
    again = issue(accounting_client, draft)
    assert written() == before
    assert shown_messages(again) == [f"Nothing was changed. Invoice {year}-0001 is already issued."]


def test_issuing_without_seller_settings_is_refused_and_takes_no_number(client, accounting_user):
    books = books_open(seller=False)
    client.force_login(accounting_user)
    draft = invoice_create_draft(bookings=[booking_on(books, days_ago(10))], actor=None)
    response = issue(client, draft)
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.DRAFT and draft.number is None
    assert "Complete the seller settings" in shown_messages(response)[0]
    assert not InvoiceCounter.objects.filter(last_number__gt=0).exists()


def test_pdf_download_is_the_pdf_stored_at_issue(accounting_client, books):
    invoice = issued_on(books, days_ago(3))
    response = accounting_client.get(reverse("frontend:staff-invoice-pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{invoice.number_text}.pdf"' in response["Content-Disposition"]
    assert response.content == bytes(invoice.pdf.content)
    assert response.content.startswith(b"%PDF")


def test_a_draft_has_no_pdf_and_can_be_deleted_but_an_issued_invoice_cannot(
    accounting_client, books
):
    booking = booking_on(books, days_ago(10))
    draft = invoice_create_draft(bookings=[booking], actor=None)
    assert (
        accounting_client.get(reverse("frontend:staff-invoice-pdf", args=[draft.pk])).status_code
        == 404
    )
    response = accounting_client.post(
        reverse("frontend:staff-invoice-delete", args=[draft.pk]), follow=True
    )
    assert not Invoice.objects.filter(pk=draft.pk).exists()
    assert "The draft was deleted; its bookings can be invoiced again." in shown_messages(response)

    invoice = issued_on(books, days_ago(3))
    before = written()
    response = accounting_client.post(
        reverse("frontend:staff-invoice-delete", args=[invoice.pk]), follow=True
    )
    assert written() == before
    assert "never deleted" in shown_messages(response)[0]


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("frontend:staff-invoice", "get"),
        ("frontend:staff-invoice-pdf", "get"),
        ("frontend:staff-invoice-credit", "get"),
        ("frontend:staff-invoice-issue", "post"),
        ("frontend:staff-invoice-delete", "post"),
        ("frontend:staff-invoice-payment", "post"),
    ],
)
@pytest.mark.parametrize("pk", [987654, 2**63 + 5])
def test_unknown_invoices_answer_404(accounting_client, books, name, method, pk):
    response = getattr(accounting_client, method)(reverse(name, args=[pk]))
    assert response.status_code == 404


# --- Who sees it -----------------------------------------------------------------------


def test_booking_staff_are_refused_and_see_no_invoices_link(client, staff_user, books):
    invoice = issued_on(books, days_ago(3))
    client.force_login(staff_user)
    assert client.get(reverse(LIST)).status_code == 403
    assert client.get(reverse("frontend:staff-invoice-pdf", args=[invoice.pk])).status_code == 403
    assert reverse(LIST) not in client.get(reverse("frontend:staff-queue")).content.decode()


def test_accounting_and_admins_see_the_invoices_link(client, accounting_user, admin_user_, hours):
    for user in (accounting_user, admin_user_):
        client.force_login(user)
        html = client.get(reverse("frontend:staff-queue")).content.decode()
        assert f'href="{reverse(LIST)}"' in html
