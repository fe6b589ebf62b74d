"""The seller's details, edited by staff in the app (SPEC §3.2): a single row."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from bookings.validators import normalise_business_id, validate_business_id

INVOICE_LANGUAGES = ("fi", "sv", "en")


def normalise_iban(value: str) -> str:
    """A valid Finnish IBAN, compact; the virtual barcode carries only Finnish accounts."""
    try:
        compact = stdnum_iban.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Enter a valid IBAN, for example FI37 1590 3000 0007 76."), code="invalid_iban"
        ) from None
    if not compact.startswith("FI"):
        raise ValidationError(
            _("Enter a Finnish IBAN (FI…): the bank barcode carries Finnish accounts only."),
            code="iban_not_finnish",
        )
    return compact


def validate_iban(value: str) -> None:
    if value:
        normalise_iban(value)


def normalise_bic(value: str) -> str:
    try:
        return stdnum_bic.validate(value)
    except StdnumError:
        raise ValidationError(
            _("Enter a valid BIC, for example NDEAFIHH."), code="invalid_bic"
        ) from None


def validate_bic(value: str) -> None:
    if value:
        normalise_bic(value)


def validate_invoice_languages(value: object) -> None:
    if (
        not isinstance(value, list)
        or not value
        or any(language not in INVOICE_LANGUAGES for language in value)
    ):
        raise ValidationError(_("Choose at least one of Finnish, Swedish and English."))


def default_languages() -> list[str]:
    return list(INVOICE_LANGUAGES)


class ReferenceForm(models.TextChoices):
    FINNISH = "finnish", _("Finnish reference (bank barcode version 4)")
    RF = "rf", _("RF creditor reference (bank barcode version 5)")


class SellerSettings(models.Model):
    """Who invoices: copied into each invoice when it is issued (VAT Act 209 e § 3, 5)."""

    name = models.CharField(_("name"), max_length=70)
    address = models.TextField(_("address"), max_length=300)
    business_id = models.CharField(
        _("business ID (Y-tunnus)"), max_length=9, validators=[validate_business_id]
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, validators=[validate_bic])
    vat_registered = models.BooleanField(
        _("registered for VAT"),
        default=True,
        help_text=_("If not, invoices show no VAT and say that the seller is not liable to VAT."),
    )
    payment_term_days = models.PositiveSmallIntegerField(
        _("payment term (days net)"),
        default=14,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
    )
    penalty_interest_rate = models.DecimalField(
        _("penalty interest (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Leave empty to print “penalty interest under the Interest Act”."),
    )
    invoice_languages = models.JSONField(
        _("invoice languages"), default=default_languages, validators=[validate_invoice_languages]
    )
    reference_form = models.CharField(
        _("reference in the bank barcode"),
        max_length=10,
        choices=ReferenceForm.choices,
        default=ReferenceForm.FINNISH,
    )
    contact = models.CharField(
        _("contact details on invoices"),
        max_length=200,
        blank=True,
        help_text=_("Phone, e-mail or web address, printed in the footer."),
    )
    logo = models.ImageField(_("logo"), upload_to="seller/", blank=True)
    reminder_fee = models.DecimalField(
        _("reminder fee (€)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Charged on each payment reminder; a consumer is charged at most 5 €."),
    )
    e_invoice_address = models.CharField(
        _("e-invoice address"),
        max_length=35,
        blank=True,
        help_text=_("The seller's own e-invoice address (OVT), e.g. 003723319727."),
    )
    e_invoice_operator = models.CharField(
        _("e-invoice operator"),
        max_length=35,
        blank=True,
        help_text=_("The operator's identifier, e.g. a bank's BIC (NDEAFIHH) or E204503."),
    )

    class Meta:
        verbose_name = _("seller settings")
        verbose_name_plural = _("seller settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="seller_settings_single_row"),
            models.CheckConstraint(
                condition=Q(reference_form__in=ReferenceForm.values),
                name="seller_reference_form_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Seller settings"))

    @classmethod
    def load(cls) -> SellerSettings:
        """The single row; empty until staff fill it in (issuing refuses until then)."""
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings

    def clean(self) -> None:
        errors = {}
        for field, normalise in (
            ("business_id", normalise_business_id),
            ("iban", normalise_iban),
            ("bic", normalise_bic),
        ):
            value = getattr(self, field).strip()
            if not value:
                continue
            try:
                setattr(self, field, normalise(value))
            except ValidationError as error:
                errors[field] = error.messages
        if errors:
            raise ValidationError(errors)

    def language_for(self, language: str) -> str:
        """The buyer's language if the seller invoices in it, else the first chosen one."""
        languages = self.invoice_languages or list(INVOICE_LANGUAGES)
        return language if language in languages else languages[0]
