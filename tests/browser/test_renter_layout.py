"""The public pages at 320 px wide and with the keyboard only."""

from __future__ import annotations

import pytest

from bookings.services import booking_request_create
from tests.browser.test_renter_journey import room  # noqa: F401 (fixture)
from tests.factories import at, renter, working_day

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def narrow_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", viewport={"width": 320, "height": 640}
    )
    yield context.new_page()
    context.close()


def test_every_public_page_fits_320_pixels(narrow_page, room):  # noqa: F811
    day = working_day(14)
    result = booking_request_create(
        room=room,
        start=at(day, 10),
        end=at(day, 12),
        title="Koulutus",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )
    paths = [
        "/",
        f"/rooms/{room.slug}/?week={day.isoformat()}",
        f"/rooms/{room.slug}/request/",
        f"/request/{result.status_token}/",
        "/terms/",
        "/sv/privacy/",
    ]
    for path in paths:
        narrow_page.goto(path)
        width = narrow_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width} px wide"


def test_a_free_time_is_reached_and_chosen_with_the_keyboard(page, room):  # noqa: F811
    day = working_day(14)
    page.goto(f"/en/rooms/{room.slug}/?week={day.isoformat()}")
    # Past the free start-time buttons above the grid, to the grid's own cells.
    in_grid = "document.activeElement.closest('table.week') !== null"
    for _press in range(200):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if "request/?date=" in href and page.evaluate(in_grid):
            break
    else:
        pytest.fail("no free time in the grid was reachable with Tab")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.startswith("Free")
    page.keyboard.press("Enter")
    page.wait_for_url("**/request/?date=*")
    assert page.input_value("#id_date")
    assert page.input_value("#id_start_time")
