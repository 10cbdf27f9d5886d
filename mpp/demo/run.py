"""`mpp demo`: broker + server + a simulated hall on a sped-up clock, with a live summary."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from mpp.broker import BrokerError, BrokerHandle
from mpp.common import UsageError, wait_for_signal
from mpp.demo.access import open_broker
from mpp.demo.apps import AppRunner, AppSpec, DemoSound, display_present, plan_apps
from mpp.demo.day import pick_demo_date
from mpp.demo.simulator import HallClock, HallSimulator
from mpp.demo.summary import Reporter, Snapshot, final_lines
from mpp.demo.xcb import missing_packages
from queue_server.config import SiteConfig
from queue_server.protocol.client import QueueClient
from queue_server.protocol.link import LinkError

DEFAULT_DATA_DIR = Path("data/demo")
DB_NAME = "demo.db"
START_AT = dt.time(7, 50)  # ten hall minutes before the doors open
TICK_S = 2.0  # queue states (longest wait) refresh every 2 real seconds
# the dashboard account of the demo: a fresh database each run, served on loopback only
DEMO_ADMIN, DEMO_PASSWORD = "admin", "mpp-demo-2026"
SERVER_UP_S = 20.0  # the server's Link tries MQTT 5 first: ~10 s lost on amqtt


def _say(text: str) -> None:
    print(f"mpp demo: {text}", flush=True)


def _fail(text: str) -> int:
    print(f"mpp demo: {text}", file=sys.stderr, flush=True)
    return 1


def fresh_database(data_dir: Path) -> Path:
    """Delete the previous demo database (and its WAL files); return the new path."""
    db = data_dir / DB_NAME
    removed = False
    for path in (db, db.with_name(DB_NAME + "-wal"), db.with_name(DB_NAME + "-shm")):
        if path.exists():
            path.unlink()
            removed = removed or path == db
    if removed:
        _say(f"deleted the previous demo database {db}")
    return db


def _devices(cfg: SiteConfig) -> tuple[list[str], dict[str, str], str | None]:
    """Kiosk device ids, counter id -> device id, and a supervisor device (appointments)."""
    kiosks = [d.id for d in cfg.devices if d.role == "kiosk"]
    supervisor = next((d.id for d in cfg.devices if d.role == "supervisor"), None)
    counters: dict[str, str] = {}
    for d in cfg.devices:
        for counter in d.counters if d.role == "counter" else ():
            counters.setdefault(counter, d.id)
    if supervisor is not None:  # a supervisor may act on counters without a device
        for c in cfg.counters:
            counters.setdefault(c.id, supervisor)
    return kiosks, counters, supervisor


def _quiet_logs(args: argparse.Namespace) -> None:
    """The engine logs every ticket event at INFO: too much for a console demo."""
    if str(getattr(args, "log_level", "INFO")).upper() == "INFO":
        for name in ("mpp", "queue_server", "amqtt", "transitions"):
            logging.getLogger(name).setLevel(logging.WARNING)


def run_demo(cfg: SiteConfig, args: argparse.Namespace) -> int:
    speed = float(args.speed)
    if speed <= 0:
        raise UsageError("--speed must be positive")
    if args.duration is not None and args.duration <= 0:
        raise UsageError("--duration must be positive")
    kiosks, counter_devices, supervisor = _devices(cfg)
    if not kiosks or not counter_devices:
        return _fail(f"{cfg.source}: the demo needs kiosk and counter devices in [[devices]]")
    _quiet_logs(args)
    want_apps = getattr(args, "apps", "off")
    apps_wanted = want_apps == "on" or (want_apps == "auto" and display_present(os.environ))
    if apps_wanted and (missing := missing_packages(os.environ)):
        _say("cannot open the app windows: Qt's X11 platform needs the packages "
             f"{' '.join(missing)}; install them with `sudo apt-get install "
             f"{' '.join(missing)}` (or `bash scripts/install-system-deps.sh`). "
             "The hall runs without windows.")
        apps_wanted = False
    tz = cfg.site.tz
    try:
        day = pick_demo_date(cfg, dt.datetime.now(tz).date())
    except ValueError as err:
        return _fail(f"{cfg.source}: {err}")
    data_dir = (Path(args.data_dir) if args.data_dir else DEFAULT_DATA_DIR).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    db = fresh_database(data_dir)

    with contextlib.ExitStack() as stack:
        try:
            broker, label = open_broker(stack, cfg, args, data_dir)
        except BrokerError as err:
            return _fail(f"cannot start an MQTT broker: {err}")
        _say(f"broker: {label}")
        _say(f"hall day {day:%A %Y-%m-%d} from {START_AT:%H:%M}, speed x{speed:g}; "
             f"database {db}")

        from queue_server.server import QueueServer, ServerOptions  # SQLAlchemy: ~0.2 s

        clock = HallClock(dt.datetime.combine(day, START_AT, tz).timestamp(), speed)
        opts = ServerOptions(db_url=f"sqlite:///{db}", mqtt_host=broker.host,
                             mqtt_port=broker.port, mqtt_tls=broker.tls,
                             credentials=broker.credentials("server"),
                             follower_credentials=broker.credentials("dashboard"),
                             http_port=args.http_port, http_host="127.0.0.1",
                             advertise=False, tick_s=TICK_S)
        try:
            server = QueueServer(cfg, opts, clock)
        except Exception as err:
            return _fail(f"cannot start the queue server: {err}")
        stack.callback(server.stop)  # after the clients (the stack unwinds last-in first)
        sound = DemoSound(cfg, data_dir, os.environ, window=apps_wanted)
        specs = _plan_apps(cfg, broker, sound.wall_args) if apps_wanted else []
        # the apps' devices and counters are the person's, not the simulator's
        taken = {spec.device for spec in specs}
        counter_devices = {c: d for c, d in counter_devices.items()
                           if d not in taken and c not in {s.counter for s in specs}}
        kiosks = [k for k in kiosks if k not in taken] or kiosks
        try:
            clients = _clients(stack, broker, cfg, kiosks, counter_devices, supervisor)
        except LinkError as err:
            return _fail(str(err))
        kiosk = clients[kiosks[0]]  # it follows the state, for the summary
        try:
            server.start()
        except OSError as err:  # the dashboard's port is taken: any free one will do
            _say(f"port {args.http_port} unavailable ({err.strerror}); dashboard on a free port")
            server = QueueServer(cfg, replace(opts, http_port=0), clock)
            stack.callback(server.stop)
            server.start()
        except Exception as err:
            return _fail(f"cannot start the queue server: {err}")
        if server.web is not None:
            server.web.accounts.add(DEMO_ADMIN, DEMO_PASSWORD, "administrator")
            _say(f"dashboard: http://127.0.0.1:{server.http_port}/ (sign in as {DEMO_ADMIN}, "
                 f"password {DEMO_PASSWORD})")
        if not kiosk.wait_state(_server_online, timeout=2.0):
            _say("waiting for the queue server to connect to the broker...")
        if not kiosk.wait_state(_server_online, timeout=SERVER_UP_S):
            return _fail(f"the queue server did not come online within {SERVER_UP_S:.0f} s")
        try:
            sound.start(broker.host, broker.port, credentials=broker.credentials(sound.device),
                        tls=broker.tls)
        except LinkError as err:
            return _fail(str(err))
        stack.callback(sound.stop)
        _say(sound.describe())
        runner = _open_apps(stack, specs, data_dir) if apps_wanted else None
        clock.run()  # the hall day starts now

        sim = HallSimulator(cfg, clock, speed, clients, kiosk_devices=kiosks,
                            counter_devices=counter_devices, supervisor=supervisor)
        started = time.monotonic()

        def take(notes: tuple[str, ...] = ()) -> Snapshot:
            return Snapshot(cfg=cfg, hall_time=dt.datetime.fromtimestamp(clock.now(), tz),
                            speed=speed, broker=label, db=str(db),
                            elapsed_s=time.monotonic() - started, stats=sim.snapshot(),
                            state=dict(kiosk.state),
                            notes=(*sound.notes(), *(runner.exited() if runner else ()),
                                   *notes))

        live = sys.stdout.isatty() and not args.plain
        reporter = Reporter(take, live=live)
        sim.start(day)
        stack.callback(sim.stop)  # before the clients and the server (LIFO)
        reporter.start()
        stack.callback(reporter.stop)
        if not live:
            _say("simulating; a summary line every 5 s" +
                 (f" for {args.duration:g} s" if args.duration else ", Ctrl-C to stop"))
        wait_for_signal(args.duration)
        reporter.stop()
        sim.stop()
        final = final_lines(take())
        gone = runner.exited() if runner else []
    for line in final:
        print(line, flush=True)
    for line in gone:
        _say(line)
    _say(sound.summary())
    _say("stopped cleanly")
    return 0


def _plan_apps(cfg: SiteConfig, broker: BrokerHandle,
               wall_sound: tuple[str, ...]) -> list[AppSpec]:
    """The app windows, each logging in with its device's credentials file."""

    def credentials(device: str) -> Path | None:
        try:
            found = broker.credentials(device)
        except KeyError:
            return None
        return found.source if found is not None else None

    return plan_apps(cfg, broker.url, wall_sound, credentials)


def _open_apps(stack: contextlib.ExitStack, specs: list[AppSpec],
               data_dir: Path) -> AppRunner:
    """Open the installed apps on the demo's broker."""
    runner = AppRunner(data_dir / "apps")
    stack.callback(runner.stop)
    for spec in specs:
        runner.start(spec)
        _say(f"window: {spec.name}")
    if not specs:
        _say("no app windows installed (pip install '.[gui]')")
    return runner


def _server_online(state: dict[str, Any]) -> bool:
    server = state.get("server")
    return isinstance(server, dict) and server.get("status") == "online"


def _clients(stack: contextlib.ExitStack, broker: BrokerHandle, cfg: SiteConfig,
             kiosks: list[str], counter_devices: dict[str, str],
             supervisor: str | None) -> dict[str, QueueClient]:
    """One client per simulated device, each with its own account (the ACL lets a device
    publish on its own cmd/ only); the first kiosk follows the state for the summary."""
    devices = list(dict.fromkeys([*kiosks, *sorted(set(counter_devices.values())),
                                  *([supervisor] if supervisor else [])]))
    roles = {d.id: d.role for d in cfg.devices}
    clients: dict[str, QueueClient] = {}
    for device in devices:
        client = QueueClient(broker.host, broker.port, cfg.site.id, device, roles[device],
                             credentials=broker.credentials(device), tls=broker.tls,
                             follow_state=device == kiosks[0])
        client.start()
        stack.callback(client.stop)
        clients[device] = client
    return clients
