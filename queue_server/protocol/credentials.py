"""A box's broker credentials, read from the file `mpp provision` writes for it
(`devices/ID/credentials.toml`, docs/security.md):

    [mqtt]
    user = "kiosk-01"
    password = "..."            # or password_file = "/run/credentials/.../secret"
    ca = "ca.crt"               # the site CA, relative to this file (with --tls)
    [follower]                  # the server's file only: the dashboard follower's account
    user = "dashboard"
    password = "..."
    [https]                     # the server's file only (with --tls): the dashboard's
    cert = "web.crt"            # certificate and key, signed by the site CA, relative
    key = "web.key"             # to this file

Secrets come from files only, never from argv, logs or topics: `Credentials` does not
show its password in its repr, and every error names the file and the key, never a
value."""

from __future__ import annotations

import logging
import os
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger("mpp.credentials")

ENV_FILE = "MPP_CREDENTIALS"  # the credentials file, when --credentials is not given
SYSTEMD_DIR = "CREDENTIALS_DIRECTORY"  # systemd's LoadCredential= folder
SYSTEMD_NAME = "mqtt.toml"  # the name the units give it (LoadCredential=mqtt.toml:...)
SECTIONS = ("mqtt", "follower")
_KEYS = frozenset({"user", "password", "password_file", "ca"})
HTTPS_SECTION = "https"
_HTTPS_KEYS = ("cert", "key")


class CredentialsError(ValueError):
    """The credentials file is missing, unreadable or malformed."""

    code = "bad_credentials"


@dataclass(frozen=True)
class Credentials:
    """One broker account: user name, secret, and the CA that must have signed the
    broker's certificate (None: the system's trusted CAs, with mqtts://)."""

    user: str
    password: str = field(repr=False)
    ca: Path | None = None
    source: Path | None = None  # the file they were read from, named in errors

    def where(self) -> str:
        """How a technician finds these credentials again (never the secret)."""
        return f"the credentials file {self.source}" if self.source else \
            f"the credentials of {self.user}"


def load_credentials(path: Path | str, section: str = "mqtt",
                     user: str | None = None) -> Credentials:
    """Read `[section]` of a credentials file. `user`: the user named elsewhere (the
    URL's `user@`), used when the file has none and checked against it when it has one.
    A section without `ca` takes the one of `[mqtt]`. Raises CredentialsError."""
    path = Path(path)
    data = _read(path)
    if section not in SECTIONS:
        raise CredentialsError(f"{path}: no section [{section}] is known")
    table = _table(path, data, section)
    return Credentials(user=_user(path, section, table, user),
                       password=_password(path, section, table),
                       ca=_ca(path, section, table, data), source=path)


@dataclass(frozen=True)
class HttpsFiles:
    """The dashboard's certificate and private key (PEM files, as `mpp provision --tls`
    makes them), named by the `[https]` section of the server's credentials file."""

    cert: Path
    key: Path
    source: Path | None = None  # the credentials file that names them


def load_https(path: Path | str) -> HttpsFiles | None:
    """The `[https]` section of a credentials file: where the dashboard's certificate and
    key are (relative to the file), or None when the file has no such section (the
    dashboard then speaks plain HTTP). Raises CredentialsError naming the file and the
    key when the section is malformed or names a file that is not there."""
    path = Path(path)
    data = _read(path)
    if HTTPS_SECTION not in data:
        return None
    table = data[HTTPS_SECTION]
    if not isinstance(table, dict):
        raise CredentialsError(f"{path}: [{HTTPS_SECTION}] must be a table")
    unknown = sorted(set(table) - set(_HTTPS_KEYS))
    if unknown:
        raise CredentialsError(f"{path}: [{HTTPS_SECTION}] {unknown[0]}: unknown key "
                               f"(known: {', '.join(_HTTPS_KEYS)})")
    found: dict[str, Path] = {}
    for key in _HTTPS_KEYS:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise CredentialsError(f"{path}: [{HTTPS_SECTION}] {key} is missing (the "
                                   "dashboard's certificate and its key, both PEM files)")
        found[key] = _relative(path, value)
        if not found[key].is_file():
            raise CredentialsError(f"{path}: [{HTTPS_SECTION}] {key}: no such file "
                                   f"{found[key]}")
    warn_if_readable(found["key"])
    return HttpsFiles(found["cert"], found["key"], source=path)


def credentials_path(given: str | None,
                     env: Mapping[str, str] | None = None) -> Path | None:
    """Where the credentials are: `given` (--credentials), else $MPP_CREDENTIALS, else
    systemd's $CREDENTIALS_DIRECTORY/mqtt.toml when it exists; None: no credentials."""
    env = os.environ if env is None else env
    if given:
        return Path(given)
    if env.get(ENV_FILE):
        return Path(env[ENV_FILE])
    folder = env.get(SYSTEMD_DIR)
    if folder and (Path(folder) / SYSTEMD_NAME).is_file():
        return Path(folder) / SYSTEMD_NAME
    return None


# --------------------------------------------------------------------------- reading


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CredentialsError(f"{path}: no such credentials file (made by `mpp "
                               "provision`, devices/ID/credentials.toml)") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CredentialsError(f"{path}: cannot read the credentials file: "
                               f"{getattr(err, 'strerror', None) or err}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CredentialsError(f"{path}: not a TOML credentials file: {err}") from None
    warn_if_readable(path)
    return data


def warn_if_readable(path: Path) -> None:
    """A warning when others than the owner (and its group, for systemd) may read `path`,
    a file that holds a secret."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRWXG | stat.S_IRWXO) & ~stat.S_IRGRP:  # group read is for systemd
        log.warning("%s holds a secret and others may read it: chmod 600 %s", path, path)


def _table(path: Path, data: dict[str, Any], section: str) -> dict[str, Any]:
    table = data.get(section)
    if not isinstance(table, dict):
        raise CredentialsError(f"{path}: the section [{section}] is missing")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise CredentialsError(f"{path}: [{section}] {unknown[0]}: unknown key (known: "
                               f"{', '.join(sorted(_KEYS))})")
    for key in _KEYS & set(table):
        if not isinstance(table[key], str) or not table[key].strip():
            raise CredentialsError(f"{path}: [{section}] {key} must be a non-empty string")
    return table


def _user(path: Path, section: str, table: dict[str, Any], named: str | None) -> str:
    user = table.get("user")
    if user is None and named is None:
        raise CredentialsError(f"{path}: [{section}] user is missing (or name the user in "
                               "the broker URL: mqtts://USER@HOST)")
    if user is not None and named is not None and user != named:
        raise CredentialsError(f"{path}: [{section}] user is {user!r} but the broker URL "
                               f"names {named!r}")
    return str(user if user is not None else named)


def _password(path: Path, section: str, table: dict[str, Any]) -> str:
    if "password" in table and "password_file" in table:
        raise CredentialsError(f"{path}: [{section}] has both password and password_file: "
                               "keep one")
    if "password" in table:
        return str(table["password"])
    if "password_file" not in table:
        raise CredentialsError(f"{path}: [{section}] password (or password_file) is "
                               "missing")
    secret_file = _relative(path, table["password_file"])
    try:
        secret = secret_file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as err:
        raise CredentialsError(f"{path}: [{section}] password_file {secret_file}: cannot "
                               f"read it: {getattr(err, 'strerror', None) or err}") from None
    if not secret:
        raise CredentialsError(f"{path}: [{section}] password_file {secret_file} is empty")
    warn_if_readable(secret_file)
    return secret


def _ca(path: Path, section: str, table: dict[str, Any], data: dict[str, Any]) -> Path | None:
    key, value = (section, table["ca"]) if "ca" in table else ("mqtt", None)
    if value is None:
        mqtt = data.get("mqtt")
        value = mqtt.get("ca") if isinstance(mqtt, dict) else None
    if value is None:
        return None
    ca = _relative(path, str(value))
    if not ca.is_file():
        raise CredentialsError(f"{path}: [{key}] ca: no such file {ca}")
    return ca


def _relative(path: Path, value: str) -> Path:
    target = Path(value).expanduser()
    return target if target.is_absolute() else path.parent / target
