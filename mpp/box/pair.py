"""`mpp box pair` (and `mpp box firstboot` when no stick holds a bundle): a blank box gets
its bundle from the queue server over the LAN, with nothing typed on the box.

The box finds the server by zeroconf (or `--server URL`), makes a key pair and a code,
shows the code on its screen (mpp/box/screen.py) and asks the server; an administrator
types the code into the dashboard and picks the box's bundle; the server seals the bundle
for this key and this code (queue_server/protocol/pairing.py). The box opens it, checks it
as a bundle from a stick is checked, confirms (only then is it taken on the server) and
installs it with the same code as a stick. An answer that does not open (a wrong code
typed, a key swapped by a man in the middle, a changed answer) is reported, and the box
asks again with a new code and a new key. The server's certificate is not checked: the
box has no CA yet, and the answer is sealed end to end."""

from __future__ import annotations

import json
import re
import ssl
import tempfile
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mpp.box.install import BadBundle, BoxError, Installed, install, read_bundle
from mpp.box.screen import CODE_FILE, Screen
from queue_server.protocol.pairing import (
    MAX_BUNDLE_BYTES,
    OPEN_PATH,
    SUFFIX,
    VERSION,
    Answer,
    Mismatch,
    PairingError,
    b64,
    confirm_path,
    failed_path,
    new_code,
    new_key,
    open_answer,
    poll_path,
)

TIMEOUT_S = 10.0
CONFIRM_TRIES = 6
MAX_REPLY = MAX_BUNDLE_BYTES * 2  # base64 and JSON around the sealed bundle


class PairError(BoxError):
    code = "pair_failed"


class Stopped(PairError):
    code = "pair_stopped"


@dataclass(frozen=True)
class PairOptions:
    hostname: str
    server: str | None = None  # https://HOST:PORT; None: find it by zeroconf
    site: str | None = None  # with zeroconf: only a server of this site
    code_file: Path | None = CODE_FILE
    discover_timeout: float = 5.0
    retry_s: float = 10.0  # after an unreachable server, a refusal, a busy server
    poll_s: float | None = None  # None: as the server asks
    interfaces: Any = None  # zeroconf's interface choice (default: all)


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]

    @property
    def code(self) -> str:
        error = self.body.get("error")
        return str(error.get("code", "")) if isinstance(error, dict) else ""

    def retry_after(self, default: float) -> float:
        error = self.body.get("error")
        value = error.get("retry_after_s") if isinstance(error, dict) else None
        return float(value) if isinstance(value, int | float) and value > 0 else default


class Unreachable(PairError):
    code = "server_unreachable"


class Server:
    """The pairing calls to one server. Its certificate is not checked (see above)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self._tls = ssl.create_default_context()
        self._tls.check_hostname = False
        self._tls.verify_mode = ssl.CERT_NONE

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Reply:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json",
                                              "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S, context=self._tls) as resp:
                return Reply(resp.status, _json(resp.read(MAX_REPLY)))
        except urllib.error.HTTPError as err:
            with err:
                return Reply(err.code, _json(err.read(MAX_REPLY)))
        except (OSError, ValueError) as err:  # URLError, refused, timeout, TLS, a bad URL
            reason = getattr(err, "reason", None) or err
            raise Unreachable(f"{self.base}: {reason}") from None


def _json(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def box_hostname(name: str) -> str:
    """This box's name as the dashboard shows it (the server takes host names only)."""
    cleaned = re.sub(r"[^A-Za-z0-9.-]", "-", name).strip(".-")[:63]
    return cleaned or "box"


# --------------------------------------------------------------------------- the loop


def pair(root: Path, opts: PairOptions, screen: Screen,
         stop: threading.Event | None = None) -> Installed:
    """Ask, show the code, wait, install: until installed (or `stop` is set: Stopped)."""
    stop = stop or threading.Event()
    host = box_hostname(opts.hostname)
    while not stop.is_set():
        base = opts.server or _discover(opts, screen, stop)
        if base is None:
            break
        try:
            done = _attempt(Server(base), root, host, opts, screen, stop)
        except Unreachable as err:
            screen.say("unreachable", "unreachable", server=base, reason=str(err))
            stop.wait(opts.retry_s)
            continue
        if done is not None:
            return done
    raise Stopped("stopped before the box got its bundle")


def _discover(opts: PairOptions, screen: Screen, stop: threading.Event) -> str | None:
    """The URL of the one queue server on the LAN (of `opts.site`), looking until there
    is one; two servers that could both be ours: the box never guesses."""
    from queue_server.protocol.discovery import AMBIGUOUS, FOUND, DiscoveryError, browse, choose

    screen.say("looking", "looking")
    while not stop.is_set():
        try:
            seen = [s for s in browse(opts.discover_timeout, site=opts.site,
                                      interfaces=opts.interfaces) if s.http_port is not None]
        except DiscoveryError as err:
            screen.say("unreachable", "unreachable", server="zeroconf", reason=err.message)
            stop.wait(opts.retry_s)
            continue
        choice = choose(seen, opts.site)
        if choice.outcome == FOUND and choice.server is not None:
            url = choice.server.http_url
            if url is not None:
                return url
        if choice.outcome == AMBIGUOUS:
            screen.say("several", "several", sites=", ".join(choice.sites))
            stop.wait(opts.retry_s)
    return None


def _attempt(server: Server, root: Path, host: str, opts: PairOptions, screen: Screen,
             stop: threading.Event) -> Installed | None:
    """One request with one code: the installed box, or None to ask again."""
    private, public = new_key()
    code = new_code()
    opened = server.call("POST", OPEN_PATH, {"host": host, "key": b64(public),
                                             "proto": VERSION})
    if opened.status != 201:
        _wait_refusal(opened, screen, opts, stop)
        return None
    token, site = str(opened.body.get("token", "")), str(opened.body.get("site", ""))
    poll_s = opts.poll_s or float(opened.body.get("poll_s") or 3.0)
    screen.code(code, host, server.base, site)
    while not stop.is_set():
        reply = server.call("GET", poll_path(token))
        state = reply.body.get("state") if reply.status == 200 else None
        if state == "waiting":
            stop.wait(poll_s)
        elif state == "sent":
            return _receive(server, token, reply.body.get("answer"), private, code, root,
                            screen, stop)
        elif state == "refused":
            screen.say("refused", "refused", s=round(opts.retry_s))
            stop.wait(opts.retry_s)
            return None
        elif reply.status == 429:
            stop.wait(reply.retry_after(poll_s))
        else:  # expired, forgotten by a restarted server, or closed
            screen.say("expired", "expired")
            return None
    return None


def _wait_refusal(reply: Reply, screen: Screen, opts: PairOptions,
                  stop: threading.Event) -> None:
    if reply.code == "pairing_off":
        screen.say("off", "off")
        stop.wait(opts.retry_s * 6)
        return
    wait = reply.retry_after(opts.retry_s)
    screen.say("busy", "busy", reason=reply.code or reply.status, s=round(wait))
    stop.wait(wait)


def _receive(server: Server, token: str, wire: object, private: Any, code: str, root: Path,
             screen: Screen, stop: threading.Event) -> Installed | None:
    """Open the answer, check the bundle, confirm, install; None: ask again."""
    try:
        answer = Answer.from_wire(wire)
        bundle, mac = open_answer(private, code, answer)
    except (Mismatch, PairingError):
        server.call("POST", failed_path(token), {"reason": "mismatch"})
        screen.say("mismatch", "mismatch")
        return None
    screen.say("received", None, device=answer.device)
    with tempfile.TemporaryDirectory(prefix="mppbox-") as scratch:
        path = Path(scratch) / f"{answer.device}{SUFFIX}"
        path.write_bytes(bundle)
        checked = read_bundle(path)  # the same checks as a stick's bundle
        if (checked.device, checked.site) != (answer.device, answer.site):
            raise BadBundle(f"{path.name}: the bundle is {checked.device} of "
                            f"{checked.site}, sealed as {answer.device} of {answer.site}")
        confirmed = _confirm(server, token, mac, stop)
        if confirmed.status != 200 or confirmed.body.get("state") != "done":
            screen.say("expired", "expired")  # not taken on the server: never installed
            return None
        done = install(checked, root, mark_taken=False)
    screen.say("installed", None, device=checked.device, role=checked.role.name,
               site=checked.site)
    screen.done()
    return done


def _confirm(server: Server, token: str, mac: bytes, stop: threading.Event) -> Reply:
    """The confirmation, sent again while the network hiccups: once the server has it,
    the bundle is taken there, so the box must not give up on hearing that."""
    for _ in range(CONFIRM_TRIES - 1):
        try:
            return server.call("POST", confirm_path(token), {"mac": b64(mac)})
        except Unreachable:
            if stop.wait(2.0):
                break
    return server.call("POST", confirm_path(token), {"mac": b64(mac)})
