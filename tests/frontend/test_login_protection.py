"""Password guessing on the staff and admin logins is cut off (django-axes), counted by
user name and by the client address heideken.clients vouches for."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/en/staff/login/"
ADMIN_LOGIN = "/en/admin/login/"


def log_in(client, username: str, password: str, url: str = STAFF_LOGIN, **meta):
    return client.post(url, {"username": username, "password": password}, **meta)


def fail(client, times: int, username: str = "staff", url: str = STAFF_LOGIN, **meta) -> None:
    for _ in range(times):
        assert log_in(client, username, "wrong-guess", url, **meta).status_code in (200, 429)


def test_after_five_failures_even_the_right_password_is_refused_with_a_page(client, staff_user):
    fail(client, 5)
    response = log_in(client, "staff", "pw-staff-123")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session


def test_four_failures_still_let_the_right_password_in(client, staff_user):
    fail(client, 4)
    assert log_in(client, "staff", "pw-staff-123").status_code == 302


def test_the_lockout_page_speaks_finnish_and_swedish(client, staff_user):
    fail(client, 5)
    finnish = log_in(client, "staff", "pw-staff-123", "/staff/login/")
    swedish = log_in(client, "staff", "pw-staff-123", "/sv/staff/login/")
    assert finnish.status_code == swedish.status_code == 429
    assert "Kirjautuminen lukittu" in finnish.content.decode()
    assert "Inloggningen är låst" in swedish.content.decode()


def test_one_user_name_is_locked_from_every_address(client, staff_user):
    fail(client, 5, REMOTE_ADDR="203.0.113.1")
    assert log_in(client, "staff", "pw-staff-123", REMOTE_ADDR="203.0.113.2").status_code == 429


def test_one_address_guessing_many_names_is_locked_and_others_are_not(client, staff_user):
    for number in range(5):
        log_in(client, f"guess-{number}", "wrong", REMOTE_ADDR="203.0.113.9")
    assert log_in(client, "staff", "pw-staff-123", REMOTE_ADDR="203.0.113.9").status_code == 429
    assert log_in(client, "staff", "pw-staff-123", REMOTE_ADDR="203.0.113.2").status_code == 302


@override_settings(NUM_PROXIES=1)
def test_behind_the_proxy_addresses_are_the_forwarded_ones(client, staff_user):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for number in range(5):
        log_in(client, f"guess-{number}", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    other = log_in(client, "staff", "pw-staff-123", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other.status_code == 302


def test_the_admin_login_is_protected_too(client, admin_user_):
    fail(client, 5, "administrator", ADMIN_LOGIN)
    assert log_in(client, "administrator", "pw-admin-123", ADMIN_LOGIN).status_code == 429


def test_an_administrator_unlocks_in_the_admin(client, staff_user, admin_user_):
    fail(client, 5, REMOTE_ADDR="203.0.113.1")
    admin = client.__class__()
    admin.force_login(admin_user_)
    listing = admin.get("/en/admin/axes/accessattempt/")
    assert listing.status_code == 200
    ids = [str(pk) for pk in AccessAttempt.objects.values_list("pk", flat=True)]
    admin.post(
        "/en/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    assert log_in(client, "staff", "pw-staff-123", REMOTE_ADDR="203.0.113.1").status_code == 302
