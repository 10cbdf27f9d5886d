"""The deliverer's HTTPS client, standard library only: one kept-alive connection to the
central in use, TLS 1.2+ checked against the site's CA (or the system's), and every
failure to get an answer as a WanError with a stable code. Several central addresses:
after a failure the next one is used."""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from queue_server.protocol.upload import UPLOAD_PATH


class WanError(Exception):
    """No answer from the central: `unreachable` (refused, reset, no route, timed out) or
    `tls_error` (its certificate is not the one the site's CA signed for it)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


# the connection went away in the middle of TLS: the central stopped, not a bad certificate
_CUT = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)


def _code(err: Exception) -> str:
    """tls_error: TLS refused the central (its certificate, a protocol neither speaks);
    unreachable: anything else that left no answer."""
    return "tls_error" if isinstance(err, ssl.SSLError) and not isinstance(err, _CUT) \
        else "unreachable"


def tls_context(ca: Path | None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca) if ca else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


class CentralClient:
    def __init__(self, urls: tuple[str, ...], token: str, ca: Path | None,
                 timeout_s: float) -> None:
        if not urls:
            raise ValueError("no central address")
        self.urls = urls
        self._token = token
        self._tls = tls_context(ca)
        self._timeout = timeout_s
        self._index = 0
        self._conn: http.client.HTTPSConnection | None = None

    @property
    def url(self) -> str:
        """The address in use (never the token)."""
        return self.urls[self._index]

    def next_url(self) -> None:
        """Use the next address from now on (after a failure of this one)."""
        self.close()
        self._index = (self._index + 1) % len(self.urls)

    def post(self, body: bytes, key: str) -> Answer:
        """POST one batch; the central's answer, whatever its status. Raises WanError."""
        parts = urllib.parse.urlsplit(self.url)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self._token}",
                   "Idempotency-Key": key, "Content-Length": str(len(body))}
        for attempt in (1, 2):  # a kept-alive connection the central has closed: once more
            try:
                conn = self._connection(parts)
                conn.request("POST", parts.path + UPLOAD_PATH, body, headers)
                response = conn.getresponse()
                answer = Answer(response.status, response.read())
            except ssl.SSLCertVerificationError as err:
                self.close()
                raise WanError("tls_error", err.verify_message or str(err)) from err
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError) as err:
                self.close()
                if attempt == 2:
                    raise WanError("unreachable", f"{type(err).__name__}: {err}") from err
                continue
            except (OSError, http.client.HTTPException) as err:  # refused, timeout, TLS
                self.close()
                raise WanError(_code(err), f"{type(err).__name__}: {err}") from err
            if response.getheader("connection", "").lower() == "close":
                self.close()
            return answer
        raise AssertionError("unreachable")

    def connect(self) -> None:
        """Open the connection (TCP and TLS) before the first batch. Raises WanError."""
        try:
            self._connection(urllib.parse.urlsplit(self.url))
        except OSError as err:
            self.close()
            raise WanError(_code(err), f"{type(err).__name__}: {err}") from err

    def _connection(self, parts: urllib.parse.SplitResult) -> http.client.HTTPSConnection:
        if self._conn is None:
            self._conn = http.client.HTTPSConnection(
                parts.hostname or "", parts.port or 443, timeout=self._timeout,
                context=self._tls)
            self._conn.connect()
            sock = self._conn.sock
            if sock is not None:  # small requests and answers: no Nagle wait
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self._conn

    def abort(self) -> None:
        """End a request in flight from another thread (the server stops): its socket is
        shut down, so the waiting read returns at once."""
        conn = self._conn
        sock = conn.sock if conn is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
