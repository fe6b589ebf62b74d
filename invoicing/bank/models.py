"""Bank statements imported as files, and their entries (SPEC §2.15).

A statement is one imported file (its SHA-256 is unique, so the same file is never read
twice); an entry is one credit or debit the bank reported in it (the bank's archive id is
unique, so the same bank entry is never recorded twice, whatever file brings it again).
A payment made from an entry points to it (`Payment.bank_entry`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StatementFormat(models.TextChoices):
    CAMT054_02 = "camt.054.001.02", _("ISO 20022 camt.054.001.02")
    CAMT054_08 = "camt.054.001.08", _("ISO 20022 camt.054.001.08")
    KTL = "ktl", _("Reference transfer file (KTL)")


class EntryKind(models.TextChoices):
    """What the bank reported: only a booked credit can be a payment."""

    CREDIT = "credit", pgettext_lazy("bank entry", "Credit")
    DEBIT = "debit", pgettext_lazy("bank entry", "Debit")
    REVERSAL = "reversal", pgettext_lazy("bank entry", "Reversal or correction")
    NOT_BOOKED = "not_booked", pgettext_lazy("bank entry", "Not booked")


class EntryState(models.TextChoices):
    """How a credit was matched when it was imported."""

    MATCHED = "matched", pgettext_lazy("bank entry", "Paid the invoice")
    PARTIAL = "partial", pgettext_lazy("bank entry", "Partial payment")
    OVERPAID = "overpaid", pgettext_lazy("bank entry", "Over-payment")
    UNMATCHED = "unmatched", pgettext_lazy("bank entry", "No invoice found")
    NOT_PAYMENT = "not_payment", pgettext_lazy("bank entry", "Not a payment")


# The states accounting must look at until they resolve the entry.
STATES_TO_RESOLVE = (EntryState.PARTIAL, EntryState.OVERPAID, EntryState.UNMATCHED)


class Resolution(models.TextChoices):
    NONE = "", pgettext_lazy("bank entry resolution", "Not resolved")
    ASSIGNED = "assigned", pgettext_lazy("bank entry resolution", "Assigned to an invoice")
    REFUNDED = "refunded", pgettext_lazy("bank entry resolution", "Refunded")
    IGNORED = "ignored", pgettext_lazy("bank entry resolution", "Ignored")


class BankStatement(models.Model):
    format = models.CharField(_("format"), max_length=20, choices=StatementFormat.choices)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    content = models.BinaryField(_("file"))
    message_id = models.CharField(_("bank's message id"), max_length=35, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    # Entries the file repeated from an earlier import, skipped by their archive id.
    duplicates = models.PositiveIntegerField(_("entries imported before"), default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        constraints = [
            models.CheckConstraint(
                condition=Q(format__in=StatementFormat.values), name="statement_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name or f"#{self.pk}"


class BankEntry(models.Model):
    statement = models.ForeignKey(
        BankStatement, on_delete=models.PROTECT, related_name="entries", verbose_name=_("statement")
    )
    position = models.PositiveIntegerField(_("position in the file"))
    # AcctSvcrRef of camt.054, the archive id of KTL: the bank's own unique id.
    archive_id = models.CharField(_("bank's archive id"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    state = models.CharField(_("state"), max_length=12, choices=EntryState.choices)
    amount = models.DecimalField(_("amount (€)"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    booked_on = models.DateField(_("booking date"))
    payer = models.CharField(_("payer"), max_length=140, blank=True)
    # The Finnish form of the reference found (structured or typed into the message).
    reference = models.CharField(_("reference number"), max_length=20, blank=True)
    remittance = models.CharField(_("message"), max_length=500, blank=True)
    invoice = models.ForeignKey(
        "invoicing.Invoice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_entries",
        verbose_name=_("invoice the reference names"),
    )
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, blank=True, default=""
    )
    resolution_note = models.CharField(_("note"), max_length=500, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        ordering = ["statement", "position"]
        verbose_name = _("bank entry")
        verbose_name_plural = _("bank entries")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="entry_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=EntryState.values), name="entry_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(resolution__in=Resolution.values), name="entry_resolution_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="entry_amount_not_negative"),
            # Only a booked credit is ever a payment (a debit or a reversal never is).
            models.CheckConstraint(
                condition=Q(kind="credit") | Q(state="not_payment"),
                name="entry_only_credits_match",
            ),
        ]
        indexes = [models.Index(fields=["state", "resolution"], name="entry_to_resolve")]

    def __str__(self) -> str:
        return self.archive_id

    @property
    def needs_resolution(self) -> bool:
        return self.state in STATES_TO_RESOLVE and not self.resolution
