"""Usage and revenue reports (SPEC §2.14) for booking staff and accounting: a chart and a
table of the same figures for each, for any range of months, and both as CSV."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from bookings.selectors.reports import month_add, months_between, usage_report, usage_totals
from frontend.charts import bar_chart
from frontend.forms_reports import ReportRangeForm
from frontend.views.staff.access import booking_reader_required
from frontend.views.staff.invoices.common import language
from invoicing.models import CustomerGroup
from invoicing.money import money_text
from invoicing.report_exports import month_text, revenue_csv_file, usage_csv_file
from invoicing.selectors.reports import revenue_report, revenue_totals
from invoicing.vat import VatCode

DEFAULT_MONTHS = 12


def _default_range(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    last = today.replace(day=1)
    return month_add(last, 1 - DEFAULT_MONTHS), last


def _hours(value: Decimal) -> str:
    return number_format(value, 2)


def _share(value: Decimal | None) -> str:
    """A percentage with one decimal, rounded half up (number_format would cut it)."""
    if value is None:
        return "–"
    percent = (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number_format(percent, 1)}\u00a0%"


def _usage_context(first: date, last: date) -> dict[str, Any]:
    rows = usage_report(first_month=first, last_month=last)
    totals = usage_totals(rows)
    chart = bar_chart(
        chart_id="usage-chart",
        title=str(_("Utilisation per room, %(first)s – %(last)s"))
        % {"first": month_text(first), "last": month_text(last)},
        description=str(
            _(
                "Booked hours as a share of open hours for each room over the months "
                "chosen. The table beside the chart gives the same figures."
            )
        ),
        items=[
            (total.room.name, (total.utilisation or Decimal(0)) * 100, _share(total.utilisation))
            for total in totals
        ],
        full_scale=Decimal(100),
    )
    return {
        "usage_chart": chart,
        "usage_totals": [
            {
                "room": total.room,
                "open_hours": _hours(total.open_hours),
                "booked_hours": _hours(total.booked_hours),
                "utilisation": _share(total.utilisation),
                "bookings": total.bookings,
                "member_bookings": total.member_bookings,
                "external_bookings": total.external_bookings,
            }
            for total in totals
        ],
        "usage_rows": [
            {
                "month": month_text(row.month),
                "room": row.room,
                "open_hours": _hours(row.open_hours),
                "booked_hours": _hours(row.booked_hours),
                "utilisation": _share(row.utilisation),
                "bookings": row.bookings,
                "member_bookings": row.member_bookings,
                "external_bookings": row.external_bookings,
            }
            for row in rows
        ],
    }


def _revenue_context(first: date, last: date, rooms: dict[str, str]) -> dict[str, object]:
    rows = revenue_report(first_month=first, last_month=last)
    totals = revenue_totals(rows, months_between(first, last))
    lang = language()
    chart = bar_chart(
        chart_id="revenue-chart",
        title=str(_("Revenue per month (with VAT), %(first)s – %(last)s"))
        % {"first": month_text(first), "last": month_text(last)},
        description=str(
            _(
                "Invoiced total with VAT of each month, credit notes subtracted. The table "
                "beside the chart gives the same figures without VAT, VAT and with VAT."
            )
        ),
        items=[
            (month_text(total.month), total.gross, money_text(total.gross, lang))
            for total in totals
        ],
    )
    groups, codes = dict(CustomerGroup.choices), dict(VatCode.choices)
    return {
        "revenue_chart": chart,
        "revenue_totals": [
            {
                "month": month_text(total.month),
                "net": money_text(total.net, lang),
                "vat": money_text(total.vat, lang),
                "gross": money_text(total.gross, lang),
            }
            for total in totals
        ],
        "revenue_rows": [
            {
                "month": month_text(row.month),
                "room": row.room,
                "room_name": rooms.get(row.room, row.room) if row.room else _("Extras"),
                "group": row.group,
                "group_name": groups.get(row.group, row.group),
                "vat_code": row.vat_code,
                "vat_name": codes.get(row.vat_code, row.vat_code),
                "net": money_text(row.net, lang),
                "vat": money_text(row.vat, lang),
                "gross": money_text(row.gross, lang),
            }
            for row in rows
        ],
    }


@require_safe
@booking_reader_required
def reports(request: HttpRequest) -> HttpResponse:
    """The reports of a range of months (the last twelve unless chosen); `?file=usage` or
    `?file=revenue` downloads one as CSV."""
    first, last = _default_range(timezone.localdate())
    bound = "first_month" in request.GET or "last_month" in request.GET
    form = ReportRangeForm(
        request.GET if bound else None,
        initial={"first_month": month_text(first), "last_month": month_text(last)},
    )
    if bound and not form.is_valid():
        return render(request, "frontend/staff/reports.html", {"form": form}, status=400)
    if bound:
        first, last = form.cleaned_data["first_month"], form.cleaned_data["last_month"]
    wanted = request.GET.get("file")
    if wanted == "usage":
        usage_rows = usage_report(first_month=first, last_month=last)
        return usage_csv_file(usage_rows, first, last).as_attachment()
    if wanted == "revenue":
        revenue_rows = revenue_report(first_month=first, last_month=last)
        return revenue_csv_file(revenue_rows, first, last).as_attachment()
    usage = _usage_context(first, last)
    rooms = {total["room"].slug: total["room"].name for total in usage["usage_totals"]}
    query = f"first_month={month_text(first)}&last_month={month_text(last)}"
    context = {
        "form": form,
        "query": query,
        "first": month_text(first),
        "last": month_text(last),
        **usage,
        **_revenue_context(first, last, rooms),
    }
    return render(request, "frontend/staff/reports.html", context)
