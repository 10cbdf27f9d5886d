"""An engine without a broker: its outbound edge records what would be published, and
`run` sends one command and returns its reply."""

from __future__ import annotations

import contextlib
import json

from queue_server.engine import Engine
from queue_server.engine.core import Inbound
from queue_server.protocol.messages import dumps


class Sink:
    """The engine's outbound edge: what would go to the broker."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.sent.append((topic, payload))

    def burst(self) -> contextlib.nullcontext[None]:
        return contextlib.nullcontext()


def run(engine: Engine, sink: Sink, device: str, op: str, cmd_id: str = "",
        **args: object) -> dict:
    cmd_id = cmd_id or f"{op}-{len(sink.sent)}"
    engine.process([Inbound(device, dumps({"id": cmd_id, "op": op, "args": args}))])
    reply = next(json.loads(p) for t, p in reversed(sink.sent) if "/reply/" in t)
    assert reply["re"] == cmd_id
    return reply
