"""The shared facts of a box bundle: its members, the box roles with the app and unit each
runs, and where `mpp box install` puts things under the box's root (docs/boxes.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SUFFIX = ".mppbox"
TAKEN = ".taken"  # a bundle a box has taken: ID.mppbox.taken, never taken twice
BOX_TOML = "box.toml"
CREDENTIALS = "credentials.toml"
CA = "ca.crt"
SITE = "site.toml"  # the server box only
WEB_CERT, WEB_KEY = "web.crt", "web.key"  # the server box only, with TLS
BROKER = "broker/"  # the server box only: passwd, acl, passwd.argon2, mpp.conf, TLS files
UNITS = "units/"

# where a box keeps them (BRIEF: box layout), relative to its root
ETC = "etc/mpp"
CREDENTIALS_DIR = "etc/mpp/credentials"
CREDENTIALS_NAME = "mqtt.toml"  # the name the units load it under (LoadCredential=)
BROKER_DIR = "etc/mpp/broker"
MOSQUITTO_DROP_IN = "etc/mosquitto/conf.d/mpp.conf"
SYSTEMD_DIR = "etc/systemd/system"

# a drop-in of one of our units, nothing else: a bundle never touches another service
UNIT_DROP_IN = re.compile(r"^units/(mpp-[a-z0-9-]+\.service)\.d/([a-z0-9-]+\.conf)$")
BROKER_FILE = re.compile(r"^broker/(passwd|passwd\.argon2|acl|mpp\.conf|ca\.crt|server\.crt|"
                         r"server\.key)$")
MAX_MEMBER_BYTES = 1 << 20  # a site file is the biggest member: tens of kB
MAX_MEMBERS = 32  # the server's bundle has 15


@dataclass(frozen=True)
class Role:
    name: str  # the box role: server, kiosk, wall, counter, console
    app: tuple[str, ...]  # the `mpp` words that start it
    unit: str  # its service unit (systemd/)

    @property
    def target(self) -> str:
        return f"mpp-{self.name}.target"


ROLES = {r.name: r for r in (
    Role("server", ("server",), "mpp-server.service"),
    Role("kiosk", ("kiosk",), "mpp-kiosk.service"),
    Role("wall", ("display", "wall"), "mpp-wall.service"),
    Role("counter", ("display", "counter"), "mpp-counter-display.service"),
    Role("console", ("console",), "mpp-console.service"),
)}

# a device's box when the site file says nothing more: the counter PC runs the staff
# console, a display the wall; a supervisor works in the dashboard (no box of its own)
DEFAULT_ROLE = {"kiosk": "kiosk", "counter": "console", "display": "wall"}
