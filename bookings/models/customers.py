"""Renters: member organisations and the customers who book."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings.models.rooms import LANGUAGE_CHOICES
from bookings.validators import validate_business_id


class MemberOrganisation(models.Model):
    """The association's member organisations, kept by staff; members get member prices."""

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(
        _("business ID"), max_length=9, unique=True, validators=[validate_business_id]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.business_id})"


class DeliveryMethod(models.TextChoices):
    """How a customer's invoices reach them (SPEC §2.15)."""

    E_INVOICE = "e_invoice", _("E-invoice")
    EMAIL = "email", _("E-mail")
    PAPER = "paper", _("Paper")


def organisation_key(name: str) -> str:
    """What two spellings of one organisation's name share: spaces and letter case aside
    (case-folded in Python, as SQLite folds only ASCII letters)."""
    return " ".join(name.split()).casefold()


class CustomerQuerySet(models.QuerySet):
    def live(self) -> CustomerQuerySet:
        """Customers not merged into another: the ones to choose, match and invoice."""
        return self.filter(merged_into__isnull=True)


class Customer(models.Model):
    """One organisation that books and is invoiced: one per business ID, and by name for
    those without one. `contact_name` and `email` are its billing contact; everyone who
    books for it is one of its `contacts`."""

    organisation = models.CharField(_("organisation"), max_length=200)
    # organisation_key(organisation), kept by save(): customers are matched by it.
    name_key = models.CharField(max_length=200, editable=False, db_index=True, default="")
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, validators=[validate_business_id]
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    billing_address = models.TextField(_("billing address"), max_length=500, blank=True)
    e_invoice_address = models.CharField(_("e-invoice address"), max_length=40, blank=True)
    e_invoice_operator = models.CharField(_("e-invoice operator"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES, default="fi")
    invoice_delivery = models.CharField(
        _("invoice delivery"),
        max_length=10,
        choices=DeliveryMethod.choices,
        blank=True,
        help_text=_(
            "Leave empty to send e-invoices when an e-invoice address and operator are known, "
            "else e-mail."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # A duplicate merged into another customer stays as the record its issued invoices
    # were made out to (those never change); everything else moved to the one kept.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["organisation"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=~Q(business_id=""),
                name="one_customer_per_business_id",
            ),
            models.CheckConstraint(
                condition=Q(invoice_delivery="") | Q(invoice_delivery__in=DeliveryMethod.values),
                name="customer_invoice_delivery_valid",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="customer_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.organisation

    def save(self, *args, **kwargs) -> None:
        self.name_key = organisation_key(self.organisation)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "organisation" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def delivery_method(self) -> str:
        """The method chosen, or e-invoice when its address and operator are known."""
        if self.invoice_delivery:
            return self.invoice_delivery
        if self.e_invoice_address and self.e_invoice_operator:
            return DeliveryMethod.E_INVOICE
        return DeliveryMethod.EMAIL


class CustomerContact(models.Model):
    """A person who books for a customer. A request from a known contact's e-mail is
    recognised as that customer's; anyone else naming the organisation waits for staff."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["customer", "name", "pk"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        constraints = [
            models.UniqueConstraint(
                "customer", Lower("email"), name="one_contact_per_customer_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
