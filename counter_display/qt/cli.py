"""Command-line options every display app shares (`mpp display <app> ...`)."""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit

from counter_display.qt.app import WindowOptions, parse_size
from counter_display.qt.bridge import Endpoint
from counter_display.qt.i18n import LANGUAGES


def parse_mqtt_url(text: str) -> tuple[str, int]:
    """'mqtt://HOST:PORT' (port defaults to 1883) -> (host, port)."""
    parts = urlsplit(text if "://" in text else f"mqtt://{text}")
    if parts.scheme != "mqtt" or not parts.hostname:
        raise ValueError(f"--mqtt must look like mqtt://HOST:PORT, not {text!r}")
    return parts.hostname, parts.port or 1883


def base_parser(prog: str, description: str, *, device: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--site-id", required=True, help="site slug, e.g. mpp-makassar")
    parser.add_argument("--mqtt", default="mqtt://127.0.0.1:1883", help="mqtt://HOST:PORT")
    parser.add_argument("--device", default=device, help=f"device id (default {device})")
    parser.add_argument("--offscreen", action="store_true", help="no screen (CI, screenshots)")
    parser.add_argument("--fullscreen", action="store_true", help="cover the whole screen")
    parser.add_argument("--size", type=_size, default=None, help="window size WxH")
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


def endpoint_of(args: argparse.Namespace, role: str = "display") -> Endpoint:
    try:
        host, port = parse_mqtt_url(args.mqtt)
    except ValueError as err:
        raise SystemExit(f"error: {err}") from err
    return Endpoint(host, port, args.site_id, args.device, role)


def window_options_of(args: argparse.Namespace) -> WindowOptions:
    return WindowOptions(size=args.size, fullscreen=args.fullscreen,
                         hide_cursor=not args.show_cursor)
