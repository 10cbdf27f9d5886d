"""The ticket's own page for the citizen's phone (DESIGN.md: the `url` of ticket.issue's
reply), opened by a secret key that only that reply and the printed QR carry. The hall
stores the key's SHA-256 digest, never the key: a copy of the database opens no page.
The ticket id seen on state/ and event/ topics opens nothing."""

from __future__ import annotations

import hashlib
import re

KEY_BYTES = 16  # 128 random bits: secrets.token_urlsafe(KEY_BYTES), 22 characters
KEY_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
PAGE_PATH = "/t/"


def key_digest(key: str) -> str:
    """What the tickets table holds of a key (hex SHA-256)."""
    return hashlib.sha256(key.encode()).hexdigest()


def well_formed(key: str) -> bool:
    return KEY_RE.fullmatch(key) is not None


def page_url(base: str, key: str) -> str:
    """The ticket's address for phones: the hall's public base + /t/{key}; "" when the
    hall serves no pages (no public address and no HTTP)."""
    return f"{base.rstrip('/')}{PAGE_PATH}{key}" if base else ""
