"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

from bench.chromium import launch

__all__ = ["launch", "sign_in_page"]


def sign_in_page(page, url: str, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#sign-in")
    page.wait_for_selector("#services tbody tr[data-service]")
