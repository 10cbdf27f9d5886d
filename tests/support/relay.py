"""A man in the middle on loopback for the pairing tests: a box dials it as if it were
the server; it passes every call on to the real server (over HTTPS, trusting nothing,
as an attacker would), swaps the box's public key for its own on the way in, keeps
every sealed answer it sees, and can put a forged answer in place of the real one."""

from __future__ import annotations

import json
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from queue_server.protocol.pairing import Answer, b64, new_key, unb64


class Relay:
    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.private, self.public = new_key()  # the key the server sees
        self.box_keys: list[bytes] = []  # what the box really sent
        self.answers: list[Answer] = []  # what the server sealed (for our key)
        self.forge: Callable[[bytes], Answer] | None = None  # box key -> a forged answer
        self._tls = ssl.create_default_context()
        self._tls.check_hostname = False
        self._tls.verify_mode = ssl.CERT_NONE
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, name="test-relay",
                                        kwargs={"poll_interval": 0.05})

    def __enter__(self) -> Relay:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(5)

    def _forward(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        if method == "POST" and path == "/pair" and body:
            data = json.loads(body)
            self.box_keys.append(unb64(data["key"], "bad_key"))
            data["key"] = b64(self.public)
            body = json.dumps(data).encode()
        req = urllib.request.Request(self.target + path, data=body, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10, context=self._tls) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as err:
            with err:
                status, raw = err.code, err.read()
        reply = json.loads(raw) if raw else {}
        if method == "GET" and reply.get("state") == "sent":
            self.answers.append(Answer.from_wire(reply["answer"]))
            if self.forge is not None:
                reply["answer"] = self.forge(self.box_keys[-1]).to_wire()
                raw = json.dumps(reply).encode()
        return status, raw

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def _pass(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                status, raw = relay._forward(self.command, self.path, body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _pass

            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet

        return Handler
