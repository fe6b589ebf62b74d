"""The staff e-mail about a new request (SPEC §2.9, issue 15 part 4): it links to the
request's page in the staff workspace, in each staff member's language, which is the
language of the login page they last signed in on (Finnish until they do)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from bookings.models import Booking
from frontend.models import StaffLanguage
from tests.frontend.test_emails import html_of, send_form

pytestmark = pytest.mark.django_db

PASSWORD = "pw-staff-language-1"


@pytest.fixture
def staff_member(django_user_model):
    def make(username: str, email: str):
        user = django_user_model.objects.create_user(username, email, PASSWORD)
        user.groups.add(Group.objects.get_or_create(name="Booking staff")[0])
        return user

    return make


def sign_in(username: str, prefix: str) -> None:
    response = Client().post(f"{prefix}/staff/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def staff_mail(address: str):
    return [message for message in mail.outbox if message.to == [address]]


def test_each_staff_member_reads_the_request_in_the_language_they_signed_in_in(
    client, priced_room, day, staff_member, django_capture_on_commit_callbacks
):
    staff_member("anna", "anna@heideken.example")
    staff_member("bertil", "bertil@heideken.example")
    staff_member("carol", "carol@heideken.example")
    sign_in("bertil", "/sv")
    sign_in("carol", "/en")  # anna has never signed in: Finnish, the house's language

    send_form(client, priced_room, day, django_capture_on_commit_callbacks, language="en")

    booking = Booking.objects.get()
    expected = {
        "anna@heideken.example": ("Uusi varauspyyntö", f"/staff/bookings/{booking.pk}/"),
        "bertil@heideken.example": ("Ny bokningsförfrågan", f"/sv/staff/bookings/{booking.pk}/"),
        "carol@heideken.example": ("New booking request", f"/en/staff/bookings/{booking.pk}/"),
    }
    for address, (subject, path) in expected.items():
        (message,) = staff_mail(address)
        assert message.subject.startswith(subject)
        link = f"http://127.0.0.1:8000{path}"
        assert link in message.body and f'href="{link}"' in html_of(message)
        assert "/admin/" not in message.body


def test_signing_in_again_in_another_language_changes_the_next_emails(
    client, priced_room, day, staff_member, django_capture_on_commit_callbacks
):
    user = staff_member("bertil", "bertil@heideken.example")
    sign_in("bertil", "/sv")
    sign_in("bertil", "")

    send_form(client, priced_room, day, django_capture_on_commit_callbacks, language="sv")

    assert StaffLanguage.objects.get(user=user).language == "fi"
    (message,) = staff_mail("bertil@heideken.example")
    assert message.subject.startswith("Uusi varauspyyntö")


def test_the_link_opens_the_request_for_the_staff_member(
    client, priced_room, day, staff_member, django_capture_on_commit_callbacks
):
    user = staff_member("bertil", "bertil@heideken.example")
    sign_in("bertil", "/sv")
    send_form(client, priced_room, day, django_capture_on_commit_callbacks)
    (message,) = staff_mail("bertil@heideken.example")
    path = message.body.split("http://127.0.0.1:8000", 2)[-1].split()[0]

    reader = Client()
    reader.force_login(user)
    page = reader.get(path)

    assert page.status_code == 200
    assert Booking.objects.get().title in page.content.decode()
    assert '<html lang="sv">' in page.content.decode()


def test_a_failed_sign_in_remembers_no_language(client, staff_member):
    staff_member("bertil", "bertil@heideken.example")

    Client().post("/sv/staff/login/", {"username": "bertil", "password": "wrong"})

    assert not StaffLanguage.objects.exists()
