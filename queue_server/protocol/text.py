"""Text from the wire, made safe: a command's strings may not carry control characters
(PostgreSQL refuses NUL, and a newline in a code or a name forges lines wherever it is
shown), and text that reaches a log is escaped, so that no device can forge a log line."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators
CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control(text: str) -> bool:
    return CONTROL_RE.search(text) is not None


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, limit: int = 200) -> str:
    """`text` on one line: control characters as \\xNN escapes, cut at `limit`
    characters. Idempotent, so text escaped once may pass through again."""
    value = str(text)
    out = CONTROL_RE.sub(_escape, value[:limit])
    return out + "..." if len(value) > limit else out
