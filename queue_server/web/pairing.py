"""Boxes waiting to be installed over the LAN (docs/boxes.md, docs/security.md): the
requests blank boxes make, what an administrator does with them, and the folder of box
bundles (`mpp provision --boxes`' boxes/) they are given from.

A request lives in memory only: it expires after `ttl_s` (a restarted server forgets
them, and the boxes ask again). At most `max_pending` are open at once and
`per_address` from one address. The code the admin types is used for the seal and
forgotten; neither it nor a bundle's bytes are ever logged."""

from __future__ import annotations

import logging
import secrets
import tarfile
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from queue_server.journal import log_event
from queue_server.protocol.pairing import (
    BOX_TOML,
    MAX_BUNDLE_BYTES,
    SUFFIX,
    TAKEN,
    Answer,
    PairingError,
    confirmed,
    parse_code,
    seal,
)
from queue_server.web.deps import Refused

log = logging.getLogger("mpp.web.pairing")

MAX_PENDING = 20
PER_ADDRESS = 3
TTL_S = 30 * 60.0
KEEP_CLOSED_S = 10 * 60.0  # an outcome stays on the dashboard this long
POLL_S = 3.0  # how often the server asks the boxes to poll


class State(StrEnum):
    WAITING = "waiting"  # for an administrator
    SENT = "sent"  # approved: the sealed bundle waits for the box's confirmation
    DONE = "done"  # the box confirmed: its bundle is taken
    MISMATCH = "mismatch"  # the box could not open the answer (a wrong code typed?)
    REFUSED = "refused"  # by an administrator


OPEN = frozenset({State.WAITING, State.SENT})


@dataclass
class Request:
    id: str  # what the dashboard names it by
    token: str  # the box's secret handle
    host: str
    address: str
    box_key: bytes
    created: float
    state: State = State.WAITING
    device: str | None = None
    by: str | None = None  # the administrator who approved or refused it
    answer: Answer | None = None
    confirm_key: bytes | None = field(default=None, repr=False)
    closed: float | None = None


@dataclass(frozen=True)
class BundleFile:
    device: str
    role: str
    name: str  # the device's name in the site file, or ""


class BoxFolder:
    """The bundles a server can give: `ID.mppbox` of this site, not the server's own,
    not taken (`ID.mppbox.taken`, as on a stick)."""

    def __init__(self, path: Path, site: str) -> None:
        self.path, self.site = path, site

    def bundles(self) -> list[BundleFile]:
        files = sorted(p for p in self._names() if p.name.endswith(SUFFIX))
        found = [self._about(p) for p in files]
        return [b for b in found if b is not None]

    def _about(self, path: Path) -> BundleFile | None:
        """Its box.toml's [box], when it is a bundle of this site for a box other than
        the server; the box checks the whole bundle again before it installs it."""
        try:
            if not path.is_file() or path.stat().st_size > MAX_BUNDLE_BYTES:
                return None
            with tarfile.open(path, mode="r:") as tar:
                member = tar.extractfile(BOX_TOML)
                box = tomllib.loads(member.read(64 * 1024).decode()).get("box") \
                    if member is not None else None
        except (OSError, KeyError, tarfile.TarError, UnicodeDecodeError,
                tomllib.TOMLDecodeError):
            return None
        device = path.name[:-len(SUFFIX)]
        if not isinstance(box, dict) or box.get("device") != device \
                or box.get("site") != self.site or box.get("role") in (None, "server"):
            return None
        return BundleFile(device, str(box["role"]), str(box.get("name") or ""))

    def check_free(self, device: str) -> None:
        """Refused("bundle_taken") when a box has it, ("unknown_bundle") when there is
        no such bundle of this site here."""
        if any(b.device == device for b in self.bundles()):
            return
        taken = any(p.name == f"{device}{SUFFIX}{TAKEN}" for p in self._names())
        raise Refused(409, "bundle_taken" if taken else "unknown_bundle")

    def _names(self) -> list[Path]:
        try:
            return list(self.path.iterdir())
        except OSError:
            return []

    def read(self, device: str) -> bytes:
        """The bytes of a bundle `check_free` found (so `device` names a file here)."""
        return (self.path / f"{device}{SUFFIX}").read_bytes()

    def mark_taken(self, device: str) -> None:
        path = self.path / f"{device}{SUFFIX}"
        path.rename(path.with_name(path.name + TAKEN))


class Pairings:
    """The requests, behind one lock (the routes run on a thread pool). The slow part of
    an approval (scrypt, the seal) runs outside it."""

    def __init__(self, site: str, folder: BoxFolder | None, *, max_pending: int = MAX_PENDING,
                 per_address: int = PER_ADDRESS, ttl_s: float = TTL_S,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.site, self.folder = site, folder
        self.max_pending, self.per_address, self.ttl_s = max_pending, per_address, ttl_s
        self.now = now
        self.poll_s = POLL_S
        self._requests: dict[str, Request] = {}  # by id
        self._lock = threading.Lock()

    # -- the box's side ----------------------------------------------------------------

    def open(self, host: str, address: str, box_key: bytes) -> Request:
        folder = self._folder()
        with self._lock:
            self._expire()
            pending = [r for r in self._requests.values() if r.state in OPEN]
            if len(pending) >= self.max_pending:
                raise Refused(503, "pairing_full", limit=self.max_pending,
                              retry_after_s=60)
            if sum(r.address == address for r in pending) >= self.per_address:
                raise Refused(503, "pairing_full", limit=self.per_address,
                              retry_after_s=60)
            request = Request(secrets.token_hex(5), secrets.token_urlsafe(24), host,
                              address, box_key, self.now())
            self._requests[request.id] = request
        log_event(log, "pair.request", request=request.id, host=host, address=address,
                  folder=str(folder.path), text="a box asks for its bundle")
        return request

    def poll(self, token: str) -> dict[str, Any]:
        with self._lock:
            request = self._by_token(token)
            body: dict[str, Any] = {"state": request.state.value}
            if request.state is State.SENT and request.answer is not None:
                body["answer"] = request.answer.to_wire()
            return body

    def confirm(self, token: str, mac: bytes) -> Request:
        with self._lock:
            request = self._by_token(token)
            if request.state is State.DONE:
                return request  # a confirmation sent again: the same answer
            if request.state is not State.SENT or request.answer is None \
                    or request.confirm_key is None or request.device is None:
                raise Refused(409, "not_sent")
            if not confirmed(request.confirm_key, request.answer, mac):
                raise Refused(409, "bad_confirm")
            try:
                self._folder().mark_taken(request.device)
            except OSError as err:
                log.error("could not mark the bundle of %s taken in %s: %s",
                          request.device, self._folder().path, err.strerror or err)
                raise Refused(503, "storage_error") from None
            self._close(request, State.DONE)
        log_event(log, "pair.done", request=request.id, device=request.device,
                  host=request.host, text="a box took its bundle over the LAN")
        return request

    def failed(self, token: str) -> Request:
        """The box says the answer did not open (a wrong code, or tampering): it asks
        again with a new code; the bundle stays free."""
        with self._lock:
            request = self._by_token(token)
            if request.state is not State.SENT:
                raise Refused(409, "not_sent")
            self._close(request, State.MISMATCH)
        log_event(log, "pair.mismatch", request=request.id, device=request.device,
                  host=request.host, text="the box could not open its answer")
        return request

    # -- the administrator's side ------------------------------------------------------

    def approve(self, request_id: str, typed: str, device: str, by: str) -> Request:
        try:
            code = parse_code(typed)
        except PairingError as err:
            raise Refused(400, err.code) from None
        folder = self._folder()
        with self._lock:
            request = self._waiting(request_id)
            self._check_free(folder, device)
            box_key = request.box_key
        try:
            bundle = folder.read(device)
        except OSError:
            raise Refused(409, "bundle_taken") from None
        answer, confirm_key = seal(bundle, box_key, code, device, self.site)
        with self._lock:  # the same checks again: another admin may have been quicker
            request = self._waiting(request_id)
            self._check_free(folder, device)
            request.state, request.device, request.by = State.SENT, device, by
            request.answer, request.confirm_key = answer, confirm_key
        log_event(log, "pair.sent", request=request.id, device=device, host=request.host,
                  user=by, text="a bundle sealed for a box")
        return request

    def refuse(self, request_id: str, by: str) -> Request:
        with self._lock:
            self._expire()
            request = self._requests.get(request_id)
            if request is None or request.state not in OPEN:
                raise Refused(404, "unknown_request")
            request.by = by
            self._close(request, State.REFUSED)
        log_event(log, "pair.refused", request=request.id, host=request.host, user=by)
        return request

    def listing(self) -> dict[str, Any]:
        """What the dashboard's panel shows."""
        folder = self.folder
        bundles = folder.bundles() if folder is not None else []
        with self._lock:
            self._expire()
            now = self.now()
            reserved = {r.device for r in self._requests.values() if r.state in OPEN}
            requests = [{"id": r.id, "host": r.host, "address": r.address,
                         "age_s": round(now - r.created), "state": r.state.value,
                         "device": r.device, "by": r.by}
                        for r in sorted(self._requests.values(), key=lambda r: r.created)]
        return {"folder": str(folder.path) if folder is not None else None,
                "requests": requests,
                "bundles": [{"device": b.device, "role": b.role, "name": b.name}
                            for b in bundles if b.device not in reserved]}

    # -- inside ------------------------------------------------------------------------

    def _folder(self) -> BoxFolder:
        if self.folder is None:
            raise Refused(503, "pairing_off")
        return self.folder

    def _expire(self) -> None:
        now = self.now()
        for key, r in list(self._requests.items()):
            if now - r.created >= self.ttl_s or (
                    r.closed is not None and now - r.closed >= KEEP_CLOSED_S):
                del self._requests[key]

    def _by_token(self, token: str) -> Request:
        self._expire()
        for r in self._requests.values():
            if secrets.compare_digest(r.token.encode(), token.encode()):
                return r
        raise Refused(404, "unknown_request")

    def _waiting(self, request_id: str) -> Request:
        self._expire()
        request = self._requests.get(request_id)
        if request is None:
            raise Refused(404, "unknown_request")
        if request.state is not State.WAITING:
            raise Refused(409, "not_waiting")
        return request

    def _check_free(self, folder: BoxFolder, device: str) -> None:
        if any(r.device == device and r.state in OPEN for r in self._requests.values()):
            raise Refused(409, "bundle_taken")  # on its way to another box
        folder.check_free(device)

    def _close(self, request: Request, state: State) -> None:
        request.state, request.closed = state, self.now()
        request.answer = request.confirm_key = None  # nothing of the bundle stays
