"""Field validators shared by models, forms and serializers."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import ytunnus


def normalise_business_id(value: str) -> str:
    """A valid Y-tunnus in its printed form (1234567-8); raises ValidationError otherwise."""
    try:
        return ytunnus.format(ytunnus.validate(value))
    except StdnumError:
        raise ValidationError(
            _("Enter a valid Finnish business ID (Y-tunnus), for example 2331972-7."),
            code="invalid_business_id",
        ) from None


def validate_business_id(value: str) -> None:
    if value:
        normalise_business_id(value)
