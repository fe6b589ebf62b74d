"""The reports page (/staff/reports/, SPEC §2.14): charts with the same figures as tables,
any range of months, CSV downloads equal to the API's rows, in fi, sv and en."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings.selectors.reports import month_add
from invoicing.services import invoice_create_draft, invoice_issue
from tests.frontend.invoice_world import booking_on, books_open

pytestmark = pytest.mark.django_db


def months_back(count: int) -> date:
    return month_add(timezone.localdate().replace(day=1), -count)


@pytest.fixture
def world(hours):
    books = books_open()
    month = months_back(2)
    day = month + timedelta(days=4)
    booking = booking_on(books, day, extras=[{"code": "coffee", "quantity": 5}])
    draft = invoice_create_draft(bookings=[booking], actor=None)
    invoice_issue(invoice=draft, actor=None, issue_date=day)
    return month


def months_query(first: date, last: date) -> str:
    return f"first_month={first:%Y-%m}&last_month={last:%Y-%m}"


def test_staff_see_each_chart_beside_a_table_of_the_same_figures(client, staff_user, world):
    client.force_login(staff_user)

    response = client.get(f"/en/staff/reports/?{months_query(world, world)}")

    assert response.status_code == 200
    page = response.content.decode()
    for chart in ("usage-chart", "revenue-chart"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in page
        assert f'<title id="{chart}-title">' in page and f'<desc id="{chart}-desc">' in page
    # 2 h of 15 h a day over the month's open days, the same text in bar and table.
    usage = re.search(r'<tr data-room="laskutettava">(.*?)</tr>', page, re.S).group(1)
    share = re.search(r'class="number">([\d.]+\xa0%)</td>', usage).group(1)
    assert f"Meeting room: {share}</title>" in page
    revenue = re.search(rf'<tr data-month="{world:%Y-%m}">(.*?)</tr>', page, re.S).group(1)
    assert "114.00" in revenue  # 90.00 + coffee 24.00 without VAT
    assert "Coffee" not in page and "Extras" in page


def test_the_page_is_in_finnish_by_default_and_in_swedish_under_sv(client, accounting_user, world):
    client.force_login(accounting_user)
    query = months_query(world, world)

    finnish = client.get(f"/staff/reports/?{query}").content.decode()
    swedish = client.get(f"/sv/staff/reports/?{query}").content.decode()

    assert "Käyttöaste" in finnish and "114,00" in finnish
    assert "Beläggning" in swedish and "114,00" in swedish


def read_csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_the_csv_downloads_hold_the_api_rows(client, staff_user, world):
    client.force_login(staff_user)
    first, last = months_back(3), world
    api_query = f"from={first:%Y-%m}&to={last:%Y-%m}"

    for report in ("usage", "revenue"):
        page = client.get(f"/staff/reports/?{months_query(first, last)}&file={report}")
        api = client.get(f"/api/v1/reports/{report}/?{api_query}").json()["rows"]
        rows = read_csv(page)
        assert len(rows) == len(api) > 0
        for row, expected in zip(rows, api, strict=True):
            assert set(row) == set(expected)
            for name, value in expected.items():
                assert same_cell(row[name], value), (report, name, row, expected)


def same_cell(text: str, value: object) -> bool:
    """A CSV cell against the API's JSON value: numbers by value, null as empty."""
    if value is None:
        return text == ""
    if isinstance(value, int | float):
        return Decimal(text) == Decimal(str(value))
    return text == value


@pytest.mark.parametrize(
    "query",
    [
        "first_month=2026-13&last_month=2026-12",
        "first_month=2026-05&last_month=2026-04",
        "first_month=2020-01&last_month=2026-12",
        "first_month=&last_month=2026-01",
    ],
)
def test_months_that_make_no_range_are_refused_and_say_why(client, staff_user, world, query):
    client.force_login(staff_user)

    response = client.get(f"/staff/reports/?{query}")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Valitse kuukaudet uudelleen" in page
    assert 'id="usage-rows"' not in page


def test_without_a_choice_the_page_shows_the_last_twelve_months(client, staff_user, world):
    client.force_login(staff_user)

    response = client.get("/en/staff/reports/")

    page = response.content.decode()
    this_month = timezone.localdate().replace(day=1)
    months = re.findall(r'<tr data-month="(\d{4}-\d{2})">', page)
    assert months[0] == f"{month_add(this_month, -11):%Y-%m}"
    assert months[-1] == f"{this_month:%Y-%m}" and len(months) == 12


def test_the_staff_navigation_links_to_the_reports(client, accounting_user, staff_user, world):
    for user in (staff_user, accounting_user):
        client.force_login(user)
        assert 'href="/staff/reports/"' in client.get("/staff/").content.decode()
