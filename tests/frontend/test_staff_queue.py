"""The request queue: what a staff member sees before deciding."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import BookingStatus, ClosureReason, MemberOrganisation
from bookings.services import closure_create
from tests.factories import at, make_room, working_day
from tests.frontend.staff_world import approved_for, bulk_bookings, request_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def row_of(response, booking) -> str:
    """The queue's table row of one booking, as HTML."""
    html = response.content.decode()
    start = html.index(f'data-booking="{booking.pk}"')
    return html[start : html.index("</tr>", start)]


def test_queue_lists_requests_by_start_and_leaves_decided_ones_out(staff_client, room, staff_user):
    day = working_day()
    later = request_for(room, day, 14, 15, title="Myöhempi")
    earlier = request_for(room, day, 9, 10, title="Aiempi")
    approved_for(room, day, 17, 18, actor=staff_user, title="Jo hyväksytty")
    html = staff_client.get(reverse("frontend:staff-queue")).content.decode()
    assert html.index("Aiempi") < html.index("Myöhempi")
    assert "Jo hyväksytty" not in html
    assert earlier.pk and later.pk


def test_queue_badges_tell_clash_competition_hours_capacity_and_membership(
    staff_client, room, staff_user
):
    day = working_day()
    MemberOrganisation.objects.create(name="Jäsen ry", business_id="0112038-9")
    member = request_for(room, day, 9, 11, title="Jäsenen", business_id="0112038-9")
    rival = request_for(room, day, 10, 12, title="Kilpaileva", organisation="Toinen ry")
    late = request_for(make_room(capacity=2), day, 9, 10, title="Liian iso", attendees=2)
    clashing = request_for(room, day, 18, 19, title="Osuu suljettuun")
    closure_create(
        actor=staff_user,
        start=at(day, 18),
        end=at(day, 20),
        reason=ClosureReason.CLEANING,
        rooms=[room],
    )
    late.attendees = 5  # staff later learnt of more people than the room takes
    late.save(update_fields=["attendees"])
    response = staff_client.get(reverse("frontend:staff-queue"))

    assert "Competes with 1 request" in row_of(response, member)
    assert "Member" in row_of(response, member)
    assert "External" in row_of(response, rival)
    assert "Over capacity" in row_of(response, late)
    assert "Clashes with a booking or closure" in row_of(response, clashing)
    assert "Clashes" not in row_of(response, member)
    assert "Outside opening hours" not in row_of(response, member)


def test_queue_shows_a_request_outside_opening_hours(staff_client, room):
    day = working_day()
    booking = request_for(room, day, 9, 10)
    booking.start, booking.end = at(day, 5), at(day, 6)  # e.g. an old request before a change
    booking.save(update_fields=["start", "end"])
    response = staff_client.get(reverse("frontend:staff-queue"))
    assert "Outside opening hours" in row_of(response, booking)


def test_queue_filters_by_room_dates_state_and_search(staff_client, room, staff_user):
    day = working_day()
    other_room = make_room()
    a = request_for(room, day, 9, 10, title="Salin", organisation="Alfa ry")
    b = request_for(other_room, day, 9, 10, title="Toisen", contact_name="Bertta Berg")
    c = request_for(room, working_day(21), 9, 10, title="Ensi viikon")
    approved = approved_for(room, day, 17, 18, actor=staff_user, title="Hyväksytty")
    url = reverse("frontend:staff-queue")

    def titles(**params) -> set[str]:
        html = staff_client.get(url, params).content.decode()
        return {t for t in ("Salin", "Toisen", "Ensi viikon", "Hyväksytty") if t in html}

    assert titles(room=other_room.pk) == {"Toisen"}
    assert titles(first_day=day.isoformat(), last_day=day.isoformat()) == {"Salin", "Toisen"}
    assert titles(status="approved") == {"Hyväksytty"}
    assert titles(status="") == {"Salin", "Toisen", "Ensi viikon", "Hyväksytty"}
    assert titles(q="alfa") == {"Salin"}
    assert titles(q="bertta") == {"Toisen"}
    assert a.pk and b.pk and c.pk and approved.status == BookingStatus.APPROVED


def queue_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("frontend:staff-queue"), {"status": "requested"})
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_queue_costs_the_same_queries_for_20_and_200_requests(staff_client, hours):
    rooms = [make_room(capacity=10) for _ in range(5)]
    first_day = working_day()
    bulk_bookings(rooms, first_day, 20, status=BookingStatus.REQUESTED)
    few, _html = queue_queries(staff_client)
    bulk_bookings(rooms, first_day + timedelta(days=7), 180, status=BookingStatus.REQUESTED)
    many, html = queue_queries(staff_client)
    assert "200 rows" in html
    assert many == few
