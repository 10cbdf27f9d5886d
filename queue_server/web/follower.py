"""The dashboard's follower: an MQTT connection of its own (queue_server/protocol/link.py)
that reads the hall as every device does and hands it to the LiveState.

Why MQTT and not the engine's memory: the retained state topics are the contract every
device reads, device presence (online, printer paper) exists only there, and a follower
on its own paho thread never touches the engine's thread or slows a command down. It
publishes nothing (no presence, no Last Will): it is not a device of the hall. Its broker
account (`dashboard`) only reads state, events and presence: never a command, so a
device's life shows in its presence alone."""

from __future__ import annotations

import json
import logging
import threading
import uuid

from queue_server.protocol.credentials import Credentials
from queue_server.protocol.link import Link, LinkError, LinkOptions, Message
from queue_server.protocol.text import printable
from queue_server.protocol.topics import TopicKind, Topics
from queue_server.web.live import LiveState

log = logging.getLogger("mpp.web.live")

CONNECT_TIMEOUT_S = 5.0
RETRY_S = (1.0, 5.0)  # first and longest wait between attempts, as paho reconnects


class Follower:
    def __init__(self, live: LiveState, host: str, port: int, *,
                 credentials: Credentials | None = None, tls: bool = False) -> None:
        self.live = live
        site = live.cfg.site.id
        self.topics = t = Topics(site)
        subscriptions: list[str | tuple[str, int]] = [
            t.state_all, t.device_all, t.event("ticket")]
        self.link = Link(
            LinkOptions(host, port, client_id=f"mpp-web-{site}-{uuid.uuid4().hex[:6]}",
                        subscriptions=subscriptions, credentials=credentials, tls=tls),
            on_received=self._received,
            on_connected=lambda: live.set_connected(True),
            on_disconnected=lambda: live.set_connected(False))
        self._stop = threading.Event()
        self._linked = threading.Event()
        self._connector: threading.Thread | None = None

    # -- life --------------------------------------------------------------------------

    def start(self) -> None:
        """Reads today's waits from the database, then connects in the background: paho
        reconnects by itself once connected, and until then this tries again."""
        self.live.load_waits()
        self._connector = threading.Thread(target=self._connect, name="mpp-web-follower",
                                           daemon=True)
        self._connector.start()

    def _connect(self) -> None:
        wait = RETRY_S[0]
        while not self._stop.is_set():
            try:
                self.link.start(CONNECT_TIMEOUT_S)
            except LinkError as err:
                log.log(logging.WARNING if wait == RETRY_S[0] else logging.DEBUG,
                        "dashboard: %s; retrying", err)
                self._stop.wait(wait)
                wait = min(wait * 2, RETRY_S[1])
                continue
            self._linked.set()
            return

    def stop(self) -> None:
        """Disconnects, and wakes every waiting stream (the server is closing)."""
        self._stop.set()
        if self._connector is not None:
            self._connector.join(CONNECT_TIMEOUT_S * 3)
        if self._linked.is_set():
            self.link.stop()
        self.live.wake_all()

    # -- incoming (paho's thread) ------------------------------------------------------

    def _received(self, msg: Message) -> None:
        topic, payload, retained = msg
        try:
            self._apply(topic, payload, retained)
        except Exception:  # a malformed message must not stop the follower
            log.exception("ignored a message on %s", topic[:120])

    def _apply(self, topic: str, payload: bytes, retained: bool) -> None:
        parsed = self.topics.parse(topic)
        if parsed is None:
            return
        kind, key, live = parsed.kind, parsed.key, self.live
        if kind not in (TopicKind.SERVER, TopicKind.QUEUE, TopicKind.COUNTER,
                        TopicKind.MESSAGE, TopicKind.DEVICE, TopicKind.EVENT):
            return  # config and calls: the site file has the first, the picture no need
        try:
            data = json.loads(payload) if payload else None
        except ValueError:  # not UTF-8 JSON: a forger's or a broken tool's
            log.warning("ignored a malformed %s %s: not UTF-8 JSON", kind.value,
                        printable(key, 64))
            return
        if kind is TopicKind.SERVER:
            live.set_server(data)
        elif kind is TopicKind.QUEUE:
            live.set_queue(key, data)
        elif kind is TopicKind.COUNTER:
            live.set_counter(key, data)
        elif kind is TopicKind.MESSAGE:
            live.set_message(data)
        elif kind is TopicKind.DEVICE:
            live.set_device(key, data, retained)
        elif key == "ticket":
            live.ticket_event(data)
