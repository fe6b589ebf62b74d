"""The usage and revenue reports as plain rows: the same fields in the API's JSON, in the
CSV downloads and in the staff page's tables (SPEC §3.6), so the three never disagree."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from bookings.selectors.reports import UsageRow
from invoicing.exports import ExportFile
from invoicing.selectors.reports import RevenueRow

USAGE_FIELDS = (
    "month",
    "room",
    "open_hours",
    "booked_hours",
    "utilisation",
    "bookings",
    "member_bookings",
    "external_bookings",
)
REVENUE_FIELDS = ("month", "room", "group", "vat_code", "net", "vat", "gross")


def month_text(month: date) -> str:
    return f"{month:%Y-%m}"


def usage_data(rows: Sequence[UsageRow]) -> list[dict[str, Any]]:
    """Hours and utilisation as Decimals (numbers in JSON), the room by its slug."""
    return [
        {
            "month": month_text(row.month),
            "room": row.room.slug,
            "open_hours": row.open_hours,
            "booked_hours": row.booked_hours,
            "utilisation": row.utilisation,
            "bookings": row.bookings,
            "member_bookings": row.member_bookings,
            "external_bookings": row.external_bookings,
        }
        for row in rows
    ]


def revenue_data(rows: Sequence[RevenueRow]) -> list[dict[str, Any]]:
    """Money as strings with two decimals (SPEC §3.6); extras have room None."""
    return [
        {
            "month": month_text(row.month),
            "room": row.room,
            "group": row.group,
            "vat_code": row.vat_code,
            "net": f"{row.net:.2f}",
            "vat": f"{row.vat:.2f}",
            "gross": f"{row.gross:.2f}",
        }
        for row in rows
    ]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _csv(fields: Sequence[str], data: Sequence[dict[str, Any]]) -> str:
    """RFC 4180 with a decimal point and stable English column names, like the invoice
    CSV: spreadsheets and bookkeeping read it the same in every language. Every cell is
    written by us (slugs, codes, numbers), so none can start a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for item in data:
        writer.writerow([_cell(item[name]) for name in fields])
    return buffer.getvalue()


def usage_csv_file(rows: Sequence[UsageRow], first: date, last: date) -> ExportFile:
    return ExportFile(
        f"usage-{month_text(first)}-{month_text(last)}.csv",
        "text/csv; charset=utf-8",
        _csv(USAGE_FIELDS, usage_data(rows)),
    )


def revenue_csv_file(rows: Sequence[RevenueRow], first: date, last: date) -> ExportFile:
    return ExportFile(
        f"revenue-{month_text(first)}-{month_text(last)}.csv",
        "text/csv; charset=utf-8",
        _csv(REVENUE_FIELDS, revenue_data(rows)),
    )
