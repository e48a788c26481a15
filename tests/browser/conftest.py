"""Headless Chromium (Debian's `chromium`) driven by Playwright against pytest-django's
live server. Never `playwright install`: its browser download does not work here."""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in this thread; Django would refuse the ORM calls
# the fixtures make around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "The browser tests need Debian's chromium (apt-get install chromium; "
            "`make browser` or .ci/run installs it)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


class PageProblems:
    """What went wrong while a page loaded: console errors, page errors, failed or foreign
    requests (the pages must load nothing from the internet)."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.urls: list[str] = []  # the addresses that answered with an error
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}"))
        page.on("request", self._request)
        page.on("response", self._response)

    def _console(self, message):
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def _request(self, request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("http://", "https://")) and host not in LOCAL_HOSTS:
            self.errors.append(f"request outside 127.0.0.1: {request.url}")

    def _response(self, response):
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status}: {response.url}")
            self.urls.append(response.url)


@pytest.fixture
def signed_in_context(browser, live_server, client, council_member):
    """A browser context with Alice's session (signed in through Django's test client)."""
    client.force_login(council_member)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    yield context
    context.close()


@pytest.fixture
def page(signed_in_context):
    page = signed_in_context.new_page()
    page.problems = PageProblems(page)
    yield page
    page.close()
