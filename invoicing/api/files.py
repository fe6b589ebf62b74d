"""The accounting API's downloads (SPEC §3.4, §3.6): an invoice's stored PDF and its
Finvoice document, a period's CSV, ZIP and Finvoice batch, a reminder's PDF and an
e-invoice batch file. Each is the same file the staff pages serve (`invoicing.exports`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from bookings.api.common import Accounting
from bookings.api.views.base import REFUSALS
from invoicing.api import serializers as api
from invoicing.api.views import InvoiceActionView
from invoicing.exports import (
    ExportFile,
    finvoice_batch_file,
    invoice_finvoice_file,
    invoice_pdf_file,
    lines_csv_file,
    pdfs_zip_file,
)
from invoicing.models import (
    EInvoiceBatch,
    Reminder,
)

# --- Accounting: downloads ----------------------------------------------------------------


class BinaryRenderer(BaseRenderer):
    """Lets a client ask for the file's type; refusals are still written as JSON."""

    charset = None
    # The same format name as JSON: a `?format=` choice between a file and its refusal
    # would only confuse clients (and the schema would offer it).
    format = "json"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


def renderers(media_type: str) -> list[type[BaseRenderer]]:
    name = f"{media_type.split('/')[1]}Renderer"
    renderer: type[BaseRenderer] = type(name, (BinaryRenderer,), {"media_type": media_type})
    return [JSONRenderer, renderer]


def binary(content_type: str, description: str) -> dict:
    return {(200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)}


@extend_schema(
    tags=["invoices"],
    responses={**binary("application/pdf", "The PDF stored at issue."), **REFUSALS},
)
class InvoicePdfView(InvoiceActionView):
    """The PDF made when the invoice was issued, byte for byte; a draft has none (404)."""

    renderer_classes = renderers("application/pdf")

    def get(self, request: Request, pk: int) -> HttpResponse:
        stored = invoice_pdf_file(pk)
        if stored is None:
            raise Http404
        return stored.as_attachment()


@extend_schema(
    tags=["invoices"],
    parameters=[api.PeriodQuerySerializer],
    responses={**binary("text/csv", "One row per invoice line, UTF-8."), **REFUSALS},
)
class InvoiceExportView(APIView):
    """Lines of the invoices and credit notes issued in the period, for bookkeeping."""

    permission_classes = [Accounting]
    renderer_classes = renderers("text/csv")

    def get(self, request: Request) -> HttpResponse:
        first, last = period(request)
        return lines_csv_file(first, last).as_attachment()


@extend_schema(
    tags=["invoices"],
    parameters=[api.PeriodQuerySerializer],
    responses={**binary("application/zip", "The stored PDFs of the period."), **REFUSALS},
)
class InvoiceArchiveView(APIView):
    """The stored PDFs of the invoices and credit notes issued in the period."""

    permission_classes = [Accounting]
    renderer_classes = renderers("application/zip")

    def get(self, request: Request) -> HttpResponse:
        first, last = period(request)
        return pdfs_zip_file(first, last).as_attachment()


@extend_schema(
    tags=["invoices"],
    responses={**binary("application/xml", "Finvoice 3.0, UTF-8."), **REFUSALS},
)
class InvoiceFinvoiceView(InvoiceActionView):
    """The invoice or credit note as a Finvoice 3.0 e-invoice; a draft has none (404)."""

    renderer_classes = renderers("application/xml")

    def get(self, request: Request, pk: int) -> HttpResponse:
        document = invoice_finvoice_file(pk)
        if document is None:
            raise Http404
        return document.as_attachment()


@extend_schema(
    tags=["invoices"],
    parameters=[api.PeriodQuerySerializer],
    responses={
        **binary("application/xml", "A SOAP envelope and a Finvoice 3.0 document per invoice."),
        **REFUSALS,
    },
)
class InvoiceFinvoiceBatchView(APIView):
    """The period's invoices and credit notes whose buyer has an e-invoice address and
    operator, as one transmission file for the operator: envelope, document, envelope…"""

    permission_classes = [Accounting]
    renderer_classes = renderers("application/xml")

    @extend_schema(operation_id="v1_invoices_finvoice_batch")
    def get(self, request: Request) -> HttpResponse:
        first, last = period(request)
        return finvoice_batch_file(first, last).as_attachment()


@extend_schema(
    tags=["invoices"],
    responses={**binary("application/pdf", "The reminder as sent."), **REFUSALS},
)
class ReminderPdfView(APIView):
    """A payment reminder's PDF as it was sent."""

    permission_classes = [Accounting]
    renderer_classes = renderers("application/pdf")

    def get(self, request: Request, pk: int) -> HttpResponse:
        reminder = get_object_or_404(Reminder.objects.select_related("invoice"), pk=pk)
        return ExportFile(reminder.filename, "application/pdf", bytes(reminder.pdf)).as_attachment()


@extend_schema(
    tags=["invoices"],
    responses={**binary("application/xml", "The batch file as made."), **REFUSALS},
)
class EInvoiceBatchView(APIView):
    """An e-invoice batch file as it was made for the operator's upload."""

    permission_classes = [Accounting]
    renderer_classes = renderers("application/xml")

    def get(self, request: Request, pk: int) -> HttpResponse:
        batch = get_object_or_404(EInvoiceBatch, pk=pk)
        file = ExportFile(batch.filename, "application/xml", bytes(batch.content))
        return file.as_attachment()


def period(request: Request) -> tuple[date, date]:
    query = api.PeriodQuerySerializer(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    return query.validated_data["from"], query.validated_data["to"]
