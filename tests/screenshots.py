"""Screenshots of the renter's main pages and the staff workspace for the README
(`make screenshots`).

Seeds a throwaway SQLite database with the demo data and a few requests, serves the site
from it on a loopback port and photographs each page in Chromium, on a desktop and on a
390×844 phone, into docs/screenshots/. Not part of `make test`: the pictures change with
the demo data and the day it runs, so they are made again on purpose, not checked.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import threading
from datetime import date, datetime, time, timedelta
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _working_day(days_ahead: int) -> date:
    """A weekday that is no Finnish public holiday, at least `days_ahead` from today."""
    from django.utils import timezone

    from bookings.schedule import finnish_holidays

    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() >= 5 or day in finnish_holidays(day.year):
        day += timedelta(days=1)
    return day


def _seed() -> dict[str, str]:
    """Demo data, and a pending request and an approved booking of the renter's, whose
    status links only exist at the moment they are made."""
    from django.core.management import call_command

    from bookings.models import HouseInfo, Room
    from bookings.schedule import HELSINKI
    from bookings.services import RenterDetails, booking_approve, booking_request_create

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    HouseInfo.objects.update_or_create(
        pk=1,
        defaults={
            "address": "Sirkkalankatu 27, 20700 Turku",
            "entry_en": "Ring the bell at the yard door; booking staff open it.",
            "contact_en": "Booking staff: varaukset@heideken.example, 040 123 4567",
        },
    )
    room = Room.objects.filter(is_public=True, is_active=True).order_by("capacity").first()
    if room is None:
        sys.exit("seed_demo made no public room")
    made = {}
    for name, days, hour in (("pending", 21, 9), ("approved", 35, 13)):
        day = _working_day(days)
        result = booking_request_create(
            room=room,
            start=datetime.combine(day, time(hour), tzinfo=HELSINKI),
            end=datetime.combine(day, time(hour + 2), tzinfo=HELSINKI),
            title="Vanhempainilta",
            attendees=min(8, room.capacity),
            renter=RenterDetails(
                organisation="Turun Perhetyö ry",
                contact_name="Maija Meikäläinen",
                email="maija@example.org",
                phone="+358 40 123 4567",
                billing_address="Esimerkkikatu 1, 20100 Turku",
                language="en",
            ),
            accept_terms=True,
        )
        if name == "approved":
            booking_approve(booking=result.booking, actor=None)
        made[name] = result.status_token
    made["room"] = room.slug
    made["day"] = _working_day(14).isoformat()
    _seed_staff()
    return made


STAFF_PASSWORD = "screenshots-only-password"


def _seed_staff() -> None:
    """An administrator to sign in as, and a duplicate of a demo customer to merge."""
    from django.contrib.auth.models import User

    from bookings.models import Customer, CustomerContact

    User.objects.create_superuser("shots", "shots@example.org", STAFF_PASSWORD)
    original = Customer.objects.live().exclude(business_id="").order_by("pk").first()
    if original is not None:
        duplicate = Customer.objects.create(
            organisation=original.organisation.upper(),
            contact_name="Pekka Puup",
            email="pekka@example.org",
        )
        CustomerContact.objects.create(
            customer=duplicate, name="Pekka Puup", email="pekka@example.org"
        )


def _staff_pages(seeded: dict[str, str]) -> list[tuple[str, str]]:
    return [
        ("staff-queue", "/en/staff/"),
        ("staff-week", f"/en/staff/calendar/?date={seeded['day']}"),
        ("staff-day", f"/en/staff/calendar/day/?date={seeded['day']}"),
        ("staff-ready-to-invoice", "/en/staff/invoices/ready/"),
        ("staff-customers", "/en/staff/customers/"),
        ("staff-invoices", "/en/staff/invoices/"),
        ("staff-reports", "/en/staff/reports/"),
    ]


def _shoot(base: str, seeded: dict[str, str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    form = f"/en/rooms/{seeded['room']}/request/?date={seeded['day']}&start=10:00&end=12:00"
    pages = [
        ("finder", f"/en/?date={seeded['day']}&from=13:00&to=16:00&attendees=10", None),
        ("room", f"/en/rooms/{seeded['room']}/?week={seeded['day']}", None),
        ("form-errors", form, "send"),
        ("status-pending", f"/en/request/{seeded['pending']}/", None),
        ("status-approved", f"/en/request/{seeded['approved']}/", None),
        ("cancel-confirmation", f"/en/request/{seeded['approved']}/", "cancel"),
    ]  # fmt: skip
    written = []
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for screen, viewport in SCREENS.items():
            context = browser.new_context(base_url=base, locale="en-GB", viewport=viewport)
            page = context.new_page()
            for name, path, action in pages:
                page.goto(path)
                if action == "send":
                    page.fill("#id_title", "Vanhempainilta")
                    page.locator("form#request-form button[type=submit]:not([name])").click()
                    page.wait_for_selector("#error-summary")
                elif action == "cancel":
                    page.locator("main form.cancel-form button").click()
                    page.wait_for_selector("form.confirm-actions")
                target = OUT / f"{name}-{screen}.png"
                page.screenshot(path=str(target), full_page=screen == "desktop")
                written.append(target)
            context.close()
        # The staff workspace is a desktop tool: one picture of each page.
        context = browser.new_context(base_url=base, locale="en-GB", viewport=SCREENS["desktop"])
        page = context.new_page()
        page.goto("/en/staff/login/")
        page.fill("#id_username", "shots")
        page.fill("#id_password", STAFF_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/staff/**")
        for name, path in _staff_pages(seeded):
            page.goto(path)
            target = OUT / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
        context.close()
        browser.close()
    return written


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="heideken-shots-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=f"sqlite:///{workdir}/shots.sqlite3",
        EMAIL_URL="dummy:",
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_ALLOW_ASYNC_UNSAFE="true",  # Playwright's loop runs in this thread
    )
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    seeded = _seed()
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path in _shoot(f"http://127.0.0.1:{server.server_port}", seeded):
            print(path.relative_to(ROOT))
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
