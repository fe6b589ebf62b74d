"""The accounting pages (SPEC §2.7): invoices listed and filtered, drafts from bookings
with a preview, issuing, credit notes, payments, and the files for bookkeeping.

Accounting and administrators only. Every write calls an invoicing service; a refusal
is shown to the person and nothing is changed.
"""
