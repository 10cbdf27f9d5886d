"""The engine driven directly, batch by batch, on a real database, without a broker: its
outbound edge records what would be published. For what a test must put in one batch (one
transaction), which the broker's timing cannot promise, and for what needs no broker."""

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

    def replies(self) -> list[dict[str, Any]]:
        """Every reply, in the order published."""
        return [json.loads(p) for t, p, _retain in self.sent if "/reply/" in t]

    def replies_by_id(self) -> dict[str, dict[str, Any]]:
        """Each reply by its command id (the last one for an id sent twice)."""
        return {str(reply["re"]): reply for reply in self.replies()}


def open_engine(cfg: SiteConfig, db: DbEngine, clock: Clock) -> tuple[Engine, Sink]:
    sink = Sink()
    engine = Engine(cfg, HallStore(cfg, db), clock, sink)
    engine.open()
    return engine, sink


def command(device: str, cmd_id: str, op: str, **args: Any) -> Inbound:
    return Inbound(device, dumps({"id": cmd_id, "op": op, "args": args}))


def run(engine: Engine, sink: Sink, device: str, op: str, cmd_id: str = "",
        **args: object) -> dict[str, Any]:
    """Send one command in a batch of its own; its reply."""
    cmd_id = cmd_id or f"{op}-{len(sink.sent)}"
    engine.process([Inbound(device, dumps({"id": cmd_id, "op": op, "args": args}))])
    reply = sink.replies()[-1]
    assert reply["re"] == cmd_id
    return reply
