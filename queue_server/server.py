"""The queue server process: engine + MQTT link + zeroconf + health endpoint."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.engine import Engine
from queue_server.protocol.link import Link, LinkError, LinkOptions
from queue_server.protocol.messages import dumps
from queue_server.protocol.topics import Topics
from queue_server.store.db import make_engine

log = logging.getLogger("mpp.server")


@dataclass(frozen=True)
class ServerOptions:
    db_url: str
    mqtt_host: str = "127.0.0.1"
    mqtt_port: int = 1883
    http_port: int | None = None
    http_host: str = "0.0.0.0"
    advertise: bool = True
    tick_s: float = 30.0
    mqtt_protocol: str = "auto"  # "auto" | "5" | "3.1.1" (amqtt speaks only 3.1.1)


class _LinkOut:
    """The engine's Outbound, over the MQTT link."""

    def __init__(self) -> None:
        self.link: Link | None = None

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        if self.link is not None:
            self.link.publish(topic, payload, retain)


class QueueServer:
    def __init__(self, cfg: SiteConfig, opts: ServerOptions, clock: Clock | None = None) -> None:
        self.cfg, self.opts = cfg, opts
        self.clock = clock or Clock()
        self.topics = Topics(cfg.site.id)
        self._out = _LinkOut()
        self.db = make_engine(opts.db_url)
        self.engine = Engine(cfg, self.db, self.clock, self._out, tick_s=opts.tick_s)
        self.link: Link | None = None
        self._http: ThreadingHTTPServer | None = None
        self._advertiser = None
        self._stopped = False
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self.connected = threading.Event()  # first connection made

    def start(self, wait_connected: float = 0.0) -> None:
        """Open the store and start serving; connecting to the broker goes on in the
        background. `wait_connected` > 0 waits that long for the first connection."""
        self.engine.open()
        self.engine.start()
        offline = dumps(self.engine.server_state("offline"))
        self.link = Link(
            LinkOptions(self.opts.mqtt_host, self.opts.mqtt_port,
                        client_id=f"mpp-server-{self.cfg.site.id}",
                        subscriptions=[self.topics.cmd_all],
                        will=(self.topics.server, offline, True), persistent=True,
                        protocol=self.opts.mqtt_protocol),
            on_message=self._on_message,
            on_connected=self.engine.request_republish,
        )
        self._out.link = self.link
        threading.Thread(target=self._connect, name="mpp-connect", daemon=True).start()
        if self.opts.http_port is not None:
            self._start_http(self.opts.http_port)
        if self.opts.advertise:  # its name probing takes ~3 s: do not hold up start-up
            threading.Thread(target=self._advertise, name="mpp-zeroconf", daemon=True).start()
        if wait_connected > 0 and not self.connected.wait(wait_connected):
            log.warning("not connected to the broker after %.0f s; still trying",
                        wait_connected)

    def _connect(self) -> None:
        """Keep trying until the broker answers: the hall must come up in any boot order."""
        assert self.link is not None
        while not self._stopped:
            try:
                self.link.start(timeout=5.0)
            except LinkError as err:
                log.warning("waiting for MQTT broker mqtt://%s:%d (%s); retrying",
                            self.opts.mqtt_host, self.opts.mqtt_port, err)
                if self._stop_event.wait(2.0):
                    return
                continue
            with self._lock:
                if self._stopped:  # stop() ran while we were connecting
                    self.link.stop()
                    return
                self.connected.set()
            log.info("serving site %s on mqtt://%s:%d", self.cfg.site.id, self.opts.mqtt_host,
                     self.opts.mqtt_port)
            return

    def _on_message(self, topic: str, payload: bytes) -> None:
        device = self.topics.device_id_of_cmd(topic)
        if device is None:
            log.warning("dropped message on unexpected topic %r", topic[:120])
            return
        self.engine.submit(device, payload)

    def _advertise(self) -> None:
        from queue_server.discovery import Advertiser, DiscoveryError

        host = self.opts.mqtt_host
        try:
            adv = Advertiser(self.cfg.site.id, host, self.opts.mqtt_port, self.opts.http_port)
            adv.start()
        except (DiscoveryError, ValueError) as err:
            log.warning("zeroconf advertisement unavailable: %s", err)
            return
        with self._lock:
            if self._stopped:
                adv.stop()
            else:
                self._advertiser = adv
                log.info("advertised %s on zeroconf", adv.name)

    def _start_http(self, port: int) -> None:
        server = self

        class Health(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path not in ("/health", "/api/health"):
                    self.send_error(404)
                    return
                state = server.engine.server_state()
                state["mqtt_connected"] = bool(server.link and server.link.connected.is_set())
                body = json.dumps(state).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self._http = ThreadingHTTPServer((self.opts.http_host, port), Health)
        threading.Thread(target=self._http.serve_forever, name="mpp-http", daemon=True).start()

    def stop(self) -> None:
        """Idempotent: announces offline, then closes everything it opened."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self._stop_event.set()
        if self._advertiser is not None:
            self._advertiser.stop()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        self.engine.stop()
        if self.link is not None:
            info = self.link.publish(self.topics.server,
                                     dumps(self.engine.server_state("offline")), retain=True)
            try:
                info.wait_for_publish(timeout=2.0)
            except (RuntimeError, ValueError):
                pass
            self.link.stop()
        self.db.dispose()
