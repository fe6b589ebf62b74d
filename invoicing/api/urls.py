"""`/api/v1/` routes of invoicing (SPEC §3.4): quotes for everyone, invoices for accounting."""

from django.urls import path

from invoicing.api import reports, views

urlpatterns = [
    path("quotes/", views.QuoteView.as_view(), name="api-quotes"),
    # Reports for booking staff and accounting (SPEC §3.6).
    path("reports/usage/", reports.UsageReportView.as_view(), name="api-reports-usage"),
    path("reports/revenue/", reports.RevenueReportView.as_view(), name="api-reports-revenue"),
    path("invoices/", views.InvoiceListCreateView.as_view(), name="api-invoices"),
    # The files before `<int:pk>`, though an int never matches them anyway.
    path("invoices/export.csv", views.InvoiceExportView.as_view(), name="api-invoices-csv"),
    path("invoices/archive.zip", views.InvoiceArchiveView.as_view(), name="api-invoices-zip"),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="api-invoice"),
    path("invoices/<int:pk>/issue/", views.InvoiceIssueView.as_view(), name="api-invoice-issue"),
    path("invoices/<int:pk>/pdf/", views.InvoicePdfView.as_view(), name="api-invoice-pdf"),
    path("invoices/<int:pk>/credit/", views.InvoiceCreditView.as_view(), name="api-invoice-credit"),
    path(
        "invoices/<int:pk>/payments/",
        views.InvoicePaymentView.as_view(),
        name="api-invoice-payments",
    ),
]
