"""Deciding requests from the workspace: approve (seeing what it makes impossible),
reject with a message, races between two staff, stale forms, series, cancellations."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bookings.models import ACTOR_STAND_INS, AuditAction, Booking, BookingStatus
from bookings.recurrence import Recurrence
from bookings.services import (
    booking_approve,
    booking_details_update,
    booking_move,
    booking_series_request_create,
)
from invoicing.models import BookingPrice
from invoicing.quotes import ROOM, PriceLine
from tests.factories import at, make_room, renter, working_day
from tests.frontend.staff_world import approved_for, request_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def other_staff(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("toinen", "toinen@example.org", "pw-x-123")
    user.groups.add(Group.objects.get_or_create(name="Booking staff")[0])
    client = Client()
    client.force_login(user)
    return user, client


def status_of(booking: Booking) -> str:
    booking.refresh_from_db()
    return booking.status


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_approve_page_names_the_competing_requests_it_makes_impossible(staff_client, room):
    day = working_day()
    chosen = request_for(room, day, 10, 12, title="Valittu")
    rival = request_for(room, day, 11, 13, title="Kilpailija")
    elsewhere = request_for(make_room(), day, 10, 12, title="Muualla")
    html = staff_client.get(reverse("frontend:staff-approve", args=[chosen.pk])).content.decode()
    assert "Approving makes 1 competing request impossible" in html
    assert f"#{rival.pk} Kilpailija" in html
    assert "Muualla" not in html
    assert elsewhere.pk


def test_approving_one_and_rejecting_the_competitor_with_one_message(staff_client, room):
    day = working_day()
    chosen = request_for(room, day, 10, 12, title="Valittu")
    rival = request_for(room, day, 11, 13, title="Kilpailija")
    response = staff_client.post(
        reverse("frontend:staff-approve", args=[chosen.pk]),
        {
            "sequence": chosen.sequence,
            "message": "Tervetuloa!",
            "reject_competing": [rival.pk],
            "rejection_message": "Sali on jo varattu.",
        },
        follow=True,
    )
    assert status_of(chosen) == BookingStatus.APPROVED
    assert status_of(rival) == BookingStatus.REJECTED
    assert rival.decision_message == "Sali on jo varattu."
    assert "The booking was approved." in shown_messages(response)


def test_rejecting_competitors_needs_a_message(staff_client, room):
    day = working_day()
    chosen = request_for(room, day, 10, 12)
    rival = request_for(room, day, 11, 13)
    response = staff_client.post(
        reverse("frontend:staff-approve", args=[chosen.pk]),
        {"sequence": chosen.sequence, "reject_competing": [rival.pk]},
    )
    assert "Tell the renters why their requests are rejected." in response.content.decode()
    assert status_of(chosen) == BookingStatus.REQUESTED


def test_second_staff_approving_a_competitor_is_told_which_booking_won(
    staff_client, other_staff, room
):
    day = working_day()
    mine = request_for(room, day, 10, 12, title="Minun")
    theirs = request_for(room, day, 11, 13, title="Heidän")
    page = staff_client.get(reverse("frontend:staff-approve", args=[mine.pk]))
    assert page.status_code == 200
    _user, their_client = other_staff
    their_client.post(
        reverse("frontend:staff-approve", args=[theirs.pk]), {"sequence": theirs.sequence}
    )
    response = staff_client.post(
        reverse("frontend:staff-approve", args=[mine.pk]), {"sequence": mine.sequence}, follow=True
    )
    text = " ".join(shown_messages(response))
    assert "Nothing was changed." in text
    assert f"“Heidän” (#{theirs.pk})" in text
    assert status_of(mine) == BookingStatus.REQUESTED


def test_second_staff_deciding_the_same_request_hears_someone_decided_first(
    staff_client, other_staff, room
):
    booking = request_for(room, working_day(), 10, 12)
    _user, their_client = other_staff
    their_client.post(
        reverse("frontend:staff-reject", args=[booking.pk]),
        {"sequence": booking.sequence, "message": "Ei käy."},
    )
    response = staff_client.post(
        reverse("frontend:staff-approve", args=[booking.pk]),
        {"sequence": booking.sequence},
        follow=True,
    )
    text = " ".join(shown_messages(response))
    assert "someone decided first" in text or "changed by someone else" in text
    assert status_of(booking) == BookingStatus.REJECTED


def test_approving_a_booking_moved_since_the_page_was_drawn_is_refused(
    staff_client, staff_user, room
):
    day = working_day()
    booking = request_for(room, day, 10, 12)
    seen = booking.sequence
    booking_move(booking=booking, actor=staff_user, start=at(day, 14), end=at(day, 16))
    response = staff_client.post(
        reverse("frontend:staff-approve", args=[booking.pk]), {"sequence": seen}, follow=True
    )
    assert "changed by someone else" in " ".join(shown_messages(response))
    assert status_of(booking) == BookingStatus.REQUESTED


def test_rejecting_needs_a_message_for_the_renter(staff_client, room):
    booking = request_for(room, working_day(), 10, 12)
    url = reverse("frontend:staff-reject", args=[booking.pk])
    response = staff_client.post(url, {"sequence": booking.sequence, "message": ""})
    assert response.status_code == 200
    assert status_of(booking) == BookingStatus.REQUESTED
    staff_client.post(url, {"sequence": booking.sequence, "message": "Täynnä."})
    assert status_of(booking) == BookingStatus.REJECTED
    assert booking.decision_message == "Täynnä."


def move_data(booking: Booking, day, start: int, end: int, **extra) -> dict:
    return {
        "room": booking.room_id,
        "day": day.isoformat(),
        "start_time": f"{start:02d}:00",
        "end_time": f"{end:02d}:00",
        "sequence": booking.sequence,
        **extra,
    }


def test_moving_into_an_approved_booking_is_refused_naming_it(staff_client, staff_user, room):
    day = working_day()
    booking = approved_for(room, day, 10, 12, actor=staff_user, title="Siirrettävä")
    other = approved_for(room, day, 14, 16, actor=staff_user, title="Esteenä")
    response = staff_client.post(
        reverse("frontend:staff-move", args=[booking.pk]), move_data(booking, day, 15, 17)
    )
    html = response.content.decode()
    assert f"“Esteenä” (#{other.pk})" in html
    booking.refresh_from_db()
    assert booking.start == at(day, 10)


def test_a_stale_move_form_is_refused_not_overwritten(staff_client, staff_user, room):
    day = working_day()
    booking = approved_for(room, day, 10, 12, actor=staff_user)
    stale = move_data(booking, day, 13, 14)
    booking_move(booking=booking, actor=staff_user, start=at(day, 8), end=at(day, 9))
    response = staff_client.post(reverse("frontend:staff-move", args=[booking.pk]), stale)
    assert "someone else changed this booking" in response.content.decode()
    booking.refresh_from_db()
    assert booking.start == at(day, 8)


def test_moving_records_who_why_and_what_in_the_audit_trail(staff_client, staff_user, room):
    day = working_day()
    booking = approved_for(room, day, 10, 12, actor=staff_user)
    staff_client.post(
        reverse("frontend:staff-move", args=[booking.pk]),
        move_data(booking, day, 13, 15, reason="Asiakas pyysi"),
    )
    html = staff_client.get(reverse("frontend:staff-booking", args=[booking.pk])).content.decode()
    assert "Time or room changed" in html
    assert "Asiakas pyysi" in html
    assert f"{day:%d.%m.%Y} 10:00 → {day:%d.%m.%Y} 13:00" in html


def test_moving_outside_opening_hours_needs_a_reason(staff_client, staff_user, room):
    day = working_day()
    booking = approved_for(room, day, 10, 12, actor=staff_user)
    url = reverse("frontend:staff-move", args=[booking.pk])
    refused = staff_client.post(url, move_data(booking, day, 22, 23))
    assert "give a reason to book it anyway" in refused.content.decode()
    staff_client.post(url, move_data(booking, day, 22, 23, override_reason="Iltatilaisuus"))
    booking.refresh_from_db()
    assert booking.start == at(day, 22)


def series_of_three(room, day):
    return booking_series_request_create(
        room=room,
        start=at(day, 17),
        end=at(day, 18),
        recurrence=Recurrence(count=3),
        title="Viikkoryhmä",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )


def test_approving_a_series_skipping_the_clashing_date(staff_client, staff_user, room):
    day = working_day()
    series = series_of_three(room, day)
    first, second, third = series.bookings
    approved_for(room, second.start.date(), 16, 18, actor=staff_user, title="Este")
    # The clash was made after the request: the blocking booking came through staff.
    response = staff_client.post(
        reverse("frontend:staff-series-approve", args=[series.series.pk]),
        {"skip_conflicts": "on"},
        follow=True,
    )
    text = " ".join(shown_messages(response))
    assert "Approved 2 dates of the series." in text
    assert f"{second.start.astimezone(at(day, 0).tzinfo):%d.%m.%Y}" in text
    assert [status_of(b) for b in (first, second, third)] == [
        BookingStatus.APPROVED,
        BookingStatus.REJECTED,
        BookingStatus.APPROVED,
    ]


def test_approving_a_series_without_skipping_changes_nothing_on_a_clash(
    staff_client, staff_user, room
):
    day = working_day()
    series = series_of_three(room, day)
    approved_for(room, series.bookings[1].start.date(), 16, 18, actor=staff_user)
    staff_client.post(reverse("frontend:staff-series-approve", args=[series.series.pk]), {})
    assert {status_of(b) for b in series.bookings} == {BookingStatus.REQUESTED}


def test_cancelling_one_date_or_the_rest_of_a_series(staff_client, room):
    series = series_of_three(room, working_day())
    first, second, third = series.bookings
    staff_client.post(
        reverse("frontend:staff-cancel", args=[first.pk]),
        {"sequence": first.sequence, "reason": "Ei tänään", "scope": "one"},
    )
    assert [status_of(b) for b in (first, second, third)] == [
        BookingStatus.CANCELLED,
        BookingStatus.REQUESTED,
        BookingStatus.REQUESTED,
    ]
    staff_client.post(
        reverse("frontend:staff-cancel", args=[second.pk]),
        {"sequence": second.sequence, "reason": "Ryhmä loppui", "scope": "rest"},
    )
    assert status_of(third) == BookingStatus.CANCELLED
    assert third.audit_entries.filter(action=AuditAction.CANCELLED, reason="Ryhmä loppui").exists()


def test_detail_shows_every_field_the_price_snapshot_and_the_audit_trail(
    staff_client, staff_user, room
):
    day = working_day()
    booking = request_for(
        room, day, 10, 12, title="Vanhempainilta", business_id="0112038-9", phone="+358 40 1"
    )
    booking_approve(booking=booking, actor=staff_user, message="Tervetuloa")
    line = PriceLine(
        kind=ROOM,
        code="sali",
        names={"fi": "Sali", "en": "Hall"},
        start=booking.start,
        end=booking.end,
        quantity=Decimal("2"),
        unit="h",
        unit_price=Decimal("45.00"),
        vat_code="general",
        vat_rate=Decimal("25.5"),
        net=Decimal("90.00"),
        vat=Decimal("22.95"),
        gross=Decimal("112.95"),
    )
    BookingPrice.objects.update_or_create(
        booking=booking,
        defaults={
            "customer_group": "external",
            "room": room,
            "start": booking.start,
            "end": booking.end,
            "lines": [line.as_json()],
        },
    )
    html = staff_client.get(reverse("frontend:staff-booking", args=[booking.pk])).content.decode()
    for shown in (
        "Vanhempainilta",
        "Turun Perhetyö ry",
        "0112038-9",
        "Maija Meikäläinen",
        "maija@example.org",
        "+358 40 1",
        "Esimerkkikatu 1",
        "Tervetuloa",
        "112.95 €",
        "90.00 €",
    ):
        assert shown in html, shown
    audit = html[html.index("Audit trail") :]
    assert audit.index("Requested") < audit.index("Approved")  # oldest first
    assert "<td>staff</td>" in audit  # who approved


def test_the_audit_trail_names_changed_details_and_the_renter_in_the_staff_language(
    staff_client, staff_user, room
):
    booking = request_for(room, working_day(), 10, 12)
    booking_details_update(
        booking=booking,
        actor=staff_user,
        details={"title": "Uusi nimi", "phone": "+358 50 9876543"},
    )
    url = reverse("frontend:staff-booking", args=[booking.pk])
    english = staff_client.get(url).content.decode()
    audit = english[english.index("Audit trail") :]
    assert "Details changed" in audit and "phone, event title" in audit
    assert "<td>renter</td>" in audit  # who sent the request
    assert "9876543" not in audit  # the trail names fields, not personal data
    with translation.override("fi"):
        finnish = staff_client.get(reverse("frontend:staff-booking", args=[booking.pk]))
        renter_word = str(ACTOR_STAND_INS["renter"])
    finnish = finnish.content.decode()
    assert renter_word != "renter" and f"<td>{renter_word}</td>" in finnish


def test_detail_of_an_unpriceable_request_says_why_there_is_no_estimate(staff_client, room):
    booking = request_for(room, working_day(), 10, 12)
    html = staff_client.get(reverse("frontend:staff-booking", args=[booking.pk])).content.decode()
    assert "No price estimate: No price list gives this room a price" in html


def test_a_request_shows_its_price_estimate_before_approval(staff_client, priced_room):
    booking = request_for(priced_room, working_day(), 10, 12)
    html = staff_client.get(reverse("frontend:staff-booking", args=[booking.pk])).content.decode()
    assert "Price estimate before approval (External renters)" in html
    assert "80.00 €" in html  # two hours at 40 € net


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_revision_numbers_or_rule_text_on_a_series_date(
    staff_client, staff_user, room, language
):
    day = working_day(repeats=8)
    made = booking_series_request_create(
        room=room,
        start=at(day, 17),
        end=at(day, 18),
        recurrence=Recurrence(count=8),
        title="Kuoro",
        attendees=5,
        renter=renter(),
        accept_terms=True,
    )
    with translation.override(language):
        url = reverse("frontend:staff-booking", args=[made.bookings[0].pk])
    text = staff_client.get(url).content.decode()
    assert "FREQ=" not in text and "RRULE" not in text and "COUNT=" not in text
    assert not re.search(r"(?i)\b(versio|revision|version)\s*\d", text)
    words = {
        "fi": "joka {day}, 8 kertaa",
        "sv": "varje {day}, 8 gånger",
        "en": "every {day}, 8 times",
    }[language]
    names = {
        "fi": [
            "maanantai",
            "tiistai",
            "keskiviikko",
            "torstai",
            "perjantai",
            "lauantai",
            "sunnuntai",
        ],
        "sv": ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"],
        "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    }[language]
    assert words.format(day=names[day.weekday()]) in text


def test_accounting_sees_the_detail_without_decision_buttons(client, accounting_user, room):
    booking = request_for(room, working_day(), 10, 12)
    client.force_login(accounting_user)
    html = client.get(reverse("frontend:staff-booking", args=[booking.pk])).content.decode()
    assert booking.title in html
    assert reverse("frontend:staff-approve", args=[booking.pk]) not in html


def test_moving_a_day_ahead_keeps_helsinki_wall_clock(staff_client, staff_user, room):
    day = working_day()
    booking = approved_for(room, day, 10, 12, actor=staff_user)
    next_day = day + timedelta(days=1)
    staff_client.post(
        reverse("frontend:staff-move", args=[booking.pk]),
        move_data(booking, next_day, 10, 12, override_reason="Pyhä"),
    )
    booking.refresh_from_db()
    assert booking.start == at(next_day, 10)


def test_the_approve_page_of_a_decided_booking_goes_back_to_the_booking(
    staff_client, staff_user, room
):
    booking = approved_for(room, working_day(), 10, 12, actor=staff_user)
    response = staff_client.get(reverse("frontend:staff-approve", args=[booking.pk]))
    assert response["Location"] == reverse("frontend:staff-booking", args=[booking.pk])
