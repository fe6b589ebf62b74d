"""Browser tests: Playwright drives Debian's Chromium against the live test server.

One browser for the whole run (started on first use); each test gets a fresh context.
axe-core comes from the npm package installed in tests/js and is injected from disk,
so no page ever loads anything from outside.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent.parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
# Chromium's own background traffic would only hit this machine's closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    # Django refuses ORM calls from inside a running event loop; Playwright's sync API
    # runs one in this thread while the browser is open.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def csp_refusals(page) -> list[str]:
    """Every Content-Security-Policy refusal the page reports, kept as it happens."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.fixture
def page(browser, live_server) -> Iterator:
    """A page under the production Content-Security-Policy: a test whose page breaks it
    (an inline script or style, an outside resource) fails."""
    context = browser.new_context(base_url=live_server.url, locale="fi-FI")
    page = context.new_page()
    refused = csp_refusals(page)
    yield page
    context.close()
    assert refused == [], refused


@pytest.fixture
def page_without_js(browser, live_server) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url, locale="fi-FI", java_script_enabled=False
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core on the page as it is now; the violations of the given impacts."""
    # Evaluated, not added as a <script>: the site's Content-Security-Policy allows no
    # inline script, and the tests run under it.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": item["id"], "impact": item["impact"], "nodes": [n["target"] for n in item["nodes"]]}
        for item in result["violations"]
        if item["impact"] in impacts
    ]


# A desktop and a 390×844 phone; the `screen` fixture runs a test on each, in English,
# under the production Content-Security-Policy like `page`.
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=sorted(SCREENS))
def screen(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport=SCREENS[request.param]
    )
    page = context.new_page()
    page.screen_name = request.param
    refused = csp_refusals(page)
    yield page
    context.close()
    assert refused == [], refused


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide on {page.screen_name}"
