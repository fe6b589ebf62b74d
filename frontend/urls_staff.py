"""The staff workspace (booking staff and accounting), under /staff/."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from frontend.views.staff import bookings, calendar, customers, direct, feeds, queue, reports
from frontend.views.staff.invoices import (
    bank,
    draft_lines,
    drafts,
    invoice,
    listing,
    ready,
    reminders,
    sending,
)
from frontend.views.staff.login import StaffLoginView

urlpatterns = [
    path(
        "login/",
        StaffLoginView.as_view(next_page=reverse_lazy("frontend:staff-queue")),
        name="staff-login",
    ),
    path(
        "logout/",
        auth_views.LogoutView.as_view(next_page=reverse_lazy("frontend:staff-login")),
        name="staff-logout",
    ),
    path("", queue.queue, name="staff-queue"),
    path("bookings/new/", direct.booking_new, name="staff-booking-new"),
    path("bookings/<int:pk>/", bookings.detail, name="staff-booking"),
    path("bookings/<int:pk>/approve/", bookings.approve, name="staff-approve"),
    path("bookings/<int:pk>/customer/", bookings.customer_confirm, name="staff-customer"),
    path("bookings/<int:pk>/reject/", bookings.reject, name="staff-reject"),
    path("bookings/<int:pk>/cancel/", bookings.cancel, name="staff-cancel"),
    path("bookings/<int:pk>/move/", bookings.move, name="staff-move"),
    path("series/<int:pk>/approve/", bookings.series_approve, name="staff-series-approve"),
    path("series/<int:pk>/reject/", bookings.series_reject, name="staff-series-reject"),
    path("calendar/", calendar.week, name="staff-calendar-week"),
    path("calendar/day/", calendar.day_view, name="staff-calendar-day"),
    path("closures/", direct.closures, name="staff-closures"),
    path("closures/<int:pk>/remove/", direct.closure_lift, name="staff-closure-remove"),
    path("feeds/", feeds.feeds, name="staff-feeds"),
    path("feeds/<int:pk>/rotate/", feeds.feed_rotate, name="staff-feed-rotate"),
    path("feeds/<int:pk>/revoke/", feeds.feed_revoke, name="staff-feed-revoke"),
    # Usage and revenue, for booking staff and accounting (SPEC §2.14).
    path("reports/", reports.reports, name="staff-reports"),
    # Accounting (SPEC §2.7).
    path("invoices/", listing.invoice_list, name="staff-invoices"),
    path("customers/", customers.customer_list, name="staff-customers"),
    path("customers/merge/", customers.customer_merge, name="staff-customers-merge"),
    path("customers/<int:pk>/", customers.customer_detail, name="staff-customer-page"),
    path("invoices/ready/", ready.ready, name="staff-invoices-ready"),
    path("invoices/new/", drafts.new, name="staff-invoice-new"),
    path("invoices/new/create/", drafts.create, name="staff-invoice-create"),
    path("invoices/export/", listing.export, name="staff-invoice-export"),
    path("invoices/payments/", listing.payment_by_reference, name="staff-payment-by-reference"),
    path("invoices/bank/", bank.statements, name="staff-bank-statements"),
    path("invoices/bank/<int:pk>/", bank.statement, name="staff-bank-statement"),
    path("invoices/bank/unresolved/", bank.unresolved, name="staff-bank-unresolved"),
    path("invoices/bank/entries/<int:pk>/resolve/", bank.resolve, name="staff-bank-resolve"),
    path("invoices/<int:pk>/", invoice.detail, name="staff-invoice"),
    path("invoices/<int:pk>/issue/", invoice.issue, name="staff-invoice-issue"),
    path("invoices/<int:pk>/delete/", invoice.delete, name="staff-invoice-delete"),
    path("invoices/<int:pk>/credit/", invoice.credit, name="staff-invoice-credit"),
    path("invoices/<int:pk>/lines/", draft_lines.line_add, name="staff-invoice-line-add"),
    path(
        "invoices/<int:pk>/lines/<int:position>/remove/",
        draft_lines.line_remove,
        name="staff-invoice-line-remove",
    ),
    path(
        "invoices/<int:pk>/discounts/", draft_lines.discount_add, name="staff-invoice-discount-add"
    ),
    path("invoices/<int:pk>/payments/", invoice.payment, name="staff-invoice-payment"),
    path("invoices/<int:pk>/pdf/", invoice.pdf, name="staff-invoice-pdf"),
    path("invoices/<int:pk>/send/", sending.send, name="staff-invoice-send"),
    path("invoices/<int:pk>/delivery/", sending.delivery, name="staff-invoice-delivery"),
    path("invoices/send/", sending.bulk_send, name="staff-invoices-send"),
    path("invoices/<int:pk>/remind/", reminders.remind, name="staff-invoice-remind"),
    path("invoices/reminders/<int:pk>/pdf/", reminders.reminder_pdf, name="staff-reminder-pdf"),
    path(
        "invoices/e-invoice-batches/<int:pk>/file.xml",
        sending.batch_file,
        name="staff-e-invoice-batch",
    ),
]
