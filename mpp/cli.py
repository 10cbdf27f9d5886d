"""The `mpp` command: mpp server, mpp demo, the apps (kiosk, displays, console), accounts
and PIN hashes. It starts everything and nothing imports it (the top floor)."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from mpp import backups
from mpp.box.command import add_box_options, add_box_parser, provision_boxes
from mpp.central import add_parsers as add_central_parsers
from mpp.common import (
    UsageError,
    mqtt_option,
    server_credentials,
    server_https,
    wait_for_signal,
)
from mpp.status import add_parser as add_status_parser
from mpp.upgrade.commands import add_parsers as add_release_parsers
from queue_server.clock import Clock
from queue_server.config import ConfigError, SiteConfig, default_site_path, load_site


def setup_logging(level: str = "INFO") -> None:
    """stderr lines, or journald's native socket under systemd (queue_server/journal.py)."""
    from queue_server.journal import log_handler

    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO),
                        handlers=[log_handler()])
    logging.getLogger("alembic").setLevel(logging.WARNING)


def default_data_dir() -> Path:
    return Path(os.environ.get("MPP_DATA_DIR", "data"))


def load_site_or_exit(path: str | None) -> SiteConfig:
    try:
        return load_site(path or default_site_path())
    except ConfigError as err:
        print(f"mpp: configuration error: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def make_clock(start_at: str | None, cfg: SiteConfig, speed: float = 1.0) -> Clock:
    if not start_at:
        return Clock(speed=speed)
    try:
        return Clock.starting_at(start_at, cfg.site.tz, speed=speed)
    except ValueError as err:
        raise UsageError(str(err)) from None


def site_db(args: argparse.Namespace) -> tuple[str, str]:
    """(site id, database URL) from --site and --db; the URL defaults as for mpp server."""
    cfg = load_site_or_exit(args.site)
    return cfg.site.id, args.db or f"sqlite:///{default_data_dir() / (cfg.site.id + '.db')}"


def cmd_server(args: argparse.Namespace) -> int:
    from queue_server.notify import Notifier
    from queue_server.server import DatabaseInUse, QueueServer, ServerOptions
    from queue_server.web.https import HttpsError

    cfg = load_site_or_exit(args.site)
    broker = mqtt_option(args.mqtt)
    own, follower = server_credentials(args.credentials, broker)
    https = server_https(args.credentials)
    advertised = mqtt_option(args.advertise_mqtt) if args.advertise_mqtt else None
    # The engine and the MQTT network thread share the GIL; with the default 5 ms switch
    # interval a ready reply can wait that long for the network thread to run.
    sys.setswitchinterval(0.0005)
    db_url = args.db or f"sqlite:///{default_data_dir() / (cfg.site.id + '.db')}"
    clock = make_clock(args.start_at, cfg)
    server = QueueServer(cfg, ServerOptions(db_url=db_url, mqtt_host=broker.host,
                                            mqtt_port=broker.port, mqtt_tls=broker.tls,
                                            credentials=own, follower_credentials=follower,
                                            advertise_mqtt=advertised,
                                            http_port=args.http_port, https=https,
                                            advertise=not args.no_zeroconf,
                                            boxes_dir=args.boxes,
                                            **backups.server_options(args)), clock,
                         notifier=Notifier.from_env())
    try:
        server.start()
    except OSError as err:  # the HTTP port is taken or not ours
        raise UsageError(f"cannot serve HTTP on port {args.http_port}: {err}") from None
    except DatabaseInUse as err:
        raise UsageError(f"cannot serve: {err}") from None
    except HttpsError as err:  # never plain HTTP instead of the HTTPS asked for
        raise UsageError(f"cannot serve the dashboard over HTTPS: {err}") from None
    try:
        wait_for_signal(None)
    finally:
        server.stop()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from mpp.demo.run import run_demo

    cfg = load_site_or_exit(args.site)
    return run_demo(cfg, args)


def _app_main(module: str) -> Callable[[list[str]], int]:
    """An app's main(argv), imported only when asked (Qt costs start-up time)."""
    return importlib.import_module(module).main  # type: ignore[no-any-return]


APP_MODULES = {
    "display counter": "counter_display.counter.app",
    "display wall": "counter_display.wall.app",
    "console": "counter_display.console.app",
    "kiosk": "kiosk.app",
}


def cmd_display(args: argparse.Namespace) -> int:
    return _app_main(APP_MODULES[f"display {args.kind}"])([*args.rest])


def cmd_hash_pin(args: argparse.Namespace) -> int:
    """Print the hash of an officer PIN for the site file's [[officers]] pin_hash."""
    import getpass

    from queue_server import pins

    pin = getpass.getpass("PIN: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    try:
        print(pins.hash_pin(pin))
    except ValueError as err:
        raise UsageError(str(err)) from None
    return 0


def _read_password(from_stdin: bool) -> str:
    import getpass

    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise UsageError("the two passwords differ")
    return first


def cmd_admin_add(args: argparse.Namespace) -> int:
    """Create a dashboard account (the first administrator is made this way)."""
    from queue_server.store.db import make_engine, migrate
    from queue_server.web.accounts import AccountError, Accounts

    cfg = load_site_or_exit(args.site)
    db_url = args.db or f"sqlite:///{default_data_dir() / (cfg.site.id + '.db')}"
    engine = make_engine(db_url)
    try:
        migrate(engine)
        Accounts(engine).add(args.username, _read_password(args.password_stdin), args.role)
    except AccountError as err:
        raise UsageError(f"{err.code}: {err}") from None
    finally:
        engine.dispose()
    print(f"added {args.role} {args.username}")
    return 0


def cmd_provision(args: argparse.Namespace) -> int:
    """Broker accounts, ACL and per-box credentials from the site file."""
    import socket

    from mpp.provision import ProvisionError, provision
    from mpp.provision.run import TlsRequest

    cfg = load_site_or_exit(args.site)
    out = Path(args.out) if args.out else default_data_dir() / "provision"
    tls = None
    if args.tls:
        host = socket.gethostname()
        names = args.tls_name or ([host, f"{host}.local"] if not args.tls_ip else [])
        tls = TlsRequest(names=names, ips=args.tls_ip or [], port=args.tls_port)
    try:
        done = provision(cfg, out, port=args.port, tls=tls,
                         rotate=frozenset(args.rotate or ()))
    except (ProvisionError, OSError) as err:
        raise UsageError(f"cannot provision {cfg.site.id}: {err}") from None
    print(f"provisioned site {cfg.site.id} in {done.out}: {len(done.accounts)} broker "
          f"accounts ({', '.join(a.user for a in done.accounts[:3])}, ...)")
    print(f"  broker: {done.access.password_file}, {done.access.acl_file}, "
          f"{done.out / 'broker' / 'mpp.conf'} (a Mosquitto drop-in for "
          "/etc/mosquitto/conf.d/)")
    print(f"  boxes:  {done.out / 'devices'}/ID/credentials.toml, one per box (mode 0600)")
    if tls is not None:
        print(f"  TLS:    port {tls.port}, certificate for {', '.join(tls.names + tls.ips)}; "
              f"the site CA in {done.out / 'ca'} (keep ca.key there, off the boxes)")
        cert, key = done.web_files()
        print(f"  HTTPS:  the dashboard's {cert.name} and {key.name} (mode 0600) beside "
              "the server's credentials.toml, for the same names")
    if args.rotate:
        print(f"  new secrets for: {', '.join(sorted(args.rotate))}")
    if args.boxes:
        provision_boxes(args, cfg, done, tls)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mpp", description="MPP queue appliance")
    parser.add_argument("--log-level", default="INFO")
    sub = parser.add_subparsers(dest="command", required=True)

    server = sub.add_parser("server", help="run the queue server")
    server.add_argument("--site", help="site TOML (default: the mpp-makassar sample)")
    server.add_argument("--mqtt", default="mqtt://127.0.0.1:1883",
                        help="mqtt://HOST:PORT or mqtts://[USER@]HOST:PORT (default "
                             "mqtt://127.0.0.1:1883)")
    server.add_argument("--credentials", metavar="FILE",
                        help="the server's broker accounts, as `mpp provision` wrote them "
                             "(devices/server/credentials.toml; default $MPP_CREDENTIALS, "
                             "else $CREDENTIALS_DIRECTORY/mqtt.toml); without: anonymous, "
                             "which only a development broker allows")
    server.add_argument("--advertise-mqtt", metavar="URL",
                        help="the broker address devices should dial, advertised on "
                             "zeroconf, when it differs from --mqtt (e.g. "
                             "mqtts://10.0.0.2:8883 while the server uses the loopback "
                             "listener)")
    server.add_argument("--db", help="SQLAlchemy URL (default: sqlite in ./data)")
    server.add_argument("--http-port", type=int,
                        help="web dashboard, HTTP API and /health port (HTTPS only when "
                             "the credentials file has an [https] section, as `mpp "
                             "provision --tls` writes it)")
    server.add_argument("--start-at", help="run on a clock starting at YYYY-MM-DDTHH:MM")
    server.add_argument("--no-zeroconf", action="store_true", help="do not advertise")
    server.add_argument("--boxes", metavar="DIR", default=os.environ.get("MPP_BOXES_DIR") or None,
                        help="the box bundles (`mpp provision --boxes`' OUT/boxes) that "
                             "blank boxes may get over the LAN once an administrator types "
                             "the code on their screen (default $MPP_BOXES_DIR, else none: "
                             "boxes take theirs from a USB stick only; docs/boxes.md)")
    backups.add_server_options(server)
    server.set_defaults(func=cmd_server)

    demo = sub.add_parser("demo", help="broker + server + a simulated hall, live summary")
    demo.add_argument("--site", help="site TOML (default: the mpp-makassar sample)")
    demo.add_argument("--duration", type=float, help="stop after this many seconds")
    demo.add_argument("--speed", type=float, default=60.0,
                      help="hall minutes per real second x60 (default 60: a day in 8 min)")
    demo.add_argument("--data-dir", help="where the demo database lives (default data/demo)")
    demo.add_argument("--mqtt", help="use this broker instead of starting one "
                                     "(mqtt://HOST:PORT or mqtts://HOST:PORT)")
    demo.add_argument("--credentials", metavar="DIR",
                      help="with --mqtt: the `mpp provision --out` folder of that broker's "
                           "site (the demo plays every device, so it needs every account)")
    demo.add_argument("--insecure", action="store_true",
                      help="anonymous MQTT, the development switch: a broker of its own "
                           "without accounts, or an external one that takes anonymous "
                           "clients (default: accounts, ACL and TLS)")
    demo.add_argument("--plain", action="store_true", help="print lines, no full-screen")
    demo.add_argument("--http-port", type=int, default=8080,
                      help="the supervisor dashboard on 127.0.0.1 (default 8080; a free "
                           "port when taken)")
    demo.add_argument("--apps", choices=["auto", "on", "off"], default="auto",
                      help="open the app windows: auto = where there is a display")
    demo.set_defaults(func=cmd_demo)

    display = sub.add_parser("display", help="a display: `mpp display counter|wall --help`",
                             add_help=False)
    display.add_argument("kind", choices=["counter", "wall"], help="which display")
    display.add_argument("rest", nargs=argparse.REMAINDER, help="the display's own options")
    display.set_defaults(func=cmd_display)

    # the apps parse their own options (main() hands them over): listed here for --help
    sub.add_parser("console", help="the counter staff console (`mpp console --help`)")
    sub.add_parser("kiosk", help="the citizen kiosk (`mpp kiosk --help`)")

    admin = sub.add_parser("admin", help="dashboard accounts")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    add = admin_sub.add_parser("add", help="add a dashboard account (password asked twice)")
    add.add_argument("username")
    add.add_argument("--role", choices=["administrator", "supervisor"], required=True)
    add.add_argument("--site", help="site TOML (default: the mpp-makassar sample)")
    add.add_argument("--db", help="SQLAlchemy URL (default: sqlite in ./data, as mpp server)")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from one line of standard input")
    add.set_defaults(func=cmd_admin_add)

    prov = sub.add_parser("provision", help="broker accounts, ACL and box credentials")
    prov.add_argument("--site", help="site TOML (default: the mpp-makassar sample)")
    prov.add_argument("--out", help="output folder (default: data/provision)")
    prov.add_argument("--port", type=int, default=1883, help="the broker's port (1883)")
    prov.add_argument("--rotate", action="append", metavar="ACCOUNT",
                      help="give this account a new secret (repeatable)")
    prov.add_argument("--tls", action="store_true",
                      help="a site CA, a TLS listener (boxes check the broker with it) "
                           "and the dashboard's HTTPS certificate")
    prov.add_argument("--tls-port", type=int, default=8883, help="the TLS port (8883)")
    prov.add_argument("--tls-name", action="append", metavar="NAME",
                      help="a host name boxes reach the broker by (repeatable; default "
                           "this host's name and NAME.local)")
    prov.add_argument("--tls-ip", action="append", metavar="ADDR",
                      help="an address boxes reach the broker by (repeatable)")
    add_box_options(prov)
    prov.set_defaults(func=cmd_provision)
    add_box_parser(sub)

    backups.add_commands(sub, site_db)

    hash_pin = sub.add_parser("hash-pin", help="hash an officer PIN (read from stdin)")
    hash_pin.set_defaults(func=cmd_hash_pin)
    add_release_parsers(sub)  # mpp release lock|build, mpp upgrade, mpp migrate
    add_central_parsers(sub)  # mpp central serve|add-site|migrate
    add_status_parser(sub, site_db, load_site_or_exit)  # mpp status: the WAN and the outbox
    return parser


def _app_of(argv: list[str]) -> tuple[str, list[str]] | None:
    """`mpp console ...`, `mpp kiosk ...`, `mpp display counter|wall ...`: the app's
    module and its own arguments, which it parses itself."""
    for words in (2, 1):
        name = " ".join(argv[:words])
        if len(argv) >= words and name in APP_MODULES:
            return APP_MODULES[name], argv[words:]
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    app = _app_of(argv)
    if app is not None:
        setup_logging("INFO")
        return _app_main(app[0])(app[1])
    args = build_parser().parse_args(argv)
    setup_logging(args.log_level)
    try:
        return int(args.func(args))
    except UsageError as err:
        print(f"mpp: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
