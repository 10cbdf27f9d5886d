"""The floors: what our parts cost with no queue_server code in the way.

* one-way QoS 1 publish -> subscriber through Mosquitto (two raw paho clients);
* QoS 1 request/reply through Mosquitto (raw paho requester here, echo responder in its
  own process, like the server);
* a durable SQLite commit (stdlib sqlite3, WAL, synchronous=FULL, one INSERT + COMMIT).
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
from bench.stats import summary_ms

REPLY_TIMEOUT_S = 5.0


def _warmup_count(n: int) -> int:
    return min(100, max(10, n // 20))


def mqtt_one_way(host: str, port: int, n: int) -> dict[str, Any]:
    """Publish one message at a time, wait for the subscriber to get it; latency =
    subscriber's on_message time - time just before publish()."""
    topic = f"bench/{uuid.uuid4().hex[:8]}/oneway"
    got = threading.Event()
    stamp = [0]

    def on_message(_c: mqtt.Client, _u: Any, _msg: mqtt.MQTTMessage) -> None:
        stamp[0] = time.perf_counter_ns()
        got.set()

    sub = mqtt_raw.connect(host, port, f"bench-sub-{uuid.uuid4().hex[:6]}", on_message,
                           subscribe=topic)
    pub = mqtt_raw.connect(host, port, f"bench-pub-{uuid.uuid4().hex[:6]}")
    samples: list[int] = []
    lost = 0
    try:
        nodelay = mqtt_raw.socket_nodelay(sub) and mqtt_raw.socket_nodelay(pub)
        payload = b"x" * 200  # about the size of a small event
        warm = _warmup_count(n)
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


def mqtt_request_reply(host: str, port: int, n: int) -> dict[str, Any]:
    """QoS 1 request to a raw paho echo responder in another process; latency = reply's
    on_message time - time just before publish()."""
    base = f"bench/{uuid.uuid4().hex[:8]}"
    req, rep = f"{base}/req", f"{base}/rep"
    echo = subprocess.Popen(
        [sys.executable, "-m", "bench.echo", host, str(port), req, rep],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=_repo_root(), env=_child_env(),
    )
    samples: list[int] = []
    lost = 0
    try:
        assert echo.stdout is not None
        ready = echo.stdout.readline().decode().strip()
        if not ready.startswith("ready"):
            raise RuntimeError(f"echo responder did not start (said {ready!r})")
        got = threading.Event()
        seen: dict[str, int] = {}

        def on_message(_c: mqtt.Client, _u: Any, msg: mqtt.MQTTMessage) -> None:
            seen["at"] = time.perf_counter_ns()
            seen["id"] = int(msg.payload.split(b":", 1)[0])
            got.set()

        client = mqtt_raw.connect(host, port, f"bench-req-{uuid.uuid4().hex[:6]}",
                                  on_message, subscribe=rep)
        try:
            nodelay = mqtt_raw.socket_nodelay(client) and ready == "ready"
            pad = b"y" * 150  # about the size of a command
            warm = _warmup_count(n)
            for i in range(warm + n):
                got.clear()
                t0 = time.perf_counter_ns()
                client.publish(req, b"%d:" % i + pad, qos=1)
                if not got.wait(REPLY_TIMEOUT_S) or seen.get("id") != i:
                    lost += 1
                    continue
                if i >= warm:
                    samples.append(seen["at"] - t0)
        finally:
            mqtt_raw.close(client)
    finally:
        if echo.stdin is not None:
            echo.stdin.close()
        try:
            echo.wait(5)
        except subprocess.TimeoutExpired:
            echo.kill()
            echo.wait(5)
        if echo.stdout is not None:
            echo.stdout.close()
    return {**summary_ms(samples), "lost": lost, "client_tcp_nodelay": nodelay}


def mqtt_floors(host: str, port: int, n: int,
                log: Callable[[str], None]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The two MQTT floors every latency benchmark reports: (one-way, request/reply)."""
    log(f"floor: one-way QoS 1 publish -> subscriber, {n} messages")
    one_way = mqtt_one_way(host, port, n)
    log(f"floor: QoS 1 request/reply via an echo process, {n} round trips")
    return one_way, mqtt_request_reply(host, port, n)


def sqlite_durable_commit(directory: Path, n: int) -> dict[str, Any]:
    """One INSERT + COMMIT per transaction, WAL, synchronous=FULL, in `directory` (the
    server database's folder, so the same disk)."""
    path = directory / f"floor-{uuid.uuid4().hex[:6]}.db"
    conn = sqlite3.connect(path, isolation_level=None)
    samples: list[int] = []
    try:
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous=FULL")
        sync = conn.execute("PRAGMA synchronous").fetchone()[0]
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, at REAL, payload TEXT)")
        payload = "z" * 200
        warm = _warmup_count(n)
        start = 0
        for i in range(warm + n):
            if i == warm:
                start = time.perf_counter_ns()
            t0 = time.perf_counter_ns()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t (at, payload) VALUES (?, ?)", (time.time(), payload))
            conn.execute("COMMIT")
            if i >= warm:
                samples.append(time.perf_counter_ns() - t0)
        elapsed = time.perf_counter_ns() - start
    finally:
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{path}{suffix}")
            except FileNotFoundError:
                pass
    return {"commits_per_s": round(n / (elapsed / 1e9), 1), **summary_ms(samples),
            "journal_mode": mode, "synchronous": {0: "OFF", 1: "NORMAL", 2: "FULL",
                                                  3: "EXTRA"}.get(sync, sync),
            "sqlite_version": sqlite3.sqlite_version}


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(_repo_root())
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env
