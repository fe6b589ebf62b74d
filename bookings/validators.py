"""Field validators shared by models, forms and serializers."""

from __future__ import annotations

from datetime import date, datetime

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


# Dates and times from outside are kept to these years: far years overflow date
# arithmetic (a week after 9999-12-31) and nothing is booked or invoiced beyond them.
YEARS = (2000, 2100)


def within_years(day: date | datetime) -> bool:
    return YEARS[0] <= day.year <= YEARS[1]


def years_message() -> str:
    return str(_("Choose a date between the years 2000 and 2100."))
