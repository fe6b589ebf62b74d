from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group

from bookings.memo import memos_clear
from tests.clock import pinned_moment
from tests.factories import house_hours, make_room
from tests.smtp import smtp_server  # noqa: F401  (a fixture for every test module)


@pytest.fixture(autouse=True)
def clock(request):
    """Every test starts at the pinned moment (tests/clock.py), or at the one its
    `@pytest.mark.now("2026-03-12T10:00:00+02:00")` names, and time runs on from there, in
    the test's threads and live server too; a test moves it with `clock.move_to(...)`."""
    marker = request.node.get_closest_marker("now")
    moment = datetime.fromisoformat(marker.args[0]) if marker else pinned_moment()
    with time_machine.travel(moment, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_memos():
    """Process-local memos are keyed by database stamps; a new test's database may repeat
    an earlier one's ids and times, so each test starts with none."""
    memos_clear()


@pytest.fixture
def hours(db):
    house_hours()


@pytest.fixture
def room(hours):
    return make_room(slug="sali", capacity=30)


@pytest.fixture
def hall(hours):
    """A hall that splits into two halves."""
    # Names that are no substring of one another or of the numbered test rooms.
    east = make_room(
        slug="itainen",
        capacity=40,
        name_fi="Itäinen puolisko",
        name_sv="Östra halvan",
        name_en="East half",
    )
    west = make_room(
        slug="lantinen",
        capacity=40,
        name_fi="Läntinen puolisko",
        name_sv="Västra halvan",
        name_en="West half",
    )
    whole = make_room(
        slug="juhlasali",
        capacity=80,
        parts=[east, west],
        name_fi="Juhlasali",
        name_sv="Festsalen",
        name_en="Hall",
    )
    return whole, east, west


@pytest.fixture
def staff_user(django_user_model):
    user = django_user_model.objects.create_user(
        "staff", "staff@example.org", "pw-staff-123", is_staff=True
    )
    group, _ = Group.objects.get_or_create(name="Booking staff")
    user.groups.add(group)
    return user


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are deselected (not skipped) when the suite runs on SQLite;
    CI runs the suite on both databases."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgresql") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def accounting_user(django_user_model):
    user = django_user_model.objects.create_user(
        "accountant", "accounting@example.org", "pw-accounting-123", is_staff=True
    )
    group, _ = Group.objects.get_or_create(name="Accounting")
    user.groups.add(group)
    return user


@pytest.fixture
def admin_user_(django_user_model):
    return django_user_model.objects.create_superuser(
        "administrator", "admin@example.org", "pw-admin-123"
    )


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Service-level tests read English messages; pages and API pick their own language."""
    from django.utils import translation

    with translation.override("en"):
        yield
