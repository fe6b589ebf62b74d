"""A series told in words in each language, never as its stored rule."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from bookings.recurrence import Recurrence
from frontend.series_words import series_in_words
from tests.factories import at

THURSDAY = date(2026, 3, 12)


@pytest.mark.parametrize(
    ("recurrence", "language", "words"),
    [
        (Recurrence(count=8), "en", "every Thursday, 8 times"),
        (Recurrence(count=8), "fi", "joka torstai, 8 kertaa"),
        (Recurrence(count=8), "sv", "varje torsdag, 8 gånger"),
        (Recurrence(count=1), "en", "every Thursday, 1 time"),
        (
            Recurrence(weekdays=(0, 3), interval_weeks=2, until=date(2026, 4, 30)),
            "en",
            "every 2 weeks on Monday and Thursday until 30.04.2026",
        ),
        (
            Recurrence(weekdays=(0, 3), interval_weeks=2, until=date(2026, 4, 30)),
            "fi",
            "2 viikon välein: maanantai ja torstai 30.04.2026 asti",
        ),
        (
            Recurrence(weekdays=(0, 2, 3), count=6),
            "sv",
            "varje måndag, onsdag och torsdag, 6 gånger",
        ),
    ],
)
def test_a_series_rule_in_words(recurrence, language, words):
    start = at(THURSDAY, 17)
    with translation.override(language):
        assert series_in_words(recurrence.rule_text(start), start) == words


def test_a_rule_the_house_does_not_make_is_not_shown_as_rule_text():
    with translation.override("fi"):
        assert series_in_words("FREQ=DAILY;COUNT=3", at(THURSDAY, 17)) == "toistuva sarja"
