"""`mpp box install SRC` and `mpp box firstboot`: a box takes its bundle (from a file, or
a USB stick holding several) and puts it in place under its root (docs/boxes.md):

    ROOT/etc/mpp/box.toml                   role, device id, site, app, fallback URL
    ROOT/etc/mpp/credentials/mqtt.toml      the broker account (0600), ca.crt with TLS
    ROOT/etc/systemd/system/UNIT.d/box.conf the drop-ins of the box's unit
    the server box also: ROOT/etc/mpp/site.toml, credentials/web.crt + web.key (TLS),
    ROOT/etc/mpp/broker/*, ROOT/etc/mosquitto/conf.d/mpp.conf

The bundle is checked whole before anything is written: a tampered or corrupt one is
refused with the reason, and nothing of it lands on the box."""

from __future__ import annotations

import grp
import os
import shutil
import socket
import subprocess
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from mpp.box.layout import (
    BOX_TOML,
    BROKER,
    BROKER_DIR,
    BROKER_FILE,
    CA,
    CREDENTIALS,
    CREDENTIALS_DIR,
    CREDENTIALS_NAME,
    ETC,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MOSQUITTO_DROP_IN,
    ROLES,
    SITE,
    SUFFIX,
    SYSTEMD_DIR,
    TAKEN,
    UNIT_DROP_IN,
    UNITS,
    WEB_CERT,
    WEB_KEY,
    Role,
)
from queue_server.protocol.credentials import CredentialsError, load_credentials

BROKER_GROUP = "mosquitto"
SERVER_ONLY = (SITE, WEB_CERT, WEB_KEY)
MEDIA = ("/media/*", "/media/*/*", "/run/media/*/*")  # where USB sticks get mounted


class BoxError(Exception):
    code = "box_failed"


class BadBundle(BoxError):
    code = "bad_bundle"


class NoBundle(BoxError):
    code = "no_bundle"


class PickNeeded(BoxError):
    code = "pick_needed"


@dataclass(frozen=True)
class Bundle:
    path: Path
    role: Role
    device: str
    site: str
    members: dict[str, bytes]


@dataclass(frozen=True)
class Installed:
    bundle: Bundle
    root: Path
    enabled: bool  # the role's target was enabled
    notes: list[str]  # what the technician should know (target not there, stick read-only)


# --------------------------------------------------------------------------- reading


def read_bundle(path: Path) -> Bundle:
    """The bundle's members, checked: a plain tar of regular files with safe relative
    names, the files its role needs, a box.toml and credentials that parse and agree.
    Raises BadBundle naming the file and the reason."""
    members = _members(path)
    box = _box_table(path, members)
    role = ROLES[str(box["role"])]
    device, site = str(box["device"]), str(box["site"])
    need = [BOX_TOML, CREDENTIALS, *([CA] if box.get("tls") else []),
            *((SITE, BROKER + "passwd", BROKER + "acl", BROKER + "mpp.conf")
              if role.name == "server" else ())]
    missing = [name for name in need if name not in members]
    if missing:
        raise BadBundle(f"{path}: {missing[0]} is missing from the bundle")
    for name in members:
        if not _allowed(name, role):
            raise BadBundle(f"{path}: {name} has no place on a {role.name} box")
    _credentials_stay_inside(path, members[CREDENTIALS])
    if role.name == "server":
        _site_matches(path, members[SITE], site)
    user = _credentials_user(path, members)
    if user != device:
        raise BadBundle(f"{path}: the credentials are the broker account of {user}, "
                        f"but box.toml names the device {device}")
    return Bundle(path, role, device, site, members)


def _members(path: Path) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(path, mode="r:") as tar:
            for info in tar:
                name = _safe_name(path, info)
                if info.isdir():
                    continue
                if not info.isfile():
                    raise BadBundle(f"{path}: {info.name} is not a regular file (links and "
                                    "devices are refused)")
                if info.size > MAX_MEMBER_BYTES:
                    raise BadBundle(f"{path}: {info.name} is too big for a bundle")
                if name in members:
                    raise BadBundle(f"{path}: {name} is in the bundle twice")
                if len(members) == MAX_MEMBERS:
                    raise BadBundle(f"{path}: more files than a bundle has")
                data = tar.extractfile(info)
                members[name] = data.read() if data is not None else b""
    except (tarfile.TarError, EOFError) as err:
        raise BadBundle(f"{path}: not a box bundle (a damaged or foreign tar): "
                        f"{err}") from None
    except OSError as err:
        raise BadBundle(f"{path}: cannot read it: {err.strerror or err}") from None
    return members


def _safe_name(path: Path, info: tarfile.TarInfo) -> str:
    name = PurePosixPath(info.name)
    if name.is_absolute() or ".." in name.parts or not name.parts or "\\" in info.name:
        raise BadBundle(f"{path}: {info.name!r} points outside the bundle (tampered?)")
    return str(name)


def _allowed(name: str, role: Role) -> bool:
    if name in (BOX_TOML, CREDENTIALS, CA):
        return True
    if name.startswith(UNITS):
        found = UNIT_DROP_IN.match(name)
        return found is not None and found.group(1) == role.unit
    if role.name != "server":
        return False
    return name in SERVER_ONLY or BROKER_FILE.match(name) is not None


def _box_table(path: Path, members: dict[str, bytes]) -> dict[str, object]:
    if BOX_TOML not in members:
        raise BadBundle(f"{path}: {BOX_TOML} is missing from the bundle")
    try:
        data = tomllib.loads(members[BOX_TOML].decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise BadBundle(f"{path}: {BOX_TOML} does not parse: {err}") from None
    box = data.get("box")
    if not isinstance(box, dict):
        raise BadBundle(f"{path}: {BOX_TOML} has no [box] table")
    if box.get("role") not in ROLES:
        raise BadBundle(f"{path}: {BOX_TOML} role {box.get('role')!r} is not one of "
                        f"{', '.join(ROLES)}")
    for key in ("device", "site"):
        value = box.get(key)
        if not isinstance(value, str) or not value or "/" in value:
            raise BadBundle(f"{path}: {BOX_TOML} {key} is missing or malformed")
    return box


def _site_matches(path: Path, text: bytes, site: str) -> None:
    """The server box's site file loads, and is the site its box.toml names."""
    from queue_server.config import ConfigError, load_site

    with tempfile.TemporaryDirectory(prefix="mppbox-") as scratch:
        copy = Path(scratch) / SITE
        copy.write_bytes(text)
        try:
            cfg = load_site(copy)
        except ConfigError as err:
            reason = str(err).replace(str(copy), SITE)
            raise BadBundle(f"{path}: its site file does not load: {reason}") from None
    if cfg.site.id != site:
        raise BadBundle(f"{path}: its site file is {cfg.site.id}, but box.toml names the "
                        f"site {site}")


# the only files a bundle's credentials may name: the ones beside them in the bundle
INSIDE = {"ca": CA, "cert": WEB_CERT, "key": WEB_KEY}


def _credentials_stay_inside(path: Path, text: bytes) -> None:
    """The secret is in the file and the CA (and the server's HTTPS files) are the
    bundle's own: a bundle never makes a box read a file of its own (password_file =
    /etc/shadow) or trust another CA."""
    try:
        data = tomllib.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise BadBundle(f"{path}: its credentials do not parse: {err}") from None
    for section, table in data.items():
        if not isinstance(table, dict):
            continue
        if "password_file" in table:
            raise BadBundle(f"{path}: credentials [{section}] password_file: a bundle "
                            "carries its secret itself")
        for key, own in INSIDE.items():
            if key in table and table[key] != own:
                raise BadBundle(f"{path}: credentials [{section}] {key} must be the "
                                f"bundle's own {own}")


def _credentials_user(path: Path, members: dict[str, bytes]) -> str:
    """Parse the credentials as the box will (CA beside them), in a private scratch."""
    with tempfile.TemporaryDirectory(prefix="mppbox-") as scratch:
        for name in (CREDENTIALS, CA, WEB_CERT, WEB_KEY):
            if name in members:
                target = Path(scratch) / name
                target.write_bytes(members[name])
                target.chmod(0o600)
        try:
            return load_credentials(Path(scratch) / CREDENTIALS).user
        except CredentialsError as err:
            reason = str(err).replace(str(Path(scratch)), "").lstrip("/")
            raise BadBundle(f"{path}: its credentials do not parse: {reason}") from None


# --------------------------------------------------------------------------- choosing


def candidates(folder: Path) -> list[Path]:
    """The bundles of a folder (a USB stick) that no box has taken yet."""
    try:
        return sorted(p for p in folder.iterdir() if p.name.endswith(SUFFIX) and p.is_file())
    except OSError:
        return []


def choose(found: list[Path], *, pick: str | None = None,
           hostname: str | None = None) -> Path:
    """--pick ID; else the bundle named like this host; else the only one left."""
    if not found:
        raise NoBundle("no box bundle (ID.mppbox, not yet taken) found")
    by_id = {p.name[:-len(SUFFIX)]: p for p in found}
    if pick is not None:
        if pick not in by_id:
            raise NoBundle(f"--pick {pick}: no bundle {pick}{SUFFIX} here (left: "
                           f"{', '.join(sorted(by_id))})")
        return by_id[pick]
    host = (hostname or "").split(".")[0].lower()
    if host in by_id:
        return by_id[host]
    if len(found) == 1:
        return found[0]
    raise PickNeeded(f"{len(found)} bundles and none named like this host ({host or '?'}): "
                     f"{', '.join(sorted(by_id))}; say which one with --pick ID")


def bundle_at(src: Path, *, pick: str | None = None, hostname: str | None = None) -> Path:
    if src.is_dir():
        return choose(candidates(src), pick=pick, hostname=hostname)
    if not src.is_file():
        raise NoBundle(f"{src}: no such bundle or folder")
    return src


# --------------------------------------------------------------------------- installing


def install(bundle: Bundle, root: Path, *, mark_taken: bool = True) -> Installed:
    """Put the bundle in place; a box that was another before (re-provisioned) loses the
    old role's drop-in and target."""
    notes: list[str] = []
    root = root.resolve()  # systemctl --root wants it absolute
    _forget_old_box(root, bundle, notes)
    creds = root / CREDENTIALS_DIR
    m = bundle.members
    creds.mkdir(parents=True, exist_ok=True)
    creds.chmod(0o700)  # the units read it as root (LoadCredential=), nobody else
    _put(root / ETC / BOX_TOML, m[BOX_TOML], 0o644)
    _put(creds / CREDENTIALS_NAME, m[CREDENTIALS], 0o600)
    if CA in m:
        _put(creds / CA, m[CA], 0o644)
    for name, data in m.items():
        if name.startswith(UNITS):
            _put(root / SYSTEMD_DIR / name[len(UNITS):], data, 0o644)
        elif name == SITE:
            _put(root / ETC / SITE, data, 0o644)
        elif name in (WEB_CERT, WEB_KEY):
            _put(creds / name, data, 0o600 if name == WEB_KEY else 0o644)
        elif name == BROKER + "mpp.conf":
            _put(root / MOSQUITTO_DROP_IN, data, 0o644)
        elif name.startswith(BROKER):
            _broker_file(root / BROKER_DIR / name[len(BROKER):], data)
    enabled = _enable(root, bundle.role, notes)
    if mark_taken:
        _mark_taken(bundle.path, notes)
    return Installed(bundle, root, enabled, notes)


def _forget_old_box(root: Path, bundle: Bundle, notes: list[str]) -> None:
    try:
        old = tomllib.loads((root / ETC / BOX_TOML).read_text(encoding="utf-8")).get("box")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # a blank box (or a broken file, replaced below)
    if not isinstance(old, dict):
        return
    notes.append(f"replaced the box {old.get('device')} ({old.get('role')}) of site "
                 f"{old.get('site')}")
    role = ROLES.get(str(old.get("role")))
    if role is None or role == bundle.role:
        return
    (root / SYSTEMD_DIR / f"{role.unit}.d" / "box.conf").unlink(missing_ok=True)
    systemctl = shutil.which("systemctl")
    if systemctl is not None and _unit_exists(root, role.target):
        subprocess.run([systemctl, f"--root={root}", "disable", role.target],
                       capture_output=True, check=False, timeout=60)
        notes.append(f"disabled {role.target}")


def _put(path: Path, data: bytes, mode: int) -> None:
    """Written whole with its mode from the first byte, then swapped in."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(tmp, mode)  # whatever the umask
    os.replace(tmp, path)


def _broker_file(path: Path, data: bytes) -> None:
    """Broker files: the owner's, and Debian's Mosquitto group may read them."""
    _put(path, data, 0o600 if path.name.endswith(".key") or "passwd" in path.name
         or path.name == "acl" else 0o644)
    if os.geteuid() != 0:
        return
    try:
        os.chown(path, -1, grp.getgrnam(BROKER_GROUP).gr_gid)
    except KeyError:
        return  # no Mosquitto here
    path.chmod(0o640 if path.stat().st_mode & 0o077 == 0 else 0o644)


def _unit_exists(root: Path, unit: str) -> bool:
    return any((root / folder / unit).exists() for folder in
               ("etc/systemd/system", "usr/lib/systemd/system", "lib/systemd/system"))


def _enable(root: Path, role: Role, notes: list[str]) -> bool:
    systemctl = shutil.which("systemctl")
    if systemctl is None:
        notes.append(f"no systemctl here: enable {role.target} once the box runs systemd")
        return False
    if not _unit_exists(root, role.target):
        notes.append(f"{role.target} is not installed under {root}: install the units "
                     f"(systemd/), then systemctl enable {role.target}")
        return False
    done = subprocess.run([systemctl, f"--root={root}", "enable", role.target],
                          capture_output=True, text=True, check=False, timeout=60)
    if done.returncode != 0:
        notes.append(f"systemctl enable {role.target} failed: "
                     f"{done.stderr.strip() or done.returncode}")
        return False
    return True


def _mark_taken(path: Path, notes: list[str]) -> None:
    try:
        path.rename(path.with_name(path.name + TAKEN))
    except OSError as err:
        notes.append(f"could not mark {path} as taken ({err.strerror or err}): remove it "
                     "from the stick so no other box takes it")


def install_from(src: Path, root: Path, *, pick: str | None = None,
                 hostname: str | None = None) -> Installed:
    chosen = bundle_at(src, pick=pick, hostname=hostname or socket.gethostname())
    return install(read_bundle(chosen), root)


def firstboot(media: list[Path], root: Path, *, hostname: str | None = None) -> Installed:
    """The bundle of this box from the first stick that has any; the same rules as a
    folder given to install (named like this host, else the only one left)."""
    host = hostname or socket.gethostname()
    folders = media or sorted({p for pattern in MEDIA for p in Path("/").glob(
        pattern.lstrip("/")) if p.is_dir()})
    for folder in folders:
        found = candidates(folder)
        if found:
            return install(read_bundle(choose(found, hostname=host)), root)
    raise NoBundle("no box bundle (ID.mppbox) on any mounted stick ("
                   f"{', '.join(str(f) for f in folders) or 'none mounted'}): plug in the "
                   "stick made by `mpp provision --boxes`")
