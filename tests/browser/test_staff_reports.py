"""The reports page in Chromium: an accountant chooses months in the form and reads the
same numbers as the API gives; axe-core finds nothing serious on it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from bookings.models import MemberOrganisation
from bookings.selectors.reports import month_add
from invoicing.services import invoice_create_draft, invoice_credit, invoice_issue
from tests.browser.conftest import axe_violations
from tests.factories import make_room
from tests.frontend.invoice_world import booking_on, books_open

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-reports-123"


def months_back(count: int) -> date:
    return month_add(timezone.localdate().replace(day=1), -count)


@pytest.fixture
def accountant(django_user_model, hours):
    user = django_user_model.objects.create_user("kirjanpito", "k@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="Accounting")[0])
    return user


@pytest.fixture
def months(accountant) -> tuple[date, date]:
    """Three months of bookings and invoices over a priced room and a combined hall;
    one invoice credited."""
    books = books_open()
    MemberOrganisation.objects.create(name="Lastensuojelu ry", business_id="0112038-9")
    east, west = make_room(slug="itainen"), make_room(slug="lantinen")
    make_room(slug="juhlasali", parts=[east, west])
    first = months_back(3)
    invoices = []
    for offset in range(6):
        day = first + timedelta(days=13 * offset + 2)
        extras = [{"code": "coffee", "quantity": 3 + offset}]
        booking = booking_on(books, day, 9 + offset % 4, extras=extras, attendees=9)
        draft = invoice_create_draft(bookings=[booking], actor=None)
        invoices.append(invoice_issue(invoice=draft, actor=None, issue_date=day))
    invoice_credit(invoice=invoices[2], actor=None, reason="Peruttu")
    return first, timezone.localdate().replace(day=1)


def log_in(page) -> None:
    page.goto("/en/staff/login/")
    page.get_by_label("Username").fill("kirjanpito")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/**")


def table_rows(page, table_id: str) -> list[dict[str, str]]:
    """Each body row of the table as {data-* attribute or column header: cell text}."""
    return page.evaluate(
        """(id) => {
            const table = document.getElementById(id);
            const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
            return [...table.querySelectorAll('tbody tr')].map(tr => {
                const row = {...tr.dataset};
                [...tr.children].forEach((cell, i) => { row[heads[i]] = cell.textContent.trim(); });
                return row;
            });
        }""",
        table_id,
    )


def number(text: str) -> Decimal:
    """A figure as the English page shows it: `1,234.50`, `42.5 %`."""
    return Decimal(text.replace(",", "").replace("\xa0", "").rstrip("%").strip())


def test_the_page_shows_the_numbers_the_api_gives(page, months):
    first, last = months
    log_in(page)
    page.goto("/en/staff/reports/")
    page.get_by_label("First month").fill(f"{first:%Y-%m}")
    page.get_by_label("Last month").fill(f"{last:%Y-%m}")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**first_month={first:%Y-%m}**")

    query = f"?from={first:%Y-%m}&to={last:%Y-%m}"
    usage = page.request.get(f"/api/v1/reports/usage/{query}").json()["rows"]
    revenue = page.request.get(f"/api/v1/reports/revenue/{query}").json()["rows"]

    shown_usage = table_rows(page, "usage-rows")
    assert len(shown_usage) == len(usage) == 4 * 4  # four rooms, four months
    for shown, api in zip(shown_usage, usage, strict=True):
        assert (shown["month"], shown["room"]) == (api["month"], api["room"])
        assert number(shown["Open hours"]) == Decimal(str(api["open_hours"]))
        assert number(shown["Booked hours"]) == Decimal(str(api["booked_hours"]))
        assert int(shown["Bookings"]) == api["bookings"]
        assert int(shown["Members"]) == api["member_bookings"]
        assert int(shown["External"]) == api["external_bookings"]
        if api["utilisation"] is None:
            assert shown["Utilisation"] == "–"
        else:
            share = Decimal(str(api["utilisation"])) * 100
            assert number(shown["Utilisation"]) == share.quantize(Decimal("0.1"), ROUND_HALF_UP)

    shown_revenue = table_rows(page, "revenue-rows")
    assert len(shown_revenue) == len(revenue) > 2
    for shown, api in zip(shown_revenue, revenue, strict=True):
        assert (shown["month"], shown["room"] or None) == (api["month"], api["room"])
        assert (shown["group"], shown["vatCode"]) == (api["group"], api["vat_code"])
        assert number(shown["Without VAT"]) == Decimal(api["net"])
        assert number(shown["VAT"]) == Decimal(api["vat"])
        assert number(shown["With VAT"]) == Decimal(api["gross"])
    # The chart draws one bar per month, labelled with the total the table beside says.
    totals = table_rows(page, "revenue-totals")
    bars = page.locator("#revenue-chart-title").locator("xpath=..").locator("rect title")
    assert bars.all_text_contents() == [f"{t['Month']}: {t['With VAT']}" for t in totals]


def test_the_reports_page_has_no_serious_accessibility_violations(page, months):
    log_in(page)
    page.goto("/staff/reports/")  # Finnish, the last twelve months
    page.locator("details summary").click()  # the table per month open as well
    assert page.locator("svg[role=img]").count() == 2

    assert axe_violations(page) == []
