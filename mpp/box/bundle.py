"""`mpp provision --boxes`: one bundle per box of the site (OUT/boxes/ID.mppbox, a tar,
mode 0600: it holds the box's secret) that the box takes at first boot from a USB stick
(docs/boxes.md). No address is in it for the technician to type: boxes find the server
by zeroconf, with an optional static broker URL as the fallback."""

from __future__ import annotations

import io
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path

from mpp.box.layout import (
    BOX_TOML,
    BROKER,
    BROKER_DIR,
    CA,
    CREDENTIALS,
    CREDENTIALS_NAME,
    DEFAULT_ROLE,
    ROLES,
    SITE,
    SUFFIX,
    UNITS,
    WEB_CERT,
    WEB_KEY,
)
from mpp.broker.access import BrokerAccess, TlsFiles
from mpp.provision.accounts import SERVER_USER, ProvisionError
from mpp.provision.run import Provisioned, TlsRequest, drop_in
from queue_server.config import Device, SiteConfig

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class BoxChoice:
    """What a device's box runs, when not its role's default (`--box ID=ROLE[:ARG]`):
    a wall with its zone, a counter display with its counter."""

    device: str
    role: str
    arg: str | None = None


def parse_box_choice(text: str) -> BoxChoice:
    """`display-02=counter:loket-03`, `display-01=wall:lantai-1`, `counter-05=console`."""
    device, eq, rest = text.partition("=")
    role, _colon, arg = rest.partition(":")
    if not eq or not device or role not in ROLES or role == "server":
        raise ProvisionError(f"--box {text}: expected ID=ROLE[:ARG] with ROLE one of "
                             f"{', '.join(r for r in ROLES if r != 'server')}")
    return BoxChoice(device, role, arg or None)


@dataclass(frozen=True)
class BoxOptions:
    choices: tuple[BoxChoice, ...] = ()
    language: str = "id"
    fallback_mqtt: str | None = None  # a static broker URL, used when zeroconf finds none


@dataclass(frozen=True)
class Boxes:
    made: list[Path]
    skipped: list[str]  # one line per device or box without a bundle, and why


def make_boxes(cfg: SiteConfig, done: Provisioned, opts: BoxOptions, *, port: int = 1883,
               tls: TlsRequest | None = None) -> Boxes:
    if opts.language not in LANGUAGES:
        raise ProvisionError(f"--box-lang {opts.language}: one of {', '.join(LANGUAGES)}")
    if (tls is None) != (done.access.tls is None):
        raise ProvisionError("the boxes need the TLS request the site was provisioned with")
    chosen = _choices(cfg, opts.choices)
    folder = done.out / "boxes"
    folder.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    skipped: list[str] = []
    for device in cfg.devices:
        choice = chosen.get(device.id) or _default(device)
        if choice is None:
            skipped.append(f"{device.id}: a {device.role} has no box of its own "
                           "(give it one with --box ID=ROLE)")
            continue
        made.append(_write(folder / f"{device.id}{SUFFIX}",
                           _device_members(cfg, done, device, choice, opts, tls is not None)))
    source = Path(cfg.source)
    if source.suffix == ".toml" and source.is_file():
        made.append(_write(folder / f"{SERVER_USER}{SUFFIX}",
                           _server_members(cfg, done, source, opts, port, tls)))
    else:
        skipped.append(f"{SERVER_USER}: the site was not read from a .toml file, so the "
                       "server's box gets no bundle")
    return Boxes(made, skipped)


def _choices(cfg: SiteConfig, choices: tuple[BoxChoice, ...]) -> dict[str, BoxChoice]:
    devices = {d.id: d for d in cfg.devices}
    zones = {z.id for z in cfg.zones}
    counters = {c.id for c in cfg.counters}
    found: dict[str, BoxChoice] = {}
    for c in choices:
        if c.device not in devices:
            raise ProvisionError(f"--box {c.device}: no such device in {cfg.source}")
        if c.role == "wall" and c.arg is not None and c.arg not in zones:
            raise ProvisionError(f"--box {c.device}=wall:{c.arg}: no such zone")
        if c.role == "counter":
            arg = c.arg or next(iter(devices[c.device].counters), None)
            if arg not in counters:
                raise ProvisionError(f"--box {c.device}=counter:COUNTER: name a counter "
                                     f"of {cfg.site.id} (got {c.arg!r})")
            c = BoxChoice(c.device, c.role, arg)
        if c.role in ("kiosk", "console") and c.arg is not None:
            raise ProvisionError(f"--box {c.device}={c.role}:{c.arg}: a {c.role} takes "
                                 "no argument")
        found[c.device] = c
    return found


def _default(device: Device) -> BoxChoice | None:
    role = DEFAULT_ROLE.get(device.role)
    return BoxChoice(device.id, role) if role else None


# --------------------------------------------------------------------------- members


def _device_members(cfg: SiteConfig, done: Provisioned, device: Device, choice: BoxChoice,
                    opts: BoxOptions, tls: bool) -> dict[str, tuple[bytes, int]]:
    role = ROLES[choice.role]
    args = [*(["--counter", choice.arg] if role.name == "counter" and choice.arg else []),
            *(["--zone", choice.arg] if role.name == "wall" and choice.arg else []),
            "--lang", opts.language]
    box: dict[str, str | bool] = {"role": role.name, "device": device.id, "site": cfg.site.id,
           "app": " ".join(("mpp", *role.app, *args)), "language": opts.language,
           "tls": tls, "credentials": f"credentials/{CREDENTIALS_NAME}",
           **({"counter": choice.arg} if role.name == "counter" and choice.arg else {}),
           **({"zone": choice.arg} if role.name == "wall" and choice.arg else {}),
           **({"mqtt": opts.fallback_mqtt} if opts.fallback_mqtt else {}),
           **({"name": device.name} if device.name else {})}
    credentials = done.credentials(device.id)
    members = {BOX_TOML: (_box_toml(box, f"{device.id} at site {cfg.site.id}"), 0o644),
               CREDENTIALS: (credentials.read_bytes(), 0o600),
               _drop_in_name(role.unit): (_unit_env(
                   "MPP_APP_ARGS", args, f"{device.id} at site {cfg.site.id}"), 0o644)}
    if tls:
        members[CA] = ((credentials.parent / CA).read_bytes(), 0o644)
    return members


def _server_members(cfg: SiteConfig, done: Provisioned, source: Path, opts: BoxOptions,
                    port: int, tls: TlsRequest | None) -> dict[str, tuple[bytes, int]]:
    role = ROLES["server"]
    args = ["--mqtt", f"mqtt://127.0.0.1:{port}"]
    if tls is not None:  # the LAN dials the TLS listener, by a name its certificate has
        args += ["--advertise-mqtt", f"mqtts://{(tls.names or tls.ips)[0]}:{tls.port}"]
    box: dict[str, str | bool] = {"role": role.name, "device": SERVER_USER, "site": cfg.site.id,
           "app": " ".join(("mpp", *role.app, *args)), "language": opts.language,
           "tls": tls is not None, "credentials": f"credentials/{CREDENTIALS_NAME}"}
    about = f"the queue server of site {cfg.site.id}"
    credentials = done.credentials(SERVER_USER)
    members = {BOX_TOML: (_box_toml(box, about), 0o644), SITE: (source.read_bytes(), 0o644),
               CREDENTIALS: (credentials.read_bytes(), 0o600),
               _drop_in_name(role.unit): (_unit_env("MPP_SERVER_ARGS", args, about), 0o644)}
    access = done.access
    for path in (access.password_file, access.acl_file, access.argon2_password_file):
        if path is not None:
            members[BROKER + path.name] = (path.read_bytes(), 0o600)
    members[BROKER + "mpp.conf"] = (_box_broker_conf(cfg, access, port, tls), 0o644)
    if tls is not None and access.tls is not None:
        members[CA] = (access.tls.ca_cert.read_bytes(), 0o644)
        cert, key = done.web_files()
        members[WEB_CERT] = (cert.read_bytes(), 0o644)
        members[WEB_KEY] = (key.read_bytes(), 0o600)
        members[BROKER + "ca.crt"] = (access.tls.ca_cert.read_bytes(), 0o644)
        members[BROKER + "server.crt"] = (access.tls.server_cert.read_bytes(), 0o644)
        members[BROKER + "server.key"] = (access.tls.server_key.read_bytes(), 0o600)
    return members


def _box_broker_conf(cfg: SiteConfig, access: BrokerAccess, port: int,
                     tls: TlsRequest | None) -> bytes:
    """The Mosquitto drop-in with the paths the files have on the server box."""
    at = Path("/") / BROKER_DIR
    moved = BrokerAccess(
        at / access.password_file.name, at / access.acl_file.name,
        tls=TlsFiles(at / "ca.crt", at / "server.crt", at / "server.key") if tls else None,
        bind_client_id=access.bind_client_id)
    return drop_in(cfg, moved, port, tls).encode()


def _drop_in_name(unit: str) -> str:
    return f"{UNITS}{unit}.d/box.conf"


def _unit_env(name: str, args: list[str], about: str) -> bytes:
    # one Environment= line; the unit expands $NAME unquoted, so it splits on spaces
    if any(not a or any(ch.isspace() or ch in '"\\%$' for ch in a) for a in args):
        raise ProvisionError(f"{about}: an argument with a space or a quote: {args}")
    return (f"# mpp provision --boxes: {about}; do not edit (provision again)\n"
            f"[Service]\nEnvironment=\"{name}={' '.join(args)}\"\n").encode()


def _box_toml(box: dict[str, str | bool], about: str) -> bytes:
    lines = [f"# mpp provision --boxes: the box of {about}", "[box]"]
    for key, value in box.items():
        lines.append(f"{key} = {_toml_value(value)}")
    return ("\n".join(lines) + "\n").encode()


def _toml_value(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    if any(ord(ch) < 0x20 for ch in escaped):
        raise ProvisionError(f"a control character in {value!r}")
    return f'"{escaped}"'


def _write(path: Path, members: dict[str, tuple[bytes, int]]) -> Path:
    """The tar, written 0600 from its first byte and swapped in whole."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
        for name, (data, mode) in sorted(members.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), mode, 0
            tar.addfile(info, io.BytesIO(data))
    os.replace(tmp, path)
    return path
