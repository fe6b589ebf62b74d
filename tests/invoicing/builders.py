"""Builders for invoicing tests, and the real tools that read a PDF back: pdftotext
(poppler-utils) and zbarimg (zbar-tools) on a 200 dpi rendering from pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from django.utils import timezone

from bookings.models import Booking, BookingStatus, Customer, Room
from bookings.schedule import HELSINKI
from invoicing.models import Invoice
from invoicing.services import invoice_create_draft, invoice_issue


def helsinki(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(date(year, month, day), time(hour, minute), tzinfo=HELSINKI)


def approved_booking(
    room: Room,
    start: datetime,
    end: datetime,
    customer: Customer,
    *,
    extras: Sequence[dict] = (),
    attendees: int = 20,
    buyer_reference: str = "",
    title: str = "Koulutus",
) -> Booking:
    """An approved booking row as accounting finds it, at any date (also in the past,
    which the booking services rightly refuse to create)."""
    return Booking.objects.create(
        room=room,
        start=start,
        end=end,
        status=BookingStatus.APPROVED,
        title=title,
        attendees=attendees,
        customer=customer,
        customer_confirmed=True,
        organisation=customer.organisation,
        business_id=customer.business_id,
        contact_name=customer.contact_name,
        email=customer.email,
        billing_address=customer.billing_address,
        buyer_reference=buyer_reference,
        extras=list(extras),
        language=customer.language,
        terms_accepted_at=timezone.now(),
    )


def issued(bookings: Sequence[Booking], issue_date: date | None = None) -> Invoice:
    draft = invoice_create_draft(bookings=list(bookings), actor=None)
    return invoice_issue(invoice=draft, actor=None, issue_date=issue_date)


def tool(name: str) -> str:
    """The full path of a command-line tool that .ci/run installs."""
    path = shutil.which(name)
    assert path, f"{name} is missing: apt-get install poppler-utils zbar-tools"
    return path


def pdf_bytes(invoice: Invoice) -> bytes:
    return bytes(invoice.pdf.content)


def pdf_text(content: bytes, *, layout: bool = True) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "invoice.pdf"
        path.write_bytes(content)
        command = [tool("pdftotext"), "-enc", "UTF-8"]
        if layout:
            command.append("-layout")
        result = subprocess.run(  # noqa: S603 - fixed tool, our own file
            [*command, str(path), "-"], capture_output=True, check=True
        )
        return result.stdout.decode("utf-8")


def page_count(content: bytes) -> int:
    return pdf_text(content, layout=False).count("\f")


def scan(content: bytes, symbology: str, *, page: int | None = None) -> list[str]:
    """What zbarimg reads of one symbology ("code128" or "qrcode") on the rendered page
    (the last one unless told), at 200 dpi: each symbol's data, exactly."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "invoice.pdf"
        path.write_bytes(content)
        number = page or page_count(content)
        subprocess.run(  # noqa: S603
            [tool("pdftoppm"), "-r", "200", "-png", "-f", str(number), "-l", str(number), str(path),
             str(Path(folder) / "page")],
            check=True,
        )  # fmt: skip
        (image,) = Path(folder).glob("page*.png")
        result = subprocess.run(  # noqa: S603
            [tool("zbarimg"), "--xml", "-q", "-Sdisable", f"-S{symbology}.enable", str(image)],
            capture_output=True,
            check=False,
        )
    return _xml_symbols(result.stdout.decode("utf-8"))


def _xml_symbols(xml: str) -> list[str]:
    """The data of each symbol in zbarimg's XML output (CDATA keeps line breaks exact)."""
    if not xml.strip():
        return []
    root = ElementTree.fromstring(xml)  # noqa: S314
    return [element.text or "" for element in root.iter() if element.tag.endswith("data")]
