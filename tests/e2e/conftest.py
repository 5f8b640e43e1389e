"""A real dashboard server and headless Chromium (Debian's), with the internet cut off.

Every request that does not go to the local server is aborted and recorded, so the tests
prove the dashboard needs no CDN or tile server.
"""

from __future__ import annotations

import os

import pytest

from tools.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCAL,
    MAP_FRAME,
    ROOT,
    chromium_missing,
    start_server,
    stop,
)

ARTIFACTS = ROOT / "test-artifacts"
__all__ = ["ARTIFACTS", "MAP_FRAME", "require_chromium"]


def require_chromium() -> None:
    if (message := chromium_missing()) is None:
        return
    if os.environ.get("CI"):
        pytest.fail(message)  # CI installs it: never skip there
    pytest.skip(message)


@pytest.fixture(scope="session")
def server():
    require_chromium()
    process, url = start_server()
    yield url
    stop(process)


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    """A fresh page (its own context) with every request off this machine aborted and recorded."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.external_requests = []
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))

    def gate(route):
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", gate)
    yield page
    context.close()
