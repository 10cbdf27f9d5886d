"""Command-line options every app shares (`mpp display <app> ...`, `mpp console`, `mpp kiosk`).

Without --mqtt an app finds its server on the LAN through zeroconf (DESIGN.md: no typed
address); --mqtt (with --site-id) is the static configuration, used as given. The box's
broker account comes from its credentials file (--credentials, else $MPP_CREDENTIALS, else
systemd's $CREDENTIALS_DIRECTORY/mqtt.toml); without one the app connects anonymously,
which only a development broker allows."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from qtkit.app import WindowOptions, parse_size, parse_tile
from qtkit.box import apply_box
from qtkit.bridge import Endpoint
from qtkit.i18n import LANGUAGES
from queue_server.protocol.credentials import (
    Credentials,
    CredentialsError,
    credentials_path,
    load_credentials,
)
from queue_server.protocol.urls import MqttUrl, MqttUrlError, parse_mqtt_url

log = logging.getLogger("mpp.app")

DISCOVER_S = 5.0  # a server just booting needs ~3 s to announce itself


def base_parser(prog: str, description: str, *, device: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--site-id", default=None,
                        help="site slug, e.g. mpp-makassar (default: the one server found "
                             "on the LAN)")
    parser.add_argument("--mqtt", default=None,
                        help="mqtt://HOST:PORT or mqtts://[USER@]HOST:PORT (default: found "
                             "on the LAN by zeroconf)")
    parser.add_argument("--credentials", default=None, metavar="FILE",
                        help="this box's broker account, as `mpp provision` wrote it "
                             "(devices/ID/credentials.toml; default $MPP_CREDENTIALS, else "
                             "$CREDENTIALS_DIRECTORY/mqtt.toml)")
    parser.add_argument("--discover-timeout", type=float, default=DISCOVER_S, metavar="S",
                        help="how long to look for the server on the LAN before the box "
                             f"file's fallback address, if any (default {DISCOVER_S})")
    parser.add_argument("--device", default=None,
                        help=f"device id (default: the credentials' user, else {device})")
    parser.set_defaults(default_device=device)
    parser.add_argument("--offscreen", action="store_true", help="no screen (CI, screenshots)")
    parser.add_argument("--fullscreen", action="store_true", help="cover the whole screen")
    parser.add_argument("--size", type=_size, default=None, help="window size WxH")
    parser.add_argument("--tile", type=_tile, default=None, metavar="N/COUNT",
                        help="place the window in cell N of COUNT cells of the screen "
                             "(the demo's side-by-side windows)")
    parser.add_argument("--show-cursor", action="store_true", help="keep the mouse cursor")
    parser.add_argument("--lang", choices=LANGUAGES, default="id", help="primary language")
    parser.add_argument("--screenshot", default=None, metavar="PATH",
                        help="render once the state is in, save the window to PATH, exit")
    return parser


def _size(text: str) -> tuple[int, int]:
    try:
        return parse_size(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _tile(text: str) -> tuple[int, int]:
    try:
        return parse_tile(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def endpoint_of(args: argparse.Namespace, role: str = "display", *,
                interfaces: Any = None) -> Endpoint:
    """Static configuration when --mqtt and --site-id are both given; otherwise zeroconf,
    with --mqtt (if any) as the fallback. Exits with a clear message when neither works.
    Options not given come from the box file ($MPP_BOX, /etc/mpp/box.toml) when there is one."""
    apply_box(args)
    static: MqttUrl | None = None
    if args.mqtt is not None:
        try:
            static = parse_mqtt_url(args.mqtt)
        except MqttUrlError as err:
            raise SystemExit(f"error: --mqtt: {err}") from err
    credentials = credentials_of(args, static.user if static else None)
    device = device_of(args, credentials)
    if static is not None and args.site_id and not getattr(args, "mqtt_fallback", False):
        return Endpoint(static.host, static.port, args.site_id, device, role,
                        credentials, static.tls)
    from queue_server.protocol.discovery import resolve_server  # zeroconf only when it is needed

    found = resolve_server(static.host if static else None, static.port if static else None,
                           args.site_id, timeout=args.discover_timeout,
                           interfaces=interfaces, static_tls=bool(static and static.tls))
    if found is None or not found.site:
        raise SystemExit(
            "error: no queue server found on the LAN (zeroconf _mpp-queue._tcp) within "
            f"{args.discover_timeout:g} s; start `mpp server`, or give --mqtt mqtt://HOST:PORT "
            "and --site-id SITE")
    log.info("queue server %s found: site %s on %s://%s:%d", found.name, found.site,
             "mqtts" if found.mqtt_tls else "mqtt", found.mqtt_host, found.mqtt_port)
    return Endpoint(found.mqtt_host, found.mqtt_port, found.site, device, role,
                    credentials, found.mqtt_tls)


def credentials_of(args: argparse.Namespace, user: str | None = None) -> Credentials | None:
    """The box's credentials (--credentials, $MPP_CREDENTIALS, systemd's); None, with a
    warning, when there are none: anonymous, the development switch."""
    path = credentials_path(args.credentials)
    if path is None:
        if user is not None:
            raise SystemExit(f"error: --mqtt names the user {user} but no credentials file "
                             "gives its password: --credentials FILE or $MPP_CREDENTIALS")
        log.warning("no credentials (--credentials, $MPP_CREDENTIALS): connecting "
                    "anonymously, which only a development broker allows")
        return None
    try:
        return load_credentials(path, user=user)
    except CredentialsError as err:
        raise SystemExit(f"error: --credentials: {err}") from err


def device_of(args: argparse.Namespace, credentials: Credentials | None) -> str:
    """--device, else the user of the credentials (user name = device id), else the
    app's default; a --device that is not the credentials' user is refused."""
    device: str = args.device or (credentials.user if credentials else args.default_device)
    if credentials is not None and credentials.user != device:
        raise SystemExit(f"error: --device {device}, but {credentials.where()} is the "
                         f"broker account of {credentials.user} (user name = device id)")
    return device


def window_options_of(args: argparse.Namespace) -> WindowOptions:
    return WindowOptions(size=args.size, fullscreen=args.fullscreen,
                         hide_cursor=not args.show_cursor, tile=args.tile)
