"""`/api/v1/` routes of invoicing (SPEC §3.4): quotes for everyone, invoices and bank
statements for accounting."""

from django.urls import path

from invoicing.api import bank, draft_lines, files, reports, views

urlpatterns = [
    path("quotes/", views.QuoteView.as_view(), name="api-quotes"),
    # Reports for booking staff and accounting (SPEC §3.6).
    path("reports/usage/", reports.UsageReportView.as_view(), name="api-reports-usage"),
    path("reports/revenue/", reports.RevenueReportView.as_view(), name="api-reports-revenue"),
    path("invoices/", views.InvoiceListCreateView.as_view(), name="api-invoices"),
    # The files before `<int:pk>`, though an int never matches them anyway.
    path("invoices/export.csv", files.InvoiceExportView.as_view(), name="api-invoices-csv"),
    path("invoices/archive.zip", files.InvoiceArchiveView.as_view(), name="api-invoices-zip"),
    path(
        "invoices/finvoice.xml",
        files.InvoiceFinvoiceBatchView.as_view(),
        name="api-invoices-finvoice",
    ),
    path("invoices/send/", views.InvoiceBulkSendView.as_view(), name="api-invoices-send"),
    path(
        "e-invoice-batches/<int:pk>/file.xml",
        files.EInvoiceBatchView.as_view(),
        name="api-e-invoice-batch",
    ),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="api-invoice"),
    path("invoices/<int:pk>/issue/", views.InvoiceIssueView.as_view(), name="api-invoice-issue"),
    # Lines and discounts typed on a draft; a line is named by its position.
    path(
        "invoices/<int:pk>/lines/",
        draft_lines.DraftLineCreateView.as_view(),
        name="api-invoice-lines",
    ),
    path(
        "invoices/<int:pk>/lines/<int:position>/",
        draft_lines.DraftLineDeleteView.as_view(),
        name="api-invoice-line",
    ),
    path(
        "invoices/<int:pk>/discounts/",
        draft_lines.DraftDiscountCreateView.as_view(),
        name="api-invoice-discounts",
    ),
    path("invoices/<int:pk>/pdf/", files.InvoicePdfView.as_view(), name="api-invoice-pdf"),
    path("invoices/<int:pk>/send/", views.InvoiceSendView.as_view(), name="api-invoice-send"),
    path(
        "invoices/<int:pk>/reminder/",
        views.InvoiceReminderView.as_view(),
        name="api-invoice-reminder",
    ),
    path("reminders/<int:pk>/pdf/", files.ReminderPdfView.as_view(), name="api-reminder-pdf"),
    path(
        "invoices/<int:pk>/finvoice.xml",
        files.InvoiceFinvoiceView.as_view(),
        name="api-invoice-finvoice",
    ),
    path("invoices/<int:pk>/credit/", views.InvoiceCreditView.as_view(), name="api-invoice-credit"),
    path(
        "invoices/<int:pk>/payments/",
        views.InvoicePaymentView.as_view(),
        name="api-invoice-payments",
    ),
    path(
        "bank-statements/", bank.BankStatementListCreateView.as_view(), name="api-bank-statements"
    ),
    path(
        "bank-statements/<int:pk>/",
        bank.BankStatementDetailView.as_view(),
        name="api-bank-statement",
    ),
    path(
        "bank-entries/unresolved/",
        bank.BankEntryUnresolvedView.as_view(),
        name="api-bank-entries-unresolved",
    ),
    path(
        "bank-entries/<int:pk>/assign/",
        bank.BankEntryAssignView.as_view(),
        name="api-bank-entry-assign",
    ),
    path(
        "bank-entries/<int:pk>/refund/",
        bank.BankEntryRefundView.as_view(),
        name="api-bank-entry-refund",
    ),
    path(
        "bank-entries/<int:pk>/ignore/",
        bank.BankEntryIgnoreView.as_view(),
        name="api-bank-entry-ignore",
    ),
]
