"""Payment reminders from the accounting pages: from the overdue list or an invoice's
page, and the reminder PDFs. The rules are in `invoicing.services.reminders`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from bookings.services import acting_user
from frontend.views.staff.access import accounting_required
from frontend.views.staff.invoices.common import detail_url, language, refusal
from invoicing.exports import ExportFile
from invoicing.models import Invoice, Reminder
from invoicing.money import money_text
from invoicing.services import invoice_remind


@require_POST
@accounting_required
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a payment reminder; back to the overdue list when sent from there."""
    invoice = get_object_or_404(Invoice, pk=pk)
    back = detail_url(pk)
    if request.POST.get("from") == "overdue":
        back = reverse("frontend:staff-invoices") + "?overdue=on"
    try:
        reminder = invoice_remind(invoice=invoice, actor=acting_user(request.user))
    except ValidationError as error:
        refusal(request, error)
    else:
        messages.success(
            request,
            _("Payment reminder %(sequence)d of invoice %(number)s: %(total)s € to %(to)s.")
            % {
                "sequence": reminder.sequence,
                "number": invoice,
                "total": money_text(reminder.total, language()),
                "to": reminder.recipient,
            },
        )
    return redirect(back)


@require_safe
@accounting_required
def reminder_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A reminder's PDF as it was sent."""
    reminder = get_object_or_404(Reminder.objects.select_related("invoice"), pk=pk)
    return ExportFile(reminder.filename, "application/pdf", bytes(reminder.pdf)).as_attachment()
