"""The Django admin as booking staff, accounting and the administrator use it.

Every write in the admin must go through the booking services: a clash or a broken rule
is shown to the person and nothing changes; never a server error.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation

from bookings.errors import BookingConflict
from bookings.models import (
    AuditAction,
    AuditEntry,
    Booking,
    BookingStatus,
    Closure,
    Customer,
    HolidayOpening,
    HouseRules,
    MemberOrganisation,
    Occupancy,
    OpeningHours,
    Room,
)
from bookings.roles import ACCOUNTING, BOOKING_STAFF
from bookings.schedule import finnish_holidays, local
from bookings.services import (
    booking_approve,
    booking_cancel,
    booking_request_create,
    booking_staff_create,
    closure_create,
)
from tests.factories import at, make_room, renter, working_day

pytestmark = pytest.mark.django_db


# --- Helpers ---------------------------------------------------------------------------


def admin_url(name: str, *args: object) -> str:
    # The English admin, so the test reads the same words as an English-speaking user.
    return reverse_en(f"admin:bookings_{name}", *args)


ADMIN_MODELS = (
    "houserules",
    "room",
    "openinghours",
    "holidayopening",
    "closure",
    "memberorganisation",
    "customer",
    "booking",
    "auditentry",
)
ADDABLE = (
    "room",
    "openinghours",
    "holidayopening",
    "closure",
    "memberorganisation",
    "customer",
    "booking",
)


def reverse_en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def next_holiday() -> date:
    """The next Finnish public holiday at least two weeks ahead."""
    start = working_day()
    return next(
        day
        for year in (start.year, start.year + 1)
        for day in sorted(finnish_holidays(year))
        if day > start
    )


def shown_messages(response) -> list[str]:
    """The messages on the page a person lands on after following the redirect."""
    assert response.redirect_chain, "a finished action or save redirects"
    return [str(message) for message in response.context["messages"]]


def span(start: str, end: str) -> str:
    return f"{start}\N{EN DASH}{end}"


def occupancy() -> set[tuple]:
    return set(
        Occupancy.objects.values_list(
            "space_id", "start", "end", "kind", "booking_id", "closure_id"
        )
    )


def requested(room: Room, start: datetime, end: datetime, title: str = "Vanhempainilta"):
    return booking_request_create(
        room=room,
        start=start,
        end=end,
        title=title,
        attendees=10,
        renter=renter(),
        accept_terms=True,
    ).booking


def approved(room: Room, start: datetime, end: datetime, title: str = "Hallituksen kokous"):
    return booking_staff_create(
        actor=None, room=room, start=start, end=end, title=title, attendees=5
    )


def split(name: str, moment: datetime) -> dict[str, str]:
    """A datetime as the admin's split date and time inputs, in Helsinki time."""
    here = local(moment)
    return {f"{name}_0": here.strftime("%Y-%m-%d"), f"{name}_1": here.strftime("%H:%M:%S")}


def booking_add_data(room: Room, start: datetime, end: datetime, **fields: object) -> dict:
    data = {
        "room": room.pk,
        **split("start", start),
        **split("end", end),
        "title": "Koulutuspäivä",
        "attendees": 10,
        "override_reason": "",
        "language": "fi",
    }
    data.update(fields)
    return data


def booking_change_data(booking: Booking, **changes: object) -> dict:
    """What the change form posts for the booking as it is now, with some changes."""
    start = changes.pop("start", booking.start)
    end = changes.pop("end", booking.end)
    data = {
        "title": booking.title,
        "attendees": booking.attendees,
        "customer": booking.customer_id or "",
        "room": booking.room_id,
        **split("start", start),
        **split("end", end),
        "override_reason": booking.override_reason,
        "change_reason": "",
        "seen_sequence": booking.sequence,
        "language": booking.language,
        "message": booking.message,
    }
    for name in ("organisation", "business_id", "contact_name", "email", "phone"):
        data[name] = getattr(booking, name)
    data.update(changes)
    return data


def management_form(prefix: str) -> dict[str, int]:
    return {
        f"{prefix}-TOTAL_FORMS": 0,
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }


def room_change_data(room: Room, parts: list[Room]) -> dict:
    data: dict = {
        "slug": room.slug,
        "capacity": room.capacity,
        "sort_order": room.sort_order,
        "parts": [part.pk for part in parts],
        **management_form("photos"),
        **management_form("opening_hours"),
    }
    for language in ("fi", "sv", "en"):
        for field in ("name", "description", "accessibility"):
            data[f"{field}_{language}"] = getattr(room, f"{field}_{language}")
    for flag in ("is_public", "is_active"):
        if getattr(room, flag):
            data[flag] = "on"
    return data


def run_action(client, action: str, objects: list, model: str = "booking", **extra: object):
    return client.post(
        admin_url(f"{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects], "index": 0, **extra},
        follow=True,
    )


def form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form should be shown again with its errors"
    form = response.context["adminform"].form
    return {name: [str(error) for error in errors] for name, errors in form.errors.items()}


# --- People ----------------------------------------------------------------------------


@pytest.fixture(params=["superuser", "booking staff"])
def person(request, admin_user, staff_user):
    """Every test using this runs as the administrator and as a Booking staff member."""
    return admin_user if request.param == "superuser" else staff_user


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


@pytest.fixture
def accounting_user(django_user_model):
    user = django_user_model.objects.create_user("kirjanpito", is_staff=True)
    user.groups.add(Group.objects.get(name=ACCOUNTING))
    return user


# --- Approving, rejecting and cancelling -----------------------------------------------


def test_approving_a_clashing_request_shows_the_clash_and_changes_nothing(signed_in, room):
    day = working_day()
    first = requested(room, at(day, 10), at(day, 12), title="Vanhempainilta")
    second = requested(room, at(day, 11), at(day, 13), title="Kevätjuhla")
    booking_approve(booking=first, actor=None)
    before, audit_before = occupancy(), AuditEntry.objects.count()

    response = run_action(signed_in, "approve_selected", [second], confirm="yes")

    (message,) = shown_messages(response)
    assert "clashes" in message
    # The other booking, by title and number, at its Helsinki time.
    assert "Vanhempainilta" in message and f"#{first.pk}" in message
    assert span("10:00", "12:00") in message and span("09:45", "12:15") in message
    second.refresh_from_db()
    assert second.status == BookingStatus.REQUESTED
    assert occupancy() == before
    assert AuditEntry.objects.count() == audit_before


def test_approving_a_free_request_approves_it_and_records_who(signed_in, person, room):
    day = working_day()
    booking = requested(room, at(day, 10), at(day, 12))

    response = run_action(signed_in, "approve_selected", [booking], confirm="yes")

    assert shown_messages(response) == [f"Approved: {booking}"]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    assert set(Occupancy.objects.filter(booking=booking).values_list("kind", flat=True)) == {
        "approved"
    }
    entry = AuditEntry.objects.filter(booking=booking).latest("at")
    assert (entry.action, entry.actor) == (AuditAction.APPROVED, person)


def test_approving_competing_requests_at_once_approves_the_older_and_reports_the_other(
    admin_client, room
):
    day = working_day()
    older = requested(room, at(day, 10), at(day, 12), title="Vanhempainilta")
    newer = requested(room, at(day, 11), at(day, 13), title="Kevätjuhla")

    response = run_action(admin_client, "approve_selected", [newer, older], confirm="yes")

    approved_message, clash_message = shown_messages(response)
    assert approved_message == f"Approved: {older}"
    assert clash_message.startswith(str(newer)) and "Vanhempainilta" in clash_message
    assert Booking.objects.get(pk=older.pk).status == BookingStatus.APPROVED
    assert Booking.objects.get(pk=newer.pk).status == BookingStatus.REQUESTED


def test_approving_a_request_under_a_closure_names_the_closure(admin_client, room):
    day = working_day()
    booking = requested(room, at(day, 10), at(day, 12))
    closure = closure_create(
        actor=None, start=at(day, 8), end=at(day, 11), reason="renovation", rooms=[room]
    )

    response = run_action(admin_client, "approve_selected", [booking], confirm="yes")

    (message,) = shown_messages(response)
    assert f"closure #{closure.pk} (Renovation)" in message and span("08:00", "11:00") in message
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.REQUESTED


def test_approving_a_booking_decided_already_reports_its_state(admin_client, room):
    day = working_day()
    booking = approved(room, at(day, 10), at(day, 12))

    response = run_action(admin_client, "approve_selected", [booking], confirm="yes")

    assert shown_messages(response) == [f"{booking}: The booking is already approved."]


def test_reject_asks_for_a_message_on_its_own_page_then_rejects(signed_in, person, room):
    day = working_day()
    booking = requested(room, at(day, 10), at(day, 12))

    page = run_action(signed_in, "reject_selected", [booking])
    assert page.status_code == 200
    assert "Message to the renter" in page.content.decode()
    assert str(booking) in page.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.REQUESTED

    confirm = {"action": "reject_selected", "_selected_action": [booking.pk], "confirm": "yes"}
    empty = signed_in.post(admin_url("booking_changelist"), {**confirm, "message": " "})
    assert empty.status_code == 200 and empty.context["form"].errors["message"]
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.REQUESTED

    done = signed_in.post(
        admin_url("booking_changelist"), {**confirm, "message": "Sali on remontissa."}, follow=True
    )
    assert shown_messages(done) == [f"Rejected: {booking}"]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REJECTED
    assert booking.decision_message == "Sali on remontissa."
    entry = AuditEntry.objects.filter(booking=booking).latest("at")
    assert (entry.action, entry.actor, entry.reason) == (
        AuditAction.REJECTED,
        person,
        "Sali on remontissa.",
    )


def test_cancel_asks_for_an_optional_reason_and_frees_the_time(admin_client, room):
    day = working_day()
    booking = approved(room, at(day, 10), at(day, 12))

    page = run_action(admin_client, "cancel_selected", [booking])
    assert page.status_code == 200
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.APPROVED

    done = admin_client.post(
        admin_url("booking_changelist"),
        {"action": "cancel_selected", "_selected_action": [booking.pk], "confirm": "yes"},
        follow=True,
    )

    assert shown_messages(done) == [f"Cancelled: {booking}"]
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert not Occupancy.objects.filter(booking=booking).exists()
    assert approved(room, at(day, 10), at(day, 12)).pk  # the time is free again


# --- Adding and changing bookings ------------------------------------------------------


def test_adding_a_clashing_booking_shows_a_form_error_and_writes_nothing(signed_in, room):
    day = working_day()
    other = approved(room, at(day, 10), at(day, 12), title="Hallituksen kokous")
    counts = (Booking.objects.count(), AuditEntry.objects.count(), Customer.objects.count())
    before = occupancy()

    response = signed_in.post(
        admin_url("booking_add"),
        booking_add_data(
            room,
            at(day, 11),
            at(day, 13),
            organisation="Turun Perhetyö ry",
            contact_name="Maija",
            email="maija@example.org",
        ),
    )

    (error,) = form_errors(response)["__all__"]
    assert (
        "Hallituksen kokous" in error
        and f"#{other.pk}" in error
        and span("10:00", "12:00") in error
    )
    assert "Hallituksen kokous" in response.content.decode()
    counts_after = (Booking.objects.count(), AuditEntry.objects.count(), Customer.objects.count())
    assert counts_after == counts
    assert occupancy() == before


def test_adding_a_free_booking_creates_it_approved_with_the_rules_buffers(signed_in, person, room):
    day = working_day()

    response = signed_in.post(
        admin_url("booking_add"),
        booking_add_data(
            room,
            at(day, 14),
            at(day, 16),
            organisation="Turun Perhetyö ry",
            business_id="23319727",
            contact_name="Maija Meikäläinen",
            email="maija@example.org",
        ),
    )

    assert response.status_code == 302, form_errors(response)
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.APPROVED
    assert booking.created_by == person
    assert (booking.setup_buffer_minutes, booking.cleanup_buffer_minutes) == (15, 15)
    assert booking.customer.business_id == "2331972-7"
    assert AuditEntry.objects.get(booking=booking).action == AuditAction.CREATED
    assert Occupancy.objects.filter(booking=booking, kind="approved").count() == 1


def test_adding_outside_opening_hours_needs_a_reason(admin_client, room):
    day = working_day()
    data = booking_add_data(room, at(day, 22), at(day, 23, 30))

    refused = admin_client.post(admin_url("booking_add"), data)

    assert "give a reason" in form_errors(refused)["override_reason"][0]
    assert not Booking.objects.exists()
    accepted = admin_client.post(
        admin_url("booking_add"), {**data, "override_reason": "Yhdistyksen juhla"}
    )
    assert accepted.status_code == 302
    assert Booking.objects.get().override_reason == "Yhdistyksen juhla"


def test_renter_details_need_a_name_and_address_once_any_is_given(admin_client, room):
    day = working_day()
    response = admin_client.post(
        admin_url("booking_add"), booking_add_data(room, at(day, 10), at(day, 12), phone="040 1")
    )
    errors = form_errors(response)
    assert {"organisation", "contact_name", "email"} <= set(errors)
    assert not Booking.objects.exists()


def test_a_clash_found_only_at_save_time_is_a_message_and_saves_nothing(
    admin_client, room, monkeypatch
):
    """Someone approved an overlapping booking between the form's check and its save."""
    day = working_day()
    approved(room, at(day, 10), at(day, 12), title="Hallituksen kokous")
    monkeypatch.setattr("bookings.admin.booking_forms.validate_by_dry_run", lambda form, call: None)
    counts = (Booking.objects.count(), AuditEntry.objects.count())

    response = admin_client.post(
        admin_url("booking_add"), booking_add_data(room, at(day, 11), at(day, 13)), follow=True
    )

    assert response.redirect_chain == [(admin_url("booking_add"), 302)]
    (message,) = shown_messages(response)
    assert "Hallituksen kokous" in message
    assert (Booking.objects.count(), AuditEntry.objects.count()) == counts


def test_moving_an_approved_booking_onto_another_shows_an_error_and_changes_nothing(
    signed_in, room
):
    day = working_day()
    approved(room, at(day, 10), at(day, 12), title="Hallituksen kokous")
    booking = approved(room, at(day, 14), at(day, 16), title="Koulutus")
    before = occupancy()

    response = signed_in.post(
        admin_url("booking_change", booking.pk),
        booking_change_data(booking, start=at(day, 11), end=at(day, 13), title="Uusi nimi"),
    )

    (error,) = form_errors(response)["__all__"]
    assert "Hallituksen kokous" in error
    after = Booking.objects.get(pk=booking.pk)
    assert (after.start, after.end, after.title) == (at(day, 14), at(day, 16), "Koulutus")
    assert occupancy() == before
    assert not AuditEntry.objects.filter(action=AuditAction.MOVED).exists()


def test_moving_to_a_free_time_moves_it_and_records_why(signed_in, person, room):
    day = working_day()
    booking = approved(room, at(day, 14), at(day, 16))

    response = signed_in.post(
        admin_url("booking_change", booking.pk),
        booking_change_data(
            booking, start=at(day, 17), end=at(day, 18), change_reason="Asiakas pyysi"
        ),
    )

    assert response.status_code == 302, form_errors(response)
    booking.refresh_from_db()
    assert (booking.start, booking.end) == (at(day, 17), at(day, 18))
    held = Occupancy.objects.get(booking=booking)
    assert (held.start, held.end) == (at(day, 16, 45), at(day, 18, 15))
    entry = AuditEntry.objects.get(action=AuditAction.MOVED)
    assert (entry.booking, entry.actor, entry.reason) == (booking, person, "Asiakas pyysi")


def test_a_change_form_older_than_the_booking_is_refused(admin_client, room):
    day = working_day()
    booking = approved(room, at(day, 14), at(day, 16))
    seen = booking.sequence
    # Someone else changed the booking after this person opened the form.
    Booking.objects.filter(pk=booking.pk).update(sequence=seen + 1)

    response = admin_client.post(
        admin_url("booking_change", booking.pk),
        booking_change_data(booking, start=at(day, 17), end=at(day, 18), seen_sequence=seen),
    )

    assert "changed by someone else" in form_errors(response)["__all__"][0]
    assert Booking.objects.get(pk=booking.pk).start == at(day, 14)


def test_details_are_saved_but_status_cannot_be_changed_in_the_form(admin_client, room):
    day = working_day()
    booking = approved(room, at(day, 14), at(day, 16))

    response = admin_client.post(
        admin_url("booking_change", booking.pk),
        booking_change_data(booking, title="Kevätkokous", status="cancelled", sequence=99),
    )

    assert response.status_code == 302, form_errors(response)
    booking.refresh_from_db()
    assert booking.title == "Kevätkokous"
    assert booking.status == BookingStatus.APPROVED
    assert booking.sequence == 0
    assert Occupancy.objects.filter(booking=booking, kind="approved").exists()
    entry = AuditEntry.objects.get(booking=booking, action=AuditAction.DETAILS_CHANGED)
    assert entry.actor.is_superuser and entry.changes == {"fields": ["title"]}


def test_more_attendees_than_the_room_takes_are_refused_on_change(admin_client, room):
    day = working_day()
    booking = approved(room, at(day, 14), at(day, 16))

    response = admin_client.post(
        admin_url("booking_change", booking.pk), booking_change_data(booking, attendees=31)
    )

    assert "at most 30 people" in form_errors(response)["attendees"][0]
    assert Booking.objects.get(pk=booking.pk).attendees == 5


def test_change_page_shows_the_audit_trail_and_no_way_to_delete(admin_client, room):
    day = working_day()
    booking = requested(room, at(day, 10), at(day, 12))
    booking_approve(booking=booking, actor=None, message="Tervetuloa")

    page = admin_client.get(admin_url("booking_change", booking.pk)).content.decode()

    assert "Audit trail" in page
    assert "Requested" in page and "renter" in page and "Tervetuloa" in page
    assert admin_url("booking_delete", booking.pk) not in page


def test_deleting_bookings_is_not_offered(admin_client, room):
    day = working_day()
    booking = requested(room, at(day, 10), at(day, 12))

    changelist = admin_client.get(admin_url("booking_changelist"))
    actions = [name for name, _label in changelist.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert {"approve_selected", "reject_selected", "cancel_selected"} <= set(actions)
    assert admin_client.post(admin_url("booking_delete", booking.pk)).status_code == 403
    assert Booking.objects.filter(pk=booking.pk).exists()


# --- The booking list ------------------------------------------------------------------


def listed(client, **query: object) -> list[str]:
    response = client.get(admin_url("booking_changelist"), query)
    assert response.status_code == 200
    return sorted(booking.title for booking in response.context["cl"].result_list)


def test_the_booking_list_filters_by_room_status_and_date(admin_client, room, hall):
    _whole, east, _west = hall
    day = working_day()
    approved(room, at(day, 10), at(day, 12), title="Sali hyväksytty")
    requested(east, at(day, 10), at(day, 12), title="Itä pyydetty")
    past = timezone.now() - timedelta(days=3)
    Booking.objects.create(
        room=room,
        start=past,
        end=past + timedelta(hours=1),
        title="Mennyt",
        attendees=3,
        status=BookingStatus.APPROVED,
    )

    assert listed(admin_client, room__id__exact=room.pk) == ["Mennyt", "Sali hyväksytty"]
    assert listed(admin_client, status__exact="requested") == ["Itä pyydetty"]
    assert listed(admin_client, when="upcoming") == ["Itä pyydetty", "Sali hyväksytty"]
    assert listed(admin_client, when="past") == ["Mennyt"]
    assert listed(admin_client, q="hyväksytty") == ["Sali hyväksytty"]
    on_the_day = {"start__year": day.year, "start__month": day.month, "start__day": day.day}
    assert listed(admin_client, **on_the_day) == ["Itä pyydetty", "Sali hyväksytty"]


def test_the_booking_list_shows_helsinki_time(admin_client, room):
    day = working_day()
    approved(room, at(day, 10), at(day, 12), title="Aamupäivä")

    page = admin_client.get(admin_url("booking_changelist")).content.decode()

    assert at(day, 10).strftime("%d.%m.%Y 10:00") in page


# --- Closures --------------------------------------------------------------------------


def closure_add_data(rooms: list[Room], start: datetime, end: datetime, **fields) -> dict:
    return {
        "rooms": [room.pk for room in rooms],
        **split("start", start),
        **split("end", end),
        "reason": "renovation",
        "note": "",
        **fields,
    }


def test_a_closure_over_an_approved_booking_is_refused(signed_in, room):
    day = working_day()
    other = approved(room, at(day, 10), at(day, 12), title="Hallituksen kokous")
    before = occupancy()

    response = signed_in.post(
        admin_url("closure_add"), closure_add_data([room], at(day, 11), at(day, 13))
    )

    (error,) = form_errors(response)["__all__"]
    assert "Hallituksen kokous" in error and f"#{other.pk}" in error
    assert not Closure.objects.exists()
    assert occupancy() == before


def test_a_free_closure_is_created_through_the_service(signed_in, person, room):
    day = working_day()

    response = signed_in.post(
        admin_url("closure_add"), closure_add_data([room], at(day, 8), at(day, 12))
    )

    assert response.status_code == 302, form_errors(response)
    closure = Closure.objects.get()
    assert closure.created_by == person
    assert list(closure.rooms.all()) == [room]
    assert Occupancy.objects.get(closure=closure).kind == "closed"
    assert AuditEntry.objects.get(closure=closure).action == AuditAction.CLOSURE_CREATED
    with pytest.raises(BookingConflict):
        approved(room, at(day, 10), at(day, 11))


def test_a_closure_cannot_be_moved_or_deleted_once_made(admin_client, room):
    day = working_day()
    closure = closure_create(
        actor=None, start=at(day, 8), end=at(day, 12), reason="cleaning", rooms=[room]
    )

    response = admin_client.post(
        admin_url("closure_change", closure.pk),
        {**closure_add_data([], at(day, 13), at(day, 14)), "note": "Ikkunat"},
    )

    assert response.status_code == 302
    closure.refresh_from_db()
    assert (closure.start, closure.note, list(closure.rooms.all())) == (
        at(day, 8),
        "Ikkunat",
        [room],
    )
    assert admin_client.post(admin_url("closure_delete", closure.pk)).status_code == 403


def test_removing_a_closure_frees_its_time_once(signed_in, person, room):
    day = working_day()
    closure = closure_create(
        actor=None, start=at(day, 8), end=at(day, 12), reason="cleaning", rooms=[room]
    )

    response = run_action(signed_in, "remove_closures", [closure], model="closure")

    assert shown_messages(response) == [f"Removed: {closure}"]
    closure.refresh_from_db()
    assert closure.removed_at is not None
    assert not Occupancy.objects.filter(closure=closure).exists()
    entry = AuditEntry.objects.get(action=AuditAction.CLOSURE_REMOVED)
    assert entry.actor == person
    assert approved(room, at(day, 9), at(day, 11)).pk

    again = run_action(signed_in, "remove_closures", [closure], model="closure")
    assert shown_messages(again) == [f"{closure}: The closure has already been removed."]


# --- Rooms -----------------------------------------------------------------------------


def test_making_a_room_a_combination_relays_its_occupancy(signed_in, person, hours):
    east, west = make_room(slug="ita", capacity=20), make_room(slug="lansi", capacity=20)
    whole = make_room(slug="koko", capacity=40)
    day = working_day()
    approved(east, at(day, 10), at(day, 12), title="Idän kokous")
    approved(west, at(day, 14), at(day, 16), title="Lännen kokous")

    response = signed_in.post(
        admin_url("room_change", whole.pk), room_change_data(whole, [east, west])
    )

    assert response.status_code == 302, form_errors(response)
    assert set(whole.parts.all()) == {east, west}
    entry = AuditEntry.objects.get(action=AuditAction.ROOM_PARTS_CHANGED)
    assert (entry.room, entry.actor) == (whole, person)
    for hour in (10, 14):
        with pytest.raises(BookingConflict):
            approved(whole, at(day, hour), at(day, hour + 1))
    assert approved(whole, at(day, 18), at(day, 19)).pk


def test_a_change_of_parts_that_would_clash_is_refused(admin_client, hours):
    east, west = make_room(slug="ita", capacity=20), make_room(slug="lansi", capacity=20)
    whole = make_room(slug="koko", capacity=40)
    day = working_day()
    approved(whole, at(day, 10), at(day, 12), title="Koko salin juhla")
    approved(east, at(day, 11), at(day, 13), title="Idän kokous")
    before = occupancy()

    response = admin_client.post(
        admin_url("room_change", whole.pk),
        {**room_change_data(whole, [east, west]), "capacity": 45},
    )

    (error,) = form_errors(response)["__all__"]
    assert "Idän kokous" in error or "Koko salin juhla" in error
    whole.refresh_from_db()
    assert (list(whole.parts.all()), whole.capacity) == ([], 40)
    assert occupancy() == before
    assert not AuditEntry.objects.filter(action=AuditAction.ROOM_PARTS_CHANGED).exists()


def test_a_room_cannot_become_part_of_its_own_part(admin_client, hall):
    whole, east, _west = hall

    response = admin_client.post(admin_url("room_change", east.pk), room_change_data(east, [whole]))

    assert "part of itself" in form_errors(response)["parts"][0]
    assert not east.parts.exists()


# --- Every page ------------------------------------------------------------------------


def test_every_admin_page_of_the_booking_app_opens(admin_client, hall):
    whole, east, _west = hall
    day = working_day()
    booking = requested(east, at(day, 10), at(day, 12))
    closure = closure_create(
        actor=None, start=at(day, 14), end=at(day, 15), reason="cleaning", whole_house=True
    )
    opening = HolidayOpening.objects.create(room=whole, date=next_holiday())
    member = MemberOrganisation.objects.create(name="Jäsen ry", business_id="2331972-7")
    pages = [admin_url(f"{model}_changelist") for model in ADMIN_MODELS]
    pages += [admin_url(f"{model}_add") for model in ADDABLE]
    pages += [
        admin_url("booking_change", booking.pk),
        admin_url("room_change", whole.pk),
        admin_url("closure_change", closure.pk),
        admin_url("holidayopening_change", opening.pk),
        admin_url("memberorganisation_change", member.pk),
        admin_url("customer_change", booking.customer_id),
        admin_url("houserules_change", 1),
        admin_url("auditentry_change", AuditEntry.objects.first().pk),
        admin_url("openinghours_change", OpeningHours.objects.first().pk),
    ]
    for page in pages:
        assert admin_client.get(page).status_code == 200, page
    hours = admin_client.get(admin_url("openinghours_changelist")).content.decode()
    assert "House default" in hours
    app_page = admin_client.get(reverse_en("admin:app_list", "bookings")).content.decode()
    assert "Closures" in app_page and "Occupanc" not in app_page  # internal, not in the admin


def test_a_decided_booking_keeps_its_time_and_room(admin_client, room):
    day = working_day()
    booking = requested(room, at(day, 10), at(day, 12))
    open_page = admin_client.get(admin_url("booking_change", booking.pk)).content.decode()
    assert 'name="start_0"' in open_page and 'name="seen_sequence"' in open_page
    booking_cancel(booking=booking, actor=None)
    booking.refresh_from_db()

    page = admin_client.get(admin_url("booking_change", booking.pk)).content.decode()
    assert 'name="start_0"' not in page and 'name="room"' not in page
    data = booking_change_data(booking, title="Peruttu ilta", start=at(day, 17), end=at(day, 18))
    response = admin_client.post(admin_url("booking_change", booking.pk), data)

    assert response.status_code == 302, form_errors(response)
    booking.refresh_from_db()
    assert (booking.title, booking.start) == ("Peruttu ilta", at(day, 10))


def test_a_holiday_opening_must_be_on_a_public_holiday(admin_client, room):
    weekday = working_day()
    refused = admin_client.post(
        admin_url("holidayopening_add"), {"room": room.pk, "date": weekday.isoformat()}
    )
    assert "not a Finnish public holiday" in form_errors(refused)["date"][0]

    holiday = next_holiday()
    saved = admin_client.post(
        admin_url("holidayopening_add"), {"room": room.pk, "date": holiday.isoformat()}
    )
    assert saved.status_code == 302
    assert HolidayOpening.objects.get().date == holiday


# --- House rules and the audit trail ---------------------------------------------------


def test_house_rules_can_be_edited_but_not_added_or_deleted(admin_client, db):
    assert admin_client.get(admin_url("houserules_add")).status_code == 403
    assert admin_client.post(admin_url("houserules_delete", 1)).status_code == 403
    fields = HouseRules.RULE_FIELDS + HouseRules.CANCELLATION_FIELDS
    data = {field: getattr(HouseRules.load(), field) for field in fields}

    blank = admin_client.post(admin_url("houserules_change", 1), {**data, "slot_minutes": ""})
    assert "slot_minutes" in form_errors(blank)
    saved = admin_client.post(admin_url("houserules_change", 1), {**data, "slot_minutes": 15})
    assert saved.status_code == 302
    assert HouseRules.load().slot_minutes == 15


def test_the_audit_trail_is_read_only(admin_client, room):
    day = working_day()
    booking = requested(room, at(day, 10), at(day, 12))
    entry = AuditEntry.objects.get(booking=booking)

    assert admin_client.get(admin_url("auditentry_changelist")).status_code == 200
    assert admin_client.get(admin_url("auditentry_add")).status_code == 403
    changed = admin_client.post(admin_url("auditentry_change", entry.pk), {"reason": "forged"})
    assert changed.status_code == 403
    assert admin_client.post(admin_url("auditentry_delete", entry.pk)).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


# --- Roles -----------------------------------------------------------------------------


def test_the_roles_exist_after_migrations_with_their_permissions(db):
    def codenames(group: str) -> set[str]:
        return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))

    edit = ("view", "add", "change")
    staff = {
        f"{action}_{model}"
        for model in ("room", "closure", "customer", "booking", "houserules")
        for action in edit
    }
    staff |= {
        f"{action}_{model}"
        for model in ("roomphoto", "openinghours", "holidayopening", "memberorganisation")
        for action in (*edit, "delete")
    }
    staff |= {"view_auditentry", "view_bookingprice"}
    staff |= {f"{action}_{model}" for model in ("pricelist", "extra") for action in edit}
    staff |= {f"{action}_roomprice" for action in (*edit, "delete")}
    assert codenames(BOOKING_STAFF) == staff
    assert codenames(ACCOUNTING) == {
        "view_booking",
        "view_customer",
        "view_room",
        "view_memberorganisation",
        *(f"{action}_{model}" for model in ("invoice", "sellersettings") for action in edit),
        "view_invoiceline",
        "view_payment",
        "add_payment",
        *(f"view_{model}" for model in ("pricelist", "roomprice", "extra", "bookingprice")),
        "view_vatrate",
    }


def test_booking_staff_can_open_the_booking_list_and_decide(client, staff_user, room):
    client.force_login(staff_user)
    response = client.get(admin_url("booking_changelist"))
    assert response.status_code == 200
    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert "approve_selected" in actions


def test_accounting_can_read_bookings_but_not_change_or_decide_them(client, accounting_user, room):
    day = working_day()
    booking = requested(room, at(day, 10), at(day, 12))
    client.force_login(accounting_user)

    response = client.get(admin_url("booking_changelist"))
    assert response.status_code == 200
    assert response.context["action_form"] is None  # no approve, reject or cancel
    assert client.get(admin_url("booking_change", booking.pk)).status_code == 200

    changed = client.post(
        admin_url("booking_change", booking.pk), booking_change_data(booking, title="Muutettu")
    )
    assert changed.status_code == 403
    run_action(client, "approve_selected", [booking], confirm="yes")
    booking.refresh_from_db()
    assert (booking.title, booking.status) == ("Vanhempainilta", BookingStatus.REQUESTED)
    assert client.get(admin_url("booking_add")).status_code == 403
    assert client.get(admin_url("closure_changelist")).status_code == 403
