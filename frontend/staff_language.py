"""Which language each staff member reads their e-mails in (frontend.StaffLanguage)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from bookings.roles import BOOKING_STAFF
from frontend.models import StaffLanguage

logger = logging.getLogger(__name__)

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


@transaction.atomic
def staff_language_record(*, user: User, language: str) -> None:
    """Remember the language a staff member signed in in; their next e-mails use it.

    A preference, not a record of the house's business: it is logged, not put in the
    bookings' audit trail. A language the site does not have changes nothing."""
    if language not in LANGUAGE_CODES:
        return
    updated = (
        StaffLanguage.objects.filter(user=user).exclude(language=language).update(language=language)
    )
    if not updated:
        _row, created = StaffLanguage.objects.get_or_create(
            user=user, defaults={"language": language}
        )
        if not created:
            return  # the same language as before
    logger.info("staff member %s now gets e-mails in %s", user.pk, language)


def staff_recipients(language: str) -> list[str]:
    """The addresses of the active booking staff who read this language; those who never
    signed in with a language read the house's own (settings.LANGUAGE_CODE)."""
    users = get_user_model().objects.filter(is_active=True, groups__name=BOOKING_STAFF)
    if language == settings.LANGUAGE_CODE:
        users = users.exclude(staff_language__language__in=set(LANGUAGE_CODES) - {language})
    else:
        users = users.filter(staff_language__language=language)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))
