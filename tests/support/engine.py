"""The engine driven directly, batch by batch, on a real database: for what a test must
put in one batch (one transaction), which the broker's timing cannot promise."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from sqlalchemy import Engine as DbEngine

from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.engine import Engine
from queue_server.engine.core import Inbound
from queue_server.protocol.messages import dumps
from queue_server.store.hall_store import HallStore


class Sink:
    """The engine's outbound edge: records what would go to the broker."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, bool]] = []

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.sent.append((topic, payload, retain))

    def burst(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()

    def replies(self) -> dict[str, dict[str, Any]]:
        """Each reply by its command id (the last one for an id sent twice)."""
        found = {}
        for topic, payload, _retain in self.sent:
            if "/reply/" in topic:
                reply = json.loads(payload)
                found[str(reply["re"])] = reply
        return found


def open_engine(cfg: SiteConfig, db: DbEngine, clock: Clock) -> tuple[Engine, Sink]:
    sink = Sink()
    engine = Engine(cfg, HallStore(cfg, db), clock, sink)
    engine.open()
    return engine, sink


def command(device: str, cmd_id: str, op: str, **args: Any) -> Inbound:
    return Inbound(device, dumps({"id": cmd_id, "op": op, "args": args}))
