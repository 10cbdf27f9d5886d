"""The broker accounts of a site: one per device of the site file (user name = device id),
one for the queue server and one read-only for the dashboard's follower, each with a
generated secret that stays the same when provisioning runs again (unless rotated)."""

from __future__ import annotations

import os
import re
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from queue_server.config import SiteConfig

SERVER_USER = "server"
FOLLOWER_USER = "dashboard"  # the dashboard's follower: reads state, events and presence
RESERVED = (SERVER_USER, FOLLOWER_USER)
SECRET_BYTES = 24  # 192 bits: no dictionary and no brute force reaches it
_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


class ProvisionError(Exception):
    code = "provision_failed"


@dataclass(frozen=True)
class Account:
    user: str
    role: str  # "server", "follower", or the device's role in the site file


def accounts_of(cfg: SiteConfig) -> list[Account]:
    clash = sorted({d.id for d in cfg.devices} & set(RESERVED))
    if clash:
        raise ProvisionError(f"{cfg.source}: device id {clash[0]!r} is reserved for the "
                             "queue server's own broker accounts; rename the device")
    return [Account(SERVER_USER, "server"), Account(FOLLOWER_USER, "follower"),
            *(Account(d.id, d.role) for d in cfg.devices)]


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def read_secrets(path: Path) -> dict[str, str]:
    """The secrets file (`user = "secret"` lines); {} when there is none yet."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ProvisionError(f"{path}: cannot read the secrets file: {err}") from err
    bad = [user for user, value in data.items()
           if not isinstance(value, str) or not _SECRET.match(value)]
    if bad:
        raise ProvisionError(f"{path}: the secret of {bad[0]!r} is malformed")
    return dict(data)


def settle_secrets(accounts: list[Account], path: Path, *,
                   rotate: frozenset[str] = frozenset()) -> dict[str, str]:
    """Every account's secret: the one already in `path`, or a new one (also for the
    users in `rotate`); written back readable by its owner only."""
    known = read_secrets(path)
    settled = {a.user: known[a.user] if a.user in known and a.user not in rotate
               else new_secret() for a in accounts}
    write_private(path, "".join(f'"{user}" = "{secret}"\n'
                                for user, secret in settled.items()))
    return settled


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` with mode 0600 from the first byte (never world-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
