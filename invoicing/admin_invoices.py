"""Django admin for invoices and payments (SPEC §2.7).

Issued invoices are shown read-only and can never be deleted here; drafts are made from
bookings, issued and credited through the services. Forms validate by running the
service in a savepoint that is always rolled back, so the admin never copies a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bookings.errors import StaleRevision
from bookings.models import Booking, BookingStatus, Customer
from bookings.role_admin import RoleAdmin, RoleTabularInline
from bookings.services import Actor, acting_user
from invoicing.models import Invoice, InvoiceLine, InvoicePdf, InvoiceStatus, Payment
from invoicing.selectors import bookings_to_invoice
from invoicing.services import (
    DRAFT_BUYER_FIELDS,
    invoice_create_draft,
    invoice_credit,
    invoice_draft_delete,
    invoice_draft_update,
    invoice_issue,
    payment_record,
)

CONFIRM = "confirm"
DRAFT_EDITABLE = DRAFT_BUYER_FIELDS


class _DryRun(Exception):
    pass


def validate_by_dry_run(form: forms.BaseForm, call: Callable[[], object]) -> None:
    """Ask the service, then undo whatever it wrote; put its refusal on the form."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        pass
    except StaleRevision as error:
        form.add_error("payments_seen" if "payments_seen" in form.fields else None, error.message)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, problems in error.error_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            form.add_error(None, error)


def refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class InvoiceLineInline(RoleTabularInline):
    model = InvoiceLine
    fields: ClassVar[tuple[str, ...]] = ("position", "description", "service_start", "quantity")
    fields += ("unit", "unit_price", "vat_code", "vat_rate", "net", "vat", "gross", "product")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PaymentInline(RoleTabularInline):
    model = Payment
    fields = ("paid_on", "amount", "method", "note", "recorded_by", "recorded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DraftForm(forms.Form):
    """One booking or several, or all of a customer's uninvoiced bookings in a period."""

    customer = forms.ModelChoiceField(Customer.objects.all(), label=_("customer"))
    first_day = forms.DateField(label=_("from"), required=False)
    last_day = forms.DateField(label=_("until"), required=False)
    bookings = forms.ModelMultipleChoiceField(
        Booking.objects.filter(status=BookingStatus.APPROVED, customer__isnull=False),
        label=_("bookings"),
        required=False,
        help_text=_("Leave empty to invoice all of the customer's bookings in the period."),
    )

    def chosen_bookings(self) -> list[Booking]:
        data = self.cleaned_data
        if data["bookings"]:
            return list(data["bookings"])
        return list(
            bookings_to_invoice(
                customer=data["customer"],
                first_day=data["first_day"] or date.min,
                last_day=data["last_day"] or date(9998, 12, 31),
            )
        )


class CreditForm(forms.Form):
    reason = forms.CharField(label=_("reason for the credit"), max_length=500)


@admin.register(Invoice)
class InvoiceAdmin(RoleAdmin):
    list_display: tuple[str, ...] = ("__str__", "kind", "status", "buyer_name", "issue_date")
    list_display += ("due_date", "total_gross")
    list_filter = ("kind", "status", "issue_date")
    search_fields = ("buyer_name", "buyer_business_id", "reference", "credited_number")
    inlines = [InvoiceLineInline, PaymentInline]
    actions = ["issue_selected", "credit_selected"]
    exclude = ("bookings",)

    def get_readonly_fields(self, request: HttpRequest, obj: Invoice | None = None):
        names = [field.name for field in Invoice._meta.fields] + ["pdf_link"]
        if obj is not None and obj.status == InvoiceStatus.DRAFT:
            return [name for name in names if name not in DRAFT_EDITABLE]
        return names

    def has_change_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:
        # An issued invoice is shown, never edited: the view page is read-only.
        if obj is not None and obj.status != InvoiceStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:
        if obj is None or obj.status != InvoiceStatus.DRAFT:
            return False  # no bulk delete, and never an issued invoice
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj: Invoice) -> str:
        if obj.pk is None or obj.status != InvoiceStatus.ISSUED:
            return "–"
        url = reverse("admin:invoicing_invoice_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}.pdf</a>', url, obj.number_text)

    def get_urls(self):
        pdf = path(
            "<int:pk>/pdf/",
            self.admin_site.admin_view(self.pdf_view),
            name="invoicing_invoice_pdf",
        )
        return [pdf, *super().get_urls()]

    def pdf_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The bytes stored at issue, byte for byte, however often downloaded."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        stored = get_object_or_404(InvoicePdf.objects.select_related("invoice"), invoice_id=pk)
        response = HttpResponse(bytes(stored.content), content_type="application/pdf")
        filename = f"{stored.invoice.number_text}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def save_model(self, request: HttpRequest, obj: Invoice, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in DRAFT_EDITABLE if name in form.fields}
        invoice_draft_update(invoice=obj, actor=acting_user(request.user), **fields)

    def delete_model(self, request: HttpRequest, obj: Invoice) -> None:
        invoice_draft_delete(invoice=obj, actor=acting_user(request.user))

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        """A draft is made from bookings, through the service, never typed in."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DraftForm(request.POST or None)
        if form.is_bound and form.is_valid():
            try:
                invoice = invoice_create_draft(
                    bookings=form.chosen_bookings(), actor=acting_user(request.user)
                )
            except ValidationError as error:
                form.add_error(None, refusal_text(error))
            else:
                self.message_user(request, _("Draft invoice created."), messages.SUCCESS)
                url = reverse("admin:invoicing_invoice_change", args=[invoice.pk])
                return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invoice bookings"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/invoicing/invoice/create_draft.html", context)

    @admin.action(description=_("Issue selected drafts"), permissions=["change"])
    def issue_selected(self, request: HttpRequest, queryset: QuerySet[Invoice]) -> None:
        for invoice in queryset.order_by("pk"):
            try:
                issued = invoice_issue(invoice=invoice, actor=acting_user(request.user))
            except ValidationError as error:
                self.message_user(request, f"{invoice}: {refusal_text(error)}", messages.ERROR)
            else:
                message = _("Invoice %(number)s issued.") % {"number": issued.number_text}
                self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Credit selected invoices"), permissions=["add"])
    def credit_selected(
        self, request: HttpRequest, queryset: QuerySet[Invoice]
    ) -> HttpResponse | None:
        """Ask for the reason first; on its own POST, issue one credit note per invoice of
        all that is still uncredited of it (chosen lines and amounts: the staff page)."""
        form = CreditForm(request.POST if CONFIRM in request.POST else None)
        if form.is_bound and form.is_valid():
            for invoice in queryset.order_by("pk"):
                self._credit(request, invoice, form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Credit invoices"),
            "opts": self.opts,
            "objects": queryset.order_by("pk"),
            "form": form,
            "action": "credit_selected",
            "submit_label": _("Issue credit notes"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirm_name": CONFIRM,
        }
        return TemplateResponse(request, "admin/invoicing/invoice/credit.html", context)

    def _credit(self, request: HttpRequest, invoice: Invoice, reason: str) -> None:
        try:
            note = invoice_credit(invoice=invoice, actor=acting_user(request.user), reason=reason)
        except ValidationError as error:
            self.message_user(request, f"{invoice}: {refusal_text(error)}", messages.ERROR)
        else:
            message = _("Credit note %(credit)s issued for invoice %(number)s.") % {
                "credit": note.number_text,
                "number": invoice.number_text,
            }
            self.message_user(request, message, messages.SUCCESS)


class PaymentForm(forms.ModelForm):
    # The admin's add page shows no invoice's payments, so the person says how many the
    # invoice has; the service compares it under the invoice's lock (a form sent twice
    # then finds one more and records nothing).
    payments_seen = forms.IntegerField(
        label=_("Payments already on the invoice"),
        min_value=0,
        max_value=10**6,
        help_text=_(
            "How many payments the invoice has now. If it has more when this is saved, "
            "nothing is recorded."
        ),
    )
    confirm = forms.BooleanField(
        label=_(
            "Record it even though it is more than the open amount or dated before the "
            "invoice was issued"
        ),
        required=False,
    )

    class Meta:
        model = Payment
        fields = ("invoice", "amount", "paid_on", "note")

    def __init__(self, *args: Any, actor: Actor = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        invoice = cast(forms.ModelChoiceField, self.fields["invoice"])
        invoice.queryset = Invoice.objects.issued()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors:
            validate_by_dry_run(self, lambda: self.record())
        return data

    def record(self) -> Payment:
        data = self.cleaned_data
        return payment_record(
            invoice=data["invoice"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            actor=self.actor,
            note=data.get("note", ""),
            payments_seen=data.get("payments_seen"),
            confirmed=data.get("confirm", False),
        )


@admin.register(Payment)
class PaymentAdmin(RoleAdmin):
    """Payments are recorded, never edited or removed; a wrong one is a bookkeeping
    correction outside this page."""

    list_display = ("invoice", "paid_on", "amount", "method", "recorded_by")
    list_filter = ("method", "paid_on")
    list_select_related = ("invoice", "recorded_by")
    search_fields = ("invoice__reference", "invoice__buyer_name")
    form = PaymentForm

    def get_form(
        self, request: HttpRequest, obj: Payment | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        form_class = super().get_form(request, obj, change=change, **kwargs)

        # mypy cannot check a base class made at run time (by modelform_factory).
        class BoundPaymentForm(form_class):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **inner: Any) -> None:
                super().__init__(*args, actor=acting_user(request.user), **inner)

        return BoundPaymentForm

    def has_change_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleRevision as error:
            # A payment recorded between the form's check and its save: nothing was kept.
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request: HttpRequest, obj: Payment, form: Any, change: bool) -> None:
        saved = form.record()
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False
