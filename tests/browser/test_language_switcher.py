"""The language switcher keeps the page and needs no JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations
from tests.factories import make_room

pytestmark = pytest.mark.django_db(transaction=True)


def test_switching_language_keeps_the_page_and_passes_axe(page_without_js):
    make_room(slug="sali", name_fi="Juhlasali", name_sv="Festsal", name_en="Hall")
    page = page_without_js
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.get_by_role("heading", name="Juhlasali").is_visible()

    page.get_by_role("link", name="Svenska").click()
    assert page.url.endswith("/sv/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", name="Festsal").is_visible()

    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/en/")
    assert page.get_by_role("heading", name="Hall").is_visible()


def test_room_list_has_no_serious_accessibility_violations(page):
    make_room(slug="sali", name_fi="Juhlasali")
    page.goto("/")
    assert axe_violations(page) == []
