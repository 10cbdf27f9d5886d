"""The box file (`/etc/mpp/box.toml`, or $MPP_BOX), written by `mpp box install` from the
box's bundle (docs/boxes.md): an app started without --device and --credentials takes
from it its device id, its site, its credentials file and the static broker URL to fall
back on when zeroconf finds no server. Nothing is typed on the box."""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from queue_server.protocol.credentials import credentials_path

ENV = "MPP_BOX"  # the box file; set empty to ignore the box's own file
DEFAULT = Path("/etc/mpp/box.toml")
CREDENTIALS = "credentials/mqtt.toml"  # beside box.toml, as `mpp box install` puts it


@dataclass(frozen=True)
class Box:
    path: Path
    role: str
    device: str
    site: str
    credentials: Path
    mqtt: str | None = None  # the static fallback URL
    tls: bool = False


def box_path(env: Mapping[str, str] | None = None) -> Path | None:
    """$MPP_BOX when set (empty: none), else /etc/mpp/box.toml when it exists."""
    env = os.environ if env is None else env
    if ENV in env:
        return Path(env[ENV]) if env[ENV] else None
    return DEFAULT if DEFAULT.is_file() else None


def load_box(path: Path) -> Box:
    """Read the box file; SystemExit with the file and the reason when it is unusable."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"error: ${ENV}: no box file {path} (made by `mpp box "
                         "install`)") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SystemExit(f"error: {path}: cannot read the box file: {err}") from None
    box = data.get("box")
    if not isinstance(box, dict):
        raise SystemExit(f"error: {path}: no [box] table")
    for key in ("role", "device", "site"):
        if not isinstance(box.get(key), str) or not box[key]:
            raise SystemExit(f"error: {path}: [box] {key} is missing")
    mqtt = box.get("mqtt")
    credentials = box.get("credentials", CREDENTIALS)
    if not isinstance(credentials, str) or (mqtt is not None and not isinstance(mqtt, str)):
        raise SystemExit(f"error: {path}: [box] credentials and mqtt must be strings")
    return Box(path, box["role"], box["device"], box["site"], path.parent / credentials,
               mqtt, bool(box.get("tls", False)))


def apply_box(args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Box | None:
    """Fill the options the command line left empty from the box file, when the app was
    started without --device and --credentials and there is one. Its URL is only a
    fallback (args.mqtt_fallback): zeroconf still goes first, so a server that moved is
    followed."""
    if args.device is not None or args.credentials is not None:
        return None
    path = box_path(env)
    if path is None:
        return None
    box = load_box(path)
    args.device = box.device
    args.site_id = args.site_id or box.site
    if credentials_path(None, env) is None:  # systemd's copy ($CREDENTIALS_DIRECTORY) wins
        args.credentials = str(box.credentials)
    if args.mqtt is None and box.mqtt is not None:
        args.mqtt, args.mqtt_fallback = box.mqtt, True
    return box
