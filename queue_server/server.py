"""The queue server process: one thread runs the MQTT network and the engine (no
hand-offs between threads on the command path), plus zeroconf and the web dashboard
(queue_server/web, uvicorn on its own thread, over HTTPS when the server's credentials
name a certificate; /health stays public)."""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.domain.numbering import local_day
from queue_server.engine import Engine
from queue_server.engine.core import Inbound
from queue_server.journal import log_event
from queue_server.metrics import Metrics
from queue_server.notify import Notifier
from queue_server.protocol.credentials import Credentials, HttpsFiles
from queue_server.protocol.link import Link, LinkError, LinkOptions, Message
from queue_server.protocol.messages import MAX_PAYLOAD, dumps
from queue_server.protocol.topics import Topics
from queue_server.protocol.urls import MqttUrl
from queue_server.store.backup_schedule import BackupSchedule, server_backups, server_lock
from queue_server.store.db import Checkpointer, make_engine
from queue_server.store.hall_store import HallStore
from queue_server.wan.deliverer import Deliverer

if TYPE_CHECKING:
    from queue_server.domain.outbox import Entry
    from queue_server.protocol.discovery import Advertiser
    from queue_server.web.deps import WebContext
    from queue_server.web.follower import Follower
    from queue_server.web.runner import WebServer

log = logging.getLogger("mpp.server")

MAX_BATCH = 512  # commands per transaction (group commit)
POLL_S = 0.05  # longest wait for the network before looking at timers and stop


@dataclass(frozen=True)
class ServerOptions:
    db_url: str
    mqtt_host: str = "127.0.0.1"
    mqtt_port: int = 1883
    http_port: int | None = None
    http_host: str = "0.0.0.0"
    advertise: bool = True
    tick_s: float = 30.0
    mqtt_protocol: str = "3.1.1"  # "3.1.1" | "5" | "auto" (amqtt speaks only 3.1.1)
    mqtt_tls: bool = False  # mqtts: the broker's certificate checked against the site CA
    # the broker accounts of the server and of the dashboard's follower (the [mqtt] and
    # [follower] sections of the server's credentials file); None: anonymous, which only
    # a development broker allows
    credentials: Credentials | None = None
    follower_credentials: Credentials | None = None
    # what devices dial, advertised on zeroconf, when it is not what the server dials
    # (the server on the plain loopback listener, the boxes on the TLS one)
    advertise_mqtt: MqttUrl | None = None
    # the addresses whose interfaces carry the zeroconf announcement (None: every one)
    mdns_interfaces: list[str] | None = None
    # the dashboard's certificate and key (the [https] section of the server's
    # credentials file): the dashboard speaks HTTPS only, TLS 1.2+; None: plain HTTP
    https: HttpsFiles | None = None
    # online SQLite backups into this folder every backup_every_min and at the day's
    # close, the newest backup_keep kept (queue_server/store/backup.py); None: none
    backup_dir: str | None = None
    backup_keep: int = 48
    backup_every_min: float = 60.0
    # the box bundles (`mpp provision --boxes`' boxes/ folder) blank boxes may be given
    # over the LAN once an administrator approves them (web/pairing.py); None: no pairing
    boxes_dir: str | None = None


class _LinkOut:
    """The engine's Outbound, over the MQTT link."""

    def __init__(self) -> None:
        self.link: Link | None = None

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        if self.link is not None:
            self.link.publish(topic, payload, retain)

    def burst(self) -> AbstractContextManager[object]:
        return self.link.burst() if self.link is not None else nullcontext()


class DatabaseInUse(RuntimeError):
    """Another server (or `mpp restore`) holds the database's lock."""


class QueueServer:
    def __init__(self, cfg: SiteConfig, opts: ServerOptions, clock: Clock | None = None,
                 notifier: Notifier | None = None) -> None:
        self.cfg, self.opts = cfg, opts
        self.clock = clock or Clock()
        # systemd's READY/STATUS/watchdog (queue_server/notify.py); None: nobody listens
        self.notifier = notifier or Notifier(None)
        self._ready = False
        self._link_up = False  # as last told in STATUS
        self.topics = Topics(cfg.site.id)
        self._out = _LinkOut()
        self.db = make_engine(opts.db_url)
        self.metrics = Metrics()  # /metrics (docs/observability.md)
        store = HallStore(cfg, self.db)
        self.engine = Engine(cfg, store, self.clock, self._out, self.metrics)
        # the outbox's deliverer: its own thread; a commit with records only wakes it
        self.deliverer = Deliverer(cfg, self.db, self.clock)
        store.on_outbox = self.deliverer.wake
        self.metrics.outbox = self.deliverer.status
        self._checkpointer = Checkpointer(self.db)
        # one server per database (duplicates otherwise); `mpp restore` waits for us too
        self._db_lock = server_lock(opts.db_url, self.db, cfg.site.id)
        self.backups: BackupSchedule | None = server_backups(
            opts.db_url, cfg.site.id, opts.backup_dir, opts.backup_keep, opts.backup_every_min)
        self._day = ""
        self.link: Link | None = None
        self._inbox: list[Inbound] = []  # filled by paho callbacks, on the server thread
        self._local: list[Inbound] = []  # from other threads (web dashboard), under _lock
        self._incidents: list[Entry] = []  # heard by the dashboard's follower, under _lock
        self._republish = False
        self._thread: threading.Thread | None = None
        self._http: WebServer | None = None
        self._follower: Follower | None = None
        self.web: WebContext | None = None
        self.http_port: int | None = None  # the bound port (the option may be 0)
        self.http_base: str | None = None  # how the hall reaches the dashboard
        self._advertiser: Advertiser | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self.connected = threading.Event()  # first connection made
        self._tick_now = threading.Event()

    def request_tick(self) -> None:
        """Run the periodic work (day rollover, queue refresh) now, on the server thread."""
        self._tick_now.set()

    def start(self, wait_connected: float = 0.0) -> None:
        """Open the store and start serving; connecting to the broker goes on in the
        background. `wait_connected` > 0 waits that long for the first connection."""
        tls = self._https_context()  # a bad certificate fails here with nothing running
        if self._db_lock is not None and not self._db_lock.acquire():
            # two engines on one file would each number from their own memory: duplicates
            raise DatabaseInUse(f"another process holds {self._db_lock.path}: a second "
                                "server on this database would hand out duplicate numbers")
        self.engine.open()
        self._checkpointer.start()
        self.deliverer.start()
        self._day = local_day(self.clock.now(), self.cfg.site.tz)
        offline = dumps(self.engine.server_state("offline"))
        if self.opts.credentials is None:
            log.warning("no broker credentials: connecting anonymously, which only a "
                        "development broker allows (give --credentials FILE)")
        self.link = Link(
            LinkOptions(self.opts.mqtt_host, self.opts.mqtt_port,
                        client_id=f"mpp-server-{self.cfg.site.id}",
                        subscriptions=[self.topics.cmd_all],
                        will=(self.topics.server, offline, True), persistent=True,
                        protocol=self.opts.mqtt_protocol, tls=self.opts.mqtt_tls,
                        credentials=self.opts.credentials),
            on_received=self._on_received,
            on_connected=self._on_connected,
        )
        self._out.link = self.link
        if self.opts.http_port is not None:
            try:  # before the server thread: a port in use fails here with nothing running
                self._start_http(self.opts.http_port, tls)
            except OSError:
                self.deliverer.stop()
                self._checkpointer.stop()
                self.engine.close()
                self.db.dispose()
                if self._db_lock is not None:
                    self._db_lock.release()
                raise
        if self.backups is not None:
            self.backups.start()
        self._thread = threading.Thread(target=self._run, name="mpp-server", daemon=True)
        self._thread.start()
        if self.opts.advertise:  # its name probing takes ~3 s: do not hold up start-up
            threading.Thread(target=self._advertise, name="mpp-zeroconf", daemon=True).start()
        if wait_connected > 0 and not self.connected.wait(wait_connected):
            log.warning("not connected to the broker after %.0f s; still trying",
                        wait_connected)

    def _https_context(self) -> ssl.SSLContext | None:
        """The dashboard's TLS context; raises web.https.HttpsError naming the file when
        the certificate or key is missing, unreadable or not a pair."""
        if self.opts.http_port is None or self.opts.https is None:
            return None
        from queue_server.web.https import server_context

        return server_context(self.opts.https)

    # -- the server thread -------------------------------------------------------------

    def _run(self) -> None:
        try:
            if self._connect():
                self._serve()
        finally:
            self._shutdown_link()
            self.engine.close()

    def _connect(self) -> bool:
        """Keep trying until the broker answers: the hall must come up in any boot order."""
        assert self.link is not None
        while not self._stop_event.is_set():
            try:
                self.link.start(timeout=5.0, threaded=False)
            except LinkError as err:
                log.warning("waiting for MQTT broker %s (%s); retrying", self._url(), err)
                self.notifier.status(f"waiting for the MQTT broker {self._url()}")
                self.notifier.extend_timeout(30.0)  # still starting, not stuck
                self._stop_event.wait(2.0)
                continue
            self.connected.set()
            log_event(log, "server.start", site=self.cfg.site.id, broker=self._url(),
                      text="serving site")
            return True
        return False

    def _url(self) -> MqttUrl:
        user = self.opts.credentials.user if self.opts.credentials else None
        return MqttUrl(self.opts.mqtt_host, self.opts.mqtt_port, self.opts.mqtt_tls, user)

    def _serve(self) -> None:
        assert self.link is not None
        next_tick = time.monotonic() + self.opts.tick_s
        while not self._stop_event.is_set():
            # each turn of the engine's loop feeds the watchdog: an engine stuck in a
            # command (a locked database, a bug that never returns) stops the pings
            self.notifier.ping()
            self.link.pump(min(POLL_S, max(0.0, next_tick - time.monotonic())))
            self._report_link()
            while self._inbox and len(self._inbox) < MAX_BATCH:
                before = len(self._inbox)
                self.link.pump(0)  # take what else has already arrived: one transaction
                if len(self._inbox) == before:
                    break
            self._take_local()
            self._guarded(self._process_inbox)
            self._guarded(self._record_incidents)
            if self._republish:
                self._republish = False
                self._guarded(self.engine.publish_all)
                self._announce_ready()
            if time.monotonic() >= next_tick or self._tick_now.is_set():
                self._tick_now.clear()
                self._guarded(self.engine.tick)
                self._day_close_backup()
                next_tick = time.monotonic() + self.opts.tick_s
        self._take_local()
        self._guarded(self._process_inbox)  # what already arrived is answered before we go

    def _day_close_backup(self) -> None:
        """The day rolled over in this tick: back up the day that closed."""
        day = local_day(self.clock.now(), self.cfg.site.tz)
        if day != self._day:
            self._day = day
            if self.backups is not None:
                self.backups.request("day_close")

    def _announce_ready(self) -> None:
        """READY=1 once: connected to the broker and the hall's state published."""
        if not self._ready:
            self._ready = self._link_up = True
            self.notifier.ready(self._serving())

    def _report_link(self) -> None:
        """Once serving, STATUS follows the broker connection (systemctl status)."""
        assert self.link is not None
        up = self.link.connected.is_set()
        if self._ready and up != self._link_up:
            self._link_up = up
            self.notifier.status(self._serving() if up
                                 else f"lost the MQTT broker {self._url()}; reconnecting")

    def _serving(self) -> str:
        return f"serving site {self.cfg.site.id} on {self._url()}"

    def submit(self, device: str, role: str, payload: bytes, timeout: float = 10.0) -> bytes:
        """Run one command through the engine from another thread (the web dashboard) and
        return its reply. The caller has authenticated the user; `device` names them in
        the audit log. Raises TimeoutError when the server loop does not answer."""
        done = threading.Event()
        box: list[bytes] = []

        def reply(raw: bytes) -> None:
            box.append(raw)
            done.set()

        with self._lock:
            if self._stopped:
                raise TimeoutError("the server is stopping")
            self._local.append(Inbound(device, payload, role, reply, time.perf_counter()))
        if not done.wait(timeout):
            raise TimeoutError("the server did not answer in time")
        return box[0]

    def _take_local(self) -> None:
        if self._local:
            with self._lock:
                local, self._local = self._local, []
            self._inbox.extend(local)

    def incident(self, entries: list[Entry]) -> None:
        """Device incidents the follower heard (its thread): to the outbox, through the
        engine's thread."""
        with self._lock:
            self._incidents.extend(entries)

    def _record_incidents(self) -> None:
        if self._incidents:
            with self._lock:
                entries, self._incidents = self._incidents, []
            self.engine.record(entries)

    def _process_inbox(self) -> None:
        if self._inbox:
            batch, self._inbox = self._inbox, []
            self.engine.process(batch)

    @staticmethod
    def _guarded(step: Callable[[], None]) -> None:
        """A bug in one step is logged, and the hall goes on being served."""
        try:
            step()
        except Exception:
            log.exception("internal error in the server loop; continuing")

    def _shutdown_link(self) -> None:
        if self.link is None or not self.link.connected.is_set():
            return
        info = self.link.publish(self.topics.server,
                                 dumps(self.engine.server_state("offline")), retain=True)
        deadline = time.monotonic() + 2.0
        while not info.is_published() and time.monotonic() < deadline:
            self.link.pump(0.05)
        self.link.stop()

    # -- paho callbacks (they run inside link.pump, on the server thread) ---------------

    def _on_connected(self) -> None:
        self._republish = True  # the broker's retained state is not trusted

    def _on_received(self, msg: Message) -> None:
        topic, payload, retained = msg
        device = self.topics.device_id_of_cmd(topic)
        if device is None:
            log.warning("dropped message on unexpected topic %r", topic[:120])
            return
        if retained:  # stored by the broker: it would run again at every resubscription
            log.warning("dropped a retained command on cmd/%s (never executed)", device)
            return
        if len(payload) > MAX_PAYLOAD:  # refused unparsed: keep no more than its head
            payload = payload[:MAX_PAYLOAD + 1]
        self._inbox.append(Inbound(device, payload, arrived=time.perf_counter()))

    # -- side services -----------------------------------------------------------------

    def _advertise(self) -> None:
        from queue_server.protocol.discovery import Advertiser, DiscoveryError

        dialled = self.opts.advertise_mqtt or self._url()
        try:
            # announced on some interfaces only: their addresses are where we are
            announced = [a for a in self.opts.mdns_interfaces or () if "." in a] or None
            adv = Advertiser(self.cfg.site.id, dialled.host, dialled.port, self.http_port,
                             addresses=announced, mqtt_tls=dialled.tls,
                             http_tls=self._http is not None and self._http.https,
                             interfaces=self.opts.mdns_interfaces)
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

    def _start_http(self, port: int, tls: ssl.SSLContext | None) -> None:
        """The supervisor dashboard and the health endpoint (queue_server/web)."""
        from queue_server.web.accounts import Accounts
        from queue_server.web.app import create_app
        from queue_server.web.deps import WebContext
        from queue_server.web.follower import Follower
        from queue_server.web.live import LiveState
        from queue_server.web.pairing import BoxFolder, Pairings
        from queue_server.web.runner import WebServer

        live = LiveState(self.cfg, self.clock, self.db)
        self.engine.on_limited = live.device_limited  # the supervisor's alert
        live.outbox = self.deliverer.status  # the WAN and the backlog, on the dashboard
        live.on_incident = self.incident  # device incidents, to the outbox
        self.metrics.presence = live.presence  # mpp_devices, counted at each scrape
        self._follower = Follower(live, self.opts.mqtt_host, self.opts.mqtt_port,
                                  credentials=self.opts.follower_credentials,
                                  tls=self.opts.mqtt_tls)
        self.web = WebContext(cfg=self.cfg, accounts=Accounts(self.db), live=live,
                              submit=self.submit, health=self.health, db=self.db,
                              metrics=self.metrics,
                              today=lambda: local_day(self.clock.now(), self.cfg.site.tz),
                              now=self.clock.now)
        if self.opts.boxes_dir is not None:
            self.web.pairing = Pairings(self.cfg.site.id, BoxFolder(
                Path(self.opts.boxes_dir), self.cfg.site.id))
        self._http = WebServer(create_app(self.web), self.opts.http_host, port, tls)
        self.http_port = self._http.port
        self.http_base = own_http_base(self.opts.http_host, self.http_port,
                                       https=tls is not None)
        if not self.engine.page_base:  # the site names no public address: ours
            self.engine.page_base = self.http_base
        elif tls is not None and self.engine.page_base.startswith("http://"):
            log.warning("the site's public_url %s is plain http:// but this port speaks "
                        "HTTPS only: the tickets' QR codes lead to no page",
                        self.engine.page_base)
        if tls is not None and self.opts.https is not None:
            log.info("dashboard over HTTPS on port %d (certificate %s)", self.http_port,
                     self.opts.https.cert)
        self._follower.start()
        self._http.start()

    def health(self) -> dict[str, object]:
        state = self.engine.server_state()
        state["mqtt_connected"] = bool(self.link and self.link.connected.is_set())
        if self.backups is not None:
            state["backup"] = self.backups.health()
        if self.web is not None:  # the devices' clocks, as their presence told the dashboard
            state["clocks"] = self.web.live.clocks()
        state["outbox"] = self.deliverer.status()
        return state

    def stop(self) -> None:
        """Idempotent: announces offline, then closes everything it opened."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        self.notifier.stopping(f"stopping site {self.cfg.site.id}")
        self._stop_event.set()
        if self._advertiser is not None:
            self._advertiser.stop()
        if self._http is not None:
            assert self.web is not None
            self.web.closing = True  # live streams end, then uvicorn stops
            if self._follower is not None:
                self._follower.stop()
            self._http.stop()
        if self._thread is not None:
            self._thread.join(15)
        self.deliverer.stop()
        if self.backups is not None:
            self.backups.stop()
        self._checkpointer.stop()
        self.db.dispose()
        if self._db_lock is not None:
            self._db_lock.release()
        log_event(log, "server.stop", site=self.cfg.site.id)


def own_http_base(host: str, port: int, https: bool = False) -> str:
    """This server's web address as a phone in the hall reaches it: the address HTTP is
    bound to, or for every interface the first LAN IPv4 address; https:// when the
    dashboard speaks HTTPS. (Behind a name or a proxy, the site sets public_url.)"""
    if host in ("", "0.0.0.0", "::"):
        from queue_server.protocol.discovery.network import host_ipv4_addresses

        host = host_ipv4_addresses()[0]
    scheme = "https" if https else "http"
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"
