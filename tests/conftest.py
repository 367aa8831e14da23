"""Shared fixtures: a headless Debian chromium driven by playwright, kept offline."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One chromium for the whole test session; fails (never skips) when it is missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's chromium "
            "(apt-get install chromium)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as error:  # any launch failure is a test failure
        playwright.stop()
        pytest.fail(f"could not start {CHROMIUM}: {error}", pytrace=False)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def open_report(browser: Any) -> Iterator[Callable[[Path], tuple[Any, list[str], list[str]]]]:
    """Open a local HTML file offline; return the page, its console errors and outside requests.

    Every request whose URL does not start with ``file:`` or ``data:`` is recorded and aborted,
    so a test never touches the network.
    """
    pages: list[Any] = []

    def _open(path: Path, width: int = 1280, height: int = 900) -> tuple[Any, list[str], list[str]]:
        page = browser.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        errors: list[str] = []
        requests: list[str] = []

        def on_console(message: Any) -> None:
            if message.type == "error":
                errors.append(message.text)

        def on_route(route: Any) -> None:
            url = route.request.url
            if url.startswith(("file:", "data:")):
                route.continue_()
            else:
                requests.append(url)
                route.abort()

        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
        page.route("**/*", on_route)
        page.goto(Path(path).resolve().as_uri(), wait_until="load")
        return page, errors, requests

    yield _open
    for page in pages:
        page.close()
