"""A fault-injecting TCP proxy on loopback: passes bytes both ways between clients and a
broker, and `reset()` cuts every connection it carries with a TCP RST, as a flapping
network does."""

from __future__ import annotations

import selectors
import socket
import struct
import threading

LINGER_RST = struct.pack("ii", 1, 0)  # close() then sends RST, not FIN


class FlakyProxy:
    def __init__(self, target_port: int, host: str = "127.0.0.1") -> None:
        self.target = (host, target_port)
        self.listener = socket.create_server((host, 0))
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.resets = 0  # connections cut
        self._peers: dict[socket.socket, socket.socket] = {}
        self._lock = threading.Lock()
        self._cut = False
        self._stop = False
        self._wake_r, self._wake_w = socket.socketpair()
        self._sel = selectors.DefaultSelector()
        self._sel.register(self.listener, selectors.EVENT_READ)
        self._sel.register(self._wake_r, selectors.EVENT_READ)
        self._thread = threading.Thread(target=self._run, name="flaky-proxy", daemon=True)
        self._thread.start()

    def reset(self) -> None:
        """Cut every connection now (done on the proxy's own thread)."""
        with self._lock:
            self._cut = True
        self._wake_w.send(b"x")

    def close(self) -> None:
        self._stop = True
        self._wake_w.send(b"x")
        self._thread.join(5)
        for sock in (self.listener, self._wake_r, self._wake_w):
            sock.close()
        self._sel.close()

    def _run(self) -> None:
        while not self._stop:
            for key, _ in self._sel.select(1.0):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                if sock is self.listener:
                    self._accept()
                elif sock is self._wake_r:
                    sock.recv(64)
                else:
                    self._pass(sock)
            with self._lock:
                cut, self._cut = self._cut, False
            if cut:
                self._cut_all()
        self._cut_all()

    def _accept(self) -> None:
        try:
            client, _ = self.listener.accept()
        except BlockingIOError:
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        for sock in (client, upstream):
            sock.setblocking(True)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sel.register(sock, selectors.EVENT_READ)
        self._peers[client], self._peers[upstream] = upstream, client

    def _pass(self, sock: socket.socket) -> None:
        peer = self._peers.get(sock)
        if peer is None:
            return
        try:
            data = sock.recv(65536)
            if data:
                peer.sendall(data)
                return
        except OSError:
            pass
        self._drop(sock, rst=False)

    def _cut_all(self) -> None:
        for sock in list(self._peers):
            if sock in self._peers:
                self.resets += 1
                self._drop(sock, rst=True)

    def _drop(self, sock: socket.socket, *, rst: bool) -> None:
        peer = self._peers.pop(sock)
        self._peers.pop(peer, None)
        for s in (sock, peer):
            self._sel.unregister(s)
            if rst:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RST)
            s.close()
