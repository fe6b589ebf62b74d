"""The front page's room finder, without JavaScript (SPEC §2.12, §3.3)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.memo import memos_clear
from bookings.services import booking_staff_create
from tests.factories import at, make_room, working_day
from tests.frontend.conftest import price_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(priced_room):
    big = make_room(slug="sali", capacity=40, name_en="Hall", has_projector=True)
    price_room(big, hourly="60.00")
    make_room(slug="pieni", capacity=4, name_en="Small room", has_projector=True)
    return priced_room, big


def search(client, day, **params):
    query = {"date": day.isoformat(), "from": "13:00", "to": "16:00", "attendees": "8"}
    query.update(params)
    return client.get("/en/", query)


def test_every_room_is_listed_without_a_search_and_the_vat_words_appear_once(client, rooms):
    page = client.get("/en/").content.decode()
    assert "Meeting room" in page and "Hall" in page and "Small room" in page
    assert page.count("VAT Act s. 27") == 1
    assert '<form class="finder" method="get"' in page


def test_a_search_lists_the_free_rooms_that_fit_smallest_first_with_their_price(client, rooms):
    day = working_day()
    response = search(client, day, equipment="projector")
    page = response.content.decode()
    assert response.status_code == 200
    free = page.split('id="results-heading"')[1].split("</ul>")[0]
    assert free.index("Meeting room") < free.index("Hall")
    assert "Small room" not in page  # four places for eight people
    assert "Price for this time: 120.00 €" in free  # 3 h × 40 €
    assert "Price for this time: 180.00 €" in free
    assert "VAT exempt (VAT Act 27 §)" in free
    link = f"/en/rooms/kokoushuone/request/?date={day.isoformat()}&amp;start=13:00&amp;end=16:00"
    assert link in free


def test_a_busy_room_is_listed_apart_with_its_next_free_time(client, rooms, staff_user):
    small, _big = rooms
    day = working_day()
    booking_staff_create(
        actor=staff_user, room=small, start=at(day, 12), end=at(day, 15), title="X", attendees=3
    )
    page = search(client, day).content.decode()
    free = page.split('id="results-heading"')[1].split("</ul>")[0]
    busy = page.split('id="busy-heading"')[1].split("</ul>")[0]
    assert "Hall" in free and "Meeting room" not in free
    assert "Meeting room" in busy
    assert "15:30–18:30" in busy
    assert f"date={day.isoformat()}&amp;start=15:30&amp;end=18:30" in busy


def test_the_search_works_in_finnish_and_swedish(client, rooms):
    day = working_day()
    fi = client.get("/", {"date": day.isoformat(), "from": "13:00", "to": "16:00", "attendees": 8})
    sv = client.get(
        "/sv/", {"date": day.isoformat(), "from": "13:00", "to": "16:00", "attendees": 8}
    )
    assert "Vapaana" in fi.content.decode()
    assert "Lediga" in sv.content.decode()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date": "2027-02-30"}, "Date"),
        ({"from": "25:00"}, "From"),
        ({"to": "12:00"}, "Until"),
        ({"attendees": "0"}, "Attendees"),
        ({"attendees": "lots"}, "Attendees"),
        ({"equipment": "piano"}, "Equipment"),
        ({"date": "1999-01-01"}, "Date"),
        ({"date": "9999-01-01"}, "Date"),
    ],
)
def test_a_bad_search_is_refused_with_the_field_named(client, rooms, params, field):
    response = search(client, working_day(), **params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Check the search" in page
    assert f">{field}:" in page


def test_the_finder_page_reads_the_same_queries_for_few_rooms_and_many(client, hours):
    day = working_day()
    for number in range(2):
        price_room(make_room(capacity=10 + number))
    memos_clear()  # both counts with the house's schedule read afresh
    with CaptureQueriesContext(connection) as few:
        search(client, day)
    for number in range(18):
        price_room(make_room(capacity=20 + number))
    memos_clear()
    with CaptureQueriesContext(connection) as many:
        page = search(client, day).content.decode()
    assert page.count("room-card room-free") == 20
    assert len(many) == len(few)


def test_a_clash_on_the_request_form_offers_other_rooms_and_times(client, rooms, staff_user):
    from tests.frontend.conftest import form_data

    small, big = rooms
    day = working_day()
    booking_staff_create(
        actor=staff_user, room=small, start=at(day, 10), end=at(day, 12), title="X", attendees=3
    )
    data = form_data(day, start_time="11:00", end_time="12:00", attendees="8")
    response = client.post(f"/en/rooms/{small.slug}/request/", data)
    page = response.content.decode()
    assert response.status_code == 400
    times = page.split('id="alternative-times-heading"')[1].split("</ul>")[0]
    assert f"date={day.isoformat()}&amp;start=12:30&amp;end=13:30" in times
    assert "12:30–13:30" in times
    others = page.split('id="alternative-rooms-heading"')[1].split("</ul>")[0]
    assert f"/en/rooms/{big.slug}/request/?date={day.isoformat()}&amp;start=11:00" in others
    assert "Small room" not in others  # four places for eight people
