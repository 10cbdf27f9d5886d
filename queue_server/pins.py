"""Officer PINs: stored only as salted PBKDF2 hashes, compared in constant time.

Format: pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>. A PIN is short, so the real
protection is the sign-in lock-out; the iteration count only slows an offline attack
on a stolen site file, and is kept modest because sign-in runs on the engine thread."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ITERATIONS = 50_000
PIN_RE = re.compile(r"^[0-9]{4,8}$")
HASH_RE = re.compile(r"^pbkdf2_sha256\$[0-9]{4,7}\$[0-9a-f]{32}\$[0-9a-f]{64}$")


def hash_pin(pin: str, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    if not PIN_RE.match(pin):
        raise ValueError("a PIN is 4 to 8 digits")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, stored: str) -> bool:
    if not HASH_RE.match(stored) or not isinstance(pin, str) or len(pin) > 8:
        return False
    _algo, iterations, salt, digest = stored.split("$")
    got = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(got.hex(), digest)
