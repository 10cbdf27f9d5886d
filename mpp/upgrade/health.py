"""Is the new release healthy? Its units run, and the server's /health (when a URL is
given) answers 200 with status "online", before a deadline."""

from __future__ import annotations

import json
import ssl
import time
import urllib.error
import urllib.request
from pathlib import Path

from mpp.upgrade.services import Services

POLL_S = 0.2


def wait_healthy(services: Services, url: str | None, timeout_s: float,
                 ca: Path | None = None) -> str | None:
    """None when healthy; else why not (the last thing seen at the deadline)."""
    deadline = time.monotonic() + timeout_s
    context = _tls_context(ca) if url and url.startswith("https:") else None
    while True:
        down = services.inactive()
        if down:  # a crashed unit will not get better by waiting
            return f"{', '.join(down)} not running"
        why = _probe(url, context) if url else None
        if why is None:
            return None
        if time.monotonic() >= deadline:
            return f"{url}: {why} after {timeout_s:g} s"
        time.sleep(POLL_S)  # polling an outside process: nothing to wait on


def _probe(url: str, context: ssl.SSLContext | None) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2, context=context) as reply:
            body = json.loads(reply.read() or b"{}")
    except urllib.error.HTTPError as err:
        return f"HTTP {err.code}"
    except (OSError, ValueError) as err:
        return f"no answer ({err})"
    status = body.get("status") if isinstance(body, dict) else None
    return None if status == "online" else f"status {status!r}"


def _tls_context(ca: Path | None) -> ssl.SSLContext:
    """The site CA signs the dashboard's certificate; the probe dials the loopback, which
    the certificate need not name, so the chain is checked and the host name is not."""
    context = ssl.create_default_context(cafile=str(ca) if ca else None)
    context.check_hostname = False
    return context
