"""`mpp status`: the hall's link to the outside world as its database holds it (with or
without a server running): the WAN state the last try left, the outbox's backlog and its
oldest record, the last delivery, and the alert past the site's central.alert_after_min.
Exit 1 when the alert stands (for a monitoring script), else 0."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from mpp.common import UsageError

WAN_TEXT = {"up": "up", "down": "DOWN (the central does not answer)",
            "refused": "REFUSED (the central answers, but not with an acknowledgement)",
            "unknown": "not tried yet", "off": "off (no central in the site file)"}


def add_parser(sub: argparse._SubParsersAction, site_db: Any,  # type: ignore[type-arg]
               load_site: Any) -> None:
    """`site_db(args)` and `load_site(path)` are mpp.cli's (passed in: cli imports this)."""
    status = sub.add_parser("status", help="the WAN and the outbox: backlog, oldest "
                                           "record, last delivery (exit 1 on alert)")
    status.add_argument("--site", help="site TOML (default: the mpp-makassar sample)")
    status.add_argument("--db", help="SQLAlchemy URL (default: sqlite in ./data, as mpp "
                                     "server)")
    status.add_argument("--json", action="store_true", help="one JSON document")
    status.set_defaults(func=lambda args: cmd_status(args, site_db, load_site))


def _age(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60} min ago" if hours else f"{rest // 60} min {rest % 60} s ago"


def cmd_status(args: argparse.Namespace, site_db: Any, load_site: Any) -> int:
    from queue_server.store.db import StoreError, make_engine
    from queue_server.wan.deliverer import from_database

    cfg = load_site(args.site)
    _site, url = site_db(args)
    engine = make_engine(url)
    try:
        status = from_database(cfg, engine, time.time())
    except StoreError as err:
        raise UsageError(f"cannot read the outbox in {url} (has `mpp server` run on it?): "
                         f"{str(err).splitlines()[0]}") from None
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(status, indent=1))
    else:
        print("\n".join(lines(cfg.site.id, status)))
    return 1 if status["alert"] else 0


def lines(site: str, status: dict[str, Any]) -> list[str]:
    streams = ", ".join(f"{name} {s['backlog']}" for name, s in status["streams"].items())
    out = [f"site {site}: the outbox to the city's central",
           f"  central:        {status['url'] or '(none)'}",
           f"  WAN:            {WAN_TEXT.get(status['wan'], status['wan'])}"]
    if status["error"]:
        out.append(f"  last error:     {status['error']}: {status['detail'] or ''}")
    out.append(f"  backlog:        {status['backlog']} records ({streams})")
    if status["oldest_at"]:
        out.append(f"  oldest waiting: {status['oldest_at']} ({_age(status['oldest_age_s'])})")
    out.append(f"  last delivery:  {status['last_delivery_at'] or 'never'}"
               + (f" ({_age(status['last_delivery_age_s'])})"
                  if status["last_delivery_age_s"] is not None else ""))
    if status["alert"]:
        out.append(f"  ALERT: the oldest record has waited longer than "
                   f"{status['alert_after_s'] // 60} min")
    return out
