"""What the public site keeps of its own: e-mails on their way out, and a record of each
personal-data request (SPEC §2.9, §2.11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models import LANGUAGE_CHOICES, Acted


class OutgoingEmail(models.Model):
    """One e-mail with everything needed to send it again (frontend/outbox.py).

    A booking event stores its e-mail in the event's own transaction, unwritten: the
    kind, the bookings it is about and, for a new request, the renter's status token.
    It is written (rendered, the token dropped) when it is first sent, right after the
    commit or by the `send_pending_emails` worker; a failed send stays stored with its
    error until a later run delivers it.
    """

    kind = models.CharField(_("kind"), max_length=30)
    dedupe_key = models.CharField(max_length=120, blank=True, editable=False)
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booking"),
    )
    from_email = models.CharField(_("from"), max_length=254)
    to = models.JSONField(_("to"), default=list)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename", "mimetype", "content_b64"}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, db_index=True)
    # Until written: what to write. The events of one transaction share a batch, and the
    # dates of one series share a group, so a series' decision is one e-mail.
    batch = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    group = models.CharField(max_length=40, blank=True, editable=False)
    booking_ids = models.JSONField(default=list, blank=True, editable=False)
    status_token = models.CharField(max_length=64, blank=True, editable=False)
    rendered_at = models.DateTimeField(_("written"), null=True, blank=True)
    # A staff e-mail is stored once per language and written to the staff members who
    # read that language (StaffLanguage); empty for a renter's, who has their own.
    language = models.CharField(_("language"), max_length=2, blank=True, editable=False)
    # Whoever sends it holds it until then, so the worker and the sender right after the
    # commit never send the same e-mail twice.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [
            # A reminder is sent once per booking and start time, however often cron runs.
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=~Q(dedupe_key=""), name="outgoing_email_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}"


class StaffLanguage(models.Model):
    """The language a staff member's e-mails are written in: the one they last signed in
    to the workspace in (`/sv/staff/login/` is Swedish, `/staff/login/` Finnish). A staff
    member without a row gets the house's language, Finnish."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="staff_language",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("staff member's language")
        verbose_name_plural = _("staff members' languages")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=["fi", "sv", "en"]), name="staff_language_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class PersonalDataAction(models.TextChoices):
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")
    ANONYMISE = "anonymise", _("Anonymised after the retention period")


class PersonalDataLog(Acted):
    """An audit entry for each export, erasure or retention run (SPEC §2.11).

    The person's address is kept only as a SHA-256 digest: the log proves that a request
    was handled without keeping the data it erased."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    action = models.CharField(_("action"), max_length=10, choices=PersonalDataAction.choices)
    email_digest = models.CharField(max_length=64, blank=True)
    counts = models.JSONField(_("rows"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("personal data log entry")
        verbose_name_plural = _("personal data log")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=PersonalDataAction.values),
                name="personal_data_action_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
