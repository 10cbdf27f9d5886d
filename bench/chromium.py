"""Headless Chromium (Debian's /usr/bin/chromium) for Playwright: the dashboard's browser
tests, its latency benchmark and its screenshots launch it the same way. Without the
background-networking flags Chromium keeps trying hosts a closed network refuses."""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def launch(playwright: Any) -> Any:
    """A browser from a sync_playwright() context; the caller closes it."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
