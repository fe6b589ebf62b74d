"""One invoice: what it shows, and what accounting does with it (issue, delete a draft,
credit, record a payment, download the stored PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bookings.models import DeliveryMethod
from bookings.services import acting_user
from frontend.forms_invoices import (
    CREDIT_AMOUNTS,
    CREDIT_LINES,
    CreditForm,
    DraftDiscountForm,
    DraftLineForm,
    PaymentForm,
)
from frontend.forms_staff import add_service_errors
from frontend.views.staff.access import accounting_required
from frontend.views.staff.invoices.common import (
    balance_of,
    detail_url,
    invoice_with_details,
    language,
    line_labels,
    line_rows,
    refusal,
    vat_label,
    vat_rows,
)
from invoicing.exports import invoice_pdf_file
from invoicing.models import Invoice, InvoiceLine, VatGroup
from invoicing.money import money_text
from invoicing.pdf_parts import iban_text
from invoicing.selectors import BalanceState
from invoicing.selectors.credits import invoice_credited_line_ids, invoice_uncredited
from invoicing.services import (
    CreditedAmount,
    CreditedLine,
    InvoiceNotCreditable,
    PaymentsChanged,
    invoice_credit,
    invoice_draft_delete,
    invoice_issue,
    payment_record,
)

# States in which the page offers a payment form and credit (the services decide; the
# page only offers what they would accept, and a paid invoice needs no more payments).
PAYABLE = (BalanceState.OPEN, BalanceState.PARTLY_PAID, BalanceState.OVERDUE)
CREDITABLE = (*PAYABLE, BalanceState.PAID)


def detail_page(
    request: HttpRequest,
    pk: int,
    payment_form: PaymentForm | None = None,
    line_form: DraftLineForm | None = None,
    discount_form: DraftDiscountForm | None = None,
) -> HttpResponse:
    """The invoice page; a form sent with errors is shown again, bound, in its place."""
    invoice = invoice_with_details(pk)
    lines = list(invoice.lines.all())
    line_choices = line_labels(lines)
    balance = balance_of(invoice)
    payments = list(invoice.payments.all())
    return render(
        request,
        "frontend/staff/invoices/detail.html",
        {
            "invoice": invoice,
            "balance": balance,
            "lines": line_rows(lines),
            "vat_breakdown": vat_rows(lines),
            "payments": payments,
            "sendings": list(invoice.sendings.all()),
            "events": list(invoice.events.all()),
            "reminders": list(invoice.reminders.all()),
            "overdue": balance.state == BalanceState.OVERDUE,
            "delivery_methods": DeliveryMethod.choices,
            "bookings": list(invoice.bookings.all()),
            "credit_notes": list(invoice.credit_notes.all()),
            "seller_iban": iban_text(invoice.seller_iban),
            "payable": balance.state in PAYABLE,
            "creditable": balance.state in CREDITABLE,
            "payment_form": payment_form or PaymentForm(initial={"payments_seen": len(payments)}),
            "line_form": line_form or DraftLineForm(),
            "discount_form": discount_form or DraftDiscountForm(lines=line_choices),
        },
    )


def _invoice(pk: int) -> Invoice:
    return get_object_or_404(Invoice, pk=pk)


@require_safe
@accounting_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return detail_page(request, pk)


@require_POST
@accounting_required
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a draft: its number, reference and due date, and the PDF stored for good."""
    invoice = _invoice(pk)
    try:
        issued = invoice_issue(invoice=invoice, actor=acting_user(request.user))
    except ValidationError as error:
        refusal(request, error)
    except Invoice.DoesNotExist:  # deleted by someone else meanwhile
        raise Http404 from None
    else:
        messages.success(request, _("Invoice %(number)s was issued.") % {"number": issued})
    return redirect(detail_url(pk))


@require_POST
@accounting_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Throw a draft away; its bookings can be invoiced again."""
    invoice = _invoice(pk)
    try:
        invoice_draft_delete(invoice=invoice, actor=acting_user(request.user))
    except ValidationError as error:
        refusal(request, error)
        return redirect(detail_url(pk))
    except Invoice.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The draft was deleted; its bookings can be invoiced again."))
    return redirect(reverse("frontend:staff-invoices"))


def _credit_choices(invoice: Invoice) -> tuple[list[InvoiceLine], list[VatGroup]]:
    """The lines still to be credited one by one, and what is left of each VAT rate."""
    credited = invoice_credited_line_ids(invoice)
    lines = [
        line
        for line in invoice.lines.order_by("position")
        if line.pk not in credited and line.net > 0
    ]
    return lines, [group for group in invoice_uncredited(invoice) if group.gross > 0]


def _rate_label(group: VatGroup) -> str:
    return str(
        _("Amount without VAT to credit at VAT %(rate)s (at most %(net)s €)")
        % {
            "rate": vat_label(group.vat_code, group.vat_rate),
            "net": money_text(group.net, language()),
        }
    )


def _credit_form(request: HttpRequest, invoice: Invoice) -> tuple[CreditForm, list[VatGroup]]:
    lines, groups = _credit_choices(invoice)
    form = CreditForm(
        request.POST or None,
        lines=line_labels(lines),
        rates=[(str(index), _rate_label(group)) for index, group in enumerate(groups)],
    )
    return form, groups


def _credit_issue(request: HttpRequest, invoice: Invoice, form: CreditForm, groups) -> Invoice:
    data = form.cleaned_data
    lines, amounts = [], []
    if data["mode"] == CREDIT_LINES:
        lines = [CreditedLine(position, quantity) for position, quantity in form.chosen_lines()]
    elif data["mode"] == CREDIT_AMOUNTS:
        amounts = [
            CreditedAmount(groups[int(key)].vat_code, groups[int(key)].vat_rate, net)
            for key, net in form.chosen_amounts()
        ]
    return invoice_credit(
        invoice=invoice,
        actor=acting_user(request.user),
        reason=data["reason"],
        lines=lines,
        amounts=amounts,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@accounting_required
def credit(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the reason and what to credit (the whole rest, chosen lines, or amounts
    by VAT rate), then issue the credit note."""
    invoice = _invoice(pk)
    form, groups = _credit_form(request, invoice)
    if request.method == "POST" and form.is_valid():
        try:
            note = _credit_issue(request, invoice, form, groups)
        except InvoiceNotCreditable as error:
            refusal(request, error)  # not creditable: the form cannot help
            return redirect(detail_url(pk))
        except ValidationError as error:
            add_service_errors(form, error, names={"lines": "__all__", "amounts": "__all__"})
        else:
            messages.success(
                request,
                _("Credit note %(credit)s was issued for invoice %(number)s.")
                % {"credit": note, "number": invoice},
            )
            return redirect(detail_url(note.pk))
    return render(
        request,
        "frontend/staff/invoices/credit.html",
        {"invoice": invoice, "form": form, "groups": groups},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@accounting_required
def payment(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a payment by hand, whole or partial; errors are shown on the invoice page
    (whose language links lead here: a GET goes back to the invoice)."""
    if request.method != "POST":
        return redirect(detail_url(pk))
    invoice = _invoice(pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            recorded = payment_record(
                invoice=invoice,
                amount=data["amount"],
                paid_on=data["paid_on"],
                actor=acting_user(request.user),
                note=data["note"],
                payments_seen=data["payments_seen"],
                confirmed=data["confirm"],
            )
        except PaymentsChanged as error:
            messages.error(request, error.message)
            return redirect(detail_url(pk))
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                refusal(request, error)  # not payable: the form cannot help
                return redirect(detail_url(pk))
            add_service_errors(form, error)
        except Invoice.DoesNotExist:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Payment of %(amount)s € recorded.")
                % {"amount": money_text(recorded.amount, language())},
            )
            return redirect(detail_url(pk))
    return detail_page(request, pk, payment_form=form)


@require_safe
@accounting_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF stored at issue, byte for byte (the API answers with the same file)."""
    stored = invoice_pdf_file(pk)
    if stored is None:
        raise Http404
    return stored.as_attachment()
