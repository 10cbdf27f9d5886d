"""What a code on the wire may not carry: personal data (UU PDP 27/2022). An appointment
code is random; a code that holds a NIK (the 16-digit national identity number) is refused
by the server (`personal_data`) and by the kiosk's scanner before it is ever sent.
Shared by both sides: the server's privacy rules (domain/privacy.py) and the kiosk."""

from __future__ import annotations

import re

NIK_DIGITS = 16
# 16 digits in a row, maybe split by spaces, dots or dashes ("3201-0123-4567-0001")
_NIK_RUN = re.compile(r"[0-9](?:[ .-]?[0-9]){15}")


def carries_nik(text: str) -> bool:
    """Whether `text` holds a NIK-shaped run: 16 (or more) digits in a row, separators
    between them ignored. A random appointment code never does."""
    return _NIK_RUN.search(text) is not None
