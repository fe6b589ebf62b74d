"""The backup-and-restore drill of the README, on PostgreSQL: pg_dump of the database and
a copy of MEDIA_ROOT, restored into a fresh database and folder, hold the same bookings,
audit trail, invoices and byte-identical PDFs and photos."""

from __future__ import annotations

import os
import subprocess
import tarfile
from datetime import date

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from bookings.models import RoomPhoto
from bookings.services import booking_approve, booking_customer_confirm, booking_request_create
from tests.factories import at, house_hours, renter, working_day
from tests.invoicing.builders import approved_booking, helsinki, issued

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

TABLES = {
    "bookings_booking": "id",
    "bookings_auditentry": "id",
    "bookings_customer": "id",
    "invoicing_invoice": "id",
    "invoicing_invoiceline": "id",
    "invoicing_invoicepdf": "invoice_id",
}


def client_options() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    options = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432)]
    options += ["-U", settings["USER"]]
    return options, {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}


def run(command: list[str], environment: dict[str, str]) -> None:
    subprocess.run(command, env=environment, check=True, capture_output=True, timeout=300)  # noqa: S603


def rows_of(dbname: str) -> dict[str, list[tuple]]:
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=dbname,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
    ) as link:
        return {
            table: [tuple(row) for row in link.execute(f"SELECT * FROM {table} ORDER BY {key}")]  # noqa: S608
            for table, key in TABLES.items()
        }


def test_dump_and_restore_into_a_fresh_database_keeps_everything(
    hall, invoicing_ready, customer, staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    house_hours()
    day = working_day()
    request = booking_request_create(
        room=hall,
        start=at(day, 10),
        end=at(day, 12),
        title="Koulutus",
        attendees=10,
        renter=renter(),
        accept_terms=True,
    ).booking
    booking_customer_confirm(booking=request, actor=staff_user)
    booking_approve(booking=request, actor=staff_user, message="Tervetuloa")
    past = approved_booking(hall, helsinki(2026, 3, 10, 9), helsinki(2026, 3, 10, 13), customer)
    issued([past], issue_date=date(2026, 3, 11))
    photo = RoomPhoto(room=hall, alt_fi="Sali", sort_order=1)
    photo.image.save("sali.png", SimpleUploadedFile("sali.png", b"\x89PNG" + b"1" * 99))

    options, environment = client_options()
    source = connection.settings_dict["NAME"]
    fresh = f"{source}_restored"
    dump, media = tmp_path / "heideken.dump", tmp_path / "media.tar.gz"
    run(["pg_dump", *options, "--format=custom", "--file", str(dump), source], environment)
    with tarfile.open(media, "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")
    run(["dropdb", *options, "--if-exists", fresh], environment)
    run(["createdb", *options, fresh], environment)
    try:
        run(["pg_restore", *options, "--no-owner", "--dbname", fresh, str(dump)], environment)
        assert rows_of(fresh) == rows_of(source)
        restored = rows_of(fresh)
        assert len(restored["invoicing_invoicepdf"]) == 1
        assert restored["bookings_auditentry"] and len(restored["bookings_booking"]) == 2
    finally:
        run(["dropdb", *options, "--if-exists", fresh], environment)
    with tarfile.open(media) as archive:
        archive.extractall(tmp_path / "restored", filter="data")
    copy = tmp_path / "restored" / "media" / photo.image.name
    assert copy.read_bytes() == (settings.MEDIA_ROOT / photo.image.name).read_bytes()
