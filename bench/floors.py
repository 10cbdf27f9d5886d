"""The floors: what our parts cost with no queue_server code in the way.

* one-way QoS 1 publish -> subscriber through Mosquitto (two raw paho clients);
* QoS 1 request/reply through Mosquitto (raw paho requester here, echo responder in its
  own process, like the server);
* a durable SQLite commit (stdlib sqlite3, WAL, synchronous=FULL, one INSERT + COMMIT).

The MQTT floors log in as the broker's floor accounts over TLS when the broker is secured
(bench/access.py), anonymously on a plain one.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from bench import mqtt_raw
from bench.access import FLOOR_CLIENT, FLOOR_ECHO
from bench.stats import summary_ms
from mpp.broker import BrokerHandle

REPLY_TIMEOUT_S = 5.0


def block_p99(samples: list[int], ends: list[int]) -> dict[str, Any]:
    """p99 of each block of samples (ms), when there was more than one block."""
    if len(ends) < 2:
        return {}
    starts = [0, *ends[:-1]]
    return {"blocks_p99_ms": [summary_ms(samples[a:b]).get("p99") for a, b in
                              zip(starts, ends, strict=True)]}


def warmup_count(n: int) -> int:
    return min(100, max(10, n // 20))


def _connect(broker: BrokerHandle, user: str, client_id: str,
             on_message: Callable[[mqtt.Client, Any, mqtt.MQTTMessage], None] | None = None,
             subscribe: str | None = None) -> mqtt.Client:
    return mqtt_raw.connect(broker.host, broker.port, client_id, on_message, subscribe,
                            credentials=broker.credentials(user), tls=broker.tls)


def mqtt_one_way(broker: BrokerHandle, n: int) -> dict[str, Any]:
    """Publish one message at a time, wait for the subscriber to get it; latency =
    subscriber's on_message time - time just before publish()."""
    topic = f"bench/{uuid.uuid4().hex[:8]}/oneway"
    got = threading.Event()
    stamp = [0]

    def on_message(_c: mqtt.Client, _u: Any, _msg: mqtt.MQTTMessage) -> None:
        stamp[0] = time.perf_counter_ns()
        got.set()

    sub = _connect(broker, FLOOR_ECHO, f"bench-sub-{uuid.uuid4().hex[:6]}", on_message,
                   subscribe=topic)
    pub = _connect(broker, FLOOR_CLIENT, f"bench-pub-{uuid.uuid4().hex[:6]}")
    samples: list[int] = []
    lost = 0
    try:
        nodelay = mqtt_raw.socket_nodelay(sub) and mqtt_raw.socket_nodelay(pub)
        payload = b"x" * 200  # about the size of a small event
        warm = warmup_count(n)
        for i in range(warm + n):
            got.clear()
            t0 = time.perf_counter_ns()
            pub.publish(topic, payload, qos=1)
            if not got.wait(REPLY_TIMEOUT_S):
                lost += 1
                continue
            if i >= warm:
                samples.append(stamp[0] - t0)
    finally:
        mqtt_raw.close(pub)
        mqtt_raw.close(sub)
    return {**summary_ms(samples), "lost": lost, "client_tcp_nodelay": nodelay}


class RequestReplyFloor:
    """QoS 1 request to a raw paho echo responder in another process; latency = reply's
    on_message time - time just before publish(). sample() may be called many times:
    bench.run takes its blocks between blocks of calls, so both see the same machine."""

    def __init__(self, broker: BrokerHandle) -> None:
        self.broker = broker
        base = f"bench/{uuid.uuid4().hex[:8]}"
        self._req, self._rep = f"{base}/req", f"{base}/rep"
        self.samples: list[int] = []
        self.lost = 0
        self.blocks: list[int] = []  # len(samples) at the end of each sample() call
        self.nodelay = False
        self._sent = 0
        self._echo: subprocess.Popen[bytes] | None = None
        self._client: mqtt.Client | None = None
        self._got = threading.Event()
        self._seen: dict[str, int] = {}

    def __enter__(self) -> RequestReplyFloor:
        echo = self.broker.credentials(FLOOR_ECHO)
        login = [str(echo.source), *(["tls"] if self.broker.tls else [])] if echo else []
        self._echo = subprocess.Popen(
            [sys.executable, "-m", "bench.echo", self.broker.host, str(self.broker.port),
             self._req, self._rep, *login],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=_repo_root(), env=_child_env(),
        )
        try:
            assert self._echo.stdout is not None
            ready = self._echo.stdout.readline().decode().strip()
            if not ready.startswith("ready"):
                raise RuntimeError(f"echo responder did not start (said {ready!r})")

            def on_message(_c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
                self._seen["at"] = time.perf_counter_ns()
                self._seen["id"] = int(msg.payload.split(b":", 1)[0])
                self._got.set()

            self._client = _connect(self.broker, FLOOR_CLIENT,
                                    f"bench-req-{uuid.uuid4().hex[:6]}", on_message,
                                    subscribe=self._rep)
            self.nodelay = mqtt_raw.socket_nodelay(self._client) and ready == "ready"
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def sample(self, n: int, warm: int = 0) -> None:
        assert self._client is not None, "use it in a with block"
        pad = b"y" * 150  # about the size of a command
        for i in range(warm + n):
            ident = self._sent
            self._sent += 1
            self._got.clear()
            t0 = time.perf_counter_ns()
            self._client.publish(self._req, b"%d:" % ident + pad, qos=1)
            if not self._got.wait(REPLY_TIMEOUT_S) or self._seen.get("id") != ident:
                self.lost += 1
                continue
            if i >= warm:
                self.samples.append(self._seen["at"] - t0)
        self.blocks.append(len(self.samples))

    def summary(self) -> dict[str, Any]:
        return {**summary_ms(self.samples), "lost": self.lost,
                "client_tcp_nodelay": self.nodelay,
                **block_p99(self.samples, self.blocks)}

    def __exit__(self, *_exc: object) -> None:
        if self._client is not None:
            mqtt_raw.close(self._client)
            self._client = None
        echo, self._echo = self._echo, None
        if echo is None:
            return
        if echo.stdin is not None:
            echo.stdin.close()
        try:
            echo.wait(5)
        except subprocess.TimeoutExpired:
            echo.kill()
            echo.wait(5)
        if echo.stdout is not None:
            echo.stdout.close()


def mqtt_request_reply(broker: BrokerHandle, n: int) -> dict[str, Any]:
    with RequestReplyFloor(broker) as floor:
        floor.sample(n, warm=warmup_count(n))
        return floor.summary()


def mqtt_floors(broker: BrokerHandle, n: int,
                log: Callable[[str], None]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two MQTT floors every latency benchmark reports: (one-way, request/reply)."""
    log(f"floor: one-way QoS 1 publish -> subscriber, {n} messages")
    one_way = mqtt_one_way(broker, n)
    log(f"floor: QoS 1 request/reply via an echo process, {n} round trips")
    return one_way, mqtt_request_reply(broker, n)


class CommitFloor:
    """One INSERT + COMMIT per transaction, WAL, synchronous=FULL, in `directory` (the
    server database's folder, so the same disk). sample() may be called many times."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / f"floor-{uuid.uuid4().hex[:6]}.db"
        self.samples: list[int] = []
        self.blocks: list[int] = []  # len(samples) at the end of each sample() call
        self._elapsed = 0
        self._conn: sqlite3.Connection | None = None
        self.mode: str | None = None
        self.sync: Any = None

    def __enter__(self) -> CommitFloor:
        conn = self._conn = sqlite3.connect(self.path, isolation_level=None)
        self.mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous=FULL")
        self.sync = conn.execute("PRAGMA synchronous").fetchone()[0]
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, at REAL, payload TEXT)")
        return self

    def sample(self, n: int, warm: int = 0) -> None:
        conn = self._conn
        assert conn is not None, "use it in a with block"
        payload = "z" * 200
        start = 0
        for i in range(warm + n):
            if i == warm:
                start = time.perf_counter_ns()
            t0 = time.perf_counter_ns()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (at, payload) VALUES (?, ?)", (time.time(), payload))
            conn.execute("COMMIT")
            if i >= warm:
                self.samples.append(time.perf_counter_ns() - t0)
        if n:
            self._elapsed += time.perf_counter_ns() - start
        self.blocks.append(len(self.samples))

    def summary(self) -> dict[str, Any]:
        rate = len(self.samples) / (self._elapsed / 1e9) if self._elapsed else 0.0
        return {"commits_per_s": round(rate, 1), **summary_ms(self.samples),
                **block_p99(self.samples, self.blocks),
                "journal_mode": self.mode,
                "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(
                    self.sync, self.sync),
                "sqlite_version": sqlite3.sqlite_version}

    def __exit__(self, *_exc: object) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass


def sqlite_durable_commit(directory: Path, n: int) -> dict[str, Any]:
    with CommitFloor(directory) as floor:
        floor.sample(n, warm=warmup_count(n))
        return floor.summary()


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(_repo_root())
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env
