"""The pages work under the production Content-Security-Policy (the `page` fixture fails
a test on any refusal the browser reports)."""

from __future__ import annotations

import pytest

from tests.factories import house_hours, make_room

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_under_the_policy(page):
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)


def test_the_room_page_and_request_form_run_their_scripts_under_the_policy(page):
    house_hours()
    make_room(slug="sali", is_public=True)
    page.goto("/en/rooms/sali/")
    page.goto("/en/rooms/sali/request/")
    page.wait_for_load_state("networkidle")
    assert page.locator("form").count() >= 1
